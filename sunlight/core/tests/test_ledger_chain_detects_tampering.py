"""REC-10: the ledger is one hash chain; any change, removal or insertion is found and named by its sequence number.

The tests tamper with the table as an attacker with database access would: they drop the append-only triggers first
(inside the test's transaction, so the triggers are back afterwards).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunlight.core.ledger import GENESIS_HASH, NonCanonicalPayload, canonical_json, ledger_append, ledger_verify
from sunlight.core.models import LedgerEntry, LedgerHead
from sunlight.core.protect import drop_sql

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def without_triggers(request):
    """Drop the ledger's append-only triggers, as an attacker with database access would."""
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker("django_db").kwargs.get(
        "transaction"
    ):
        return
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor, "core_ledgerentry"):
            cursor.execute(statement)


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)


def append(n: int = 3) -> list[LedgerEntry]:
    with transaction.atomic():
        return [
            ledger_append(stream=f"case:{i}", kind="test.fact", actor="system", payload={"i": i, "名称": "某"})
            for i in range(n)
        ]


def test_entries_link_to_the_one_before():
    entries = append(3)
    assert entries[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    assert [e.seq for e in entries] == [1, 2, 3]
    assert ledger_verify().ok


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        ledger_append(stream="x", kind="y", actor="system", payload={})


def test_floats_are_refused_in_payloads():
    with pytest.raises(NonCanonicalPayload), transaction.atomic():
        ledger_append(stream="x", kind="y", actor="system", payload={"fine": 200.5})


def test_nul_characters_are_refused_on_every_database():
    for payload in ({"name": "a\x00b"}, {"\x00": 1}, {"list": ["ok", "\x00"]}, {"lone": "\ud800"}):
        with pytest.raises(NonCanonicalPayload), transaction.atomic():
            ledger_append(stream="x", kind="y", actor="system", payload=payload)


def test_a_changed_payload_is_named():
    append(4)
    LedgerEntry.objects.filter(seq=3).update(payload={"i": 99})
    result = ledger_verify()
    assert (result.ok, result.bad_seq) == (False, 3)


def test_a_removed_entry_is_named():
    append(4)
    LedgerEntry.objects.filter(seq=2).delete()
    result = ledger_verify()
    assert (result.ok, result.bad_seq) == (False, 2)


def test_a_truncated_tail_is_found():
    append(4)
    LedgerEntry.objects.filter(seq=4).delete()
    result = ledger_verify()
    assert (result.ok, result.bad_seq) == (False, 4)


def test_a_rewritten_actor_is_named():
    append(3)
    LedgerEntry.objects.filter(seq=1).update(actor="user:someone-else")
    assert ledger_verify().bad_seq == 1


def test_verify_command_exit_status():
    append(2)
    call_command("ledger", "verify")
    LedgerEntry.objects.filter(seq=2).update(kind="test.other")
    with pytest.raises(CommandError, match="第 2 条"):
        call_command("ledger", "verify")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payloads=st.lists(st.dictionaries(texts, json_values, max_size=4), min_size=1, max_size=6),
    victim=st.integers(min_value=0, max_value=5),
)
def test_any_chain_verifies_and_any_single_payload_change_is_found(payloads, victim):
    LedgerEntry.objects.all().delete()
    LedgerHead.objects.update(seq=0, entry_hash=GENESIS_HASH)
    with transaction.atomic():
        for p in payloads:
            ledger_append(stream="prop", kind="test.fact", actor="system", payload=p)
    assert ledger_verify().ok
    seq = victim % len(payloads) + 1
    original = LedgerEntry.objects.get(seq=seq).payload
    LedgerEntry.objects.filter(seq=seq).update(payload={"tampered": True, "was": original})
    assert ledger_verify().bad_seq == seq


@given(st.dictionaries(texts, json_values, max_size=5))
def test_canonical_json_is_stable_under_key_order(value):
    reordered = dict(reversed(list(value.items())))
    assert canonical_json(value) == canonical_json(reordered)
