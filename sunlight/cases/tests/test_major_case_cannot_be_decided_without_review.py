"""REV-2: a case that meets the major-decision catalog is refused at decision until a legal review has passed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sunlight.cases.models import CaseRecord
from sunlight.cases.services import case_review_record
from sunlight.cases.tests.factories import Desk
from sunlight.core.errors import ServiceError

DECISION = {"facts": "无证经营", "basis": "《食品安全法》第一百二十二条", "kinds": ["fine"], "fine_fen": 15_000_000}


def _noticed(desk: Desk):
    now = timezone.now()
    case = desk.start()
    desk.record(case, "initiation", now, by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", now, given=desk.field(now))
    desk.record(
        case,
        "notice",
        now,
        given=desk.field(
            now, rights_notified=["statement", "hearing"], rights_how="书面", data={"proposed": "罚款15万元"}
        ),
    )
    desk.record(case, "statement", now, given=desk.field(now, data={"statement": "放弃听证", "waived_hearing": True}))
    return case


def test_major_case_is_refused_at_decision_with_the_reason(desk: Desk) -> None:
    case = _noticed(desk)
    count = CaseRecord.objects.filter(case=case).count()
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "decision", timezone.now(), by=desk.head, data=DECISION)
    error = next(e for e in refused.value.errors if e.code == "review_required")
    assert "10万元以上罚款" in error.message
    case.refresh_from_db()
    assert case.step == "statement" and CaseRecord.objects.filter(case=case).count() == count


def test_major_case_is_decided_after_a_passed_review(desk: Desk) -> None:
    case = _noticed(desk)
    case_review_record(
        acting_user=desk.c.reviewer, case=case, outcome="change", opinion="罚款依据需补充", review_ref="R1"
    )
    with pytest.raises(ServiceError):
        desk.record(case, "decision", timezone.now(), by=desk.head, data=DECISION)
    case_review_record(acting_user=desk.c.reviewer, case=case, outcome="approve", opinion="同意", review_ref="R1")
    desk.record(case, "decision", timezone.now(), by=desk.head, data=DECISION)
    case.refresh_from_db()
    assert case.is_major and case.major_reasons
