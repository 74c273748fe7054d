"""REC-5 and 行政强制法 §25: a seizure is recorded only with its AV record; 30 CD plus one extension of up to 30 CD."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunlight.cases.models import CaseRecord
from sunlight.cases.tests.factories import Desk, ago, av_record
from sunlight.core.errors import ServiceError
from sunlight.core.models import Deadline, LedgerEntry


def _to_measure(desk: Desk):
    case = desk.start("coercion", title="涉嫌销售过期食品")
    desk.record(case, "approval", ago(3), by=desk.head, data={"measure": "扣押"})
    for step, at in (("show_certificate", ago(2, 5)), ("notice", ago(2, 4))):
        extra = (
            {"rights_notified": ["statement", "defence", "reconsideration"], "rights_how": "口头"}
            if step == "notice"
            else {}
        )
        desk.record(case, step, at, given=desk.field(at, av_records=[av_record(desk, at)], **extra))
    return case


def test_measure_without_av_is_refused_and_nothing_changes(desk: Desk) -> None:
    case = _to_measure(desk)
    before = (case.step, CaseRecord.objects.filter(case=case).count(), LedgerEntry.objects.count())
    at = ago(2, 3)
    with pytest.raises(ServiceError) as refused:
        desk.record(case, "onsite_measure", at, given=desk.field(at, data={"measure": "扣押", "items": "过期奶粉20箱"}))
    assert "av_required" in [e.code for e in refused.value.errors]
    case.refresh_from_db()
    assert (case.step, CaseRecord.objects.filter(case=case).count(), LedgerEntry.objects.count()) == before


def test_measure_with_av_starts_thirty_days_and_one_extension(desk: Desk) -> None:
    case = _to_measure(desk)
    at = ago(2, 3)
    record = desk.record(
        case,
        "onsite_measure",
        at,
        given=desk.field(at, data={"measure": "扣押", "items": "过期奶粉20箱"}, av_records=[av_record(desk, at)]),
    )
    assert record.av_links.count() == 1
    seizure = Deadline.objects.get(subject_id=str(case.public_id), rule__code="coercion.seizure")
    assert seizure.amount == 30 and seizure.rule.unit == "CD"
    due = seizure.due_at
    from sunlight.cases.selectors import next_steps

    case.refresh_from_db()
    assert "post_approval" not in [n.code for n in next_steps(case)]  # approved beforehand: nothing to make up
    desk.record(
        case,
        "service",
        ago(2),
        variant="direct",
        data={"document": "查封扣押决定书", "recipient": "店主", "received_at": "当场"},
    )
    with pytest.raises(ServiceError):  # an officer may not extend
        desk.record(case, "extension", ago(1), data={"amount": 30, "reasons": "检测需要"})
    desk.record(case, "extension", ago(1), by=desk.chief, data={"amount": 30, "reasons": "案情复杂需检测"})
    seizure.refresh_from_db()
    assert seizure.amount == 60 and seizure.due_at - due >= timedelta(days=29)
    with pytest.raises(ServiceError):  # only one extension, and the move table allows only handling now
        desk.record(case, "extension", ago(0, 1), by=desk.chief, data={"amount": 5, "reasons": "再延"})
    desk.record(case, "handling", ago(0, 1), data={"handling": "release"})
    seizure.refresh_from_db()
    assert seizure.status == "met"
