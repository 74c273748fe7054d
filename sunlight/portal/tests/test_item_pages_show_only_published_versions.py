"""PUB-1, PUB-2: the enforcement item list and each item's page show only the published version in force — never a
draft, a version under review or an abolished item — with its basis, units, time limit, discretion basis, service
guide and the flowchart of its action type's procedure."""

from __future__ import annotations

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import CatalogKind
from sunlight.catalog.tests.factories import days, item_content, new_benchmark, new_item, publish, today
from sunlight.catalog.versioning import content_of
from sunlight.org.choices import ActionType, EnforcementField

pytestmark = pytest.mark.django_db

GUIDE = {
    "guide_conditions": "具有与经营的食品品种相适应的场所",
    "guide_materials": "1. 食品经营许可申请书；2. 营业执照复印件",
    "guide_fee": "不收费",
    "guide_office_hours": "工作日 8:30-17:00",
    "guide_address": "临泉县政务服务中心一楼市场监管窗口",
    "guide_phone": "0558-6521111",
    "guide_supervision": "12345政务服务便民热线",
    "guide_remedies": "可以在60日内申请行政复议，或者在6个月内提起行政诉讼。",
}


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def licence(c, code: str = "SC-XK-001", **content):
    version = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.ITEM,
        agency=c.agency,
        code=code,
        identity={"action_type": ActionType.LICENCE, "field": EnforcementField.MARKET},
        content=item_content(
            c,
            name="食品经营许可",
            articles=[c.article(c.food, 35)],
            approving_unit=c.other_unit,
            time_limit_amount=20,
            time_limit_unit="WD",
            time_limit_note="承诺10个工作日内办结",
            **{**GUIDE, **content},
        ),
        meta={"effective_from": today()},
    )
    return publish(c, version)


def test_the_item_page_shows_particulars_service_guide_and_flowchart(client, catalog):
    v = licence(catalog)
    html = page(client, f"/items/{v.entry.public_id}/")
    for text in (
        "食品经营许可",
        "行政许可",
        "《中华人民共和国食品安全法》第三十五条",
        "执法大队",  # handling unit
        "城关市场监管所",  # approving unit
        "20工作日",
        "承诺10个工作日内办结",
        *GUIDE.values(),
        "服务指南",
        "流程图",
    ):
        assert text in html, text
    # The flowchart of the licence procedure, drawn from the workflow the system enforces, with its steps in words.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'data-workflow="licence"' in html
    assert "行政许可流程图" in html and "作出许可决定" in html
    assert f"/laws/{catalog.food.public_id}/#article-35" in html


def test_the_discretion_basis_links_the_items_benchmark(client, catalog):
    v = new_item(catalog)
    bm = new_benchmark(catalog, item=v.entry)
    html = page(client, f"/items/{v.entry.public_id}/")
    assert "裁量依据" in html and "未取得食品经营许可从事食品经营活动" in html
    assert f"/benchmarks/{bm.entry.public_id}/" in html
    # A penalty's page has both penalty procedures.
    assert 'data-workflow="penalty"' in html and 'data-workflow="penalty_simple"' in html


def test_drafts_and_versions_under_review_are_not_public(client, catalog):
    draft = new_item(catalog, "SC-CF-009", published=False, name="草稿中的事项")
    in_review = new_item(catalog, "SC-CF-010", published=False, name="审核中的事项")
    services.version_submit(acting_user=catalog.editor, version=in_review)
    listing = page(client, "/items/")
    assert "草稿中的事项" not in listing and "审核中的事项" not in listing
    page(client, f"/items/{draft.entry.public_id}/", 404)
    page(client, f"/items/{in_review.entry.public_id}/", 404)


def test_a_pending_new_version_does_not_replace_the_published_one(client, catalog):
    v1 = new_item(catalog)
    content = content_of(CatalogKind.ITEM, v1)
    content["name"] = "修改后尚未发布的名称"
    services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=content,
        meta={"effective_from": today() + days(40)},
    )
    html = page(client, f"/items/{v1.entry.public_id}/")
    assert v1.name in html and "修改后尚未发布的名称" not in html
    assert "修改后尚未发布的名称" not in page(client, "/items/")


def test_an_abolished_item_leaves_the_list(client, catalog):
    v1 = new_item(catalog)
    content = content_of(CatalogKind.ITEM, v1)
    abolition = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=content,
        meta={"effective_from": today(), "abolished": True, "short_notice_reason": "上位法已删除该事项"},
    )
    publish(catalog, abolition)
    assert v1.name not in page(client, "/items/")
    page(client, f"/items/{v1.entry.public_id}/", 404)


def test_the_list_filters_by_agency_and_action_type(client, catalog, county):
    penalty = new_item(catalog)
    permit = licence(catalog)
    everything = page(client, "/items/")
    assert penalty.name in everything and permit.name in everything
    only_licences = page(client, "/items/?action_type=licence")
    assert permit.name in only_licences and penalty.name not in only_licences
    mine = page(client, f"/items/?agency={catalog.agency.public_id}")
    assert penalty.name in mine
    elsewhere = page(client, f"/items/?agency={county.other_unit.agency.public_id}")
    assert penalty.name not in elsewhere and "没有符合条件的执法事项。" in elsewhere


def test_the_agency_page_links_to_each_list_with_counts(client, catalog):
    new_item(catalog)
    licence(catalog)
    agency = catalog.agency
    html = page(client, f"/agencies/{agency.public_id}/")
    for path in ("/items/", "/benchmarks/", "/inspections/", "/av-items/", "/officers/", "/complaints/"):
        assert f"{path}?agency={agency.public_id}" in html, path
    assert "2 项" in html
