"""Import and export of every catalog through Excel templates (openpyxl).

One workbook per catalog: laws (two sheets: laws and articles), enforcement items, benchmarks (benchmarks and their
circumstance levels), major-decision rules, random-inspection items, AV items. Cells hold what people read: Chinese
labels for choices (codes are accepted too), amounts in yuan, citations as 《法律名称》第N条, units by name.

The export writes, for each entry, its newest version that is not discarded or abolished; importing that file into
an agency with the same units gives back the same catalog. An import checks every row first and reports each problem
with its sheet, row, column and message; when any row fails nothing is imported. Rows become new entries (a draft
first version) or new draft versions of existing entries (rows identical to the newest version are skipped); drafts
then go through legal review as usual.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sunlight.core.audit import audit
from sunlight.core.choices import Unit as PeriodUnit
from sunlight.core.errors import FieldError, ServiceError
from sunlight.org.choices import ActionType, EnforcementField
from sunlight.org.models import Unit

from . import permissions, services
from .choices import (
    AvRequirement,
    BandBasis,
    CatalogKind,
    Circumstance,
    Criterion,
    LawKind,
    Measure,
    PartyKind,
    PenaltyKind,
    VersionStatus,
)
from .models import Article, EnforcementItem, Law
from .numerals import (
    article_label,
    fen_to_yuan,
    from_chinese,
    parse_citations,
    parse_decimal,
    yuan_to_fen,
)
from .rules import LevelSpec, PenaltySpec
from .validation import content_errors, identity_errors
from .versioning import content_of, latest_version, open_version, spec_for
from .workflows import step_choices

LAWS = "laws"
BOOKS = (LAWS, *CatalogKind.values)
BOOK_LABELS = {
    LAWS: gettext_lazy("法律法规"),
    CatalogKind.ITEM: gettext_lazy("执法事项清单"),
    CatalogKind.BENCHMARK: gettext_lazy("裁量基准"),
    CatalogKind.MAJOR_RULE: gettext_lazy("重大执法决定目录"),
    CatalogKind.INSPECTION: gettext_lazy("随机抽查事项清单"),
    CatalogKind.AV: gettext_lazy("音像记录事项清单"),
}
MAX_ROWS = 5000
LIST_SPLIT = re.compile(r"[、；;，,\n]+")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the key the code uses and the header people see."""

    key: str
    header: str
    width: int = 16
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    """One sheet of a template."""

    name: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _cols(*specs: tuple[str, str, int] | tuple[str, str, int, bool]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


META_COLUMNS = (("effective_from", "生效日期", 12, True), ("change_note", "修改说明", 24))

SHEETS: dict[str, tuple[Sheet, ...]] = {
    LAWS: (
        Sheet(
            "法律法规",
            _cols(
                ("title", "名称", 36, True),
                ("short_title", "简称", 16),
                ("kind", "效力层级", 12, True),
                ("issuer", "制定机关", 20),
                ("doc_number", "文号", 20),
                ("promulgated_on", "公布日期", 12),
                ("effective_from", "施行日期", 12, True),
            ),
        ),
        Sheet(
            "条款",
            _cols(("law", "法律法规名称", 36, True), ("number", "条", 14, True), ("text", "条文", 80, True)),
        ),
    ),
    CatalogKind.ITEM: (
        Sheet(
            "执法事项",
            _cols(
                ("code", "编码", 14, True),
                ("name", "事项名称", 30, True),
                ("action_type", "行为类型", 12, True),
                ("field", "执法类别", 12, True),
                ("articles", "依据条款", 40),
                ("basis_text", "依据说明", 30),
                ("handling_unit", "承办机构", 18, True),
                ("approving_unit", "审批机构", 18),
                ("holding_units", "行使职权的机构", 24),
                ("posts", "行使职权的岗位", 20),
                ("time_limit_amount", "办理时限", 10),
                ("time_limit_unit", "时限单位", 10),
                ("time_limit_note", "时限说明", 24),
                ("guide_conditions", "办理条件", 30),
                ("guide_materials", "申请材料", 30),
                ("guide_fee", "收费标准", 16),
                ("guide_office_hours", "办公时间", 20),
                ("guide_address", "办理地点", 24),
                ("guide_phone", "咨询电话", 16),
                ("guide_supervision", "监督投诉渠道", 24),
                ("guide_remedies", "救济途径", 30),
                *META_COLUMNS,
            ),
        ),
    ),
    CatalogKind.BENCHMARK: (
        Sheet(
            "裁量基准",
            _cols(
                ("code", "编码", 14, True),
                ("violation", "违法行为", 36, True),
                ("item", "执法事项编码", 14),
                ("articles", "依据条款", 40),
                ("basis_text", "依据说明", 30),
                *META_COLUMNS,
            ),
        ),
        Sheet(
            "情节档次",
            _cols(
                ("benchmark", "基准编码", 14, True),
                ("circumstance", "情节档次", 12, True),
                ("conditions", "适用情形", 40),
                ("kind", "处罚种类", 14),
                ("measure", "幅度计算方式", 16),
                ("low", "下限（元或倍）", 14),
                ("high", "上限（元或倍）", 14),
                ("band_basis", "区间依据", 12),
                ("band_from", "区间下限（元，含）", 16),
                ("band_below", "区间上限（元，不含）", 16),
            ),
        ),
    ),
    CatalogKind.MAJOR_RULE: (
        Sheet(
            "重大执法决定标准",
            _cols(
                ("code", "编码", 14, True),
                ("title", "标准", 40, True),
                ("criterion", "判断依据", 24, True),
                ("action_types", "适用行为类型", 20),
                ("amount", "金额标准（元）", 14),
                ("party", "适用当事人", 16),
                ("basis_text", "依据", 30),
                *META_COLUMNS,
            ),
        ),
    ),
    CatalogKind.INSPECTION: (
        Sheet(
            "随机抽查事项",
            _cols(
                ("code", "编码", 14, True),
                ("name", "抽查事项", 30, True),
                ("subject", "抽查主体", 20, True),
                ("articles", "依据条款", 40),
                ("basis_text", "依据说明", 30),
                ("target", "抽查对象", 24, True),
                ("content", "抽查内容", 36, True),
                ("ratio_percent", "抽查比例（%）", 12, True),
                ("method", "抽查方式", 20, True),
                ("frequency", "抽查频次", 16, True),
                *META_COLUMNS,
            ),
        ),
    ),
    CatalogKind.AV: (
        Sheet(
            "音像记录事项",
            _cols(
                ("code", "编码", 14, True),
                ("action_type", "行为类型", 12, True),
                ("step", "执法环节", 30, True),
                ("requirement", "记录要求", 16, True),
                ("scope", "适用情形", 30),
                ("basis_text", "依据", 30),
                *META_COLUMNS,
            ),
        ),
    ),
}


# --- errors --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in an imported file: the sheet, the Excel row, the column (letter and header; empty when the
    problem is the whole row or sheet) and what is wrong."""

    sheet: str
    row: int
    column: str
    header: str
    message: str

    @property
    def where(self) -> str:
        """“执法事项”第3行C列（行为类型）."""
        where = _("“%(sheet)s”第%(row)d行") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += _("%(col)s列") % {"col": self.column}
        if self.header:
            where += f"（{self.header}）"
        return where


class ImportRefused(ServiceError):
    """The file has errors; nothing was imported."""

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(
            [FieldError(f"{r.sheet}!{r.column}{r.row}", "invalid", f"{r.where}：{r.message}") for r in rows]
        )
        self.rows = rows


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    revised: int = 0
    unchanged: int = 0


# --- export --------------------------------------------------------------------------------------------------------


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def _header(ws: Any, sheet: Sheet) -> None:
    ws.append([c.header for c in sheet.columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


def _write(ws: Any, sheet: Sheet, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        ws.append([row.get(c.key) for c in sheet.columns])
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _help_sheet(wb: Workbook, book: str) -> None:
    ws = wb.create_sheet("说明")
    lines = [
        _("阳光执法 %(book)s 导入模板") % {"book": BOOK_LABELS[book]},
        _("第一行为列名，请勿修改；每行一条，空行忽略。日期格式：2026-01-01。金额单位：元。"),
        _("依据条款写作《法律法规全称》第N条，多条用顿号或分号分隔，条款须已在“法律法规”中录入。"),
        _("机构、岗位、行为类型可填多个，用顿号分隔。导入时逐行检查，任一行有错则全部不导入。"),
        _("导入后生成草稿，须提交法制审核并发布后生效。"),
        "",
        _("可选值："),
        _("行为类型：%(v)s") % {"v": "、".join(str(x) for x in ActionType.labels)},
        _("执法类别：%(v)s") % {"v": "、".join(str(x) for x in EnforcementField.labels)},
        _("情节档次：%(v)s") % {"v": "、".join(str(x) for x in Circumstance.labels)},
        _("处罚种类：%(v)s") % {"v": "、".join(str(x) for x in PenaltyKind.labels)},
        _("幅度计算方式：%(v)s") % {"v": "、".join(str(x) for x in Measure.labels)},
        _("区间依据：%(v)s") % {"v": "、".join(str(x) for x in BandBasis.labels if x)},
        _("判断依据：%(v)s") % {"v": "、".join(str(x) for x in Criterion.labels)},
        _("记录要求：%(v)s") % {"v": "、".join(str(x) for x in AvRequirement.labels)},
        _("时限单位：%(v)s") % {"v": "、".join(str(x) for x in PeriodUnit.labels)},
        _("效力层级：%(v)s") % {"v": "、".join(str(x) for x in LawKind.labels)},
    ]
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 120


def _unit_names(units: Iterable[Unit]) -> str:
    return "、".join(sorted(u.name for u in units))


def _citations(articles: Iterable[Article]) -> str:
    return "；".join(sorted(a.citation for a in articles))


def _export_rows(kind: str, agency: Any) -> dict[str, list[dict[str, Any]]]:
    spec = spec_for(kind)
    entries = spec.entry_model.objects.filter(agency=agency).order_by("code")
    sheets = SHEETS[kind]
    out: dict[str, list[dict[str, Any]]] = {s.name: [] for s in sheets}
    for entry in entries:
        version = latest_version(kind, entry)
        if version is None or version.abolished:
            continue
        c = content_of(kind, version)
        base = {"code": entry.code, "effective_from": version.effective_from, "change_note": version.change_note}
        main = sheets[0].name
        if kind == CatalogKind.ITEM:
            out[main].append(
                {
                    **base,
                    **{k: c[k] for k in spec.scalar_fields if isinstance(c[k], str)},
                    "action_type": _label(ActionType, entry.action_type),
                    "field": _label(EnforcementField, entry.field),
                    "articles": _citations(c["articles"]),
                    "handling_unit": c["handling_unit"].name if c["handling_unit"] else "",
                    "approving_unit": c["approving_unit"].name if c["approving_unit"] else "",
                    "holding_units": _unit_names(c["holding_units"]),
                    "posts": "、".join(c["posts"] or []),
                    "time_limit_amount": c["time_limit_amount"],
                    "time_limit_unit": _label(PeriodUnit, c["time_limit_unit"]),
                }
            )
        elif kind == CatalogKind.BENCHMARK:
            out[main].append(
                {
                    **base,
                    "violation": c["violation"],
                    "item": entry.item.code if entry.item_id else "",
                    "articles": _citations(c["articles"]),
                    "basis_text": c["basis_text"],
                }
            )
            for level in c["levels"]:
                rows = [_penalty_row(p) for p in level.penalties] or [{}]
                for i, row in enumerate(rows):
                    out[sheets[1].name].append(
                        {
                            "benchmark": entry.code,
                            "circumstance": _label(Circumstance, level.circumstance),
                            "conditions": level.conditions if i == 0 else "",
                            **row,
                        }
                    )
        elif kind == CatalogKind.MAJOR_RULE:
            out[main].append(
                {
                    **base,
                    "title": c["title"],
                    "criterion": _label(Criterion, c["criterion"]),
                    "action_types": "、".join(_label(ActionType, t) for t in c["action_types"] or []),
                    "amount": fen_to_yuan(c["amount_fen"]) if c["amount_fen"] is not None else None,
                    "party": _label(PartyKind, c["party"]),
                    "basis_text": c["basis_text"],
                }
            )
        elif kind == CatalogKind.INSPECTION:
            out[main].append(
                {
                    **base,
                    **{k: c[k] for k in ("name", "subject", "basis_text", "target", "content", "method", "frequency")},
                    "articles": _citations(c["articles"]),
                    "ratio_percent": c["ratio_percent"],
                }
            )
        elif kind == CatalogKind.AV:
            steps = dict(step_choices(c["action_type"]))
            out[main].append(
                {
                    **base,
                    "action_type": _label(ActionType, c["action_type"]),
                    "step": steps.get(c["step"], c["step"]),
                    "requirement": _label(AvRequirement, c["requirement"]),
                    "scope": c["scope"],
                    "basis_text": c["basis_text"],
                }
            )
    return out


def _penalty_row(p: PenaltySpec) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": _label(PenaltyKind, p.kind)}
    if p.is_fine:
        row["measure"] = _label(Measure, p.measure)
        if p.measure == Measure.FIXED:
            row["low"] = fen_to_yuan(p.min_fen) if p.min_fen is not None else None
            row["high"] = fen_to_yuan(p.max_fen) if p.max_fen is not None else None
        else:
            row["low"] = p.min_multiple
            row["high"] = p.max_multiple
    if p.band_basis:
        row["band_basis"] = _label(BandBasis, p.band_basis)
        row["band_from"] = fen_to_yuan(p.band_from_fen) if p.band_from_fen is not None else None
        row["band_below"] = fen_to_yuan(p.band_below_fen) if p.band_below_fen is not None else None
    return row


def _law_rows(on: date) -> dict[str, list[dict[str, Any]]]:
    laws_sheet, articles_sheet = SHEETS[LAWS]
    out: dict[str, list[dict[str, Any]]] = {laws_sheet.name: [], articles_sheet.name: []}
    for law in Law.objects.order_by("title"):
        out[laws_sheet.name].append(
            {
                "title": law.title,
                "short_title": law.short_title,
                "kind": _label(LawKind, law.kind),
                "issuer": law.issuer,
                "doc_number": law.doc_number,
                "promulgated_on": law.promulgated_on,
                "effective_from": law.effective_from,
            }
        )
        for article in law.articles.order_by("number"):
            text = article.text_on(max(on, law.effective_from))
            if text is None or text.repealed:
                continue
            out[articles_sheet.name].append({"law": law.title, "number": article.label, "text": text.text})
    return out


def export_workbook(*, book: str, agency: Any = None, template: bool = False, on: date | None = None) -> bytes:
    """The workbook of a catalog (its template when `template`): an .xlsx file as bytes."""
    if book not in BOOKS:
        raise ServiceError.single("book", "invalid", _("目录类型无效。"))
    wb = Workbook()
    first = True
    if template:
        rows: dict[str, list[dict[str, Any]]] = {}
    elif book == LAWS:
        rows = _law_rows(on or timezone.localdate())
    else:
        rows = _export_rows(book, agency)
    for sheet in SHEETS[book]:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = sheet.name
        _header(ws, sheet)
        _write(ws, sheet, rows.get(sheet.name, []))
    _help_sheet(wb, book)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- import: reading cells -----------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is for people."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def read_date(value: Any, *, required: bool) -> date | None:
    """A date cell: an Excel date, or text like 2026-01-01, 2026/1/1, 2026年1月1日."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(_("请填写日期。"))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise CellError(_("“%(v)s”不是有效日期，格式应为 2026-01-01。") % {"v": text})


def read_choice(value: Any, choices: Any, *, required: bool = True) -> str:
    """A choice cell: its Chinese label or its code."""
    text = _text(value)
    if not text:
        if required:
            raise CellError(_("请填写此项。"))
        return ""
    by_label = {str(label): v for v, label in choices.choices}
    if text in by_label:
        return str(by_label[text])
    if text in choices.values:
        return text
    options = "、".join(str(label) for _v, label in choices.choices if label)
    raise CellError(_("“%(v)s”无效，可选：%(o)s。") % {"v": text, "o": options})


_Parsed = TypeVar("_Parsed")


def _read_parsed(
    value: Any, parse: Callable[[Any], _Parsed], *, required: bool, missing: str, invalid: str
) -> _Parsed | None:
    """A cell read by `parse`: None when empty (`missing` when required); `invalid` (with %(v)s) when it fails."""
    if value is None or _text(value) == "":
        if required:
            raise CellError(missing)
        return None
    try:
        return parse(value)
    except ValueError as exc:
        raise CellError(invalid % {"v": _text(value)}) from exc


def read_amount(value: Any, *, required: bool = False) -> int | None:
    """An amount in yuan (at most two decimals) → fen."""
    return _read_parsed(
        value,
        yuan_to_fen,
        required=required,
        missing=_("请填写金额。"),
        invalid=_("“%(v)s”不是有效金额（元，最多两位小数）。"),
    )


def read_number(value: Any, *, required: bool = False) -> Decimal | None:
    """A non-negative number (a multiple or a percentage)."""
    return _read_parsed(
        value, parse_decimal, required=required, missing=_("请填写数值。"), invalid=_("“%(v)s”不是有效数值。")
    )


def read_int(value: Any) -> int | None:
    """A whole non-negative number."""
    text = _text(value)
    if not text:
        return None
    if not text.isdigit():
        raise CellError(_("“%(v)s”应为整数。") % {"v": text})
    return int(text)


def read_list(value: Any) -> list[str]:
    """A list cell, items separated by 、；; or line breaks."""
    return [p.strip() for p in LIST_SPLIT.split(_text(value)) if p.strip()]


def find_law(title: str) -> Law | None:
    """A law by its full title, its short title, or the title without 中华人民共和国."""
    title = title.strip().strip("《》")
    return (
        Law.objects.filter(Q(title=title) | Q(short_title=title) | Q(title=f"中华人民共和国{title}"))
        .order_by("pk")
        .first()
    )


def read_articles(value: Any) -> list[Article]:
    """Citations → articles; every unknown law or article is reported."""
    found, problems = parse_citations(_text(value))
    errors = [_("无法识别“%(p)s”，应写作《法律法规名称》第N条。") % {"p": p} for p in problems]
    articles: list[Article] = []
    for title, number in found:
        law = find_law(title)
        if law is None:
            errors.append(_("未找到《%(t)s》，请先录入该法律法规。") % {"t": title})
            continue
        article = law.articles.filter(number=number).first()
        if article is None:
            errors.append(_("未找到《%(t)s》%(a)s。") % {"t": law.title, "a": article_label(number)})
            continue
        if article not in articles:
            articles.append(article)
    if errors:
        raise CellError(" ".join(errors))
    return articles


# --- import: rows --------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row of a sheet: its Excel row number and cells by column key."""

    sheet: Sheet
    number: int
    cells: dict[str, Any]


@dataclass
class Reader:
    """Collects cell errors while rows are read."""

    errors: list[RowError] = field(default_factory=list)
    marked: set[tuple[str, int, str | None]] = field(default_factory=set)

    def error(self, row: Row, key: str | None, message: str) -> None:
        if (row.sheet.name, row.number, key) in self.marked and key is not None:
            return  # one message per cell: a cell that could not be read is not also reported as missing
        self.marked.add((row.sheet.name, row.number, key))
        if key is None:
            self.errors.append(RowError(row.sheet.name, row.number, "", "", message))
            return
        index = [c.key for c in row.sheet.columns].index(key) + 1
        self.errors.append(
            RowError(row.sheet.name, row.number, get_column_letter(index), row.sheet.column(key).header, message)
        )

    def cell(self, row: Row, key: str, read: Callable[[Any], Any], default: Any = None) -> Any:
        try:
            return read(row.cells.get(key))
        except CellError as exc:
            self.error(row, key, str(exc))
            return default


def _rows(wb: Any, reader: Reader, book: str) -> dict[str, list[Row]]:
    """Every sheet's data rows, after checking that the sheets and their headers are the template's."""
    out: dict[str, list[Row]] = {}
    for sheet in SHEETS[book]:
        out[sheet.name] = []
        if sheet.name not in wb.sheetnames:
            reader.errors.append(
                RowError(sheet.name, 1, "", "", _("缺少工作表“%(s)s”，请使用本系统下载的模板。") % {"s": sheet.name})
            )
            continue
        ws = wb[sheet.name]
        iterator = ws.iter_rows(values_only=True)
        header = [_text(v) for v in next(iterator, ())]
        while header and not header[-1]:
            header.pop()
        expected = [c.header for c in sheet.columns]
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            if title in expected:
                positions[sheet.columns[expected.index(title)].key] = index
            else:
                reader.errors.append(
                    RowError(
                        sheet.name,
                        1,
                        get_column_letter(index + 1),
                        title,
                        _("无法识别的列“%(h)s”，请使用本系统下载的模板。") % {"h": title or _("（空）")},
                    )
                )
        for column in sheet.columns:
            if column.key not in positions:
                reader.errors.append(RowError(sheet.name, 1, "", "", _("缺少列“%(h)s”。") % {"h": column.header}))
        if len(positions) != len(sheet.columns):
            continue
        for number, values in enumerate(iterator, start=2):
            if number > MAX_ROWS + 1:
                reader.errors.append(RowError(sheet.name, number, "", "", _("一次最多导入%(n)d行。") % {"n": MAX_ROWS}))
                break
            cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
            if all(_text(v) == "" for v in cells.values()):
                continue
            row = Row(sheet, number, cells)
            for column in sheet.columns:
                if column.required and _text(cells.get(column.key)) == "":
                    reader.error(row, column.key, _("此项为必填项。"))
            out[sheet.name].append(row)
    return out


@dataclass
class Parsed:
    """One imported entry, ready for the services, with the rows it came from (to place validation errors)."""

    row: Row
    code: str
    identity: dict[str, Any]
    content: dict[str, Any]
    meta: dict[str, Any]
    field_rows: dict[str, tuple[Row, str | None]] = field(default_factory=dict)


def _meta(reader: Reader, row: Row) -> dict[str, Any]:
    return {
        "effective_from": reader.cell(row, "effective_from", lambda v: read_date(v, required=True)),
        "change_note": _text(row.cells.get("change_note")),
    }


def _unit(agency: Any, name: str) -> Unit:
    unit = Unit.objects.filter(agency=agency, name=name).first()
    if unit is None:
        raise CellError(_("本执法主体没有名为“%(n)s”的机构。") % {"n": name})
    return unit


def _unit_list_reader(agency: Any) -> Callable[[Any], list[Unit]]:
    def read(value: Any) -> list[Unit]:
        units, problems = [], []
        for name in read_list(value):
            try:
                units.append(_unit(agency, name))
            except CellError as exc:
                problems.append(str(exc))
        if problems:
            raise CellError(" ".join(problems))
        return units

    return read


def _parse_item(reader: Reader, row: Row, agency: Any) -> Parsed:
    c = row.cells
    content: dict[str, Any] = {
        key: _text(c.get(key))
        for key in (
            "name",
            "basis_text",
            "time_limit_note",
            "guide_conditions",
            "guide_materials",
            "guide_fee",
            "guide_office_hours",
            "guide_address",
            "guide_phone",
            "guide_supervision",
            "guide_remedies",
        )
    }
    content["articles"] = reader.cell(row, "articles", read_articles, [])
    content["handling_unit"] = reader.cell(
        row, "handling_unit", lambda v: _unit(agency, _text(v)) if _text(v) else None
    )
    content["approving_unit"] = reader.cell(
        row, "approving_unit", lambda v: _unit(agency, _text(v)) if _text(v) else None
    )
    content["holding_units"] = reader.cell(row, "holding_units", _unit_list_reader(agency), [])
    content["posts"] = read_list(c.get("posts"))
    content["time_limit_amount"] = reader.cell(row, "time_limit_amount", read_int)
    content["time_limit_unit"] = reader.cell(
        row, "time_limit_unit", lambda v: read_choice(v, PeriodUnit, required=False), ""
    )
    identity = {
        "action_type": reader.cell(row, "action_type", lambda v: read_choice(v, ActionType)),
        "field": reader.cell(row, "field", lambda v: read_choice(v, EnforcementField)),
    }
    return Parsed(row, _text(c.get("code")), identity, content, _meta(reader, row))


def _parse_major_rule(reader: Reader, row: Row, agency: Any) -> Parsed:
    c = row.cells

    def types(value: Any) -> list[str]:
        return [read_choice(t, ActionType) for t in read_list(value)]

    content = {
        "title": _text(c.get("title")),
        "criterion": reader.cell(row, "criterion", lambda v: read_choice(v, Criterion)),
        "action_types": reader.cell(row, "action_types", types, []),
        "amount_fen": reader.cell(row, "amount", read_amount),
        "party": reader.cell(row, "party", lambda v: read_choice(v, PartyKind, required=False) or PartyKind.ANY),
        "basis_text": _text(c.get("basis_text")),
    }
    return Parsed(row, _text(c.get("code")), {}, content, _meta(reader, row), {"amount_fen": (row, "amount")})


def _parse_inspection(reader: Reader, row: Row, agency: Any) -> Parsed:
    c = row.cells
    content: dict[str, Any] = {
        k: _text(c.get(k)) for k in ("name", "subject", "basis_text", "target", "content", "method", "frequency")
    }
    content["articles"] = reader.cell(row, "articles", read_articles, [])
    content["ratio_percent"] = reader.cell(row, "ratio_percent", lambda v: read_number(v, required=True))
    return Parsed(row, _text(c.get("code")), {}, content, _meta(reader, row))


def _parse_av(reader: Reader, row: Row, agency: Any) -> Parsed:
    c = row.cells
    action_type = reader.cell(row, "action_type", lambda v: read_choice(v, ActionType), "")
    steps = {label: code for code, label in step_choices(action_type)} if action_type else {}
    step_text = _text(c.get("step"))
    content = {
        "action_type": action_type,
        "step": steps.get(step_text, step_text),
        "requirement": reader.cell(row, "requirement", lambda v: read_choice(v, AvRequirement)),
        "scope": _text(c.get("scope")),
        "basis_text": _text(c.get("basis_text")),
    }
    return Parsed(row, _text(c.get("code")), {}, content, _meta(reader, row))


def _parse_benchmarks(reader: Reader, rows: dict[str, list[Row]], agency: Any) -> list[Parsed]:
    main, levels_sheet = SHEETS[CatalogKind.BENCHMARK]
    parsed: list[Parsed] = []
    by_code: dict[str, Parsed] = {}
    for row in rows[main.name]:
        c = row.cells
        item_code = _text(c.get("item"))
        item = None
        if item_code:
            item = EnforcementItem.objects.filter(agency=agency, code=item_code).first()
            if item is None:
                reader.error(row, "item", _("本执法主体没有编码为“%(c)s”的执法事项。") % {"c": item_code})
        content = {
            "violation": _text(c.get("violation")),
            "articles": reader.cell(row, "articles", read_articles, []),
            "basis_text": _text(c.get("basis_text")),
            "levels": [],
        }
        p = Parsed(row, _text(c.get("code")), {"item": item}, content, _meta(reader, row))
        parsed.append(p)
        if p.code:
            by_code.setdefault(p.code, p)
    grouped: dict[str, dict[str, list[Row]]] = {}
    for row in rows[levels_sheet.name]:
        code = _text(row.cells.get("benchmark"))
        if code and code not in by_code:
            reader.error(row, "benchmark", _("“裁量基准”表中没有编码为“%(c)s”的基准。") % {"c": code})
            continue
        circumstance = reader.cell(row, "circumstance", lambda v: read_choice(v, Circumstance), "")
        if code and circumstance:
            grouped.setdefault(code, {}).setdefault(circumstance, []).append(row)
    for code, levels in grouped.items():
        target = by_code[code]
        for li, (circumstance, level_rows) in enumerate(levels.items()):
            conditions = [_text(r.cells.get("conditions")) for r in level_rows if _text(r.cells.get("conditions"))]
            if len(set(conditions)) > 1:
                reader.error(level_rows[1], "conditions", _("同一档次的适用情形只填一次（或各行相同）。"))
            penalties: list[PenaltySpec] = []
            target.field_rows[f"levels.{li}"] = (level_rows[0], "circumstance")
            for r in level_rows:
                penalty = _parse_penalty(reader, r)
                if penalty is not None:
                    target.field_rows[f"levels.{li}.penalties.{len(penalties)}"] = (r, "low")
                    penalties.append(penalty)
            target.content["levels"].append(
                LevelSpec(
                    circumstance=circumstance,
                    conditions=conditions[0] if conditions else "",
                    penalties=tuple(penalties),
                )
            )
    return parsed


def _parse_penalty(reader: Reader, row: Row) -> PenaltySpec | None:
    c = row.cells
    kind = reader.cell(row, "kind", lambda v: read_choice(v, PenaltyKind, required=False), "")
    if not kind:
        for key in ("measure", "low", "high", "band_basis", "band_from", "band_below"):
            if _text(c.get(key)):
                reader.error(row, "kind", _("填写了幅度或区间，请同时填写处罚种类。"))
                break
        return None
    measure = reader.cell(row, "measure", lambda v: read_choice(v, Measure, required=False), "")
    values: dict[str, Any] = {}
    if measure == Measure.FIXED:
        values["min_fen"] = reader.cell(row, "low", read_amount)
        values["max_fen"] = reader.cell(row, "high", read_amount)
    elif measure:
        values["min_multiple"] = reader.cell(row, "low", read_number)
        values["max_multiple"] = reader.cell(row, "high", read_number)
    elif _text(c.get("low")) or _text(c.get("high")):
        reader.error(row, "measure", _("填写了幅度，请选择幅度计算方式。"))
    band = reader.cell(row, "band_basis", lambda v: read_choice(v, BandBasis, required=False), "")
    return PenaltySpec(
        kind=kind,
        measure=measure,
        band_basis=band,
        band_from_fen=reader.cell(row, "band_from", read_amount),
        band_below_fen=reader.cell(row, "band_below", read_amount),
        **values,
    )


_PARSERS: dict[str, Callable[[Reader, Row, Any], Parsed]] = {
    CatalogKind.ITEM: _parse_item,
    CatalogKind.MAJOR_RULE: _parse_major_rule,
    CatalogKind.INSPECTION: _parse_inspection,
    CatalogKind.AV: _parse_av,
}

# Where a validation error on a content key is shown, when the column key differs.
_FIELD_COLUMNS = {"amount_fen": "amount", "levels": "code"}


def _validate(kind: str, agency: Any, parsed: list[Parsed], reader: Reader) -> list[tuple[Parsed, Any]]:
    """Validation through the same rules as the services; returns (parsed, existing entry or None)."""
    spec = spec_for(kind)
    plan: list[tuple[Parsed, Any]] = []
    seen: dict[str, int] = {}
    keys = {c.key for c in parsed[0].row.sheet.columns} if parsed else set()
    for p in parsed:
        if p.code in seen:
            reader.error(p.row, "code", _("编码“%(c)s”与第%(n)d行重复。") % {"c": p.code, "n": seen[p.code]})
            continue
        seen[p.code] = p.row.number
        entry = spec.entry_model.objects.filter(agency=agency, code=p.code).first()
        errors: list[FieldError] = []
        if entry is None:
            errors += identity_errors(kind, agency, p.code, p.identity)
        else:
            if kind == CatalogKind.ITEM and (
                p.identity.get("action_type") != entry.action_type or p.identity.get("field") != entry.field
            ):
                reader.error(p.row, "action_type", _("行为类型和执法类别不可修改；不同的职权请使用新编码。"))
            if kind == CatalogKind.BENCHMARK and p.identity.get("item") != entry.item:
                reader.error(p.row, "item", _("裁量基准对应的执法事项不可修改；请使用新编码。"))
            pending = open_version(kind, entry)
            if pending is not None and pending.status == VersionStatus.IN_REVIEW:
                reader.error(
                    p.row, "code", _("该事项第%(n)d版正在法制审核中，暂不能导入新版本。") % {"n": pending.number}
                )
        if p.meta.get("effective_from") is not None:
            errors += content_errors(kind, agency, p.content, p.meta)
        for error in errors:
            if error.field in p.field_rows:
                row, key = p.field_rows[error.field]
                reader.error(row, key, error.message)
                continue
            key = _FIELD_COLUMNS.get(error.field.split(".")[0], error.field)
            reader.error(p.row, key if key in keys else None, error.message)
        plan.append((p, entry))
    return plan


def import_workbook(*, acting_user: Any, book: str, agency: Any, data: bytes) -> ImportResult:
    """Import a catalog workbook for an agency (laws: shared by all). All rows are checked first; any error refuses
    the whole file (ImportRefused with sheet, row, column and message for each). Returns what was done."""
    if book not in BOOKS:
        raise ServiceError.single("book", "invalid", _("目录类型无效。"))
    if book == LAWS:
        permissions.require_law_edit(acting_user, target="import")
    else:
        permissions.require_edit(acting_user, book, agency, target="import")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRefused(
            [RowError(_("文件"), 1, "", "", _("无法读取文件，请上传 .xlsx 格式的 Excel 文件。"))]
        ) from exc
    reader = Reader()
    rows = _rows(wb, reader, book)
    if book == LAWS:
        return _import_laws(acting_user, rows, reader)
    if book == CatalogKind.BENCHMARK:
        parsed = _parse_benchmarks(reader, rows, agency)
    else:
        parser = _PARSERS[book]
        parsed = [parser(reader, row, agency) for row in rows[SHEETS[book][0].name]]
    plan = _validate(book, agency, parsed, reader)
    if reader.errors:
        raise ImportRefused(sorted(reader.errors, key=lambda e: (e.sheet, e.row)))
    result = ImportResult()
    with transaction.atomic():
        for p, entry in plan:
            if entry is None:
                services.entry_create(
                    acting_user=acting_user,
                    kind=book,
                    agency=agency,
                    code=p.code,
                    identity=p.identity,
                    content=p.content,
                    meta=p.meta,
                )
                result.created += 1
            elif services.content_unchanged(book, entry, p.content, p.meta):
                result.unchanged += 1
            else:
                services.version_draft(acting_user=acting_user, kind=book, entry=entry, content=p.content, meta=p.meta)
                result.revised += 1
        audit(
            kind="catalog.imported",
            actor=acting_user,
            stream=f"agency:{agency.public_id}",
            payload={"book": book, "created": result.created, "revised": result.revised, "unchanged": result.unchanged},
        )
    return result


def _import_laws(acting_user: Any, rows: dict[str, list[Row]], reader: Reader) -> ImportResult:
    laws_sheet, articles_sheet = SHEETS[LAWS]
    new_laws: dict[str, dict[str, Any]] = {}
    for row in rows[laws_sheet.name]:
        c = row.cells
        title = _text(c.get("title")).strip("《》")
        values = {
            "title": title,
            "short_title": _text(c.get("short_title")),
            "kind": reader.cell(row, "kind", lambda v: read_choice(v, LawKind), ""),
            "issuer": _text(c.get("issuer")),
            "doc_number": _text(c.get("doc_number")),
            "promulgated_on": reader.cell(row, "promulgated_on", lambda v: read_date(v, required=False)),
            "effective_from": reader.cell(row, "effective_from", lambda v: read_date(v, required=True)),
            "articles": [],
            "row": row,
        }
        if title in new_laws:
            reader.error(
                row, "title", _("《%(t)s》与第%(n)d行重复。") % {"t": title, "n": new_laws[title]["row"].number}
            )
            continue
        existing = Law.objects.filter(title=title).first()
        if existing is not None and (
            existing.kind != values["kind"] or existing.effective_from != values["effective_from"]
        ):
            reader.error(
                row, "title", _("《%(t)s》已录入且效力层级或施行日期不同；修改请录入法律法规修改。") % {"t": title}
            )
        new_laws[title] = values
    additions: dict[Law, list[tuple[int, str]]] = {}
    unchanged = 0
    seen: dict[tuple[str, int], int] = {}
    for row in rows[articles_sheet.name]:
        title = _text(row.cells.get("law")).strip("《》")
        number_text = _text(row.cells.get("number"))
        try:
            number = from_chinese(number_text.removeprefix("第").removesuffix("条"))
        except ValueError:
            reader.error(row, "number", _("“%(v)s”不是有效的条号（如：第一百二十二条 或 122）。") % {"v": number_text})
            continue
        text = _text(row.cells.get("text"))
        if (title, number) in seen:
            reader.error(row, "number", _("与第%(n)d行重复。") % {"n": seen[(title, number)]})
            continue
        seen[(title, number)] = row.number
        law = Law.objects.filter(title=title).first() or find_law(title)
        if law is None and title in new_laws:
            new_laws[title]["articles"].append((number, text))
            continue
        if law is None:
            reader.error(row, "law", _("未找到《%(t)s》，请在“法律法规”表中填写。") % {"t": title})
            continue
        article = law.articles.filter(number=number).first()
        if article is None:
            additions.setdefault(law, []).append((number, text))
            continue
        current = article.text_on(max(timezone.localdate(), law.effective_from))
        if current is not None and current.text.strip() == text.strip():
            unchanged += 1
        else:
            reader.error(row, "text", _("条文与系统中的现行文本不同；修改条文请录入法律法规修改。"))
    if reader.errors:
        raise ImportRefused(sorted(reader.errors, key=lambda e: (e.sheet, e.row)))
    result = ImportResult(unchanged=unchanged)
    with transaction.atomic():
        for title, values in new_laws.items():
            values.pop("row")
            if Law.objects.filter(title=title).exists():
                result.unchanged += 1
                continue
            services.law_create(acting_user=acting_user, **values)
            result.created += 1
        for law, articles in additions.items():
            services.law_articles_add(acting_user=acting_user, law=law, articles=articles)
            result.revised += 1
        audit(
            kind="catalog.imported",
            actor=acting_user,
            stream="laws",
            payload={"book": LAWS, "created": result.created, "revised": result.revised, "unchanged": result.unchanged},
        )
    return result
