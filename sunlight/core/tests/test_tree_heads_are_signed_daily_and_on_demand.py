"""REC-10: `sunlight tick` signs a tree head when the ledger grew or the last one is 24 hours old, and never twice for
the same state; `sunlight ledger checkpoint` signs one on demand; the Ed25519 key is created on first use."""

from __future__ import annotations

import stat
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from sunlight.core import merkle
from sunlight.core.ledger import leaf_of, ledger_append
from sunlight.core.models import LedgerEntry, TreeHead
from sunlight.core.transparency import (
    checkpoint_create,
    key_path,
    public_key_hex,
    signing_key,
    tree_head_message,
    tree_head_signature_ok,
)

pytestmark = pytest.mark.django_db


def append(n: int = 1) -> None:
    with transaction.atomic():
        for i in range(n):
            ledger_append(stream="case:1", kind="test.fact", actor="system", payload={"i": i})


@pytest.fixture
def fresh_key(settings, tmp_path):
    settings.SUNLIGHT_SIGNING_KEY_FILE = tmp_path / "keys" / "signing.pem"
    return settings.SUNLIGHT_SIGNING_KEY_FILE


def test_the_key_is_created_once_private_to_its_owner(fresh_key):
    assert signing_key(create=False) is None
    append(2)
    head = checkpoint_create()
    assert fresh_key.exists()
    assert stat.S_IMODE(fresh_key.stat().st_mode) == 0o600
    assert head.public_key == public_key_hex(signing_key())
    assert key_path() == fresh_key
    assert public_key_hex(signing_key()) == head.public_key  # read back, not regenerated


def test_a_configured_key_is_used(fresh_key):
    from cryptography.hazmat.primitives import serialization

    own = Ed25519PrivateKey.generate()
    fresh_key.parent.mkdir(parents=True)
    fresh_key.write_bytes(
        own.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    append()
    assert checkpoint_create().public_key == public_key_hex(own)


def test_a_tree_head_signs_the_merkle_root_and_chain_hash():
    append(5)
    head = checkpoint_create()
    hashes = list(LedgerEntry.objects.order_by("seq").values_list("entry_hash", flat=True))
    assert head.tree_size == 5
    assert head.root_hash == merkle.root_of([leaf_of(h) for h in hashes]).hex()
    assert head.chain_hash == hashes[-1]
    assert tree_head_signature_ok(head)
    message = tree_head_message(
        tree_size=5, root_hash=head.root_hash, chain_hash=head.chain_hash, timestamp=head.timestamp
    )
    assert message.startswith(b'{"chain_hash":"') and b'"type":"sunlight.tree_head.v1"' in message


def test_nothing_is_signed_while_the_ledger_is_empty():
    assert checkpoint_create() is None
    with pytest.raises(CommandError, match="账本为空"):
        call_command("ledger", "checkpoint")


def test_tick_signs_when_the_ledger_grew_and_only_then():
    now = timezone.now()
    append(3)
    assert checkpoint_create(now=now).tree_size == 3
    assert checkpoint_create(now=now) is None  # the same moment: nothing new
    assert checkpoint_create(now=now + timedelta(hours=23)) is None  # unchanged and less than a day old
    append(1)
    assert checkpoint_create(now=now + timedelta(hours=23)).tree_size == 4


def test_tick_signs_a_heartbeat_after_24_hours_without_change():
    now = timezone.now()
    append(2)
    first = checkpoint_create(now=now)
    heartbeat = checkpoint_create(now=now + timedelta(hours=24))
    assert heartbeat is not None and heartbeat.tree_size == first.tree_size == 2
    assert heartbeat.root_hash == first.root_hash and heartbeat.timestamp > first.timestamp


def test_timestamps_never_go_backwards():
    now = timezone.now()
    append(1)
    checkpoint_create(now=now)
    append(1)
    behind = checkpoint_create(now=now - timedelta(minutes=5))  # a server whose clock is behind
    assert behind.timestamp == now


def test_the_tick_command_is_idempotent_for_tree_heads():
    append(2)
    out = StringIO()
    call_command("tick", verbosity=2, stdout=out)
    assert "账本签名树头：已签名 2 条记录" in out.getvalue()
    out = StringIO()
    call_command("tick", verbosity=2, stdout=out)
    assert "账本签名树头：无需更新" in out.getvalue()
    assert TreeHead.objects.count() == 1


def test_the_checkpoint_command_signs_on_demand():
    append(2)
    call_command("ledger", "checkpoint", stdout=StringIO())
    out = StringIO()
    call_command("ledger", "checkpoint", stdout=out)
    assert "已生成签名树头：2 条记录" in out.getvalue()
    assert TreeHead.objects.count() == 2


def test_tree_heads_cannot_be_changed_or_deleted():
    append(1)
    head = checkpoint_create()
    with pytest.raises(DatabaseError), transaction.atomic():
        TreeHead.objects.filter(pk=head.pk).update(root_hash="00" * 32)
    with pytest.raises(DatabaseError), transaction.atomic():
        TreeHead.objects.filter(pk=head.pk).delete()


def test_a_new_key_is_listed_beside_the_old_one(settings, tmp_path):
    from sunlight.core.transparency import public_keys

    append(1)
    old = checkpoint_create()
    settings.SUNLIGHT_SIGNING_KEY_FILE = tmp_path / "new.pem"
    append(1)
    new = checkpoint_create(now=old.timestamp + timedelta(minutes=1))
    assert new.public_key != old.public_key and tree_head_signature_ok(new)
    assert [k["public_key"] for k in public_keys()] == [new.public_key, old.public_key]
