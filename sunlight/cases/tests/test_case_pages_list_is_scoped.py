"""SYS-1: the case list shows each user the cases within their scope, their own cases first; a case outside the scope
is not found; every staff user reaches the list from the navigation."""

from __future__ import annotations

from django.test import Client

from sunlight.cases.services import case_create
from sunlight.cases.tests.factories import Desk

LIST = "/workbench/cases/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cases(desk: Desk, county):
    led_by_head = desk.start(acting_user=desk.head, officers=[], title="负责人主办的案件", party_name="甲公司")
    own = desk.start(title="本人承办的案件", party_name="乙公司")
    colleague = desk.start(acting_user=desk.c.officer, officers=[], title="同事承办的案件", party_name="丙公司")
    other = case_create(
        acting_user=county.other_officer,
        workflow="penalty",
        unit=county.other_unit,
        title="太和县的案件",
        party_kind="individual",
        party_name="丁某",
        source="inspection",
    )
    return led_by_head, own, colleague, other


def _titles(client: Client) -> list[str]:
    page = client.get(LIST).content.decode()
    found = [(page.find(t), t) for t in ("负责人主办的案件", "本人承办的案件", "同事承办的案件", "太和县的案件")]
    return [t for position, t in sorted(found) if position >= 0]


def test_each_user_sees_the_cases_in_scope_own_first(desk: Desk, county) -> None:
    _cases(desk, county)
    assert _titles(logged_in(desk.officer)) == ["本人承办的案件"]
    assert _titles(logged_in(desk.partner)) == ["本人承办的案件"]
    assert _titles(logged_in(desk.c.officer)) == ["同事承办的案件"]
    assert _titles(logged_in(county.other_officer)) == ["太和县的案件"]
    # The unit head sees the unit's cases; the one the head leads comes first although it is the oldest.
    assert _titles(logged_in(desk.head)) == ["负责人主办的案件", "同事承办的案件", "本人承办的案件"]
    assert set(_titles(logged_in(county.supervisor))) == {"负责人主办的案件", "本人承办的案件", "同事承办的案件"}


def test_a_case_outside_the_scope_is_not_found(desk: Desk, county) -> None:
    _led, own, colleague, other = _cases(desk, county)
    client = logged_in(desk.officer)
    assert client.get(f"{LIST}{own.public_id}/").status_code == 200
    for case in (colleague, other):
        response = client.get(f"{LIST}{case.public_id}/")
        assert response.status_code == 404
        assert "案件不存在" in response.content.decode()


def test_filters_narrow_the_list(desk: Desk, county) -> None:
    _cases(desk, county)
    client = logged_in(desk.head)
    page = client.get(LIST, {"q": "乙公司"}).content.decode()
    assert "本人承办的案件" in page and "同事承办的案件" not in page
    page = client.get(LIST, {"mine": "on"}).content.decode()
    assert "负责人主办的案件" in page and "本人承办的案件" not in page
    page = client.get(LIST, {"status": "closed"}).content.decode()
    assert "没有可查看的案件" in page


def test_the_list_is_in_the_navigation_with_the_register_button(desk: Desk) -> None:
    page = logged_in(desk.officer).get("/workbench/").content.decode()
    assert 'href="/workbench/cases/"' in page and "案件办理" in page
    page = logged_in(desk.officer).get(LIST).content.decode()
    assert "立案登记" in page
