"""SYS-3, SYS-8: when an administrator enters a holiday or confirms a year, running deadlines across it move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sunlight.core.calendar import last_local_day
from sunlight.core.deadlines import deadline_open
from sunlight.core.models import LedgerEntry
from sunlight.core.services import calendar_override_add, calendar_year_confirm

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def open_licence_decision(county, *, region=None):
    # 20 WD from Monday 2027-01-04: with weekends only, the last day is Monday 2027-02-01.
    return deadline_open(
        rule_code="licence.decision",
        subject_type="test",
        subject_id="lic",
        subject_label="许可申请",
        started_at=dt.datetime(2027, 1, 4, 9, tzinfo=SHANGHAI),
        start_event="受理",
        agency=county.unit_a.agency,
        responsible=county.officer,
        region_code=region or "341221",
        now=timezone.now(),
    )


def test_a_new_local_holiday_moves_the_due_date_and_is_recorded(county):
    clock = open_licence_decision(county)
    assert last_local_day(clock.due_at) == dt.date(2027, 2, 1)
    calendar_override_add(
        acting_user=county.admin, date=dt.date(2027, 1, 12), kind="restday", name="地方节日", region=county.county
    )
    clock.refresh_from_db()
    assert last_local_day(clock.due_at) == dt.date(2027, 2, 2)
    entry = LedgerEntry.objects.get(kind="deadline.recomputed")
    assert entry.payload["reason"] == "calendar_changed"


def test_a_holiday_in_another_county_changes_nothing_here(county):
    clock = open_licence_decision(county)
    before = clock.due_at
    calendar_override_add(
        acting_user=county.admin, date=dt.date(2027, 1, 12), kind="restday", name="邻县节日", region=county.other_county
    )
    clock.refresh_from_db()
    assert clock.due_at == before
    assert not LedgerEntry.objects.filter(kind="deadline.recomputed").exists()


def test_confirming_the_year_recomputes_and_clears_the_unscheduled_flag(county):
    clock = open_licence_decision(county)
    calendar_override_add(
        acting_user=county.admin, date=dt.date(2027, 1, 15), kind="restday", name="全国调整", region=None
    )
    clock.refresh_from_db()
    assert last_local_day(clock.due_at) == dt.date(2027, 2, 2)
    calendar_year_confirm(acting_user=county.admin, year=2027, note="国务院办公厅通知")
    entries = list(LedgerEntry.objects.filter(kind="deadline.recomputed").order_by("seq"))
    assert len(entries) == 1  # the confirmation does not move the date again, so nothing more is written
    assert entries[0].payload["unscheduled_years"] == [2027]
