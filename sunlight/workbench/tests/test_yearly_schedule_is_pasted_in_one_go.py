"""SYS-3: each November an administrator pastes next year's schedule from the State Council notice in one form."""

from __future__ import annotations

import datetime as dt

import pytest

from sunlight.core.calendar import WorkCalendar
from sunlight.core.errors import ServiceError
from sunlight.core.models import CalendarOverride, LedgerEntry
from sunlight.core.services import parse_schedule

pytestmark = pytest.mark.django_db

SCHEDULE = """
# 2027 (example)
2027-01-01 休 元旦
2027-02-06~2027-02-13 休 春节
2027-02-14 班 春节调休
"""


def test_parse_expands_ranges():
    entries = parse_schedule(SCHEDULE)
    assert len(entries) == 1 + 8 + 1
    assert entries[1].date == dt.date(2027, 2, 6) and entries[1].kind == "restday" and entries[1].name == "春节"
    assert entries[-1].kind == "workday"


@pytest.mark.parametrize(
    "bad",
    [
        "2027-02-30 休 x",
        "2027-01-01 放 元旦",
        "2027-01-01 休",
        "2027-03-01~2027-02-01 休 x",
        "2027-01-01~2027-03-01 休 太长",
    ],
)
def test_each_bad_line_is_named(bad):
    with pytest.raises(ServiceError) as info:
        parse_schedule("2027-01-01 休 元旦\n" + bad)
    assert [e.field for e in info.value.errors] == ["lines.2"]
    assert "第2行" in info.value.errors[0].message


def test_admin_pastes_a_schedule_and_the_calendar_follows(client, county):
    client.force_login(county.admin)
    response = client.post("/workbench/calendar/", {"form": "import", "imp-lines": SCHEDULE, "imp-region": ""})
    assert response.status_code == 302
    assert CalendarOverride.objects.filter(region_code="").count() == 10
    assert LedgerEntry.objects.filter(kind="calendar.override_added").count() == 10
    calendar = WorkCalendar.load("341221")
    assert not calendar.is_workday(dt.date(2027, 2, 8))  # Monday inside the Spring Festival
    assert calendar.is_workday(dt.date(2027, 2, 14))  # make-up Sunday


def test_one_bad_line_saves_nothing_and_is_shown_on_the_page(client, county):
    client.force_login(county.admin)
    response = client.post(
        "/workbench/calendar/", {"form": "import", "imp-lines": SCHEDULE + "2027-13-01 休 坏日期\n", "imp-region": ""}
    )
    assert response.status_code == 400
    assert "第6行的日期无效。" in response.content.decode()
    assert not CalendarOverride.objects.exists()
