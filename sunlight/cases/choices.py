"""Constants of the case app: statuses, sources, parties, service modes, document types (REC-1..16)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """Where a case stands overall; the step reached is `Case.step`."""

    OPEN = "open", _("办理中")
    DECIDED = "decided", _("已决定")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    NOT_OPENED = "not_opened", _("不予立案")


class Source(models.TextChoices):
    """How a case came to the agency (REC-4)."""

    INSPECTION = "inspection", _("监督检查发现")
    COMPLAINT = "complaint", _("投诉举报")
    REFERRAL = "referral", _("上级交办或其他机关移送")
    APPLICATION = "application", _("当事人申请")
    OTHER = "other", _("其他途径")


class PartyKind(models.TextChoices):
    """Natural person or organisation (drives redaction and the simple-procedure limits)."""

    INDIVIDUAL = "individual", _("公民")
    ORGANISATION = "organisation", _("法人或其他组织")


class ServiceMode(models.TextChoices):
    """How a document is served (REC-7); the codes are the `service` step's variants in catalog.workflows."""

    DIRECT = "direct", _("直接送达")
    LODGED = "lodged", _("留置送达")
    MAIL = "mail", _("邮寄送达")
    ENTRUSTED = "entrusted", _("委托、转交送达")
    ELECTRONIC = "electronic", _("电子送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class RecusalOutcome(models.TextChoices):
    """The decision on a declared conflict (DIS-4)."""

    RECUSED = "recused", _("决定回避")
    NOT_RECUSED = "not_recused", _("决定不予回避")


class DocumentType(models.TextChoices):
    """The standard enforcement documents generated from the case data (REC-15)."""

    INITIATION_FORM = "initiation_form", _("立案审批表")
    ONSITE_RECORD = "onsite_record", _("现场笔录")
    INQUIRY_RECORD = "inquiry_record", _("询问笔录")
    PENALTY_NOTICE = "penalty_notice", _("行政处罚事先告知书")
    HEARING_NOTICE = "hearing_notice", _("听证通知书")
    PENALTY_DECISION = "penalty_decision", _("行政处罚决定书")
    SERVICE_RECEIPT = "service_receipt", _("送达回证")
    SEIZURE_DECISION = "seizure_decision", _("查封扣押决定书")
    CLOSURE_FORM = "closure_form", _("结案审批表")
    REVIEW_OPINION = "review_opinion", _("法制审核意见书")  # written by the review app (REV-8), not generated here
