"""REC-10, SYS-5: the public transparency API (no login) serves signed tree heads, the public key, inclusion and
consistency proofs that verify against the tree heads, and structured errors for bad input."""

from __future__ import annotations

import pytest
from django.db import transaction

from sunlight.core import merkle
from sunlight.core.ledger import leaf_of, ledger_append
from sunlight.core.models import LedgerEntry
from sunlight.core.transparency import checkpoint_create, public_key_hex, signing_key, tree_head_signature_ok

pytestmark = pytest.mark.django_db
API = "/api/v1/transparency"


def append(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            ledger_append(stream="case:1", kind="test.fact", actor="system", payload={"i": i})


@pytest.fixture
def heads():
    append(3)
    first = checkpoint_create(force=True)
    append(10)
    second = checkpoint_create(force=True)
    return first, second


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    [item] = response.json()["errors"]
    return item


def test_before_the_first_tree_head_there_is_nothing_to_show(client):
    assert client.get(f"{API}/tree-heads").json() == {"count": 0, "items": []}
    assert error(client.get(f"{API}/tree-heads/latest"), 404)["code"] == "no_tree_head"
    assert error(client.get(f"{API}/public-key"), 404)["code"] == "no_tree_head"
    assert error(client.get(f"{API}/proofs/inclusion", {"seq": 1}), 404)["code"] == "no_tree_head"


def test_tree_heads_are_listed_newest_first_with_paging(client, heads):
    _first, second = heads
    data = client.get(f"{API}/tree-heads").json()
    assert data["count"] == 2
    assert [h["tree_size"] for h in data["items"]] == [13, 3]
    assert data["items"][0]["root_hash"] == second.root_hash
    assert data["items"][0]["timestamp"].endswith("+00:00")
    assert [h["tree_size"] for h in client.get(f"{API}/tree-heads", {"limit": 1, "offset": 1}).json()["items"]] == [3]
    assert error(client.get(f"{API}/tree-heads", {"limit": 0}), 400)["field"] == "limit"
    assert error(client.get(f"{API}/tree-heads", {"offset": -1}), 400)["field"] == "offset"
    assert error(client.get(f"{API}/tree-heads", {"limit": "many"}), 422)["field"] == "limit"


def test_latest_tree_head_and_public_key(client, heads):
    _first, second = heads
    latest = client.get(f"{API}/tree-heads/latest").json()
    assert latest["tree_size"] == 13 and latest["signature"] == second.signature
    assert tree_head_signature_ok(second)
    key = client.get(f"{API}/public-key").json()
    assert key["algorithm"] == "Ed25519"
    assert key["public_key"] == public_key_hex(signing_key()) == latest["public_key"]
    assert key["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert [k["public_key"] for k in key["keys"]] == [key["public_key"]]


def test_inclusion_proofs_verify_against_the_signed_root(client, heads):
    _first, second = heads
    for seq in (1, 7, 13):
        proof = client.get(f"{API}/proofs/inclusion", {"seq": seq}).json()  # default: the newest tree head
        entry = LedgerEntry.objects.get(seq=seq)
        assert (proof["tree_size"], proof["entry_hash"], proof["leaf_index"]) == (13, entry.entry_hash, seq - 1)
        assert proof["leaf_hash"] == leaf_of(entry.entry_hash).hex()
        assert merkle.verify_inclusion(
            leaf=leaf_of(entry.entry_hash),
            index=seq - 1,
            size=13,
            proof=[bytes.fromhex(h) for h in proof["audit_path"]],
            root=bytes.fromhex(second.root_hash),
        )
    older = client.get(f"{API}/proofs/inclusion", {"seq": 2, "tree_size": 3}).json()
    assert older["root_hash"] == heads[0].root_hash


def test_consistency_proofs_verify_between_signed_roots(client, heads):
    first, second = heads
    data = client.get(f"{API}/proofs/consistency", {"first": 3, "second": 13}).json()
    assert (data["first_root"], data["second_root"]) == (first.root_hash, second.root_hash)
    assert merkle.verify_consistency(
        first=3,
        second=13,
        first_root=bytes.fromhex(first.root_hash),
        second_root=bytes.fromhex(second.root_hash),
        proof=[bytes.fromhex(h) for h in data["proof"]],
    )
    assert client.get(f"{API}/proofs/consistency", {"first": 13, "second": 13}).json()["proof"] == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("proofs/inclusion", {"seq": 0, "tree_size": 5}, "seq"),
        ("proofs/inclusion", {"seq": 6, "tree_size": 5}, "seq"),
        ("proofs/inclusion", {"seq": 1, "tree_size": 99}, "tree_size"),
        ("proofs/inclusion", {"seq": 1, "tree_size": 0}, "tree_size"),
        ("proofs/consistency", {"first": 5, "second": 4}, "first"),
        ("proofs/consistency", {"first": 0, "second": 4}, "first"),
        ("proofs/consistency", {"first": 1, "second": 99}, "second"),
    ],
)
def test_out_of_range_sizes_are_structured_errors(client, heads, path, params, field):
    item = error(client.get(f"{API}/{path}", params), 400)
    assert (item["field"], item["code"]) == (field, "out_of_range")
    assert item["message"]


def test_missing_or_malformed_parameters_are_structured_errors(client, heads):
    assert error(client.get(f"{API}/proofs/consistency", {"first": 1}), 422)["field"] == "second"
    assert error(client.get(f"{API}/proofs/inclusion", {"seq": "x"}), 422)["code"] == "int_parsing"
