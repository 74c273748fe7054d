"""Public decision pages, stored with exactly what they show (PUB-9, PUB-12; ADR 0009).

A decision page shows one version (append-only: its record never changes) and a few fields of the publication. Each
page, once rendered, is stored in the database (`DecisionPage`, per decision and rendering: language and address
prefix) together with the state it showed: a digest of the publication's status, version in force and every field of
it the page shows. The view reads the publication and the stored page in one query on every request and serves the
stored page only if that state is still the same: a withdrawal or an expiry changes the status (the view then renders
the notice and never serves the entry), an update or an upheld correction changes the version in force, and any other
change of what the page shows changes the digest. Nothing that is not on the portal, or no longer as it was, is
served. Because the store is the database, a page rendered by one worker is served by every worker and every
application server; browsers and proxies still may not cache the page (`never_cache`): they ask the server every time.

A page is its decision's text (publicity/partials/decision.html) inside a frame (publicity/decision_detail.html:
portal/base.html around the title and the text), which is the same for every decision: it is rendered once per
process, language and address prefix with placeholders, then filled in. Both
are rendered without the request (no context processors), so the same bytes can be served to everyone: none of these
templates may show anything that depends on who asks.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .models import DecisionPage, Publication
from .selectors import StoredPage

logger = logging.getLogger(__name__)

FRAME_TEMPLATE = "publicity/decision_detail.html"
# Bump when what a stored page holds, or how a page is rendered, changes in a way the state would not notice: every
# stored page then belongs to another rendering and is rendered again.
FORMAT = 2
# Placeholders for the frame: private-use characters, which no template holds and escaping leaves alone.
_TITLE = "\ue000title\ue000"
_TEXT = "\ue000text\ue000"


def _digest(parts: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def rendering() -> str:
    """The key of what, besides the data, a rendered page depends on: the language and the addresses (prefix,
    URLconf)."""
    return _rendering_key(
        (FORMAT, translation.get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    )


@functools.lru_cache(maxsize=64)
def _rendering_key(parts: tuple[Any, ...]) -> str:
    return _digest(parts)


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
    """The page stored for this decision in this rendering, with the state it showed: (state, page), to be served
    only if `state()` of the publication as read now is the same (for inspection; the view reads the stored page in
    the query that reads the publication)."""
    row = (
        DecisionPage.objects.filter(publication__public_id=public_id, rendering=rendering())
        .values_list("state", "title", "text")
        .first()
    )
    return None if row is None else (row[0], framed(row[1], row[2]))


# The frame of each rendering, rendered once per process (templates change only with a deployment, which restarts it).
_frames: dict[str, list[list[str]]] = {}


def _frame(key: str) -> list[list[str]]:
    """The frame rendered around the placeholders: the pieces between text placeholders, each split at the title."""
    frame = _frames.get(key)
    if frame is None:
        html = render_to_string(FRAME_TEMPLATE, {"title": _TITLE, "content": mark_safe(_TEXT)})  # noqa: S308
        frame = [piece.split(_TITLE) for piece in html.split(_TEXT)]
        if len(frame) != 2:
            raise ImproperlyConfigured(f"{FRAME_TEMPLATE} must show {{{{ content }}}} exactly once")
        _frames[key] = frame
    return frame


def framed(title: str, text: str, *, key: str | None = None) -> str:
    """The whole page in rendering `key` (by default the current one): the frame with the title (escaped, as
    `{{ title }}` would be) and the rendered text."""
    escaped = str(conditional_escape(title))
    return text.join(escaped.join(pieces) for pieces in _frame(key or rendering()))


def decision_page(
    publication: Publication, stored: StoredPage | None, render: Callable[[], tuple[str, str]], *, key: str
) -> str:
    """The page of a published decision in rendering `key`: the `stored` page if it shows the publication as read
    now, otherwise framed from `render()`'s (title, rendered text) and stored for every process."""
    now = state(publication)
    if stored is not None and stored[0] == now:
        return framed(stored[1], stored[2], key=key)
    title, text = render()
    _store(publication, key, now, title, text)
    return framed(title, text, key=key)


def _store(publication: Publication, key: str, now: str, title: str, text: str) -> None:
    """Write the rendered page over the one stored for this decision and rendering. Two workers rendering the same
    page at once both write; whichever comes last stays, and is served only while its state is the publication's.
    A database that refuses the write (a read-only replica) costs the next request a rendering, nothing more."""
    page = DecisionPage(
        publication=publication, rendering=key, state=now, title=title, text=text, rendered_at=timezone.now()
    )
    try:
        with transaction.atomic():
            DecisionPage.objects.bulk_create(
                [page],
                update_conflicts=True,
                unique_fields=["publication", "rendering"],
                update_fields=["state", "title", "text", "rendered_at"],
            )
    except DatabaseError:
        logger.warning("decision page %s not stored", publication.public_id, exc_info=True)
