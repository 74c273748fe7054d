"""SYS-3: regional overrides (e.g. minority-nationality holidays) apply to a region and all below it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sunlight.core.calendar import WorkCalendar
from sunlight.core.choices import DayKind
from sunlight.core.models import CalendarOverride

pytestmark = pytest.mark.django_db

COUNTY, TOWNSHIP, NEIGHBOUR, CITY = "341221", "341221100", "341222", "341200"
TUESDAY = date(2026, 3, 10)  # an ordinary working day
SATURDAY = date(2026, 3, 14)  # an ordinary rest day
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def override(region: str, day: date, kind: str, *, minutes: int = 0) -> CalendarOverride:
    return CalendarOverride.objects.create(
        region_code=region, date=day, kind=kind, name="测试", created_at=T0 + timedelta(minutes=minutes)
    )


def test_county_holiday_applies_to_county_and_townships_not_neighbours() -> None:
    override(COUNTY, TUESDAY, DayKind.RESTDAY)
    assert not WorkCalendar.load(COUNTY).is_workday(TUESDAY)
    assert not WorkCalendar.load(TOWNSHIP).is_workday(TUESDAY)
    assert WorkCalendar.load(NEIGHBOUR).is_workday(TUESDAY)
    assert WorkCalendar.load(CITY).is_workday(TUESDAY)
    assert WorkCalendar.load("").is_workday(TUESDAY)
    # The period moves for the county only.
    assert WorkCalendar.load(COUNTY).add_workdays(date(2026, 3, 9), 1) == date(2026, 3, 11)
    assert WorkCalendar.load(NEIGHBOUR).add_workdays(date(2026, 3, 9), 1) == TUESDAY


def test_nationwide_override_applies_everywhere() -> None:
    override("", SATURDAY, DayKind.WORKDAY)
    for region in ("", CITY, COUNTY, TOWNSHIP, NEIGHBOUR):
        assert WorkCalendar.load(region).is_workday(SATURDAY), region


def test_newest_override_wins_within_a_region() -> None:
    override(COUNTY, TUESDAY, DayKind.RESTDAY, minutes=0)
    override(COUNTY, TUESDAY, DayKind.WORKDAY, minutes=5)
    override(COUNTY, SATURDAY, DayKind.WORKDAY, minutes=10)
    override(COUNTY, SATURDAY, DayKind.RESTDAY, minutes=3)  # inserted later but older: loses
    cal = WorkCalendar.load(COUNTY)
    assert cal.is_workday(TUESDAY)
    assert cal.is_workday(SATURDAY)


def test_same_timestamp_is_decided_by_insertion_order() -> None:
    override(COUNTY, TUESDAY, DayKind.WORKDAY)
    override(COUNTY, TUESDAY, DayKind.RESTDAY)
    assert not WorkCalendar.load(COUNTY).is_workday(TUESDAY)


def test_official_reverts_to_the_national_schedule() -> None:
    override(COUNTY, date(2026, 10, 8), DayKind.RESTDAY, minutes=0)
    assert WorkCalendar.load(COUNTY).add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 9)
    override(COUNTY, date(2026, 10, 8), DayKind.OFFICIAL, minutes=1)
    assert WorkCalendar.load(COUNTY).add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # "official" also undoes a change of an official holiday: 1 October is a holiday again.
    override("", date(2026, 10, 1), DayKind.WORKDAY, minutes=2)
    override("", date(2026, 10, 1), DayKind.OFFICIAL, minutes=3)
    assert not WorkCalendar.load("").is_workday(date(2026, 10, 1))


def test_official_falls_back_to_the_next_less_specific_region() -> None:
    override(CITY, TUESDAY, DayKind.RESTDAY)
    override(COUNTY, TUESDAY, DayKind.WORKDAY, minutes=1)
    override(TOWNSHIP, TUESDAY, DayKind.RESTDAY, minutes=2)
    assert WorkCalendar.load(COUNTY).is_workday(TUESDAY)  # the county beats the city
    assert not WorkCalendar.load(TOWNSHIP).is_workday(TUESDAY)  # the township beats the county
    override(COUNTY, TUESDAY, DayKind.OFFICIAL, minutes=3)
    assert not WorkCalendar.load(COUNTY).is_workday(TUESDAY)  # back to what the city says
    assert WorkCalendar.load("").is_workday(TUESDAY)


def test_more_specific_region_wins_even_when_older() -> None:
    override(TOWNSHIP, SATURDAY, DayKind.WORKDAY, minutes=0)
    override(COUNTY, SATURDAY, DayKind.RESTDAY, minutes=10)
    assert WorkCalendar.load(TOWNSHIP).is_workday(SATURDAY)
    assert not WorkCalendar.load(COUNTY).is_workday(SATURDAY)


def test_load_uses_two_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for minutes in range(5):
        override(COUNTY, TUESDAY + timedelta(days=minutes), DayKind.RESTDAY, minutes=minutes)
    with django_assert_num_queries(2):
        cal = WorkCalendar.load(TOWNSHIP)
        cal.add_workdays(date(2026, 1, 1), 200)


def test_bad_region_code_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar.load("34122")
