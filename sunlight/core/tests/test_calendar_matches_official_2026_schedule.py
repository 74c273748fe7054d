"""SYS-3: the engine follows the State Council's 2026 schedule exactly (DOMAIN-RULES.md, Counting)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from sunlight.core.calendar import LOCAL_TZ, Period, WorkCalendar, due_at
from sunlight.core.choices import Unit


def _span(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# Typed in from DOMAIN-RULES.md, not taken from chinese-calendar, so the two are checked against each other.
HOLIDAYS_2026 = (
    _span(date(2026, 1, 1), date(2026, 1, 3))
    | _span(date(2026, 2, 15), date(2026, 2, 23))
    | _span(date(2026, 4, 4), date(2026, 4, 6))
    | _span(date(2026, 5, 1), date(2026, 5, 5))
    | _span(date(2026, 6, 19), date(2026, 6, 21))
    | _span(date(2026, 9, 25), date(2026, 9, 27))
    | _span(date(2026, 10, 1), date(2026, 10, 7))
)
MAKEUP_WORKDAYS_2026 = {
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
}


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_every_day_of_2026_matches_the_published_schedule(cal: WorkCalendar) -> None:
    mismatches = []
    expected_total = 0
    for day in sorted(_span(date(2026, 1, 1), date(2026, 12, 31))):
        expected = day in MAKEUP_WORKDAYS_2026 or (day.weekday() < 5 and day not in HOLIDAYS_2026)
        expected_total += expected
        if cal.is_workday(day) != expected:
            mismatches.append(day)
    assert mismatches == []
    assert expected_total == 248  # 261 weekdays - 19 weekday holidays + 6 make-up days
    assert cal.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 248
    assert cal.unscheduled_years == frozenset()


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # National Day week skipped
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # make-up Saturday counts
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # make-up Saturday before Spring Festival
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # Spring Festival 15-23 Feb skipped
        (date(2026, 2, 27), 1, date(2026, 2, 28)),  # make-up Saturday after Spring Festival
        (date(2026, 12, 31), 0, date(2026, 12, 31)),  # n = 0 is the start itself
        (date(2026, 10, 3), 1, date(2026, 10, 8)),  # start on a holiday: first working day after it
        (date(2026, 4, 3), 5, date(2026, 4, 13)),  # Qingming 4-6 Apr skipped
        (date(2026, 4, 30), 3, date(2026, 5, 8)),  # Labour Day 1-5 May skipped
        (date(2026, 5, 8), 1, date(2026, 5, 9)),  # make-up Saturday 9 May
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # make-up Sunday 20 Sep
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-Autumn 25-27 Sep skipped
        (date(2026, 6, 18), 1, date(2026, 6, 22)),  # Dragon Boat 19-21 Jun skipped
        (date(2025, 12, 31), 1, date(2026, 1, 4)),  # New Year 1-3 Jan, make-up Sunday 4 Jan
        (date(2026, 1, 5), 20, date(2026, 2, 2)),
        (date(2026, 10, 8), -1, date(2026, 9, 30)),  # backwards: the working day before
    ],
)
def test_add_workdays_2026(cal: WorkCalendar, start: date, n: int, expected: date) -> None:
    assert cal.add_workdays(start, n) == expected
    assert cal.workdays_between(start, expected) == n


def test_workdays_between_counts_after_start_through_end(cal: WorkCalendar) -> None:
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert cal.workdays_between(date(2026, 10, 9), date(2026, 10, 12)) == 2  # Sat 10 (make-up) + Mon 12
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 9, 30)) == 0


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 16), 15, date(2026, 10, 8)),  # 1 Oct is a holiday → next working day
        (date(2026, 9, 15), 15, date(2026, 9, 30)),  # ends on a working day: stays
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # ends on a make-up Saturday: stays
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # ends on an ordinary Saturday → Monday
        (date(2026, 1, 20), 14, date(2026, 2, 3)),
    ],
)
def test_calendar_day_period_ending_on_a_rest_day_moves_to_next_working_day(
    cal: WorkCalendar, start: date, n: int, expected: date
) -> None:
    assert cal.add_calendar_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # month's last day, a make-up Saturday
        (date(2026, 3, 31), 1, date(2026, 4, 30)),  # month's last day (Thursday)
        (date(2025, 10, 1), 12, date(2026, 10, 8)),  # matching date is a holiday → next working day
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 3, 15), 3, date(2026, 6, 15)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # no 30 Feb: month's last day, a make-up Saturday
        (date(2026, 4, 30), 1, date(2026, 6, 1)),  # 30 May is a Saturday → Monday 1 June
    ],
)
def test_month_periods_end_on_matching_date_or_month_end(
    cal: WorkCalendar, start: date, n: int, expected: date
) -> None:
    assert cal.add_months(start, n) == expected


def test_due_at_ends_at_midnight_shanghai_of_last_day(cal: WorkCalendar) -> None:
    start = datetime(2026, 9, 30, 10, 0, tzinfo=LOCAL_TZ)
    due = due_at(cal, start=start, period=Period(1, Unit.WORKING_DAYS))
    assert due == datetime(2026, 10, 9, 0, 0, tzinfo=LOCAL_TZ)
    assert due.utcoffset() is not None and due.utcoffset() == timedelta(0)  # returned in UTC
    assert due.isoformat() == "2026-10-08T16:00:00+00:00"


def test_late_evening_utc_start_uses_the_shanghai_date(cal: WorkCalendar) -> None:
    # 2026-09-29 17:30 UTC is already 30 September in Shanghai.
    start = datetime.fromisoformat("2026-09-29T17:30:00+00:00")
    due = due_at(cal, start=start, period=Period(1, Unit.WORKING_DAYS))
    assert due == datetime(2026, 10, 9, 0, 0, tzinfo=LOCAL_TZ)
