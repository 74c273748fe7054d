"""Enforcement personnel and their equipment: officers, certificates with their status history, annual reviews,
sanctions, auxiliary staff, training, per-agency targets and body cameras (PER-1..3, PER-6, REC-12).

Rows are written only by `sunlight.registry.services`. Status history, reviews, sanctions, training records and
camera checks are never changed once written; a certificate's `status` is the projection of its history,
updated in the same transaction as the history row and the ledger entry.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import EnforcementField

from .choices import (
    DEFAULT_AGENCY_TRAININGS_PER_YEAR,
    DEFAULT_AUXILIARY_TRAINING_DAYS,
    DEFAULT_OFFICER_TRAINING_DAYS,
    DEFAULT_OFFICERS_PER_CAMERA,
    CameraStatus,
    CertificateStatus,
    CheckResult,
    EstablishmentKind,
    SanctionKind,
)

USER = settings.AUTH_USER_MODEL


def field_labels(values: list[str]) -> list[str]:
    """Chinese names of enforcement categories, in the order given (unknown values as they are)."""
    labels = dict(EnforcementField.choices)
    return [str(labels.get(v, v)) for v in values]


class Officer(models.Model):
    """An enforcement officer (执法人员) as registered by their agency: post, establishment and exam (PER-1).

    One person may have several records over time (a transferred officer is cleared at the old agency and
    registered at the new one), but at most one that has not been cleared.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="officer_records")
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="officers"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="officers")
    post = models.CharField(_("岗位/职务"), max_length=60)
    establishment_kind = models.CharField(_("编制类别"), max_length=32, choices=EstablishmentKind.choices)
    establishment_proof = models.CharField(_("编制证明"), max_length=200)
    exam_score = models.DecimalField(_("考试成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    exam_date = models.DateField(_("考试日期"), null=True, blank=True)
    exam_passed = models.BooleanField(_("考试合格"), default=False)
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    registered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cleared_on = models.DateField(_("清理日期"), null=True, blank=True)
    cleared_reason = models.CharField(_("清理原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(cleared_on__isnull=True), name="registry_one_current_officer_record"
            )
        ]
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")

    def __str__(self) -> str:
        return self.user.full_name or self.user.username

    @property
    def is_transferred(self) -> bool:
        """The person's account now belongs to another agency than the one that registered them."""
        return self.user.agency_id != self.agency_id


class Certificate(models.Model):
    """An enforcement certificate (行政执法证): categories and regions it covers, validity, current status (PER-1)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        Officer, verbose_name=_("执法人员"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("证件编号"), max_length=40, unique=True)
    issuing_authority = models.CharField(_("发证机关"), max_length=100)
    categories = models.JSONField(_("执法类别"), default=list)
    regions = models.JSONField(_("执法区域"), default=list)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_since = models.DateField(_("状态起始日期"))
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("行政执法证")
        verbose_name_plural = _("行政执法证")

    def __str__(self) -> str:
        return self.number

    def field_labels(self) -> list[str]:
        """The categories in Chinese."""
        return field_labels(list(self.categories))

    def status_on(self, day: date) -> str:
        """The status on a date: expired after the expiry date, else what the last history row by then says.

        Returns "" before the issue date. Independent of whether the tick has already recorded the expiry.
        """
        if day < self.issued_on:
            return ""
        if day > self.expires_on:
            return CertificateStatus.EXPIRED
        status = ""
        for change in sorted(self.history.all(), key=lambda c: (c.effective_on, c.pk)):
            if change.effective_on > day:
                break
            status = change.to_status
        return status

    def status_today(self, today: date) -> str:
        """The status for pages: the projection, or expired when the date has passed before the tick recorded it."""
        if self.status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED) and today > self.expires_on:
            return CertificateStatus.EXPIRED
        return self.status

    def display_status(self, today: date) -> str:
        """The label of `status_today`."""
        return str(CertificateStatus(self.status_today(today)).label)


class CertificateStatusChange(models.Model):
    """One row of a certificate's append-only status history: issue, suspension, reinstatement, revocation, expiry."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(_("原状态"), max_length=16, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=CertificateStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    at = models.DateTimeField(_("记录时间"), default=timezone.now)
    reason = models.CharField(_("原因"), max_length=200)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sanction = models.ForeignKey("Sanction", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("执法证状态变更")
        verbose_name_plural = _("执法证状态变更")

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.from_status}→{self.to_status} {self.effective_on}"


class AnnualReview(models.Model):
    """An annual review (年审) of a certificate; a failed review suspends the certificate (PER-1)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("年度"))
    passed = models.BooleanField(_("年审合格"))
    reviewed_on = models.DateField(_("年审日期"))
    reviewer = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["certificate", "year"], name="registry_one_review_a_year")]
        verbose_name = _("执法证年审")
        verbose_name_plural = _("执法证年审")

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.year}"


class Sanction(models.Model):
    """A measure against an officer (PER-6): criticism, off-post training, suspension or revocation of the certificate."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("处理方式"), max_length=24, choices=SanctionKind.choices)
    reason = models.TextField(_("事由"))
    document_no = models.CharField(_("决定文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"))
    starts_on = models.DateField(_("离岗培训开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("离岗培训结束日期"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("执法人员处理")
        verbose_name_plural = _("执法人员处理")

    def __str__(self) -> str:
        return f"{self.officer} {self.get_kind_display()}"


class Auxiliary(models.Model):
    """An auxiliary (辅助人员): assists officers within listed duties and never acts or signs as an officer (PER-2)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="auxiliary_records")
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="auxiliaries"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="auxiliaries"
    )
    post = models.CharField(_("岗位"), max_length=60)
    duties = models.TextField(_("职责"))
    hired_on = models.DateField(_("聘用日期"))
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    left_reason = models.CharField(_("离岗原因"), max_length=200, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(left_on__isnull=True), name="registry_one_current_auxiliary_record"
            )
        ]
        verbose_name = _("辅助人员")
        verbose_name_plural = _("辅助人员")

    def __str__(self) -> str:
        return self.user.full_name or self.user.username


class RegistryPolicy(models.Model):
    """An agency's own targets where the seeds differ (training days, trainings a year, officers per camera)."""

    agency = models.OneToOneField("org.Agency", on_delete=models.PROTECT, related_name="registry_policy")
    officers_per_camera = models.PositiveSmallIntegerField(
        _("每台执法记录仪最多对应执法人员数"), default=DEFAULT_OFFICERS_PER_CAMERA
    )
    officer_training_days = models.DecimalField(
        _("执法人员年度培训天数"), max_digits=4, decimal_places=1, default=DEFAULT_OFFICER_TRAINING_DAYS
    )
    auxiliary_training_days = models.DecimalField(
        _("辅助人员年度培训天数"), max_digits=4, decimal_places=1, default=DEFAULT_AUXILIARY_TRAINING_DAYS
    )
    agency_trainings_per_year = models.PositiveSmallIntegerField(
        _("执法主体年度业务培训次数"), default=DEFAULT_AGENCY_TRAININGS_PER_YEAR
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("人员与装备配置")
        verbose_name_plural = _("人员与装备配置")

    def __str__(self) -> str:
        return str(self.agency)


class TrainingPlan(models.Model):
    """One training an agency plans (培训计划); once held, it counts towards the agency's trainings a year (PER-3)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="training_plans")
    title = models.CharField(_("培训主题"), max_length=100)
    content = models.TextField(_("培训内容"), blank=True)
    planned_on = models.DateField(_("计划日期"))
    days = models.DecimalField(_("天数"), max_digits=4, decimal_places=1)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    held_on = models.DateField(_("举办日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-planned_on", "title"]
        verbose_name = _("培训计划")
        verbose_name_plural = _("培训计划")

    def __str__(self) -> str:
        return self.title


class TrainingRecord(models.Model):
    """A person's attendance at a training: days, date, topic (PER-3). Officers and auxiliaries alike."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(USER, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="training_records")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="training_records")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(TrainingPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    topic = models.CharField(_("培训主题"), max_length=100)
    trained_on = models.DateField(_("培训日期"))
    days = models.DecimalField(_("天数"), max_digits=4, decimal_places=1)
    organiser = models.CharField(_("组织单位"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-trained_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "plan"], condition=Q(plan__isnull=False), name="registry_one_record_per_plan"
            )
        ]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")

    def __str__(self) -> str:
        return f"{self.person} {self.topic}"


class BodyCamera(models.Model):
    """A body camera (执法记录仪) in an agency's inventory, with the person who administers it (REC-12).

    Its number is what AV records refer to (`selectors.body_camera_get(number=...)`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("设备编号"), max_length=40, unique=True)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="body_cameras")
    unit = models.ForeignKey("org.Unit", verbose_name=_("使用机构"), on_delete=models.PROTECT, related_name="+")
    administrator = models.ForeignKey(USER, verbose_name=_("管理员"), on_delete=models.PROTECT, related_name="+")
    administrator_since = models.DateField(_("担任管理员日期"))
    model_name = models.CharField(_("品牌型号"), max_length=60, blank=True)
    serial_no = models.CharField(_("出厂序列号"), max_length=60, blank=True)
    acquired_on = models.DateField(_("购置日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CameraStatus.choices, default=CameraStatus.IN_STOCK)
    last_checked_on = models.DateField(_("最近核查日期"), null=True, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agency__name", "number"]
        verbose_name = _("执法记录仪")
        verbose_name_plural = _("执法记录仪")

    def __str__(self) -> str:
        return self.number


class CameraLoan(models.Model):
    """One checkout of a camera (领用登记): user, approver, when taken and when returned (003 附件 使用档案)."""

    camera = models.ForeignKey(BodyCamera, on_delete=models.PROTECT, related_name="loans")
    user = models.ForeignKey(USER, verbose_name=_("使用人"), on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(USER, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("用途"), max_length=200)
    checked_out_at = models.DateTimeField(_("领用时间"))
    checked_out_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("交回时间"), null=True, blank=True)
    received_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    return_note = models.CharField(_("交回备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_out_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["camera"], condition=Q(returned_at__isnull=True), name="registry_one_open_loan_per_camera"
            )
        ]
        verbose_name = _("执法记录仪领用")
        verbose_name_plural = _("执法记录仪领用")

    def __str__(self) -> str:
        return f"{self.camera.number} {self.checked_out_at:%Y-%m-%d}"


class CameraCheck(models.Model):
    """A periodic check (定期核查) of a camera by its administrator; a fault opens a CameraFault."""

    camera = models.ForeignKey(BodyCamera, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("核查日期"))
    checked_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("核查结果"), max_length=16, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("执法记录仪核查")
        verbose_name_plural = _("执法记录仪核查")

    def __str__(self) -> str:
        return f"{self.camera.number} {self.checked_on}"


class CameraFault(models.Model):
    """A fault of a camera, from a check, a return or a report, until it is repaired."""

    camera = models.ForeignKey(BodyCamera, on_delete=models.PROTECT, related_name="faults")
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("故障情况"), max_length=200)
    resolved_on = models.DateField(_("修复日期"), null=True, blank=True)
    resolution = models.CharField(_("处理结果"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("执法记录仪故障")
        verbose_name_plural = _("执法记录仪故障")

    def __str__(self) -> str:
        return f"{self.camera.number} {self.description}"
