"""Template context for every page: the module navigation the user may use, and the calendar banner."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import Capability
from sunlight.org.scope import can

# (url name, label, capability or None for every staff user)
MODULES: list[tuple[str, Any, str | None]] = [
    ("workbench:home", _("工作台"), None),
    ("workbench:my_warnings", _("我的预警"), None),
    ("workbench:warning_rollup", _("预警汇总"), Capability.VIEW_ROLLUP),
    ("cases:case_list", _("案件办理"), None),
    ("review:queue", _("法制审核"), None),
    ("workbench:agency_list", _("组织机构"), Capability.VIEW_ORG),
    ("catalog:index", _("执法事项目录"), None),
    ("publicity:queue", _("信息公示"), None),
    ("annual_report:staff_list", _("年度统计报告"), None),
    ("registry:officer_list", _("执法人员"), Capability.VIEW_ORG),
    ("registry:training", _("执法培训"), Capability.VIEW_ORG),
    ("registry:camera_list", _("执法记录仪"), Capability.VIEW_ORG),
    ("workbench:user_list", _("用户管理"), Capability.MANAGE_USERS),
    ("evidence:record_list", _("音像记录"), None),
    ("access:overview", _("调阅管理"), None),
    ("workbench:calendar", _("工作日历"), None),
    ("workbench:audit", _("安全审计"), Capability.VIEW_AUDIT),
]


def workbench(request: HttpRequest) -> dict[str, Any]:
    """Navigation for the signed-in user; a banner when the calendar lacks an official schedule (SYS-3)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/workbench/"):
        return {}
    nav = [
        {"url": reverse(name), "label": label, "current": False}
        for name, label, capability in MODULES
        if capability is None or can(user, capability)
    ]
    # The current module is the one whose address is the longest prefix of this page's (预警汇总 within 我的预警).
    matching = [item for item in nav if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return {"nav": nav, "calendar_warning": calendar_banner()}


def calendar_banner() -> str | None:
    """The warning for this year, or next year from October on, when no official schedule is known."""
    from sunlight.core.calendar import WorkCalendar, unscheduled_warning

    today = timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    calendar = WorkCalendar.load()
    missing = [y for y in years if not calendar.is_scheduled_year(y)]
    return unscheduled_warning(missing) if missing else None
