"""REV-2: a penalty whose fine meets the demo agency's major-decision threshold (10万元 for an organisation) is
refused at decision while no legal review has passed; the unit head sees the reason on the page, the typed fine stays
in its field and the case stays where it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sunlight.cases.models import CaseRecord

from .conftest import SHOTS, field, login, nav
from .seed import case_at_statement

pytestmark = pytest.mark.e2e


def test_major_fine_is_refused_at_decision_with_the_review_reason(page, base_url):
    case = case_at_statement()
    records = CaseRecord.objects.filter(case=case).count()

    login(page, base_url, "unithead")
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_role("link", name=case.number).click()
    expect(page.get_by_test_id("case-step")).to_have_text("陈述、申辩")
    page.get_by_test_id("next-steps").get_by_role("link", name="作出处罚决定").click()
    expect(page.get_by_role("heading", name="作出处罚决定")).to_be_visible()

    field(page, "违法事实").fill("当事人未取得食品经营许可，经营大型餐饮服务，货值金额8000元。")
    field(page, "处罚依据").fill("《中华人民共和国食品安全法》第一百二十二条第一款")
    page.get_by_label("罚款", exact=True).check()
    field(page, "罚款金额（元）").fill("100000")
    field(page, "货值金额（元）").fill("8000")
    field(page, "裁量基准").select_option(label="BM-SP-122 未取得食品经营许可从事食品经营活动")
    field(page, "情节档次").select_option(label="从重处罚")
    page.get_by_role("button", name="提交记录").click()

    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("本案属于重大执法决定（对法人或者其他组织处以10万元以上罚款）")
    expect(errors).to_contain_text("未经法制审核或审核未通过，不得作出决定（REV-2）")
    expect(field(page, "罚款金额（元）")).to_have_value("100000")
    expect(page.get_by_label("罚款", exact=True)).to_be_checked()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-major-refused.png"), full_page=True)

    # Nothing changed: the case is still at the statement, with the same records.
    case.refresh_from_db()
    assert case.step == "statement" and case.status == "open" and case.fine_fen is None
    assert CaseRecord.objects.filter(case=case).count() == records
    page.get_by_role("link", name="返回案件").click()
    expect(page.get_by_test_id("case-step")).to_have_text("陈述、申辩")
    expect(page.get_by_test_id("case-status")).to_have_text("办理中")
    expect(page.get_by_test_id("timeline").get_by_test_id("record")).to_have_count(records)
