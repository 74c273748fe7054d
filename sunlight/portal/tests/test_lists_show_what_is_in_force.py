"""PUB-1, DIS-1, RND-1, REC-5, REV-1: the public discretion benchmarks, random-inspection list, AV list,
major-decision catalog and laws show only what is published and in force today, with the fields the rules name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import AmendmentKind, AvRequirement, CatalogKind, Criterion, PartyKind
from sunlight.catalog.services import ArticleChange
from sunlight.catalog.tests.factories import days, new_benchmark, new_item, new_major_rule, publish, today
from sunlight.org.choices import ActionType

pytestmark = pytest.mark.django_db


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def inspection(c, code: str = "RND-1", *, published: bool = True, effective=None):
    version = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.INSPECTION,
        agency=c.agency,
        code=code,
        content={
            "name": f"食品经营者监督检查{code}",
            "subject": c.agency.name,
            "articles": [c.article(c.food, 110)],
            "basis_text": "",
            "target": "食品销售者",
            "content": "进货查验记录、贮存条件",
            "ratio_percent": Decimal("5.5"),
            "method": "现场检查",
            "frequency": "每年不少于1次",
        },
        meta={"effective_from": effective or today()},
    )
    return publish(c, version) if published else version


def av(c, code: str, action_type: str, step: str, requirement: str, scope: str):
    version = services.entry_create(
        acting_user=c.editor,
        kind=CatalogKind.AV,
        agency=c.agency,
        code=code,
        content={
            "action_type": action_type,
            "step": step,
            "requirement": requirement,
            "scope": scope,
            "basis_text": "",
        },
        meta={"effective_from": today()},
    )
    return publish(c, version)


def test_benchmarks_show_their_levels_and_ranges(client, catalog):
    item = new_item(catalog)
    bm = new_benchmark(catalog, item=item.entry)
    listing = html(client, "/benchmarks/")
    assert "未取得食品经营许可从事食品经营活动" in listing and "《中华人民共和国食品安全法》第一百二十二条" in listing
    detail = html(client, f"/benchmarks/{bm.entry.public_id}/")
    for text in (
        "不予处罚",
        "减轻处罚",
        "从轻处罚",
        "一般处罚",
        "从重处罚",
        "初次违法且危害后果轻微并及时改正",
        "罚款",
    ):
        assert text in detail, text
    assert "6.5万元" in detail and f"/items/{item.entry.public_id}/" in detail


def test_the_random_inspection_list_shows_all_its_fields_and_only_what_is_in_force(client, catalog):
    inspection(catalog)
    inspection(catalog, "RND-2", published=False)
    inspection(catalog, "RND-3", effective=today() + days(5))
    page = html(client, "/inspections/")
    table = page.split('data-testid="inspection-table"')[1].split("</table>")[0]
    for text in (
        "食品经营者监督检查RND-1",
        "临泉县市场监督管理局",
        "《中华人民共和国食品安全法》第一百一十条",
        "食品销售者",
        "进货查验记录、贮存条件",
        "5.5%",
        "现场检查",
        "每年不少于1次",
    ):
        assert text in table, text
    assert "RND-2" not in page
    assert "RND-3" not in table and "食品经营者监督检查RND-3" in page  # announced below the list


def test_the_av_list_names_steps_and_requirements(client, catalog):
    av(catalog, "AV-1", ActionType.COERCION, "onsite_measure", AvRequirement.CONTINUOUS, "查封、扣押现场")
    av(catalog, "AV-2", ActionType.PENALTY, "service.lodged", AvRequirement.CONTINUOUS, "留置送达")
    page = html(client, f"/av-items/?agency={catalog.agency.public_id}")
    for text in (
        "行政强制",
        "实施查封、扣押等强制措施并制作现场笔录",
        "全程音像记录",
        "查封、扣押现场",
        "送达（留置送达）",
    ):
        assert text in page, text


def test_the_major_decision_catalog_shows_thresholds(client, catalog):
    new_major_rule(
        catalog,
        "MR-01",
        Criterion.FINE_AT_LEAST,
        "对法人或者其他组织处以10万元以上罚款",
        amount_yuan=100_000,
        party=PartyKind.ORGANISATION,
        action_types=(ActionType.PENALTY,),
    )
    page = html(client, "/major-decisions/")
    assert "对法人或者其他组织处以10万元以上罚款" in page and "10万元以上" in page and "法人或其他组织" in page


def test_laws_show_the_wording_in_force_and_announce_amendments(client, catalog):
    services.law_amend(
        acting_user=catalog.admin,
        law=catalog.food,
        kind=AmendmentKind.AMEND,
        label="2027年修正",
        effective_from=today() + days(30),
        changes=[ArticleChange(122, "修正后的第一百二十二条")],
    )
    listing = html(client, "/laws/")
    assert "《中华人民共和国食品安全法》" in listing and "2027年修正" in listing
    detail = html(client, f"/laws/{catalog.food.public_id}/")
    assert 'id="article-122"' in detail and "货值金额不足一万元的" in detail
    assert "修正后的第一百二十二条" not in detail
    repeal = services.law_amend(
        acting_user=catalog.admin,
        law=catalog.price,
        kind=AmendmentKind.REPEAL,
        label="废止",
        effective_from=today(),
    )
    assert repeal.pk
    assert "中华人民共和国价格法" not in html(client, "/laws/").split('data-testid="law-table"')[1]
    assert client.get(f"/laws/{catalog.price.public_id}/").status_code == 404
