"""SYS-5: the organisation API answers within the caller's scope and reports errors as (field, code, message)."""

from __future__ import annotations

import pytest
from django.test import Client

from sunlight.core.models import LedgerEntry
from sunlight.org.models import Agency
from sunlight.org.tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csrf_client(user) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, logged in, with the token from a page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/workbench/")  # a page with a form sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def test_anonymous_callers_get_a_structured_401(client):
    response = client.get("/api/v1/org/agencies")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": "__all__", "code": "unauthenticated", "message": "请先登录。"}]}


def test_me_reports_roles_scope_and_capabilities(county):
    data = logged_in(county.supervisor).get("/api/v1/org/me").json()
    assert data["username"] == "justice"
    assert data["roles"] == ["justice_supervisor"]
    assert data["scope"] == "region"
    assert "audit.view" in data["capabilities"] and "users.manage" not in data["capabilities"]


def test_agency_list_is_scoped(county):
    mine = logged_in(county.officer).get("/api/v1/org/agencies").json()
    assert [a["id"] for a in mine] == [str(county.unit_a.agency.public_id)]
    everything = logged_in(county.admin).get("/api/v1/org/agencies").json()
    assert len(everything) == 2


def test_agency_outside_scope_is_404(county):
    response = logged_in(county.officer).get(f"/api/v1/org/agencies/{county.other_unit.agency.public_id}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_create_agency_through_the_api_with_csrf(county):
    client, token = csrf_client(county.admin)
    body = {"name": "临泉县林业局", "credit_code": make_uscc(9001), "level": "county", "region": "341221"}
    refused = client.post("/api/v1/org/agencies", body, content_type="application/json")
    assert refused.status_code == 403  # no CSRF token
    created = client.post("/api/v1/org/agencies", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201, created.content
    assert created.json()["region"] == "341221"
    assert Agency.objects.filter(name="临泉县林业局").exists()


def test_bad_input_gets_field_code_message(county):
    client = logged_in(county.admin)
    response = client.post(
        "/api/v1/org/agencies",
        {"name": "坏局", "credit_code": "91350100M000100Y44", "level": "county", "region": "341221"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "credit_code", "code": "invalid", "message": "统一社会信用代码格式或校验位不正确。"}
    ]
    missing = client.post("/api/v1/org/agencies", {"name": "缺项"}, content_type="application/json")
    assert missing.status_code == 422
    fields = {e["field"]: e for e in missing.json()["errors"]}
    assert {"credit_code", "level", "region"} <= set(fields)
    assert fields["level"]["message"] == "此项为必填项。"
    unknown_region = client.post(
        "/api/v1/org/agencies",
        {"name": "x", "credit_code": make_uscc(9002), "level": "county", "region": "999999"},
        content_type="application/json",
    )
    assert unknown_region.status_code == 404
    assert unknown_region.json()["errors"][0]["field"] == "region"
    assert not Agency.objects.filter(name__in=["坏局", "缺项", "x"]).exists()


def test_officer_cannot_create_and_the_denial_is_recorded(county):
    response = logged_in(county.officer).post(
        "/api/v1/org/agencies",
        {"name": "越权局", "credit_code": make_uscc(9003), "level": "county", "region": "341221"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "forbidden"
    assert LedgerEntry.objects.filter(kind="permission.denied").exists()


def test_patch_changes_only_given_fields(county):
    agency = county.unit_a.agency
    response = logged_in(county.admin).patch(
        f"/api/v1/org/agencies/{agency.public_id}", {"office_hours": "8:30-17:30"}, content_type="application/json"
    )
    assert response.status_code == 200
    agency.refresh_from_db()
    assert agency.office_hours == "8:30-17:30" and agency.name == "临泉县市场监督管理局"


def test_units_list_and_create(county):
    agency = county.unit_a.agency
    client = logged_in(county.admin)
    created = client.post(
        f"/api/v1/org/agencies/{agency.public_id}/units", {"name": "三中队"}, content_type="application/json"
    )
    assert created.status_code == 201
    names = {u["name"] for u in client.get(f"/api/v1/org/agencies/{agency.public_id}/units").json()}
    assert names == {"执法大队", "法规科", "三中队"}
    own = logged_in(county.officer).get(f"/api/v1/org/agencies/{agency.public_id}/units").json()
    assert [u["name"] for u in own] == ["执法大队"]


def test_regions_and_users(county):
    regions = logged_in(county.supervisor).get("/api/v1/org/regions").json()
    assert {r["code"] for r in regions} == {"341221", "341221101"}
    assert logged_in(county.officer).get("/api/v1/org/users").status_code == 403
    users = logged_in(county.admin).get("/api/v1/org/users").json()
    assert {"officer_a", "justice", "root"} <= {u["username"] for u in users}


def test_openapi_schema_is_served():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/org/agencies" in schema["paths"]
    assert "/api/v1/calendar/workdays/add" in schema["paths"]
    assert "/api/v1/warnings/mine" in schema["paths"]
