"""PUB-1: every page of the portal's ex-ante publicity opens without a login on the demo county, in Simplified
Chinese (lang="zh-CN"), with a skip link and the site navigation; nothing on it asks for an account."""

from __future__ import annotations

import re

import pytest

from sunlight.catalog.models import Benchmark, EnforcementItem, Law
from sunlight.org.models import Agency
from sunlight.registry.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from sunlight.org.demo import load_demo

    load_demo()


def test_every_public_page_opens_for_an_anonymous_visitor(client, demo):
    market = Agency.objects.get(name="临泉县市场监督管理局")
    justice = Agency.objects.get(name="临泉县司法局")
    item = EnforcementItem.objects.filter(agency=market).order_by("code").first()
    benchmark = Benchmark.objects.filter(agency=market).first()
    law = Law.objects.order_by("title").first()
    unit = market.units.order_by("id").first()
    assert item and benchmark and law and unit
    pages = [
        "/",
        "/agencies/",
        f"/agencies/{market.public_id}/",
        f"/agencies/{justice.public_id}/",
        "/officers/",
        f"/officers/?agency={market.public_id}",
        "/items/",
        f"/items/?agency={market.public_id}&action_type=penalty",
        f"/items/{item.public_id}/",
        "/benchmarks/",
        f"/benchmarks/{benchmark.public_id}/",
        "/inspections/",
        "/av-items/",
        "/major-decisions/",
        "/changes/",
        "/laws/",
        f"/laws/{law.public_id}/",
        "/flowcharts/",
        "/remedies/",
        "/complaints/",
        "/transparency/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="zh-CN">' in html, url
        assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html, url
        assert '<main id="main"' in html and 'aria-label="网站导航"' in html, url
        assert "/accounts/login/?next=" not in html, url
        # Every form control has a label.
        for control in re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', html):
            assert f'for="{control}"' in html, (url, control)
    board = client.get(f"/agencies/{market.public_id}/post-board.pdf?unit={unit.public_id}")
    assert board.status_code == 200 and board.content.startswith(b"%PDF")


def test_the_demo_officer_lookup_finds_valid_certificates_only(client, demo):
    valid = Certificate.objects.filter(status="valid", officer__user__username="scjg01").first()
    suspended = Certificate.objects.get(officer__user__username="cgj05")
    assert valid is not None
    found = client.get("/officers/", {"q": valid.number}).content.decode()
    assert valid.officer.user.full_name in found and "查到 1 名" in found
    refused = client.get("/officers/", {"q": suspended.number}).content.decode()
    assert "未查到持有效执法证的执法人员。" in refused


def test_navigation_reaches_the_publicity_pages(client, db):
    html = client.get("/").content.decode()
    for path in ("/agencies/", "/officers/", "/items/", "/benchmarks/", "/inspections/", "/flowcharts/", "/laws/"):
        assert f'href="{path}"' in html, path
    for path in ("/remedies/", "/complaints/", "/transparency/", "/av-items/", "/major-decisions/", "/changes/"):
        assert f'href="{path}"' in html, path
    current = client.get("/remedies/").content.decode()
    assert '<a href="/remedies/" aria-current="page">救济途径</a>' in current
