"""Five wrong passwords lock an account (SYS-6): even the right password is refused until unlocked or expired."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from sunlight.core.models import LedgerEntry
from sunlight.org.models import User

from .conftest import DEMO_PASSWORD, field, login, logout, nav

pytestmark = pytest.mark.e2e

WRONG = "Wrong@2026x"
BAD_CREDENTIALS = "用户名或密码错误。"
LOCKED = "账户已锁定"
# Application bug (reported): workbench/templates/workbench/user_list.html line 12 passes u.agency.name and
# u.region.name as `default` filter ARGUMENTS; Django raises VariableDoesNotExist when agency or region is None
# (every list: admin has neither), so /workbench/users/ answers 500.


def lock_out(page, base_url: str, username: str) -> None:
    """Four refusals with the generic message, then the fifth locks the account; the right password is refused."""
    assert settings.SUNLIGHT_LOCKOUT_FAILURES == 5
    for _attempt in range(4):
        login(page, base_url, username, WRONG)
        expect(page.get_by_role("alert")).to_have_text(BAD_CREDENTIALS)
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login(page, base_url, username, WRONG)
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)

    login(page, base_url, username, DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("navigation", name="功能模块")).to_have_count(0)

    user = User.objects.get(username=username)
    assert user.is_locked()
    locked = LedgerEntry.objects.filter(kind="auth.locked", actor=f"user:{user.public_id}")
    assert locked.count() == 1
    assert locked.get().payload["username"] == username


def test_admin_unlocks_a_locked_account(page, base_url):
    lock_out(page, base_url, "officer")

    # The administrator opens the account in 用户管理 (by its address: the list page is broken, see below),
    # sees the lock and lifts it.
    officer = User.objects.get(username="officer")
    login(page, base_url, "admin")
    page.goto(f"{base_url}/workbench/users/{officer.public_id}/")
    expect(page.get_by_role("heading", name="用户：王立新（officer）")).to_be_visible()
    expect(page.get_by_text("该账户因连续登录失败已锁定至")).to_be_visible()
    page.get_by_role("button", name="立即解锁").click()
    expect(page.get_by_role("status").filter(has_text="账户已解锁。")).to_be_visible()
    expect(page.get_by_role("button", name="立即解锁")).to_have_count(0)
    logout(page)

    login(page, base_url, "officer", DEMO_PASSWORD)
    expect(page).to_have_url(f"{base_url}/workbench/")
    expect(page.get_by_test_id("who")).to_contain_text("王立新")
    assert LedgerEntry.objects.filter(kind="org.user_unlocked", payload__user=str(officer.public_id)).exists()


def test_user_list_shows_the_locked_account(page, base_url):
    lock_out(page, base_url, "officer")
    login(page, base_url, "admin")
    nav(page).get_by_role("link", name="用户管理").click()
    expect(page.get_by_role("heading", name="用户管理")).to_be_visible(timeout=3_000)
    field(page, "姓名或用户名").fill("officer")
    page.get_by_role("button", name="查询").click()
    row = (
        page.get_by_test_id("user-table")
        .get_by_role("row")
        .filter(has=page.get_by_role("link", name="officer", exact=True))
    )
    expect(row.get_by_role("cell").last).to_have_text("锁定")
    row.get_by_role("link", name="officer", exact=True).click()
    expect(page.get_by_role("button", name="立即解锁")).to_be_visible()


def test_lock_runs_out_after_its_time(page, base_url):
    lock_out(page, base_url, "officer2")

    # Fifteen minutes later (moved in the database rather than waited for) the right password works again.
    User.objects.filter(username="officer2").update(locked_until=timezone.now() - timedelta(seconds=1))
    login(page, base_url, "officer2", DEMO_PASSWORD)
    expect(page).to_have_url(f"{base_url}/workbench/")
    expect(page.get_by_test_id("who")).to_contain_text("黄志远")
