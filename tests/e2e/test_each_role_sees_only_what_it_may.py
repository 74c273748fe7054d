"""Every demo account sees exactly the modules its roles allow, is refused the others, and sees its own agencies."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sunlight.org.choices import ROLE_CAPABILITIES, ROLE_SCOPE, Role, Scope
from sunlight.org.demo import AGENCIES, ROLE_USERS
from sunlight.workbench.context import MODULES

from .conftest import login, nav

pytestmark = pytest.mark.e2e

# username -> (roles, agency slug); admin is the bootstrap superuser.
ACCOUNTS: dict[str, tuple[list[str], str | None]] = {
    "admin": ([Role.ADMIN], None),
    **{username: (list(roles), slug) for username, _name, roles, slug, _unit in ROLE_USERS},
}
SUPERUSERS = {"admin"}
AGENCY_NAMES = {spec.slug: spec.name for spec in AGENCIES}


def allowed_modules(username: str) -> list[tuple[str, str]]:
    """(url, label) of the modules the account may use, in navigation order, from MODULES and ROLE_CAPABILITIES."""
    roles, _slug = ACCOUNTS[username]
    capabilities = set().union(*(ROLE_CAPABILITIES[role] for role in roles))
    return [
        (reverse(name), str(label))
        for name, label, capability in MODULES
        if capability is None or username in SUPERUSERS or capability in capabilities
    ]


def forbidden_modules(username: str) -> list[tuple[str, str]]:
    allowed = allowed_modules(username)
    return [(reverse(name), str(label)) for name, label, _cap in MODULES if (reverse(name), str(label)) not in allowed]


def visible_agencies(username: str) -> list[str]:
    """County-wide accounts (and the superuser) see every demo agency; everyone else only their own."""
    roles, slug = ACCOUNTS[username]
    if username in SUPERUSERS or max(ROLE_SCOPE[role] for role in roles) >= Scope.REGION:
        return sorted(AGENCY_NAMES.values())
    assert slug is not None
    return [AGENCY_NAMES[slug]]


def test_the_expectations_cover_the_brief():
    """Guard the computed expectations against silently becoming vacuous."""
    assert set(ACCOUNTS) == {
        "admin",
        "officer",
        "officer2",
        "auxiliary",
        "unithead",
        "reviewer",
        "agencyhead",
        "archivist",
        "supervisor",
        "monitor",
        "liaison",
    }
    assert ("/workbench/users/", "用户管理") in forbidden_modules("officer")
    assert ("/workbench/audit/", "安全审计") in forbidden_modules("unithead")
    assert forbidden_modules("admin") == []
    assert len(visible_agencies("supervisor")) == len(visible_agencies("admin")) == 13
    for username in ("officer", "unithead", "reviewer"):
        assert visible_agencies(username) == ["临泉县市场监督管理局"]


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_role_sees_its_modules_and_agencies_only(page, base_url, username):
    login(page, base_url, username)
    expect(page).to_have_url(f"{base_url}/workbench/")
    expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()

    # The navigation lists exactly the permitted modules, in order, each linking to its page.
    expected = allowed_modules(username)
    links = nav(page).get_by_role("link")
    expect(links).to_have_text([label for _url, label in expected])
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [url for url, _ in expected]
    for _url, label in forbidden_modules(username):
        expect(nav(page).get_by_role("link", name=label, exact=True)).to_have_count(0)

    # Typing a forbidden module's address shows the Chinese 403 page, not the module.
    for url, label in forbidden_modules(username):
        response = page.goto(f"{base_url}{url}")
        assert response is not None and response.status == 403, (username, url)
        expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
        expect(page.get_by_role("heading", name=label, exact=True)).to_have_count(0)

    # The agency list (组织机构) shows the agencies within the account's scope and no others.
    page.goto(f"{base_url}/workbench/")
    nav(page).get_by_role("link", name="组织机构").click()
    expect(page).to_have_url(re.compile(r"/workbench/org/agencies/$"))
    table = page.get_by_test_id("agency-table")
    expect(table.get_by_role("link")).to_have_count(len(visible_agencies(username)))
    assert sorted(table.get_by_role("link").all_inner_texts()) == visible_agencies(username)


def test_public_portal_needs_no_login(page, base_url):
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", name="阳光执法公示平台")).to_be_visible()
    expect(page.get_by_text("共 13 个行政执法主体。")).to_be_visible()
    expect(page.get_by_role("link", name="临泉县市场监督管理局")).to_be_visible()

    page.get_by_role("navigation", name="网站导航").get_by_role("link", name="执法主体").click()
    expect(page.get_by_role("heading", name="行政执法主体")).to_be_visible()
    rows = page.get_by_role("table").get_by_role("link")
    expect(rows).to_have_count(13)
    assert sorted(rows.all_inner_texts()) == sorted(AGENCY_NAMES.values())

    page.get_by_role("link", name="临泉县城市管理局").click()
    expect(page.get_by_role("heading", name="临泉县城市管理局")).to_be_visible()
    expect(page.get_by_text("城市管理行政执法大队")).to_be_visible()
    # Still anonymous: the portal never asked for a login.
    expect(page.get_by_role("link", name="工作人员登录")).to_be_visible()
