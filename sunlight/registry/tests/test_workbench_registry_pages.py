"""SYS-4 for the registry pages: every page renders in Chinese for the roles that use it, forms write through the
services and show their errors on the form, write pages refuse the roles that may not write, and the
「执法资格核验」 box shows what `may_act` says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.registry import services
from sunlight.registry.choices import CameraStatus
from sunlight.registry.models import BodyCamera, Certificate, Officer, TrainingPlan

from .factories import certified, make_auxiliary, make_camera, make_officer

pytestmark = pytest.mark.django_db

BASE = "/workbench/registry"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def test_every_page_renders_for_every_role(county):
    officer_user, certificate = certified(county.admin, county.unit_a)
    officer = officer_user.officer_records.get()
    helper = make_auxiliary(county.admin, county.unit_a)
    keeper = staff(Role.ARCHIVIST, unit=county.unit_b)
    camera = make_camera(county.admin, county.unit_a, administrator=keeper)
    plan = services.training_plan_create(
        acting_user=county.admin,
        agency=county.unit_a.agency,
        title="专题培训",
        planned_on=timezone.localdate(),
        days=1,
    )
    pages = [
        "/personnel/",
        "/personnel/cleanup/",
        "/personnel/auxiliaries/",
        "/training/",
        "/cameras/",
        "/cameras/ratio/",
        "/cameras/administrators/",
        f"/training/plans/{plan.public_id}/",
    ]
    for user in (county.admin, county.agency_head, county.unit_head, county.officer, county.supervisor, keeper):
        client = logged_in(user)
        for page in pages:
            response = client.get(f"{BASE}{page}")
            assert response.status_code == 200, (user.username, page)
    admin = logged_in(county.admin)
    detail = text(admin.get(f"{BASE}/personnel/officers/{officer.public_id}/"))
    assert certificate.number in detail and "执法资格核验" in detail and "可以执法" in detail
    assert "临泉县（341221）" in detail
    assert camera.number in text(admin.get(f"{BASE}/cameras/{camera.public_id}/"))
    assert helper.duties in text(admin.get(f"{BASE}/personnel/auxiliaries/{helper.public_id}/"))
    # Outside the scope: not found.
    other = make_officer(county.admin, county.other_unit, user=county.other_officer)
    assert logged_in(county.agency_head).get(f"{BASE}/personnel/officers/{other.public_id}/").status_code == 404


def test_write_pages_refuse_roles_that_may_not_write(county):
    officer = make_officer(county.admin, county.unit_a, user=county.officer)
    client = logged_in(county.officer)
    for page in (
        "/personnel/officers/new/",
        "/personnel/auxiliaries/new/",
        "/training/plans/new/",
        "/training/records/new/",
        "/cameras/new/",
        f"/personnel/officers/{officer.public_id}/certificates/new/",
        f"/personnel/officers/{officer.public_id}/edit/",
        f"/personnel/officers/{officer.public_id}/sanctions/new/",
        f"/personnel/officers/{officer.public_id}/clear/",
    ):
        response = client.get(f"{BASE}{page}")
        assert response.status_code == 403, page
        assert "无权访问" in text(response)


def test_register_and_issue_through_the_pages(county):
    admin = logged_in(county.admin)
    today = timezone.localdate()
    response = admin.post(
        f"{BASE}/personnel/officers/new/",
        {
            "person": county.officer.pk,
            "unit": county.unit_a.pk,
            "post": "执法队员",
            "establishment_kind": "administrative",
            "establishment_proof": "临编办〔2020〕18号",
            "exam_score": "88",
            "exam_date": str(today - timedelta(days=10)),
            "exam_passed": "on",
        },
    )
    officer = Officer.objects.get(user=county.officer)
    assert response.status_code == 302 and response["Location"] == f"{BASE}/personnel/officers/{officer.public_id}/"
    url = f"{BASE}/personnel/officers/{officer.public_id}/certificates/new/"
    form = {
        "number": "341221010001",
        "issuing_authority": "临泉县人民政府",
        "categories": ["market"],
        "regions": "341221，341221101",
        "issued_on": str(today),
        "expires_on": str(today - timedelta(days=1)),
    }
    refused = admin.post(url, form)
    assert refused.status_code == 400
    assert "有效期截止日期应晚于发证日期。" in text(refused)
    form["expires_on"] = str(today + timedelta(days=1000))
    assert admin.post(url, form).status_code == 302
    certificate = Certificate.objects.get(number="341221010001")
    assert certificate.regions == ["341221", "341221101"]

    suspend = f"{BASE}/personnel/certificates/{certificate.public_id}/suspend/"
    assert "请填写原因" not in text(admin.get(suspend))
    assert admin.post(suspend, {"reason": "涉嫌违规执法"}).status_code == 302
    detail = admin.get(
        f"{BASE}/personnel/officers/{officer.public_id}/",
        {"check": "1", "check-field": "market", "check-region": "341221", "check-on": str(today)},
    )
    assert "不得执法" in text(detail) and f"执法证 341221010001 自 {today.isoformat()} 起被暂扣。" in text(detail)
    assert admin.get(f"{BASE}/personnel/certificates/{certificate.public_id}/explode/").status_code == 404


def test_camera_and_training_forms(county):
    admin = logged_in(county.admin)
    officer = make_officer(county.admin, county.unit_a, user=county.officer)
    keeper = staff(Role.ARCHIVIST, unit=county.unit_b)
    created = admin.post(
        f"{BASE}/cameras/new/",
        {"number": "LQSCJG-JLY100", "unit": county.unit_a.pk, "administrator": keeper.pk, "model_name": "DSJ-V9"},
    )
    camera = BodyCamera.objects.get(number="LQSCJG-JLY100")
    assert created.status_code == 302
    page = f"{BASE}/cameras/{camera.public_id}/"
    bad = admin.post(page, {"form": "checkout", "checkout-user": officer.user.pk, "checkout-purpose": "巡查"})
    assert bad.status_code == 400 and "这个字段是必填项。" in text(bad)
    done = admin.post(
        page,
        {
            "form": "checkout",
            "checkout-user": officer.user.pk,
            "checkout-approver": county.unit_head.pk,
            "checkout-purpose": "巡查",
        },
    )
    assert done.status_code == 302
    camera.refresh_from_db()
    assert camera.status == CameraStatus.CHECKED_OUT
    assert logged_in(keeper).post(page, {"form": "return", "return-note": "已导出"}).status_code == 302
    camera.refresh_from_db()
    assert camera.status == CameraStatus.IN_STOCK

    year = timezone.localdate().year
    made = admin.post(
        f"{BASE}/training/plans/new/",
        {"agency": county.unit_a.agency.pk, "title": "执法文书培训", "planned_on": f"{year}-01-15", "days": "1.5"},
    )
    plan = TrainingPlan.objects.get(title="执法文书培训")
    assert made.status_code == 302
    held = admin.post(
        f"{BASE}/training/plans/{plan.public_id}/", {"held_on": f"{year}-01-15", "attendees": [officer.user.pk]}
    )
    assert held.status_code == 302
    assert "1 人参加" in text(admin.get(f"{BASE}/training/?all=1"))
