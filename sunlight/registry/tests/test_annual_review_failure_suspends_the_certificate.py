"""PER-1: the annual review (年审) of a certificate is recorded once a year; a failed review suspends it at once."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.core.errors import ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.registry import services
from sunlight.registry.choices import CertificateStatus
from sunlight.registry.selectors import may_act

from .factories import NOW, certified

pytestmark = pytest.mark.django_db


def test_passed_and_failed_reviews(county):
    user, certificate = certified(county.admin, county.unit_a, issued_on=date(2025, 3, 1))
    review = services.certificate_review(
        acting_user=county.admin, certificate=certificate, year=2025, passed=True, now=NOW
    )
    assert (review.year, review.passed, review.reviewed_on, review.reviewer) == (
        2025,
        True,
        date(2026, 6, 15),
        county.admin,
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID

    services.certificate_review(
        acting_user=county.supervisor,
        certificate=certificate,
        year=2026,
        passed=False,
        note="全年无执法办案记录",
        now=NOW,
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED
    assert certificate.history.last().reason == "2026 年度年审不合格：全年无执法办案记录"
    assert may_act(user=user, region_code="341221", on=date(2026, 6, 15)).reasons == [
        f"执法证 {certificate.number} 自 2026-06-15 起被暂扣。"
    ]
    assert LedgerEntry.objects.filter(kind="registry.certificate_reviewed").count() == 2


def test_bad_reviews_are_refused_in_chinese(county):
    _user, certificate = certified(county.admin, county.unit_a, issued_on=date(2025, 3, 1))
    services.certificate_review(acting_user=county.admin, certificate=certificate, year=2025, passed=True, now=NOW)
    cases = [
        ({"year": 2025, "passed": True}, "year", "该证件 2025 年度已年审。"),
        ({"year": 2024, "passed": True}, "year", "年审年度应在 2025 到 2026 之间。"),
        ({"year": 2027, "passed": True}, "year", "年审年度应在 2025 到 2026 之间。"),
        ({"year": 2026, "passed": False}, "note", "年审不合格须说明原因。"),
    ]
    for kwargs, field, message in cases:
        with pytest.raises(ServiceError) as exc:
            services.certificate_review(acting_user=county.admin, certificate=certificate, now=NOW, **kwargs)
        assert {e.field: e.message for e in exc.value.errors}[field] == message
    services.certificate_revoke(acting_user=county.admin, certificate=certificate, reason="调离", now=NOW)
    with pytest.raises(ServiceError) as exc:
        services.certificate_review(acting_user=county.admin, certificate=certificate, year=2026, passed=True, now=NOW)
    assert exc.value.errors[0].message == "只有有效期内未注销的证件才能年审。"
