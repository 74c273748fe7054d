#!/usr/bin/env python3
"""阳光执法账本独立校验程序 (REC-10): checks the Sunlight ledger without its database and without trusting its server.

Only the Python 3.11+ standard library. Usage (docs/verify-ledger.md):

    python3 verify_ledger.py export FILE [--public-key HEX]
        Recompute an export (`sunlight ledger export FILE`): every payload hash, the hash chain, the Merkle root of
        every signed tree head in it and each tree head's Ed25519 signature.
    python3 verify_ledger.py monitor URL --public-key HEX --state FILE
        Fetch the newest signed tree head, check its signature, and check a consistency proof that it extends the
        tree head saved in FILE; then save it. Run it regularly: a rewritten ledger cannot pass.
    python3 verify_ledger.py inclusion URL --seq N [--entry-hash HEX] --public-key HEX [--state FILE]
        Check an inclusion proof of entry N in the saved (or newest) signed tree head.
    python3 verify_ledger.py casefile ZIP [--public-key HEX]
        Check a case file (卷宗, REC-9) offline: every file against its manifest (nothing missing or extra), every
        ledger entry's hashes, its inclusion proof into the signed tree head and that tree head's signature, and
        every record file against the ledger entry that recorded it, every document and AV file against the ledger
        entry that stored it.

Exit status: 0 verified, 1 verification failed (the message names what and where), 2 usage or network error.

Definitions (the same as the server's, see sunlight/core/ledger.py and transparency.py):
  canonical JSON  = json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":")) as UTF-8
  payload_hash    = SHA-256(canonical JSON of the payload), hex
  entry_hash      = SHA-256(prev_hash bytes || canonical JSON of {seq, stream, kind, actor, at, payload_hash}), hex;
                    prev_hash of entry 1 is 32 zero bytes
  leaf hash       = SHA-256(0x00 || entry_hash bytes); leaf index = seq - 1
  node hash       = SHA-256(0x01 || left || right); tree of size n split at the largest power of two below n (RFC 6962)
  tree head       = Ed25519 signature over canonical JSON of
                    {type: "sunlight.tree_head.v1", tree_size, root_hash, chain_hash, timestamp}
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

TREE_HEAD_TYPE = "sunlight.tree_head.v1"
EXPORT_FORMAT = "sunlight.ledger_export.v1"
GENESIS = bytes(32)


class VerifyError(Exception):
    """The data does not verify; the message says what and where."""


# Ed25519 verification (RFC 8032, section 5.1.7), the reference arithmetic on extended coordinates ------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
Point = tuple[int, int, int, int]


def _add(a: Point, b: Point) -> Point:
    x = (a[1] - a[0]) * (b[1] - b[0]) % _P
    y = (a[1] + a[0]) * (b[1] + b[0]) % _P
    c = 2 * a[3] * b[3] * _D % _P
    d = 2 * a[2] * b[2] % _P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    return _P - x if (x & 1) != sign else x


def _decode(data: bytes) -> Point | None:
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_BASE: Point = (_GX, _GY, 1, _GX * _GY % _P)


@functools.lru_cache(maxsize=16)
def _doublings(point: Point) -> tuple[Point, ...]:
    """point, 2*point, 4*point, ... 2^255*point: a scalar product then costs one addition per set bit."""
    table = [point]
    for _ in range(255):
        table.append(_add(table[-1], table[-1]))
    return tuple(table)


def _mul(scalar: int, point: Point) -> Point:
    result: Point = (0, 1, 1, 0)
    table = _doublings(point)
    i = 0
    while scalar:
        if scalar & 1:
            result = _add(result, table[i])
        scalar >>= 1
        i += 1
    return result


def _same(a: Point, b: Point) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when `signature` is a valid Ed25519 signature of `message` under `public_key` (32 raw bytes)."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r = _decode(public_key), _decode(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % _L
    return _same(_mul(s, _BASE), _add(r, _mul(h, a)))


# Hashes, Merkle trees (RFC 6962; proofs checked as in RFC 9162 2.1.3.2 and 2.1.4.2) --------------------------------

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes."""
    return _ENCODER.encode(value).encode("utf-8")


def leaf_hash(entry_hash_hex: str) -> bytes:
    """SHA-256(0x00 || entry hash bytes)."""
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash_hex)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The right edge of a growing Merkle tree: gives the root of the leaves appended so far."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, bytes]] = []

    def append(self, leaf: bytes) -> None:
        size, value = 1, leaf
        while self.stack and self.stack[-1][0] == size:
            value = node_hash(self.stack.pop()[1], value)
            size *= 2
        self.stack.append((size, value))

    def root(self) -> bytes:
        if not self.stack:
            return hashlib.sha256(b"").digest()
        value = self.stack[-1][1]
        for _size, left in reversed(self.stack[:-1]):
            value = node_hash(left, value)
        return value


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Does the audit path `proof` put `leaf` at `index` in the tree (`size`, `root`)?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """Is the tree (`second`, `second_root`) the tree (`first`, `first_root`) with leaves appended?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = [first_root, *proof] if first & (first - 1) == 0 else list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# Tree heads ---------------------------------------------------------------------------------------------------------


def _hex(value: Any, length: int, what: str) -> bytes:
    try:
        raw = bytes.fromhex(value)
    except (TypeError, ValueError):
        raw = b""
    if len(raw) != length:
        raise VerifyError(f"{what} 不是 {length} 字节的十六进制数")
    return raw


def verify_tree_head(head: dict[str, Any], public_key: str | None) -> None:
    """Check one tree head's signature (and, when a key is pinned, that it signed it); raise VerifyError if not."""
    size = head.get("tree_size")
    if not isinstance(size, int) or size < 1:
        raise VerifyError("树头的 tree_size 无效")
    if public_key is not None and head.get("public_key") != public_key.lower():
        raise VerifyError(f"树头（{size} 条）不是由指定的公钥签名的：{head.get('public_key')}")
    message = canonical(
        {
            "type": TREE_HEAD_TYPE,
            "tree_size": size,
            "root_hash": head.get("root_hash"),
            "chain_hash": head.get("chain_hash"),
            "timestamp": head.get("timestamp"),
        }
    )
    key = _hex(head.get("public_key"), 32, "公钥")
    _hex(head.get("root_hash"), 32, "根哈希")
    if not ed25519_verify(key, message, _hex(head.get("signature"), 64, "签名")):
        raise VerifyError(f"树头（{size} 条，{head.get('timestamp')}）的签名无效")


# Export ---------------------------------------------------------------------------------------------------------------


def verify_export(lines: Iterable[str], public_key: str | None = None) -> dict[str, Any]:
    """Verify an export line by line; return counts, or raise VerifyError naming the first bad entry or tree head."""
    sha256, encode, loads = hashlib.sha256, _ENCODER.encode, json.loads
    heads: dict[int, list[dict[str, Any]]] = {}
    frontier = Frontier()
    prev, prev_hex, expected = GENESIS, GENESIS.hex(), 1
    header: dict[str, Any] | None = None
    keys: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = loads(line)
        except ValueError as exc:
            raise VerifyError(f"第 {number} 行不是 JSON") from exc
        kind = row.get("type")
        if kind == "header":
            if row.get("format") != EXPORT_FORMAT:
                raise VerifyError(f"不认识的导出格式：{row.get('format')}")
            header = row
        elif kind == "tree_head":
            if expected != 1:
                raise VerifyError("树头须排在记录之前")
            verify_tree_head(row, public_key)
            keys.add(row["public_key"])
            heads.setdefault(row["tree_size"], []).append(row)
        elif kind == "entry":
            seq = row.get("seq")
            if seq != expected:
                raise VerifyError(f"第 {expected} 条记录缺失（下一条是第 {seq} 条）")
            if row.get("prev_hash") != prev_hex:
                raise VerifyError(f"第 {seq} 条记录与前一条的哈希不衔接")
            if "payload" in row and sha256(encode(row["payload"]).encode()).hexdigest() != row.get("payload_hash"):
                raise VerifyError(f"第 {seq} 条记录的内容与其 payload_hash 不符")
            body = {k: row.get(k) for k in ("seq", "stream", "kind", "actor", "at", "payload_hash")}
            digest = sha256(prev + encode(body).encode()).digest()
            if digest.hex() != row.get("entry_hash"):
                raise VerifyError(f"第 {seq} 条记录的哈希不符（记录被修改）")
            frontier.append(sha256(b"\x00" + digest).digest())
            for head in heads.get(seq, ()):
                if frontier.root().hex() != head["root_hash"] or row["entry_hash"] != head["chain_hash"]:
                    raise VerifyError(f"前 {seq} 条记录与 {head['timestamp']} 签名的树头不符（账本被改写）")
            prev, prev_hex, expected = digest, row["entry_hash"], expected + 1
        else:
            raise VerifyError(f"第 {number} 行的类型无效：{kind}")
    if header is None:
        raise VerifyError("缺少导出文件头")
    entries = expected - 1
    if heads and max(heads) > entries:
        raise VerifyError(f"签名树头包含 {max(heads)} 条记录，导出中只有 {entries} 条")
    return {
        "entries": entries,
        "tree_heads": sum(len(v) for v in heads.values()),
        "keys": sorted(keys),
        "payloads": bool(header.get("payloads", True)),
    }


# Case files (卷宗, REC-9) -------------------------------------------------------------------------------------------

CASEFILE_FORMAT = "sunlight.casefile.v1"
MANIFEST = "manifest.json"
ENTRIES = "ledger/entries.jsonl"
PROOFS = "ledger/inclusion_proofs.json"
TREE_HEAD = "ledger/tree_head.json"
PUBLIC_KEY = "ledger/public_key.txt"
# Record fields that the record's own ledger entry also holds, under the same names: they must be equal.
RECORD_LEDGER_FIELDS = (
    "case",
    "record",
    "seq",
    "step",
    "variant",
    "occurred_at",
    "place",
    "officers",
    "certificates_shown",
    "party_present",
    "rights_notified",
    "rights_how",
    "content",
    "data",
    "party_signed",
    "refusal_note",
    "av_records",
)
_MISSING = object()


def _member_digest(archive: Any, name: str) -> tuple[str, int]:
    """SHA-256 (hex) and size of one ZIP member, read block by block."""
    hasher = hashlib.sha256()
    size = 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(1 << 20):
                hasher.update(chunk)
                size += len(chunk)
    except (OSError, zipfile.BadZipFile, EOFError) as exc:  # a CRC error: the bytes were changed in place
        raise VerifyError(f"文件 {name} 已损坏（{exc}）") from exc
    return hasher.hexdigest(), size


def _member_json(archive: Any, name: str) -> Any:
    try:
        return json.loads(archive.read(name).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise VerifyError(f"文件 {name} 不是有效的 JSON") from exc


def _check_manifest(archive: Any) -> dict[str, Any]:
    """Every file listed with its hash and size, nothing missing, nothing extra; returns the manifest."""
    names = [i.filename for i in archive.infolist() if not i.filename.endswith("/")]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise VerifyError(f"卷宗中有两个同名文件：{name}")
        seen.add(name)
    if MANIFEST not in seen:
        raise VerifyError("卷宗中缺少清单 manifest.json")
    manifest = _member_json(archive, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != CASEFILE_FORMAT:
        raise VerifyError(f"不认识的卷宗格式：{manifest.get('format') if isinstance(manifest, dict) else manifest!r}")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise VerifyError("清单 manifest.json 中没有文件列表")
    listed: set[str] = set()
    for item in files:
        path = item.get("path")
        if not isinstance(path, str) or path == MANIFEST or path in listed:
            raise VerifyError(f"清单中的文件名无效或重复：{path}")
        listed.add(path)
        if path not in seen:
            raise VerifyError(f"清单中的文件 {path} 在卷宗中缺失")
        digest, size = _member_digest(archive, path)
        if digest != item.get("sha256"):
            raise VerifyError(
                f"文件 {path} 的 SHA-256 与清单不符（文件被修改）：实际 {digest}，清单 {item.get('sha256')}"
            )
        if size != item.get("size"):
            raise VerifyError(f"文件 {path} 的大小与清单不符：实际 {size} 字节，清单 {item.get('size')} 字节")
    for name in names:
        if name != MANIFEST and name not in listed:
            raise VerifyError(f"卷宗中有清单未列出的文件：{name}")
    for required in (ENTRIES, PROOFS, TREE_HEAD):
        if required not in listed:
            raise VerifyError(f"卷宗中缺少 {required}")
    return manifest


def _entry_digest(row: dict[str, Any]) -> bytes:
    """SHA-256(prev_hash bytes || canonical {seq, stream, kind, actor, at, payload_hash}), as for an export."""
    prev = _hex(row.get("prev_hash"), 32, f"第 {row.get('seq')} 条记录的 prev_hash")
    body = {k: row.get(k) for k in ("seq", "stream", "kind", "actor", "at", "payload_hash")}
    return hashlib.sha256(prev + canonical(body)).digest()


def _check_entries(archive: Any, head: dict[str, Any], case_id: str, stored: set[Any]) -> dict[int, dict[str, Any]]:
    """Each entry's payload hash and entry hash, the chain between neighbours, its inclusion proof into the signed
    tree head, and that it belongs to the case (its stream, its deadlines, or a storing entry that `stored`, the
    manifest's `ledger_seq` of its documents and AV files, points at). Returns the entries by sequence number."""
    size, root = head["tree_size"], bytes.fromhex(head["root_hash"])
    proofs = _member_json(archive, PROOFS)
    if not isinstance(proofs, dict) or proofs.get("tree_size") != size or proofs.get("root_hash") != head["root_hash"]:
        raise VerifyError("包含证明所对应的树与签名树头不符")
    paths = {p.get("seq"): p for p in proofs.get("proofs", []) if isinstance(p, dict)}
    entries: dict[int, dict[str, Any]] = {}
    previous: dict[str, Any] | None = None
    for number, line in enumerate(archive.read(ENTRIES).decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise VerifyError(f"{ENTRIES} 第 {number} 行不是 JSON") from exc
        seq = row.get("seq") if isinstance(row, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise VerifyError(f"{ENTRIES} 第 {number} 行的序号无效")
        if previous is not None and seq <= previous["seq"]:
            raise VerifyError(f"第 {seq} 条记录排在第 {previous['seq']} 条之后（顺序错乱或重复）")
        if "payload" not in row or hashlib.sha256(canonical(row["payload"])).hexdigest() != row.get("payload_hash"):
            raise VerifyError(f"第 {seq} 条记录的内容与其 payload_hash 不符（记录被修改）")
        digest = _entry_digest(row)
        if digest.hex() != row.get("entry_hash"):
            raise VerifyError(f"第 {seq} 条记录的哈希不符（记录被修改）")
        if previous is not None and seq == previous["seq"] + 1 and row["prev_hash"] != previous["entry_hash"]:
            raise VerifyError(f"第 {seq} 条记录与前一条（第 {previous['seq']} 条）的哈希不衔接")
        if seq > size:
            raise VerifyError(f"第 {seq} 条记录不在签名树头（{size} 条记录）的范围内")
        proof = paths.get(seq)
        if proof is None:
            raise VerifyError(f"缺少第 {seq} 条记录的包含证明")
        audit_path = [_hex(h, 32, "证明中的哈希") for h in proof.get("audit_path", [])]
        if not verify_inclusion(hashlib.sha256(b"\x00" + digest).digest(), seq - 1, size, audit_path, root):
            raise VerifyError(f"包含证明无效：第 {seq} 条记录不在 {size} 条记录的签名树头中")
        entries[seq] = row
        previous = row
    deadlines = {
        row["stream"]
        for row in entries.values()
        if row.get("kind") == "deadline.opened"
        and str(row.get("stream", "")).startswith("deadline:")
        and isinstance(row.get("payload"), dict)
        and row["payload"].get("subject_type") == "case"
        and row["payload"].get("subject_id") == case_id
    }
    for seq, row in entries.items():
        stream = row.get("stream")
        ours = (
            stream == f"case:{case_id}"
            or stream in deadlines
            or (row.get("kind") == "evidence.stored" and seq in stored)
        )
        if not ours:
            raise VerifyError(f"第 {seq} 条记录（{stream}）不属于本案")
    return entries


def _check_records(archive: Any, files: list[dict[str, Any]], entries: dict[int, dict[str, Any]], case_id: str) -> int:
    """Each record file agrees with the ledger entry that recorded it; each recorded step has its record file."""
    recorded: set[int] = set()
    count = 0
    for item in files:
        if item.get("kind") != "record":
            continue
        path = item["path"]
        record = _member_json(archive, path)
        ledger = record.get("ledger") if isinstance(record, dict) else None
        if not isinstance(record, dict) or not isinstance(ledger, dict):
            raise VerifyError(f"记录 {path} 中没有所指的账本记录")
        seq = ledger.get("seq")
        entry = entries.get(seq) if isinstance(seq, int) else None
        if entry is None or entry.get("entry_hash") != ledger.get("entry_hash"):
            raise VerifyError(f"记录 {path} 所指的账本记录（第 {seq} 条）不在卷宗的账本条目中")
        payload: dict[str, Any] = entry["payload"] if isinstance(entry.get("payload"), dict) else {}
        if entry.get("stream") != f"case:{case_id}" or payload.get("record") != record.get("record"):
            raise VerifyError(f"记录 {path} 与账本第 {seq} 条记录不是同一记录")
        for key in RECORD_LEDGER_FIELDS:
            if key in payload and record.get(key, _MISSING) != payload[key]:
                raise VerifyError(f"记录 {path} 的“{key}”与账本第 {seq} 条记录不符（记录被修改）")
        recorded.add(entry["seq"])
        count += 1
    for seq, entry in entries.items():
        if str(entry.get("kind", "")).startswith("case.step.") and seq not in recorded:
            raise VerifyError(f"账本第 {seq} 条记录（{entry.get('kind')}）在卷宗中没有对应的记录文件")
    return count


STORED_KINDS = ("av", "document")


def _check_stored(files: list[dict[str, Any]], entries: dict[int, dict[str, Any]]) -> None:
    """An AV file or a document whose storing entry is in the ledger has exactly the bytes that were stored."""
    for item in files:
        seq = item.get("ledger_seq")
        if item.get("kind") not in STORED_KINDS or seq is None:
            continue
        entry = entries.get(seq) if isinstance(seq, int) else None
        payload = entry.get("payload") if entry is not None else None
        if entry is None or entry.get("kind") != "evidence.stored" or not isinstance(payload, dict):
            raise VerifyError(f"文件 {item['path']} 所指的入库记录（第 {seq} 条）不在卷宗的账本条目中")
        if (
            payload.get("sha256") != item.get("sha256")
            or payload.get("size") != item.get("size")
            or entry.get("stream") != f"evidence:{item.get('sha256')}"
        ):
            raise VerifyError(f"文件 {item['path']} 与账本第 {seq} 条入库记录的 SHA-256 或大小不符")


def verify_casefile(path: str | Path, public_key: str | None = None) -> dict[str, Any]:
    """Verify a case file ZIP; return what was checked, or raise VerifyError naming the first problem."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise VerifyError(f"{path} 不是有效的 ZIP 文件") from exc
    with archive:
        try:
            manifest = _check_manifest(archive)
            files: list[dict[str, Any]] = manifest["files"]
            case: dict[str, Any] = manifest["case"] if isinstance(manifest.get("case"), dict) else {}
            case_id = str(case.get("id", ""))
            head = _member_json(archive, TREE_HEAD)
            if not isinstance(head, dict):
                raise VerifyError(f"{TREE_HEAD} 不是签名树头")
            verify_tree_head(head, public_key)
            if PUBLIC_KEY in {f["path"] for f in files}:
                stated = archive.read(PUBLIC_KEY).decode("ascii", "replace").strip().lower()
                if stated != head["public_key"]:
                    raise VerifyError(f"{PUBLIC_KEY} 中的公钥与签名树头的公钥不符")
            stored = {f.get("ledger_seq") for f in files if f.get("kind") in STORED_KINDS}
            entries = _check_entries(archive, head, case_id, stored)
            records = _check_records(archive, files, entries, case_id)
            _check_stored(files, entries)
            manifest_sha256 = hashlib.sha256(archive.read(MANIFEST)).hexdigest()
        except zipfile.BadZipFile as exc:
            raise VerifyError(f"卷宗文件已损坏：{exc}") from exc
    return {
        "case": case,
        "files": len(files) + 1,
        "records": records,
        "entries": len(entries),
        "tree_head": head,
        "manifest_sha256": manifest_sha256,
    }


# Talking to a server (which is not trusted: every answer is checked against signed tree heads) -----------------------


def fetch_json(url: str) -> Any:
    """GET a JSON document."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (http/https URLs given by the user)
        return json.loads(response.read().decode("utf-8"))


def _api(base_url: str, path: str, **params: Any) -> str:
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    return f"{base_url.rstrip('/')}/api/v1/transparency/{path}{query}"


def _load_state(path: Path | None) -> dict[str, Any] | None:
    if path is None or not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def monitor(base_url: str, public_key: str, state_path: Path) -> dict[str, Any]:
    """Check that the server's newest signed tree head extends the saved one; save it. Returns the new tree head."""
    newest = fetch_json(_api(base_url, "tree-heads/latest"))
    verify_tree_head(newest, public_key)
    saved = _load_state(state_path)
    if saved is not None:
        verify_tree_head(saved, public_key)
        first, second = saved["tree_size"], newest["tree_size"]
        old_root, new_root = bytes.fromhex(saved["root_hash"]), bytes.fromhex(newest["root_hash"])
        if second < first:
            raise VerifyError(f"服务器的最新树头（{second} 条）比已保存的（{first} 条）还小：账本被回退")
        if second == first:
            if old_root != new_root:
                raise VerifyError(f"同样 {first} 条记录的两个签名树头根哈希不同：账本被改写")
        else:
            answer = fetch_json(_api(base_url, "proofs/consistency", first=first, second=second))
            proof = [_hex(h, 32, "证明中的哈希") for h in answer.get("proof", [])]
            if not verify_consistency(first, second, old_root, new_root, proof):
                raise VerifyError(
                    f"一致性证明无效：{second} 条记录的新树头不是已保存的 {first} 条记录树头的追加（账本被改写）"
                )
    state_path.write_text(json.dumps(newest, ensure_ascii=False, indent=2), encoding="utf-8")
    return newest


def check_inclusion(
    base_url: str, seq: int, public_key: str, *, entry_hash: str | None = None, state_path: Path | None = None
) -> dict[str, Any]:
    """Check that entry `seq` (with `entry_hash`, when given) is in the saved or newest signed tree head."""
    head = _load_state(state_path) or fetch_json(_api(base_url, "tree-heads/latest"))
    verify_tree_head(head, public_key)
    answer = fetch_json(_api(base_url, "proofs/inclusion", seq=seq, tree_size=head["tree_size"]))
    if entry_hash is not None and answer.get("entry_hash") != entry_hash.lower():
        raise VerifyError(f"服务器给出的第 {seq} 条记录哈希与您持有的不同")
    if answer.get("seq") != seq or answer.get("tree_size") != head["tree_size"]:
        raise VerifyError("服务器回答的不是所问的记录或树")
    leaf = leaf_hash(_hex(answer.get("entry_hash"), 32, "记录哈希").hex())
    path = [_hex(h, 32, "证明中的哈希") for h in answer.get("audit_path", [])]
    if not verify_inclusion(leaf, seq - 1, head["tree_size"], path, bytes.fromhex(head["root_hash"])):
        raise VerifyError(f"包含证明无效：第 {seq} 条记录不在 {head['tree_size']} 条记录的签名树头中")
    return answer


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description="阳光执法账本独立校验程序（只需 Python 标准库）")
    sub = parser.add_subparsers(dest="command", required=True)
    export = sub.add_parser("export", help="校验 sunlight ledger export 导出的文件")
    export.add_argument("file")
    export.add_argument("--public-key", help="平台公布的 Ed25519 公钥（十六进制）；所有树头都必须由它签名")
    mon = sub.add_parser("monitor", help="取得最新签名树头并校验它是已保存树头的追加")
    mon.add_argument("url")
    mon.add_argument("--public-key", required=True)
    mon.add_argument("--state", required=True, type=Path, help="保存上次树头的文件")
    inc = sub.add_parser("inclusion", help="校验某条记录在签名树头中")
    inc.add_argument("url")
    inc.add_argument("--seq", required=True, type=int)
    inc.add_argument("--entry-hash")
    inc.add_argument("--public-key", required=True)
    inc.add_argument("--state", type=Path, help="使用已保存的树头（默认取最新树头）")
    case = sub.add_parser("casefile", help="离线校验案件卷宗（ZIP）")
    case.add_argument("zip")
    case.add_argument("--public-key", help="平台公布的 Ed25519 公钥（十六进制）；卷宗中的树头必须由它签名")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            with open(args.file, encoding="utf-8") as lines:
                result = verify_export(lines, args.public_key)
            print(
                f"校验通过：{result['entries']} 条记录的哈希链完整，{result['tree_heads']} 个签名树头的签名和根哈希相符。"
            )
            if not result["payloads"]:
                print("注意：导出不含记录内容，未重新计算 payload_hash。")
            if not result["tree_heads"]:
                print("注意：导出中没有签名树头，只校验了哈希链本身，无法发现整体改写。")
            if args.public_key is None:
                print(
                    f"注意：未指定 --public-key；签名树头使用的公钥为 {', '.join(result['keys']) or '无'}，请与平台公布的核对。"
                )
        elif args.command == "monitor":
            head = monitor(args.url, args.public_key, args.state)
            print(
                f"校验通过：最新签名树头 {head['tree_size']} 条记录，根哈希 {head['root_hash']}，已保存到 {args.state}。"
            )
        elif args.command == "casefile":
            if not Path(args.zip).is_file():
                raise FileNotFoundError(f"文件不存在：{args.zip}")
            result = verify_casefile(args.zip, args.public_key)
            head = result["tree_head"]
            print(
                f"校验通过：卷宗 {result['case'].get('number', '')} 的 {result['files']} 个文件与清单相符，"
                f"{result['records']} 份记录与账本一致，{result['entries']} 条账本记录的哈希和包含证明有效，"
                f"签名树头（{head['tree_size']} 条，{head['timestamp']}）的签名有效。"
            )
            print(
                f"清单 SHA-256：{result['manifest_sha256']}（应与平台账本中本案“卷宗形成”记录 case.archive_formed 所载一致）。"
            )
            if args.public_key is None:
                print(f"注意：未指定 --public-key；签名树头使用的公钥为 {head['public_key']}，请与平台公布的核对。")
        else:
            check_inclusion(args.url, args.seq, args.public_key, entry_hash=args.entry_hash, state_path=args.state)
            print(f"校验通过：第 {args.seq} 条记录在签名树头中。")
    except VerifyError as exc:
        print(f"校验失败：{exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, urllib.error.URLError) as exc:
        print(f"无法完成校验：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
