"""Legal reviews of major decisions (REV-1..13).

`Review` is the current state (a projection of its events); every step of a review is a `ReviewEvent` row and a
ledger entry on the stream `review:<id>`, written in the same transaction. Events and accountability records are
append-only (migration 0002).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Accountability, ReviewStatus


class Review(models.Model):
    """One submission of a case to legal review, through its two levels to an opinion."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("审核编号"), max_length=80, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="reviews")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.UNIT_REVIEW)
    voluntary = models.BooleanField(_("非重大案件主动报送"), default=False)
    urgent = models.BooleanField(_("紧急"), default=False)
    late = models.BooleanField(_("报送逾期"), default=False)
    major_reasons = models.JSONField(default=list, blank=True)
    package = models.JSONField(_("报送材料"), default=list, blank=True)
    draft = models.JSONField(_("拟作出的决定"), default=dict, blank=True)
    prechecks = models.JSONField(_("自动预审"), default=list, blank=True)
    missing = models.JSONField(_("一次性告知的缺少材料"), default=list, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews_assigned"
    )
    outcome = models.CharField(_("审核意见"), max_length=16, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-submitted_at"]),
            models.Index(fields=["reviewer", "status"]),
        ]
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")

    def __str__(self) -> str:
        return self.number

    @property
    def stream(self) -> str:
        """The ledger stream of the review."""
        return f"review:{self.public_id}"


class ReviewEvent(models.Model):
    """One step of a review: submission, first-level decision, completeness notice, supplement, acceptance,
    assignment, pause, resumption, extension, counsel opinion, opinion, panel, collective decision. Append-only."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)
    entry_seq = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["review", "seq"]
        constraints = [models.UniqueConstraint(fields=["review", "seq"], name="review_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.review_id}#{self.seq} {self.kind}"


class AccountabilityRecord(models.Model):
    """A fact recorded for accountability (REV-13): late, false or incomplete submissions, a major decision without
    a passed review, a wrong opinion. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类别"), max_length=16, choices=Accountability.choices)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id}"


class ReviewPolicy(models.Model):
    """Staffing minimums per agency (REV-11); without a row the defaults apply (5 % of officers, at least 2)."""

    agency = models.OneToOneField("org.Agency", on_delete=models.PROTECT, related_name="+")
    min_percent = models.PositiveIntegerField(_("审核人员占执法人员比例下限（%）"), default=5)
    min_count = models.PositiveIntegerField(_("审核人员人数下限"), default=2)

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.min_percent}% / {self.min_count}"
