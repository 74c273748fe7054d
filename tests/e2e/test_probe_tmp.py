import pytest

from .conftest import login

pytestmark = pytest.mark.e2e


def test_probe(phone_page, base_url):
    page = phone_page
    login(page, base_url, "officer")
    print(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
    for el in page.locator("a, button").all():
        print(repr(el.inner_text()), el.evaluate("e => e.tagName + ' ' + e.className"), el.bounding_box())
    page.goto(base_url + "/workbench/warnings/")
    print(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
    print(page.get_by_test_id("warning-table").locator("thead").is_visible())
    for td in page.get_by_test_id("warning-table").locator("td").all()[:6]:
        print(td.bounding_box(), td.evaluate("e => getComputedStyle(e).display"), td.evaluate("e => getComputedStyle(e, '::before').content"))
    page.goto(base_url + "/workbench/org/agencies/")
    print(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
    page.goto(base_url + "/workbench/calendar/")
    print(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))
