"""Printable documents of the portal (PUB-3 post boards): HTML templates rendered to PDF by WeasyPrint with the CJK
fonts of the machine (Debian fonts-noto-cjk). Public documents carry no viewer watermark.

Rendering a page takes a second or more, and anyone may ask for it: the PDF is kept in the cache under the hash of its
HTML, so a board whose content has not changed is rendered once, and any change (an officer, a certificate, an item,
the date) gives new HTML and a fresh PDF.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string

CACHE_SECONDS = 600


def render_pdf(template: str, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """Render a template to PDF (from the cache when the same HTML was rendered lately)."""
    html = render_to_string(template, context)
    key = "portal:pdf:" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, bytes):
        return cached
    from weasyprint import HTML

    pdf = bytes(HTML(string=html, base_url=base_url).write_pdf())
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf
