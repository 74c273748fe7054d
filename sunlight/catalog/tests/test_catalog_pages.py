"""SYS-4, issue 4: the catalog workbench pages, in Chinese, read through selectors and write through the services;
bad input is shown on the page; others are refused with the Chinese 403 page."""

from __future__ import annotations

import io

import pytest

from sunlight.catalog.choices import CatalogKind
from sunlight.catalog.excel import export_workbook
from sunlight.catalog.models import Benchmark, EnforcementItem, Law, MajorRule
from sunlight.core.calendar import shift_months
from sunlight.core.models import LedgerEntry
from sunlight.org.tests.factories import AgencyFactory

from .factories import major_catalog, new_benchmark, new_item, today

pytestmark = pytest.mark.django_db
BASE = "/workbench/catalog"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_every_page_renders_for_an_officer(catalog, as_user):
    item = new_item(catalog).entry
    benchmark = new_benchmark(catalog, item=item).entry
    major_catalog(catalog)
    client = as_user(catalog.officer)
    home = client.get(f"{BASE}/").content.decode()
    assert "执法事项目录" in home and 'data-testid="count-item">1<' in home
    for url in (
        "/laws/",
        f"/laws/{catalog.food.public_id}/",
        "/items/",
        f"/items/{item.public_id}/",
        f"/items/{item.public_id}/guide/",
        "/benchmarks/",
        f"/benchmarks/{benchmark.public_id}/",
        "/major-rules/",
        "/inspections/",
        "/av-items/",
        "/flowcharts/",
        "/flowcharts/penalty.svg",
        "/transfer/",
        "/major-rules/check/",
    ):
        response = client.get(f"{BASE}{url}")
        assert response.status_code == 200, url
    detail = client.get(f"{BASE}/items/{item.public_id}/").content.decode()
    assert "<svg" in detail and "行政处罚（普通程序）流程图" in detail and "BM-122" in detail
    assert "第1版" in detail and "现行" in detail
    # An officer may read but not draft: no 新增 button, and the form is refused with the Chinese 403 page.
    assert "新增" not in client.get(f"{BASE}/items/").content.decode()
    refused = client.get(f"{BASE}/items/new/")
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()


def test_an_editor_adds_an_item_from_the_form_and_bad_input_is_shown(catalog, as_user):
    client = as_user(catalog.editor)
    form = {
        "code": "SC-CF-200",
        "action_type": "penalty",
        "field": "market",
        "name": "对违反明码标价规定的行政处罚",
        "articles": "《中华人民共和国价格法》第十三条、第九十九条",
        "handling_unit": catalog.field_unit.pk,
        "holding_units": [catalog.other_unit.pk],
        "posts": "执法岗、审核岗",
        "effective_from": today().isoformat(),
    }
    bad = client.post(f"{BASE}/items/new/", form)
    assert bad.status_code == 400 and "未找到《中华人民共和国价格法》第九十九条。" in bad.content.decode()
    assert not EnforcementItem.objects.filter(code="SC-CF-200").exists()
    form["articles"] = "《中华人民共和国价格法》第十三条、第四十二条"
    created = client.post(f"{BASE}/items/new/", form)
    item = EnforcementItem.objects.get(code="SC-CF-200")
    assert created.status_code == 302 and str(item.public_id) in created["Location"]
    version = item.versions.get()
    assert version.posts == ["执法岗", "审核岗"] and list(version.holding_units.all()) == [catalog.other_unit]
    client.post(f"{BASE}/items/versions/{version.public_id}/submit/")
    version.refresh_from_db()
    assert version.status == "in_review"


def test_a_reviewer_edits_a_major_rule_and_publishes_it(catalog, as_user):
    # Two months ahead: a version in force sooner than a month after publication needs a short-notice reason.
    effective = shift_months(today(), 2).isoformat()
    major_catalog(catalog)
    rule = MajorRule.objects.get(agency=catalog.agency, code="MR-02")
    client = as_user(catalog.reviewer)
    page = client.get(f"{BASE}/major-rules/{rule.public_id}/revise/").content.decode()
    assert 'value="对公民处以1万元以上罚款"' in page and 'value="10000"' in page
    form = {
        "title": "对公民处以2万元以上罚款",
        "criterion": "fine_at_least",
        "action_types": ["penalty"],
        "amount": "20000",
        "party": "individual",
        "basis_text": "《行政处罚法》第五十八条",
        "effective_from": effective,
        "change_note": "提高标准",
    }
    assert client.post(f"{BASE}/major-rules/{rule.public_id}/revise/", form).status_code == 302
    draft = rule.versions.get(number=2)
    assert draft.amount_fen == 2_000_000 and draft.status == "draft"
    client.post(f"{BASE}/major-rules/versions/{draft.public_id}/submit/")
    published = client.post(
        f"{BASE}/major-rules/versions/{draft.public_id}/publish/",
        {"note": "同意", "confidentiality_checked": "on"},
        follow=True,
    )
    text = published.content.decode()
    assert f"第2版已审核通过并发布，自{effective}起施行。" in text
    assert f"第2版已发布，将于{effective}起施行。" in text
    assert rule.versions.get(number=1).amount_fen == 1_000_000


def test_returning_needs_an_opinion_and_it_is_shown_on_the_draft(catalog, as_user):
    version = new_item(catalog, published=False)
    as_user(catalog.editor).post(f"{BASE}/items/versions/{version.public_id}/submit/")
    client = as_user(catalog.reviewer)
    page = client.post(f"{BASE}/items/versions/{version.public_id}/return/", {"note": ""}, follow=True).content.decode()
    assert "退回时请填写审核意见。" in page
    page = client.post(
        f"{BASE}/items/versions/{version.public_id}/return/", {"note": "请补充依据"}, follow=True
    ).content.decode()
    assert "第1版已退回修改。" in page and "请补充依据" in page


def test_a_benchmark_form_with_penalty_rows_and_the_check(catalog, as_user):
    client = as_user(catalog.editor)
    form = {
        "code": "BM-42",
        "violation": "违反明码标价规定",
        "articles": "《中华人民共和国价格法》第四十二条",
        "effective_from": today().isoformat(),
        "conditions_lighter": "初次违法",
        "conditions_ordinary": "一般情形",
        "penalty-TOTAL_FORMS": "3",
        "penalty-INITIAL_FORMS": "0",
        "penalty-0-circumstance": "lighter",
        "penalty-0-kind": "fine",
        "penalty-0-measure": "fixed",
        "penalty-0-low": "0",
        "penalty-0-high": "2000",
        "penalty-1-circumstance": "ordinary",
        "penalty-1-kind": "fine",
        "penalty-1-measure": "fixed",
        "penalty-1-low": "1500",
        "penalty-1-high": "3500",
    }
    bad = client.post(f"{BASE}/benchmarks/new/", form)
    assert bad.status_code == 400 and "重叠或顺序颠倒" in bad.content.decode()
    form["penalty-0-high"] = "1500"
    assert client.post(f"{BASE}/benchmarks/new/", form).status_code == 302
    benchmark = Benchmark.objects.get(code="BM-42")
    version = benchmark.versions.get()
    assert [lv.circumstance for lv in version.levels.all()] == ["lighter", "ordinary"]
    as_user(catalog.editor).post(f"{BASE}/benchmarks/versions/{version.public_id}/submit/")
    reviewer = as_user(catalog.reviewer)
    refused = reviewer.post(f"{BASE}/benchmarks/versions/{version.public_id}/publish/", follow=True).content.decode()
    assert "发布前须确认已完成保密审查" in refused
    reviewer.post(f"{BASE}/benchmarks/versions/{version.public_id}/publish/", {"confidentiality_checked": "on"})
    fragment = client.post(
        f"{BASE}/benchmarks/{benchmark.public_id}/check/",
        {"circumstance": "lighter", "kinds": ["fine"], "fine": "3000"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "超出裁量基准“从轻处罚”档范围，须在决定中说明理由。" in fragment and "<html" not in fragment


def test_the_major_check_page_lists_reasons(catalog, as_user):
    major_catalog(catalog)
    page = (
        as_user(catalog.officer)
        .post(f"{BASE}/major-rules/check/", {"action_type": "penalty", "party": "individual", "fine": "15000"})
        .content.decode()
    )
    assert "属于重大执法决定" in page and "拟罚款1.5万元，达到“对公民处以1万元以上罚款”的标准" in page


def test_a_law_is_pasted_and_amended_from_the_pages(catalog, as_user):
    client = as_user(catalog.reviewer)
    text = "第一条 为了规范广告活动，制定本法。\n第二条 在中华人民共和国境内，\n商品经营者或者服务提供者……适用本法。"
    response = client.post(
        f"{BASE}/laws/new/",
        {"title": "中华人民共和国广告法", "kind": "law", "effective_from": "2015-09-01", "articles": text},
    )
    law = Law.objects.get(title="中华人民共和国广告法")
    assert response.status_code == 302
    assert (
        law.articles.get(number=2).text_on(today()).text
        == "在中华人民共和国境内，\n商品经营者或者服务提供者……适用本法。"
    )
    new_item(catalog)
    client.post(
        f"{BASE}/laws/{catalog.food.public_id}/amend/",
        {
            "kind": "amend",
            "label": "2026年修正",
            "effective_from": today().isoformat(),
            "changes": "第一百二十二条 新条文\n第三十五条 删除",
        },
    )
    assert catalog.article(catalog.food, 35).text_on(today()).repealed
    home = client.get(f"{BASE}/").content.decode()
    assert "法律法规修改后待更新的事项" in home and "SC-CF-001" in home
    assert as_user(catalog.editor).get(f"{BASE}/laws/new/").status_code == 403


def test_the_import_page_lists_row_errors_and_the_export_downloads(catalog, as_user):
    new_item(catalog)
    client = as_user(catalog.editor)
    download = client.get(f"{BASE}/transfer/item.xlsx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download["Content-Disposition"]
    before = LedgerEntry.objects.count()
    page = client.post(f"{BASE}/transfer/", {"book": "item", "file": io.BytesIO(b"garbage")})
    assert page.status_code == 400 and "文件有错误，未导入任何内容" in page.content.decode()
    assert LedgerEntry.objects.count() == before
    upload = io.BytesIO(export_workbook(book=CatalogKind.ITEM, agency=catalog.agency))
    upload.name = "items.xlsx"
    done = client.post(f"{BASE}/transfer/", {"book": "item", "file": upload}, follow=True).content.decode()
    assert "导入完成：新增 0 条，生成新版本草稿 0 条，未变化 1 条。" in done


def test_a_county_user_switches_between_agencies(catalog, county, as_user):
    second = AgencyFactory(name="临泉县城市管理局", region=county.county)
    client = as_user(county.supervisor)
    page = client.get(f"{BASE}/").content.decode()
    assert 'id="agency-select"' in page and "临泉县城市管理局" in page
    assert "临泉县城市管理局 执法事项目录" in client.get(f"{BASE}/?agency={second.public_id}").content.decode()
    other = county.other_unit.agency
    assert client.get(f"{BASE}/?agency={other.public_id}").status_code == 404  # another county: outside the scope
    assert client.get(f"{BASE}/?agency={catalog.agency.public_id}").status_code == 200
