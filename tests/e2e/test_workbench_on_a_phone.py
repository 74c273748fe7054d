"""Field officers use the workbench on a phone (SYS-4): no sideways scrolling, tappable controls, stacked tables,
and the keyboard reaches the skip link first."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from .conftest import SHOTS, login, nav

pytestmark = pytest.mark.e2e


def officer_modules() -> list[str]:
    """The navigation an officer gets, from MODULES and the officer role's capabilities (not hard-coded)."""
    from sunlight.org.choices import ROLE_CAPABILITIES, Role
    from sunlight.workbench.context import MODULES

    capabilities = ROLE_CAPABILITIES[Role.OFFICER]
    return [str(label) for _name, label, capability in MODULES if capability is None or capability in capabilities]


MIN_TARGET = 44  # px, for buttons
MIN_LINK = 24  # px, WCAG 2.2 target size (minimum) for links


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def assert_no_sideways_scrolling(page) -> None:
    scroll_width, inner_width = overflow(page)
    assert scroll_width <= inner_width + 1, f"{page.url}: {scroll_width}px wide in a {inner_width}px viewport"


def test_officer_workbench_fits_a_phone(phone_page, base_url):
    page = phone_page
    login(page, base_url, "officer")
    expect(page).to_have_url(f"{base_url}/workbench/")
    expect(page.get_by_test_id("red-count")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "officer-home-phone.png"), full_page=True)
    assert_no_sideways_scrolling(page)

    # Every module link is on screen, big enough to tap, and opens its page without sideways scrolling.
    links = nav(page).get_by_role("link")
    labels = links.all_inner_texts()
    assert labels == officer_modules()
    width = page.viewport_size["width"]
    for label in labels:
        link = nav(page).get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
        assert box["height"] >= MIN_LINK, (label, box)
        link.tap()
        expect(nav(page).get_by_role("link", name=label, exact=True)).to_have_attribute("aria-current", "page")
        assert_no_sideways_scrolling(page)


def test_warning_table_is_stacked_on_a_phone(phone_page, base_url):
    page = phone_page
    login(page, base_url, "officer")
    nav(page).get_by_role("link", name="我的预警").tap()
    table = page.get_by_test_id("warning-table")
    expect(table.locator("thead")).to_be_hidden(timeout=2_000)
    assert_no_sideways_scrolling(page)
    width = page.viewport_size["width"]
    rows = table.locator("tbody").get_by_role("row")
    assert rows.count() >= 2
    for row in rows.all():
        cells = row.get_by_role("cell")
        boxes = [cell.bounding_box() for cell in cells.all()]
        # Stacked: each cell is a full-width line of its own, below the previous one, labelled by its column.
        for above, below in itertools.pairwise(boxes):
            assert below["y"] >= above["y"] + above["height"] - 1, boxes
        for box in boxes:
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        labels = [cell.evaluate("c => getComputedStyle(c, '::before').content") for cell in cells.all()]
        assert labels == ['"预警"', '"事项"', '"对象"', '"起算"', '"届满"', '"依据"']
    expect(rows.first).to_contain_text("【演示】")


def button_heights(page, scope: str) -> list[tuple[str, str, int]]:
    """(module, button text, height) of every visible button or button-styled link in `scope` on each module page."""
    heights = []
    for label in officer_modules():
        nav(page).get_by_role("link", name=label, exact=True).tap()
        expect(nav(page).get_by_role("link", name=label, exact=True)).to_have_attribute("aria-current", "page")
        for button in page.locator(f"{scope} :is(button, a.btn, input[type=submit]):visible").all():
            box = button.bounding_box()
            assert box is not None
            heights.append((label, button.inner_text(), round(box["height"])))
    return heights


def test_buttons_in_the_pages_are_big_enough_to_tap(phone_page, base_url):
    login(phone_page, base_url, "officer")
    heights = button_heights(phone_page, "main")
    assert any(text == "查询" for _module, text, _h in heights), heights  # the agency search, at least
    assert [b for b in heights if b[2] < MIN_TARGET] == []


def test_top_bar_buttons_are_big_enough_to_tap(phone_page, base_url):
    login(phone_page, base_url, "officer")
    heights = button_heights(phone_page, "header")
    assert any(text == "退出" for _module, text, _h in heights), heights
    assert [b for b in heights if b[2] < MIN_TARGET] == []


def test_keyboard_reaches_the_skip_link_first(page, base_url):
    login(page, base_url, "officer")
    expect(page).to_have_url(f"{base_url}/workbench/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "officer-home-desktop.png"), full_page=True)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/workbench/#main$"))
    expect(page.locator("main#main")).to_be_focused()

    # From the top, the module links come after the top bar's own controls, in reading order.
    page.goto(f"{base_url}/workbench/")
    order = []
    modules = officer_modules()
    for _ in range(len(modules) + 6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert order[0] == "跳到主要内容"
    positions = [order.index(label) for label in modules]
    assert positions == sorted(positions)  # the module links come in reading order
