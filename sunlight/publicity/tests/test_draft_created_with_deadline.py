"""PUB-4: a decision yields a publication draft at once, with its deadline (7 WD for licence and penalty decisions,
20 WD otherwise) and an automatic redaction; pushing the same decision again returns the same draft."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sunlight.core.errors import ServiceError
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.org.choices import ActionType
from sunlight.publicity.choices import PublicationKind, PublicationStatus
from sunlight.publicity.models import Publication, PublicationSource
from sunlight.publicity.tests.factories import COMPANY, ID_NUMBER, MOBILE, PERSON, make_draft

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("action_type", "kind", "rule", "due"),
    [
        (ActionType.PENALTY, PublicationKind.DECISION, "publicity.licence_penalty_decision", "2026-03-11"),
        (ActionType.LICENCE, PublicationKind.DECISION, "publicity.licence_penalty_decision", "2026-03-11"),
        (ActionType.COERCION, PublicationKind.DECISION, "publicity.other_decision", "2026-03-30"),
        (ActionType.OTHER, PublicationKind.DECISION, "publicity.other_decision", "2026-03-30"),
        (ActionType.INSPECTION, PublicationKind.INSPECTION_RESULT, "publicity.other_decision", "2026-03-30"),
        (ActionType.PENALTY, PublicationKind.EXECUTION, "publicity.other_decision", "2026-03-30"),
    ],
)
def test_deadline_runs_from_the_decision_date(county, action_type, kind, rule, due):
    draft = make_draft(county, action_type=action_type, kind=kind, decided_on=MONDAY)
    assert draft.status == PublicationStatus.DRAFT
    deadline = draft.deadline
    assert deadline.rule.code == rule
    assert deadline.subject_type == "publicity.publication" and deadline.subject_id == str(draft.public_id)
    # The decision day is not counted; the last working day ends at 24:00 Asia/Shanghai.
    day = date.fromisoformat(due)
    assert deadline.due_at == datetime(day.year, day.month, day.day, 16, 0, tzinfo=UTC)
    assert deadline.agency == county.unit_a.agency
    assert deadline.status == "open"


def test_automatic_redaction_is_stored_with_the_unredacted_source(county):
    draft = make_draft(county)
    source = PublicationSource.objects.get(publication=draft)
    assert PERSON in source.body and ID_NUMBER in source.body  # kept internally, for the side-by-side screen
    proposal = source.proposal
    assert proposal["party"]["text"] == "张某"
    assert proposal["title"]["text"].startswith("张某")
    assert PERSON not in proposal["body"]["text"]
    assert ID_NUMBER not in proposal["body"]["text"] and MOBILE not in proposal["body"]["text"]
    kinds = {c["kind"] for c in proposal["body"]["changes"]}
    assert {"person", "id_number", "mobile", "address"} <= kinds
    assert draft.label == proposal["title"]["text"]
    assert PERSON not in draft.label and PERSON not in draft.deadline.subject_label


def test_a_legal_person_keeps_its_name(county):
    draft = make_draft(county, person=False)
    assert draft.source.proposal["party"]["text"] == COMPANY
    assert COMPANY in draft.source.proposal["body"]["text"]
    assert draft.label.startswith(COMPANY)


def test_the_same_decision_pushed_twice_is_one_draft(county):
    first = make_draft(county, source_id="case-1")
    again = make_draft(county, source_id="case-1", title="另一个标题")
    assert again.pk == first.pk
    assert Publication.objects.filter(source_id="case-1").count() == 1
    assert Deadline.objects.filter(subject_type="publicity.publication").count() == 1
    assert LedgerEntry.objects.filter(kind="publicity.draft_created").count() == 1
    # Another kind for the same source (the execution of the decision) is a publication of its own.
    execution = make_draft(county, source_id="case-1", kind=PublicationKind.EXECUTION)
    assert execution.pk != first.pk


def test_the_ledger_entry_carries_no_personal_data(county):
    draft = make_draft(county)
    entry = LedgerEntry.objects.get(kind="publicity.draft_created")
    assert entry.stream == f"publication:{draft.public_id}"
    text = str(entry.payload)
    assert PERSON not in text and ID_NUMBER not in text
    assert entry.payload["original_hash"] == draft.source.original_hash
    assert entry.payload["rule"] == "publicity.licence_penalty_decision"


def test_bad_input_is_refused_with_every_problem_at_once(county):
    with pytest.raises(ServiceError) as caught:
        make_draft(county, kind="nonsense", action_type="nope", title=" ", decided_on=date(2999, 1, 1))
    fields = {e.field for e in caught.value.errors}
    assert {"kind", "action_type", "title", "decided_on"} <= fields
    assert all(e.message for e in caught.value.errors)
    assert not Publication.objects.exists()
