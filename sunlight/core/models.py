"""Infrastructure records shared by every domain app: the ledger, calendar overrides and deadlines.

No domain models live here (DESIGN.md): these tables only know about agencies and users through foreign keys.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DayKind, DeadlineStatus, Level, Unit


class LedgerHead(models.Model):
    """The single row that holds the chain's last sequence number and hash; locked by every append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.entry_hash[:12]}"


class LedgerEntry(models.Model):
    """One append-only fact in the full-process record (DESIGN.md, The ledger; REC-10)."""

    seq = models.BigIntegerField(unique=True)
    stream = models.CharField(max_length=120, db_index=True)
    kind = models.CharField(max_length=80, db_index=True)
    actor = models.CharField(max_length=120, blank=True)
    at = models.DateTimeField()
    payload = models.JSONField()
    payload_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("全过程记录")
        verbose_name_plural = _("全过程记录")

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class TreeHead(models.Model):
    """A signed checkpoint of the ledger (REC-10): the Merkle root over the first `tree_size` entries, signed with Ed25519.

    Append-only (database triggers, migration 0005). The signed message is `transparency.tree_head_message(...)`:
    canonical JSON of the type tag, tree size, root hash, chain hash (entry hash of entry `tree_size`) and timestamp.
    """

    tree_size = models.BigIntegerField(db_index=True)
    root_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")

    def __str__(self) -> str:
        return f"{self.tree_size} {self.root_hash[:12]}"


class CalendarYear(models.Model):
    """A year whose official schedule an administrator has entered and confirmed (SYS-3).

    Years that the `chinese-calendar` package knows need no row. A year with neither counts weekends only, with a warning.
    """

    year = models.PositiveIntegerField(unique=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    """One date declared a workday or rest day for a region ("" = nationwide). Append-only: the newest row wins."""

    region_code = models.CharField(_("适用区划代码"), max_length=9, blank=True, db_index=True)
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称或依据"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "region_code", "created_at", "id"]
        indexes = [models.Index(fields=["region_code", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.region_code or '全国'} {self.kind}"


class DeadlineRule(models.Model):
    """A statutory or local period that deadlines follow, with its warning threshold (SYS-8)."""

    code = models.CharField(_("规则代码"), max_length=60, unique=True)
    requirement = models.CharField(_("需求编号"), max_length=20)
    name = models.CharField(_("名称"), max_length=120)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    unit = models.CharField(_("计时单位"), max_length=2, choices=Unit.choices)
    amount = models.PositiveIntegerField(_("期限"))
    yellow_percent = models.PositiveSmallIntegerField(_("剩余比例预警（%）"), default=20)
    yellow_min = models.PositiveIntegerField(_("至少提前（同计时单位；月按工作日）"), default=1)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Deadline(models.Model):
    """One running clock: what it belongs to, the rule it enforces, when it started, when it is due."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    subject_type = models.CharField(_("对象类型"), max_length=60)
    subject_id = models.CharField(_("对象标识"), max_length=64)
    subject_label = models.CharField(_("对象"), max_length=200)
    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    region_code = models.CharField(max_length=9, blank=True)
    start_event = models.CharField(_("起算事件"), max_length=200)
    started_at = models.DateTimeField(_("起算时间"))
    amount = models.PositiveIntegerField(_("期限（含延长）"))
    due_at = models.DateTimeField(_("届满时间"))
    yellow_at = models.DateTimeField(_("预警时间"))
    status = models.CharField(max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.GREEN)
    level_changed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "level"]), models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.rule.name}: {self.subject_label}"


class DeadlinePause(models.Model):
    """An interval during which a deadline's clock stood still (testing, expert opinion, hearing...)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.started_at}–{self.ended_at or ''} {self.reason}"


class DeadlineExtension(models.Model):
    """An approved extension of a deadline, in the rule's unit."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="extensions")
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"+{self.amount} {self.reason}"
