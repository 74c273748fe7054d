"""Small template filters shared by the workbench pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key` — a dictionary lookup with a variable key."""
    return mapping.get(key, key)
