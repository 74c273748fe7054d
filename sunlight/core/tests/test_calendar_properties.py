"""SYS-3: algebraic properties of the working-day engine, checked against a naive day-by-day reference.

Runs on the pure constructor (no database). Dates span 2024-2028, so scheduled years (chinese-calendar) and
unscheduled ones (2027, 2028: weekends only) are both covered, with random overrides on top.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from sunlight.core.calendar import CC_FIRST_YEAR, CC_LAST_YEAR, WorkCalendar, shift_months

ONE = timedelta(days=1)
FIRST, LAST = date(2024, 1, 1), date(2028, 12, 31)

dates = st.dates(min_value=FIRST, max_value=LAST)
overrides = st.dictionaries(dates, st.booleans(), max_size=40)
counts = st.integers(min_value=0, max_value=300)


def naive_is_workday(d: date, over: dict[date, bool]) -> bool:
    if d in over:
        return over[d]
    if CC_FIRST_YEAR <= d.year <= CC_LAST_YEAR:
        return bool(chinese_calendar.is_workday(d))
    return d.weekday() < 5


def naive_add(start: date, n: int, over: dict[date, bool]) -> date:
    d, left = start, abs(n)
    step = ONE if n >= 0 else -ONE
    if n < 0:  # backwards: the |n|-th working day strictly before start
        while left:
            d -= ONE
            left -= naive_is_workday(d, over)
        return d
    while left:
        d += step
        left -= naive_is_workday(d, over)
    return d


def naive_between(a: date, b: date, over: dict[date, bool]) -> int:
    if a <= b:
        return sum(naive_is_workday(a + ONE * i, over) for i in range(1, (b - a).days + 1))
    return -sum(naive_is_workday(b + ONE * i, over) for i in range((a - b).days))


def naive_next_workday(d: date, over: dict[date, bool]) -> date:
    while not naive_is_workday(d, over):
        d += ONE
    return d


@settings(max_examples=150, deadline=None)
@given(start=dates, n=st.integers(min_value=-300, max_value=300), over=overrides)
def test_add_workdays_matches_naive_reference(start: date, n: int, over: dict[date, bool]) -> None:
    cal = WorkCalendar(overrides=over)
    assert cal.add_workdays(start, n) == naive_add(start, n, over)


@settings(max_examples=150, deadline=None)
@given(a=dates, b=dates, over=overrides)
def test_workdays_between_matches_naive_reference(a: date, b: date, over: dict[date, bool]) -> None:
    cal = WorkCalendar(overrides=over)
    assert cal.workdays_between(a, b) == naive_between(a, b, over)


@settings(max_examples=100, deadline=None)
@given(start=dates, n=counts, over=overrides)
def test_add_workdays_is_monotonic_in_n_and_lands_on_a_working_day(start: date, n: int, over: dict[date, bool]) -> None:
    cal = WorkCalendar(overrides=over)
    here, there = cal.add_workdays(start, n), cal.add_workdays(start, n + 1)
    assert here < there
    assert cal.is_workday(there)
    assert naive_is_workday(there, over)
    assert all(not cal.is_workday(d) for d in (here + ONE * i for i in range(1, (there - here).days)))


@settings(max_examples=100, deadline=None)
@given(a=dates, b=dates, n=counts, over=overrides)
def test_add_workdays_is_monotonic_in_start(a: date, b: date, n: int, over: dict[date, bool]) -> None:
    cal = WorkCalendar(overrides=over)
    early, late = min(a, b), max(a, b)
    assert cal.add_workdays(early, n) <= cal.add_workdays(late, n)


@settings(max_examples=100, deadline=None)
@given(start=dates, a=counts, b=counts, over=overrides, backwards=st.booleans())
def test_add_workdays_is_additive(start: date, a: int, b: int, over: dict[date, bool], backwards: bool) -> None:
    cal = WorkCalendar(overrides=over)
    sign = -1 if backwards else 1
    two_steps = cal.add_workdays(cal.add_workdays(start, sign * a), sign * b)
    assert two_steps == cal.add_workdays(start, sign * (a + b))


@settings(max_examples=150, deadline=None)
@given(start=dates, n=st.integers(min_value=-300, max_value=300), over=overrides)
def test_between_inverts_add(start: date, n: int, over: dict[date, bool]) -> None:
    cal = WorkCalendar(overrides=over)
    assert cal.workdays_between(start, cal.add_workdays(start, n)) == n


@settings(max_examples=100, deadline=None)
@given(
    start=dates,
    n=st.integers(min_value=0, max_value=400),
    months=st.integers(min_value=0, max_value=24),
    over=overrides,
)
def test_calendar_days_and_months_match_reference(start: date, n: int, months: int, over: dict[date, bool]) -> None:
    cal = WorkCalendar(overrides=over)
    assert cal.add_calendar_days(start, n) == naive_next_workday(start + ONE * n, over)
    assert cal.add_months(start, months) == naive_next_workday(shift_months(start, months), over)


@settings(max_examples=100, deadline=None)
@given(start=dates, n=counts, over=overrides, confirmed=st.sets(st.sampled_from([2027, 2028])))
def test_unscheduled_years_are_exactly_the_consulted_years_without_schedule(
    start: date, n: int, over: dict[date, bool], confirmed: set[int]
) -> None:
    cal = WorkCalendar(overrides=over, confirmed_years=confirmed)
    end = cal.add_workdays(start, n)
    # n = 0 answers `start` without looking at any schedule, so nothing is consulted.
    consulted = set(range(start.year, end.year + 1)) if n else set()
    assert cal.unscheduled_years == {y for y in consulted if y > CC_LAST_YEAR and y not in confirmed}
    for year in (2024, 2025, 2026):
        assert cal.is_scheduled_year(year)
    assert cal.is_scheduled_year(2027) == (2027 in confirmed)


@given(
    y=st.integers(min_value=1, max_value=9998),
    m=st.integers(min_value=1, max_value=12),
    d=st.integers(min_value=1, max_value=31),
    n=st.integers(min_value=-120, max_value=120),
)
def test_shift_months_keeps_the_day_or_clamps_to_month_end(y: int, m: int, d: int, n: int) -> None:
    import calendar as std_calendar

    day = min(d, std_calendar.monthrange(y, m)[1])
    start = date(y, m, day)
    total = y * 12 + m - 1 + n
    if not 1 <= total // 12 <= 9999:
        return
    moved = shift_months(start, n)
    assert moved.year * 12 + moved.month - 1 == total
    assert moved.day == min(day, std_calendar.monthrange(moved.year, moved.month)[1])
