"""SYS-8: yellow when one working day or 20% of the period is left (whichever first), red when overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sunlight.core.calendar import LOCAL_TZ, Period, WorkCalendar, due_at, level_at, yellow_at
from sunlight.core.choices import Level, Unit
from sunlight.core.deadlines import deadline_open, rules_sync
from sunlight.core.models import DeadlineRule

CAL = WorkCalendar()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


def yellow_for(start: datetime, amount: int, unit: Unit, **kw: int) -> tuple[datetime, datetime]:
    due = due_at(CAL, start=start, period=Period(amount, unit))
    return due, yellow_at(CAL, due=due, period_amount=amount, unit=unit, start=start, **kw)


def test_wd_20_percent_of_20_is_four_working_days_counting_the_due_day() -> None:
    # 20 WD from 1 Sep 2026: the make-up Sunday 20 Sep counts; last day Tue 29 Sep.
    due, yellow = yellow_for(at(2026, 9, 1, 10), 20, Unit.WORKING_DAYS)
    assert due == at(2026, 9, 30)
    # 4 working days left from Wed 23 Sep: 23, 24, 28, 29 (25-27 Sep is the Mid-Autumn holiday).
    assert yellow == at(2026, 9, 23)


def test_wd_short_period_turns_yellow_on_the_last_day() -> None:
    due, yellow = yellow_for(at(2026, 3, 2, 9), 5, Unit.WORKING_DAYS)  # ceil(20% of 5) = 1
    assert (due, yellow) == (at(2026, 3, 10), at(2026, 3, 9))


def test_wd_yellow_min_wins_when_larger() -> None:
    _, yellow = yellow_for(at(2026, 3, 2, 9), 5, Unit.WORKING_DAYS, yellow_min=2)
    assert yellow == at(2026, 3, 6)  # Fri 6 and Mon 9 left


def test_wd_yellow_skips_back_over_holidays() -> None:
    # 2 WD from 29 Sep: 30 Sep and 8 Oct; with yellow_min=2 the clock turns yellow on 30 Sep.
    due, yellow = yellow_for(at(2026, 9, 29, 9), 2, Unit.WORKING_DAYS, yellow_min=2)
    assert due == at(2026, 10, 9)
    assert yellow == at(2026, 9, 30)


def test_cd_threshold_is_calendar_days_before_due() -> None:
    due, yellow = yellow_for(at(2026, 1, 5, 10), 90, Unit.CALENDAR_DAYS)
    assert due == at(2026, 4, 8)
    assert yellow == due - timedelta(days=18)
    due, yellow = yellow_for(at(2026, 3, 2, 10), 3, Unit.CALENDAR_DAYS)  # ceil(0.6) = 1 = yellow_min
    assert (due, yellow) == (at(2026, 3, 6), at(2026, 3, 5))


def test_months_use_the_actual_length_in_days() -> None:
    due, yellow = yellow_for(at(2026, 1, 15, 10), 3, Unit.MONTHS)
    assert due == at(2026, 4, 16)
    assert yellow == at(2026, 3, 29)  # 90 days long → 18 days before due
    # Without a start the length is taken back from the last day: same period, same answer.
    assert yellow_at(CAL, due=due, period_amount=3, unit=Unit.MONTHS) == at(2026, 3, 29)


def test_hours_threshold() -> None:
    due, yellow = yellow_for(at(2026, 3, 2, 9), 24, Unit.HOURS)
    assert yellow == due - timedelta(hours=4, minutes=48)
    due, yellow = yellow_for(at(2026, 3, 2, 9), 2, Unit.HOURS)  # 24 minutes < 1 hour minimum
    assert yellow == due - timedelta(hours=1)


def test_zero_threshold_means_yellow_only_at_due() -> None:
    due, yellow = yellow_for(at(2026, 3, 2, 9), 5, Unit.WORKING_DAYS, yellow_percent=0, yellow_min=0)
    assert yellow == due


def test_level_at_boundaries() -> None:
    yellow, due = at(2026, 3, 9), at(2026, 3, 10)
    assert level_at(now=yellow - timedelta(microseconds=1), yellow=yellow, due=due) == Level.GREEN
    assert level_at(now=yellow, yellow=yellow, due=due) == Level.YELLOW
    assert level_at(now=due - timedelta(seconds=1), yellow=yellow, due=due) == Level.YELLOW
    assert level_at(now=due, yellow=yellow, due=due) == Level.RED


@pytest.mark.django_db
def test_opened_deadline_starts_at_the_level_now_calls_for(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUNLIGHT_DEFAULT_REGION = ""
    rules_sync()
    common = {
        "rule_code": "penalty.hearing_request",
        "subject_type": "case",
        "subject_label": "测试案件",
        "started_at": at(2026, 3, 2, 9),
        "start_event": "听证告知书送达",
    }
    assert deadline_open(subject_id="1", now=at(2026, 3, 8), **common).level == Level.GREEN  # type: ignore[arg-type]
    assert deadline_open(subject_id="2", now=at(2026, 3, 9, 8), **common).level == Level.YELLOW  # type: ignore[arg-type]
    assert deadline_open(subject_id="3", now=at(2026, 3, 10, 0), **common).level == Level.RED  # type: ignore[arg-type]
    rule = DeadlineRule.objects.get(code="penalty.hearing_request")
    rule.yellow_min = 3
    rule.save()
    d = deadline_open(subject_id="4", now=at(2026, 3, 5, 8), **common)  # type: ignore[arg-type]
    assert d.yellow_at == at(2026, 3, 5)
    assert d.level == Level.YELLOW
