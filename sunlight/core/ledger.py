"""The append-only ledger: one global hash chain of every fact (DESIGN.md, The ledger; REC-10).

Services call `ledger_append` inside their own transaction, so that the fact and the change commit together or not
at all. `entry_hash = SHA-256(prev_hash || canonical entry)`, where the canonical entry is the canonical JSON of
seq, stream, kind, actor, at and payload_hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64


class NonCanonicalPayload(ValueError):
    """A payload holds a value canonical JSON does not allow (a float, a non-string key, an unknown type)."""


def _check_canonical(value: Any, path: str = "$") -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NonCanonicalPayload(f"{path}: NUL characters are not allowed (PostgreSQL JSON cannot hold them)")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise NonCanonicalPayload(f"{path}: not valid Unicode text (a lone surrogate)") from exc
        return
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return
    if isinstance(value, float):
        raise NonCanonicalPayload(f"{path}: floats are not allowed; use integers (fen) or decimal strings")
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_canonical(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NonCanonicalPayload(f"{path}: keys must be strings")
            _check_canonical(key, f"{path}.<key>")
            _check_canonical(item, f"{path}.{key}")
        return
    raise NonCanonicalPayload(f"{path}: {type(value).__name__} is not allowed")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no insignificant white space, UTF-8, no floats."""
    _check_canonical(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def entry_hash_of(
    *, prev_hash: str, seq: int, stream: str, kind: str, actor: str, at: datetime, payload_hash: str
) -> str:
    """The hash that links an entry to the one before it."""
    canonical = canonical_json(
        {
            "seq": seq,
            "stream": stream,
            "kind": kind,
            "actor": actor,
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "payload_hash": payload_hash,
        }
    )
    return sha256_hex(bytes.fromhex(prev_hash) + canonical)


def actor_label(user: Any) -> str:
    """How an actor appears in the ledger: `user:<public id>` for a person, `system` otherwise."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system" if user is None else "anonymous"
    return f"user:{user.public_id}"


def ledger_append(*, stream: str, kind: str, actor: str, payload: dict[str, Any]) -> LedgerEntry:
    """Append one entry to the chain. Must run inside the caller's transaction (it locks the chain head)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must be called inside transaction.atomic")
    payload_bytes = canonical_json(payload)
    head, _ = LedgerHead.objects.select_for_update().get_or_create(id=1)
    seq = head.seq + 1
    at = timezone.now()
    payload_hash = sha256_hex(payload_bytes)
    entry_hash = entry_hash_of(
        prev_hash=head.entry_hash, seq=seq, stream=stream, kind=kind, actor=actor, at=at, payload_hash=payload_hash
    )
    entry = LedgerEntry.objects.create(
        seq=seq,
        stream=stream,
        kind=kind,
        actor=actor,
        at=at,
        payload=json.loads(payload_bytes),
        payload_hash=payload_hash,
        prev_hash=head.entry_hash,
        entry_hash=entry_hash,
    )
    LedgerHead.objects.filter(id=1).update(seq=seq, entry_hash=entry_hash)
    return entry


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a chain check: ok, or the first bad sequence number and why."""

    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""


def ledger_verify() -> VerifyResult:
    """Recompute every hash in order and report the first entry that does not match (REC-10)."""
    prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, _("记录缺失或被插入"))
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.seq, _("与前一条记录的哈希不衔接"))
        if sha256_hex(canonical_json(entry.payload)) != entry.payload_hash:
            return VerifyResult(False, checked, entry.seq, _("记录内容被修改"))
        recomputed = entry_hash_of(
            prev_hash=prev,
            seq=entry.seq,
            stream=entry.stream,
            kind=entry.kind,
            actor=entry.actor,
            at=entry.at,
            payload_hash=entry.payload_hash,
        )
        if recomputed != entry.entry_hash:
            return VerifyResult(False, checked, entry.seq, _("记录被修改"))
        prev = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = LedgerHead.objects.filter(id=1).first()
    if head is not None and head.seq != checked:
        return VerifyResult(False, checked, checked + 1, _("末尾的记录缺失"))
    return VerifyResult(True, checked)
