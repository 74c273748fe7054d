"""Helpers for tests that play an attacker with database access (REC-10): drop the append-only triggers, then
change, remove, insert or rewrite ledger rows directly."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection

from sunlight.core.ledger import GENESIS_HASH, canonical_json, entry_hash_of, sha256_hex
from sunlight.core.models import LedgerEntry, LedgerHead
from sunlight.core.protect import drop_sql


def drop_triggers(*tables: str) -> None:
    """Drop the append-only triggers (inside the test's transaction, so they come back afterwards)."""
    with connection.cursor() as cursor:
        for table in tables or ("core_ledgerentry", "core_treehead"):
            for statement in drop_sql(connection.vendor, table):
                cursor.execute(statement)


def shift_up_from(seq: int) -> None:
    """Renumber entries seq.. to seq+1.. (from the top down, so the unique index never clashes)."""
    for entry in LedgerEntry.objects.filter(seq__gte=seq).order_by("-seq"):
        LedgerEntry.objects.filter(pk=entry.pk).update(seq=entry.seq + 1)


def insert_forged(seq: int, payload: dict) -> LedgerEntry:
    """Insert a well-formed entry at `seq`, linked to the entry before it, pushing the rest up by one."""
    previous = LedgerEntry.objects.get(seq=seq - 1) if seq > 1 else None
    prev_hash = previous.entry_hash if previous else GENESIS_HASH
    at = (previous.at if previous else LedgerEntry.objects.get(seq=seq).at) + timedelta(microseconds=1)
    shift_up_from(seq)
    payload_hash = sha256_hex(canonical_json(payload))
    entry_hash = entry_hash_of(
        prev_hash=prev_hash,
        seq=seq,
        stream="forged",
        kind="test.forged",
        actor="system",
        at=at,
        payload_hash=payload_hash,
    )
    return LedgerEntry.objects.create(
        seq=seq,
        stream="forged",
        kind="test.forged",
        actor="system",
        at=at,
        payload=payload,
        payload_hash=payload_hash,
        prev_hash=prev_hash,
        entry_hash=entry_hash,
    )


def rehash_from(seq: int) -> None:
    """Recompute every hash from `seq` on, as an attacker covering their tracks would, and move the head row."""
    previous = LedgerEntry.objects.filter(seq=seq - 1).first()
    prev_hash = previous.entry_hash if previous else GENESIS_HASH
    for entry in LedgerEntry.objects.filter(seq__gte=seq).order_by("seq"):
        payload_hash = sha256_hex(canonical_json(entry.payload))
        entry_hash = entry_hash_of(
            prev_hash=prev_hash,
            seq=entry.seq,
            stream=entry.stream,
            kind=entry.kind,
            actor=entry.actor,
            at=entry.at,
            payload_hash=payload_hash,
        )
        LedgerEntry.objects.filter(pk=entry.pk).update(
            payload_hash=payload_hash, prev_hash=prev_hash, entry_hash=entry_hash
        )
        prev_hash = entry_hash
    last = LedgerEntry.objects.order_by("-seq").first()
    LedgerHead.objects.filter(id=1).update(seq=last.seq if last else 0, entry_hash=prev_hash)
