"""The append-only ledger: one global hash chain of every fact (DESIGN.md, The ledger; REC-10; ADR 0006).

Services call `ledger_append` inside their own transaction, so that the fact and the change commit together or not
at all. `entry_hash = SHA-256(prev_hash || canonical entry)`, where prev_hash is the previous entry's hash as 32 raw
bytes (32 zero bytes before the first entry) and the canonical entry is the canonical JSON (sorted keys, no white
space, UTF-8, no floats) of seq, stream, kind, actor, at (UTC, ISO 8601 with microseconds and "+00:00") and
payload_hash (hex SHA-256 of the canonical JSON payload).

Writers serialise on the single `LedgerHead` row: PostgreSQL locks it with `SELECT ... FOR UPDATE`; SQLite runs
every transaction as `BEGIN IMMEDIATE` (settings), which takes the database write lock up front. The head row,
the entry and the caller's change commit in one transaction, so a crash at any point leaves either the whole entry
or nothing.

The Merkle tree (`merkle.py`) has one leaf per entry, in sequence order: leaf index = seq - 1, leaf input = the 32 raw
bytes of entry_hash, leaf hash = SHA-256(0x00 || entry_hash bytes). `ledger_verify` streams the table once,
recomputing payload hashes, the chain and the Merkle root of every prefix that a signed tree head covers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .merkle import leaf_hash
from .models import LedgerEntry, LedgerHead, TreeHead

GENESIS_HASH = "0" * 64
_LEAF_PREFIX = b"\x00"
# One encoder, built once: json.dumps with keyword arguments builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_quote = encode_basestring  # how that encoder writes a string (C implementation)


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
    return _CANONICAL.encode(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def at_text(at: datetime) -> str:
    """How an entry's time appears in its canonical form: UTC, ISO 8601, microseconds, "+00:00"."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


_ENTRY_TEMPLATE = '{"actor":%s,"at":%s,"kind":%s,"payload_hash":%s,"seq":%d,"stream":%s}'


def canonical_entry(*, seq: int, stream: str, kind: str, actor: str, at: str, payload_hash: str) -> bytes:
    """The canonical entry bytes that the chain hashes (with `at` already in `at_text` form).

    Byte for byte `canonical_json({"seq": ..., "stream": ..., "kind": ..., "actor": ..., "at": ...,
    "payload_hash": ...})`, written out with the keys already in order (a property test holds the two together):
    verification builds one per entry, and this is three times faster than the general encoder.
    """
    return (
        _ENTRY_TEMPLATE % (_quote(actor), _quote(at), _quote(kind), _quote(payload_hash), seq, _quote(stream))
    ).encode("utf-8")


def entry_hash_of(
    *, prev_hash: str, seq: int, stream: str, kind: str, actor: str, at: datetime, payload_hash: str
) -> str:
    """The hash that links an entry to the one before it: SHA-256(prev_hash bytes || canonical entry)."""
    canonical = canonical_entry(
        seq=seq, stream=stream, kind=kind, actor=actor, at=at_text(at), payload_hash=payload_hash
    )
    return sha256_hex(bytes.fromhex(prev_hash) + canonical)


def leaf_of(entry_hash: str) -> bytes:
    """The Merkle leaf hash of an entry: SHA-256(0x00 || the 32 raw bytes of its entry hash)."""
    return leaf_hash(bytes.fromhex(entry_hash))


def actor_label(user: Any) -> str:
    """How an actor appears in the ledger: `user:<public id>` for a person, `system` otherwise."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system" if user is None else "anonymous"
    return f"user:{user.public_id}"


def ledger_append(*, stream: str, kind: str, actor: str, payload: dict[str, Any]) -> LedgerEntry:
    """Append one entry to the chain. Must run inside the caller's transaction (it locks the chain head).

    The payload is checked and serialised before the lock is taken, so the lock is held for two statements on
    PostgreSQL (lock the head; insert the entry and move the head in one statement) and three on other databases.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("ledger_append must be called inside transaction.atomic")
    payload_bytes = canonical_json(payload)
    payload_hash = sha256_hex(payload_bytes)
    head_table = conn.ops.quote_name(LedgerHead._meta.db_table)
    lock = " FOR UPDATE" if conn.features.has_select_for_update else ""
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT seq, entry_hash FROM {head_table} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
        if row is None:  # a database flushed by a test: create the head row, locked like any other append
            head, _created = LedgerHead.objects.select_for_update().get_or_create(id=1)
            row = (head.seq, head.entry_hash)
        prev_seq, prev_hash = row
        seq = prev_seq + 1
        at = timezone.now()
        entry_hash = entry_hash_of(
            prev_hash=prev_hash, seq=seq, stream=stream, kind=kind, actor=actor, at=at, payload_hash=payload_hash
        )
        if conn.vendor == "postgresql":
            entry_table = conn.ops.quote_name(LedgerEntry._meta.db_table)
            cursor.execute(
                f"WITH entry AS (INSERT INTO {entry_table} "  # noqa: S608
                "(seq, stream, kind, actor, at, payload, payload_hash, prev_hash, entry_hash) "
                "VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s) RETURNING id) "
                f"UPDATE {head_table} SET seq = %s, entry_hash = %s WHERE id = 1 RETURNING (SELECT id FROM entry)",
                [
                    seq,
                    stream,
                    kind,
                    actor,
                    at,
                    payload_bytes.decode("utf-8"),
                    payload_hash,
                    prev_hash,
                    entry_hash,
                    seq,
                    entry_hash,
                ],
            )
            entry = LedgerEntry(
                id=cursor.fetchone()[0],
                seq=seq,
                stream=stream,
                kind=kind,
                actor=actor,
                at=at,
                payload=json.loads(payload_bytes),
                payload_hash=payload_hash,
                prev_hash=prev_hash,
                entry_hash=entry_hash,
            )
            entry._state.adding = False
            entry._state.db = conn.alias
            return entry
        if conn.vendor == "sqlite":
            # The payload is stored as its canonical text, so that `ledger verify` can hash it as it stands.
            entry_table = conn.ops.quote_name(LedgerEntry._meta.db_table)
            cursor.execute(
                f"INSERT INTO {entry_table} "  # noqa: S608
                "(seq, stream, kind, actor, at, payload, payload_hash, prev_hash, entry_hash) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    seq,
                    stream,
                    kind,
                    actor,
                    conn.ops.adapt_datetimefield_value(at),
                    payload_bytes.decode("utf-8"),
                    payload_hash,
                    prev_hash,
                    entry_hash,
                ],
            )
            pk = cursor.lastrowid
            cursor.execute(f"UPDATE {head_table} SET seq = %s, entry_hash = %s WHERE id = 1", [seq, entry_hash])  # noqa: S608
            entry = LedgerEntry(
                id=pk,
                seq=seq,
                stream=stream,
                kind=kind,
                actor=actor,
                at=at,
                payload=json.loads(payload_bytes),
                payload_hash=payload_hash,
                prev_hash=prev_hash,
                entry_hash=entry_hash,
            )
            entry._state.adding = False
            entry._state.db = conn.alias
            return entry
    entry = LedgerEntry.objects.create(
        seq=seq,
        stream=stream,
        kind=kind,
        actor=actor,
        at=at,
        payload=json.loads(payload_bytes),
        payload_hash=payload_hash,
        prev_hash=prev_hash,
        entry_hash=entry_hash,
    )
    LedgerHead.objects.filter(id=1).update(seq=seq, entry_hash=entry_hash)
    return entry


# Reading the chain --------------------------------------------------------------------------------------------------

ChainRow = tuple[int, str, str, str, str, str, str, str, str]
"""seq, stream, kind, actor, at (canonical text), payload (JSON text as stored), payload_hash, prev_hash, entry_hash."""


def _sqlite_at(text: str) -> str:
    """Django stores aware times on SQLite as naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    if len(text) == 26 and text[10] == " ":
        return f"{text[:10]}T{text[11:]}+00:00"
    if len(text) == 19 and text[10] == " ":
        return f"{text[:10]}T{text[11:]}.000000+00:00"
    moment = datetime.fromisoformat(text)
    return at_text(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


_SQLITE_AT = (
    "CASE WHEN length(at) = 26 AND substr(at, 11, 1) = ' ' THEN substr(at, 1, 10) || 'T' || substr(at, 12) || '+00:00' "
    "WHEN length(at) = 19 AND substr(at, 11, 1) = ' ' "
    "THEN substr(at, 1, 10) || 'T' || substr(at, 12) || '.000000+00:00' ELSE CAST(at AS TEXT) END"
)
_PG_AT = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""


def _normalised(rows: list[Any]) -> list[Any]:
    """Rows whose `at` the database could not put in canonical form (other vendors, unusual text) fixed in Python."""
    fixed = []
    for row in rows:
        at, payload = row[4], row[5]
        if isinstance(at, str) and len(at) == 32 and isinstance(payload, str):
            fixed.append(row)
            continue
        at = _sqlite_at(at) if isinstance(at, str) else at_text(at)
        payload = payload if isinstance(payload, str) else json.dumps(payload)
        fixed.append((*row[:4], at, payload, *row[6:]))
    return fixed


def chain_batches(
    *, after: int = 0, upto: int | None = None, chunk_size: int = 5000
) -> Generator[list[ChainRow], None, None]:
    """Ledger rows in sequence order, in lists of up to `chunk_size`, with `at` in canonical text.

    Raw rows, not models, with the time formatted by the database: `ledger verify` spends its time hashing. On
    PostgreSQL a server-side cursor inside a transaction (one snapshot, nothing materialised); on SQLite a plain
    cursor outside any transaction of ours, so that a long check does not hold the write lock (WAL readers don't).
    """
    conn = default_connection
    table = conn.ops.quote_name(LedgerEntry._meta.db_table)
    at_sql = {"postgresql": _PG_AT, "sqlite": _SQLITE_AT}.get(conn.vendor, "at")
    where, params = "seq > %s", [after]
    if upto is not None:
        where += " AND seq <= %s"
        params.append(upto)
    sql = (
        f"SELECT seq, stream, kind, actor, {at_sql}, payload, payload_hash, prev_hash, entry_hash "  # noqa: S608
        f"FROM {table} WHERE {where} ORDER BY seq"
    )
    scope = transaction.atomic() if conn.vendor == "postgresql" else contextlib.nullcontext()
    with scope, conn.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            if conn.vendor == "postgresql":
                yield rows
            else:
                yield rows if all(len(r[4]) == 32 and isinstance(r[5], str) for r in rows) else _normalised(rows)


def chain_rows(*, after: int = 0, upto: int | None = None, chunk_size: int = 5000) -> Iterator[ChainRow]:
    """`chain_batches`, one row at a time."""
    for rows in chain_batches(after=after, upto=upto, chunk_size=chunk_size):
        yield from rows


def entry_hashes(lo: int, hi: int) -> list[str]:
    """The entry hashes of the entries with sequence numbers lo+1..hi (leaf indexes lo..hi-1), in order."""
    return list(
        LedgerEntry.objects.filter(seq__gt=lo, seq__lte=hi).order_by("seq").values_list("entry_hash", flat=True)
    )


# Verification --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a chain check: ok, or the first bad sequence number and why.

    `bad_seq` is None when the fault is not in an entry (a tree head with a bad signature). When the chain is intact
    but disagrees with a signed tree head (a rewritten history), `bad_seq`..`bad_last` is the range that changed.
    """

    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""
    tree_heads: int = 0
    bad_last: int | None = None


def _link_problem(seq: int, prev_hash: str) -> tuple[int, str]:
    """Explain an entry whose prev_hash does not match the entry before it: inserted rows, or a gap."""
    target = LedgerEntry.objects.filter(entry_hash=prev_hash).values_list("seq", flat=True).first()
    if target is not None and target < seq - 1:
        return target + 1, _("第 %(first)d 至 %(last)d 条是插入的记录（第 %(seq)d 条原本紧接第 %(target)d 条）") % {
            "first": target + 1,
            "last": seq - 1,
            "seq": seq,
            "target": target,
        }
    if target is None:
        return seq, _("与前一条记录的哈希不衔接（它原本指向的记录已不在账本中）")
    return seq, _("与前一条记录的哈希不衔接")


@contextlib.contextmanager
def _snapshot(conn: Any) -> Iterator[None]:
    """One consistent view of the ledger for the whole check, without holding up writers.

    Tree heads, rows and the head row must be read at the same moment, or an entry committed during the check would
    look like a missing tail. PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite: a deferred transaction,
    which reads one snapshot and, in WAL mode, takes no write lock (Django's own transactions here are BEGIN
    IMMEDIATE, which would hold every append for the length of the check). Inside a caller's transaction: its view.
    """
    if conn.in_atomic_block or not conn.get_autocommit():
        yield
        return
    if conn.vendor == "sqlite":
        raw = conn.connection
        if raw.in_transaction:  # one opened on the driver's connection directly: read inside it
            yield
            return
        raw.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
        return
    with transaction.atomic(using=conn.alias):
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@contextlib.contextmanager
def _verify_rows(conn: Any) -> Iterator[Iterator[Any]]:
    """Every ledger row in sequence order, for `ledger_verify`: a ChainRow, except that on SQLite the payload is bytes.

    The database driver's own cursor, iterated directly (no Django cursor wrapper, no model objects, no per-row
    converters). SQLite hands over the payload as the UTF-8 bytes it stores, ready to hash; PostgreSQL streams the rows
    (libpq's chunked mode), so that the server formats the next rows while Python hashes these. `at` may still be
    non-canonical on SQLite (text in an unusual form): `ledger_verify` normalises it when an entry hash disagrees.
    """
    table = conn.ops.quote_name(LedgerEntry._meta.db_table)
    if conn.vendor == "sqlite":
        cursor = conn.connection.cursor()
        try:
            cursor.execute(
                f"SELECT seq, stream, kind, actor, {_SQLITE_AT}, CAST(payload AS BLOB), payload_hash, prev_hash, "  # noqa: S608
                f"entry_hash FROM {table} ORDER BY seq"
            )
            yield cursor
        finally:
            cursor.close()
        return
    if conn.vendor == "postgresql" and hasattr(conn.connection, "cursor"):
        cursor = conn.connection.cursor()
        if hasattr(cursor, "stream"):  # psycopg 3
            rows = cursor.stream(
                f"SELECT seq, stream, kind, actor, {_PG_AT}, payload::text, payload_hash, prev_hash, entry_hash "  # noqa: S608
                f"FROM {table} ORDER BY seq",
                size=2000,
            )
            try:
                yield rows
            finally:
                rows.close()  # an unfinished stream cancels its query, so the connection can be used again
                cursor.close()
            return
        cursor.close()
    batches = chain_batches()
    try:
        yield (row for batch in batches for row in batch)
    finally:
        batches.close()


def _canonical_at(at: Any) -> str:
    """An `at` value the database could not put in canonical form, in canonical form (ValueError if it is no time)."""
    return _sqlite_at(at) if isinstance(at, str) else at_text(at)


def _payload_matches(
    payload: str | bytes, payload_hash: str, *, _encode: Any = _CANONICAL.encode, _sha256: Any = hashlib.sha256
) -> bool:
    """Whether a stored payload, parsed and written out as canonical JSON, hashes to payload_hash (False when the
    stored text is not even JSON)."""
    try:
        return bool(_sha256(_encode(json.loads(payload)).encode()).hexdigest() == payload_hash)
    except ValueError:
        return False


# How a walk over the rows ended early: (what, seq, detail).
_Stop = tuple[str, int, Any]


def _walk(rows: Iterator[Any], heads: dict[int, list[TreeHead]], *, as_stored: bool) -> tuple[int, str, _Stop | None]:
    """Check every row in one pass; returns the number of good entries, the last entry hash and what stopped the walk.

    Per entry: its sequence number, its link to the entry before, its payload hash, its entry hash, then its Merkle
    leaf is folded into the tree's right edge, whose root is compared with every tree head signed at that size. This
    is the hot loop of `ledger verify`: it works on raw rows with local names and no calls it can avoid.
    """
    sha256 = hashlib.sha256
    payload_matches = _payload_matches
    quote, template = _quote, _ENTRY_TEMPLATE
    leaf_prefix, node_prefix = _LEAF_PREFIX, b"\x01"
    checkpoints = sorted(heads)
    next_index = 0
    next_size = checkpoints[0] if checkpoints else 0
    last_good_size = 0
    # The Merkle tree's right edge: after leaf n, the stack holds one complete subtree per set bit of n.
    stack: list[bytes] = []
    prev_hex = GENESIS_HASH
    prev = bytes(32)
    expected = 1
    for seq, stream, kind, actor, at, payload, payload_hash, prev_hash, entry_hash in rows:
        if seq != expected:
            return expected - 1, prev_hex, ("gap" if seq > expected else "order", seq, None)
        if prev_hash != prev_hex:
            return expected - 1, prev_hex, ("link", seq, prev_hash)
        # SQLite keeps the payload as the canonical bytes that were hashed (ledger_append writes them): a match
        # means these are those very bytes. Otherwise (PostgreSQL's jsonb normalises the text; rows written some
        # other way) parse and re-serialise.
        if not (as_stored and sha256(payload).hexdigest() == payload_hash) and not payload_matches(
            payload, payload_hash
        ):
            return expected - 1, prev_hex, ("payload", seq, None)
        digest = sha256(
            prev + (template % (quote(actor), quote(at), quote(kind), quote(payload_hash), seq, quote(stream))).encode()
        ).digest()
        if digest.hex() != entry_hash:
            try:
                fixed = _canonical_at(at)
            except ValueError:
                fixed = at
            if fixed != at:
                digest = sha256(
                    prev
                    + canonical_entry(
                        seq=seq, stream=stream, kind=kind, actor=actor, at=fixed, payload_hash=payload_hash
                    )
                ).digest()
            if digest.hex() != entry_hash:
                return expected - 1, prev_hex, ("entry", seq, None)
        stack.append(sha256(leaf_prefix + digest).digest())
        n = seq
        while not n & 1:
            right = stack.pop()
            stack[-1] = sha256(node_prefix + stack[-1] + right).digest()
            n >>= 1
        prev, prev_hex = digest, entry_hash
        if seq == next_size:
            root = _fold(stack).hex()
            for head in heads[seq]:
                if head.root_hash != root or head.chain_hash != entry_hash:
                    return seq, prev_hex, ("rewritten", seq, (head, last_good_size))
            last_good_size = seq
            next_index += 1
            next_size = checkpoints[next_index] if next_index < len(checkpoints) else 0
        expected += 1
    if next_size:
        return expected - 1, prev_hex, ("tail", expected, checkpoints[-1])
    return expected - 1, prev_hex, None


def ledger_verify(*, check_tree_heads: bool = True) -> VerifyResult:
    """Recompute every hash in order and report the first entry that does not match (REC-10).

    Checks, in one pass: consecutive sequence numbers from 1; each prev_hash equals the previous entry's hash; each
    payload hashes to its payload_hash; each entry hashes to its entry_hash; the chain head row agrees with the last
    entry; and every signed tree head carries a valid Ed25519 signature and the Merkle root and chain hash of the
    prefix it covers, so that a history rewritten consistently (every hash recomputed) is found too. Everything is
    read from one snapshot of the database, so entries appended meanwhile are simply not part of the check.
    """
    conn = default_connection
    conn.ensure_connection()
    with _snapshot(conn):
        return _verify(conn, check_tree_heads=check_tree_heads)


def _verify(conn: Any, *, check_tree_heads: bool) -> VerifyResult:
    from .transparency import tree_head_signature_ok

    heads = list(TreeHead.objects.order_by("tree_size", "id")) if check_tree_heads else []
    for head in heads:
        if not tree_head_signature_ok(head):
            return VerifyResult(
                False,
                0,
                None,
                _("%(time)s 的签名树头（%(size)d 条）签名无效") % {"time": head.timestamp, "size": head.tree_size},
                len(heads),
            )
    by_size: dict[int, list[TreeHead]] = {}
    for head in heads:
        by_size.setdefault(head.tree_size, []).append(head)

    with _verify_rows(conn) as rows:
        checked, last_hash, stop = _walk(rows, by_size, as_stored=conn.vendor == "sqlite")
    # The rows are closed: the explanations below may query the database.
    if stop is not None:
        what, seq, detail = stop
        if what == "gap":
            return VerifyResult(False, checked, checked + 1, _("记录缺失"), len(heads))
        if what == "order":
            return VerifyResult(False, checked, seq, _("序号重复或乱序"), len(heads))
        if what == "link":
            bad, reason = _link_problem(seq, detail)
            return VerifyResult(False, min(bad, seq) - 1, bad, reason, len(heads))
        if what == "payload":
            return VerifyResult(False, checked, seq, _("记录内容被修改"), len(heads))
        if what == "entry":
            return VerifyResult(False, checked, seq, _("记录被修改"), len(heads))
        if what == "rewritten":
            head, last_good = detail
            return _rewritten(head, last_good, seq, len(heads))
        return VerifyResult(
            False,
            checked,
            seq,
            _("已签名的树头包含 %(size)d 条记录，此后的记录缺失") % {"size": detail},
            len(heads),
        )
    head_row = LedgerHead.objects.filter(id=1).first()
    if head_row is not None:
        if head_row.seq > checked:
            return VerifyResult(False, checked, checked + 1, _("末尾的记录缺失"), len(heads))
        if head_row.seq < checked:
            return VerifyResult(False, head_row.seq, head_row.seq + 1, _("链头之后多出记录"), len(heads))
        if head_row.seq and head_row.entry_hash != last_hash:
            return VerifyResult(False, checked - 1, checked, _("链头哈希与最后一条记录不一致"), len(heads))
    return VerifyResult(True, checked, tree_heads=len(heads))


def _fold(stack: list[bytes]) -> bytes:
    """The root of a tree from its right edge (see merkle.CompactRange.root)."""
    value = stack[-1]
    for left in reversed(stack[:-1]):
        value = hashlib.sha256(b"\x01" + left + value).digest()
    return value


def _rewritten(head: TreeHead, last_good: int, size: int, heads: int) -> VerifyResult:
    return VerifyResult(
        False,
        last_good,
        last_good + 1,
        _("第 %(first)d 至 %(last)d 条记录与 %(time)s 签名的树头不符（账本被改写）")
        % {"first": last_good + 1, "last": size, "time": head.timestamp.isoformat()},
        heads,
        size,
    )
