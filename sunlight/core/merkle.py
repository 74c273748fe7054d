"""Merkle trees over the ledger in the style of RFC 6962 / RFC 9162 (REC-10; DESIGN.md, The ledger).

Pure functions, no Django. Hashes are raw 32-byte SHA-256 digests:

* leaf hash  = SHA-256(0x00 || leaf input)
* node hash  = SHA-256(0x01 || left || right)
* the root of an empty tree is SHA-256 of nothing.

The tree of size n is RFC 6962's MTH(D[0:n]): split at k, the largest power of two below n. The ledger's leaf input
for the entry with sequence number s (index s - 1) is the 32 raw bytes of its entry hash (`ledger.leaf_of`).

`CompactRange` folds leaves one by one and gives the root of every prefix (what `ledger verify` and the standalone
verifier use); `TreeReader` computes roots, inclusion proofs (RFC 6962 PATH) and consistency proofs (PROOF) from a
function that fetches leaf hashes by index range, memoising complete aligned subtrees; `verify_inclusion` and
`verify_consistency` are RFC 9162 sections 2.1.3.2 and 2.1.4.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF = b"\x00"
_NODE = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data)."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH over a list of leaf hashes (already hashed with 0x00)."""
    if not leaves:
        return EMPTY_ROOT
    compact = CompactRange()
    for leaf in leaves:
        compact.append(leaf)
    return compact.root()


class CompactRange:
    """The right edge of a growing tree: O(log n) subtree hashes, enough to give the root of the current prefix."""

    __slots__ = ("_hashes", "_sizes", "size")

    def __init__(self) -> None:
        self._sizes: list[int] = []
        self._hashes: list[bytes] = []
        self.size = 0

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash (SHA-256(0x00 || input))."""
        sizes, hashes = self._sizes, self._hashes
        size, value = 1, leaf
        while sizes and sizes[-1] == size:
            sizes.pop()
            value = hashlib.sha256(_NODE + hashes.pop() + value).digest()
            size <<= 1
        sizes.append(size)
        hashes.append(value)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves appended so far."""
        if not self._hashes:
            return EMPTY_ROOT
        hashes = self._hashes
        value = hashes[-1]
        for i in range(len(hashes) - 2, -1, -1):
            value = hashlib.sha256(_NODE + hashes[i] + value).digest()
        return value


LeafFetcher = Callable[[int, int], Sequence[bytes]]
"""fetch(lo, hi) -> the leaf hashes of indexes lo..hi-1 (each SHA-256(0x00 || input))."""


class TreeReader:
    """Roots and proofs for trees over leaves that `fetch` reads on demand (from the database, or a list).

    Complete subtrees of at least `memo_min` leaves are remembered in `memo` (pass a shared dict to keep them
    between readers: a complete subtree of an append-only log never changes). `check(lo, hi)`, when given, returns a
    token that must still match for a memoised subtree to be used (the ledger passes the entry hash of leaf hi - 1,
    which the hash chain ties to every earlier entry).
    """

    def __init__(
        self,
        fetch: LeafFetcher,
        *,
        memo: dict[tuple[int, int], tuple[bytes, bytes]] | None = None,
        memo_min: int = 1024,
        check: Callable[[int, int], bytes] | None = None,
    ) -> None:
        self.fetch = fetch
        self.memo = memo if memo is not None else {}
        self.memo_min = memo_min
        self.check = check

    def subtree(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi])."""
        n = hi - lo
        if n <= 0:
            return EMPTY_ROOT
        complete = n & (n - 1) == 0 and n >= self.memo_min
        token = b""
        if complete:
            token = self.check(lo, hi) if self.check is not None else b""
            known = self.memo.get((lo, hi))
            if known is not None and known[1] == token:
                return known[0]
        if n <= self.memo_min:
            value = root_of(self.fetch(lo, hi))
        else:
            k = split_point(n)
            value = node_hash(self.subtree(lo, lo + k), self.subtree(lo + k, hi))
        if complete:
            self.memo[(lo, hi)] = (value, token)
        return value

    def root(self, size: int) -> bytes:
        """The root of the tree of the first `size` leaves."""
        return self.subtree(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """RFC 6962 PATH(index, D[0:size]): the audit path of one leaf, bottom to top."""
        if not 0 <= index < size:
            raise ValueError("index out of range")
        return self._path(index, 0, size)

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return [*self._path(m, lo, lo + k), self.subtree(lo + k, hi)]
        return [*self._path(m - k, lo + k, hi), self.subtree(lo, lo + k)]

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """RFC 6962 PROOF(first, D[0:second]); empty when first == second."""
        if not 0 < first <= second:
            raise ValueError("sizes out of range")
        if first == second:
            return []
        return self._subproof(first, 0, second, True)

    def _subproof(self, m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if complete else [self.subtree(lo, hi)]
        k = split_point(n)
        if m <= k:
            return [*self._subproof(m, lo, lo + k, complete), self.subtree(lo + k, hi)]
        return [*self._subproof(m - k, lo + k, hi, False), self.subtree(lo, lo + k)]


def list_reader(leaves: Sequence[bytes], *, memo_min: int = 1024) -> TreeReader:
    """A TreeReader over leaf hashes held in memory."""
    return TreeReader(lambda lo, hi: leaves[lo:hi], memo_min=memo_min)


def verify_inclusion(*, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show that `leaf` (a leaf hash) is at `index` in the tree of `size` with `root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    *, first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (`second`, `second_root`) an append-only extension of (`first`, `first_root`)?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
