"""SYS-3 / SYS-8: due times with pauses and extensions, and the deadline services that keep them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sunlight.core.calendar import LOCAL_TZ, Period, WorkCalendar, due_at
from sunlight.core.choices import DayKind, DeadlineStatus, Unit
from sunlight.core.deadlines import (
    RULES,
    TRANSITIONS,
    DeadlineError,
    deadline_cancel,
    deadline_complete,
    deadline_extend,
    deadline_open,
    deadline_pause,
    deadline_resume,
    rules_sync,
)
from sunlight.core.models import CalendarOverride, Deadline, DeadlineExtension, DeadlineRule, LedgerEntry


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


WD5 = Period(5, Unit.WORKING_DAYS)
CAL = WorkCalendar()


# The engine ------------------------------------------------------------------------------------------------


def test_wd_period_without_pause() -> None:
    # Start Monday 2 March: Tue 3 (1) ... Mon 9 (5): due at 24:00 on 9 March.
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5) == at(2026, 3, 10)


def test_paused_days_do_not_count() -> None:
    pause = (at(2026, 3, 3, 10), at(2026, 3, 5, 15))  # removes 4 and 5 March
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[pause]) == at(2026, 3, 12)


def test_pause_within_one_day_changes_nothing() -> None:
    pause = (at(2026, 3, 3, 10), at(2026, 3, 3, 16))
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[pause]) == at(2026, 3, 10)


def test_pause_over_a_weekend_removes_only_the_working_days_in_it() -> None:
    pause = (at(2026, 3, 6, 17), at(2026, 3, 9, 9))  # removes Sat 7, Sun 8 and Mon 9
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[pause]) == at(2026, 3, 11)


def test_open_pause_runs_until_now_and_needs_now() -> None:
    pause = (at(2026, 3, 3, 10), None)
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[pause], now=at(2026, 3, 6, 12)) == at(2026, 3, 13)
    with pytest.raises(ValueError):
        due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[pause])


def test_pause_after_the_last_day_changes_nothing() -> None:
    pause = (at(2026, 3, 20, 9), at(2026, 3, 30, 9))
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[pause]) == at(2026, 3, 10)


def test_overlapping_pauses_count_once() -> None:
    pauses = [(at(2026, 3, 3, 10), at(2026, 3, 5, 15)), (at(2026, 3, 4, 8), at(2026, 3, 5, 9))]
    assert due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=pauses) == at(2026, 3, 12)


def test_calendar_days_with_pause_and_holiday() -> None:
    period = Period(15, Unit.CALENDAR_DAYS)
    # 10 Sep + 15 = 25 Sep, Mid-Autumn holiday to 27 Sep → Monday 28 Sep.
    assert due_at(CAL, start=at(2026, 9, 10, 10), period=period) == at(2026, 9, 29)
    # Five paused days (13-17 Sep) → 30 Sep, a working day.
    pause = (at(2026, 9, 12, 9), at(2026, 9, 17, 9))
    assert due_at(CAL, start=at(2026, 9, 10, 10), period=period, pauses=[pause]) == at(2026, 10, 1)


def test_months_with_pause() -> None:
    period = Period(3, Unit.MONTHS)
    assert due_at(CAL, start=at(2026, 1, 15, 10), period=period) == at(2026, 4, 16)
    pause = (at(2026, 2, 1, 9), at(2026, 2, 11, 9))  # 10 days → 25 April, a Saturday → Monday 27 April
    assert due_at(CAL, start=at(2026, 1, 15, 10), period=period, pauses=[pause]) == at(2026, 4, 28)


def test_hours_add_paused_time_inside_the_clock() -> None:
    period = Period(24, Unit.HOURS)
    start = at(2026, 3, 2, 9)
    assert due_at(CAL, start=start, period=period) == at(2026, 3, 3, 9)
    lunch = (at(2026, 3, 2, 12), at(2026, 3, 2, 14, 30))
    assert due_at(CAL, start=start, period=period, pauses=[lunch]) == at(2026, 3, 3, 11, 30)
    assert due_at(CAL, start=start, period=period, pauses=[(at(2026, 3, 3, 10), at(2026, 3, 3, 12))]) == at(
        2026, 3, 3, 9
    )
    assert due_at(CAL, start=start, period=period, pauses=[(at(2026, 3, 2, 8), at(2026, 3, 2, 10))]) == at(
        2026, 3, 3, 10
    )


def test_extensions_add_to_the_amount() -> None:
    period = Period(90, Unit.CALENDAR_DAYS)
    start = at(2026, 1, 5, 10)
    assert due_at(CAL, start=start, period=period) == at(2026, 4, 8)  # 5 Apr (Qingming) → Tue 7 Apr
    assert due_at(CAL, start=start, period=period, extensions=30) == at(2026, 5, 7)  # 5 May holiday → 6 May


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        due_at(CAL, start=datetime(2026, 3, 2, 9), period=WD5)
    with pytest.raises(ValueError):
        Period(-1, Unit.WORKING_DAYS)
    with pytest.raises(ValueError):
        due_at(CAL, start=at(2026, 3, 2, 9), period=WD5, pauses=[(at(2026, 3, 5), at(2026, 3, 4))])


# Rules -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rules_sync_creates_missing_rules_and_keeps_edited_ones() -> None:
    DeadlineRule.objects.all().delete()  # the data migration has already shipped them; start from none
    assert rules_sync() == len(RULES)
    assert DeadlineRule.objects.count() == len({r.code for r in RULES}) == len(RULES)
    case = DeadlineRule.objects.get(code="penalty.case")
    assert (case.unit, case.amount, case.requirement) == (Unit.CALENDAR_DAYS, 90, "REC-1")
    case.amount = 60
    case.save()
    DeadlineRule.objects.get(code="review.legal_review").delete()
    assert rules_sync() == 1
    assert rules_sync() == 0
    assert DeadlineRule.objects.get(code="penalty.case").amount == 60
    assert DeadlineRule.objects.get(code="review.legal_review").amount == 3


def test_statutory_rules_are_present() -> None:
    by_code = {r.code: (r.unit, r.amount) for r in RULES}
    assert by_code["penalty.case"] == (Unit.CALENDAR_DAYS, 90)
    assert by_code["penalty.hearing_request"] == (Unit.WORKING_DAYS, 5)
    assert by_code["coercion.on_the_spot_approval"] == (Unit.HOURS, 24)
    assert by_code["coercion.court_application"] == (Unit.MONTHS, 3)
    assert by_code["licence.decision"] == (Unit.WORKING_DAYS, 20)
    assert by_code["review.legal_review_urgent"] == (Unit.WORKING_DAYS, 1)
    assert by_code["supervision.complaint_answer"] == (Unit.WORKING_DAYS, 15)
    assert {r.requirement for r in RULES} >= {
        "REC-1",
        "REC-3",
        "REC-6",
        "REC-9",
        "REV-7",
        "PUB-2",
        "PUB-4",
        "PUB-6",
        "PUB-8",
        "PUB-10",
        "DIS-5",
        "SUP-1",
    }


def test_annual_rules_land_on_their_calendar_dates() -> None:
    by_code = {r.code: r for r in RULES}
    year_end = at(2025, 12, 31, 12)
    report = by_code["publicity.annual_report"]
    assert due_at(CAL, start=year_end, period=Period(report.amount, report.unit)) == at(2026, 1, 16)  # 15 Jan
    filing = by_code["discretion.benchmark_filing"]
    assert due_at(CAL, start=year_end, period=Period(filing.amount, filing.unit)) == at(2026, 12, 1)  # 30 Nov


# Services --------------------------------------------------------------------------------------------------


@pytest.fixture
def rules(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUNLIGHT_DEFAULT_REGION = ""
    rules_sync()


def open_hearing_request(**extra: object) -> Deadline:
    kwargs: dict[str, object] = {
        "rule_code": "penalty.hearing_request",
        "subject_type": "case",
        "subject_id": "c-1",
        "subject_label": "皖临泉市监罚〔2026〕1号",
        "started_at": at(2026, 3, 2, 9),
        "start_event": "听证告知书送达",
        "now": at(2026, 3, 2, 9),
    }
    kwargs.update(extra)
    return deadline_open(**kwargs)  # type: ignore[arg-type]


def kinds(deadline: Deadline) -> list[str]:
    return list(LedgerEntry.objects.filter(stream=f"deadline:{deadline.public_id}").values_list("kind", flat=True))


@pytest.mark.usefixtures("rules")
def test_open_computes_due_and_records_it() -> None:
    d = open_hearing_request()
    assert d.due_at == at(2026, 3, 10)
    assert d.yellow_at == at(2026, 3, 9)
    assert d.status == DeadlineStatus.OPEN
    assert d.amount == 5
    entry = LedgerEntry.objects.get(stream=f"deadline:{d.public_id}")
    assert entry.kind == "deadline.opened"
    assert entry.payload["due_at"] == "2026-03-09T16:00:00+00:00"
    assert entry.payload["unscheduled_years"] == []


@pytest.mark.usefixtures("rules")
def test_open_uses_the_default_region_calendar(settings) -> None:  # type: ignore[no-untyped-def]
    CalendarOverride.objects.create(region_code="341221", date=date(2026, 3, 9), kind=DayKind.RESTDAY, name="地方节日")
    settings.SUNLIGHT_DEFAULT_REGION = "341221100"
    d = open_hearing_request()
    assert d.region_code == "341221100"
    assert d.due_at == at(2026, 3, 11)
    assert open_hearing_request(region_code="341222").due_at == at(2026, 3, 10)


@pytest.mark.usefixtures("rules")
def test_open_refuses_unknown_rule_and_bad_region_and_changes_nothing() -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(DeadlineError) as err:
        open_hearing_request(rule_code="no.such.rule")
    assert err.value.code == "unknown_rule"
    assert "不存在" in err.value.message
    with pytest.raises(DeadlineError) as err:
        open_hearing_request(region_code="3412")
    assert err.value.code == "bad_region"
    with pytest.raises(DeadlineError) as err:
        open_hearing_request(started_at=datetime(2026, 3, 2, 9))
    assert err.value.code == "bad_time"
    assert Deadline.objects.count() == 0
    assert LedgerEntry.objects.count() == before


@pytest.mark.usefixtures("rules")
def test_pause_and_resume_move_the_due_date() -> None:
    d = open_hearing_request()
    d = deadline_pause(deadline=d, at=at(2026, 3, 3, 10), reason="检测鉴定", acting_user=None)
    assert d.status == DeadlineStatus.PAUSED
    assert d.due_at == at(2026, 3, 10)  # unchanged until the clock resumes
    d = deadline_resume(deadline=d, at=at(2026, 3, 5, 15), acting_user=None, now=at(2026, 3, 5, 15))
    assert d.status == DeadlineStatus.OPEN
    assert d.due_at == at(2026, 3, 12)
    assert d.yellow_at == at(2026, 3, 11)
    pause = d.pauses.get()
    assert (pause.started_at, pause.ended_at) == (at(2026, 3, 3, 10), at(2026, 3, 5, 15))
    assert pause.reason == "检测鉴定"
    assert kinds(d) == ["deadline.opened", "deadline.paused", "deadline.resumed"]


@pytest.mark.usefixtures("rules")
def test_forbidden_moves_raise_and_change_nothing() -> None:
    assert set(TRANSITIONS) == {"pause", "resume", "extend", "complete", "cancel"}
    d = open_hearing_request()
    entries = LedgerEntry.objects.count()
    with pytest.raises(DeadlineError) as err:
        deadline_resume(deadline=d, at=at(2026, 3, 3), acting_user=None)
    assert err.value.code == "bad_transition"
    assert "不能恢复计时" in err.value.message
    deadline_pause(deadline=d, at=at(2026, 3, 3, 10), reason="听证", acting_user=None)
    entries = LedgerEntry.objects.count()
    with pytest.raises(DeadlineError):
        deadline_pause(deadline=d, at=at(2026, 3, 4, 10), reason="听证", acting_user=None)
    with pytest.raises(DeadlineError) as err:
        deadline_resume(deadline=d, at=at(2026, 3, 3, 9), acting_user=None)  # before the pause began
    assert err.value.code == "bad_time"
    deadline_complete(deadline=d, at=at(2026, 3, 4, 10), acting_user=None)
    entries = LedgerEntry.objects.count()
    for call in (
        lambda: deadline_pause(deadline=d, at=at(2026, 3, 5), reason="x", acting_user=None),
        lambda: deadline_extend(deadline=d, amount=2, reason="x", acting_user=None),
        lambda: deadline_cancel(deadline=d, reason="x", acting_user=None),
        lambda: deadline_complete(deadline=d, at=at(2026, 3, 5), acting_user=None),
    ):
        with pytest.raises(DeadlineError) as err:
            call()
        assert err.value.code == "bad_transition"
    d.refresh_from_db()
    assert d.status == DeadlineStatus.MET
    assert LedgerEntry.objects.count() == entries
    assert d.pauses.get().ended_at == at(2026, 3, 4, 10)


@pytest.mark.usefixtures("rules")
def test_pause_before_start_is_refused() -> None:
    d = open_hearing_request()
    with pytest.raises(DeadlineError) as err:
        deadline_pause(deadline=d, at=at(2026, 3, 1), reason="检测", acting_user=None)
    assert err.value.code == "bad_time"
    with pytest.raises(DeadlineError) as err:
        deadline_pause(deadline=d, at=at(2026, 3, 3), reason="  ", acting_user=None)
    assert err.value.code == "required"
    d.refresh_from_db()
    assert d.status == DeadlineStatus.OPEN
    assert not d.pauses.exists()


@pytest.mark.usefixtures("rules")
def test_extend_adds_in_the_rule_unit() -> None:
    d = open_hearing_request(rule_code="penalty.case", started_at=at(2026, 1, 5, 10), now=at(2026, 1, 5, 10))
    assert d.due_at == at(2026, 4, 8)
    for bad in (-1, 0, True, "3"):
        with pytest.raises(DeadlineError) as err:
            deadline_extend(deadline=d, amount=bad, reason="负责人批准", acting_user=None)  # type: ignore[arg-type]
        assert err.value.code == "bad_amount"
    assert not DeadlineExtension.objects.exists()
    d = deadline_extend(deadline=d, amount=30, reason="案情复杂", acting_user=None, now=at(2026, 3, 1))
    assert d.amount == 120
    assert d.due_at == at(2026, 5, 7)
    assert DeadlineExtension.objects.get(deadline=d).amount == 30
    assert kinds(d) == ["deadline.opened", "deadline.extended"]
    # A later pause is counted on top of the extension: 10 days removed (1-10 Apr), 15 May is a Friday.
    deadline_pause(deadline=d, at=at(2026, 3, 31, 9), reason="专家论证", acting_user=None)
    d = deadline_resume(deadline=d, at=at(2026, 4, 10, 9), acting_user=None, now=at(2026, 4, 10, 9))
    assert d.due_at == at(2026, 5, 16)


@pytest.mark.usefixtures("rules")
def test_complete_is_met_before_due_and_late_after() -> None:
    on_time = open_hearing_request()
    on_time = deadline_complete(deadline=on_time, at=at(2026, 3, 9, 23, 59), acting_user=None)
    assert on_time.status == DeadlineStatus.MET
    assert on_time.completed_at == at(2026, 3, 9, 23, 59)
    late = open_hearing_request(subject_id="c-2")
    late = deadline_complete(deadline=late, at=at(2026, 3, 10, 0, 0), acting_user=None)
    assert late.status == DeadlineStatus.LATE
    assert kinds(late) == ["deadline.opened", "deadline.completed"]


@pytest.mark.usefixtures("rules")
def test_completing_a_paused_deadline_closes_the_pause_first() -> None:
    d = open_hearing_request()
    deadline_pause(deadline=d, at=at(2026, 3, 3, 10), reason="检测", acting_user=None)
    d = deadline_complete(deadline=d, at=at(2026, 3, 11, 10), acting_user=None)
    # Paused 4-11 March: at completion only 1 working day (3 March) had elapsed.
    assert d.status == DeadlineStatus.MET
    assert d.due_at == at(2026, 3, 18)


@pytest.mark.usefixtures("rules")
def test_cancel() -> None:
    d = open_hearing_request()
    deadline_pause(deadline=d, at=at(2026, 3, 3, 10), reason="检测", acting_user=None)
    with pytest.raises(DeadlineError) as err:
        deadline_cancel(deadline=d, reason="", acting_user=None)
    assert err.value.code == "required"
    d = deadline_cancel(deadline=d, reason="案件移送公安机关", acting_user=None, now=at(2026, 3, 4))
    assert d.status == DeadlineStatus.CANCELLED
    assert d.pauses.get().ended_at == at(2026, 3, 4)
    assert kinds(d)[-1] == "deadline.cancelled"
