"""REV-3, REV-4, REV-6, REV-12, REV-2: submit, unit head, one notice of missing items, supplement, change, resubmit,
approve; only then may the head decide the major case."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sunlight.core.errors import ServiceError
from sunlight.core.models import Deadline
from sunlight.review import services as s
from sunlight.review.choices import ReviewStatus
from sunlight.review.models import AccountabilityRecord
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed


def test_review_round_trip_opens_the_decision_gate(desk) -> None:
    now = timezone.now()
    case = noticed(desk, now)
    reviewer = desk.c.reviewer
    with pytest.raises(ServiceError):
        desk.record(case, "decision", now, by=desk.head, data=MAJOR_DRAFT)
    assert AccountabilityRecord.objects.filter(case=case, kind="without_review").count() == 1

    review = s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT)
    assert not review.voluntary and review.major_reasons
    with pytest.raises(ServiceError) as again:
        s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT)
    assert again.value.errors[0].code == "under_review"
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=reviewer, review=review, missing=["现场检查照片", "营业执照复印件"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.INCOMPLETE and review.missing == ["现场检查照片", "营业执照复印件"]
    s.review_supplement(acting_user=desk.officer, review=review, items=["现场检查照片", "营业执照复印件"])
    s.review_completeness(acting_user=reviewer, review=review, missing=[])
    clock = Deadline.objects.get(subject_type="review", subject_id=str(review.public_id))
    assert clock.rule.code == "review.legal_review" and clock.amount == 3

    with pytest.raises(ServiceError) as no_reasons:
        s.review_opinion(acting_user=reviewer, review=review, outcome="change", reasons=" ")
    assert no_reasons.value.errors[0].field == "reasons"
    s.review_opinion(acting_user=reviewer, review=review, outcome="change", reasons="罚款金额应对照裁量基准说明理由")
    review.refresh_from_db()
    assert review.status == ReviewStatus.RETURNED
    with pytest.raises(ServiceError):
        desk.record(case, "decision", now, by=desk.head, data=MAJOR_DRAFT)

    second = s.review_submit(
        acting_user=desk.officer, case=case, draft={**MAJOR_DRAFT, "discretion_reasons": "货值虽小但多次违法"}
    )
    s.review_unit_decide(acting_user=desk.head, review=second, passed=True)
    s.review_completeness(acting_user=reviewer, review=second, missing=[])
    s.review_opinion(acting_user=reviewer, review=second, outcome="approve", reasons="事实清楚，证据确凿，适用法律正确")
    desk.record(case, "decision", timezone.now(), by=desk.head, data=MAJOR_DRAFT)
    case.refresh_from_db()
    assert case.status == "decided"
    assert list(case.reviews.order_by("submitted_at").values_list("outcome", flat=True)) == ["change", "approve"]


def test_still_incomplete_after_supplement_is_not_accepted(desk) -> None:
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=["询问笔录"])
    s.review_supplement(acting_user=desk.officer, review=review, items=["情况说明"])
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=["询问笔录"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.NOT_ACCEPTED
    assert AccountabilityRecord.objects.filter(review=review, kind="incomplete").exists()
