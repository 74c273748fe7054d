"""Public JSON API of ex-post publication (PUB-9, PUB-12), no login: search, one decision, its proof, and the
exchange export for the upper-level platform. Published (redacted) data only; drafts do not exist here.

- `GET /api/v1/publicity/decisions?q=&agency=&action_type=&kind=&region=&date_from=&date_to=&sort=&page=`
- `GET /api/v1/publicity/decisions/{id}`: the record in force, or the status and notice of a withdrawn or expired one
- `GET /api/v1/publicity/decisions/{id}/verification`: published hash, ledger entry, inclusion proof
- `GET /api/v1/publicity/export?since=&after=&limit=`: every publication whose public state changed after a cursor
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from sunlight.core.errors import ServiceError
from sunlight.core.ledger import at_text

from . import selectors
from .choices import PublicationStatus
from .forms import search_params
from .search import search

router = Router(tags=["行政执法公示"])

EXPORT_FORMAT = "sunlight.publicity.exchange.v1"


class HitOut(Schema):
    id: str = Field(..., description="公示标识（UUID），页面地址 /decisions/{id}/")
    title: str
    party: str = Field(..., description="当事人（自然人已隐名）")
    agency: str
    action_type: str = Field(
        ..., description="行为类型：licence/penalty/coercion/inspection/confirmation/expropriation/other"
    )
    kind: str = Field(..., description="公示类别：decision/inspection_result/execution")
    document_number: str
    decided_on: dt.date
    published_at: dt.datetime
    version: int
    result: str
    snippet: str = Field(..., description="匹配处前后的文字（HTML，匹配处以 <mark> 标出，已转义）")


class SearchOut(Schema):
    query: str
    total: int = Field(..., description="匹配条数（超过上限时为上限）")
    total_capped: bool
    page: int
    pages: int
    page_size: int
    items: list[HitOut]


class DecisionOut(Schema):
    id: str
    status: str = Field(..., description="published（公示中）/ withdrawn（已撤回）/ expired（公示期满）")
    version: int | None = None
    reason: str | None = Field(None, description="initial（首次公示）/ update（变更更新）/ correction（纠错更正）")
    kind: str | None = None
    action_type: str | None = None
    agency: str | None = None
    agency_credit_code: str | None = None
    region_code: str | None = None
    document_number: str | None = None
    decided_on: str | None = None
    title: str | None = None
    party: str | None = None
    body: str | None = None
    basis: str | None = None
    result: str | None = None
    explanation: str | None = Field(None, description="更新、更正或撤回说明")
    published_at: str | None = None
    first_published_at: dt.datetime | None = None
    published_hash: str | None = Field(None, description="SHA-256(公示内容的规范 JSON)，见 record.json")
    withdrawn_at: dt.datetime | None = None
    expired_at: dt.datetime | None = None


class EntryOut(Schema):
    seq: int
    stream: str
    kind: str
    actor: str
    at: str
    payload: dict[str, Any]
    payload_hash: str
    prev_hash: str
    entry_hash: str
    leaf_hash: str
    checks_ok: bool = Field(..., description="载荷哈希、记录哈希、包含证明与树头签名均已由服务器复核")
    pending: bool = Field(..., description="记录晚于最新签名树头，将由下一个树头覆盖")
    tree_size: int | None = None
    root_hash: str | None = None
    audit_path: list[str] = []


class VersionProofOut(Schema):
    version: int
    reason: str
    published_at: dt.datetime
    published_hash: str
    explanation: str
    entry: EntryOut | None


class VerificationOut(Schema):
    id: str
    status: str
    changed: bool
    withdrawn: bool
    versions: list[VersionProofOut]
    withdrawal: EntryOut | None = None
    tree_head: dict[str, Any] | None = None


class ExchangeOut(Schema):
    format: str
    generated_at: dt.datetime
    count: int
    next_since: str | None = Field(None, description="下一页的 since（无更多时为空）")
    next_after: str | None = Field(None, description="下一页的 after")
    items: list[DecisionOut]


@router.get("/decisions", response=SearchOut, summary="检索已公示的行政执法决定")
def decisions(request: HttpRequest, page_size: int = 20) -> dict[str, Any]:
    """Full-text search (substring; several words separated by spaces must all occur) with filters: `agency`
    (UUID), `action_type`, `kind`, `region` (division code, includes the regions below), `date_from`/`date_to`
    (decision date), `sort` (-decided_on, decided_on, -published_at), `page`. Unknown filter values are ignored."""
    if not 1 <= page_size <= 100:
        raise ServiceError.single("page_size", "out_of_range", _("page_size 应在 1 到 100 之间。"))
    params = search_params(request.GET)
    f = params.filters
    page = search(
        params.q,
        agency=f.agency,
        action_type=f.action_type,
        kind=f.kind,
        region=f.region,
        date_from=f.date_from,
        date_to=f.date_to,
        sort=params.sort,
        page=params.page,
        page_size=page_size,
    )
    return {
        "query": page.query,
        "total": page.total,
        "total_capped": page.total_capped,
        "page": page.page,
        "pages": page.pages,
        "page_size": page.page_size,
        "items": [
            {
                "id": h.public_id,
                "title": h.title,
                "party": h.party,
                "agency": h.agency_name,
                "action_type": h.action_type,
                "kind": h.kind,
                "document_number": h.document_number,
                "decided_on": h.decided_on,
                "published_at": h.published_at,
                "version": h.version,
                "result": h.result,
                "snippet": str(h.snippet),
            }
            for h in page.hits
        ],
    }


@router.get("/decisions/{public_id}", response=DecisionOut, summary="一条公示（撤回、期满的只有状态与说明）")
def decision(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    """The record in force of a published decision; 404 for unknown ids and drafts."""
    return selectors.decision_dict(selectors.public_publication(public_id))


def _entry(proof: selectors.EntryProof | None) -> dict[str, Any] | None:
    if proof is None:
        return None
    entry = proof.entry
    return {
        "seq": entry.seq,
        "stream": entry.stream,
        "kind": entry.kind,
        "actor": entry.actor,
        "at": at_text(entry.at),
        "payload": entry.payload,
        "payload_hash": entry.payload_hash,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
        "leaf_hash": proof.leaf_hash,
        "checks_ok": proof.ok,
        "pending": proof.pending,
        "tree_size": proof.proof["tree_size"] if proof.proof else None,
        "root_hash": proof.proof["root_hash"] if proof.proof else None,
        "audit_path": proof.proof["audit_path"] if proof.proof else [],
    }


@router.get("/decisions/{public_id}/verification", response=VerificationOut, summary="公示内容的账本证明")
def verification(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    """For each version: the published hash and the ledger entry that carries it, with its inclusion proof against
    the latest signed tree head (`/api/v1/transparency/tree-heads/latest`)."""
    publication = selectors.public_publication(public_id)
    if publication.status == PublicationStatus.EXPIRED:
        return {
            "id": str(publication.public_id),
            "status": publication.status,
            "changed": False,
            "withdrawn": False,
            "versions": [],
        }
    v = selectors.verification(publication)
    from sunlight.core.transparency import tree_head_dict

    return {
        "id": str(publication.public_id),
        "status": publication.status,
        "changed": v.changed,
        "withdrawn": v.withdrawn,
        "versions": [
            {
                "version": p.version.number,
                "reason": p.version.reason,
                "published_at": p.version.confirmed_at,
                "published_hash": p.version.published_hash,
                "explanation": p.version.explanation,
                "entry": _entry(p.entry),
            }
            for p in v.versions
        ],
        "withdrawal": _entry(v.withdrawal_proof),
        "tree_head": tree_head_dict(v.tree_head) if v.tree_head else None,
    }


@router.get("/export", response=ExchangeOut, summary="数据交换：向上级平台导出公示变化")
def export(
    request: HttpRequest, since: dt.datetime | None = None, after: uuid.UUID | None = None, limit: int = 500
) -> dict[str, Any]:
    """Every publication whose public state changed after the cursor (`since`, a time with its zone; `after`, the id
    of the last item already received at that time), oldest change first: published and updated ones with their
    record in force, withdrawn ones with the explanation, expired ones with the time. Repeat with `next_since` and
    `next_after` until they are empty. `limit` 1..1000."""
    if not 1 <= limit <= 1000:
        raise ServiceError.single("limit", "out_of_range", _("limit 应在 1 到 1000 之间。"))
    if since is not None and timezone.is_naive(since):
        raise ServiceError.single("since", "naive", _("since 须带时区，如 2026-03-02T09:00:00+08:00。"))
    if after is not None and since is None:
        raise ServiceError.single("after", "needs_since", _("after 须与 since 一起使用。"))
    items = selectors.exchange_changes(since=since, after=after, limit=limit)
    last = items[-1] if len(items) == limit else None
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "count": len(items),
        "next_since": last.changed_at.isoformat() if last and last.changed_at else None,
        "next_after": str(last.public_id) if last else None,
        "items": [selectors.decision_dict(p) for p in items],
    }
