"""The exact bytes that are published and hashed (PUB-5, REC-10), and the redaction of a draft's fields.

A published record is a flat JSON object (`RECORD_TYPE`); its canonical JSON (sorted keys, no white space, UTF-8,
the ledger's `canonical_json`) is what `published_hash` is the SHA-256 of, and what /decisions/<id>/record.json
serves, so that anyone can recompute the hash the ledger entry carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sunlight.core.ledger import at_text, canonical_json, sha256_hex

from .choices import FIELD_NAMES
from .redaction import Change, Redaction, redact

RECORD_TYPE = "sunlight.publication.v1"
PROPOSAL_TYPE = "sunlight.publication.proposal.v1"


@dataclass(frozen=True)
class RedactionContext:
    """Who is protected and what is kept when a draft's fields are redacted."""

    persons: tuple[str, ...]
    keep: tuple[str, ...]


def context_for(
    *, party_name: str, party_is_person: bool, persons: Sequence[str], agency_name: str
) -> RedactionContext:
    """Natural persons of the case (the party when a person); legal persons and the agency kept (PUB-5)."""
    people = [p.strip() for p in persons if p and p.strip()]
    if party_is_person and party_name.strip() and party_name.strip() not in people:
        people.append(party_name.strip())
    keep = [agency_name] if agency_name else []
    if not party_is_person and party_name.strip():
        keep.append(party_name.strip())
    return RedactionContext(tuple(people), tuple(keep))


def original_fields(*, title: str, party_name: str, body: str, basis: str, result: str) -> dict[str, str]:
    """A draft's unredacted fields under the published field names."""
    return {"title": title, "party": party_name, "body": body, "basis": basis, "result": result}


def original_hash(fields: Mapping[str, str], *, persons: Sequence[str], party_is_person: bool) -> str:
    """SHA-256 of the canonical JSON of what the case system sent (the unredacted text)."""
    return sha256_hex(
        canonical_json(
            {
                **{k: fields.get(k, "") for k in FIELD_NAMES},
                "persons": list(persons),
                "party_is_person": party_is_person,
            }
        )
    )


def change_dict(change: Change) -> dict[str, Any]:
    """A change as stored (JSON)."""
    return {
        "start": change.start,
        "end": change.end,
        "kind": change.kind,
        "original": change.original,
        "replacement": change.replacement,
    }


def redact_field(name: str, text: str, context: RedactionContext, *, party_is_person: bool) -> Redaction:
    """The automatic redaction of one field. The party of a person is redacted as a name even when short."""
    if name == "party" and not party_is_person:
        return Redaction(original=text, text=text, changes=())
    return redact(text, persons=context.persons, keep=context.keep)


def propose(fields: Mapping[str, str], context: RedactionContext, *, party_is_person: bool) -> dict[str, Redaction]:
    """The automatic redaction of every field."""
    return {
        name: redact_field(name, fields.get(name, ""), context, party_is_person=party_is_person) for name in FIELD_NAMES
    }


def proposal_json(proposal: Mapping[str, Redaction]) -> dict[str, Any]:
    """The proposal as stored on the source row: per field, the redacted text and its changes."""
    return {name: {"text": r.text, "changes": [change_dict(c) for c in r.changes]} for name, r in proposal.items()}


def review_token(*, original: str, proposal: Mapping[str, Any]) -> str:
    """What the confirmation screen was built from: the original's hash and the proposal it showed side by side.

    The screen sends it back; confirming refuses a token that does not match the draft as it stands (the confirmer
    must have been shown this very comparison).
    """
    return sha256_hex(canonical_json({"type": PROPOSAL_TYPE, "original_hash": original, "proposal": dict(proposal)}))


def remaining_personal_data(
    fields: Mapping[str, str], context: RedactionContext, *, party_is_person: bool
) -> dict[str, list[Change]]:
    """Per field, what redaction would still change in the text as it is to be published (empty when clean)."""
    found: dict[str, list[Change]] = {}
    for name in FIELD_NAMES:
        result = redact_field(name, fields.get(name, ""), context, party_is_person=party_is_person)
        if name == "party" and party_is_person:
            # The party's name field must not be the full name, whatever the engine thinks of a short text.
            full = [p for p in context.persons if p and p in fields.get(name, "")]
            if full and not result.changes:
                start = fields[name].index(full[0])
                result = Redaction(
                    original=fields[name],
                    text=fields[name],
                    changes=(Change(start, start + len(full[0]), "person", full[0], ""),),
                )
        if result.changes:
            found[name] = list(result.changes)
    return found


def build_record(
    *,
    public_id: str,
    number: int,
    reason: str,
    kind: str,
    action_type: str,
    agency_name: str,
    agency_credit_code: str,
    region_code: str,
    document_number: str,
    decided_on: date,
    fields: Mapping[str, str],
    explanation: str,
    published_at: datetime,
) -> dict[str, Any]:
    """The published record of one version."""
    return {
        "type": RECORD_TYPE,
        "id": public_id,
        "version": number,
        "reason": str(reason),
        "kind": str(kind),
        "action_type": str(action_type),
        "agency": agency_name,
        "agency_credit_code": agency_credit_code,
        "region_code": region_code,
        "document_number": document_number,
        "decided_on": decided_on.isoformat(),
        **{name: fields.get(name, "") for name in FIELD_NAMES},
        "explanation": explanation,
        "published_at": at_text(published_at),
    }


def record_bytes(record: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a published record."""
    return canonical_json(dict(record))


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical bytes of a published record."""
    return sha256_hex(record_bytes(record))
