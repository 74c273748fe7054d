"""REC-10: `sunlight ledger verify` finds a changed, a removed and an inserted row (triggers dropped first, as an
attacker with database access would) and names the first bad sequence number; signed tree heads catch the
rewrites that recompute every hash afterwards, and a truncated tail."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from sunlight.core.ledger import ledger_append, ledger_verify
from sunlight.core.models import LedgerEntry, LedgerHead, TreeHead
from sunlight.core.transparency import checkpoint_create

from .tamper import drop_triggers, insert_forged, rehash_from

pytestmark = pytest.mark.django_db


def append(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            ledger_append(stream=f"case:{i}", kind="test.fact", actor="system", payload={"i": i, "名称": "某"})


@pytest.fixture
def chain() -> None:
    append(10)
    drop_triggers()


def verify_fails_at(seq: int) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("ledger", "verify")
    assert f"第 {seq} 条" in str(failure.value)
    return str(failure.value)


def test_an_intact_chain_verifies(chain):
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "账本完好：共 10 条记录" in out.getvalue()


def test_a_changed_row_is_named(chain):
    LedgerEntry.objects.filter(seq=6).update(payload={"i": 5, "名称": "改"})
    assert "内容被修改" in verify_fails_at(6)


def test_a_changed_time_is_named(chain):
    entry = LedgerEntry.objects.get(seq=4)
    LedgerEntry.objects.filter(seq=4).update(at=entry.at - timedelta(days=1))
    verify_fails_at(4)


def test_a_removed_row_is_named(chain):
    LedgerEntry.objects.filter(seq=3).delete()
    assert "缺失" in verify_fails_at(3)


def test_a_removed_row_with_the_rest_renumbered_is_named(chain):
    LedgerEntry.objects.filter(seq=3).delete()
    for entry in LedgerEntry.objects.filter(seq__gt=3).order_by("seq"):
        LedgerEntry.objects.filter(pk=entry.pk).update(seq=entry.seq - 1)
    LedgerHead.objects.filter(id=1).update(seq=9)
    verify_fails_at(3)


def test_an_inserted_row_is_named(chain):
    insert_forged(5, {"forged": True})
    LedgerHead.objects.filter(id=1).update(seq=11)
    message = verify_fails_at(5)
    assert "插入" in message


def test_a_row_appended_behind_the_heads_back_is_named(chain):
    last = LedgerEntry.objects.get(seq=10)
    LedgerEntry.objects.create(
        seq=11,
        stream="forged",
        kind="test.forged",
        actor="system",
        at=last.at,
        payload={},
        payload_hash="0" * 64,
        prev_hash=last.entry_hash,
        entry_hash="1" * 64,
    )
    verify_fails_at(11)


def test_a_rewrite_that_recomputes_every_hash_is_caught_by_the_signed_tree_head():
    append(6)
    checkpoint_create(force=True)
    append(4)
    drop_triggers()
    LedgerEntry.objects.filter(seq=3).update(payload={"i": 2, "名称": "改"})
    rehash_from(3)
    assert ledger_verify(check_tree_heads=False).ok  # the chain alone cannot tell
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.bad_last) == (False, 1, 6)
    assert "第 1 至 6 条" in verify_fails_at(1)


def test_an_insertion_with_every_hash_recomputed_is_caught_by_the_signed_tree_head():
    append(4)
    checkpoint_create(force=True)
    append(4)
    checkpoint_create(force=True)
    drop_triggers()
    insert_forged(6, {"forged": True})
    rehash_from(7)
    result = ledger_verify()
    assert (result.ok, result.bad_seq, result.bad_last) == (False, 5, 8)


def test_a_truncated_tail_is_caught_even_with_the_head_row_rewound():
    append(8)
    checkpoint_create(force=True)
    drop_triggers()
    LedgerEntry.objects.filter(seq__gt=6).delete()
    LedgerHead.objects.filter(id=1).update(seq=6, entry_hash=LedgerEntry.objects.get(seq=6).entry_hash)
    assert "此后的记录缺失" in verify_fails_at(7)


def test_a_forged_tree_head_signature_is_reported():
    append(3)
    head = checkpoint_create(force=True)
    drop_triggers()
    TreeHead.objects.filter(pk=head.pk).update(root_hash="ab" * 32)
    with pytest.raises(CommandError, match="签名无效"):
        call_command("ledger", "verify")
