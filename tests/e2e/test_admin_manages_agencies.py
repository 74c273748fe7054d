"""The administrator registers an enforcement body with its credit code and a unit; the public portal lists it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sunlight.core.ids import uscc_check_char
from sunlight.org.models import Agency

from .conftest import field, login, nav

pytestmark = pytest.mark.e2e

NAME = "临泉县水利局"
BODY = "11341221MB1234567"  # 17 characters: 机关 + county code + organisation code
GOOD_CODE = BODY + uscc_check_char(BODY)
BAD_CODE = BODY + ("0" if uscc_check_char(BODY) != "0" else "1")  # right shape, wrong check character
UNIT = "水政监察大队"


def fill_agency(page, credit_code: str) -> None:
    field(page, "名称").fill(NAME)
    field(page, "简称").fill("县水利局")
    field(page, "统一社会信用代码").fill(credit_code)
    field(page, "主体类别").select_option(label="行政机关")
    field(page, "层级").select_option(label="县级")
    field(page, "所在区划").select_option(label="341221 临泉县")
    field(page, "执法监督机关").select_option(label="临泉县司法局")
    field(page, "办公地址").fill("临泉县城关街道水利路8号")
    page.get_by_role("button", name="保存").click()


def test_admin_adds_agency_and_unit(browser, page, base_url):
    before = Agency.objects.count()
    login(page, base_url, "admin")
    nav(page).get_by_role("link", name="组织机构").click()
    page.get_by_role("link", name="新增执法主体").click()
    expect(page.get_by_role("heading", name="新增执法主体")).to_be_visible()

    # A code with a wrong check character is refused in Chinese, and nothing is created.
    fill_agency(page, BAD_CODE)
    expect(page.get_by_role("heading", name="新增执法主体")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="统一社会信用代码格式或校验位不正确。")).to_be_visible()
    expect(field(page, "统一社会信用代码")).to_have_value(BAD_CODE)
    assert Agency.objects.count() == before
    assert not Agency.objects.filter(name=NAME).exists()

    # With the right check character the agency is saved and its page shows the code.
    fill_agency(page, GOOD_CODE)
    expect(page).to_have_url(re.compile(r"/workbench/org/agencies/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("status").filter(has_text="执法主体已保存。")).to_be_visible()
    expect(page.get_by_role("heading", name=NAME, exact=True)).to_be_visible()
    props = page.locator("dl.props")
    expect(props).to_contain_text(GOOD_CODE)
    expect(props).to_contain_text("临泉县司法局")
    assert Agency.objects.count() == before + 1
    assert Agency.objects.get(name=NAME).credit_code == GOOD_CODE

    # A unit (承办机构) is added from the agency's page.
    page.get_by_role("link", name="新增承办机构").click()
    expect(page.get_by_role("heading", name="新增承办机构")).to_be_visible()
    expect(page.get_by_text(NAME)).to_be_visible()
    field(page, "机构名称").fill(UNIT)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").filter(has_text="承办机构已保存。")).to_be_visible()
    expect(page.get_by_role("heading", name=NAME, exact=True)).to_be_visible()
    expect(page.get_by_role("table").get_by_role("cell", name=UNIT)).to_be_visible()

    # The workbench list has it too.
    nav(page).get_by_role("link", name="组织机构").click()
    expect(page.get_by_test_id("agency-table").get_by_role("link", name=NAME)).to_be_visible()

    # The public portal, in a fresh anonymous visit, lists the new agency among the 执法主体 with its unit.
    portal = browser.new_context()
    try:
        visitor = portal.new_page()
        visitor.goto(f"{base_url}/")
        expect(visitor.get_by_text(f"共 {before + 1} 个行政执法主体。")).to_be_visible()
        visitor.get_by_role("navigation", name="网站导航").get_by_role("link", name="执法主体").click()
        visitor.get_by_role("table").get_by_role("link", name=NAME).click()
        expect(visitor.get_by_role("heading", name=NAME)).to_be_visible()
        expect(visitor.locator("dl.props")).to_contain_text(GOOD_CODE)
        expect(visitor.get_by_role("listitem").filter(has_text=UNIT)).to_be_visible()
    finally:
        portal.close()
