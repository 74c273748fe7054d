"""An idle session ends (SYS-6): the next click lands on the login page with the expiry message; activity keeps it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from sunlight.core.models import LedgerEntry

from .conftest import login, nav

pytestmark = pytest.mark.e2e

IDLE_SECONDS = 2
# Application bug (reported): sunlight/accounts/middleware.py line 58 refreshes the last-seen time only every
# TOUCH_INTERVAL_SECONDS (5, line 20), whatever the idle limit; with a limit under 5 s the session ends IDLE_SECONDS
# after the first request however busy the user is.
EXPIRED = "由于长时间未操作，您已自动退出，请重新登录。"


@pytest.fixture
def short_idle(settings):
    """A two-second idle limit; the middleware reads it from django.conf.settings on every request."""
    settings.SUNLIGHT_SESSION_IDLE_SECONDS = IDLE_SECONDS
    return IDLE_SECONDS


def test_idle_session_is_logged_out(page, base_url, short_idle):
    login(page, base_url, "officer")
    expect(page).to_have_url(f"{base_url}/workbench/")

    time.sleep(short_idle + 1)  # idle: no request at all
    nav(page).get_by_role("link", name="我的预警").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?expired=1$"))
    expect(page.get_by_text(EXPIRED)).to_be_visible()
    expect(page.get_by_label("用户名")).to_be_visible()
    assert LedgerEntry.objects.filter(kind="auth.session_expired").count() == 1

    # The session is gone, not just hidden: the workbench asks for a login again.
    page.goto(f"{base_url}/workbench/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/workbench/$"))
    expect(page.get_by_role("navigation", name="功能模块")).to_have_count(0)


def test_activity_keeps_the_session_alive(page, base_url, short_idle):
    login(page, base_url, "officer")
    expect(page).to_have_url(f"{base_url}/workbench/")

    started = time.monotonic()
    # A click every second for twice the idle limit: the gaps stay under the limit, the whole span exceeds it.
    for label in ["我的预警", "工作日历", "组织机构", "工作台"]:
        time.sleep(1)
        nav(page).get_by_role("link", name=label, exact=True).click()
        expect(nav(page).get_by_role("link", name=label, exact=True)).to_have_attribute("aria-current", "page")
    assert time.monotonic() - started >= 2 * short_idle

    expect(page).to_have_url(f"{base_url}/workbench/")
    assert LedgerEntry.objects.filter(kind="auth.session_expired").count() == 0
