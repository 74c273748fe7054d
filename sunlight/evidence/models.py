"""AV records and the evidence store (REC-5, REC-6, REC-13).

Every table here except `UploadSession` is append-only (database triggers from `sunlight.core.protect`): a record,
an interruption, a stored file, its copies, a copy check, a retention flag and its lifting are each written once and
never changed or removed. What changes over time (a copy repaired, a flag lifted, the archive state) is a new row or
is computed from the rows. File contents are addressed by their SHA-256, which is also in the ledger.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import CheckOutcome, RetentionReason, Scene, StatementForm, UploadStatus


class AVRecord(models.Model):
    """One AV recording (音像记录) as registered: who, with which device, when, where, for which case step (REC-6).

    Registering it starts the 24-hour upload deadline (`records.av_upload`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("内容摘要"), max_length=200)
    scene = models.CharField(_("记录场景"), max_length=20, choices=Scene.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="av_records"
    )
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="av_records"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    device_number = models.CharField(_("执法记录仪编号"), max_length=60)
    recorded_from = models.DateTimeField(_("录制开始"))
    recorded_to = models.DateTimeField(_("录制结束"))
    place = models.CharField(_("地点"), max_length=200)
    field_work = models.BooleanField(_("外出执法"), default=False)
    returned_at = models.DateTimeField(_("返回单位时间"), null=True, blank=True)
    case_number = models.CharField(_("案件编号"), max_length=80, blank=True)
    case_step = models.CharField(_("执法环节"), max_length=60, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_to", "-id"]
        indexes = [models.Index(fields=["agency", "recorded_to"]), models.Index(fields=["officer", "recorded_to"])]
        verbose_name = _("音像记录")
        verbose_name_plural = _("音像记录")

    def __str__(self) -> str:
        return self.title

    @property
    def stream(self) -> str:
        """The ledger stream of this record."""
        return f"avrecord:{self.public_id}"

    @property
    def upload_starts_at(self) -> datetime:
        """When the 24-hour clock starts: the return from field work, else the end of the recording (REC-6)."""
        return self.returned_at if self.field_work and self.returned_at else self.recorded_to


class Interruption(models.Model):
    """A gap in a recording and the reason given for it, spoken on the recording or written (REC-6)."""

    record = models.ForeignKey(AVRecord, on_delete=models.PROTECT, related_name="interruptions")
    started_at = models.DateTimeField(_("中断开始"))
    ended_at = models.DateTimeField(_("恢复录制"))
    reason = models.CharField(_("中断原因"), max_length=300)
    statement_form = models.CharField(_("说明方式"), max_length=10, choices=StatementForm.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("中断记录")
        verbose_name_plural = _("中断记录")

    def __str__(self) -> str:
        return f"{self.started_at:%H:%M}–{self.ended_at:%H:%M} {self.reason}"


class StoredFile(models.Model):
    """File contents, addressed by SHA-256; counted as stored only once both copies were written and verified."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.BigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100)
    stored_at = models.DateTimeField(_("入库时间"), default=timezone.now)

    class Meta:
        ordering = ["-stored_at", "-id"]
        verbose_name = _("存储文件")
        verbose_name_plural = _("存储文件")

    def __str__(self) -> str:
        return self.sha256

    @property
    def stream(self) -> str:
        """The ledger stream of these contents."""
        return f"evidence:{self.sha256}"

    @property
    def object_name(self) -> str:
        """The name of each copy in its store: content-addressed, fanned out by the first hex digits."""
        return object_name_for(self.sha256)


def object_name_for(sha256: str) -> str:
    """`sha256/ab/cd/abcd…`: the same name in every store."""
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class StoredCopy(models.Model):
    """One copy of a file in one store, as written and verified by re-reading it (REC-6: two copies)."""

    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="copies")
    store = models.CharField(_("存储"), max_length=10)
    location = models.CharField(_("存储位置"), max_length=300)
    name = models.CharField(_("对象名"), max_length=200)
    verified_at = models.DateTimeField(_("校验时间"))

    class Meta:
        ordering = ["store"]
        constraints = [models.UniqueConstraint(fields=["file", "store"], name="evidence_copy_unique_store")]
        verbose_name = _("存储副本")
        verbose_name_plural = _("存储副本")

    def __str__(self) -> str:
        return f"{self.store}:{self.name}"


class CopyCheck(models.Model):
    """The result of re-hashing one copy during a scrub; a repair is a check with outcome `repaired`."""

    copy = models.ForeignKey(StoredCopy, on_delete=models.PROTECT, related_name="checks")
    outcome = models.CharField(_("结果"), max_length=10, choices=CheckOutcome.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("巡检时间"), default=timezone.now)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("副本巡检")
        verbose_name_plural = _("副本巡检")

    def __str__(self) -> str:
        return f"{self.copy} {self.outcome}"


class AVFile(models.Model):
    """A stored file attached to an AV record, with the name it was uploaded under."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(AVRecord, on_delete=models.PROTECT, related_name="files")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传完成时间"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "file"], name="evidence_avfile_unique")]
        verbose_name = _("音像文件")
        verbose_name_plural = _("音像文件")

    def __str__(self) -> str:
        return self.filename


class RetentionFlag(models.Model):
    """A long-term retention flag on a record (REC-13); lifting it is a `RetentionLift` row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(AVRecord, on_delete=models.PROTECT, related_name="retention_flags")
    reason = models.CharField(_("长期保存事由"), max_length=20, choices=RetentionReason.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["set_at", "id"]
        verbose_name = _("长期保存标记")
        verbose_name_plural = _("长期保存标记")

    def __str__(self) -> str:
        return self.get_reason_display()


class RetentionLift(models.Model):
    """The end of a long-term retention flag (e.g. the litigation has ended), with its reason."""

    flag = models.OneToOneField(RetentionFlag, on_delete=models.PROTECT, related_name="lift")
    reason = models.CharField(_("解除理由"), max_length=300)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("解除长期保存")
        verbose_name_plural = _("解除长期保存")

    def __str__(self) -> str:
        return self.reason


class UploadSession(models.Model):
    """An in-progress resumable (tus) upload: not evidence, mutable; its bytes live in the upload area.

    `offset` counts the bytes acknowledged to the client. It reaches `length` only in the transaction that registers
    the evidence, so a crash at any earlier point leaves a session the client can resume.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(AVRecord, on_delete=models.PROTECT, related_name="uploads")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    declared_sha256 = models.CharField(max_length=64, blank=True)
    metadata = models.CharField(max_length=2000, blank=True)
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.RECEIVING)
    error = models.CharField(max_length=300, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    touched_at = models.DateTimeField(default=timezone.now)
    result = models.ForeignKey(AVFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "touched_at"])]

    def __str__(self) -> str:
        return f"{self.filename} {self.offset}/{self.length}"
