"""PER-1: the clean-up list (清理名单) names officers whose certificates expired, who moved away or were disabled, or
who were sanctioned; clearing one revokes their certificates and takes them off the list."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.org import services as org_services
from sunlight.registry import services
from sunlight.registry.choices import CertificateStatus, SanctionKind
from sunlight.registry.selectors import cleanup_list

from .factories import NOW, certified, make_certificate, make_officer

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 15)


def listed(user, on=ON) -> dict[str, list[str]]:
    return {e.officer.user.username: e.reasons for e in cleanup_list(user=user, on=on)}


def test_who_is_on_the_list_and_why(county):
    fine, _ = certified(county.admin, county.unit_a)
    expired, expired_cert = certified(county.admin, county.unit_a, expires_on=date(2026, 6, 30))
    moved, _ = certified(county.admin, county.unit_a)
    org_services.user_update(
        acting_user=county.admin, user=moved, data={"agency": county.other_unit.agency, "unit": county.other_unit}
    )
    disabled, _ = certified(county.admin, county.unit_a)
    org_services.user_update(acting_user=county.admin, user=disabled, data={"is_active": False})
    suspended, _ = certified(county.admin, county.unit_a)
    services.sanction_record(
        acting_user=county.admin,
        officer=suspended.officer_records.get(),
        kind=SanctionKind.SUSPENSION,
        reason="违规执法",
        decided_on=ON,
        now=NOW,
    )
    new = make_officer(county.admin, county.unit_a)  # no certificate yet: not a clean-up case

    assert listed(county.admin) == {
        moved.username: ["已调离（现属：太和县市场监督管理局）"],
        disabled.username: ["账户已停用"],
        suspended.username: ["受到暂扣执法证处理"],
    }
    later = listed(county.admin, on=date(2026, 7, 1))
    assert later[expired.username] == [f"执法证已过期（{expired_cert.number}，有效期至 2026-06-30）"]
    assert fine.username not in later and new.user.username not in later
    # The county's agency head sees the list of their own agency only.
    assert moved.username not in listed(county.other_officer)


def test_a_renewed_certificate_keeps_an_officer_off_the_list(county):
    officer = make_officer(county.admin, county.unit_a)
    make_certificate(county.admin, officer, expires_on=date(2026, 6, 30))
    make_certificate(county.admin, officer, issued_on=date(2026, 6, 1), expires_on=date(2031, 5, 31))
    assert officer.user.username not in listed(county.admin, on=date(2026, 7, 1))


def test_clearing_revokes_certificates_and_takes_the_officer_off(county):
    user, certificate = certified(county.admin, county.unit_a)
    org_services.user_update(acting_user=county.admin, user=user, data={"is_active": False})
    officer = user.officer_records.get()
    with pytest.raises(Forbidden):
        services.officer_clear(acting_user=county.unit_head, officer=officer, reason="离职", now=NOW)
    with pytest.raises(ServiceError) as exc:
        services.officer_clear(acting_user=county.agency_head, officer=officer, reason="", now=NOW)
    assert exc.value.errors[0].message == "请填写清理原因。"
    services.officer_clear(acting_user=county.agency_head, officer=officer, reason="辞职离岗", now=NOW)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.history.last().reason == "清理出执法队伍：辞职离岗"
    assert user.username not in listed(county.admin)
    with pytest.raises(ServiceError) as exc:
        services.officer_clear(acting_user=county.agency_head, officer=officer, reason="再次", now=NOW)
    assert exc.value.errors[0].message == "该人员已于 2026-06-15 清理。"
