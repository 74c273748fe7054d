"""REC-10: the standalone verifier (tools/verify_ledger.py, standard library only) accepts a true export and true
proofs, and rejects forged ones, including those of a deliberately lying server that holds the signing key."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from sunlight.core import merkle
from sunlight.core.ledger import GENESIS_HASH, canonical_json, leaf_of, ledger_append
from sunlight.core.models import LedgerEntry
from sunlight.core.transparency import checkpoint_create, public_key_hex, signing_key, tree_head_message

from .standalone import load_verifier

pytestmark = pytest.mark.django_db
verifier = load_verifier()


def append(n: int, start: int = 0) -> None:
    with transaction.atomic():
        for i in range(start, start + n):
            ledger_append(stream=f"case:{i % 3}", kind="test.fact", actor="system", payload={"i": i, "名称": "某"})


@pytest.fixture
def export(tmp_path) -> tuple[Path, str]:
    """An export of 12 entries with tree heads at 5 and 12, and the public key."""
    append(5)
    checkpoint_create(force=True)
    append(7, start=5)
    head = checkpoint_create(force=True)
    path = tmp_path / "export.jsonl"
    call_command("ledger", "export", str(path))
    return path, head.public_key


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(path: Path, data: list[dict[str, Any]]) -> Path:
    forged = path.with_name("forged.jsonl")
    forged.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")
    return forged


def entry_rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in data if r["type"] == "entry"]


def rechain(data: list[dict[str, Any]]) -> None:
    """Recompute every payload and entry hash in an export, as a forger would."""
    prev = GENESIS_HASH
    for row in entry_rows(data):
        row["payload_hash"] = hashlib.sha256(canonical_json(row["payload"])).hexdigest()
        body = {k: row[k] for k in ("seq", "stream", "kind", "actor", "at", "payload_hash")}
        row["prev_hash"] = prev
        row["entry_hash"] = prev = hashlib.sha256(bytes.fromhex(prev) + canonical_json(body)).hexdigest()


def sign(head: dict[str, Any], key: Any) -> None:
    message = tree_head_message(
        tree_size=head["tree_size"],
        root_hash=head["root_hash"],
        chain_hash=head["chain_hash"],
        timestamp=head["timestamp"],
    )
    head["public_key"] = public_key_hex(key)
    head["signature"] = key.sign(message).hex()


def test_a_true_export_is_accepted(export, capsys):
    path, key = export
    result = verifier.verify_export(path.read_text(encoding="utf-8").splitlines(), key)
    assert result == {"entries": 12, "tree_heads": 2, "keys": [key], "payloads": True}
    assert verifier.main(["export", str(path), "--public-key", key]) == 0
    assert "校验通过：12 条记录" in capsys.readouterr().out


def test_an_export_without_payloads_still_checks_the_chain_and_tree_heads(tmp_path, export):
    _path, key = export
    bare = tmp_path / "bare.jsonl"
    call_command("ledger", "export", str(bare), "--no-payloads")
    assert verifier.verify_export(bare.read_text(encoding="utf-8").splitlines(), key)["payloads"] is False


def test_a_changed_payload_is_named(export):
    path, key = export
    data = rows(path)
    entry_rows(data)[6]["payload"]["名称"] = "改"
    assert verifier.main(["export", str(write(path, data)), "--public-key", key]) == 1
    with pytest.raises(verifier.VerifyError, match="第 7 条记录的内容"):
        verifier.verify_export(write(path, data).read_text(encoding="utf-8").splitlines(), key)


def test_a_removed_entry_is_named(export):
    path, key = export
    data = rows(path)
    data.remove(entry_rows(data)[3])
    with pytest.raises(verifier.VerifyError, match="第 4 条记录缺失"):
        verifier.verify_export(write(path, data).read_text(encoding="utf-8").splitlines(), key)


def test_a_consistent_rewrite_fails_against_the_signed_tree_heads(export):
    path, key = export
    data = rows(path)
    entry_rows(data)[2]["payload"]["名称"] = "改"
    rechain(data)
    with pytest.raises(verifier.VerifyError, match=r"前 5 条记录与 .* 签名的树头不符"):
        verifier.verify_export(write(path, data).read_text(encoding="utf-8").splitlines(), key)


def test_a_rewrite_with_re_rooted_tree_heads_fails_on_the_signatures(export):
    path, key = export
    data = rows(path)
    entry_rows(data)[2]["payload"]["名称"] = "改"
    rechain(data)
    leaves = [leaf_of(r["entry_hash"]) for r in entry_rows(data)]
    heads = [r for r in data if r["type"] == "tree_head"]
    for head in heads:
        head["root_hash"] = merkle.root_of(leaves[: head["tree_size"]]).hex()
        head["chain_hash"] = entry_rows(data)[head["tree_size"] - 1]["entry_hash"]
    with pytest.raises(verifier.VerifyError, match="签名无效"):
        verifier.verify_export(write(path, data).read_text(encoding="utf-8").splitlines(), key)
    # Re-signed with a key of the forger's own: the pinned key refuses it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    own = Ed25519PrivateKey.generate()
    for head in heads:
        sign(head, own)
    forged = write(path, data).read_text(encoding="utf-8").splitlines()
    with pytest.raises(verifier.VerifyError, match="不是由指定的公钥签名"):
        verifier.verify_export(forged, key)
    assert verifier.verify_export(forged, None)["keys"] == [public_key_hex(own)]  # unpinned: the key is shown


def test_an_export_cut_short_of_its_tree_heads_is_refused(export):
    path, key = export
    data = rows(path)[:-3]
    with pytest.raises(verifier.VerifyError, match="导出中只有 9 条"):
        verifier.verify_export(write(path, data).read_text(encoding="utf-8").splitlines(), key)


# A server the verifier talks to -------------------------------------------------------------------------------------


class Server:
    """Serves fixed JSON answers by path, like a recording of the real API (or a liar's version of it)."""

    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        answers = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(answers.get(self.path, {"errors": []})).encode()
                self.send_response(200 if self.path in answers else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def record(self, client: Any, path: str) -> Any:
        """Answer `path` with what the real API answers now."""
        response = client.get(f"/api/v1/transparency/{path}")
        assert response.status_code == 200, response.content
        self.routes[f"/api/v1/transparency/{path}"] = response.json()
        return response.json()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.httpd.shutdown()


def test_an_honest_server_passes_monitoring_and_inclusion(client, server, tmp_path):
    append(5)
    first = checkpoint_create(force=True)
    state = tmp_path / "state.json"
    server.record(client, "tree-heads/latest")
    assert verifier.monitor(server.url, first.public_key, state)["tree_size"] == 5
    append(6, start=5)
    checkpoint_create(force=True)
    server.record(client, "tree-heads/latest")
    server.record(client, "proofs/consistency?first=5&second=11")
    assert verifier.main(["monitor", server.url, "--public-key", first.public_key, "--state", str(state)]) == 0
    assert json.loads(state.read_text())["tree_size"] == 11
    entry = LedgerEntry.objects.get(seq=3)
    server.record(client, "proofs/inclusion?seq=3&tree_size=11")
    verifier.check_inclusion(server.url, 3, first.public_key, entry_hash=entry.entry_hash, state_path=state)


def test_a_lying_server_cannot_prove_a_rewritten_history(client, server, tmp_path):
    """The server keeps the signing key and signs a tree head over a history in which entry 2 was changed; neither
    the proof it computes over the false history nor one it makes up passes against the tree head the client kept."""
    append(5)
    first = checkpoint_create(force=True)
    state = tmp_path / "state.json"
    server.record(client, "tree-heads/latest")
    verifier.monitor(server.url, first.public_key, state)
    append(6, start=5)

    true_leaves = [leaf_of(h) for h in LedgerEntry.objects.order_by("seq").values_list("entry_hash", flat=True)]
    false_leaves = list(true_leaves)
    false_leaves[1] = merkle.leaf_hash(hashlib.sha256(b"a different entry 2").digest())
    lying = merkle.list_reader(false_leaves, memo_min=2)
    head = {
        "tree_size": 11,
        "root_hash": lying.root(11).hex(),
        "chain_hash": "cd" * 32,
        "timestamp": "2026-11-22T00:00:00.000000+00:00",
    }
    sign(head, signing_key())  # the liar has the real key
    server.routes["/api/v1/transparency/tree-heads/latest"] = head
    proofs = {
        "computed over the false history": [h.hex() for h in lying.consistency_proof(5, 11)],
        "made up": [hashlib.sha256(bytes([i])).hexdigest() for i in range(3)],
        "the true proof": [h.hex() for h in merkle.list_reader(true_leaves).consistency_proof(5, 11)],
    }
    for proof in proofs.values():
        server.routes["/api/v1/transparency/proofs/consistency?first=5&second=11"] = {
            "first": 5,
            "second": 11,
            "first_root": first.root_hash,  # the liar repeats the client's root: the verifier does not rely on it
            "second_root": head["root_hash"],
            "proof": proof,
        }
        with pytest.raises(verifier.VerifyError, match="一致性证明无效"):
            verifier.monitor(server.url, first.public_key, state)
        assert json.loads(state.read_text())["tree_size"] == 5  # the kept tree head is not replaced
    assert verifier.main(["monitor", server.url, "--public-key", first.public_key, "--state", str(state)]) == 1


def test_a_lying_server_cannot_forge_an_inclusion_proof(client, server, tmp_path):
    append(9)
    checkpoint_create(force=True)
    state = tmp_path / "state.json"
    head = server.record(client, "tree-heads/latest")
    verifier.monitor(server.url, head["public_key"], state)
    honest = server.record(client, "proofs/inclusion?seq=4&tree_size=9")
    verifier.check_inclusion(server.url, 4, head["public_key"], state_path=state)

    path = "/api/v1/transparency/proofs/inclusion?seq=4&tree_size=9"
    forged_entry = hashlib.sha256(b"an entry that was never appended").hexdigest()
    # A proof for an entry that is not in the tree: the true path, or the path of another leaf.
    other = client.get("/api/v1/transparency/proofs/inclusion", {"seq": 5, "tree_size": 9}).json()
    for audit_path in (honest["audit_path"], other["audit_path"], honest["audit_path"][::-1]):
        server.routes[path] = {**honest, "entry_hash": forged_entry, "leaf_hash": "", "audit_path": audit_path}
        with pytest.raises(verifier.VerifyError, match="包含证明无效"):
            verifier.check_inclusion(server.url, 4, head["public_key"], state_path=state)
    # A true entry with a tampered path.
    tampered = list(honest["audit_path"])
    tampered[0] = "00" * 32
    server.routes[path] = {**honest, "audit_path": tampered}
    with pytest.raises(verifier.VerifyError, match="包含证明无效"):
        verifier.check_inclusion(server.url, 4, head["public_key"], state_path=state)
    # The client holds the entry hash: a server that answers with another one is caught before any hashing.
    server.routes[path] = {**honest, "entry_hash": forged_entry}
    with pytest.raises(verifier.VerifyError, match="记录哈希与您持有的不同"):
        verifier.check_inclusion(server.url, 4, head["public_key"], entry_hash=honest["entry_hash"], state_path=state)


def test_a_tree_head_with_a_bad_signature_or_a_smaller_tree_is_refused(client, server, tmp_path):
    append(6)
    checkpoint_create(force=True)
    state = tmp_path / "state.json"
    head = server.record(client, "tree-heads/latest")
    verifier.monitor(server.url, head["public_key"], state)
    server.routes["/api/v1/transparency/tree-heads/latest"] = {**head, "root_hash": "ab" * 32}
    with pytest.raises(verifier.VerifyError, match="签名无效"):
        verifier.monitor(server.url, head["public_key"], state)
    smaller = {
        **head,
        "tree_size": 4,
        "root_hash": merkle.list_reader(
            [leaf_of(h) for h in LedgerEntry.objects.order_by("seq").values_list("entry_hash", flat=True)]
        )
        .root(4)
        .hex(),
    }
    sign(smaller, signing_key())
    server.routes["/api/v1/transparency/tree-heads/latest"] = smaller
    with pytest.raises(verifier.VerifyError, match="账本被回退"):
        verifier.monitor(server.url, head["public_key"], state)
