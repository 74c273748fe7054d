"""Small template filters shared by the workbench pages."""

from typing import Any

from django import template

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
