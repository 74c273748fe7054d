"""The demo county loads at any hour (REC-1): its cases' steps are dated in the last hours before the load, in order,
even when the load runs in the first minutes after midnight and those hours began the day before.

CI once loaded the demo at 00:00:28 China time: the steps were then dated partly after the load and partly on the
previous day, before the catalog's demo items were in force, and the decision step was refused.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sunlight.cases.models import Case, CaseRecord
from sunlight.org.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("clock", [time(0, 0, 0), time(0, 0, 28), time(0, 1, 30), time(23, 59, 59)])
def test_demo_cases_load_with_their_steps_in_order_before_the_load(clock: time) -> None:
    day = timezone.localdate() - timedelta(days=2)
    now = datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())

    created = load_demo(now=now)

    assert created["cases"] == 4
    for case in Case.objects.filter(source_ref__startswith="演示-"):
        times = list(CaseRecord.objects.filter(case=case).order_by("id").values_list("occurred_at", flat=True))
        assert times, case.source_ref
        assert all(at < now for at in times), (case.source_ref, times, now)
        assert times == sorted(times), (case.source_ref, times)
        assert now - times[0] <= timedelta(hours=3)
