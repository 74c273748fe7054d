"""PUB-3: the printable post board (岗位信息公示牌) of a service window is a PDF with the officers on duty there —
name, certificate number, category, a photo placeholder — the unit's items and the complaint phones; officers without
a valid certificate and other units' officers are not on it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from sunlight.catalog.tests.factories import new_item

from .factories import certified, expired, justice_bureau

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def window(catalog, county):
    admin = county.admin
    on_duty = [certified(admin, catalog.field_unit, name) for name in ("张守法", "李公正")]
    expired(admin, catalog.field_unit, "王过期")
    certified(admin, catalog.other_unit, "赵城关")  # another window of the same agency
    item = new_item(catalog)
    bureau = justice_bureau(county.county, catalog.agency)
    catalog.agency.__class__.objects.filter(pk=catalog.agency.pk).update(phone="0558-6521111")
    return on_duty, item, bureau


def test_the_board_lists_the_officers_on_duty_and_the_units_items(client, catalog, window):
    on_duty, item, _bureau = window
    agency = catalog.agency
    response = client.get(f"/agencies/{agency.public_id}/post-board.pdf", {"unit": str(catalog.field_unit.public_id)})
    text = pdf_text(response)
    for _officer, cert in on_duty:
        assert cert.number in text
    for expected in ("岗位信息公示牌", "临泉县市场监督管理局", "执法大队", "张守法", "李公正", "照片", "市场监管"):
        assert expected in text, expected
    assert item.name in text
    assert "0558-6521111" in text and "临泉县司法局" in text and "0558-6511111" in text
    assert "王过期" not in text and "赵城关" not in text


def test_without_a_unit_every_window_of_the_agency_gets_a_board(client, catalog, window):
    text = pdf_text(client.get(f"/agencies/{catalog.agency.public_id}/post-board.pdf"))
    assert "张守法" in text and "赵城关" in text and "城关市场监管所" in text and "王过期" not in text


def test_the_agency_page_links_each_units_board(client, catalog, window):
    html = client.get(f"/agencies/{catalog.agency.public_id}/").content.decode()
    assert f"/agencies/{catalog.agency.public_id}/post-board.pdf?unit={catalog.field_unit.public_id}" in html
    assert "执法大队岗位信息公示牌（PDF）" in html  # the link's accessible name says which unit


def test_a_unit_of_another_agency_or_a_bad_id_is_not_found(client, catalog, county, window):
    url = f"/agencies/{catalog.agency.public_id}/post-board.pdf"
    assert client.get(url, {"unit": str(county.other_unit.public_id)}).status_code == 404
    assert client.get(url, {"unit": "not-a-uuid"}).status_code == 404
    assert client.get(url, {"unit": "x" * 5000}).status_code == 404
    assert client.get("/agencies/00000000-0000-0000-0000-000000000000/post-board.pdf").status_code == 404


def test_a_change_in_the_registry_shows_on_the_next_board(client, catalog, county, window):
    url = f"/agencies/{catalog.agency.public_id}/post-board.pdf?unit={catalog.field_unit.public_id}"
    assert "孙新任" not in pdf_text(client.get(url))
    certified(county.admin, catalog.field_unit, "孙新任")
    assert "孙新任" in pdf_text(client.get(url))
