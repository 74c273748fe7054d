"""Constants of the legal review (REV-1..13)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    """Where a review stands (a projection of its events)."""

    UNIT_REVIEW = "unit_review", _("承办机构负责人初审")
    SUBMITTED = "submitted", _("待法制审核机构接收")
    INCOMPLETE = "incomplete", _("材料不全，待补正")
    SUPPLEMENTED = "supplemented", _("已补正，待接收")
    ACCEPTED = "accepted", _("审核中")
    PAUSED = "paused", _("中止计时（专家论证、核实）")
    PANEL = "panel", _("意见分歧，提交专家论证")
    COLLECTIVE = "collective", _("提交机关负责人集体讨论")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("退回承办机构")
    NOT_ACCEPTED = "not_accepted", _("补正后仍不齐全，不予接收")


OPEN_STATUSES = frozenset(
    {
        ReviewStatus.UNIT_REVIEW,
        ReviewStatus.SUBMITTED,
        ReviewStatus.INCOMPLETE,
        ReviewStatus.SUPPLEMENTED,
        ReviewStatus.ACCEPTED,
        ReviewStatus.PAUSED,
        ReviewStatus.PANEL,
        ReviewStatus.COLLECTIVE,
    }
)


class Outcome(models.TextChoices):
    """The review opinions of REV-6."""

    APPROVE = "approve", _("同意")
    TRANSFER = "transfer", _("超越职权，建议移送有权机关")
    CHANGE = "change", _("建议变更或补充")
    PROCEDURE = "procedure", _("程序违法，建议纠正或终止")
    FACTS = "facts", _("事实不清、证据不足，建议补充调查或终止")
    DOCUMENTS = "documents", _("文书不规范，建议更正")
    SENT = "sent", _("已移送有权机关")


class PackagePart(models.TextChoices):
    """The parts of a submission package (REV-3)."""

    SOURCE = "source", _("案件来源及立案材料")
    OFFICERS = "officers", _("执法人员资格")
    EVIDENCE = "evidence", _("证据材料")
    HEARING = "hearing", _("听证材料")
    PROCEDURE = "procedure", _("程序材料")
    DRAFT = "draft", _("拟作出的决定（事实、依据）")
    DISCRETION = "discretion", _("裁量基准及理由")
    UPLOAD = "upload", _("其他上传材料")


class Accountability(models.TextChoices):
    """Accountability events (REV-13)."""

    LATE = "late", _("未在案件期限届满10个工作日前报送")
    FALSE = "false", _("报送材料不实")
    INCOMPLETE = "incomplete", _("补正后材料仍不齐全")
    WITHOUT_REVIEW = "without_review", _("未经法制审核或审核未通过作出重大执法决定")
    WRONG_OPINION = "wrong_opinion", _("审核意见错误")
