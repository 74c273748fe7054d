"""Evidence API (SYS-5, REC-6, REC-13): register AV records, read them with their files, copies, interruptions,
retention flags and audit trail. File bytes go through the tus endpoint (`upload_url`) and the download links."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from sunlight.core.errors import NotFound
from sunlight.org.selectors import user_get_for_user
from sunlight.workbench.selectors import actor_names

from . import selectors, services
from .choices import LEDGER_KINDS, ArchiveState, RetentionReason, Scene, StatementForm
from .models import AVRecord, RetentionFlag
from .uploads import allowed_extensions

router = Router(tags=["音像记录"], auth=django_auth)


class InterruptionSchema(Schema):
    started_at: datetime
    ended_at: datetime
    reason: str = Field(..., max_length=300)
    statement_form: StatementForm


class CopyOut(Schema):
    store: str
    location: str
    verified_at: datetime
    status: str
    status_label: str
    checked_at: datetime | None


class FileOut(Schema):
    id: uuid.UUID
    filename: str
    sha256: str
    size: int
    content_type: str
    uploaded_at: datetime
    uploaded_by: uuid.UUID
    copies: list[CopyOut]
    download_url: str


class FlagOut(Schema):
    id: uuid.UUID
    reason: RetentionReason
    note: str
    set_at: datetime
    lifted: bool
    lift_reason: str | None = None
    lifted_at: datetime | None = None


class DeadlineOut(Schema):
    due_at: datetime
    status: str
    level: str


class RecordOut(Schema):
    id: uuid.UUID
    title: str
    scene: Scene
    officer: uuid.UUID
    officer_name: str
    agency: uuid.UUID
    unit: uuid.UUID | None
    device_number: str
    recorded_from: datetime
    recorded_to: datetime
    place: str
    field_work: bool
    returned_at: datetime | None
    case_number: str
    case_step: str
    registered_at: datetime
    archive_state: ArchiveState
    retention_until: datetime | None
    upload_deadline: DeadlineOut | None
    upload_url: str
    files: list[FileOut]
    interruptions: list[InterruptionSchema]
    retention_flags: list[FlagOut]


class RecordIn(Schema):
    title: str = Field(..., max_length=200)
    scene: Scene
    officer: uuid.UUID | None = Field(
        None, description="执法人员（不填为本人；负责人、档案员可为本范围内的执法人员登记）"
    )
    device_number: str = Field(..., max_length=60)
    recorded_from: datetime
    recorded_to: datetime
    place: str = Field(..., max_length=200)
    field_work: bool = False
    returned_at: datetime | None = None
    case_number: str = Field("", max_length=80)
    case_step: str = Field("", max_length=60)
    interruptions: list[InterruptionSchema] = []


class FlagIn(Schema):
    reason: RetentionReason
    note: str = Field("", max_length=300)


class LiftIn(Schema):
    reason: str = Field(..., max_length=300)


class LedgerOut(Schema):
    seq: int
    at: datetime
    kind: str
    kind_label: str
    actor: str
    actor_name: str
    payload: dict[str, Any]
    entry_hash: str


class ConfigOut(Schema):
    tus_endpoint: str
    tus_version: str
    max_bytes: int
    allowed_types: list[str]
    chunk_bytes: int


def _flag_out(flag: RetentionFlag) -> dict[str, Any]:
    lift = getattr(flag, "lift", None)
    return {
        "id": flag.public_id,
        "reason": flag.reason,
        "note": flag.note,
        "set_at": flag.set_at,
        "lifted": lift is not None,
        "lift_reason": lift.reason if lift else None,
        "lifted_at": lift.lifted_at if lift else None,
    }


def _record_out(record: AVRecord) -> dict[str, Any]:
    deadline = selectors.record_deadline(record)
    state = selectors.archive_state(record)
    files = []
    for av in selectors.record_files(record):
        copies = [
            {
                "store": c.store,
                "location": c.location,
                "verified_at": c.verified_at,
                "status": c.outcome,
                "status_label": c.outcome_label,
                "checked_at": c.checked_at,
            }
            for c in selectors.copy_statuses(av.file)
        ]
        files.append(
            {
                "id": av.public_id,
                "filename": av.filename,
                "sha256": av.file.sha256,
                "size": av.file.size,
                "content_type": av.file.content_type,
                "uploaded_at": av.uploaded_at,
                "uploaded_by": av.uploaded_by.public_id,
                "copies": copies,
                "download_url": reverse("evidence:file_download", args=[record.public_id, av.file.sha256]),
            }
        )
    return {
        "id": record.public_id,
        "title": record.title,
        "scene": record.scene,
        "officer": record.officer.public_id,
        "officer_name": record.officer.full_name,
        "agency": record.agency.public_id,
        "unit": record.unit.public_id if record.unit else None,
        "device_number": record.device_number,
        "recorded_from": record.recorded_from,
        "recorded_to": record.recorded_to,
        "place": record.place,
        "field_work": record.field_work,
        "returned_at": record.returned_at,
        "case_number": record.case_number,
        "case_step": record.case_step,
        "registered_at": record.registered_at,
        "archive_state": state,
        "retention_until": None if state == ArchiveState.LONG_TERM else selectors.retention_until(record),
        "upload_deadline": {"due_at": deadline.due_at, "status": deadline.status, "level": deadline.level}
        if deadline
        else None,
        "upload_url": reverse("evidence:tus_collection"),
        "files": files,
        "interruptions": [
            {"started_at": i.started_at, "ended_at": i.ended_at, "reason": i.reason, "statement_form": i.statement_form}
            for i in record.interruptions.all()
        ],
        "retention_flags": [_flag_out(f) for f in record.retention_flags.select_related("lift")],
    }


def _record(request: HttpRequest, record_id: uuid.UUID) -> AVRecord:
    return selectors.record_get_for_user(user=request.user, public_id=record_id)


@router.get("/config", response=ConfigOut, summary="上传参数（tus 端点、大小上限、允许的类型）")
def upload_config(request: HttpRequest) -> Any:
    return {
        "tus_endpoint": reverse("evidence:tus_collection"),
        "tus_version": "1.0.0",
        "max_bytes": settings.SUNLIGHT_EVIDENCE_MAX_BYTES,
        "allowed_types": allowed_extensions(),
        "chunk_bytes": settings.SUNLIGHT_EVIDENCE_CHUNK_BYTES,
    }


@router.get("/records", response=list[RecordOut], summary="可见的音像记录")
def record_list(request: HttpRequest, state: ArchiveState | None = None) -> Any:
    return [_record_out(r) for r in selectors.records_visible_to(request.user, state=state or "")[:500]]


@router.post("/records", response={201: RecordOut}, summary="登记音像记录（开始24小时上传期限）")
def record_create(request: HttpRequest, payload: RecordIn) -> Any:
    data = payload.dict()
    officer_id = data.pop("officer")
    officer = user_get_for_user(user=request.user, public_id=officer_id) if officer_id else None
    interruptions = [services.InterruptionIn(**item) for item in data.pop("interruptions")]
    record = services.av_record_register(acting_user=request.user, officer=officer, interruptions=interruptions, **data)
    return Status(201, _record_out(record))


@router.get("/records/{record_id}", response=RecordOut, summary="音像记录详情（文件、副本、中断、长期保存）")
def record_detail(request: HttpRequest, record_id: uuid.UUID) -> Any:
    return _record_out(_record(request, record_id))


@router.post("/records/{record_id}/interruptions", response={201: InterruptionSchema}, summary="登记中断及原因")
def interruption_add(request: HttpRequest, record_id: uuid.UUID, payload: InterruptionSchema) -> Any:
    row = services.interruption_add(acting_user=request.user, record=_record(request, record_id), **payload.dict())
    return Status(
        201,
        {
            "started_at": row.started_at,
            "ended_at": row.ended_at,
            "reason": row.reason,
            "statement_form": row.statement_form,
        },
    )


@router.post("/records/{record_id}/retention-flags", response={201: FlagOut}, summary="设置长期保存")
def retention_flag_add(request: HttpRequest, record_id: uuid.UUID, payload: FlagIn) -> Any:
    flag = services.retention_flag_set(
        acting_user=request.user, record=_record(request, record_id), reason=payload.reason, note=payload.note
    )
    return Status(201, _flag_out(flag))


@router.post("/records/{record_id}/retention-flags/{flag_id}/lift", response=FlagOut, summary="解除长期保存")
def retention_flag_lift(request: HttpRequest, record_id: uuid.UUID, flag_id: uuid.UUID, payload: LiftIn) -> Any:
    record = _record(request, record_id)
    flag = RetentionFlag.objects.filter(record=record, public_id=flag_id).first()
    if flag is None:
        raise NotFound.single("flag", "not_found", _("长期保存标记不存在。"))
    services.retention_flag_lift(acting_user=request.user, flag=flag, reason=payload.reason)
    flag.refresh_from_db()
    return _flag_out(RetentionFlag.objects.select_related("lift").get(pk=flag.pk))


@router.get("/records/{record_id}/ledger", response=list[LedgerOut], summary="该记录的全过程记录（审计轨迹）")
def record_ledger(request: HttpRequest, record_id: uuid.UUID) -> Any:
    entries = list(selectors.record_ledger(_record(request, record_id)))
    names = actor_names([e.actor for e in entries])
    return [
        {
            "seq": e.seq,
            "at": e.at,
            "kind": e.kind,
            "kind_label": str(LEDGER_KINDS.get(e.kind, e.kind)),
            "actor": e.actor,
            "actor_name": names.get(e.actor, e.actor),
            "payload": e.payload,
            "entry_hash": e.entry_hash,
        }
        for e in entries
    ]
