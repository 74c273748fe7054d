"""REC-1, REC-4, DIS-3: 立案登记 offers the items the chosen unit holds, registers the case with its complainant and
officers, and shows the service's refusals in Chinese next to the fields."""

from __future__ import annotations

from django.test import Client

from sunlight.cases.models import Case
from sunlight.cases.tests.factories import Desk

NEW = "/workbench/cases/new/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_item_list_follows_the_unit(desk: Desk) -> None:
    client = logged_in(desk.officer)
    page = client.get(NEW).content.decode()
    assert 'id="item-field"' in page and "对未取得食品经营许可从事食品经营活动的行政处罚" in page
    # Another unit of the agency holds no item: its list (fetched by HTMX on change) offers none.
    page = client.get(NEW, {"unit": str(desk.c.other_unit.public_id)}).content.decode()
    assert "对未取得食品经营许可从事食品经营活动的行政处罚" not in page


def test_a_complaint_case_is_registered_with_its_officers(desk: Desk) -> None:
    response = logged_in(desk.officer).post(
        NEW,
        {
            "workflow": "penalty",
            "unit": str(desk.c.field_unit.public_id),
            "item": str(desk.item.public_id),
            "title": "无证经营餐饮",
            "source": "complaint",
            "complainant_name": "王某",
            "party_kind": "organisation",
            "party_name": "临泉县好味道餐饮有限公司",
            "region_code": "341221",
            "officers": [str(desk.partner.public_id)],
        },
    )
    case = Case.objects.get(title="无证经营餐饮")
    assert response.status_code == 302 and response["Location"] == f"/workbench/cases/{case.public_id}/"
    assert case.complainant_name == "王某" and case.item == desk.item and case.step == "lead"
    assert set(case.officers.all()) == {desk.officer, desk.partner} and case.lead_officer == desk.officer


def test_refusals_show_next_to_the_fields(desk: Desk) -> None:
    response = logged_in(desk.officer).post(
        NEW,
        {
            "workflow": "coercion",
            "unit": str(desk.c.field_unit.public_id),
            "item": str(desk.item.public_id),
            "title": "",
            "source": "inspection",
            "party_kind": "organisation",
            "party_name": "某公司",
            "region_code": "341221",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写案由" in page and "执法事项的行为类型与办理程序不一致" in page
    assert 'value="某公司"' in page
    assert not Case.objects.exists()
