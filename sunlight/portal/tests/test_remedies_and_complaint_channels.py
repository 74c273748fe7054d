"""PUB-1: the remedies page explains statement and defence, hearing (within 5 working days of the notice),
reconsideration (60 days) and litigation (6 months); the complaint channels page gives each agency's phone and address
and the county justice bureau that supervises enforcement."""

from __future__ import annotations

import pytest

from sunlight.org.models import Agency

from .factories import justice_bureau

pytestmark = pytest.mark.django_db


def test_the_remedies_page_states_each_right_and_its_time_limit(client):
    response = client.get("/remedies/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "陈述、申辩",
        "不得因当事人陈述、申辩而给予更重的处罚",
        "在行政机关告知后5个工作日内提出",
        "行政复议",
        "自知道或者应当知道该行政行为之日起60日内",
        "行政诉讼",
        "自知道或者应当知道作出行政行为之日起6个月内",
        "《中华人民共和国行政处罚法》第六十三条",
        "《中华人民共和国行政复议法》第二十条",
        "《中华人民共和国行政诉讼法》第四十六条",
    ):
        assert text in html, text
    for anchor in ("statement", "hearing", "reconsideration", "litigation"):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html


def test_complaint_channels_give_each_agency_and_the_justice_bureau(client, county):
    market = county.unit_a.agency
    Agency.objects.filter(pk=market.pk).update(phone="0558-6521111", address="临泉县城关街道人民路116号")
    bureau = justice_bureau(county.county, market)
    html = client.get("/complaints/").content.decode()
    for text in (
        "临泉县市场监督管理局",
        "0558-6521111",
        "临泉县城关街道人民路116号",
        "临泉县司法局",
        "0558-6511111",
        "12345",
    ):
        assert text in html, text
    assert 'href="tel:0558-6511111"' in html
    # Narrowed to one agency, the others leave the table; the supervisor stays.
    only = client.get("/complaints/", {"agency": str(county.other_unit.agency.public_id)}).content.decode()
    table = only.split('data-testid="complaint-table"')[1]
    assert "临泉县市场监督管理局" not in table and "太和县市场监督管理局" in table
    assert bureau.name in only


def test_item_guides_and_agency_pages_link_the_channels(client, county):
    market = county.unit_a.agency
    html = client.get(f"/agencies/{market.public_id}/").content.decode()
    assert f'href="/complaints/?agency={market.public_id}"' in html
