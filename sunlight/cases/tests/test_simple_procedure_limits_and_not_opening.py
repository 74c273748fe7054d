"""行政处罚法 §51 limits on the spot; REC-16 and REC-4: not opening needs reasons, approval and the complainant told."""

from __future__ import annotations

import pytest

from sunlight.cases.choices import CaseStatus
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import ServiceError


def _to_onsite(desk: Desk, party_kind: str):
    case = desk.start(
        "penalty_simple", party_kind=party_kind, party_name="王五" if party_kind == "individual" else "某公司"
    )
    desk.record(case, "show_certificate", ago(2), given=desk.field(ago(2)))
    desk.record(
        case, "notice", ago(2), given=desk.field(ago(2), rights_notified=["statement", "defence"], rights_how="口头")
    )
    return case


@pytest.mark.parametrize(
    ("party_kind", "fine", "ok"),
    [
        ("individual", 20_000, True),
        ("individual", 20_001, False),
        ("organisation", 300_000, True),
        ("organisation", 300_100, False),
    ],
)
def test_on_the_spot_fine_limits(desk: Desk, party_kind: str, fine: int, ok: bool) -> None:
    case = _to_onsite(desk, party_kind)
    given = desk.field(
        ago(1),
        rights_notified=["statement", "defence"],
        rights_how="口头",
        data={"facts": "占道经营", "basis": "某条例第十条", "kinds": ["fine"], "fine_fen": fine},
    )
    if ok:
        desk.record(case, "onsite_decision", ago(1), given=given)
    else:
        with pytest.raises(ServiceError) as refused:
            desk.record(case, "onsite_decision", ago(1), given=given)
        assert refused.value.errors[0].code == "over_limit"


def test_not_opening_a_named_complaint_records_the_notice_to_the_complainant(desk: Desk) -> None:
    case = desk.start(source="complaint", source_ref="TS-2026-001", complainant_name="赵六")
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "not_opened", ago(1), by=desk.head, data={"reasons": "不属于本机关管辖"})
    assert refused.value.errors[0].field == "complainant_notice"
    with pytest.raises(ServiceError):  # an officer cannot approve not opening
        desk.record(case, "not_opened", ago(1), data={"reasons": "x", "complainant_notice": "电话告知"})
    desk.record(
        case,
        "not_opened",
        ago(1),
        by=desk.head,
        data={"reasons": "不属于本机关管辖", "complainant_notice": "2026-11-20 电话告知赵六"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_OPENED
