"""PER-6: sanctions are recorded with their reason and document; suspension and revocation act on the certificates
in the same transaction; only the certificate authority imposes those, the agency head the lighter ones."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.registry import services
from sunlight.registry.choices import CertificateStatus, SanctionKind
from sunlight.registry.models import Sanction
from sunlight.registry.selectors import may_act

from .factories import NOW, make_certificate, make_officer

pytestmark = pytest.mark.django_db


def sanction(by, officer, kind, **kwargs):
    values = {
        "reason": "执法检查中未出示执法证件",
        "decided_on": date(2026, 6, 12),
        "document_no": "临司发〔2026〕41号",
    }
    values.update(kwargs)
    return services.sanction_record(acting_user=by, officer=officer, kind=kind, now=NOW, **values)


def test_criticism_is_recorded_only(county):
    officer = make_officer(county.admin, county.unit_a)
    certificate = make_certificate(county.admin, officer)
    record = sanction(county.agency_head, officer, SanctionKind.CRITICISM)
    assert (record.kind, record.decided_by, record.document_no) == (
        "criticism",
        county.agency_head,
        "临司发〔2026〕41号",
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    entry = LedgerEntry.objects.get(kind="registry.sanction_recorded")
    assert entry.payload["kind"] == "criticism" and entry.payload["certificates"] == []


def test_suspension_suspends_every_valid_certificate(county):
    officer = make_officer(county.admin, county.unit_a)
    first = make_certificate(county.admin, officer)
    second = make_certificate(county.admin, officer, categories=["urban"])
    record = sanction(county.supervisor, officer, SanctionKind.SUSPENSION)
    for certificate in (first, second):
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.SUSPENDED
        last = certificate.history.last()
        assert last.sanction == record and last.reason == "暂扣执法证：执法检查中未出示执法证件"
    assert not may_act(user=officer.user, region_code="341221", on=date(2026, 6, 15)).ok
    affected = LedgerEntry.objects.get(kind="registry.sanction_recorded").payload["certificates"]
    assert sorted(affected) == sorted([first.number, second.number])


def test_revocation_revokes_every_certificate_not_yet_revoked(county):
    officer = make_officer(county.admin, county.unit_a)
    certificate = make_certificate(county.admin, officer)
    services.certificate_suspend(acting_user=county.admin, certificate=certificate, reason="调查", now=NOW)
    sanction(county.admin, officer, SanctionKind.REVOCATION, reason="滥用职权，情节严重")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    # Nothing left to revoke or suspend: a second one is refused.
    with pytest.raises(ServiceError) as exc:
        sanction(county.admin, officer, SanctionKind.REVOCATION)
    assert exc.value.errors[0].message == "该人员没有可注销的执法证。"
    with pytest.raises(ServiceError) as exc:
        sanction(county.admin, officer, SanctionKind.SUSPENSION)
    assert exc.value.errors[0].message == "该人员没有可暂扣的有效执法证。"


def test_off_post_training_needs_its_dates(county):
    officer = make_officer(county.admin, county.unit_a)
    make_certificate(county.admin, officer)
    with pytest.raises(ServiceError) as exc:
        sanction(
            county.agency_head,
            officer,
            SanctionKind.OFF_POST_TRAINING,
            starts_on=date(2026, 6, 20),
            ends_on=date(2026, 6, 1),
        )
    assert {e.field: e.message for e in exc.value.errors} == {"ends_on": "结束日期不能早于开始日期。"}
    with pytest.raises(ServiceError) as exc:
        sanction(county.agency_head, officer, SanctionKind.OFF_POST_TRAINING)
    assert {e.field for e in exc.value.errors} == {"starts_on", "ends_on"}
    record = sanction(
        county.agency_head,
        officer,
        SanctionKind.OFF_POST_TRAINING,
        starts_on=date(2026, 6, 20),
        ends_on=date(2026, 7, 5),
    )
    assert (record.starts_on, record.ends_on) == (date(2026, 6, 20), date(2026, 7, 5))


def test_bad_input_and_who_may_decide(county):
    officer = make_officer(county.admin, county.unit_a)
    make_certificate(county.admin, officer)
    with pytest.raises(ServiceError) as exc:
        services.sanction_record(
            acting_user=county.admin, officer=officer, kind="fine", reason=" ", decided_on=date(2026, 7, 1), now=NOW
        )
    assert {e.field: e.message for e in exc.value.errors} == {
        "kind": "请选择处理方式。",
        "reason": "请填写事由。",
        "decided_on": "日期不能晚于今天（2026-06-15）。",
    }
    # The agency head may criticise but not suspend or revoke a certificate; other agencies may do nothing.
    for kind in (SanctionKind.SUSPENSION, SanctionKind.REVOCATION):
        with pytest.raises(Forbidden):
            sanction(county.agency_head, officer, kind)
    other = make_officer(county.admin, county.other_unit)
    with pytest.raises(Forbidden):
        sanction(county.agency_head, other, SanctionKind.CRITICISM)
    with pytest.raises(Forbidden):
        sanction(county.officer, officer, SanctionKind.CRITICISM)
    assert not Sanction.objects.exists()
