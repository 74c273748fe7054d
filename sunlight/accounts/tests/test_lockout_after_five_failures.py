"""SYS-6: five wrong passwords lock an account for fifteen minutes; every attempt is recorded with where it came from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sunlight.accounts.services import login_check
from sunlight.core.models import LedgerEntry
from sunlight.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_fifth_failure_locks_and_the_right_password_is_refused_until_it_runs_out(county):
    now = timezone.now()
    for attempt in range(4):
        result = login_check(username="officer_a", password="wrong", now=now)
        assert result.user is None and result.error.errors[0].code == "invalid_credentials", attempt
    fifth = login_check(username="officer_a", password="wrong", now=now)
    assert fifth.error.errors[0].code == "locked"
    assert "锁定" in fifth.error.errors[0].message

    during = login_check(username="officer_a", password=PASSWORD, now=now + timedelta(minutes=14))
    assert during.user is None and during.error.errors[0].code == "locked"

    after = login_check(username="officer_a", password=PASSWORD, now=now + timedelta(minutes=16))
    assert after.user == county.officer

    kinds = list(LedgerEntry.objects.filter(actor=f"user:{county.officer.public_id}").values_list("kind", flat=True))
    assert kinds.count("auth.login_failed") == 5
    assert kinds.count("auth.locked") == 1
    assert kinds.count("auth.login_refused_locked") == 1


def test_success_resets_the_failure_count(county):
    for _ in range(4):
        login_check(username="officer_a", password="wrong")
    assert login_check(username="officer_a", password=PASSWORD).user is not None
    for _ in range(4):
        assert login_check(username="officer_a", password="wrong").error.errors[0].code == "invalid_credentials"


def test_unknown_user_gets_the_same_answer_and_is_recorded(county):
    result = login_check(username="nobody", password="x")
    assert result.error.errors[0].code == "invalid_credentials"
    entry = LedgerEntry.objects.get(kind="auth.login_failed")
    assert entry.payload["username"] == "nobody" and entry.payload["reason"] == "unknown_user"


def test_lockout_limits_follow_settings(county, settings):
    settings.SUNLIGHT_LOCKOUT_FAILURES = 2
    settings.SUNLIGHT_LOCKOUT_MINUTES = 1
    now = timezone.now()
    login_check(username="officer_a", password="wrong", now=now)
    assert login_check(username="officer_a", password="wrong", now=now).error.errors[0].code == "locked"
    assert login_check(username="officer_a", password=PASSWORD, now=now + timedelta(seconds=61)).user is not None


def test_disabled_account_cannot_log_in(county):
    county.officer.is_active = False
    county.officer.save()
    assert login_check(username="officer_a", password=PASSWORD).user is None
    assert LedgerEntry.objects.get(kind="auth.login_failed").payload["reason"] == "inactive"


def test_login_page_records_the_client_address(client, county):
    client.post(
        "/accounts/login/",
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR="10.20.30.40",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    entry = LedgerEntry.objects.get(kind="auth.login_succeeded")
    assert entry.payload["from"] == {"ip": "10.20.30.40", "user_agent": "TestBrowser/1.0", "channel": "web"}


def test_login_page_shows_the_lockout_in_chinese(client, county):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "officer_a", "password": "bad"})
    assert response.status_code == 400
    assert "账户已锁定" in response.content.decode()
