"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server, on the demo county."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Sunlight@2026"
SHOTS = Path("/tmp/e2e-shots")  # noqa: S108  (screenshots for people to look at, never read back)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the whole session; skipped locally without it, a failure when CI requires it."""
    if not CHROMIUM.exists():
        message = "Chromium (/usr/bin/chromium) is not installed: apt-get install chromium"
        if os.environ.get("SUNLIGHT_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (SUNLIGHT_REQUIRE_BROWSER=1)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django refuse the (synchronous)
    # ORM calls of the tests and fixtures. Set here, not at import, so that tests running before the browser starts
    # keep Django's check.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db):
    """The demo county (accounts, agencies, deadlines), loaded afresh for each test."""
    from sunlight.org.demo import load_demo

    return load_demo()


@pytest.fixture
def base_url(live_server, demo) -> str:
    """The live server's address, with the demo county loaded."""
    return live_server.url


def _context(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A desktop page in a fresh browser context (no cookies shared between tests)."""
    context = _context(browser, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser) -> Iterator[object]:
    """A phone-sized touch page in a fresh browser context."""
    context = _context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def login(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form as a user would: labelled fields and the 登录 button."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    # The form always navigates: to the workbench (or the forced page) on success, back to itself on a refusal.
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def logout(page) -> None:
    """Log out with the 退出 button in the top bar."""
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def field(scope, label: str):
    """The form control labelled `label` (Django renders the label as 「label:」; the colon is optional here)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*[:：]?\s*$"))


def nav(page):
    """The workbench's module navigation."""
    return page.get_by_role("navigation", name="功能模块")
