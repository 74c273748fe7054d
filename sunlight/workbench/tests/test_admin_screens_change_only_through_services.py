"""SYS-1, SYS-2: the administration screens create and change organisations and users; bad input is shown in
Chinese on the page and changes nothing; others are refused with the Chinese 403 page and the refusal is recorded."""

from __future__ import annotations

import pytest

from sunlight.core.models import CalendarOverride, LedgerEntry
from sunlight.org.models import Agency, User
from sunlight.org.tests.factories import PASSWORD, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, county):
    client.force_login(county.admin)
    return client


def agency_form(county, **over):
    data = {
        "name": "临泉县水利局",
        "short_name": "县水利局",
        "credit_code": make_uscc(4242),
        "kind": "administrative",
        "level": "county",
        "region": county.county.pk,
        "address": "水利路1号",
        "is_active": "on",
    }
    data.update(over)
    return data


def test_admin_creates_an_agency_from_the_form(admin_client, county):
    response = admin_client.post("/workbench/org/agencies/new/", agency_form(county))
    agency = Agency.objects.get(name="临泉县水利局")
    assert response["Location"] == f"/workbench/org/agencies/{agency.public_id}/"
    page = admin_client.get(response["Location"]).content.decode()
    assert "县水利局" not in page or "临泉县水利局" in page
    assert agency.credit_code in page


def test_bad_credit_code_is_shown_in_chinese_and_nothing_is_saved(admin_client, county):
    before = LedgerEntry.objects.count()
    response = admin_client.post("/workbench/org/agencies/new/", agency_form(county, credit_code="91350100M000100Y44"))
    assert response.status_code == 400
    assert "统一社会信用代码格式或校验位不正确。" in response.content.decode()
    assert not Agency.objects.filter(name="临泉县水利局").exists()
    assert LedgerEntry.objects.count() == before


def test_admin_edits_an_agency_and_adds_a_unit(admin_client, county):
    agency = county.unit_a.agency
    form = agency_form(county, name=agency.name, credit_code=agency.credit_code, phone="0558-6666666")
    admin_client.post(f"/workbench/org/agencies/{agency.public_id}/edit/", form)
    agency.refresh_from_db()
    assert agency.phone == "0558-6666666"
    admin_client.post(f"/workbench/org/agencies/{agency.public_id}/units/new/", {"name": "二中队", "is_active": "on"})
    assert agency.units.filter(name="二中队").exists()
    page = admin_client.get(f"/workbench/org/agencies/{agency.public_id}/").content.decode()
    assert "二中队" in page


def test_admin_creates_a_user_who_must_change_the_password(admin_client, county):
    response = admin_client.post(
        "/workbench/users/new/",
        {
            "username": "zhangsan",
            "password": "Init#Pass2026",
            "full_name": "张三",
            "agency": county.unit_a.agency.pk,
            "unit": county.unit_a.pk,
            "roles": ["officer"],
        },
    )
    user = User.objects.get(username="zhangsan")
    assert response["Location"] == f"/workbench/users/{user.public_id}/"
    assert user.must_change_password and user.role_codes == {"officer"}


def test_weak_initial_password_is_shown_on_the_page(admin_client, county):
    response = admin_client.post(
        "/workbench/users/new/",
        {
            "username": "lisi",
            "password": "weak",
            "full_name": "李四",
            "agency": county.unit_a.agency.pk,
            "unit": county.unit_a.pk,
            "roles": ["officer"],
        },
    )
    assert response.status_code == 400
    assert "密码" in response.content.decode()
    assert not User.objects.filter(username="lisi").exists()


def test_admin_unlocks_and_resets(admin_client, county):
    from django.utils import timezone

    User.objects.filter(pk=county.officer.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=9))
    page = admin_client.get(f"/workbench/users/{county.officer.public_id}/").content.decode()
    assert "已锁定" in page
    admin_client.post(f"/workbench/users/{county.officer.public_id}/unlock/")
    county.officer.refresh_from_db()
    assert county.officer.locked_until is None
    admin_client.post(f"/workbench/users/{county.officer.public_id}/reset-password/", {"password": "Again#Pass77"})
    county.officer.refresh_from_db()
    assert county.officer.check_password("Again#Pass77") and county.officer.must_change_password


@pytest.mark.parametrize(
    "url",
    [
        "/workbench/users/",
        "/workbench/org/agencies/new/",
        "/workbench/audit/",
        "/workbench/warnings/rollup/",
        "/workbench/security/policies/",
    ],
)
def test_officer_is_refused_with_the_chinese_403_page_and_the_refusal_is_recorded(client, county, url):
    client.force_login(county.officer)
    response = client.get(url)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert LedgerEntry.objects.filter(kind="permission.denied", actor=f"user:{county.officer.public_id}").exists()


def test_officer_cannot_open_another_agency_by_its_id(client, county):
    client.force_login(county.officer)
    response = client.get(f"/workbench/org/agencies/{county.other_unit.agency.public_id}/")
    assert response.status_code == 404


def test_officer_navigation_shows_only_permitted_modules(client, county):
    client.login(username="officer_a", password=PASSWORD)
    page = client.get("/workbench/").content.decode()
    assert "我的预警" in page and "组织机构" in page
    assert "用户管理" not in page and "安全审计" not in page and "预警汇总" not in page


def test_admin_adds_a_local_holiday_and_confirms_a_year(admin_client, county):
    response = admin_client.post(
        "/workbench/calendar/",
        {"form": "day", "date": "2027-03-03", "kind": "restday", "name": "地方节日", "region": county.county.pk},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get(date="2027-03-03").region_code == "341221"
    page = admin_client.get("/workbench/calendar/").content.decode()
    assert "2027年的官方放假安排尚未导入" in page
    admin_client.post(
        "/workbench/calendar/", {"form": "year", "year-year": "2027", "year-note": "国办发明电〔2026〕X号"}
    )
    assert "2027年的官方放假安排尚未导入" not in admin_client.get("/workbench/calendar/").content.decode()


def test_calendar_input_errors_are_shown(admin_client, county):
    response = admin_client.post(
        "/workbench/calendar/", {"form": "day", "date": "2027-02-30", "kind": "restday", "name": "x"}
    )
    assert response.status_code == 400
    assert not CalendarOverride.objects.exists()


def test_audit_page_lists_logins_with_their_address(admin_client, county, client):
    from django.test import Client

    Client().post("/accounts/login/", {"username": "officer_a", "password": "wrong"}, REMOTE_ADDR="192.0.2.7")
    page = admin_client.get("/workbench/audit/?kind=auth.").content.decode()
    assert "auth.login_failed" in page and "192.0.2.7" in page
    assert f"{county.officer.full_name}（officer_a）" in page  # actors are shown by name, not by id


def test_user_list_shows_accounts_with_and_without_an_agency(admin_client, county):
    response = admin_client.get("/workbench/users/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "root" in page and "justice" in page and "officer_a" in page
    filtered = admin_client.get("/workbench/users/?role=justice_supervisor").content.decode()
    assert "justice" in filtered and "officer_a" not in filtered
