"""SYS-6: idle sessions expire, initial passwords must be changed first, and roles can require TOTP."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sunlight.accounts.middleware import LAST_SEEN
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.models import RolePolicy
from sunlight.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username="officer_a", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_idle_session_is_logged_out_with_a_message(client, county, settings):
    settings.SUNLIGHT_SESSION_IDLE_SECONDS = 60
    login(client)
    assert client.get("/workbench/").status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 61
    session.save()
    response = client.get("/workbench/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?expired=1"
    assert "长时间未操作" in client.get(response["Location"]).content.decode()
    assert client.get("/workbench/").status_code == 302
    assert LedgerEntry.objects.filter(kind="auth.session_expired").count() == 1


def test_activity_keeps_the_session_alive(client, county, settings):
    settings.SUNLIGHT_SESSION_IDLE_SECONDS = 60
    login(client)
    session = client.session
    session[LAST_SEEN] = time.time() - 59
    session.save()
    assert client.get("/workbench/").status_code == 200


def test_idle_api_session_gets_a_structured_401(client, county, settings):
    login(client)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.SUNLIGHT_SESSION_IDLE_SECONDS - 1
    session.save()
    response = client.get("/api/v1/org/me")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "session_expired"


def test_initial_password_must_be_changed_before_anything_else(client, county):
    county.officer.must_change_password = True
    county.officer.save()
    login(client)
    for url in ("/workbench/", "/workbench/warnings/", "/workbench/org/agencies/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/", url
    assert client.get("/api/v1/org/me").status_code == 403
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Brand#New2026", "new_password_again": "Brand#New2026"},
    )
    assert client.get("/workbench/").status_code == 200


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_role_requiring_totp_forces_enrolment_then_verification(client, county):
    RolePolicy.objects.create(role=Role.OFFICER, require_otp=True)
    login(client)
    response = client.get("/workbench/")
    assert response["Location"] == "/accounts/otp/setup/"
    assert "动态口令" in client.get("/accounts/otp/setup/").content.decode()
    device = TOTPDevice.objects.get(user=county.officer, confirmed=False)

    bad = client.post("/accounts/otp/setup/", {"token": "000000" if _token(device) != "000000" else "111111"})
    assert bad.status_code == 400 and "动态口令不正确" in bad.content.decode()
    # django-otp throttles after a failure (1 s, doubling); this test does not wait for it.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post("/accounts/otp/setup/", {"token": _token(device)})
    assert client.get("/workbench/").status_code == 200
    assert LedgerEntry.objects.filter(kind="auth.otp_enrolled").count() == 1

    client.post("/accounts/logout/")
    login(client)
    assert client.get("/workbench/")["Location"] == "/accounts/otp/"
    device.refresh_from_db()
    device.last_t = -1  # allow the same 30-second window again in this fast test
    device.save()
    client.post("/accounts/otp/", {"token": _token(device)})
    assert client.get("/workbench/").status_code == 200


def test_roles_without_the_policy_are_not_asked(client, county):
    RolePolicy.objects.create(role=Role.AGENCY_HEAD, require_otp=True)
    login(client)
    assert client.get("/workbench/").status_code == 200


def test_logout_needs_post_and_is_recorded(client, county):
    login(client)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/workbench/").status_code == 302
    assert LedgerEntry.objects.filter(kind="auth.logout").count() == 1


def test_open_redirect_after_login_is_ignored(client, county):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "officer_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/workbench/"


def test_a_session_ends_after_its_maximum_age_even_when_active(client, county, settings):
    settings.SESSION_COOKIE_AGE = 3600
    login(client)
    client.get("/workbench/")
    session = client.session
    session["sunlight_started"] = time.time() - 3601
    session[LAST_SEEN] = time.time()
    session.save()
    assert client.get("/workbench/")["Location"] == "/accounts/login/?expired=1"
