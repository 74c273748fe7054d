"""Permission-aware reads of AV records and their files (REC-6, REC-11 hook, REC-13).

Views, the API and services read through these functions, never through bare managers, so that access rules added
later (REC-11 approvals) have one place to hook in. Data scope follows `scope_q`: officers see their own records,
unit heads their unit's, agency staff their agency's, supervisors their region's. A record whose retention period
has ended (and that carries no long-term flag) is sealed: only ARCHIVE_ROLES still see it, and only when they ask.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.org.scope import scope_q

from .choices import ARCHIVE_ROLES, ArchiveState, CheckOutcome, UploadStatus
from .models import AVFile, AVRecord, CopyCheck, RetentionFlag, StoredCopy, StoredFile, UploadSession

DEADLINE_SUBJECT = "evidence.avrecord"
DEADLINE_RULE = "records.av_upload"


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _years_after(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def _active_flag() -> Exists:
    return Exists(RetentionFlag.objects.filter(record=OuterRef("pk"), lift__isnull=True))


def _expired_q(now: datetime) -> Q:
    """Records past their normal retention period (the long-term flag is checked separately)."""
    general = now - timedelta(days=settings.SUNLIGHT_EVIDENCE_RETENTION_DAYS)
    with_case = _years_before(now, settings.SUNLIGHT_EVIDENCE_CASE_RETENTION_YEARS)
    return (Q(case_number="") & Q(recorded_to__lt=general)) | (~Q(case_number="") & Q(recorded_to__lt=with_case))


def sees_archive(user: Any) -> bool:
    """True for those who still see sealed records (archivists, agency heads, supervisors, administrators)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.role_codes & ARCHIVE_ROLES)


def _scoped(user: Any) -> QuerySet[AVRecord]:
    return (
        AVRecord.objects.filter(scope_q(user, agency="agency", unit="unit", owner="officer"))
        .select_related("officer", "agency", "unit", "registered_by")
        .annotate(long_term=_active_flag())
    )


def records_visible_to(user: Any, *, state: str = "", now: datetime | None = None) -> QuerySet[AVRecord]:
    """Records within the user's data scope, each annotated with `long_term` and `is_expired`.

    `state` filters by archive state ("" = every state the user may see: sealed records only for ARCHIVE_ROLES,
    and even then only when `state` is "expired").
    """
    moment = now or timezone.now()
    qs = _scoped(user)
    expired = _expired_q(moment) & Q(long_term=False)
    if state == ArchiveState.EXPIRED:
        return qs.filter(expired) if sees_archive(user) else qs.none()
    qs = qs.exclude(expired)
    if state == ArchiveState.LONG_TERM:
        return qs.filter(Q(long_term=True))
    if state == ArchiveState.ACTIVE:
        return qs.filter(Q(long_term=False))
    return qs


def record_get_for_user(*, user: Any, public_id: uuid.UUID | str, now: datetime | None = None) -> AVRecord:
    """One record the user may see (a sealed one only for ARCHIVE_ROLES), or NotFound."""
    qs = _scoped(user) if sees_archive(user) else records_visible_to(user, now=now)
    try:
        return qs.get(public_id=public_id)
    except (AVRecord.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound.single("record", "not_found", _("音像记录不存在或您无权查看。")) from exc


def retention_until(record: AVRecord) -> datetime:
    """The end of the normal retention period: days for records without a case, years for case records (REC-13)."""
    if record.case_number:
        return _years_after(record.recorded_to, settings.SUNLIGHT_EVIDENCE_CASE_RETENTION_YEARS)
    return record.recorded_to + timedelta(days=settings.SUNLIGHT_EVIDENCE_RETENTION_DAYS)


def archive_state(record: AVRecord, *, now: datetime | None = None) -> ArchiveState:
    """Active, long-term (a flag is in force) or expired (sealed); it changes visibility only, never the bytes."""
    long_term = getattr(record, "long_term", None)
    if long_term is None:
        long_term = record.retention_flags.filter(lift__isnull=True).exists()
    if long_term:
        return ArchiveState.LONG_TERM
    if retention_until(record) < (now or timezone.now()):
        return ArchiveState.EXPIRED
    return ArchiveState.ACTIVE


def record_files(record: AVRecord) -> list[AVFile]:
    """The stored files of a record, oldest first, with their contents and copies."""
    return list(record.files.select_related("file", "uploaded_by").prefetch_related("file__copies"))


def file_get_for_user(*, user: Any, record_id: uuid.UUID | str, sha256: str) -> AVFile:
    """One file of a record the user may see, or NotFound."""
    record = record_get_for_user(user=user, public_id=record_id)
    found = record.files.select_related("file", "record").filter(file__sha256=sha256.lower()).first()
    if found is None:
        raise NotFound.single("file", "not_found", _("文件不存在或您无权查看。"))
    return found


@dataclass(frozen=True)
class CopyStatus:
    """One copy as the pages show it: where, when verified on storage, and the last scrub finding if any."""

    store: str
    location: str
    verified_at: datetime
    outcome: str
    outcome_label: str
    checked_at: datetime | None
    detail: str


def copy_statuses(stored: StoredFile) -> list[CopyStatus]:
    """The status of each copy of a file (verified on storage; the latest scrub finding overrides)."""
    result = []
    for copy in stored.copies.all():
        last = CopyCheck.objects.filter(copy=copy).order_by("-checked_at", "-id").first()
        outcome = CheckOutcome(last.outcome) if last else CheckOutcome.OK
        label = outcome.label if last else _("已校验")
        result.append(
            CopyStatus(
                store=copy.store,
                location=copy.location,
                verified_at=copy.verified_at,
                outcome=str(outcome),
                outcome_label=str(label),
                checked_at=last.checked_at if last else None,
                detail=last.detail if last else "",
            )
        )
    return result


def record_deadline(record: AVRecord) -> Deadline | None:
    """The 24-hour upload deadline of a record (REC-6)."""
    return (
        Deadline.objects.filter(subject_type=DEADLINE_SUBJECT, subject_id=str(record.public_id))
        .order_by("-created_at")
        .first()
    )


def record_ledger(record: AVRecord) -> QuerySet[LedgerEntry]:
    """The audit trail of a record: its own entries, those of its files (about this record or the contents as
    such, e.g. a scrub repair) and those of its upload deadline, oldest first."""
    rid = str(record.public_id)
    file_streams = [f"evidence:{sha}" for sha in record.files.values_list("file__sha256", flat=True)]
    deadline_streams = [
        f"deadline:{pid}"
        for pid in Deadline.objects.filter(subject_type=DEADLINE_SUBJECT, subject_id=rid).values_list(
            "public_id", flat=True
        )
    ]
    q = Q(stream=record.stream) | Q(stream__in=deadline_streams)
    if file_streams:
        q |= Q(stream__in=file_streams) & (Q(payload__record=rid) | ~Q(payload__has_key="record"))
    return LedgerEntry.objects.filter(q).order_by("seq")


def uploads_in_progress(*, user: Any, record: AVRecord) -> QuerySet[UploadSession]:
    """The user's unfinished uploads to a record (they can be resumed by choosing the same file again)."""
    return UploadSession.objects.filter(
        record=record, created_by=user, status__in=[UploadStatus.RECEIVING, UploadStatus.STORING]
    ).order_by("-touched_at")


def upload_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> UploadSession:
    """An upload session of the user's own, or NotFound (uploads are private to whoever started them)."""
    try:
        return UploadSession.objects.select_related("record").get(public_id=public_id, created_by_id=user.pk)
    except (UploadSession.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound.single("upload", "not_found", _("上传任务不存在。")) from exc


def stored_copies(stored: StoredFile) -> QuerySet[StoredCopy]:
    """The registered copies of a file."""
    return stored.copies.order_by("store")


def may_write(user: Any, record: AVRecord) -> bool:
    """Whether the user may upload files and add interruptions to a record they can see: its officer, whoever
    registered it, or a custodian (unit head, agency head, archivist, administrator) within whose scope it lies."""
    from .choices import CUSTODIAN_ROLES

    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (record.officer_id, record.registered_by_id):
        return True
    return bool(user.is_superuser or user.role_codes & CUSTODIAN_ROLES)


def may_flag_retention(user: Any) -> bool:
    """Whether the user may set and lift long-term retention flags on the records they can see (REC-13)."""
    from .choices import RETENTION_ROLES

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.role_codes & RETENTION_ROLES)
