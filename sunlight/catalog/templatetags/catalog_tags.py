"""Template filters of the catalog pages: money in words, plain decimals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from sunlight.catalog.numerals import decimal_text, yuan_text

register = template.Library()


@register.filter
def yuan(fen: Any) -> str:
    """An amount in fen as people read it: 10万元, 3000元."""
    if fen is None or fen == "":
        return ""
    return yuan_text(int(fen))


@register.filter
def plain(value: Any) -> str:
    """A Decimal without trailing zeros."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    return "" if value is None else str(value)
