"""Access to records (调阅登记, REC-11): requests, decisions and the access log. All append-only.

A subject is any record a workflow protects — today an AV record, later a case file — named by
`subject_type` and `subject_id` (its public id), with the agency, unit and owner that decide who may approve.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Action, Decision, Outcome, RequesterKind


class AccessRequest(models.Model):
    """A request to see, download or export a record's contents for a reason and a period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField(_("调阅对象"), max_length=200)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests")
    requester_kind = models.CharField(_("申请方"), max_length=20, choices=RequesterKind.choices)
    requester_org = models.CharField(_("申请单位"), max_length=100, blank=True)
    reason = models.CharField(_("调阅事由"), max_length=300)
    actions = models.JSONField(_("调阅范围"))
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        verbose_name = _("调阅申请")
        verbose_name_plural = _("调阅申请")

    def __str__(self) -> str:
        return f"{self.subject_label}: {self.reason}"


class AccessDecision(models.Model):
    """The approver's answer to a request, with reasons. One per request."""

    request = models.OneToOneField(AccessRequest, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("审批意见"), max_length=300)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调阅审批")
        verbose_name_plural = _("调阅审批")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.decision}"


class AccessLog(models.Model):
    """One view, stream, download or export of a record's contents, or a refused attempt: who, what, when, why,
    approved by whom."""

    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    target = models.CharField(_("具体内容"), max_length=200, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    basis = models.CharField(_("依据"), max_length=300)
    request = models.ForeignKey(AccessRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"])]
        verbose_name = _("调阅登记")
        verbose_name_plural = _("调阅登记")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.outcome}"
