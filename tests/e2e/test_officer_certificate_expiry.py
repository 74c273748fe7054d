"""PER-1: the administrator registers an officer, issues a certificate once the exam is passed, and after the
certificate expires (the periodic tick records it) the officer is refused as an acting officer, with the reason."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.models import LedgerEntry
from sunlight.org import services as org_services
from sunlight.org.choices import Role
from sunlight.org.models import Agency, User
from sunlight.registry.models import Certificate, Officer
from sunlight.registry.services import registry_tick

from .conftest import field, login, nav

pytestmark = pytest.mark.e2e

NUMBER = "341221019901"


def new_officer_account() -> User:
    """A newly hired officer's account, opened by the administrator (user management is not this test's subject)."""
    admin = User.objects.get(username="admin")
    agency = Agency.objects.get(name="临泉县市场监督管理局")
    return org_services.user_create(
        acting_user=admin,
        username="handong",
        password=None,
        roles=[Role.OFFICER],
        data={"full_name": "韩冬", "agency": agency, "unit": agency.units.order_by("id").first()},
    )


def check_on(page, day: str) -> None:
    """Ask the 「执法资格核验」 box about market supervision in 临泉县 on a day."""
    box = page.get_by_role("region", name="执法资格核验")
    field(box, "执法类别").select_option(label="市场监管")
    field(box, "执法区域代码").fill("341221")
    field(box, "核验日期").fill(day)
    box.get_by_role("button", name="核验").click()


def test_expired_certificate_cannot_act(page, base_url):
    new_officer_account()
    today = timezone.localdate()
    expires = today + timedelta(days=10)
    login(page, base_url, "admin")

    # Register the officer: the exam is not recorded yet.
    nav(page).get_by_role("link", name="执法人员").click()
    expect(page.get_by_role("heading", name="执法人员", exact=True)).to_be_visible()
    page.get_by_role("link", name="登记执法人员").click()
    field(page, "人员").select_option(label="韩冬（handong，县市场监管局）")
    field(page, "承办机构").select_option(label="县市场监管局·综合行政执法大队")
    field(page, "岗位/职务").fill("执法队员")
    field(page, "编制类别").select_option(label="行政编制")
    field(page, "编制证明").fill("临编办〔2026〕5号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="执法人员已登记。")).to_be_visible()
    expect(page.get_by_role("heading", name="执法人员：韩冬")).to_be_visible()
    officer = Officer.objects.get(user__username="handong")
    expect(page).to_have_url(re.compile(rf"/personnel/officers/{officer.public_id}/$"))

    # Without a passed exam the certificate is refused in Chinese, and nothing is issued.
    page.get_by_role("link", name="发放执法证").click()
    field(page, "证件编号").fill(NUMBER)
    page.get_by_label("市场监管", exact=True).check()
    field(page, "有效期至").fill(expires.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="该人员尚未通过执法资格考试，不能发证。")).to_be_visible()
    assert not Certificate.objects.filter(number=NUMBER).exists()

    # Record the passed exam, then issue the certificate.
    page.goto(f"{base_url}/workbench/registry/personnel/officers/{officer.public_id}/")
    page.get_by_role("link", name="修改信息").click()
    field(page, "考试成绩").fill("88.5")
    field(page, "考试日期").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("执法资格考试合格").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="执法人员信息已保存。")).to_be_visible()
    page.get_by_role("link", name="发放执法证").click()
    field(page, "证件编号").fill(NUMBER)
    page.get_by_label("市场监管", exact=True).check()
    expect(field(page, "执法区域")).to_have_value("341221")
    field(page, "有效期至").fill(expires.isoformat())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text=f"行政执法证 {NUMBER} 已发放。")).to_be_visible()

    card = page.get_by_test_id(f"certificate-{NUMBER}")
    expect(card.get_by_test_id("certificate-status")).to_have_text("有效")
    expect(card).to_contain_text("即将到期")
    verdict = page.get_by_test_id("eligibility")
    expect(verdict).to_contain_text("可以执法")
    expect(verdict).to_contain_text(f"依据执法证 {NUMBER}")

    # The periodic tick runs after the expiry date and records the expiry once (a second run changes nothing).
    later = datetime.combine(expires + timedelta(days=1), time(1), tzinfo=LOCAL_TZ)
    assert registry_tick(now=later)["certificates_expired"] >= 1
    entries = LedgerEntry.objects.count()
    assert registry_tick(now=later)["certificates_expired"] == 0
    assert LedgerEntry.objects.count() == entries

    page.reload()
    card = page.get_by_test_id(f"certificate-{NUMBER}")
    expect(card.get_by_test_id("certificate-status")).to_have_text("已过期")
    history = card.get_by_test_id("certificate-history")
    expect(history.get_by_role("row").filter(has_text="有效 → 已过期")).to_contain_text("有效期届满")

    # Asked about a day after the expiry, the check refuses him as an acting officer and says why.
    day_after = (expires + timedelta(days=1)).isoformat()
    check_on(page, day_after)
    verdict = page.get_by_test_id("eligibility")
    expect(verdict).to_contain_text("不得执法")
    expect(verdict).to_contain_text(f"执法证 {NUMBER} 的有效期至 {expires.isoformat()}，{day_after} 已过期。")
    expect(verdict).not_to_contain_text("可以执法")

    # On the last day of validity he could still act.
    check_on(page, expires.isoformat())
    expect(page.get_by_test_id("eligibility")).to_contain_text("可以执法")
