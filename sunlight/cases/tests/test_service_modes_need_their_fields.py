"""REC-7: each service mode has its required fields; lodged service needs video, a posted notice a photo or video."""

from __future__ import annotations

import pytest

from sunlight.cases.tests.factories import Desk, ago, av_record
from sunlight.core.errors import ServiceError


def _decided(desk: Desk):
    case = desk.start()
    desk.record(case, "initiation", ago(20), by=desk.head, data={"facts": "x"})
    desk.record(case, "investigation", ago(19), given=desk.field(ago(19)))
    desk.record(
        case,
        "notice",
        ago(18),
        given=desk.field(ago(18), rights_notified=["statement"], rights_how="书面", data={"proposed": "警告"}),
    )
    desk.record(case, "statement", ago(17), given=desk.field(ago(17), data={"statement": "无", "waived_hearing": True}))
    desk.record(case, "decision", ago(16), by=desk.head, data={"facts": "x", "basis": "y", "kinds": ["warning"]})
    return case


@pytest.mark.parametrize(
    ("mode", "data", "missing"),
    [
        ("", {}, "variant"),
        ("mail", {"tracking_number": "EMS1"}, "mailed_at"),
        ("electronic", {"address": "a@example.com"}, "consent"),
        ("lodged", {"witness": "村委会主任王某", "refusal": "拒收"}, "av_records"),
        ("public_notice", {"notice_place": "住所地", "posted_at": "2026-11-01"}, "av_records"),
    ],
)
def test_service_mode_refused_without_its_fields(desk: Desk, mode: str, data: dict, missing: str) -> None:
    case = _decided(desk)
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "service", ago(15), variant=mode, data={"document": "决定书", "recipient": "当事人", **data})
    assert missing in [e.field for e in refused.value.errors]
    case.refresh_from_db()
    assert case.step == "decision"


def test_lodged_service_with_video_is_recorded(desk: Desk) -> None:
    case = _decided(desk)
    at = ago(15)
    desk.record(
        case,
        "service",
        at,
        variant="lodged",
        data={"document": "决定书", "recipient": "当事人", "witness": "村委会主任王某", "refusal": "拒收"},
        av_records=[av_record(desk, at, title="留置送达视频")],
    )
    case.refresh_from_db()
    assert case.step == "service"
