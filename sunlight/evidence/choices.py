"""Constants of the evidence store: scenes, interruption forms, retention reasons, archive states, file types.

REC-5 (AV recording scope), REC-6 (storage within 24 h, two copies, interruptions with reasons), REC-13 (long-term
retention). File types are an allow-list of extensions, each with the leading bytes its content must start with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import Role


class Scene(models.TextChoices):
    """What was being recorded (REC-5 scope)."""

    ON_SITE = "on_site", _("现场执法")
    EVIDENCE = "evidence", _("调查取证")
    COERCION = "coercion", _("查封、扣押等强制措施")
    LIBERTY = "liberty", _("涉及人身自由")
    CASE_ROOM = "case_room", _("办案场所")
    HEARING = "hearing", _("听证")
    SERVICE_LODGED = "service_lodged", _("留置送达")
    SERVICE_NOTICE = "service_notice", _("公告送达（张贴）")
    INSPECTION = "inspection", _("检查")
    OTHER = "other", _("其他")


class StatementForm(models.TextChoices):
    """How the reason for an interruption was given (REC-6: spoken on the recording or written)."""

    SPOKEN = "spoken", _("语音说明")
    WRITTEN = "written", _("书面说明")


class RetentionReason(models.TextChoices):
    """Why a record is kept long-term (REC-13)."""

    DISPUTE = "dispute", _("存在争议")
    OBSTRUCTION = "obstruction", _("阻挠执法")
    HEARING = "hearing", _("听证")
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class ArchiveState(models.TextChoices):
    """Where a record stands in its retention (computed, never stored; REC-13)."""

    ACTIVE = "active", _("保管期内")
    LONG_TERM = "long_term", _("长期保存")
    EXPIRED = "expired", _("保管期满（已封存）")


class UploadStatus(models.TextChoices):
    """Life of an in-progress (tus) upload. Upload sessions are not evidence and may change."""

    RECEIVING = "receiving", _("上传中")
    STORING = "storing", _("正在存储")
    COMPLETED = "completed", _("已完成")
    FAILED = "failed", _("已失败")
    EXPIRED = "expired", _("已过期")


class CheckOutcome(models.TextChoices):
    """Result of re-hashing one stored copy (`sunlight evidence scrub`)."""

    OK = "ok", _("完好")
    REPAIRED = "repaired", _("已从另一副本修复")
    BAD = "bad", _("损坏且无法修复")


# Roles that may register AV records and upload files for officers within their scope (besides the officer).
CUSTODIAN_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.ARCHIVIST, Role.ADMIN})
# Roles that may set and lift long-term retention flags (REC-13) within their scope.
RETENTION_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.ARCHIVIST, Role.LEGAL_REVIEWER, Role.ADMIN})
# Roles that still see records whose retention period has ended (sealed for everyone else).
ARCHIVE_ROLES = frozenset({Role.ARCHIVIST, Role.AGENCY_HEAD, Role.JUSTICE_SUPERVISOR, Role.ADMIN})

# Ledger entry kinds written by this app, with their Chinese names for the audit trail on the pages.
LEDGER_KINDS: dict[str, Any] = {
    "evidence.record_registered": _("登记音像记录"),
    "evidence.interruption_recorded": _("登记中断及原因"),
    "evidence.stored": _("音像文件入库（双副本已校验）"),
    "evidence.upload_rejected": _("上传被拒绝"),
    "evidence.viewed": _("在线查看"),
    "evidence.downloaded": _("下载"),
    "evidence.copy_repaired": _("副本损坏已修复"),
    "evidence.copy_unrecoverable": _("副本损坏且无法修复"),
    "evidence.scrubbed": _("副本巡检"),
    "evidence.retention_flagged": _("设置长期保存"),
    "evidence.retention_lifted": _("解除长期保存"),
    "deadline.opened": _("上传期限开始计时"),
    "deadline.level_changed": _("上传期限预警变化"),
    "deadline.completed": _("上传期限办结"),
    "deadline.cancelled": _("上传期限撤销"),
}


def _ftyp(head: bytes) -> bool:
    # ISO base media (MP4, MOV, M4A, 3GP): a box type at offset 4; old QuickTime files may start with other atoms.
    return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def _riff(kind: bytes) -> Callable[[bytes], bool]:
    return lambda head: head[:4] == b"RIFF" and head[8:12] == kind


def _ebml(head: bytes) -> bool:
    return head[:4] == b"\x1a\x45\xdf\xa3"


def _mpeg_ts(head: bytes) -> bool:
    return head[:1] == b"\x47" and (len(head) <= 188 or head[188:189] == b"\x47")


def _mp3(head: bytes) -> bool:
    return head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


@dataclass(frozen=True)
class FileType:
    """An allowed kind of file: its MIME type and a check of its first bytes."""

    extension: str
    mime: str
    sniff: Callable[[bytes], bool]


FILE_TYPES: dict[str, FileType] = {
    t.extension: t
    for t in [
        FileType("mp4", "video/mp4", _ftyp),
        FileType("mov", "video/quicktime", _ftyp),
        FileType("3gp", "video/3gpp", _ftyp),
        FileType("m4a", "audio/mp4", _ftyp),
        FileType("avi", "video/x-msvideo", _riff(b"AVI ")),
        FileType("wav", "audio/wav", _riff(b"WAVE")),
        FileType("mkv", "video/x-matroska", _ebml),
        FileType("webm", "video/webm", _ebml),
        FileType("ts", "video/mp2t", _mpeg_ts),
        FileType("mp3", "audio/mpeg", _mp3),
        FileType("amr", "audio/amr", lambda head: head[:5] == b"#!AMR"),
        FileType("jpg", "image/jpeg", lambda head: head[:3] == b"\xff\xd8\xff"),
        FileType("jpeg", "image/jpeg", lambda head: head[:3] == b"\xff\xd8\xff"),
        FileType("png", "image/png", lambda head: head[:8] == b"\x89PNG\r\n\x1a\n"),
    ]
}
# How many leading bytes the content check reads.
SNIFF_BYTES = 512
