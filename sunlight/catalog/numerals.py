"""Chinese numerals for article numbers (第一百二十二条), money in words, and citation parsing."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)} | {"两": 2, "〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}
MAX_ARTICLE = 9999


def to_chinese(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 101 → 一百零一, 110 → 一百一十, 1001 → 一千零一 (1..9999)."""
    if not 0 < n <= MAX_ARTICLE:
        raise ValueError(f"out of range: {n}")
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(DIGITS[digit] + unit)
        elif parts:
            zero = True
        if n == 0:
            break
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def from_chinese(text: str) -> int:
    """The inverse of `to_chinese`; Arabic digits are accepted too. ValueError for anything else."""
    text = text.strip()
    if not text:
        raise ValueError("empty")
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGIT_VALUE:
            if digit is not None and _DIGIT_VALUE[char] != 0:
                raise ValueError(f"not a number: {text}")
            digit = _DIGIT_VALUE[char] or None
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            raise ValueError(f"not a number: {text}")
    total += digit or 0
    canonical = text.replace("两", "二").replace("〇", "零")
    if not 0 < total <= MAX_ARTICLE or canonical not in (to_chinese(total), "一" + to_chinese(total)):
        raise ValueError(f"not a canonical number: {text}")
    return total


def article_label(number: int) -> str:
    """第一百二十二条."""
    return f"第{to_chinese(number)}条"


_CITATION = re.compile(r"《([^《》]+)》\s*((?:第[零〇一二两三四五六七八九十百千\d]+条\s*[、，,和及与]?\s*)+)")
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")


def parse_citations(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Read citations such as 《中华人民共和国价格法》第十三条、第四十二条；《X》第5条.

    Returns ([(law title, article number)], [pieces that could not be read]). Separators between laws: ；;、，, and
    line breaks.
    """
    found: list[tuple[str, int]] = []
    problems: list[str] = []
    text = (text or "").strip()
    position = 0
    for match in _CITATION.finditer(text):
        gap = text[position : match.start()].strip(" ；;、，,\n\r\t")
        if gap:
            problems.append(gap)
        title = match.group(1).strip()
        for number_text in _ARTICLE.findall(match.group(2)):
            try:
                found.append((title, from_chinese(number_text)))
            except ValueError:
                problems.append(f"《{title}》第{number_text}条")
        position = match.end()
    rest = text[position:].strip(" ；;、，,\n\r\t")
    if rest:
        problems.append(rest)
    return found, problems


_ARTICLE_LINE = re.compile(r"^\s*第([零〇一二两三四五六七八九十百千\d]+)条[\s　]*(.*)$")


def parse_article_lines(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Split pasted law text into articles: a line beginning 第N条 starts an article; other lines continue it.

    Returns ([(number, text)], [(line number, problem line)]).
    """
    articles: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    for line_no, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _ARTICLE_LINE.match(line)
        if match:
            try:
                number = from_chinese(match.group(1))
            except ValueError:
                problems.append((line_no, line))
                continue
            articles.append((number, [match.group(2).strip()]))
        elif articles:
            articles[-1][1].append(line)
        else:
            problems.append((line_no, line))
    return [(n, "\n".join(p for p in parts if p)) for n, parts in articles], problems


# --- money ---------------------------------------------------------------------------------------------------------

FEN_PER_YUAN = 100
_WAN = 10_000


def yuan_text(fen: int) -> str:
    """An amount in words for people: 5万元, 6.5万元, 3000元, 12.50元."""
    yuan = Decimal(fen) / FEN_PER_YUAN
    if fen % FEN_PER_YUAN == 0 and yuan >= _WAN:
        wan = yuan / _WAN
        return f"{_plain(wan)}万元"
    return f"{_plain(yuan)}元"


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def yuan_to_fen(value: object) -> int:
    """An amount in yuan from a form or a spreadsheet (int, Decimal, a float cell or text) to fen; ValueError when it
    is not a non-negative amount with at most two decimals."""
    if isinstance(value, bool) or value is None:
        raise ValueError("not an amount")
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError("not an amount") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError("not an amount")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError("more than two decimals")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal | int:
    """fen → yuan for spreadsheets and forms: an int when whole, else a Decimal with two places."""
    if fen % FEN_PER_YUAN == 0:
        return fen // FEN_PER_YUAN
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def multiple_of(base_fen: int, multiple: Decimal) -> int:
    """base × multiple, rounded to the fen (half up)."""
    return int((Decimal(base_fen) * multiple).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_decimal(value: object) -> Decimal:
    """A multiple or a percentage from a form or a spreadsheet; ValueError when not a non-negative number."""
    if isinstance(value, bool) or value is None:
        raise ValueError("not a number")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError("not a number") from exc
    if not number.is_finite() or number < 0:
        raise ValueError("not a number")
    return number


def decimal_text(value: Decimal) -> str:
    """A Decimal without trailing zeros: 10.000 → 10, 0.050 → 0.05."""
    return _plain(value)
