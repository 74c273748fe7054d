"""DIS-2: a proposed penalty outside the benchmark is refused without written reasons, accepted with them."""

from __future__ import annotations

import pytest

from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import ServiceError


def _noticed(desk: Desk):
    case = desk.start()
    desk.record(case, "initiation", ago(20), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(19), given=desk.field(ago(19)))
    desk.record(
        case,
        "notice",
        ago(18),
        given=desk.field(ago(18), rights_notified=["statement"], rights_how="书面", data={"proposed": "罚款3万元"}),
    )
    return case


def test_outside_benchmark_needs_reasons(desk: Desk) -> None:
    case = _noticed(desk)
    data = {
        "facts": "无证经营，货值金额5000元",
        "basis": "《食品安全法》第一百二十二条",
        "kinds": ["fine"],
        "fine_fen": 3_000_000,  # 3万元: below the ordinary band of 6.5万-8.5万元
        "goods_value_fen": 500_000,
        "benchmark": str(desk.benchmark.public_id),
        "circumstance": "ordinary",
    }
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "decision", ago(1), by=desk.head, data=data)
    assert [e.field for e in refused.value.errors if e.code == "outside_benchmark"] == ["discretion_reasons"]
    record = desk.record(
        case, "decision", ago(1), by=desk.head, data={**data, "discretion_reasons": "当事人主动退赔消费者"}
    )
    assert record.data["benchmark_check"]["within"] is False
    assert record.data["benchmark_check"]["problems"]


def test_within_benchmark_needs_no_reasons(desk: Desk) -> None:
    case = _noticed(desk)
    record = desk.record(
        case,
        "decision",
        ago(1),
        by=desk.head,
        data={
            "facts": "无证经营",
            "basis": "《食品安全法》第一百二十二条",
            "kinds": ["fine"],
            "fine_fen": 7_000_000,
            "goods_value_fen": 500_000,
            "benchmark": str(desk.benchmark.public_id),
            "circumstance": "ordinary",
        },
    )
    assert record.data["benchmark_check"]["within"] is True


def test_decision_before_the_hearing_window_closes_is_refused(desk: Desk) -> None:
    case = _noticed(desk)
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "decision", ago(17), by=desk.head, data={"facts": "x", "basis": "y", "kinds": ["warning"]})
    assert "hearing_window" in [e.code for e in refused.value.errors]
