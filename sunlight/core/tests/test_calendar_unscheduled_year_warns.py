"""SYS-3: a year without an official schedule counts weekends only and is reported, with a visible warning."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from sunlight.core.calendar import LOCAL_TZ, Period, WorkCalendar, due_at, unscheduled_warning
from sunlight.core.choices import DayKind, Unit
from sunlight.core.models import CalendarOverride, CalendarYear

WARNING_2027 = "2027年的官方放假安排尚未导入，已按周末计算工作日，请系统管理员录入。"


def test_2027_counts_weekends_only_and_is_reported() -> None:
    cal = WorkCalendar()
    # 1 January 2027 is a Friday: without a schedule it is an ordinary working day.
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert cal.unscheduled_years == {2027}
    assert cal.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 4)  # Saturday and Sunday are rest days
    assert cal.workdays_between(date(2027, 1, 31), date(2027, 2, 28)) == 20  # four plain weeks
    assert not cal.is_scheduled_year(2027)


def test_a_2026_computation_reports_nothing() -> None:
    cal = WorkCalendar()
    assert cal.add_workdays(date(2026, 12, 1), 20) == date(2026, 12, 29)
    assert cal.unscheduled_years == frozenset()
    assert unscheduled_warning(cal.unscheduled_years) is None


def test_due_date_into_2027_is_reported() -> None:
    cal = WorkCalendar()
    start = datetime(2026, 12, 20, 9, 0, tzinfo=LOCAL_TZ)
    due = due_at(cal, start=start, period=Period(20, Unit.WORKING_DAYS))
    # 21-25 Dec (5), 28-31 Dec (9), 1 Jan (Fri, unscheduled: a working day, 10), 4-8 Jan (15), 11-15 Jan (20)
    assert due == datetime(2027, 1, 16, 0, 0, tzinfo=LOCAL_TZ)
    assert cal.unscheduled_years == {2027}


def test_warning_text() -> None:
    assert unscheduled_warning([2027]) == WARNING_2027
    assert unscheduled_warning([2028, 2027, 2028]) == (
        "2027、2028年的官方放假安排尚未导入，已按周末计算工作日，请系统管理员录入。"
    )
    assert unscheduled_warning([]) is None


def test_confirmed_year_is_scheduled_and_uses_entered_holidays() -> None:
    cal = WorkCalendar(overrides={date(2027, 1, 1): False}, confirmed_years=[2027])
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.unscheduled_years == frozenset()


@pytest.mark.django_db
def test_confirmed_year_from_database() -> None:
    CalendarOverride.objects.create(region_code="", date=date(2027, 1, 1), kind=DayKind.RESTDAY, name="元旦")
    cal = WorkCalendar.load("")
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.unscheduled_years == {2027}  # entered but not yet confirmed: still warned
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕号")
    cal = WorkCalendar.load("")
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.unscheduled_years == frozenset()


@pytest.mark.django_db
def test_cli_prints_the_warning_on_stderr_only() -> None:
    out, err = StringIO(), StringIO()
    call_command("workdays", "add", "2026-12-31", "1", stdout=out, stderr=err)
    assert out.getvalue() == "2027-01-01\n"
    assert err.getvalue().strip() == WARNING_2027

    out, err = StringIO(), StringIO()
    call_command("workdays", "between", "2026-12-31", "2027-01-08", stdout=out, stderr=err)
    assert out.getvalue() == "6\n"
    assert WARNING_2027 in err.getvalue()


@pytest.mark.django_db
def test_cli_prints_no_warning_for_scheduled_years() -> None:
    out, err = StringIO(), StringIO()
    call_command("workdays", "add", "2026-09-30", "1", stdout=out, stderr=err)
    assert out.getvalue() == "2026-10-08\n"
    assert err.getvalue() == ""
