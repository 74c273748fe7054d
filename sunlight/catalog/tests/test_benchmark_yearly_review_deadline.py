"""DIS-5: benchmarks are reviewed yearly and filed with the justice bureau by the end of November (with warnings)."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.catalog import services
from sunlight.catalog.models import BenchmarkReview
from sunlight.core.calendar import WorkCalendar, end_of_local_day
from sunlight.core.errors import ServiceError
from sunlight.core.models import Deadline

from .factories import new_benchmark, noon

pytestmark = pytest.mark.django_db

SUBJECT = "catalog.benchmark_review"


def test_publishing_a_benchmark_starts_the_yearly_clock_due_at_the_end_of_november(catalog):
    new_benchmark(catalog, now=noon(date(2026, 3, 2)))
    deadline = Deadline.objects.get(subject_type=SUBJECT)
    assert deadline.rule.code == "discretion.benchmark_filing"
    assert deadline.subject_id == f"{catalog.agency.public_id}:2026"
    assert deadline.due_at == end_of_local_day(date(2026, 11, 30))  # a Monday in 2026
    assert deadline.agency == catalog.agency and deadline.unit == catalog.legal
    # The rule's month arithmetic: a 30 November that falls on a rest day moves to the next working day (2025: Sunday).
    assert WorkCalendar().add_months(date(2024, 12, 31), 11) == date(2025, 12, 1)


def test_in_december_the_clock_is_for_next_year_and_it_starts_once(catalog):
    new_benchmark(catalog, now=noon(date(2026, 12, 10)))
    new_benchmark(catalog, "BM-2", now=noon(date(2026, 12, 11)))
    deadline = Deadline.objects.get(subject_type=SUBJECT)
    assert deadline.subject_id.endswith(":2027")
    assert deadline.due_at == end_of_local_day(date(2027, 11, 30))
    assert services.benchmark_review_deadlines_open(now=noon(date(2026, 12, 12))) == 0


def test_the_tick_helper_opens_clocks_for_agencies_with_benchmarks(catalog):
    new_benchmark(catalog)
    Deadline.objects.filter(subject_type=SUBJECT).delete()
    assert services.benchmark_review_deadlines_open() == 1
    assert services.benchmark_review_deadlines_open() == 0


def test_filing_the_review_stops_the_clock_once_a_year(catalog):
    new_benchmark(catalog, now=noon(date(2026, 3, 2)))
    review = services.benchmark_review_file(
        acting_user=catalog.reviewer,
        agency=catalog.agency,
        year=2026,
        note="已对4项裁量基准进行评估，无需调整，已报县司法局备案。",
        filed_on=date(2026, 11, 20),
        now=noon(date(2026, 11, 20)),
    )
    assert review.filed_by == catalog.reviewer
    deadline = Deadline.objects.get(subject_type=SUBJECT)
    assert deadline.status == "met"
    with pytest.raises(ServiceError):
        services.benchmark_review_file(acting_user=catalog.reviewer, agency=catalog.agency, year=2026, note="再次")
    assert BenchmarkReview.objects.count() == 1
