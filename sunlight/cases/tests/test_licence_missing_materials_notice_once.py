"""行政许可法 §32, §42: one notice of everything missing within 5 WD (else deemed accepted); decision in 20 WD."""

from __future__ import annotations

import pytest

from sunlight.cases.choices import CaseStatus
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import ServiceError
from sunlight.core.models import Deadline


def test_missing_materials_notice_then_supplement_then_decision(desk: Desk) -> None:
    case = desk.start(
        "licence", title="食品经营许可申请", party_kind="individual", party_name="张三", source="application"
    )
    desk.record(case, "application", ago(10), data={"materials": "申请书、营业执照"})
    window = Deadline.objects.get(subject_id=str(case.public_id), rule__code="licence.missing_materials")
    desk.record(case, "missing_materials_notice", ago(9), data={"missing": "健康证明；场所平面图"})
    window.refresh_from_db()
    assert window.status == "met"
    with pytest.raises(ServiceError) as second:
        desk.record(case, "missing_materials_notice", ago(8), data={"missing": "又发现缺少租赁合同"})
    assert second.value.errors[0].code == "not_allowed"
    desk.record(case, "supplement", ago(7), data={"materials": "健康证明、平面图"})
    desk.record(case, "acceptance", ago(7))
    decision = Deadline.objects.get(subject_id=str(case.public_id), rule__code="licence.decision")
    assert decision.status == "open" and decision.amount == 20
    desk.record(case, "examination", ago(6), data={"opinion": "材料齐全"})
    desk.record(case, "decision", ago(5), by=desk.head, data={"granted": True, "basis": "《食品安全法》第三十五条"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    decision.refresh_from_db()
    assert decision.status == "met"
    assert Deadline.objects.get(subject_id=str(case.public_id), rule__code="licence.issue").status == "open"


def test_acceptance_after_five_working_days_without_notice_is_deemed_on_receipt(desk: Desk) -> None:
    case = desk.start(
        "licence", title="食品经营许可申请", party_kind="individual", party_name="李四", source="application"
    )
    desk.record(case, "application", ago(30), data={"materials": "申请书"})
    record = desk.record(case, "acceptance", ago(1))
    assert record.data["deemed"] is True
    running = Deadline.objects.get(subject_id=str(case.public_id), rule__code="licence.decision", status="open")
    assert running.started_at == case.records.get(step="application").occurred_at
