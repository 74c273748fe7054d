"""REV-7: 3 WD from a complete package (across the National Day holiday and its make-up Saturday), 1 WD when urgent,
+2 WD with the head's approval for a complex case, the clock stopped while an expert opinion is out."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sunlight.core.errors import ServiceError
from sunlight.core.models import Deadline
from sunlight.review import services as s
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed

CST = ZoneInfo("Asia/Shanghai")
ACCEPTED = datetime(2026, 9, 30, 10, 0, tzinfo=CST)  # the day before the 2026 National Day holiday (Oct 1-7)


def _last_day(due: datetime) -> date:
    return timezone.localtime(due - timedelta(seconds=1)).date()


def _accepted(desk, *, urgent: bool = False):
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT, urgent=urgent)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[], now=ACCEPTED)
    return review, Deadline.objects.get(subject_type="review", subject_id=str(review.public_id))


def test_three_working_days_skip_the_holiday_and_count_the_make_up_saturday(desk) -> None:
    _review, clock = _accepted(desk)
    assert _last_day(clock.due_at) == date(2026, 10, 10)  # Oct 8, Oct 9, Sat Oct 10 (make-up working day)


def test_urgent_review_has_one_working_day(desk) -> None:
    review, clock = _accepted(desk, urgent=True)
    assert clock.rule.code == "review.legal_review_urgent"
    assert _last_day(clock.due_at) == date(2026, 10, 8)
    with pytest.raises(ServiceError):  # an urgent review is not extended
        s.review_extend(acting_user=desk.chief, review=review, reason="复杂")


def test_expert_opinion_pauses_the_clock_and_the_head_extends_it_once(desk) -> None:
    review, clock = _accepted(desk)
    s.review_pause(
        acting_user=desk.c.reviewer, review=review, reason="专家论证", now=datetime(2026, 10, 8, 9, 0, tzinfo=CST)
    )
    s.review_resume(acting_user=desk.c.reviewer, review=review, now=datetime(2026, 10, 12, 9, 0, tzinfo=CST))
    clock.refresh_from_db()
    # Paused from Thu Oct 8 09:00 to Mon Oct 12 09:00: three working days (Oct 8, 9, 10) did not count.
    assert _last_day(clock.due_at) == date(2026, 10, 14)
    with pytest.raises(ServiceError):
        s.review_extend(acting_user=desk.c.reviewer, review=review, reason="案情复杂")
    s.review_extend(acting_user=desk.chief, review=review, reason="案情复杂")
    clock.refresh_from_db()
    assert clock.amount == 5 and _last_day(clock.due_at) == date(2026, 10, 16)
    with pytest.raises(ServiceError):
        s.review_extend(acting_user=desk.chief, review=review, reason="再次延长")
