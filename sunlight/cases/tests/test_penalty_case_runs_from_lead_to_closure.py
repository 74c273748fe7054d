"""A general-procedure penalty case through every step to closure, each step recorded once in the ledger."""

from __future__ import annotations

from sunlight.cases.choices import CaseStatus
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.models import Deadline, LedgerEntry


def test_penalty_case_runs_from_lead_to_closure(desk: Desk) -> None:
    case = desk.start()
    assert case.step == "lead" and case.number.endswith("号")
    desk.record(case, "initiation", ago(40), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(39), given=desk.field(ago(39)))
    desk.record(
        case,
        "notice",
        ago(38),
        given=desk.field(
            ago(38),
            rights_notified=["statement", "defence", "hearing"],
            rights_how="书面告知",
            data={"proposed": "罚款五万元"},
        ),
    )
    desk.record(
        case, "statement", ago(37), given=desk.field(ago(37), data={"statement": "无异议", "waived_hearing": True})
    )
    desk.record(
        case,
        "decision",
        ago(36),
        by=desk.head,
        data={"facts": "无证经营", "basis": "《食品安全法》第一百二十二条", "kinds": ["fine"], "fine_fen": 5_000_000},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.fine_fen == 5_000_000
    desk.record(
        case,
        "service",
        ago(35),
        variant="direct",
        data={"document": "行政处罚决定书", "recipient": "法定代表人", "received_at": "2026-10-17"},
    )
    payment = Deadline.objects.get(subject_id=str(case.public_id), rule__code="penalty.fine_payment")
    assert payment.status == "open"
    desk.record(case, "execution", ago(30), data={"paid_fen": 5_000_000})
    payment.refresh_from_db()
    assert payment.status == "met"
    desk.record(case, "closure", ago(29), by=desk.head, data={"summary": "罚款已缴清"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    kinds = list(LedgerEntry.objects.filter(stream=case.stream).values_list("kind", flat=True))
    assert kinds[0] == "case.created"
    assert [k for k in kinds if k.startswith("case.step.")] == [
        "case.step.initiation",
        "case.step.investigation",
        "case.step.notice",
        "case.step.statement",
        "case.step.decision",
        "case.step.service",
        "case.step.execution",
        "case.step.closure",
    ]
    assert Deadline.objects.filter(
        subject_id=str(case.public_id), rule__code="records.archiving", status="open"
    ).exists()
