"""Writes of the evidence app: registering AV records, interruptions, retention flags, file access, scrubbing.

REC-5, REC-6 (registration starts the 24-hour upload deadline; interruptions carry their reasons; two verified copies),
REC-13 (long-term retention flags: new rows, never updates). The upload path (tus) is in `uploads.py`.

Every service checks first (scope through the selectors, role, validation — all errors collected into one
ServiceError) and then writes the change and its ledger entry in one transaction. Nothing here updates or deletes an
evidence row: the tables are append-only in the database as well.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.access.choices import Action
from sunlight.access.services import access_use
from sunlight.access.subjects import avrecord_subject
from sunlight.core.audit import audit
from sunlight.core.deadlines import deadline_open
from sunlight.core.errors import FieldError, ServiceError
from sunlight.org.choices import Role
from sunlight.org.scope import deny
from sunlight.org.selectors import users_visible_to

from . import selectors
from .choices import CUSTODIAN_ROLES, CheckOutcome, RetentionReason, Scene, StatementForm
from .integrity import check_file
from .models import AVFile, AVRecord, CopyCheck, Interruption, RetentionFlag, RetentionLift, StoredFile
from .storage import BLOCK, ByteStream, StoreError, stores, upload_dir

# A recording may end a little "in the future" when a device clock runs fast.
CLOCK_TOLERANCE = timedelta(minutes=5)


def iso(moment: datetime | None) -> str | None:
    """A time as it goes into the ledger (UTC, ISO 8601)."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _aware(value: Any) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- AV records (REC-6) ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterruptionIn:
    """An interruption as given at registration or added later."""

    started_at: datetime
    ended_at: datetime
    reason: str
    statement_form: str


def _interruption_errors(
    item: InterruptionIn, *, recorded_from: datetime, recorded_to: datetime, prefix: str
) -> list[FieldError]:
    errors = []
    if not _aware(item.started_at):
        errors.append(FieldError(f"{prefix}started_at", "required", _("请填写中断开始时间。")))
    if not _aware(item.ended_at):
        errors.append(FieldError(f"{prefix}ended_at", "required", _("请填写恢复录制时间。")))
    if not errors:
        if item.ended_at <= item.started_at:
            errors.append(FieldError(f"{prefix}ended_at", "order", _("恢复录制时间应晚于中断开始时间。")))
        if item.started_at < recorded_from or item.ended_at > recorded_to:
            errors.append(FieldError(f"{prefix}started_at", "outside", _("中断时间应在录制开始至录制结束之间。")))
    if not _text(item.reason):
        errors.append(FieldError(f"{prefix}reason", "required", _("请说明中断原因（REC-6）。")))
    elif len(_text(item.reason)) > 300:
        errors.append(FieldError(f"{prefix}reason", "too_long", _("中断原因不超过300字。")))
    if item.statement_form not in StatementForm.values:
        errors.append(FieldError(f"{prefix}statement_form", "invalid", _("请选择说明方式（语音或书面）。")))
    return errors


def _interruption_payload(item: Interruption) -> dict[str, Any]:
    return {
        "started_at": iso(item.started_at),
        "ended_at": iso(item.ended_at),
        "reason": item.reason,
        "statement_form": item.statement_form,
    }


def _officer_for(acting_user: Any, officer: Any) -> Any:
    """The officer a record belongs to: the acting user, or (for custodians) an officer within their scope."""
    if officer is None or officer.pk == acting_user.pk:
        return acting_user
    custodian = acting_user.is_superuser or acting_user.role_codes & CUSTODIAN_ROLES
    if not custodian or not users_visible_to(acting_user).filter(pk=officer.pk).exists():
        raise deny(acting_user, action="evidence.register_for", target=str(officer.public_id))
    return officer


def av_record_register(
    *,
    acting_user: Any,
    title: str,
    scene: str,
    device_number: str,
    recorded_from: datetime,
    recorded_to: datetime,
    place: str,
    officer: Any = None,
    field_work: bool = False,
    returned_at: datetime | None = None,
    case_number: str = "",
    case_step: str = "",
    interruptions: list[InterruptionIn] | tuple[InterruptionIn, ...] = (),
    now: datetime | None = None,
) -> AVRecord:
    """Register an AV recording and start its upload deadline (REC-6: within 24 h of the recording's end, or of
    the return from field work); record `evidence.record_registered`.

    The officer is the acting user, or an officer within a custodian's scope (unit head, agency head, archivist).
    """
    moment = now or timezone.now()
    owner = _officer_for(acting_user, officer)
    errors: list[FieldError] = []
    if not owner.has_role(Role.OFFICER):
        errors.append(FieldError("officer", "not_officer", _("音像记录须登记在执法人员名下。")))
    if owner.agency_id is None:
        errors.append(FieldError("officer", "no_agency", _("该执法人员未归属任何执法主体。")))
    for name, value, limit in (
        ("title", title, 200),
        ("device_number", device_number, 60),
        ("place", place, 200),
    ):
        if not _text(value):
            errors.append(FieldError(name, "required", _("此项为必填项。")))
        elif len(_text(value)) > limit:
            errors.append(FieldError(name, "too_long", _("内容过长。")))
    if scene not in Scene.values:
        errors.append(FieldError("scene", "invalid", _("请选择记录场景。")))
    if len(_text(case_number)) > 80 or len(_text(case_step)) > 60:
        errors.append(FieldError("case_number", "too_long", _("内容过长。")))
    times_ok = _aware(recorded_from) and _aware(recorded_to)
    if not times_ok:
        errors.append(FieldError("recorded_from", "required", _("请填写录制开始和结束时间。")))
    elif recorded_to <= recorded_from:
        errors.append(FieldError("recorded_to", "order", _("录制结束时间应晚于开始时间。")))
    elif recorded_to > moment + CLOCK_TOLERANCE:
        errors.append(FieldError("recorded_to", "future", _("录制结束时间不能晚于当前时间。")))
    if field_work:
        if not _aware(returned_at):
            errors.append(FieldError("returned_at", "required", _("外出执法的，请填写返回单位时间。")))
        elif times_ok and returned_at is not None and returned_at < recorded_to:
            errors.append(FieldError("returned_at", "order", _("返回单位时间不能早于录制结束时间。")))
        elif returned_at is not None and returned_at > moment + CLOCK_TOLERANCE:
            errors.append(FieldError("returned_at", "future", _("返回单位时间不能晚于当前时间。")))
    elif returned_at is not None:
        errors.append(FieldError("returned_at", "not_field_work", _("未外出执法的，不填写返回单位时间。")))
    if times_ok:
        for i, item in enumerate(interruptions):
            errors += _interruption_errors(
                item, recorded_from=recorded_from, recorded_to=recorded_to, prefix=f"interruptions.{i}."
            )
    if errors:
        raise ServiceError(errors)

    with transaction.atomic():
        record = AVRecord.objects.create(
            title=_text(title),
            scene=scene,
            officer=owner,
            agency_id=owner.agency_id,
            unit_id=owner.unit_id,
            device_number=_text(device_number),
            recorded_from=recorded_from,
            recorded_to=recorded_to,
            place=_text(place),
            field_work=bool(field_work),
            returned_at=returned_at if field_work else None,
            case_number=_text(case_number),
            case_step=_text(case_step),
            registered_by=acting_user,
            registered_at=moment,
        )
        rows = [
            Interruption.objects.create(
                record=record,
                started_at=item.started_at,
                ended_at=item.ended_at,
                reason=_text(item.reason),
                statement_form=item.statement_form,
                recorded_by=acting_user,
                recorded_at=moment,
            )
            for item in interruptions
        ]
        audit(
            kind="evidence.record_registered",
            actor=acting_user,
            stream=record.stream,
            payload={
                "record": str(record.public_id),
                "title": record.title,
                "scene": record.scene,
                "officer": str(owner.public_id),
                "officer_name": owner.full_name,
                "agency": str(owner.agency.public_id),
                "unit": str(owner.unit.public_id) if owner.unit_id else None,
                "device_number": record.device_number,
                "recorded_from": iso(record.recorded_from),
                "recorded_to": iso(record.recorded_to),
                "place": record.place,
                "field_work": record.field_work,
                "returned_at": iso(record.returned_at),
                "case_number": record.case_number,
                "case_step": record.case_step,
                "interruptions": [_interruption_payload(row) for row in rows],
            },
        )
        deadline_open(
            rule_code=selectors.DEADLINE_RULE,
            subject_type=selectors.DEADLINE_SUBJECT,
            subject_id=str(record.public_id),
            subject_label=_("音像记录上传：%(title)s") % {"title": record.title},
            started_at=record.upload_starts_at,
            start_event=_("外出执法返回单位") if record.field_work else _("录制结束"),
            agency=owner.agency,
            unit=owner.unit,
            responsible=owner,
            acting_user=acting_user,
            now=moment,
        )
    return record


def interruption_add(
    *,
    acting_user: Any,
    record: AVRecord,
    started_at: datetime,
    ended_at: datetime,
    reason: str,
    statement_form: str,
    now: datetime | None = None,
) -> Interruption:
    """Add an interruption of a recording with its reason (REC-6); record `evidence.interruption_recorded`."""
    if not selectors.may_write(acting_user, record):
        raise deny(acting_user, action="evidence.interruption_add", target=str(record.public_id))
    item = InterruptionIn(started_at, ended_at, reason, statement_form)
    errors = _interruption_errors(item, recorded_from=record.recorded_from, recorded_to=record.recorded_to, prefix="")
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        row = Interruption.objects.create(
            record=record,
            started_at=started_at,
            ended_at=ended_at,
            reason=_text(reason),
            statement_form=statement_form,
            recorded_by=acting_user,
            recorded_at=now or timezone.now(),
        )
        audit(
            kind="evidence.interruption_recorded",
            actor=acting_user,
            stream=record.stream,
            payload={"record": str(record.public_id), **_interruption_payload(row)},
        )
    return row


# --- retention (REC-13) ------------------------------------------------------------------------------------------


def retention_flag_set(*, acting_user: Any, record: AVRecord, reason: str, note: str = "") -> RetentionFlag:
    """Flag a record for long-term retention (dispute, obstruction, hearing, reconsideration, litigation).

    The flag changes the record's archive state and so who sees it; the stored bytes are never touched.
    """
    if not selectors.may_flag_retention(acting_user):
        raise deny(acting_user, action="evidence.retention_flag", target=str(record.public_id))
    errors = []
    if reason not in RetentionReason.values:
        errors.append(FieldError("reason", "invalid", _("请选择长期保存事由。")))
    elif record.retention_flags.filter(reason=reason, lift__isnull=True).exists():
        errors.append(FieldError("reason", "duplicate", _("该记录已因此事由长期保存。")))
    if len(_text(note)) > 300:
        errors.append(FieldError("note", "too_long", _("说明不超过300字。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        flag = RetentionFlag.objects.create(record=record, reason=reason, note=_text(note), set_by=acting_user)
        audit(
            kind="evidence.retention_flagged",
            actor=acting_user,
            stream=record.stream,
            payload={"record": str(record.public_id), "flag": str(flag.public_id), "reason": reason, "note": flag.note},
        )
    return flag


def retention_flag_lift(*, acting_user: Any, flag: RetentionFlag, reason: str) -> RetentionLift:
    """End a long-term retention flag (e.g. the litigation has ended), with the reason; the flag row stays."""
    if not selectors.may_flag_retention(acting_user):
        raise deny(acting_user, action="evidence.retention_lift", target=str(flag.public_id))
    if not _text(reason):
        raise ServiceError.single("reason", "required", _("请填写解除理由。"))
    if len(_text(reason)) > 300:
        raise ServiceError.single("reason", "too_long", _("解除理由不超过300字。"))
    with transaction.atomic():
        if RetentionLift.objects.filter(flag=flag).exists():
            raise ServiceError.single("flag", "already_lifted", _("该长期保存标记已解除。"))
        lift = RetentionLift.objects.create(flag=flag, reason=_text(reason), lifted_by=acting_user)
        audit(
            kind="evidence.retention_lifted",
            actor=acting_user,
            stream=flag.record.stream,
            payload={
                "record": str(flag.record.public_id),
                "flag": str(flag.public_id),
                "reason": flag.reason,
                "lift_reason": lift.reason,
            },
        )
    return lift


# --- reading files (REC-11 hook: every view and download is in the ledger) --------------------------------------


def evidence_file_open(
    *, acting_user: Any, record_id: uuid.UUID | str, sha256: str, inline: bool
) -> tuple[ByteStream, AVFile]:
    """Open a stored file for the user (from the first readable copy) and record `evidence.viewed` or
    `evidence.downloaded` in the ledger before any byte is sent."""
    av_file = selectors.file_get_for_user(user=acting_user, record_id=record_id, sha256=sha256)
    # REC-11: the record's own officer uses it freely; anyone else needs an approved access request. Both the use
    # and a refusal are logged (the refusal before Forbidden is raised).
    access_use(
        user=acting_user,
        subject=avrecord_subject(av_file.record),
        action=Action.VIEW if inline else Action.DOWNLOAD,
        target=av_file.file.sha256,
    )
    stream: ByteStream | None = None
    source = ""
    for copy in av_file.file.copies.order_by("store"):
        store = stores().get(copy.store)
        if store is None:
            continue
        try:
            stream = store.open(copy.name)
        except StoreError:
            continue
        source = copy.store
        break
    if stream is None:
        error = ServiceError.single("file", "unavailable", _("两个存储副本均无法读取，请联系系统管理员。"))
        error.status = 503
        raise error
    try:
        with transaction.atomic():
            audit(
                kind="evidence.viewed" if inline else "evidence.downloaded",
                actor=acting_user,
                stream=av_file.file.stream,
                payload={
                    "record": str(av_file.record.public_id),
                    "file": str(av_file.public_id),
                    "sha256": av_file.file.sha256,
                    "filename": av_file.filename,
                    "copy": source,
                },
            )
    except BaseException:
        stream.close()
        raise
    return stream, av_file


# --- scrub: re-hash every copy, repair a bad one from the good one ---------------------------------------------


@dataclass
class ScrubReport:
    """What a scrub found: files checked, copies repaired and copies that could not be repaired (sha256, store)."""

    checked: int = 0
    intact: int = 0
    repaired: list[tuple[str, str]] = field(default_factory=list)
    unrecoverable: list[tuple[str, str]] = field(default_factory=list)


def _copy_row(stored: StoredFile, key: str, location: str, name: str, at: datetime) -> Any:
    from .models import StoredCopy

    row = stored.copies.filter(store=key).first()
    return row or StoredCopy.objects.create(file=stored, store=key, location=location, name=name, verified_at=at)


def _scrub_one(stored: StoredFile, report: ScrubReport) -> None:
    results = check_file(stored)
    bad = [r for r in results if not r.ok]
    if not bad:
        report.intact += 1
        return
    good = [r for r in results if r.ok]
    source_path = upload_dir() / f"scrub-{uuid.uuid4().hex}.tmp"
    source_ok = False
    if good:
        try:
            with contextlib.closing(stores()[good[0].store].open(good[0].name)) as src, source_path.open("wb") as out:
                hasher = hashlib.sha256()
                while chunk := src.read(BLOCK):
                    hasher.update(chunk)
                    out.write(chunk)
            source_ok = hasher.hexdigest() == stored.sha256
        except (StoreError, OSError):
            source_ok = False
    try:
        for result in bad:
            store = stores().get(result.store)
            repaired = False
            detail = result.message
            if source_ok and store is not None:
                try:
                    store.put(stored.object_name, source_path)
                    repaired = store.digest(stored.object_name) == (stored.sha256, stored.size)
                except StoreError as exc:
                    detail = f"{detail}；{_('修复失败')}：{exc}"
            now = timezone.now()
            with transaction.atomic():
                copy = result.copy
                if copy is None and store is not None and repaired:
                    copy = _copy_row(stored, result.store, store.location, stored.object_name, now)
                if copy is not None:
                    CopyCheck.objects.create(
                        copy=copy,
                        outcome=CheckOutcome.REPAIRED if repaired else CheckOutcome.BAD,
                        detail=detail[:300],
                        checked_at=now,
                    )
                audit(
                    kind="evidence.copy_repaired" if repaired else "evidence.copy_unrecoverable",
                    actor=None,
                    stream=stored.stream,
                    payload={
                        "sha256": stored.sha256,
                        "store": result.store,
                        "location": store.location if store else "",
                        "problem": result.code,
                        "detail": detail[:300],
                        "repaired_from": good[0].store if repaired else None,
                    },
                )
            (report.repaired if repaired else report.unrecoverable).append((stored.sha256, result.store))
    finally:
        with contextlib.suppress(OSError):
            source_path.unlink()


def evidence_scrub(*, now: datetime | None = None) -> ScrubReport:
    """Re-hash every copy of every stored file; rewrite a bad or missing copy from a verified good one.

    Each repair (or failure to repair) is a CopyCheck row and a ledger entry on the file's stream; the run as a
    whole is one `evidence.scrubbed` entry. Idempotent: a second run over intact stores writes only its summary.
    """
    started = now or timezone.now()
    report = ScrubReport()
    for stored in StoredFile.objects.order_by("id").iterator(chunk_size=200):
        report.checked += 1
        _scrub_one(stored, report)
    with transaction.atomic():
        audit(
            kind="evidence.scrubbed",
            actor=None,
            stream="evidence:scrub",
            payload={
                "started_at": iso(started),
                "finished_at": iso(timezone.now()),
                "checked": report.checked,
                "intact": report.intact,
                "repaired": [f"{sha}:{store}" for sha, store in report.repaired],
                "unrecoverable": [f"{sha}:{store}" for sha, store in report.unrecoverable],
            },
        )
    return report
