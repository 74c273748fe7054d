"""Issue 4 item 9, bad input: files with wrong columns, bad dates, unknown articles or overlapping benchmark ranges are
refused with the sheet, row, column and message of each problem, and nothing at all is imported."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from sunlight.catalog.choices import CatalogKind
from sunlight.catalog.excel import LAWS, SHEETS, ImportRefused, export_workbook, import_workbook
from sunlight.catalog.models import Benchmark, EnforcementItem, Law
from sunlight.core.errors import Forbidden
from sunlight.core.models import LedgerEntry

from .factories import new_item

pytestmark = pytest.mark.django_db

ITEM_ROW = {
    "编码": "SC-CF-009",
    "事项名称": "对经营者违反明码标价规定的行政处罚",
    "行为类型": "行政处罚",
    "执法类别": "市场监管",
    "依据条款": "《中华人民共和国价格法》第十三条、第四十二条",
    "承办机构": "执法大队",
    "行使职权的机构": "执法大队、城关市场监管所",
    "办理时限": 90,
    "时限单位": "日（自然日）",
    "生效日期": "2026-12-01",
}


def book(kind: str, rows: dict[str, list[dict[str, object]]], *, headers: dict[str, list[str]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS[kind]:
        ws = wb.create_sheet(sheet.name)
        names = (headers or {}).get(sheet.name) or [c.header for c in sheet.columns]
        ws.append(names)
        for row in rows.get(sheet.name, []):
            ws.append([row.get(name) for name in names])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def refused(catalog, kind, data, user=None) -> list[tuple[str, int, str, str]]:
    before = (
        LedgerEntry.objects.count(),
        EnforcementItem.objects.count(),
        Benchmark.objects.count(),
        Law.objects.count(),
    )
    with pytest.raises(ImportRefused) as exc:
        import_workbook(acting_user=user or catalog.editor, book=kind, agency=catalog.agency, data=data)
    after = (
        LedgerEntry.objects.count(),
        EnforcementItem.objects.count(),
        Benchmark.objects.count(),
        Law.objects.count(),
    )
    assert after == before  # nothing imported, nothing recorded
    return [(e.sheet, e.row, e.column, e.message) for e in exc.value.rows]


def test_a_good_file_imports(catalog):
    result = import_workbook(
        acting_user=catalog.editor,
        book=CatalogKind.ITEM,
        agency=catalog.agency,
        data=book(CatalogKind.ITEM, {"执法事项": [ITEM_ROW]}),
    )
    assert result.created == 1
    version = EnforcementItem.objects.get(code="SC-CF-009").versions.get()
    assert version.status == "draft" and version.time_limit_unit == "CD"
    assert [a.number for a in version.articles.order_by("number")] == [13, 42]


def test_wrong_or_missing_columns_are_reported_on_the_header_row(catalog):
    headers = [c.header for c in SHEETS[CatalogKind.ITEM][0].columns if c.header != "承办机构"] + ["备注"]
    errors = refused(
        catalog, CatalogKind.ITEM, book(CatalogKind.ITEM, {"执法事项": [ITEM_ROW]}, headers={"执法事项": headers})
    )
    assert ("执法事项", 1, "W", "无法识别的列“备注”，请使用本系统下载的模板。") in errors
    assert ("执法事项", 1, "", "缺少列“承办机构”。") in errors


def test_a_missing_sheet_and_an_unreadable_file(catalog):
    wb = Workbook()
    wb.active.title = "裁量基准"
    wb.active.append([c.header for c in SHEETS[CatalogKind.BENCHMARK][0].columns])
    buffer = io.BytesIO()
    wb.save(buffer)
    assert refused(catalog, CatalogKind.BENCHMARK, buffer.getvalue()) == [
        ("情节档次", 1, "", "缺少工作表“情节档次”，请使用本系统下载的模板。")
    ]
    assert (
        refused(catalog, CatalogKind.ITEM, b"not a spreadsheet")[0][3]
        == "无法读取文件，请上传 .xlsx 格式的 Excel 文件。"
    )


def test_bad_dates_unknown_articles_units_and_choices_are_reported_per_cell(catalog):
    rows = [
        ITEM_ROW,
        {**ITEM_ROW, "编码": "SC-CF-010", "生效日期": "2026-13-01"},
        {**ITEM_ROW, "编码": "SC-CF-011", "依据条款": "《中华人民共和国价格法》第九百条；《不存在的法》第一条"},
        {**ITEM_ROW, "编码": "SC-CF-012", "承办机构": "不存在的科", "行为类型": "行政罚款"},
        {**ITEM_ROW, "编码": "SC-CF-009", "生效日期": "明天"},
        {**ITEM_ROW, "编码": "SC-CF-013", "依据条款": "价格法第十三条"},
    ]
    errors = refused(catalog, CatalogKind.ITEM, book(CatalogKind.ITEM, {"执法事项": rows}))
    assert ("执法事项", 3, "V", "“2026-13-01”不是有效日期，格式应为 2026-01-01。") in errors
    assert (
        "执法事项",
        4,
        "E",
        "未找到《中华人民共和国价格法》第九百条。 未找到《不存在的法》，请先录入该法律法规。",
    ) in errors
    assert ("执法事项", 5, "G", "本执法主体没有名为“不存在的科”的机构。") in errors
    assert any(e[:3] == ("执法事项", 5, "C") and e[3].startswith("“行政罚款”无效，可选：行政许可") for e in errors)
    assert ("执法事项", 6, "V", "“明天”不是有效日期，格式应为 2026-01-01。") in errors
    assert ("执法事项", 6, "A", "编码“SC-CF-009”与第2行重复。") in errors
    assert ("执法事项", 7, "E", "无法识别“价格法第十三条”，应写作《法律法规名称》第N条。") in errors
    assert {e[1] for e in errors} == {3, 4, 5, 6, 7}  # the good row has no error, yet was not imported


def test_overlapping_benchmark_ranges_are_refused_on_their_row(catalog):
    benchmark = {
        "编码": "BM-1",
        "违法行为": "违反明码标价规定",
        "依据条款": "《中华人民共和国价格法》第四十二条",
        "生效日期": "2026-12-01",
    }
    levels = [
        {
            "基准编码": "BM-1",
            "情节档次": "从轻处罚",
            "适用情形": "初次违法",
            "处罚种类": "罚款",
            "幅度计算方式": "固定金额",
            "下限（元或倍）": 0,
            "上限（元或倍）": 2000,
        },
        {
            "基准编码": "BM-1",
            "情节档次": "一般处罚",
            "适用情形": "一般情形",
            "处罚种类": "罚款",
            "幅度计算方式": "固定金额",
            "下限（元或倍）": 1500,
            "上限（元或倍）": 3500,
        },
        {"基准编码": "BM-9", "情节档次": "从重处罚", "处罚种类": "罚款"},
        {
            "基准编码": "BM-1",
            "情节档次": "从重处罚",
            "处罚种类": "罚款",
            "幅度计算方式": "固定金额",
            "下限（元或倍）": "三千",
            "上限（元或倍）": 5000,
        },
    ]
    errors = refused(
        catalog, CatalogKind.BENCHMARK, book(CatalogKind.BENCHMARK, {"裁量基准": [benchmark], "情节档次": levels})
    )
    assert (
        "情节档次",
        3,
        "F",
        "“一般处罚”档的罚款幅度与“从轻处罚”档重叠或顺序颠倒（较轻档次的上限不能高于较重档次的下限）。",
    ) in errors
    assert ("情节档次", 4, "A", "“裁量基准”表中没有编码为“BM-9”的基准。") in errors
    assert ("情节档次", 5, "F", "“三千”不是有效金额（元，最多两位小数）。") in errors


def test_law_files_cannot_rewrite_article_texts(catalog):
    rows = {
        "法律法规": [{"名称": "中华人民共和国价格法", "效力层级": "法律", "施行日期": "1998-05-01"}],
        "条款": [
            {"法律法规名称": "中华人民共和国价格法", "条": "第四十二条", "条文": "改写的条文"},
            {"法律法规名称": "中华人民共和国价格法", "条": "第四百二十条条", "条文": "x"},
            {"法律法规名称": "某不存在的条例", "条": 3, "条文": "x"},
        ],
    }
    errors = refused(catalog, LAWS, book(LAWS, rows), user=catalog.reviewer)
    assert ("条款", 2, "C", "条文与系统中的现行文本不同；修改条文请录入法律法规修改。") in errors
    assert ("条款", 3, "B", "“第四百二十条条”不是有效的条号（如：第一百二十二条 或 122）。") in errors
    assert ("条款", 4, "A", "未找到《某不存在的条例》，请在“法律法规”表中填写。") in errors


def test_importing_needs_the_right_to_edit_and_rows_under_review_wait(catalog):
    with pytest.raises(Forbidden):
        import_workbook(acting_user=catalog.officer, book=CatalogKind.ITEM, agency=catalog.agency, data=b"")
    version = new_item(catalog, published=False)
    from sunlight.catalog import services

    services.version_submit(acting_user=catalog.editor, version=version)
    data = export_workbook(book=CatalogKind.ITEM, agency=catalog.agency)
    wb = load_workbook(io.BytesIO(data))
    assert wb["执法事项"].max_row == 2
    errors = refused(catalog, CatalogKind.ITEM, data)
    assert errors == [("执法事项", 2, "A", "该事项第1版正在法制审核中，暂不能导入新版本。")]
