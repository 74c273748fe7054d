"""PER-1: a certificate's status changes only along the transition table — suspend, reinstate, revoke, expire — each
a new history row with its ledger entry in the same transaction; the history itself can never be changed."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, transaction

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.ledger import ledger_verify
from sunlight.core.models import LedgerEntry
from sunlight.registry import services
from sunlight.registry.choices import CertificateStatus
from sunlight.registry.models import CertificateStatusChange

from .factories import NOW, certified

pytestmark = pytest.mark.django_db


def history(certificate) -> list[tuple[str, str, date, str]]:
    return list(certificate.history.values_list("from_status", "to_status", "effective_on", "reason"))


def test_suspend_reinstate_revoke_each_add_a_row_and_a_ledger_entry(county):
    _user, certificate = certified(county.admin, county.unit_a)
    services.certificate_suspend(acting_user=county.admin, certificate=certificate, reason="涉嫌违规执法", now=NOW)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.status_since) == (CertificateStatus.SUSPENDED, date(2026, 6, 15))
    later = NOW.replace(day=20)
    services.certificate_reinstate(acting_user=county.admin, certificate=certificate, reason="核查无误", now=later)
    services.certificate_revoke(acting_user=county.admin, certificate=certificate, reason="本人申请", now=later)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert history(certificate) == [
        ("", "valid", date(2026, 1, 5), "发证"),
        ("valid", "suspended", date(2026, 6, 15), "涉嫌违规执法"),
        ("suspended", "valid", date(2026, 6, 20), "核查无误"),
        ("valid", "revoked", date(2026, 6, 20), "本人申请"),
    ]
    kinds = list(
        LedgerEntry.objects.filter(stream=f"officer:{certificate.officer.public_id}")
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "registry.officer_registered",
        "registry.certificate_issued",
        "registry.certificate_suspended",
        "registry.certificate_reinstated",
        "registry.certificate_revoked",
    ]
    entry = LedgerEntry.objects.get(kind="registry.certificate_suspended")
    assert entry.payload["from_status"] == "valid" and entry.payload["to_status"] == "suspended"
    assert entry.actor == f"user:{county.admin.public_id}"
    assert ledger_verify().ok


@pytest.mark.parametrize(
    ("steps", "refused", "message"),
    [
        ([], "reinstate", "当前状态为“有效”，不能发还。"),
        (["suspend"], "suspend", "当前状态为“暂扣”，不能暂扣。"),
        (["revoke"], "reinstate", "当前状态为“已注销”，不能发还。"),
        (["revoke"], "revoke", "当前状态为“已注销”，不能注销。"),
    ],
)
def test_moves_outside_the_table_are_refused(county, steps, refused, message):
    _user, certificate = certified(county.admin, county.unit_a)
    for step in steps:
        getattr(services, f"certificate_{step}")(
            acting_user=county.admin, certificate=certificate, reason="依规", now=NOW
        )
    rows = certificate.history.count()
    with pytest.raises(ServiceError) as exc:
        getattr(services, f"certificate_{refused}")(
            acting_user=county.admin, certificate=certificate, reason="再次", now=NOW
        )
    assert exc.value.errors[0].code == "bad_transition"
    assert exc.value.errors[0].message == f"执法证 {certificate.number} {message}"
    assert certificate.history.count() == rows


def test_a_reason_is_required_and_an_expired_certificate_cannot_be_suspended(county):
    _user, certificate = certified(county.admin, county.unit_a, expires_on=date(2026, 6, 30))
    with pytest.raises(ServiceError) as exc:
        services.certificate_suspend(acting_user=county.admin, certificate=certificate, reason="  ", now=NOW)
    assert exc.value.errors[0].message == "请填写原因。"
    with pytest.raises(ServiceError) as exc:
        services.certificate_suspend(
            acting_user=county.admin, certificate=certificate, reason="违规", now=NOW.replace(month=7, day=2)
        )
    assert exc.value.errors[0].message == "执法证已超过有效期（至 2026-06-30），不能暂扣。"


def test_only_the_certificate_authority_changes_a_certificate(county):
    _user, certificate = certified(county.admin, county.unit_a)
    denied = LedgerEntry.objects.filter(kind="permission.denied").count()
    for who in (county.agency_head, county.unit_head, county.officer):
        with pytest.raises(Forbidden):
            services.certificate_suspend(acting_user=who, certificate=certificate, reason="越权", now=NOW)
    assert LedgerEntry.objects.filter(kind="permission.denied").count() == denied + 3
    # The county justice bureau (certificate authority) may.
    services.certificate_suspend(acting_user=county.supervisor, certificate=certificate, reason="暂扣", now=NOW)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED


def test_the_database_refuses_to_change_or_delete_history(county):
    _user, certificate = certified(county.admin, county.unit_a)
    row = CertificateStatusChange.objects.get(certificate=certificate)
    with pytest.raises(DatabaseError), transaction.atomic():
        CertificateStatusChange.objects.filter(pk=row.pk).update(reason="篡改")
    with pytest.raises(DatabaseError), transaction.atomic():
        CertificateStatusChange.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert row.reason == "发证"
