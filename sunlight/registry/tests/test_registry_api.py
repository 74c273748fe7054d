"""SYS-5 for the registry: the API lists within scope, writes through the services with Chinese (field, code,
message) errors, and answers `may-act` for the workflows and other systems."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.registry.models import BodyCamera, Officer

from .factories import make_auxiliary, make_officer

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict) -> object:
    return client.post(f"{API}{url}", body, content_type="application/json")


def test_anonymous_gets_401(client):
    assert client.get(f"{API}/officers").status_code == 401
    assert client.get(f"{API}/may-act?user=00000000-0000-0000-0000-000000000000&region=341221").status_code == 401


def test_register_issue_check_and_suspend_through_the_api(county):
    admin = logged_in(county.admin)
    today = timezone.localdate()
    created = post(
        admin,
        "/officers",
        {
            "user": str(county.officer.public_id),
            "unit": str(county.unit_a.public_id),
            "post": "执法队员",
            "establishment_kind": "administrative",
            "establishment_proof": "临编办〔2020〕18号",
            "exam_score": "90.5",
            "exam_date": str(today - timedelta(days=40)),
            "exam_passed": True,
        },
    )
    assert created.status_code == 201, created.content
    officer_id = created.json()["id"]
    assert created.json()["certificates"] == [] and created.json()["exam_score"] == "90.5"

    bad = post(
        admin,
        f"/officers/{officer_id}/certificates",
        {
            "number": "34",
            "issuing_authority": "临泉县人民政府",
            "categories": ["market"],
            "regions": ["341221"],
            "issued_on": str(today),
            "expires_on": str(today - timedelta(days=1)),
        },
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        {"field": "number", "code": "invalid", "message": "证件编号只能包含数字、字母、汉字和连字符，4 到 40 位。"},
        {"field": "expires_on", "code": "before_issue", "message": "有效期截止日期应晚于发证日期。"},
    ]
    unknown = post(admin, f"/officers/{officer_id}/certificates", {"number": "x", "categories": ["spaceflight"]})
    assert unknown.status_code == 422

    issued = post(
        admin,
        f"/officers/{officer_id}/certificates",
        {
            "number": "341221019001",
            "issuing_authority": "临泉县人民政府",
            "categories": ["market"],
            "regions": ["341221"],
            "issued_on": str(today),
            "expires_on": str(today + timedelta(days=365 * 5)),
        },
    )
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["status"] == "valid" and body["history"][0]["reason"] == "发证"

    check = logged_in(county.officer_b).get(
        f"{API}/may-act", {"user": str(county.officer.public_id), "field": "market", "region": "341221101"}
    )
    assert check.status_code == 200
    assert check.json() == {"ok": True, "reasons": [], "certificate": "341221019001", "certificate_id": body["id"]}

    suspended = post(admin, f"/certificates/{body['id']}/suspend", {"reason": "涉嫌违规执法"})
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    refused = admin.get(f"{API}/may-act", {"user": str(county.officer.public_id), "region": "341221"}).json()
    assert refused["ok"] is False
    assert refused["reasons"] == [f"执法证 341221019001 自 {today.isoformat()} 起被暂扣。"]
    detail = admin.get(f"{API}/officers/{officer_id}").json()
    assert [h["to_status"] for h in detail["certificates"][0]["history"]] == ["valid", "suspended"]


def test_scope_and_permissions(county):
    make_officer(county.admin, county.unit_a, user=county.officer)
    foreign = make_officer(county.admin, county.other_unit, user=county.other_officer)
    mine = logged_in(county.officer).get(f"{API}/officers").json()
    assert [o["username"] for o in mine] == ["officer_a"]
    assert logged_in(county.officer).get(f"{API}/officers/{foreign.public_id}").status_code == 404
    # Someone outside both the scope and the agency cannot be checked.
    outside = logged_in(county.officer).get(
        f"{API}/may-act", {"user": str(county.other_officer.public_id), "region": "341222"}
    )
    assert outside.status_code == 404
    assert outside.json()["errors"][0]["message"] == "人员不存在或您无权查看。"
    refused = post(
        logged_in(county.unit_head),
        "/officers",
        {
            "user": str(county.officer_b.public_id),
            "unit": str(county.unit_a.public_id),
            "post": "队员",
            "establishment_kind": "administrative",
        },
    )
    assert refused.status_code in (403, 404)
    assert Officer.objects.count() == 2


def test_cameras_training_auxiliaries_and_lists(county):
    admin = logged_in(county.admin)
    officer = make_officer(county.admin, county.unit_a, user=county.officer)
    keeper = staff(Role.ARCHIVIST, unit=county.unit_b)
    camera = post(
        admin,
        "/cameras",
        {"number": "LQSCJG-JLY009", "unit": str(county.unit_a.public_id), "administrator": str(keeper.public_id)},
    )
    assert camera.status_code == 201, camera.content
    assert camera.json()["status"] == "in_stock"
    out = post(
        admin,
        "/cameras/LQSCJG-JLY009/checkout",
        {"user": str(officer.user.public_id), "approver": str(county.unit_head.public_id), "purpose": "现场检查"},
    )
    assert out.status_code == 201, out.content
    assert admin.get(f"{API}/cameras/LQSCJG-JLY009").json()["status"] == "checked_out"
    back = post(admin, "/cameras/LQSCJG-JLY009/return", {"note": "已导出"})
    assert back.status_code == 200 and back.json()["returned_at"] is not None
    checked = post(
        admin, "/cameras/LQSCJG-JLY009/checks", {"checked_on": str(timezone.localdate()), "result": "normal"}
    )
    assert checked.status_code == 201
    assert BodyCamera.objects.get(number="LQSCJG-JLY009").last_checked_on == timezone.localdate()
    assert admin.get(f"{API}/cameras/NOPE-0001").status_code == 404
    ratio = admin.get(f"{API}/cameras-ratio").json()
    assert {r["name"]: (r["officers"], r["cameras"], r["short"]) for r in ratio} == {
        "临泉县市场监督管理局": (1, 1, False)
    }

    year = timezone.localdate().year
    plan = post(
        admin,
        "/training/plans",
        {
            "agency": str(county.unit_a.agency.public_id),
            "title": "执法文书培训",
            "planned_on": f"{year}-01-20",
            "days": "2",
        },
    )
    assert plan.status_code == 201, plan.content
    held = post(
        admin,
        f"/training/plans/{plan.json()['id']}/held",
        {"held_on": f"{year}-01-20", "attendees": [str(officer.user.public_id)]},
    )
    assert held.status_code == 201 and len(held.json()) == 1
    record = post(
        admin,
        "/training/records",
        {"person": str(officer.user.public_id), "topic": "网络培训", "trained_on": f"{year}-01-21", "days": "3"},
    )
    assert record.status_code == 201, record.content
    totals = admin.get(f"{API}/training/totals").json()
    assert Decimal(totals["people"][0]["days"]) == 5 and totals["people"][0]["met"] is True
    assert totals["agencies"][0]["held"] == 1 and totals["agencies"][0]["met"] is False
    assert [p["title"] for p in admin.get(f"{API}/training/plans").json()] == ["执法文书培训"]

    helper_user = staff(Role.AUXILIARY, unit=county.unit_a)
    aux = post(
        admin,
        "/auxiliaries",
        {
            "user": str(helper_user.public_id),
            "unit": str(county.unit_a.public_id),
            "post": "协管员",
            "duties": "协助巡查",
            "hired_on": "2025-03-01",
        },
    )
    assert aux.status_code == 201, aux.content
    assert [a["full_name"] for a in admin.get(f"{API}/auxiliaries").json()] == [helper_user.full_name]
    assert admin.get(f"{API}/cleanup").json() == []


def test_cleanup_through_the_api(county):
    admin = logged_in(county.admin)
    officer = make_officer(county.admin, county.unit_a, user=county.officer)
    make_auxiliary(county.admin, county.unit_b)
    sanction = post(
        admin,
        f"/officers/{officer.public_id}/sanctions",
        {"kind": "criticism", "reason": "文书不规范", "decided_on": str(timezone.localdate())},
    )
    assert sanction.status_code == 201 and sanction.json()["kind"] == "criticism"
    cleared = post(admin, f"/officers/{officer.public_id}/clear", {"reason": "调离执法岗位"})
    assert cleared.status_code == 200 and cleared.json()["cleared_on"] == str(timezone.localdate())


def test_the_schema_documents_the_registry(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/registry/may-act" in paths and "/api/v1/registry/cameras/{number}" in paths
