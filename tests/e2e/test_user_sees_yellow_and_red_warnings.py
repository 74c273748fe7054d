"""Warnings (SYS-8): each officer sees their own yellow and red deadlines; the supervisor sees the roll-up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunlight.core.models import Deadline

from .conftest import login, nav

pytestmark = pytest.mark.e2e

RUNNING = ("open", "paused")
BADGE = {"yellow": "黄色预警", "red": "红色预警（已逾期）"}


def running(**filters) -> list[Deadline]:
    return list(Deadline.objects.filter(status__in=RUNNING, **filters).order_by("due_at"))


def own_warnings(username: str, level: str | None = None) -> list[Deadline]:
    levels = [level] if level else list(BADGE)
    return running(responsible__username=username, level__in=levels)


def assert_table_shows(page, deadlines: list[Deadline]) -> None:
    """The warning table lists exactly these deadlines, each with its colour badge."""
    table = page.get_by_test_id("warning-table")
    rows = table.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(len(deadlines))
    for row, deadline in zip(rows.all(), deadlines, strict=True):
        expect(row).to_contain_text(deadline.subject_label)
        expect(row.locator(".badge")).to_have_text(BADGE[deadline.level])


def test_officer_sees_own_yellow_and_red_warnings(page, base_url):
    yellow, red = own_warnings("officer", "yellow"), own_warnings("officer", "red")
    assert yellow and red, "the demo gives officer at least one yellow and one red warning"

    login(page, base_url, "officer")
    expect(page.get_by_test_id("yellow-count")).to_have_text(str(len(yellow)))
    expect(page.get_by_test_id("red-count")).to_have_text(str(len(red)))
    assert_table_shows(page, own_warnings("officer")[:5])

    nav(page).get_by_role("link", name="我的预警").click()
    expect(page.get_by_role("heading", name="我的预警")).to_be_visible()
    assert_table_shows(page, own_warnings("officer"))
    table = page.get_by_test_id("warning-table")
    expect(table.get_by_text(BADGE["yellow"], exact=True)).to_have_count(len(yellow))
    expect(table.get_by_text(BADGE["red"], exact=True)).to_have_count(len(red))

    filters = page.locator("main p.actions")
    filters.get_by_role("link", name=f"黄色（{len(yellow)}）").click()
    expect(page).to_have_url(re.compile(r"\?level=yellow$"))
    expect(filters.get_by_role("link", name=f"黄色（{len(yellow)}）")).to_have_attribute("aria-current", "true")
    assert_table_shows(page, yellow)

    filters.get_by_role("link", name=f"红色（{len(red)}）").click()
    expect(page).to_have_url(re.compile(r"\?level=red$"))
    assert_table_shows(page, red)

    filters.get_by_role("link", name="全部").click()
    expect(filters.get_by_role("link", name="全部")).to_have_attribute("aria-current", "true")
    assert_table_shows(page, own_warnings("officer"))

    # The count cards on the home page lead to the same filtered lists.
    nav(page).get_by_role("link", name="工作台").click()
    page.get_by_role("link", name=re.compile("红色预警（已逾期）")).click()
    expect(page).to_have_url(re.compile(r"/workbench/warnings/\?level=red$"))
    assert_table_shows(page, red)


def test_officer2_sees_only_their_own(page, base_url):
    mine = own_warnings("officer2")
    assert mine, "the demo gives officer2 at least one warning"
    others = list(Deadline.objects.exclude(responsible__username="officer2").values_list("subject_label", flat=True))
    assert others

    login(page, base_url, "officer2")
    expect(page.get_by_test_id("yellow-count")).to_have_text(str(len(own_warnings("officer2", "yellow"))))
    expect(page.get_by_test_id("red-count")).to_have_text(str(len(own_warnings("officer2", "red"))))
    nav(page).get_by_role("link", name="我的预警").click()
    assert_table_shows(page, mine)
    for label in others:
        expect(page.get_by_text(label)).to_have_count(0)


def test_supervisor_sees_the_rollup(page, base_url):
    login(page, base_url, "supervisor")
    nav(page).get_by_role("link", name="预警汇总").click()
    expect(page.get_by_role("heading", name="预警汇总（按层级和执法主体）")).to_be_visible()

    county = page.get_by_test_id("rollup-county")
    for name in ("临泉县市场监督管理局", "临泉县城市管理局"):
        expected_yellow = len(running(agency__name=name, level="yellow"))
        expected_red = len(running(agency__name=name, level="red"))
        assert expected_yellow + expected_red > 0, name
        row = county.get_by_role("row").filter(has=page.get_by_role("cell", name=name, exact=True))
        expect(row.get_by_role("cell")).to_have_text([name, str(expected_yellow), str(expected_red)])

    # The county heading's badges add up every county-level agency.
    total_yellow = len(running(agency__level="county", level="yellow"))
    total_red = len(running(agency__level="county", level="red"))
    heading = page.get_by_role("heading", name=re.compile("^县级"))
    expect(heading).to_contain_text(f"黄 {total_yellow}")
    expect(heading).to_contain_text(f"红 {total_red}")
