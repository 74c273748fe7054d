"""PER-3: training plans and records, yearly totals per person and per agency, and the yearly deadlines (due 31 Dec)
that warn people short of their days (officers 5, auxiliaries 3) and agencies short of their trainings (2) until the
target is met; targets are configurable per agency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.choices import DeadlineStatus, Level
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.registry import services
from sunlight.registry.choices import SUBJECT_AGENCY_TRAINING, SUBJECT_CAMERA_RATIO, SUBJECT_PERSON_TRAINING
from sunlight.registry.selectors import training_overview
from sunlight.registry.services import registry_tick
from sunlight.workbench.selectors import my_warnings, warning_rollup

from .factories import NOW, make_auxiliary, make_officer

pytestmark = pytest.mark.django_db

NOVEMBER = datetime(2026, 11, 20, 9, tzinfo=LOCAL_TZ)


def plan(county, title="《行政处罚法》专题培训", days=2, planned_on=date(2026, 3, 18)):
    return services.training_plan_create(
        acting_user=county.agency_head,
        agency=county.unit_a.agency,
        title=title,
        planned_on=planned_on,
        days=Decimal(days),
        location="三楼会议室",
        now=NOW,
    )


def person_deadline(user) -> Deadline:
    return Deadline.objects.get(subject_type=SUBJECT_PERSON_TRAINING, subject_id=f"{user.public_id}:2026")


def test_plans_records_and_totals(county):
    officer = make_officer(county.admin, county.unit_a)
    helper = make_auxiliary(county.admin, county.unit_a)
    first = plan(county)
    records = services.training_plan_hold(
        acting_user=county.agency_head,
        plan=first,
        held_on=date(2026, 3, 18),
        attendees=[officer.user, helper.user],
        now=NOW,
    )
    assert {(r.person, r.days, r.topic, r.trained_on) for r in records} == {
        (officer.user, Decimal(2), "《行政处罚法》专题培训", date(2026, 3, 18)),
        (helper.user, Decimal(2), "《行政处罚法》专题培训", date(2026, 3, 18)),
    }
    services.training_record_add(
        acting_user=county.agency_head,
        person=officer.user,
        topic="全省行政执法人员网络培训",
        trained_on=date(2026, 5, 10),
        days=Decimal("1.5"),
        organiser="安徽省司法厅",
        now=NOW,
    )
    plan(county, title="执法文书规范化培训", planned_on=date(2026, 9, 1))  # planned, not yet held
    people, agencies = training_overview(user=county.admin, year=2026)
    totals = {p.record.user: (p.days, p.target, p.met) for p in people}
    assert totals[officer.user] == (Decimal("3.5"), Decimal(5), False)
    assert totals[helper.user] == (Decimal(2), Decimal(3), False)
    row = next(a for a in agencies if a.agency == county.unit_a.agency)
    assert (row.held, row.target, row.people, row.short, row.met) == (1, 2, 2, 2, False)
    assert LedgerEntry.objects.get(kind="registry.training_held").payload["attendees"] == sorted(
        [str(officer.user.public_id), str(helper.user.public_id)]
    )


def test_bad_training_input_is_refused_in_chinese(county):
    officer = make_officer(county.admin, county.unit_a)
    with pytest.raises(ServiceError) as exc:
        services.training_plan_create(
            acting_user=county.agency_head,
            agency=county.unit_a.agency,
            title="",
            planned_on=date(2029, 1, 1),
            days=Decimal("0.3"),
            now=NOW,
        )
    assert {e.field: e.message for e in exc.value.errors} == {
        "title": "请填写培训主题。",
        "planned_on": "计划日期应在上一年度到下一年度之间。",
        "days": "天数应为 0.5 的整数倍，且在 0.5 到 30 之间。",
    }
    first = plan(county)
    stranger = make_officer(county.admin, county.other_unit)
    with pytest.raises(ServiceError) as exc:
        services.training_plan_hold(
            acting_user=county.agency_head, plan=first, held_on=date(2026, 7, 1), attendees=[stranger.user], now=NOW
        )
    assert {e.field: e.message for e in exc.value.errors} == {
        "held_on": "日期不能晚于今天（2026-06-15）。",
        "attendees": f"{stranger.user.full_name} 不是本执法主体在册的执法人员或辅助人员。",
    }
    services.training_plan_hold(
        acting_user=county.agency_head, plan=first, held_on=date(2026, 3, 18), attendees=[officer.user], now=NOW
    )
    with pytest.raises(ServiceError) as exc:
        services.training_plan_hold(
            acting_user=county.agency_head, plan=first, held_on=date(2026, 3, 18), attendees=[officer.user], now=NOW
        )
    assert exc.value.errors[0].code == "held"
    with pytest.raises(ServiceError) as exc:
        services.training_record_add(
            acting_user=county.agency_head,
            person=county.unit_head,
            topic="x",
            trained_on=date(2026, 1, 1),
            days=1,
            now=NOW,
        )
    assert exc.value.errors[0].message == "只能为在册的执法人员或辅助人员登记培训。"
    with pytest.raises(Forbidden):
        plan_by = services.training_plan_create  # an officer may not plan the agency's trainings
        plan_by(acting_user=county.officer, agency=county.unit_a.agency, title="t", planned_on=date(2026, 7, 1), days=1)


def test_the_tick_opens_yearly_deadlines_for_whoever_falls_short(county):
    officer = make_officer(county.admin, county.unit_a)
    helper = make_auxiliary(county.admin, county.unit_a)
    done = make_officer(county.admin, county.unit_a)
    services.training_record_add(
        acting_user=county.admin, person=done.user, topic="岗前培训", trained_on=date(2026, 2, 1), days=5, now=NOW
    )
    result = registry_tick(now=NOW)
    assert (result["training_opened"], result["training_completed"]) == (3, 0)  # two people and the agency
    mine = person_deadline(officer.user)
    assert (mine.responsible, mine.agency, mine.level) == (officer.user, county.unit_a.agency, Level.GREEN)
    assert (
        mine.subject_label
        == f"执法人员 {officer.user.full_name}（{county.unit_a.agency.name}）2026 年度培训不少于 5 天"
    )
    assert mine.due_at == datetime(2027, 1, 1, tzinfo=LOCAL_TZ)  # 24:00 on 31 Dec 2026
    assert person_deadline(helper.user).subject_label.endswith("2026 年度培训不少于 3 天")
    agency_deadline = Deadline.objects.get(subject_type=SUBJECT_AGENCY_TRAINING)
    assert agency_deadline.responsible == county.agency_head
    assert agency_deadline.subject_label == "临泉县市场监督管理局 2026 年度执法人员业务培训不少于 2 次"
    assert not Deadline.objects.filter(subject_id=f"{done.user.public_id}:2026").exists()

    # Idempotent.
    entries = LedgerEntry.objects.count()
    assert registry_tick(now=NOW)["training_opened"] == 0
    assert LedgerEntry.objects.count() == entries

    # Near the year's end the warnings turn yellow and show where people look for them.
    registry_tick(now=NOVEMBER)
    from sunlight.core.deadlines import deadlines_tick

    deadlines_tick(now=NOVEMBER)
    assert list(my_warnings(officer.user)) == [person_deadline(officer.user)]
    head = [d.subject_type for d in my_warnings(county.agency_head)]
    assert SUBJECT_AGENCY_TRAINING in head  # (with the camera-ratio warning: this agency has no cameras)
    cameras = Deadline.objects.filter(subject_type=SUBJECT_CAMERA_RATIO, level=Level.YELLOW).count()
    rollup = {row.agency: row.yellow for level in warning_rollup(county.supervisor) for row in level.rows}
    assert rollup[county.unit_a.agency] == 3 + cameras


def test_meeting_the_target_completes_the_deadline(county):
    officer = make_officer(county.admin, county.unit_a)
    helper = make_auxiliary(county.admin, county.unit_a)
    registry_tick(now=NOW)
    first = plan(county, days=3)
    services.training_plan_hold(
        acting_user=county.agency_head,
        plan=first,
        held_on=date(2026, 3, 18),
        attendees=[officer.user, helper.user],
        now=NOW,
    )
    assert person_deadline(helper.user).status == DeadlineStatus.MET  # 3 days: an auxiliary's target
    assert person_deadline(officer.user).status == DeadlineStatus.OPEN
    services.training_record_add(
        acting_user=county.agency_head,
        person=officer.user,
        topic="网络培训",
        trained_on=date(2026, 6, 1),
        days=2,
        now=NOW,
    )
    mine = person_deadline(officer.user)
    assert mine.status == DeadlineStatus.MET
    assert mine.completed_at == datetime(2026, 6, 2, tzinfo=LOCAL_TZ)  # the end of the day the target was met
    second = plan(county, title="执法文书培训", days=1, planned_on=date(2026, 6, 1))
    services.training_plan_hold(
        acting_user=county.agency_head, plan=second, held_on=date(2026, 6, 1), attendees=[officer.user], now=NOW
    )
    assert Deadline.objects.get(subject_type=SUBJECT_AGENCY_TRAINING).status == DeadlineStatus.MET


def test_a_lower_target_and_a_departure_are_followed_by_the_tick(county):
    officer = make_officer(county.admin, county.unit_a)
    helper = make_auxiliary(county.admin, county.unit_a)
    services.training_record_add(
        acting_user=county.admin, person=officer.user, topic="专题培训", trained_on=date(2026, 3, 1), days=3, now=NOW
    )
    registry_tick(now=NOW)
    services.registry_policy_set(
        acting_user=county.supervisor,
        agency=county.unit_a.agency,
        officers_per_camera=5,
        officer_training_days=Decimal(3),
        auxiliary_training_days=Decimal(3),
        agency_trainings_per_year=2,
        now=NOW,
    )
    services.auxiliary_leave(acting_user=county.agency_head, auxiliary=helper, reason="合同到期", now=NOW)
    assert person_deadline(helper.user).status == DeadlineStatus.CANCELLED
    assert registry_tick(now=NOW)["training_completed"] == 1
    assert person_deadline(officer.user).status == DeadlineStatus.MET


def test_an_unmet_year_stays_red_for_a_year_then_is_withdrawn(county):
    officer = make_officer(county.admin, county.unit_a)
    registry_tick(now=NOW)
    registry_tick(now=datetime(2027, 3, 1, 9, tzinfo=LOCAL_TZ))
    old = person_deadline(officer.user)
    assert old.status == DeadlineStatus.OPEN
    assert Deadline.objects.filter(subject_id=f"{officer.user.public_id}:2027").exists()
    registry_tick(now=datetime(2028, 1, 2, 9, tzinfo=LOCAL_TZ))
    old.refresh_from_db()
    assert old.status == DeadlineStatus.CANCELLED
