"""Small template filters shared by the workbench pages."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` — a dictionary lookup with a variable key."""
    return mapping.get(key, key)


@register.filter
def due(moment: Any) -> str:
    """A due time as the law counts it: a period ending at midnight shows as 24:00 of its last day."""
    from django.utils import timezone

    from sunlight.core.calendar import last_local_day

    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
        return f"{last_local_day(moment):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"


_AUDIT_KINDS = {
    "auth.locked": _("账户锁定"),
    "auth.login_failed": _("登录失败"),
    "auth.login_refused_locked": _("锁定期间尝试登录"),
    "auth.login_succeeded": _("登录成功"),
    "auth.logout": _("退出登录"),
    "auth.otp_enrolled": _("启用动态口令"),
    "auth.otp_failed": _("动态口令错误"),
    "auth.otp_verified": _("动态口令验证通过"),
    "auth.password_changed": _("修改密码"),
    "auth.session_expired": _("会话超时退出"),
    "calendar.override_added": _("日历调整"),
    "calendar.rule_updated": _("修改预警设置"),
    "calendar.year_confirmed": _("确认年度放假安排"),
    "org.agency_created": _("新增执法主体"),
    "org.agency_updated": _("修改执法主体"),
    "org.region_created": _("新增行政区划"),
    "org.role_policy_set": _("修改角色安全策略"),
    "org.unit_created": _("新增承办机构"),
    "org.unit_updated": _("修改承办机构"),
    "org.user_created": _("新增用户"),
    "org.user_password_reset": _("重置密码"),
    "org.user_unlocked": _("解锁账户"),
    "org.user_updated": _("修改用户"),
    "permission.denied": _("越权访问被拒绝"),
}


@register.filter
def audit_kind(kind: str) -> str:
    """The Chinese name of an audit event kind (the code itself when unknown)."""
    return str(_AUDIT_KINDS.get(kind, kind))


@register.filter
def audit_details(payload: Any) -> str:
    """A payload without its origin, as compact JSON for the audit table."""
    import json

    if not isinstance(payload, dict):
        return str(payload)
    return json.dumps({k: v for k, v in payload.items() if k != "from"}, ensure_ascii=False, sort_keys=True)
