"""Documents given out carry a visible watermark with the viewer and the time (REC-11). PDF through WeasyPrint with
the CJK font installed on the machine (Debian fonts-noto-cjk)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone


def watermark_text(user: Any, moment: Any = None) -> str:
    """「调阅人 姓名（用户名） 时间」 as printed across every page."""
    local = timezone.localtime(moment or timezone.now())
    return f"{user.full_name}（{user.username}） {local:%Y-%m-%d %H:%M}"


def render_pdf(template: str, context: dict[str, Any], *, viewer: Any) -> bytes:
    """Render a template to PDF with the viewer's watermark on every page."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "watermark": watermark_text(viewer)})
    return bytes(HTML(string=html).write_pdf())
