"""A new account must change its initial password before anything else (SYS-6)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunlight.core.models import LedgerEntry
from sunlight.org.models import User

from .conftest import field, login, logout, nav

pytestmark = pytest.mark.e2e

USERNAME = "zhangwei"
INITIAL = "Chushi#2026a"
GOOD_NEW = "Xin-Mima2026!"
BANNER = "首次登录或密码被重置后，须先修改初始密码才能继续使用。"


def fill_new_user(page, password: str) -> None:
    field(page, "用户名").fill(USERNAME)
    field(page, "初始密码").fill(password)
    field(page, "姓名").fill("张伟")
    field(page, "执法主体").select_option(label="临泉县市场监督管理局")
    field(page, "承办机构").select_option(label="县市场监管局·综合行政执法大队")
    page.get_by_role("group", name="角色").get_by_role("checkbox", name="执法人员", exact=True).check()
    page.get_by_role("button", name="保存").click()


def change_password(page, old: str, new: str, again: str | None = None) -> None:
    field(page, "原密码").fill(old)
    field(page, "新密码").fill(new)
    field(page, "再次输入新密码").fill(new if again is None else again)
    page.get_by_role("button", name="保存新密码").click()


def test_admin_creates_user_who_must_change_password(page, base_url):
    login(page, base_url, "admin")
    # 用户管理 → 新增用户, as an administrator clicks it.
    nav(page).get_by_role("link", name="用户管理").click()
    page.get_by_role("link", name="新增用户").click()
    expect(page.get_by_role("heading", name="新增用户")).to_be_visible()

    # A weak initial password is refused in Chinese and nothing is created.
    fill_new_user(page, "abcdefgh")
    expect(page.get_by_role("heading", name="新增用户")).to_be_visible()
    expect(
        page.get_by_role("alert").filter(has_text="密码须包含大写字母、小写字母、数字、特殊符号中的至少3类。")
    ).to_be_visible()
    assert not User.objects.filter(username=USERNAME).exists()

    fill_new_user(page, INITIAL)
    expect(page.get_by_role("status").filter(has_text="用户已创建，首次登录时须修改初始密码。")).to_be_visible()
    expect(page.get_by_role("heading", name=f"用户：张伟（{USERNAME}）")).to_be_visible()
    created = User.objects.get(username=USERNAME)
    assert created.must_change_password
    assert created.agency.name == "临泉县市场监督管理局"
    assert created.role_codes == {"officer"}
    logout(page)

    # First login: straight to 修改密码, with the banner; every other address leads back there.
    login(page, base_url, USERNAME, INITIAL)
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    for url in ("/workbench/", "/workbench/warnings/", "/workbench/org/agencies/", "/workbench/calendar/"):
        page.goto(f"{base_url}{url}")
        expect(page).to_have_url(re.compile(r"/accounts/password/$"))
        expect(page.get_by_text(BANNER)).to_be_visible()

    # The initial password again, a weak one, and a mismatch are each refused in Chinese.
    change_password(page, INITIAL, INITIAL)
    expect(page.get_by_role("alert").filter(has_text="不能使用最近5次用过的密码。")).to_be_visible()
    change_password(page, INITIAL, "password")
    expect(
        page.get_by_role("alert").filter(has_text="密码须包含大写字母、小写字母、数字、特殊符号中的至少3类。")
    ).to_be_visible()
    change_password(page, INITIAL, GOOD_NEW, again=GOOD_NEW + "x")
    expect(page.get_by_role("alert").filter(has_text="两次输入的新密码不一致。")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    assert User.objects.get(username=USERNAME).must_change_password

    # A good one opens the workbench.
    change_password(page, INITIAL, GOOD_NEW)
    expect(page).to_have_url(f"{base_url}/workbench/")
    expect(page.get_by_role("status").filter(has_text="密码已修改。")).to_be_visible()
    expect(page.get_by_test_id("who")).to_contain_text("张伟")
    nav(page).get_by_role("link", name="我的预警").click()
    expect(page.get_by_role("heading", name="我的预警")).to_be_visible()
    assert not User.objects.get(username=USERNAME).must_change_password
    assert LedgerEntry.objects.filter(kind="auth.password_changed", payload__user=str(created.public_id)).exists()

    # And the new password is the one that works from now on.
    logout(page)
    login(page, base_url, USERNAME, GOOD_NEW)
    expect(page).to_have_url(f"{base_url}/workbench/")
