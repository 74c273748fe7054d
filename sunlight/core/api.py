"""Calendar API (SYS-3): working-day arithmetic and deadline computation, public (no login) like the law itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from .calendar import Period, WorkCalendar, due_at, unscheduled_warning, yellow_at
from .choices import Unit
from .errors import FieldError, ServiceError
from .ids import is_valid_region_code

router = Router(tags=["工作日历"])


def _calendar(region: str) -> WorkCalendar:
    if region and not is_valid_region_code(region):
        raise ServiceError.single("region", "invalid", _("区划代码应为6位或9位数字。"))
    return WorkCalendar.load(region)


def _warning(calendar: WorkCalendar) -> str | None:
    return unscheduled_warning(calendar.unscheduled_years)


class AddOut(Schema):
    date: dt.date
    result: dt.date
    n: int
    warning: str | None


class BetweenOut(Schema):
    a: dt.date
    b: dt.date
    workdays: int
    warning: str | None


class DayOut(Schema):
    date: dt.date
    is_workday: bool
    scheduled: bool
    warning: str | None


class PauseIn(Schema):
    started_at: dt.datetime
    ended_at: dt.datetime | None = None


class DueIn(Schema):
    start: dt.datetime = Field(..., description="起算时间（含时区）")
    amount: int = Field(..., ge=0, le=100000)
    unit: Unit
    extensions: int = Field(0, ge=0, le=100000)
    pauses: list[PauseIn] = []
    region: str = ""
    yellow_percent: int = Field(20, ge=0, le=100)
    yellow_min: int = Field(1, ge=0, le=1000)


class DueOut(Schema):
    due_at: dt.datetime
    yellow_at: dt.datetime
    warning: str | None


@router.get("/workdays/add", response=AddOut, summary="某日之后第 N 个工作日")
def workdays_add(request: HttpRequest, date: dt.date, n: int, region: str = "") -> Any:
    if n < 0 or n > 100000:
        raise ServiceError.single("n", "out_of_range", _("N 应为 0 到 100000 之间的整数。"))
    calendar = _calendar(region)
    try:
        result = calendar.add_workdays(date, n)
    except (ValueError, OverflowError) as exc:
        raise ServiceError.single("n", "out_of_range", _("结果超出可计算的日期范围。")) from exc
    return {"date": date, "result": result, "n": n, "warning": _warning(calendar)}


@router.get("/workdays/between", response=BetweenOut, summary="A 之后至 B（含）的工作日数")
def workdays_between(request: HttpRequest, a: dt.date, b: dt.date, region: str = "") -> Any:
    calendar = _calendar(region)
    count = calendar.workdays_between(a, b)
    return {"a": a, "b": b, "workdays": count, "warning": _warning(calendar)}


@router.get("/days/{day}", response=DayOut, summary="某日是否为工作日")
def day_info(request: HttpRequest, day: dt.date, region: str = "") -> Any:
    calendar = _calendar(region)
    is_workday = calendar.is_workday(day)
    return {
        "date": day,
        "is_workday": is_workday,
        "scheduled": calendar.is_scheduled_year(day.year),
        "warning": _warning(calendar),
    }


@router.post("/due", response=DueOut, summary="计算期限届满和预警时间")
def compute_due(request: HttpRequest, payload: DueIn) -> Any:
    errors = []
    if payload.start.tzinfo is None:
        errors.append(("start", _("起算时间须带时区，如 +08:00。")))
    for i, pause in enumerate(payload.pauses):
        if pause.started_at.tzinfo is None or (pause.ended_at is not None and pause.ended_at.tzinfo is None):
            errors.append((f"pauses.{i}", _("中止时间须带时区。")))
        elif pause.ended_at is not None and pause.ended_at < pause.started_at:
            errors.append((f"pauses.{i}.ended_at", _("恢复计时不能早于中止计时。")))
    if errors:
        raise ServiceError([FieldError(f, "invalid", m) for f, m in errors])
    calendar = _calendar(payload.region)
    period = Period(payload.amount, payload.unit)
    spans = [(p.started_at, p.ended_at) for p in payload.pauses]
    now = dt.datetime.now(dt.UTC)
    due = due_at(calendar, start=payload.start, period=period, pauses=spans, extensions=payload.extensions, now=now)
    yellow = yellow_at(
        calendar,
        due=due,
        period_amount=payload.amount + payload.extensions,
        unit=payload.unit,
        start=payload.start,
        yellow_percent=payload.yellow_percent,
        yellow_min=payload.yellow_min,
    )
    return {"due_at": due, "yellow_at": yellow, "warning": _warning(calendar)}
