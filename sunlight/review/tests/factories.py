"""Short-hands: a penalty case noticed and ready for review, and the draft decision of a major fine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sunlight.cases.models import Case
from sunlight.cases.tests.factories import Desk

MAJOR_DRAFT: dict[str, Any] = {
    "facts": "无证经营，货值金额5000元",
    "basis": "《食品安全法》第一百二十二条",
    "kinds": ["fine"],
    "fine_fen": 15_000_000,
}


def noticed(desk: Desk, at: datetime) -> Case:
    """A penalty case initiated, investigated and noticed at `at` (the party waived a hearing)."""
    case = desk.start()
    desk.record(case, "initiation", at, by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", at, given=desk.field(at))
    desk.record(
        case,
        "notice",
        at,
        given=desk.field(
            at, rights_notified=["statement", "defence", "hearing"], rights_how="书面", data={"proposed": "罚款15万元"}
        ),
    )
    desk.record(case, "statement", at, given=desk.field(at, data={"statement": "放弃听证", "waived_hearing": True}))
    return case
