"""REC-1, REV-4's rule for licences (一次性告知): an officer registers a food-business licence application for the unit
that holds the item, tells the applicant everything missing in one notice, records the supplement and the acceptance
(the 20-working-day clock starts), and the unit head decides."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sunlight.cases.models import Case
from sunlight.core.models import Deadline

from .conftest import SHOTS, field, login, logout, nav

pytestmark = pytest.mark.e2e


def record_step(page, name: str, fields: dict[str, str] | None = None) -> None:
    """Open a next step from the case page, fill it and submit; back on the case page afterwards."""
    page.get_by_test_id("next-steps").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    for label, value in (fields or {}).items():
        field(page, label).fill(value)
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_text(f"“{name}”已记录。")).to_be_visible()


def next_step_names(page) -> list[str]:
    return page.get_by_test_id("next-steps").get_by_role("link").all_inner_texts()


def test_licence_application_gets_one_notice_of_everything_missing(page, base_url):
    login(page, base_url, "officer")
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_role("link", name="立案登记").click()
    field(page, "办理程序").select_option(label="行政许可")
    # The licence is held by the food-safety section: choosing it brings its items into the list (HTMX).
    field(page, "承办机构").select_option(label="食品安全监管股")
    item = field(page, "执法事项")
    expect(item.locator("option", has_text="食品经营许可（行政许可）")).to_have_count(1)
    item.select_option(label="食品经营许可（行政许可）")
    field(page, "案由").fill("申请食品经营许可（餐饮服务）")
    field(page, "案件来源").select_option(label="当事人申请")
    field(page, "当事人").fill("临泉县家常菜馆有限公司")
    page.get_by_label("陈国强（unithead）").check()
    page.get_by_role("button", name="登记案件").click()
    expect(page.get_by_text("案件已登记")).to_be_visible()
    case = Case.objects.get(title="申请食品经营许可（餐饮服务）")
    assert case.workflow == "licence" and case.unit.name == "食品安全监管股" and case.item.code == "SC-XK-001"
    expect(page.get_by_test_id("case-step")).to_have_text("案件线索")

    record_step(page, "申请", {"申请材料": "食品经营许可申请书；营业执照复印件"})
    expect(page.get_by_test_id("deadline-licence.missing_materials")).to_contain_text("正常")
    assert next_step_names(page)[:3] == ["受理", "一次性告知补正材料", "不予受理"]

    missing = "1. 与经营食品相适应的设备设施布局图；2. 食品安全管理制度文本；3. 从业人员健康证明。"
    record_step(page, "一次性告知补正材料", {"需要补正的全部内容": missing})
    expect(page.get_by_test_id("deadline-licence.missing_materials")).to_contain_text("已按期完成")
    # After the one notice only the supplement may follow: no second notice, no acceptance yet.
    names = next_step_names(page)
    assert "申请人补正材料" in names and "一次性告知补正材料" not in names and "受理" not in names

    record_step(page, "申请人补正材料", {"补正材料": "设备设施布局图、食品安全管理制度、健康证明3份"})
    names = next_step_names(page)
    assert "受理" in names and "不予受理" in names and "一次性告知补正材料" not in names

    record_step(page, "受理")
    decision_clock = page.get_by_test_id("deadline-licence.decision")
    expect(decision_clock).to_contain_text("20")
    expect(decision_clock.get_by_test_id("deadline-level")).to_have_text("正常")
    record_step(page, "审查", {"审查意见": "材料齐全，符合法定形式，建议准予许可。"})
    expect(page.get_by_test_id("case-status")).to_have_text("办理中")

    # The decision needs a head.
    logout(page)
    login(page, base_url, "unithead")
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_role("link", name=case.number).click()
    page.get_by_test_id("next-steps").get_by_role("link", name="作出许可决定").click()
    field(page, "是否准予许可").select_option(label="是")
    field(page, "依据").fill("《中华人民共和国食品安全法》第三十五条")
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已决定")
    expect(page.get_by_test_id("deadline-licence.decision")).to_contain_text("已按期完成")
    expect(page.get_by_test_id("deadline-licence.issue")).to_contain_text("正常")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("record")).to_have_count(6)
    expect(timeline.locator("[data-step=missing_materials_notice]")).to_have_count(1)
    expect(timeline.locator("[data-step=missing_materials_notice]")).to_contain_text("食品安全管理制度文本")
    expect(timeline.locator("[data-step=decision]")).to_contain_text("是否准予许可")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-licence-decided.png"), full_page=True)
    assert Deadline.objects.filter(subject_id=str(case.public_id), rule__code="licence.issue", status="open").exists()
