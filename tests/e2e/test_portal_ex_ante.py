"""A member of the public, without an account, checks an officer's certificate by its number, opens an enforcement
item's service guide with its flowchart and reads the remedies — on a desktop and on a phone (PUB-1). The pages fit
the phone without sideways scrolling and the keyboard reaches the skip link first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import SHOTS

pytestmark = pytest.mark.e2e

ITEM = "食品经营许可"
MIN_LINK = 24  # px, WCAG 2.2 target size (minimum) for links


def valid_certificate():
    """A demo certificate valid today (its holder is a current officer of the market supervision bureau)."""
    from sunlight.portal.selectors import officers_on_duty, today
    from sunlight.registry.models import Certificate

    certificate = officers_on_duty(day=today()).filter(officer__user__username="scjg01").first()
    assert isinstance(certificate, Certificate)
    return certificate


def suspended_certificate():
    from sunlight.registry.models import Certificate

    return Certificate.objects.get(officer__user__username="cgj05")


def assert_fits(page) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width + 1, f"{page.url}: {scroll_width}px wide in a {inner_width}px viewport"


def site_nav(page):
    return page.get_by_role("navigation", name="网站导航")


def walk_through(page, base_url: str, *, phone: bool) -> None:
    certificate = valid_certificate()
    name = certificate.officer.user.full_name
    page.goto(f"{base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    # The keyboard reaches the skip link first, and it leads to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()

    # 1. Check an officer's certificate by its number.
    site_nav(page).get_by_role("link", name="执法人员").click()
    expect(page.get_by_role("heading", name="执法人员查询")).to_be_visible()
    page.get_by_label("姓名或执法证号").fill(certificate.number)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("查到 1 名持有效执法证的执法人员。")).to_be_visible()
    table = page.get_by_test_id("officer-table")
    expect(table).to_contain_text(name)
    expect(table).to_contain_text(certificate.number)
    expect(table).to_contain_text("临泉县市场监督管理局")
    expect(table).to_contain_text("市场监管")
    if phone:
        assert_fits(page)
        page.screenshot(path=str(SHOTS / "portal-officer-phone.png"), full_page=True)

    # A suspended certificate is not found, and the page says what to do.
    page.get_by_label("姓名或执法证号").fill(suspended_certificate().number)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("未查到持有效执法证的执法人员。")).to_be_visible()
    expect(page.get_by_test_id("officer-table")).to_have_count(0)

    # 2. Open an item's service guide with the flowchart of its procedure.
    site_nav(page).get_by_role("link", name="执法事项").click()
    expect(page.get_by_role("heading", name="执法事项清单")).to_be_visible()
    page.get_by_label("行为类型").select_option(label="行政许可")
    page.get_by_role("button", name="查询").click()
    page.get_by_test_id("item-table").get_by_role("link", name=ITEM, exact=True).first.click()
    expect(page.get_by_role("heading", name=ITEM, exact=True)).to_be_visible()
    guide = page.get_by_test_id("guide")
    expect(guide).to_contain_text("申请材料")
    expect(guide).to_contain_text("食品经营许可申请书")
    expect(guide).to_contain_text("临泉县政务服务中心一楼市场监管窗口")
    chart = page.get_by_role("img", name="行政许可流程图")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= page.viewport_size["width"], box
    page.get_by_text("行政许可：文字版流程").click()
    expect(page.get_by_role("listitem").filter(has_text="作出许可决定")).to_be_visible()
    if phone:
        assert_fits(page)
        page.screenshot(path=str(SHOTS / "portal-item-phone.png"), full_page=True)

    # 3. Read the remedies from the guide.
    page.get_by_role("link", name="陈述、申辩、听证和复议诉讼说明").click()
    expect(page).to_have_url(re.compile(r"/remedies/$"))
    expect(page.get_by_role("heading", name="当事人的权利和救济途径")).to_be_visible()
    expect(page.get_by_text("申请期限：在行政机关告知后5个工作日内提出。")).to_be_visible()
    expect(page.get_by_text(re.compile("自知道或者应当知道该行政行为之日起60日内"))).to_be_visible()
    expect(page.get_by_text(re.compile("自知道或者应当知道作出行政行为之日起6个月内"))).to_be_visible()
    expect(site_nav(page).get_by_role("link", name="救济途径")).to_have_attribute("aria-current", "page")
    if phone:
        assert_fits(page)
        for link in site_nav(page).get_by_role("link").all():
            box = link.bounding_box()
            assert box is not None and box["height"] >= MIN_LINK, box

    # Nobody asked for a login on the way.
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()


def test_public_checks_an_officer_reads_a_service_guide_and_the_remedies(page, base_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    walk_through(page, base_url, phone=False)


def test_the_same_on_a_phone(phone_page, base_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    walk_through(phone_page, base_url, phone=True)


def test_the_agency_page_offers_its_lists_and_post_boards(page, base_url):
    page.goto(f"{base_url}/agencies/")
    page.get_by_role("table").get_by_role("link", name="临泉县市场监督管理局").click()
    expect(page.get_by_role("heading", name="临泉县市场监督管理局")).to_be_visible()
    main = page.get_by_role("main")
    for label in ("执法事项清单与服务指南", "行政裁量基准", "随机抽查事项清单", "音像记录事项清单", "持证执法人员"):
        expect(main.get_by_role("link", name=label)).to_be_visible()
    board = main.get_by_role("link", name="食品安全监管股岗位信息公示牌（PDF）")
    response = page.request.get(f"{base_url}{board.get_attribute('href')}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    main.get_by_role("link", name="随机抽查事项清单").click()
    expect(page.get_by_test_id("inspection-table")).to_contain_text("临泉县市场监督管理局")
