"""PUB-4: a decision yields a publication draft at once, redacted, with the 7 WD deadline."""

from __future__ import annotations

from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.models import Deadline
from sunlight.publicity.models import Publication


def test_decision_creates_a_redacted_publication_draft(desk: Desk) -> None:
    case = desk.start(party_kind="individual", party_name="张三丰")
    desk.record(case, "initiation", ago(20), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(19), given=desk.field(ago(19)))
    desk.record(
        case,
        "notice",
        ago(18),
        given=desk.field(ago(18), rights_notified=["statement"], rights_how="书面", data={"proposed": "警告"}),
    )
    desk.record(case, "statement", ago(17), given=desk.field(ago(17), data={"statement": "无", "waived_hearing": True}))
    record = desk.record(
        case,
        "decision",
        ago(16),
        by=desk.head,
        data={"facts": "张三丰无证经营", "basis": "第一百二十二条", "kinds": ["warning"]},
    )
    publication = Publication.objects.get(source_id=str(record.public_id))
    assert publication.status == "draft"
    clock = Deadline.objects.get(subject_id=str(publication.public_id))
    assert clock.rule.code == "publicity.licence_penalty_decision"
    assert "张三丰" not in publication.label
    redacted = [
        part["text"] for part in publication.source.proposal.values() if isinstance(part, dict) and "text" in part
    ]
    assert redacted and all("张三丰" not in text for text in redacted)
    assert any("张某" in text for text in redacted)
