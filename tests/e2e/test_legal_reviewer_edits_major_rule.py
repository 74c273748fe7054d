"""REV-1, PUB-2: the legal reviewer of 县市场监管局 (法规科, a legal department) edits a major-decision rule; the change
becomes a new version that goes through legal review and shows with its effective date, the old version staying in
force until then."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sunlight.catalog.models import MajorRule
from sunlight.core.models import LedgerEntry
from sunlight.org.models import User

from .conftest import field, login, nav

pytestmark = pytest.mark.e2e

OLD_TITLE = "对公民处以1万元以上罚款"
NEW_TITLE = "对公民处以2万元以上罚款"


def test_legal_reviewer_edits_a_major_rule_as_a_new_version(page, base_url):
    effective = timezone.localdate() + timedelta(days=40)
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.unit.name == "法规科" and reviewer.unit.is_legal_department

    login(page, base_url, "reviewer")
    nav(page).get_by_role("link", name="执法事项目录").click()
    expect(page.get_by_role("heading", name="临泉县市场监督管理局 执法事项目录")).to_be_visible()
    page.get_by_role("navigation", name="执法事项目录").get_by_role("link", name="重大执法决定").click()
    expect(page.get_by_role("heading", name="重大执法决定法制审核目录")).to_be_visible()
    page.get_by_test_id("entry-table").get_by_role("link", name=OLD_TITLE).click()
    expect(page.get_by_role("heading", name=f"MR-02 {OLD_TITLE}")).to_be_visible()
    expect(page.get_by_role("heading", name="现行版本（第1版）")).to_be_visible()

    # The edit is a draft of version 2; version 1 is untouched.
    page.get_by_role("link", name="修改", exact=True).click()
    expect(field(page, "标准")).to_have_value(OLD_TITLE)
    expect(field(page, "金额标准（元）")).to_have_value("10000")
    field(page, "标准").fill(NEW_TITLE)
    field(page, "金额标准（元）").fill("20000")
    field(page, "生效日期").fill(effective.isoformat())
    field(page, "修改说明").fill("根据本年度评估，提高对公民罚款的重大决定标准")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("status").filter(has_text="已保存为草稿（第2版），请提交法制审核。")).to_be_visible()
    pending = page.get_by_test_id("pending-version")
    expect(pending.get_by_role("heading", name="第2版（草稿）")).to_be_visible()
    expect(pending.get_by_test_id("rule-title")).to_have_text(NEW_TITLE)

    # Legal review: submitted, then approved and published.
    pending.get_by_role("button", name="提交法制审核").click()
    expect(page.get_by_role("status").filter(has_text="第2版已提交法制审核。")).to_be_visible()
    expect(page.get_by_test_id("pending-version").get_by_role("heading", name="第2版（法制审核中）")).to_be_visible()
    page.get_by_label("审核意见").fill("标准合理，同意发布")
    page.get_by_label("已完成保密审查（不含国家秘密、商业秘密、个人隐私）").check()
    page.get_by_role("button", name="审核通过并发布").click()
    expect(
        page.get_by_role("status").filter(has_text=f"第2版已审核通过并发布，自{effective.isoformat()}起施行。")
    ).to_be_visible()

    # The new version shows with its effective date; version 1 stays in force until then.
    expect(page.get_by_test_id("scheduled")).to_contain_text(f"第2版已发布，将于{effective.isoformat()}起施行。")
    expect(page.get_by_role("heading", name="现行版本（第1版）")).to_be_visible()
    versions = page.get_by_test_id("version-table")
    v2 = versions.locator("tr[data-version='2']")
    expect(v2).to_contain_text("已发布")
    expect(v2).to_contain_text("待生效")
    expect(v2).to_contain_text(effective.isoformat())
    expect(v2).to_contain_text("标准合理，同意发布")
    expect(versions.locator("tr[data-version='1']")).to_contain_text("现行")

    # The version's own page has its content; the list announces the change.
    v2.get_by_role("link", name="第2版").click()
    expect(page.get_by_test_id("rule-amount")).to_have_text("2万元以上")
    expect(page.get_by_test_id("effective-from")).to_have_text(effective.isoformat())
    page.get_by_role("navigation", name="执法事项目录").get_by_role("link", name="重大执法决定").click()
    row = page.get_by_test_id("entry-table").get_by_role("row").filter(has_text="MR-02")
    expect(row).to_contain_text(re.compile(rf"现行第1版\s*第2版{effective.isoformat()}生效"))

    rule = MajorRule.objects.get(agency=reviewer.agency, code="MR-02")
    v1, v2_row = rule.versions.order_by("number")
    assert (v1.status, v1.amount_fen, v1.title) == ("published", 1_000_000, OLD_TITLE)
    assert (v2_row.status, v2_row.amount_fen, v2_row.effective_from) == ("published", 2_000_000, effective)
    assert v2_row.created_by == reviewer and v2_row.reviewed_by == reviewer
    assert LedgerEntry.objects.filter(
        kind="catalog.version_published",
        stream=f"catalog:major_rule:{rule.public_id}",
        actor=f"user:{reviewer.public_id}",
    ).exists()


def test_catalog_pages_fit_a_phone(phone_page, base_url):
    login(phone_page, base_url, "officer")
    phone_page.goto(f"{base_url}/workbench/catalog/items/")
    phone_page.get_by_test_id("entry-table").get_by_role("link", name=re.compile("未取得食品经营许可")).click()
    expect(phone_page.locator(".flowchart-wrap svg").first).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
