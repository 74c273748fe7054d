"""Constants of record access (调阅, REC-11)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import Role


class Action(models.TextChoices):
    """What a person does with a record's contents; each is logged."""

    VIEW = "view", _("在线查看/播放")
    DOWNLOAD = "download", _("下载")
    EXPORT = "export", _("导出/复制")


class RequesterKind(models.TextChoices):
    """Who asks: the approver depends on it (REC-11)."""

    INTERNAL = "internal", _("本机关工作人员")
    POLICE = "police", _("公安机关")
    COURT = "court", _("人民法院")
    UPPER_LEVEL = "upper_level", _("上级机关")
    PARTY = "party", _("当事人")


class Decision(models.TextChoices):
    APPROVED = "approved", _("批准")
    REFUSED = "refused", _("不予批准")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("已允许")
    REFUSED = "refused", _("已拒绝")


# Internal requests are approved by the head of the record's unit; police, court, upper-level and party requests by
# the head of the agency (REC-11). An agency head may also decide internal requests.
APPROVER_ROLES: dict[str, set[str]] = {
    RequesterKind.INTERNAL: {Role.UNIT_HEAD, Role.AGENCY_HEAD},
    RequesterKind.POLICE: {Role.AGENCY_HEAD},
    RequesterKind.COURT: {Role.AGENCY_HEAD},
    RequesterKind.UPPER_LEVEL: {Role.AGENCY_HEAD},
    RequesterKind.PARTY: {Role.AGENCY_HEAD},
}

MAX_PERIOD_DAYS = 90
