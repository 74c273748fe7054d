"""Issue 4 item 9: every catalog is exported to and imported from Excel templates; exporting, importing into another
agency and exporting again gives back the same catalog; importing the same file twice changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import transaction
from openpyxl import load_workbook

from sunlight.catalog import services
from sunlight.catalog.choices import AvRequirement, CatalogKind
from sunlight.catalog.excel import LAWS, SHEETS, export_workbook, import_workbook
from sunlight.catalog.models import EnforcementItem, Law
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import ActionType, EnforcementField
from sunlight.org.tests.factories import AgencyFactory, UnitFactory

from .factories import item_content, major_catalog, make_law, new_benchmark, new_item, publish, today

pytestmark = pytest.mark.django_db
ORDER = [CatalogKind.ITEM, CatalogKind.BENCHMARK, CatalogKind.MAJOR_RULE, CatalogKind.INSPECTION, CatalogKind.AV]


def cells(data: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(data), data_only=True)
    return {name: [tuple(row) for row in wb[name].iter_rows(values_only=True)] for name in wb.sheetnames}


def full_catalog(c) -> None:
    licence = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.ITEM,
        agency=c.agency,
        code="SC-XK-001",
        identity={"action_type": ActionType.LICENCE, "field": EnforcementField.MARKET},
        content=item_content(
            c,
            name="食品经营许可",
            articles=[c.article(c.food, 35)],
            approving_unit=c.legal,
            holding_units=[c.field_unit, c.other_unit],
            posts=["受理岗", "审批岗"],
            time_limit_amount=20,
            time_limit_unit="WD",
            time_limit_note="承诺10个工作日",
            guide_materials="1. 申请书；\n2. 营业执照复印件",
            guide_fee="不收费",
        ),
        meta={"effective_from": today(), "change_note": "首次录入"},
    )
    publish(c, licence)
    penalty = new_item(c, articles=[c.article(c.food, 122), c.article(c.food, 35)])
    new_benchmark(c, item=penalty.entry)
    major_catalog(c)
    inspection = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.INSPECTION,
        agency=c.agency,
        code="RND-1",
        content={
            "name": "食品经营者监督检查",
            "subject": c.agency.name,
            "articles": [c.article(c.food, 110)],
            "basis_text": "",
            "target": "食品销售者",
            "content": "进货查验记录、贮存条件",
            "ratio_percent": Decimal("5.5"),
            "method": "现场检查",
            "frequency": "每年不少于1次",
        },
        meta={"effective_from": today()},
    )
    publish(c, inspection)
    for code, action_type, step, requirement in (
        ("AV-1", ActionType.COERCION, "onsite_measure", AvRequirement.CONTINUOUS),
        ("AV-2", ActionType.PENALTY, "service.public_notice", AvRequirement.APPROPRIATE),
        ("AV-3", ActionType.PENALTY, "investigation", AvRequirement.APPROPRIATE),
    ):
        version = services.entry_create(
            acting_user=c.editor,
            kind=CatalogKind.AV,
            agency=c.agency,
            code=code,
            content={
                "action_type": action_type,
                "step": step,
                "requirement": requirement,
                "scope": "现场",
                "basis_text": "REC-5",
            },
            meta={"effective_from": today()},
        )
        publish(c, version)


@pytest.fixture
def twin(county):
    """Another agency with units of the same names."""
    agency = AgencyFactory(name="临泉县第二市场监督管理局", region=county.county)
    for name in ("执法大队", "法规科", "城关市场监管所"):
        UnitFactory(agency=agency, name=name, is_legal_department=name == "法规科")
    return agency


def test_every_catalog_comes_back_the_same_through_excel(catalog, twin):
    full_catalog(catalog)
    for book in ORDER:
        exported = export_workbook(book=book, agency=catalog.agency)
        rows = cells(exported)
        assert len(rows[SHEETS[book][0].name]) > 1, book  # a header and data
        result = import_workbook(acting_user=catalog.admin, book=book, agency=twin, data=exported)
        assert result.created == len(rows[SHEETS[book][0].name]) - 1 and result.revised == 0, book
        again = cells(export_workbook(book=book, agency=twin))
        assert again == rows, book


def test_importing_the_same_file_twice_changes_nothing(catalog, twin):
    full_catalog(catalog)
    exported = export_workbook(book=CatalogKind.BENCHMARK, agency=catalog.agency)
    import_workbook(
        acting_user=catalog.admin,
        book=CatalogKind.ITEM,
        agency=twin,
        data=export_workbook(book=CatalogKind.ITEM, agency=catalog.agency),
    )
    import_workbook(acting_user=catalog.admin, book=CatalogKind.BENCHMARK, agency=twin, data=exported)
    entries = LedgerEntry.objects.filter(stream__startswith="catalog:").count()
    result = import_workbook(acting_user=catalog.admin, book=CatalogKind.BENCHMARK, agency=twin, data=exported)
    assert (result.created, result.revised, result.unchanged) == (0, 0, 1)
    assert LedgerEntry.objects.filter(stream__startswith="catalog:").count() == entries
    # Importing into the agency the file came from, unchanged: nothing either.
    result = import_workbook(
        acting_user=catalog.admin, book=CatalogKind.BENCHMARK, agency=catalog.agency, data=exported
    )
    assert result.unchanged == 1


def test_a_changed_row_becomes_a_new_draft_version(catalog):
    new_item(catalog)
    exported = export_workbook(book=CatalogKind.ITEM, agency=catalog.agency)
    wb = load_workbook(io.BytesIO(exported))
    ws = wb["执法事项"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("事项名称") + 1, value="对无证经营食品的行政处罚")
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(
        acting_user=catalog.editor, book=CatalogKind.ITEM, agency=catalog.agency, data=buffer.getvalue()
    )
    assert (result.created, result.revised) == (0, 1)
    entry = EnforcementItem.objects.get(agency=catalog.agency, code="SC-CF-001")
    assert [(v.number, v.status, v.name) for v in entry.versions.order_by("number")] == [
        (1, "published", "对未取得食品经营许可从事食品经营活动的行政处罚"),
        (2, "draft", "对无证经营食品的行政处罚"),
    ]


def test_laws_come_back_the_same_through_excel(catalog):
    with transaction.atomic():
        make_law(
            catalog.admin,
            "中华人民共和国广告法",
            {55: "违反本法规定，发布虚假广告的……", 58: "有下列行为之一的……"},
            short="广告法",
        )
        exported = export_workbook(book=LAWS)
        transaction.set_rollback(True)
    assert not Law.objects.filter(title="中华人民共和国广告法").exists()
    result = import_workbook(acting_user=catalog.reviewer, book=LAWS, agency=None, data=exported)
    assert result.created == 1
    assert cells(export_workbook(book=LAWS)) == cells(exported)
    assert Law.objects.get(title="中华人民共和国广告法").articles.count() == 2


def test_templates_have_the_headers_and_a_help_sheet(catalog):
    for book in [LAWS, *ORDER]:
        rows = cells(export_workbook(book=book, agency=catalog.agency, template=True))
        for sheet in SHEETS[book]:
            assert rows[sheet.name] == [tuple(c.header for c in sheet.columns)]
        assert "说明" in rows
