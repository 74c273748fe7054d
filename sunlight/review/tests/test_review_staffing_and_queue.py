"""REV-11 staffing (5 % of officers, at least 2) and the reviewer's queue and dashboard (REV-7, item 11)."""

from __future__ import annotations

from django.utils import timezone

from sunlight.org.models import Agency
from sunlight.review import services as s
from sunlight.review.models import ReviewPolicy
from sunlight.review.selectors import dashboard, review_queue, staffing
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed


def test_staffing_warns_below_two_reviewers_or_five_percent(desk) -> None:
    agency = desk.c.agency
    row = next(r for r in staffing(Agency.objects.filter(pk=agency.pk)))
    assert row.officers == 2 and row.reviewers == 1 and row.needed == 2 and row.short
    ReviewPolicy.objects.create(agency=agency, min_percent=5, min_count=1)
    row = next(r for r in staffing(Agency.objects.filter(pk=agency.pk)))
    assert row.needed == 1 and not row.short


def test_queue_and_dashboard_show_open_reviews_to_the_legal_department(desk) -> None:
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[])
    assert list(review_queue(desk.c.reviewer)) == [review]
    assert list(review_queue(desk.c.reviewer, mine=True)) == [review]
    assert list(review_queue(desk.c.outsider)) == []
    board = dashboard(desk.c.reviewer)
    assert board.open_count == 1 and sum(board.levels.values()) == 1
