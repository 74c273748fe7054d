"""Signed checkpoints of the ledger, proofs and the export (REC-10; DESIGN.md, The ledger; ADR 0006).

A tree head is the RFC 6962 Merkle root over the first `tree_size` entries (leaf = SHA-256(0x00 || entry hash
bytes), see `ledger.py`), with the chain hash (entry hash of entry `tree_size`) and a UTC timestamp, signed with
Ed25519. The signed message is the canonical JSON (sorted keys, no white space, UTF-8) of

    {"chain_hash": hex, "root_hash": hex, "timestamp": "YYYY-MM-DDTHH:MM:SS.ffffff+00:00",
     "tree_size": n, "type": "sunlight.tree_head.v1"}

The private key is a PKCS#8 PEM file at settings.SUNLIGHT_SIGNING_KEY_FILE (default `$SUNLIGHT_VAR_DIR/
ledger_signing_key.pem`), created with mode 0600 the first time a tree head is signed. Only the machine that runs
`sunlight tick` needs it; everyone else reads public keys from the tree heads in the database.

Checkpoint policy (`checkpoint_create`): a new tree head when the ledger grew since the latest one, or when the
latest is 24 hours old (a heartbeat that shows the log is alive and unchanged); `sunlight tick` asks for one on every
run, `sunlight ledger checkpoint` forces one. Nothing is signed while the ledger is empty.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import FieldError, ServiceError
from .ledger import at_text, canonical_json, chain_rows, entry_hashes, leaf_of
from .merkle import TreeReader
from .models import LedgerEntry, LedgerHead, TreeHead

TREE_HEAD_TYPE = "sunlight.tree_head.v1"
EXPORT_FORMAT = "sunlight.ledger_export.v1"
HEARTBEAT = timedelta(hours=24)


class SigningKeyError(RuntimeError):
    """The signing key file exists but cannot be read as an Ed25519 private key."""


# Keys ---------------------------------------------------------------------------------------------------------------


def key_path() -> Path:
    """Where the signing key lives (settings.SUNLIGHT_SIGNING_KEY_FILE)."""
    return Path(settings.SUNLIGHT_SIGNING_KEY_FILE)


def _load_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path}: not a PEM private key without password") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path}: not an Ed25519 key")
    return key


def signing_key(*, create: bool = True) -> Ed25519PrivateKey | None:
    """The Ed25519 private key; created (mode 0600) on first use unless `create` is false.

    Creation is safe against a concurrent tick: the key is written to a temporary file and hard-linked into place,
    so a second process either links first or reads the complete file the first one linked.
    """
    path = key_path()
    if path.exists():
        return _load_key(path)
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.fsync(fd)
        os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process linked its key first: use that one
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return _load_key(path)


def public_key_hex(key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key, hex."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_pem(public_hex: str) -> str:
    """A raw public key as a SubjectPublicKeyInfo PEM (what `openssl pkey -pubin` reads)."""
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode("ascii")


# Tree heads ---------------------------------------------------------------------------------------------------------


def tree_head_message(*, tree_size: int, root_hash: str, chain_hash: str, timestamp: datetime | str) -> bytes:
    """The exact bytes a tree head's signature covers (see the module docstring)."""
    stamp = timestamp if isinstance(timestamp, str) else at_text(timestamp)
    return canonical_json(
        {
            "type": TREE_HEAD_TYPE,
            "tree_size": tree_size,
            "root_hash": root_hash,
            "chain_hash": chain_hash,
            "timestamp": stamp,
        }
    )


def _message_of(head: TreeHead) -> bytes:
    return tree_head_message(
        tree_size=head.tree_size, root_hash=head.root_hash, chain_hash=head.chain_hash, timestamp=head.timestamp
    )


def tree_head_signature_ok(head: TreeHead) -> bool:
    """True when the tree head's signature verifies under the public key it names."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(head.public_key))
        public.verify(bytes.fromhex(head.signature), _message_of(head))
    except (ValueError, InvalidSignature):
        return False
    return True


def tree_head_dict(head: TreeHead) -> dict[str, Any]:
    """A tree head as the API and the export publish it."""
    return {
        "tree_size": head.tree_size,
        "root_hash": head.root_hash,
        "chain_hash": head.chain_hash,
        "timestamp": at_text(head.timestamp),
        "public_key": head.public_key,
        "signature": head.signature,
    }


_MEMO: dict[tuple[int, int], tuple[bytes, bytes]] = {}
_MEMO_LIMIT = 200_000


def tree_reader() -> TreeReader:
    """A Merkle reader over the ledger table; complete subtrees of 1,024+ entries are remembered for the process.

    A remembered subtree is used only while the entry hash of its last leaf is unchanged (the chain ties that hash
    to every earlier entry), so a database restored or rewritten underneath cannot serve stale hashes.
    """
    if len(_MEMO) > _MEMO_LIMIT:
        _MEMO.clear()

    def fetch(lo: int, hi: int) -> list[bytes]:
        hashes = entry_hashes(lo, hi)
        if len(hashes) != hi - lo:
            raise ServiceError.single("tree_size", "ledger_gap", _("账本记录不连续，请运行 sunlight ledger verify。"))
        return [leaf_of(h) for h in hashes]

    def check(lo: int, hi: int) -> bytes:
        value = LedgerEntry.objects.filter(seq=hi).values_list("entry_hash", flat=True).first()
        return bytes.fromhex(value) if value else b""

    return TreeReader(fetch, memo=_MEMO, memo_min=1024, check=check)


def chain_size() -> tuple[int, str]:
    """The committed chain length and the hash of its last entry (from the head row)."""
    head = LedgerHead.objects.filter(id=1).first()
    return (head.seq, head.entry_hash) if head is not None else (0, "0" * 64)


def checkpoint_due(*, now: datetime, size: int, latest: TreeHead | None) -> bool:
    """A tree head is due when the ledger grew since the latest one or the latest is 24 hours old."""
    if size == 0:
        return False
    if latest is None or size > latest.tree_size:
        return True
    return now - latest.timestamp >= HEARTBEAT


def latest_tree_head() -> TreeHead | None:
    """The newest tree head."""
    return TreeHead.objects.order_by("-id").first()


def checkpoint_create(*, now: datetime | None = None, force: bool = False) -> TreeHead | None:
    """Sign a tree head over the committed chain when one is due (or always, when forced); None when not.

    The root is computed before any lock is taken (entries up to the committed head never change); the head row is
    then locked for the moment it takes to check again and insert, so that two ticks running together sign once.
    Timestamps never go backwards: a clock behind the latest tree head signs with that tree head's time.
    """
    moment = now or timezone.now()
    size, chain_hash = chain_size()
    if not force and not checkpoint_due(now=moment, size=size, latest=latest_tree_head()):
        return None
    if size == 0:
        return None
    root = tree_reader().root(size).hex()
    key = signing_key()
    assert key is not None
    with transaction.atomic():
        LedgerHead.objects.select_for_update().filter(id=1).first()
        latest = latest_tree_head()
        if not force and not checkpoint_due(now=moment, size=size, latest=latest):
            return None
        stamp = max(moment, latest.timestamp) if latest is not None else moment
        message = tree_head_message(tree_size=size, root_hash=root, chain_hash=chain_hash, timestamp=stamp)
        return TreeHead.objects.create(
            tree_size=size,
            root_hash=root,
            chain_hash=chain_hash,
            timestamp=stamp,
            public_key=public_key_hex(key),
            signature=key.sign(message).hex(),
        )


def public_keys() -> list[dict[str, Any]]:
    """Every key that has signed a tree head, newest first, with the time of its first and last use."""
    rows = (
        TreeHead.objects.values("public_key")
        .annotate(first_used=Min("timestamp"), last_used=Max("timestamp"))
        .order_by("-last_used")
    )
    return [dict(row) for row in rows]


# Proofs -------------------------------------------------------------------------------------------------------------


def _size_error(field: str, message: str) -> ServiceError:
    return ServiceError([FieldError(field, "out_of_range", message)])


def inclusion_proof(*, seq: int, tree_size: int) -> dict[str, Any]:
    """The audit path showing that entry `seq` is leaf seq - 1 of the tree of `tree_size` entries (RFC 6962 PATH)."""
    size, _hash = chain_size()
    if not 1 <= tree_size <= size:
        raise _size_error("tree_size", _("树的大小应在 1 到 %(size)d 之间。") % {"size": size})
    if not 1 <= seq <= tree_size:
        raise _size_error("seq", _("记录序号应在 1 到 %(size)d 之间。") % {"size": tree_size})
    reader = tree_reader()
    entry_hash = entry_hashes(seq - 1, seq)[0]
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": tree_size,
        "entry_hash": entry_hash,
        "leaf_hash": leaf_of(entry_hash).hex(),
        "audit_path": [h.hex() for h in reader.inclusion_proof(seq - 1, tree_size)],
        "root_hash": reader.root(tree_size).hex(),
    }


def consistency_proof(*, first: int, second: int) -> dict[str, Any]:
    """The proof that the tree of `second` entries extends the tree of `first` entries (RFC 6962 PROOF)."""
    size, _hash = chain_size()
    if not 1 <= second <= size:
        raise _size_error("second", _("树的大小应在 1 到 %(size)d 之间。") % {"size": size})
    if not 1 <= first <= second:
        raise _size_error("first", _("first 应在 1 到 second 之间。"))
    reader = tree_reader()
    return {
        "first": first,
        "second": second,
        "first_root": reader.root(first).hex(),
        "second_root": reader.root(second).hex(),
        "proof": [h.hex() for h in reader.consistency_proof(first, second)],
    }


# Export -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    entries: int
    tree_heads: int


def ledger_export(out: IO[str], *, payloads: bool = True) -> ExportResult:
    """Write the ledger as JSON Lines for `tools/verify_ledger.py`: a header, the tree heads, then every entry.

    The snapshot is the committed chain when the export starts, with the tree heads that cover no more than it.
    Without payloads the verifier checks the chain and the tree heads but takes each payload_hash on trust.
    """
    size, chain_hash = chain_size()
    heads = list(TreeHead.objects.filter(tree_size__lte=size).order_by("id"))
    dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    header = {
        "type": "header",
        "format": EXPORT_FORMAT,
        "exported_at": at_text(timezone.now()),
        "entries": size,
        "chain_hash": chain_hash,
        "payloads": payloads,
        "leaf": "SHA-256(0x00 || bytes.fromhex(entry_hash)); leaf index = seq - 1",
        "tree_head_message": "canonical JSON of {type, tree_size, root_hash, chain_hash, timestamp}",
    }
    out.write(dump(header) + "\n")
    for head in heads:
        out.write(dump({"type": "tree_head", **tree_head_dict(head)}) + "\n")
    count = 0
    loads = json.loads
    for seq, stream, kind, actor, at, payload, payload_hash, prev_hash, entry_hash in chain_rows(upto=size):
        row: dict[str, Any] = {
            "type": "entry",
            "seq": seq,
            "stream": stream,
            "kind": kind,
            "actor": actor,
            "at": at,
            "payload_hash": payload_hash,
            "prev_hash": prev_hash,
            "entry_hash": entry_hash,
        }
        if payloads:
            row["payload"] = loads(payload)
        out.write(dump(row) + "\n")
        count += 1
    return ExportResult(count, len(heads))
