"""PER-1: `registry_tick` (run by `sunlight tick`) records the expiry of every valid or suspended certificate past its
date, once, with a ledger entry; a second run changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.models import LedgerEntry
from sunlight.registry import services
from sunlight.registry.choices import CertificateStatus
from sunlight.registry.services import registry_tick

from .factories import NOW, certified

pytestmark = pytest.mark.django_db


def test_tick_expires_past_date_certificates_once(county):
    _a, valid = certified(county.admin, county.unit_a, expires_on=date(2026, 6, 30))
    _b, suspended = certified(county.admin, county.unit_a, expires_on=date(2026, 6, 30))
    _c, later = certified(county.admin, county.unit_a, expires_on=date(2026, 7, 1))
    _d, revoked = certified(county.admin, county.unit_a, expires_on=date(2026, 6, 30))
    services.certificate_suspend(acting_user=county.admin, certificate=suspended, reason="调查", now=NOW)
    services.certificate_revoke(acting_user=county.admin, certificate=revoked, reason="调离", now=NOW)

    on_last_day = datetime(2026, 6, 30, 23, 59, tzinfo=LOCAL_TZ)
    assert registry_tick(now=on_last_day)["certificates_expired"] == 0
    next_morning = datetime(2026, 7, 1, 0, 30, tzinfo=LOCAL_TZ)
    entries = LedgerEntry.objects.count()
    assert registry_tick(now=next_morning)["certificates_expired"] == 2
    for certificate in (valid, suspended, later, revoked):
        certificate.refresh_from_db()
    assert [valid.status, suspended.status, later.status, revoked.status] == ["expired", "expired", "valid", "revoked"]
    last = valid.history.last()
    assert (last.from_status, last.to_status, last.effective_on, last.actor) == (
        "valid",
        "expired",
        date(2026, 7, 1),
        None,
    )
    assert last.reason == "有效期届满（至 2026-06-30）"
    expiries = LedgerEntry.objects.filter(kind="registry.certificate_expired", seq__gt=0).order_by("seq")
    assert expiries.count() == 2 and expiries.first().actor == "system"

    entries = LedgerEntry.objects.count()
    assert registry_tick(now=next_morning)["certificates_expired"] == 0
    assert LedgerEntry.objects.count() == entries
    # An expired certificate is not brought back by anyone.
    with pytest.raises(Exception, match="当前状态为“已过期”，不能发还"):
        services.certificate_reinstate(acting_user=county.admin, certificate=valid, reason="误", now=NOW)


def test_the_tick_command_runs_the_registry_tick(county):
    _user, certificate = certified(county.admin, county.unit_a, expires_on=date(2026, 7, 31))
    call_command("tick", stdout=StringIO())  # the real clock is past July 2026
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED
