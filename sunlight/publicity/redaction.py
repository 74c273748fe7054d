"""Redaction of enforcement decisions before publication (PUB-5, 隐名/脱敏): the engine and its preview.

`redact(text, persons=..., keep=...)` finds personal data in a decision and returns the redacted text together with
every change it made, so that a person can confirm the result side by side (`side_by_side_html`) before the decision
is published. What is found, how it is replaced and what is deliberately left alone is described in
docs/redaction.md; in short:

- natural persons known to the case (`persons`): the surname stays, the given name becomes 某 (张三 → 张某); two
  persons with the same surname become 张甲, 张乙, ... in order of first appearance;
- resident ID numbers (18 characters with a valid GB 11643 check digit, 18-digit numbers shaped like one with a
  wrong check digit, 15-digit old form), mobile and landline numbers, bank card numbers (13-19 digits passing Luhn)
  and e-mail addresses: every digit and letter becomes "*", separators stay (so the text still reads "电话：***-****");
- addresses below county level: after a county-level place (…县, …区, …市, …旗) the township, street, village, road,
  house number parts are removed ("安徽省阜阳市临泉县城关街道人民路88号" → "安徽省阜阳市临泉县");
- never touched: names in `keep` (officers, legal persons) and anything inside them, valid unified social credit
  codes, document numbers, dates, amounts, article references.

The engine is a handful of precompiled regular expressions run over the whole text (each one pass, in C), a check of
the few candidates in Python, then a deterministic resolution of overlaps: the longest candidate wins, then the
earliest, then the kind order of `KINDS`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from sunlight.core.ids import is_valid_uscc


def _words(listing: str) -> list[str]:
    """The whitespace-separated words of a listing (tables below are easier to read as text)."""
    return listing.split()


# The kinds of change, in the order that breaks ties between overlapping candidates of the same length and start.
KINDS = ("id_number", "mobile", "landline", "bank_card", "email", "address", "person")

# Two-character (compound) surnames: a person whose name starts with one of these keeps both characters.
COMPOUND_SURNAMES = frozenset(
    _words(
        """
    欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 澹台 太史 申屠 百里 呼延
    南宫 西门 独孤 公冶 公羊 赫连 万俟 闻人 濮阳 淳于 单于 宗政 仲孙 羊舌 微生 梁丘 左丘 东郭 第五 鲜于 司空 亓官
    司寇 子车 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 段干 公西 巫马 南门 东门 呼衍 耶律
    """
    )
)

# Markers for two or more persons with the same surname, in order of first appearance (天干, then 某11, 某12, ...).
ORDINALS = "甲乙丙丁戊己庚辛壬癸"

# Provinces (first two digits of GB/T 2260 codes) that a resident ID number can start with.
_PROVINCES = frozenset(
    _words("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83")
)
_USCC_REGIONS = _PROVINCES | {"10"}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Full-width digits, letters and the signs that matter in numbers and e-mail addresses, mapped to ASCII. Detection
# runs on this "probe" (same length as the text, so positions are shared); replacements are made from the original.
_FULLWIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_FULLWIDTH.update({ord("＋"): ord("+"), ord("－"): ord("-"), ord("＠"): ord("@"), ord("．"): ord(".")})
_FULLWIDTH_RE = re.compile("[０-９Ａ-Ｚａ-ｚ＋－＠．]")
_MASKED_RE = re.compile("[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
_SPACES = "[ \u3000]?"

# Digit runs that may be an ID number or a bank card: contiguous (13-19 digits, or 17 digits and X), grouped by
# fours (bank cards: 4-4-4-1 up to 4-4-4-4-3), or grouped 6-8-4 / 6-4-4-4 (ID numbers). The first digit comes before
# the look-behind so that the search can skip to digits quickly.
_LONG_RE = re.compile(
    r"[0-9](?<![0-9*][0-9])"
    r"(?:[0-9]{16}[0-9Xx]|[0-9]{12,18}"
    r"|[0-9]{3}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,4})?"
    r"|[0-9]{5}[ -](?:[0-9]{8}|[0-9]{4}[ -][0-9]{4})[ -][0-9]{3}[0-9Xx])"
    r"(?![0-9A-Za-z*])"
)
# Mobile numbers; a country code before one (+86, 0086, 86, with or without a space or dash) is checked in Python.
_MOBILE_RE = re.compile(r"1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9*])")
_MOBILE_PREFIX_RE = re.compile(r"(?:\+|00)?86[ -]?$")
# Characters that continue a number: digits, and the "*" of a mask (so that a second pass sees what the first saw).
_DIGITS = frozenset("0123456789*")
_LANDLINE_RE = re.compile(
    r"(?:[(（]0[1-9][0-9]{1,2}[)）][ -]?|0(?<![0-9*]0)[1-9][0-9]{1,2}[ -]?)"
    r"[2-9][0-9]{6,7}(?:[ ]?(?:-|转|分机|ext\.?|#)[ ]?[0-9]{1,6})?(?![0-9*])"
)
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9](?<![A-Za-z0-9._%+-][A-Za-z0-9])[A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)
_USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY](?<![0-9A-Za-z][0-9A-HJ-NPQRTUWXY])[0-9A-HJ-NPQRTUWXY]{17}(?![0-9A-Za-z])")

# Addresses. Function words and punctuation end a place name; administrative suffixes of county level and above
# cannot be inside a unit below it (so the last county-level token is the one kept), except in the road names made
# from them (市府路, 市场街, 县前街, 市中路, 红旗路).
_STOP = (
    "的了在是与及或等对向于将把被并其该此这那因由从到以按依据未不已有无个也而且但若即就都又曾应须要可时称系现住罚款违"
)
_ADMIN = r"(?:[省市县区](?![府场中政前心])|(?<!红)旗)"
_NAME = rf"(?:(?![{_STOP}])(?!{_ADMIN})[\u4e00-\u9fff0-9A-Za-z#\-])"
_TAIL = rf"(?:(?![{_STOP}])[\u4e00-\u9fff0-9A-Za-z#*\-])"
_FINE_UNITS = _words("社区 小区 花园 家园 公寓 大厦 广场 大道 大街 胡同 单元 村 路 街 巷 号 弄 栋 幢 座 室 组 楼 层 苑")
_UNITS = ["街道", *_FINE_UNITS[:10], "镇", "乡", *_FINE_UNITS[10:]]
# A unit right before an administrative suffix is part of a place name (鼓楼区, 中山市), not a unit.
_UNIT = rf"{_NAME}{{1,10}}?(?:{'|'.join(_UNITS)})(?!{_ADMIN})"
_UNIT_RE = re.compile(_UNIT)
# An organisation named after its address ("临泉县城关镇人民政府", "…人民路张三小吃店") is a name, not an address.
_ORG_SUFFIXES = _words(
    "有限责任公司 有限公司 公司 合作社 经营部 门市部 委员会 委会 人民政府 政府 办事处 管理处 服务中心 中心 分局 局 "
    "派出所 所 法庭 法院 检察院 医院 卫生院 卫生室 学校 小学 中学 幼儿园 大学 商行 商店 超市 饭店 酒店 宾馆 餐馆 "
    "餐厅 饭馆 药店 药房 诊所 工作室 厂 店 部 馆 坊 铺 站 院 队 行 社 处 办"
)
# After the units: a position relative to them (…村东头, …路西段北侧, …号附近, …东200米), a second road
# (…人民路与解放路交叉口), a landmark with a position (…88号北京烤鸭店对面).
_LOCATOR = r"(?:[东南西北]{1,2}(?:侧|面|头|边|角|段|部|方|[0-9]+米处?)|附近|对面|隔壁|旁边|交叉口|[东南西北](?![\u4e00-\u9fff]))"
_ADDRESS_RE = re.compile(
    rf"[县区市旗](?P<drop>(?>{_UNIT}(?:(?:与|和|、)?{_UNIT}|{_LOCATOR})*(?:{_NAME}{{1,12}}?{_LOCATOR})?))"
    rf"(?!{_TAIL}{{0,24}}?(?:{'|'.join(_ORG_SUFFIXES)})(?!{_TAIL}))"
)
_PLACE_CHAR_RE = re.compile(rf"(?![{_STOP}省市县区旗])[\u4e00-\u9fff]")
# Words that end in a county-level suffix but name no county-level place (not 山区 湖区 城区 林区 矿区 园区: 中山区,
# 西湖区, 东城区, 神农架林区, 阳泉矿区 and 苏州工业园区 are county-level).
_NOT_COUNTY = frozenset(
    _words(
        """
    社区 小区 景区 校区 厂区 营区 辖区 全区 本区 该区 我区 各区 片区 街区 牧区 灾区 商区
    学区 港区 工区 禁区 分区 库区 老区 旧区 城市 超市 夜市 集市 菜市 本市 该市 我市 全市 各市 上市 股市 楼市
    门市 都市 早市 花市 黑市 街市 闹市 本县 该县 我县 全县 各县 邻县 国旗 党旗 红旗 锦旗 彩旗 团旗 队旗
    """
    )
)
# Words that start with a county-level suffix character: no place name ends before them.
_NOT_COUNTY_NEXT = frozenset(
    _words("区域 区分 区别 区间 区块 区级 市场 市民 市政 市值 市级 市面 市容 县级 县域 旗下 旗帜 旗舰 旗号")
)


@dataclass(frozen=True)
class Change:
    """One replaced span of the ORIGINAL text: `original[start:end]` became `replacement`."""

    start: int
    end: int
    kind: str
    original: str
    replacement: str


@dataclass(frozen=True)
class Redaction:
    """The result of `redact`: the original, the redacted text and the changes (sorted by start) between them."""

    original: str
    text: str
    changes: tuple[Change, ...]


def redact(text: str, *, persons: Sequence[str] = (), keep: Sequence[str] = ()) -> Redaction:
    """Redact personal data in `text` (PUB-5).

    `persons`: names of the natural persons in the case (parties, witnesses, relatives): the surname stays, the given
    name becomes 某. `keep`: names that must never be touched (officers, legal persons, agencies); nothing that lies
    inside one of them is changed. Deterministic: the same input always gives the same result.
    """
    probe = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    names = _clean(persons, shortest=2)
    kept = _clean(keep)
    candidates: list[tuple[int, int, str]] = []
    candidates += _numbers(probe)
    candidates += _phones(probe)
    if "@" in probe:
        candidates += ((m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(probe))
    candidates += _addresses(probe)
    if names:
        candidates += _persons(text, names)
    protected = _protected(text, probe, kept)
    if protected:
        longest = max(end - start for start, end in protected)
        candidates = [c for c in candidates if not _blocked(c, protected, longest)]
    chosen = _resolve(candidates)
    replacements = _person_replacements(text, chosen, set(names))
    changes: list[Change] = []
    pieces: list[str] = []
    last = 0
    for start, end, kind in chosen:
        original = text[start:end]
        if kind == "person":
            replacement = replacements[start]
        elif kind == "address":
            replacement = ""
        else:
            replacement = _MASKED_RE.sub("*", original)
        changes.append(Change(start=start, end=end, kind=kind, original=original, replacement=replacement))
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return Redaction(original=text, text="".join(pieces), changes=tuple(changes))


def side_by_side_html(result: Redaction) -> tuple[str, str]:
    """(original_html, redacted_html) for the confirmation screen.

    Both are HTML-escaped, every change wrapped in `<mark class="redaction redaction-KIND">` (an address removed
    entirely gives an empty mark in the redacted text). Line breaks are left as they are: show them with
    `white-space: pre-wrap`. The strings are marked safe for templates.
    """
    before: list[str] = []
    after: list[str] = []
    last = 0
    text = result.original
    for change in result.changes:
        plain = escape(text[last : change.start])
        opening = f'<mark class="redaction redaction-{change.kind}">'
        before.append(f"{plain}{opening}{escape(change.original)}</mark>")
        after.append(f"{plain}{opening}{escape(change.replacement)}</mark>")
        last = change.end
    tail = escape(text[last:])
    return _safe("".join(before) + tail), _safe("".join(after) + tail)


def is_valid_id_number(number: str) -> bool:
    """True for an 18-character resident ID number (GB 11643) whose check character is right."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    total = sum(int(ch) * w for ch, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def looks_like_id_number(number: str) -> bool:
    """True when an 18- or 15-digit number has a province and a birth date where an ID number has them."""
    if number[:2] not in _PROVINCES:
        return False
    if len(number) == 18:
        year, month, day = number[6:10], number[10:12], number[12:14]
    elif len(number) == 15:
        year, month, day = "19" + number[6:8], number[8:10], number[10:12]
    else:
        return False
    if not (year + month + day).isdigit() or not 1880 <= int(year) <= 2099:
        return False
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def is_credit_code(code: str, *, labelled: bool = False) -> bool:
    """True when an 18-character code is taken for a unified social credit code (GB 32100), which is never redacted.

    It must have a valid check character, a registration authority (1-9, A, N, Y) and a province (or 10, central)
    where GB 32100 puts them. An all-digit code that is also a valid ID number with a plausible birth date is an ID
    number; one that also passes the Luhn check is taken for a bank card unless "代码" comes shortly before it
    (`labelled`): publishing a bank card number cannot be undone, masking a credit code is seen on confirmation.
    """
    if code[0] not in "123456789ANY" or code[2:4] not in _USCC_REGIONS or not is_valid_uscc(code):
        return False
    if is_valid_id_number(code) and looks_like_id_number(code):
        return False
    return labelled or not (code.isdigit() and luhn_ok(code))


def luhn_ok(digits: str) -> bool:
    """True when a string of digits passes the Luhn check (bank card numbers)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def surname_of(name: str) -> str:
    """The part of a person's name that redaction keeps: a compound surname (欧阳) or the first character."""
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


# --- detection -------------------------------------------------------------------------------------------------


def _clean(names: Iterable[str], shortest: int = 1) -> tuple[str, ...]:
    """Stripped distinct names of at least `shortest` characters, longest first (张三丰 is tried before 张三)."""
    unique = {n.strip() for n in names if n and len(n.strip()) >= shortest}
    return tuple(sorted(unique, key=lambda n: (-len(n), n)))


def _numbers(probe: str) -> list[tuple[int, int, str]]:
    """ID numbers and bank card numbers among the long digit runs."""
    found: list[tuple[int, int, str]] = []
    for m in _LONG_RE.finditer(probe):
        kind = _classify_run(m.group().replace(" ", "").replace("-", ""))
        if kind:
            found.append((m.start(), m.end(), kind))
    return found


def _classify_run(run: str) -> str | None:
    """id_number, bank_card or None for a run of 13-19 digits (an 18-character one may end in X)."""
    upper = run.upper()
    if len(run) == 18:
        if is_valid_id_number(upper):
            return "id_number"
        if upper.endswith("X"):
            return "id_number" if looks_like_id_number(upper) else None
    if not run.isdigit():
        return None
    if len(run) in (15, 18) and looks_like_id_number(run):
        # 15 digits: the old ID form (no check digit); 18 digits with a wrong check digit but a province and a birth
        # date where an ID number has them: most likely a mistyped ID number, which still identifies the person.
        return "id_number"
    if 13 <= len(run) <= 19 and luhn_ok(run):
        return "bank_card"
    return None


def _phones(probe: str) -> list[tuple[int, int, str]]:
    """Mobile and landline numbers."""
    found: list[tuple[int, int, str]] = []
    for m in _MOBILE_RE.finditer(probe):
        start = m.start()
        prefix = _MOBILE_PREFIX_RE.search(probe, max(0, start - 6), start)
        if prefix and (probe[prefix.start()] == "+" or probe[prefix.start() - 1 : prefix.start()] not in _DIGITS):
            start = prefix.start()
        elif probe[start - 1 : start] in _DIGITS:
            continue  # the end of a longer number
        found.append((start, m.end(), "mobile"))
    found += ((m.start(), m.end(), "landline") for m in _LANDLINE_RE.finditer(probe))
    return found


def _addresses(probe: str) -> list[tuple[int, int, str]]:
    """The parts below county level of addresses that name a county-level place."""
    found: list[tuple[int, int, str]] = []
    for m in _ADDRESS_RE.finditer(probe):
        token = m.start()
        if token == 0 or not _PLACE_CHAR_RE.match(probe, token - 1):
            continue
        if probe[token - 1 : token + 1] in _NOT_COUNTY or probe[token : token + 2] in _NOT_COUNTY_NEXT:
            continue
        drop = m.group("drop")
        if not any(u.group().endswith(tuple(_FINE_UNITS)) for u in _UNIT_RE.finditer(drop)):
            continue  # a township alone (…县城关镇) says little about a person and is often part of a name
        found.append((m.start("drop"), m.end("drop"), "address"))
    return found


@lru_cache(maxsize=64)
def _names_re(names: tuple[str, ...]) -> re.Pattern[str]:
    """Every occurrence of any of `names` (overlapping ones too), a space allowed between two characters."""
    alternatives = "|".join(_SPACES.join(re.escape(ch) for ch in name) for name in names)
    return re.compile(f"(?=({alternatives}))")


def _persons(text: str, names: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Occurrences of the given persons' names."""
    return [(m.start(1), m.end(1), "person") for m in _names_re(names).finditer(text)]


def _protected(text: str, probe: str, kept: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans nothing may change: names in `keep` and unified social credit codes. Sorted by start."""
    spans: list[tuple[int, int]] = []
    if kept:
        spans += ((m.start(1), m.end(1)) for m in _names_re(kept).finditer(text))
    for m in _USCC_RE.finditer(probe):
        if is_credit_code(m.group(), labelled="代码" in probe[max(0, m.start() - 20) : m.start()]):
            spans.append((m.start(), m.end()))
    spans.sort()
    return spans


def _blocked(candidate: tuple[int, int, str], protected: list[tuple[int, int]], longest: int) -> bool:
    """True when the candidate overlaps a protected span without strictly containing it.

    A person 李四光 is still redacted where an officer 李四 is kept; a person 王五 inside a kept 王五餐饮有限公司 is not.
    """
    start, end, _ = candidate
    i = bisect.bisect_left(protected, (end, -1))
    while i > 0:
        i -= 1
        p_start, p_end = protected[i]
        if p_start + longest <= start:
            break  # sorted by start: no earlier span reaches the candidate
        if p_end <= start:
            continue
        if not (start <= p_start and p_end <= end and (start, end) != (p_start, p_end)):
            return True
    return False


def _resolve(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping candidates, chosen longest first, then earliest, then by kind; returned sorted by start.

    Candidates are swept by start into clusters that overlap one another; a lone candidate is taken as it is, and
    only within a cluster (a few candidates) are they ranked. Clusters never overlap, so this is the same as ranking
    all candidates at once, in linear time for the usual text where most candidates stand alone.
    """
    chosen: list[tuple[int, int, str]] = []
    cluster: list[tuple[int, int, str]] = []
    reach = -1
    for candidate in sorted(set(candidates)):
        if candidate[0] >= reach and cluster:
            chosen += cluster if len(cluster) == 1 else _rank(cluster)
            cluster = []
        cluster.append(candidate)
        reach = max(reach, candidate[1])
    if cluster:
        chosen += cluster if len(cluster) == 1 else _rank(cluster)
    return chosen


def _rank(cluster: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The greedy choice within one cluster of overlapping candidates, sorted by start."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    taken: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(cluster, key=lambda c: (c[0] - c[1], c[0], order[c[2]])):
        if all(end <= s or e <= start for s, e, _ in taken):
            taken.append((start, end, kind))
    return sorted(taken)


def _person_replacements(text: str, chosen: list[tuple[int, int, str]], names: set[str]) -> dict[int, str]:
    """The replacement of each chosen person occurrence, keyed by its start.

    Surname + 某; when two or more distinct persons with the same surname appear, surname + 甲, 乙, 丙, ... in the
    order of their first appearance. A pseudonym that is itself one of the persons' names is skipped.
    """
    first_seen: dict[str, list[str]] = {}
    occurrences: list[tuple[int, str]] = []
    for start, end, kind in chosen:
        if kind != "person":
            continue
        name = re.sub("[ \u3000]", "", text[start:end])
        occurrences.append((start, name))
        group = first_seen.setdefault(surname_of(name), [])
        if name not in group:
            group.append(name)
    pseudonyms: dict[str, str] = {}
    for surname, group in first_seen.items():
        if len(group) == 1:
            options: Iterable[str] = (surname + "某", surname + "某某", surname + "某某某")
            pseudonyms[group[0]] = next((o for o in options if o not in names), surname + "某")
            continue
        markers = (*ORDINALS, *(f"某{i}" for i in range(11, 11 + len(group) + len(names))))
        available = (surname + m for m in markers if surname + m not in names)
        for name in group:
            pseudonyms[name] = next(available)
    return {start: pseudonyms[name] for start, name in occurrences}


def _safe(html: str) -> SafeString:
    return mark_safe(html)  # noqa: S308 - every piece of text in it went through html.escape
