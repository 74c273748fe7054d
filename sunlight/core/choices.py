"""Constants of the core engine: period units, calendar override kinds, deadline states and warning levels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """The unit the law uses for a period (DOMAIN-RULES.md, Counting)."""

    HOURS = "h", _("小时")
    CALENDAR_DAYS = "CD", _("日（自然日）")
    WORKING_DAYS = "WD", _("工作日")
    MONTHS = "M", _("个月")


class DayKind(models.TextChoices):
    """What an override says about one date."""

    WORKDAY = "workday", _("工作日（含调休上班）")
    RESTDAY = "restday", _("休息日（含法定节假日）")
    OFFICIAL = "official", _("恢复为全国统一安排")


class DeadlineStatus(models.TextChoices):
    """Life of a deadline record."""

    OPEN = "open", _("计时中")
    PAUSED = "paused", _("已中止计时")
    MET = "met", _("已按期完成")
    LATE = "late", _("逾期完成")
    CANCELLED = "cancelled", _("已撤销")


class Level(models.TextChoices):
    """Warning colour of a deadline (SYS-8)."""

    GREEN = "green", _("正常")
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警（已逾期）")
