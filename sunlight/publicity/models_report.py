"""Annual enforcement statistics reports (年度行政执法数据统计报告, PUB-10).

`AnnualReport` is the current state of one agency's report for one year: the draft snapshot of the statistics (JSON,
computed from the data by `sunlight.publicity.report`), the summary the reviewer writes, the deadline and the version
in force. `AnnualReportVersion` is what was published, append-only (database triggers, migration 0003): a correction
is a new version with a public explanation; nothing published is ever changed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AnnualReport", "AnnualReportStatus", "AnnualReportVersion"]


class AnnualReportStatus(models.TextChoices):
    """A report is a draft until a person publishes it; after that it stays published (corrections are versions)."""

    DRAFT = "draft", _("待审核发布")
    PUBLISHED = "published", _("已公开")


class AnnualReport(models.Model):
    """One agency's statistics report for one year (PUB-10); unique per agency and year."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveIntegerField(_("报告年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AnnualReportStatus.choices, default=AnnualReportStatus.DRAFT
    )
    statistics = models.JSONField(_("统计数据（草稿快照）"), default=dict)
    statistics_hash = models.CharField(_("统计数据哈希"), max_length=64)
    computed_at = models.DateTimeField(_("统计时间"))
    summary = models.TextField(_("报告说明"), blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.ForeignKey(
        "core.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("公开期限")
    )
    current_version = models.ForeignKey(
        "AnnualReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_published_at = models.DateTimeField(_("首次公开时间"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("最近公开时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="publicity_annual_report_unique")]
        verbose_name = _("年度统计报告")
        verbose_name_plural = _("年度统计报告")

    def __str__(self) -> str:
        return f"{self.year} {self.agency_id}"

    @property
    def stream(self) -> str:
        """The ledger stream of this report."""
        return f"annual_report:{self.public_id}"


class AnnualReportVersion(models.Model):
    """One published text of a report: the statistics snapshot and summary exactly as published. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    statistics = models.JSONField(_("统计数据"))
    summary = models.TextField(_("报告说明"), blank=True)
    explanation = models.TextField(_("更正说明"), blank=True)
    content_hash = models.CharField(_("内容哈希"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("公开时间"))
    ledger_seq = models.BigIntegerField(_("账本记录序号"))
    ledger_entry_hash = models.CharField(_("账本记录哈希"), max_length=64)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="publicity_annual_report_version_unique")
        ]
        verbose_name = _("年度统计报告版本")
        verbose_name_plural = _("年度统计报告版本")

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
