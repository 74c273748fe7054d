"""Public decision pages, cached by exactly what they show (PUB-9, PUB-12; ADR 0009).

A decision page shows one version (append-only: its record never changes) and a few fields of the publication. The
cache holds, per decision (and language and address prefix), the page last rendered and the state it showed: a
digest of the publication's status, version in force and every field of it the page shows. The view reads the
publication from the database on every request and serves the cached page only if that state is still the same: a
withdrawal or an expiry changes the status (the view then renders the notice and never serves the entry), an update or
an upheld correction changes the version in force, and any other change of what the page shows changes the digest.
Nothing that is not on the portal, or no longer as it was, is served from the cache. Browsers and proxies still may
not cache the page (`never_cache`): they ask the server every time.

A page is its decision's text (publicity/partials/decision.html) inside a frame (publicity/decision_detail.html:
portal/base.html around the title and the text), which is the same for every decision: it is rendered once per
language and address prefix with placeholders, then filled in. Both are rendered without the request (no context
processors), so the same bytes can be served to everyone: none of these templates may show anything that depends on
who asks.

Pages go into Django's `decision_pages` cache (a local-memory cache per process, settings.CACHES; the default cache
when that alias is not configured), frames into the default cache. Only what the portal shows goes into either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .models import Publication

CACHE_ALIAS = "decision_pages"
TIMEOUT_SECONDS = 24 * 3600
FRAME_TEMPLATE = "publicity/decision_detail.html"
# Bump when what an entry holds, or how a page is rendered, changes in a way the keys would not notice (a deployment
# restarts the processes, which empties a local-memory cache anyway).
FORMAT = 1
# Placeholders for the frame: private-use characters, which no template holds and escaping leaves alone.
_TITLE = "\ue000title\ue000"
_TEXT = "\ue000text\ue000"


def _pages() -> BaseCache:
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else caches["default"]


def _digest(parts: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def _rendering() -> tuple[Any, ...]:
    """What, besides the data, a rendered page depends on: the language and the addresses (prefix, URLconf)."""
    return (FORMAT, translation.get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def _page_key(public_id: Any) -> str:
    return f"publicity.decision.{public_id}.{_digest(_rendering())}"


def state(publication: Publication) -> str:
    """What a published decision's page shows, as a digest: the publication, its status, its version in force and
    every field of the publication the page shows."""
    return _digest(
        (
            publication.public_id,
            publication.status,
            publication.current_version_id,
            publication.changed_at,
            publication.kind,
            publication.action_type,
            publication.decided_on,
            publication.first_published_at,
            publication.expires_on,
        )
    )


def cached(public_id: Any) -> tuple[str, str] | None:
    """The page last rendered for this decision in this language and address prefix, with the state it showed:
    (state, page), to be served only if `state()` of the publication as read now is the same."""
    entry = _pages().get(_page_key(public_id))
    return entry if isinstance(entry, tuple) and len(entry) == 2 else None


def _frame() -> list[list[str]]:
    """The frame rendered around the placeholders: the pieces between text placeholders, each split at the title."""
    cache = caches["default"]
    key = f"publicity.decision-frame.{_digest(_rendering())}"
    frame = cache.get(key)
    if not isinstance(frame, list):
        html = render_to_string(FRAME_TEMPLATE, {"title": _TITLE, "content": mark_safe(_TEXT)})  # noqa: S308
        frame = [piece.split(_TITLE) for piece in html.split(_TEXT)]
        if len(frame) != 2:
            raise ImproperlyConfigured(f"{FRAME_TEMPLATE} must show {{{{ content }}}} exactly once")
        cache.set(key, frame, TIMEOUT_SECONDS)
    return frame


def framed(title: str, text: str) -> str:
    """The whole page: the frame with the title (escaped, as `{{ title }}` would be) and the rendered text."""
    escaped = str(conditional_escape(title))
    return text.join(escaped.join(pieces) for pieces in _frame())


def decision_page(
    publication: Publication, entry: tuple[str, str] | None, render: Callable[[], tuple[str, str]]
) -> str:
    """The page of a published decision: the cached `entry` if it shows the publication as read now, otherwise
    framed from `render()`'s (title, rendered text) and cached."""
    now = state(publication)
    if entry is not None and entry[0] == now:
        return entry[1]
    title, text = render()
    page = framed(title, text)
    _pages().set(_page_key(publication.public_id), (now, page), TIMEOUT_SECONDS)
    return page
