"""REC-10: `ledger verify` reads raw rows and builds each canonical entry with a string template (`ledger._walk`), and
on SQLite hashes the payload bytes as stored. Whatever text an entry holds (quotes, backslashes, control characters,
Chinese, characters outside the BMP), the fast path agrees with what `ledger_append` hashed, and a change to any
field of any entry is still named by its sequence number. Times that SQLite holds in another form of the same instant
still verify (they take the slow path); another instant does not.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sunlight.core.ledger import GENESIS_HASH, ledger_append, ledger_verify
from sunlight.core.models import LedgerEntry, LedgerHead

from .tamper import drop_triggers, rehash_from

pytestmark = pytest.mark.django_db

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**15), 10**15) | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
entries = st.lists(
    st.tuples(texts, texts, texts, st.dictionaries(texts, json_values, max_size=3)), min_size=1, max_size=5
)


def fresh_ledger() -> None:
    LedgerEntry.objects.all().delete()
    LedgerHead.objects.update(seq=0, entry_hash=GENESIS_HASH)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=entries,
    victim=st.integers(min_value=0, max_value=4),
    field=st.sampled_from(["stream", "kind", "actor"]),
    replacement=texts,
)
def test_any_text_verifies_and_any_changed_field_is_named(rows, victim, field, replacement):
    with transaction.atomic():
        drop_triggers("core_ledgerentry")
        fresh_ledger()
        for stream, kind, actor, payload in rows:
            ledger_append(stream=stream, kind=kind, actor=actor, payload=payload)
        assert ledger_verify().ok
        seq = victim % len(rows) + 1
        assume(getattr(LedgerEntry.objects.get(seq=seq), field) != replacement)
        LedgerEntry.objects.filter(seq=seq).update(**{field: replacement})
        result = ledger_verify()
        assert (result.ok, result.bad_seq) == (False, seq)
        transaction.set_rollback(True)


def stored_at(seq: int, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_ledgerentry SET at = %s WHERE seq = %s", [text, seq])


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="only SQLite stores times as text")
def test_other_forms_of_the_same_instant_verify_and_another_instant_does_not():
    drop_triggers("core_ledgerentry")
    with transaction.atomic():
        for i in range(3):
            ledger_append(stream="s", kind="k", actor="system", payload={"i": i})
    LedgerEntry.objects.filter(seq=2).update(at=datetime(2026, 11, 20, 8, 0, 0, tzinfo=UTC))  # stored without .ffffff
    rehash_from(2)
    assert ledger_verify().ok
    for same in ("2026-11-20 08:00:00.000000", "2026-11-20T08:00:00+00:00", "2026-11-20 16:00:00+08:00"):
        stored_at(2, same)
        assert ledger_verify().ok, same
    for other in ("2026-11-20 08:00:01", "2026-11-20X08:00:00.000001", "not a time"):
        stored_at(2, other)
        result = ledger_verify()
        assert (result.ok, result.bad_seq) == (False, 2), other


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="only SQLite keeps the payload text as written")
def test_a_payload_stored_in_another_form_verifies_and_one_that_is_not_json_is_named():
    drop_triggers("core_ledgerentry")
    with transaction.atomic():
        for i in range(3):
            ledger_append(stream="s", kind="k", actor="system", payload={"i": i, "名称": "某"})
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_ledgerentry SET payload = %s WHERE seq = 2", ['{"名称": "某", "i": 1}'])
        assert ledger_verify().ok  # not the canonical text: parsed and re-serialised, same payload
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute("UPDATE core_ledgerentry SET payload = %s WHERE seq = 2", ["not json"])
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.reason) == (False, 2, "记录内容被修改")
