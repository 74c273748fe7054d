"""PER-1: a certificate is issued only to a registered officer who passed the exam and has establishment proof;
its particulars are validated, the number is unique, and the issue is the first row of its status history."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.core.errors import ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.registry import services
from sunlight.registry.choices import CertificateStatus
from sunlight.registry.models import Certificate

from .factories import NOW, make_certificate, make_officer

pytestmark = pytest.mark.django_db


def codes(exc: pytest.ExceptionInfo[ServiceError]) -> dict[str, str]:
    return {e.code: e.message for e in exc.value.errors}


def test_no_certificate_without_a_passed_exam_or_establishment_proof(county):
    officer = make_officer(
        county.admin, county.unit_a, exam_passed=False, exam_score=None, exam_date=None, establishment_proof=""
    )
    with pytest.raises(ServiceError) as exc:
        make_certificate(county.admin, officer)
    found = codes(exc)
    assert found["no_exam"] == "该人员尚未通过执法资格考试，不能发证。"
    assert found["no_establishment"] == "该人员没有编制证明，不能发证。"
    assert not Certificate.objects.exists()

    services.officer_update(
        acting_user=county.admin,
        officer=officer,
        data={
            "exam_score": 78,
            "exam_date": date(2026, 3, 1),
            "exam_passed": True,
            "establishment_proof": "临编办〔2021〕7号",
        },
        now=NOW,
    )
    officer.refresh_from_db()
    certificate = make_certificate(county.admin, officer, issued_on=date(2026, 3, 10))
    assert certificate.status == CertificateStatus.VALID
    history = list(certificate.history.values_list("from_status", "to_status", "effective_on", "reason"))
    assert history == [("", "valid", date(2026, 3, 10), "发证")]
    entry = LedgerEntry.objects.filter(kind="registry.certificate_issued").get()
    assert entry.stream == f"officer:{officer.public_id}"
    assert entry.payload["number"] == certificate.number and entry.payload["categories"] == ["market"]


def test_bad_particulars_are_all_reported_in_chinese(county):
    officer = make_officer(county.admin, county.unit_a)
    make_certificate(county.admin, officer, number="341221000999")
    with pytest.raises(ServiceError) as exc:
        make_certificate(
            county.admin,
            officer,
            number="341221000999",
            issuing_authority=" ",
            categories=["spaceflight"],
            regions=["34122", "999999"],
            issued_on=date(2026, 5, 1),
            expires_on=date(2026, 4, 1),
        )
    fields = {e.field: e.message for e in exc.value.errors}
    assert fields["number"] == "证件编号 341221000999 已被使用。"
    assert fields["issuing_authority"] == "请填写发证机关。"
    assert fields["categories"] == "执法类别无效。"
    assert fields["regions"] == "区划代码格式不正确：34122。"
    assert fields["expires_on"] == "有效期截止日期应晚于发证日期。"

    with pytest.raises(ServiceError) as exc:
        make_certificate(county.admin, officer, regions=["999999"], categories=[], expires_on=date(2026, 6, 1))
    fields = {e.field: e.message for e in exc.value.errors}
    assert fields["regions"] == "区划代码不存在：999999。"
    assert fields["categories"] == "请至少选择一个执法类别。"
    assert fields["expires_on"] == "有效期截止日期已过，不能发放已过期的证件。"
    assert Certificate.objects.count() == 1


def test_exam_record_is_validated(county):
    with pytest.raises(ServiceError) as exc:
        make_officer(county.admin, county.unit_a, exam_score=101, exam_date=date(2027, 1, 1))
    fields = {e.field: e.message for e in exc.value.errors}
    assert fields["exam_score"] == "考试成绩应在 0 到 100 之间，最多一位小数。"
    assert fields["exam_date"] == "日期不能晚于今天（2026-06-15）。"
    with pytest.raises(ServiceError) as exc:
        make_officer(county.admin, county.unit_a, exam_score=None)
    assert codes(exc)["incomplete"] == "考试合格须同时填写考试成绩和考试日期。"
