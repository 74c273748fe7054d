"""REC-10: the Merkle tree, inclusion and consistency proofs follow RFC 6962 / 9162, and a tampered proof fails.

The server's implementation (sunlight.core.merkle) and the standalone verifier's (tools/verify_ledger.py) are
checked against RFC 6962 known answers and against each other.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunlight.core import merkle

from .standalone import load_verifier

verifier = load_verifier()

# The test vectors of the certificate-transparency reference implementations (leaf inputs and roots of sizes 1..8).
KNOWN_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
KNOWN_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def naive_root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = merkle.split_point(len(hashes))
    return merkle.node_hash(naive_root(hashes[:k]), naive_root(hashes[k:]))


def flip(proof: list[bytes], i: int) -> list[bytes]:
    changed = list(proof)
    changed[i] = bytes([changed[i][0] ^ 1]) + changed[i][1:]
    return changed


def test_roots_match_the_rfc6962_known_answers():
    hashed = [merkle.leaf_hash(bytes.fromhex(h)) for h in KNOWN_LEAVES]
    for n in range(1, 9):
        assert merkle.root_of(hashed[:n]).hex() == KNOWN_ROOTS[n - 1]
        frontier = verifier.Frontier()
        for leaf in hashed[:n]:
            frontier.append(leaf)
        assert frontier.root().hex() == KNOWN_ROOTS[n - 1]
    assert merkle.root_of([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("memo_min", [1, 2, 1024])
def test_reader_roots_equal_the_recursive_definition(memo_min):
    hashes = leaves(70)
    reader = merkle.list_reader(hashes, memo_min=memo_min)
    for n in range(71):
        assert reader.root(n) == naive_root(hashes[:n]) == merkle.root_of(hashes[:n])


def test_every_inclusion_proof_verifies_and_any_change_fails():
    hashes = leaves(33)
    reader = merkle.list_reader(hashes, memo_min=2)
    for n in range(1, 34):
        root = naive_root(hashes[:n])
        for m in range(n):
            proof = reader.inclusion_proof(m, n)
            assert merkle.verify_inclusion(leaf=hashes[m], index=m, size=n, proof=proof, root=root)
            assert verifier.verify_inclusion(hashes[m], m, n, proof, root)
            other = (m + 1) % n
            if other != m:
                assert not verifier.verify_inclusion(hashes[m], other, n, proof, root)
                assert not verifier.verify_inclusion(hashes[other], m, n, proof, root)
            for i in range(len(proof)):
                assert not verifier.verify_inclusion(hashes[m], m, n, flip(proof, i), root)
            assert not verifier.verify_inclusion(hashes[m], m, n, [*proof, root], root)
            if proof:
                assert not merkle.verify_inclusion(leaf=hashes[m], index=m, size=n, proof=proof[:-1], root=root)


def test_every_consistency_proof_verifies_and_any_change_fails():
    hashes = leaves(33)
    reader = merkle.list_reader(hashes, memo_min=4)
    for n in range(1, 34):
        second = naive_root(hashes[:n])
        for m in range(1, n + 1):
            first = naive_root(hashes[:m])
            proof = reader.consistency_proof(m, n)
            assert merkle.verify_consistency(first=m, second=n, first_root=first, second_root=second, proof=proof)
            assert verifier.verify_consistency(m, n, first, second, proof)
            if m == n:
                continue
            forged_first = naive_root([hashes[0], *hashes[2 : m + 1]]) if m > 1 else hashes[1]
            assert not verifier.verify_consistency(m, n, forged_first, second, proof)
            assert not verifier.verify_consistency(m, n, first, merkle.node_hash(second, second), proof)
            for i in range(len(proof)):
                assert not verifier.verify_consistency(m, n, first, second, flip(proof, i))
            assert not verifier.verify_consistency(m, n, first, second, proof[:-1])


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 3000), data=st.data())
def test_large_trees_agree_between_server_and_standalone_verifier(size, data):
    hashes = leaves(size)
    reader = merkle.list_reader(hashes, memo_min=64)
    root = reader.root(size)
    index = data.draw(st.integers(0, size - 1))
    assert verifier.verify_inclusion(hashes[index], index, size, reader.inclusion_proof(index, size), root)
    first = data.draw(st.integers(1, size))
    assert verifier.verify_consistency(first, size, reader.root(first), root, reader.consistency_proof(first, size))
