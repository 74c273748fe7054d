"""REC-8: fine due in 15 CD of service; 3% a day late, capped at the fine; reminder, 10 WD, court application."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunlight.cases.checks import surcharge_fen
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import ServiceError


def test_surcharge_is_three_percent_a_day_capped_at_the_fine() -> None:
    from django.utils import timezone

    due = timezone.now()
    assert surcharge_fen(fine_fen=100_000, due=due, paid_at=due) == 0
    assert surcharge_fen(fine_fen=100_000, due=due, paid_at=due + timedelta(days=2)) == 6_000
    assert surcharge_fen(fine_fen=100_000, due=due, paid_at=due + timedelta(days=400)) == 100_000


def _served(desk: Desk, fine: int):
    case = desk.start()
    desk.record(case, "initiation", ago(80), by=desk.head, data={"facts": "x"})
    desk.record(case, "investigation", ago(79), given=desk.field(ago(79)))
    desk.record(
        case,
        "notice",
        ago(78),
        given=desk.field(ago(78), rights_notified=["statement"], rights_how="书面", data={"proposed": "罚款"}),
    )
    desk.record(case, "statement", ago(77), given=desk.field(ago(77), data={"statement": "无", "waived_hearing": True}))
    desk.record(
        case, "decision", ago(76), by=desk.head, data={"facts": "x", "basis": "y", "kinds": ["fine"], "fine_fen": fine}
    )
    desk.record(
        case,
        "service",
        ago(75),
        variant="direct",
        data={"document": "决定书", "recipient": "当事人", "received_at": "当场"},
    )
    return case


def test_late_payment_carries_the_surcharge_and_closure_waits_for_it(desk: Desk) -> None:
    case = _served(desk, 100_000)
    record = desk.record(case, "execution", ago(55), data={"paid_fen": 100_000})
    assert record.data["surcharge_fen"] > 0
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "closure", ago(54), by=desk.head, data={"summary": "结案"})
    assert refused.value.errors[0].code == "unpaid"
    desk.record(case, "execution", ago(53), data={"paid_fen": record.data["surcharge_fen"]})
    desk.record(case, "closure", ago(52), by=desk.head, data={"summary": "罚款及加处罚款已缴清"})


def test_court_application_only_ten_working_days_after_the_reminder(desk: Desk) -> None:
    case = _served(desk, 100_000)
    desk.record(case, "court_reminder", ago(50), data={"reminder": "催告书"})
    with pytest.raises(ServiceError) as early:
        desk.record(case, "court_application", ago(49), by=desk.head, data={"court": "临泉县人民法院"})
    assert early.value.errors[0].code == "too_early"
    desk.record(case, "court_application", ago(30), by=desk.head, data={"court": "临泉县人民法院"})
    desk.record(case, "closure", ago(29), by=desk.head, data={"summary": "已申请法院强制执行"})
