"""Ledger transparency API (REC-10): signed tree heads, the public key, inclusion and consistency proofs.

Public (no login): anyone holding a tree head can check that an entry is in the ledger and that a later tree head
extends an earlier one, without trusting the server (tools/verify_ledger.py; docs/verify-ledger.md). Hashes are
lowercase hex; proofs follow RFC 6962 (PATH and PROOF) with leaf = SHA-256(0x00 || entry hash bytes).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from .errors import NotFound, ServiceError
from .ledger import at_text
from .models import TreeHead
from .transparency import (
    consistency_proof,
    inclusion_proof,
    latest_tree_head,
    public_key_pem,
    public_keys,
    tree_head_dict,
)

router = Router(tags=["账本透明度"])


class TreeHeadOut(Schema):
    tree_size: int = Field(..., description="树中记录数（序号 1..tree_size）")
    root_hash: str = Field(..., description="Merkle 根哈希（十六进制）")
    chain_hash: str = Field(..., description="第 tree_size 条记录的 entry_hash")
    timestamp: str = Field(..., description="签名时间（UTC，ISO 8601，微秒）")
    public_key: str = Field(..., description="Ed25519 公钥（32 字节，十六进制）")
    signature: str = Field(..., description="Ed25519 签名（64 字节，十六进制）")


class TreeHeadPage(Schema):
    count: int
    items: list[TreeHeadOut]


class KeyOut(Schema):
    public_key: str
    first_used: str
    last_used: str


class PublicKeyOut(Schema):
    algorithm: str
    public_key: str
    public_key_pem: str
    keys: list[KeyOut]


class InclusionOut(Schema):
    seq: int
    leaf_index: int
    tree_size: int
    entry_hash: str
    leaf_hash: str
    audit_path: list[str]
    root_hash: str


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]


def _no_tree_head() -> NotFound:
    return NotFound.single("__all__", "no_tree_head", _("尚未生成签名树头。"))


@router.get("/tree-heads", response=TreeHeadPage, summary="签名树头列表（新的在前）")
def tree_heads(request: HttpRequest, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Signed tree heads, newest first; `limit` 1..1000, `offset` from 0."""
    if not 1 <= limit <= 1000:
        raise ServiceError.single("limit", "out_of_range", _("limit 应在 1 到 1000 之间。"))
    if offset < 0:
        raise ServiceError.single("offset", "out_of_range", _("offset 不能为负数。"))
    heads = TreeHead.objects.order_by("-id")
    return {"count": heads.count(), "items": [tree_head_dict(h) for h in heads[offset : offset + limit]]}


@router.get("/tree-heads/latest", response=TreeHeadOut, summary="最新的签名树头")
def tree_head_latest(request: HttpRequest) -> dict[str, Any]:
    """The newest signed tree head; 404 before the first one."""
    head = latest_tree_head()
    if head is None:
        raise _no_tree_head()
    return tree_head_dict(head)


@router.get("/public-key", response=PublicKeyOut, summary="签名公钥")
def public_key(request: HttpRequest) -> dict[str, Any]:
    """The key of the newest tree head, and every key that has signed one."""
    keys = public_keys()
    head = latest_tree_head()
    if head is None:
        raise _no_tree_head()
    return {
        "algorithm": "Ed25519",
        "public_key": head.public_key,
        "public_key_pem": public_key_pem(head.public_key),
        "keys": [
            {
                "public_key": k["public_key"],
                "first_used": at_text(k["first_used"]),
                "last_used": at_text(k["last_used"]),
            }
            for k in keys
        ],
    }


@router.get("/proofs/inclusion", response=InclusionOut, summary="包含证明：某条记录在某个树中")
def proof_inclusion(request: HttpRequest, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """Audit path for entry `seq` in the tree of `tree_size` entries (default: the newest tree head's size)."""
    if tree_size is None:
        head = latest_tree_head()
        if head is None:
            raise _no_tree_head()
        tree_size = head.tree_size
    return inclusion_proof(seq=seq, tree_size=tree_size)


@router.get("/proofs/consistency", response=ConsistencyOut, summary="一致性证明：较大的树是较小的树的追加")
def proof_consistency(request: HttpRequest, first: int, second: int) -> dict[str, Any]:
    """Proof that the tree of `second` entries extends the tree of `first` entries."""
    return consistency_proof(first=first, second=second)
