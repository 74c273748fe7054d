"""SYS-3, SYS-5: working-day arithmetic over the API, with structured errors for bad input."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_add_skips_the_national_day_holiday(client):
    data = client.get("/api/v1/calendar/workdays/add", {"date": "2026-09-30", "n": 1}).json()
    assert data == {"date": "2026-09-30", "result": "2026-10-08", "n": 1, "warning": None}


def test_between_counts_the_make_up_saturday(client):
    data = client.get("/api/v1/calendar/workdays/between", {"a": "2026-09-30", "b": "2026-10-10"}).json()
    assert data["workdays"] == 3


def test_day_info_and_unscheduled_year_warning(client):
    assert client.get("/api/v1/calendar/days/2026-02-14").json()["is_workday"] is True  # make-up Saturday
    data = client.get("/api/v1/calendar/days/2027-03-06").json()
    assert data["scheduled"] is False and data["is_workday"] is False
    assert "2027年的官方放假安排尚未导入" in data["warning"]


def test_due_with_a_pause(client):
    body = {
        "start": "2026-03-02T09:00:00+08:00",
        "amount": 5,
        "unit": "WD",
        "pauses": [{"started_at": "2026-03-03T10:00:00+08:00", "ended_at": "2026-03-05T10:00:00+08:00"}],
    }
    data = client.post("/api/v1/calendar/due", body, content_type="application/json").json()
    # 5 working days after Mon 2 March end Mon 9 March; the pause removes 4 and 5 March, so Wed 11 March 24:00.
    assert data["due_at"] == "2026-03-11T16:00:00Z"


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"date": "2026-02-30", "n": 1}, "date", "date_from_datetime_parsing"),
        ({"date": "2026-03-02", "n": "x"}, "n", "int_parsing"),
        ({"date": "2026-03-02"}, "n", "missing"),
        ({"date": "2026-03-02", "n": -1}, "n", "out_of_range"),
        ({"date": "2026-03-02", "n": 1, "region": "12"}, "region", "invalid"),
        ({"date": "9999-12-01", "n": 100}, "n", "out_of_range"),
    ],
)
def test_bad_input_is_reported_per_field(client, params, field, code):
    response = client.get("/api/v1/calendar/workdays/add", params)
    assert response.status_code in (400, 422)
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert errors[0]["code"] in (code, "date_parsing")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["message"])


def test_naive_start_is_refused(client):
    response = client.post(
        "/api/v1/calendar/due",
        {"start": "2026-03-02T09:00:00", "amount": 1, "unit": "WD"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "start"
