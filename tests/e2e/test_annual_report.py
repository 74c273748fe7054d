"""PUB-10 in the browser: the agency head generates last year's report draft, reviews the figures, adds a summary and
publishes it; a member of the public finds it on the portal with its charts and downloads the PDF."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import field, login, logout, nav

pytestmark = pytest.mark.e2e

SUMMARY = "本年度我局依法全面公开行政执法信息，执法行为总体规范。"


def test_head_publishes_and_the_public_reads_and_downloads(page, base_url, tmp_path):
    year = timezone.localdate().year - 1

    login(page, base_url, "agencyhead")
    nav(page).get_by_role("link", name="年度统计报告").click()
    expect(page.get_by_role("heading", name="年度行政执法数据统计报告")).to_be_visible()
    expect(field(page, "报告年度")).to_have_value(str(year))
    page.get_by_role("button", name="生成草稿").click()
    expect(page.get_by_role("status").filter(has_text="已生成年度报告草稿")).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_have_text("待审核发布")
    expect(page.get_by_test_id("complaints")).to_have_text("暂无数据来源")
    field(page, "报告说明（可选，随报告公开）").fill(SUMMARY)
    page.get_by_role("button", name="审核通过并公开").click()
    expect(page.get_by_role("status").filter(has_text="年度报告已公开（第1版）")).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_have_text("已公开")
    logout(page)

    page.goto(f"{base_url}/annual-reports/")
    table = page.get_by_test_id("report-table")
    link = table.get_by_role("link", name=re.compile(f"{year}年度行政执法数据统计报告"))
    expect(link).to_have_count(1)
    agency_name = link.inner_text().split(str(year))[0]
    link.click()
    report = page.get_by_test_id("annual-report")
    expect(report.get_by_role("heading", level=1)).to_contain_text(agency_name)
    expect(report.get_by_test_id("summary")).to_have_text(SUMMARY)
    expect(page.get_by_role("img", name="各类行政执法行为数量")).to_be_visible()
    expect(page.get_by_test_id("chart")).to_have_count(5)
    expect(page.locator("body")).not_to_contain_text("刘建华")  # the head's name is not on the public page

    with page.expect_download() as info:
        page.get_by_role("link", name="下载PDF").click()
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    from pypdf import PdfReader

    text = "".join("".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert agency_name in text and SUMMARY in text
