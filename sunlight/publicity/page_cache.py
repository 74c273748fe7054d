"""Public decision pages, stored with exactly what they show (PUB-9, PUB-12; ADR 0009).

A decision page shows one version (append-only: its record never changes) and a few fields of the publication. Each
page, once rendered, is stored in the database (`DecisionPage`, per decision and rendering: the code's fingerprint,
language and address prefix) together with the state it showed: a digest of the publication's status, version in force
and every field of it the page shows. The view reads the publication and the stored page in one query on every request
and serves the stored page only if that state is still the same: a withdrawal or an expiry changes the status (the
view then renders the notice and never serves the entry), an update or an upheld correction changes the version in
force, and any other change of what the page shows changes the digest. Nothing that is not on the portal, or no longer
as it was, is served. Because the store is the database, a page rendered by one worker is served by every worker and
every application server; browsers and proxies still may not cache the page (`never_cache`): they ask the server every
time.

A page is its decision's text (publicity/partials/decision.html) inside a frame (publicity/decision_detail.html:
portal/base.html around the title and the text), which is the same for every decision: it is rendered once per
process, language and address prefix with placeholders, then filled in. Both
are rendered without the request (no context processors), so the same bytes can be served to everyone: none of these
templates may show anything that depends on who asks.

A stored page is served only by the code that rendered it: the key of its rendering holds a fingerprint of the
application's files (`build()`), so after a deployment that changes a template, a translation or the fields a page
shows, every page is rendered again; `sunlight migrate` empties the store of the pages of earlier versions.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, router, transaction
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .models import DecisionPage, Publication
from .selectors import StoredPage

logger = logging.getLogger(__name__)

FRAME_TEMPLATE = "publicity/decision_detail.html"
# Placeholders for the frame: private-use characters, which no template holds and escaping leaves alone.
_TITLE = "\ue000title\ue000"
_TEXT = "\ue000text\ue000"


def _digest(parts: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def rendering() -> str:
    """The key of what, besides the data, a rendered page depends on: the code that renders it (`build()`), the
    language and the addresses (prefix, URLconf)."""
    return _rendering_key(
        (build(), translation.get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    )


@functools.lru_cache(maxsize=64)
def _rendering_key(parts: tuple[Any, ...]) -> str:
    """`rendering()`'s digest, computed once per process for each language and address prefix."""
    return _digest(parts)


@functools.cache
def build() -> str:
    """A fingerprint of the code this process renders pages with: Django's version and every file of the application
    (its Python, templates, translations and static files) and of the configured template and locale directories.
    A deployment that changes any of them changes every rendering key, so no page stored by an earlier version is
    served by this one (`sunlight migrate` also empties the store: apps.py). Read once per process, when the WSGI
    application starts (sunlight/wsgi.py): a worker still running the earlier code after the next version's files are
    installed keeps the earlier fingerprint."""
    package = Path(__file__).resolve().parents[1]
    roots = [("application", package)]
    others = [
        *settings.LOCALE_PATHS,
        *(d for engine in settings.TEMPLATES for d in cast(list[Any], engine.get("DIRS", []))),
    ]
    for index, directory in enumerate(others):
        path = Path(directory).resolve()
        if not path.is_relative_to(package):  # the application's own are read with it
            roots.append((f"directory {index}", path))
    return files_digest(roots=roots, salt=django.get_version())


def files_digest(*, roots: list[tuple[str, Path]], salt: str) -> str:
    """A digest of every file under each (label, root) (names relative to the root and contents, in a fixed order;
    compiled Python left out). The labels, not the roots' paths, go into it: servers that install the same code in
    different places share their pages."""
    digest = hashlib.blake2b(salt.encode("utf-8"), digest_size=16)
    for label, root in roots:
        if not root.is_dir():
            continue
        digest.update(b"\0root\0" + label.encode("utf-8"))
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(b"\0" + path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


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


# The frame of each rendering, rendered once per process (templates change only with a deployment, which restarts it).
_frames: dict[str, list[list[str]]] = {}


def _frame(*, key: str) -> list[list[str]]:
    """The frame rendered around the placeholders: the pieces between text placeholders, each split at the title."""
    frame = _frames.get(key)
    if frame is None:
        html = render_to_string(FRAME_TEMPLATE, {"title": _TITLE, "content": mark_safe(_TEXT)})  # noqa: S308
        frame = [piece.split(_TITLE) for piece in html.split(_TEXT)]
        if len(frame) != 2:
            raise ImproperlyConfigured(f"{FRAME_TEMPLATE} must show {{{{ content }}}} exactly once")
        _frames[key] = frame
    return frame


def framed(*, title: str, text: str, key: str) -> str:
    """The whole page in rendering `key`: the frame with the title (escaped, as `{{ title }}` would be) and the
    rendered text."""
    escaped = str(conditional_escape(title))
    return text.join(escaped.join(pieces) for pieces in _frame(key=key))


def decision_page(
    *, publication: Publication, stored: StoredPage | None, render: Callable[[], tuple[str, str]], key: str
) -> str:
    """The page of a published decision in rendering `key` (PUB-9): the `stored` page if it shows the publication as
    read now, otherwise framed from `render()`'s (title, rendered text) and stored for every process."""
    now = state(publication)
    if stored is not None and stored[0] == now:
        return framed(title=stored[1], text=stored[2], key=key)
    title, text = render()
    _store(publication=publication, key=key, now=now, title=title, text=text)
    return framed(title=title, text=text, key=key)


# How long storing a page waits for SQLite's write lock, which one writer at a time holds: a reader of the portal
# should not wait behind a long write (an import, a rebuild) for the whole busy timeout only to store a page.
SQLITE_STORE_WAIT_MS = 200
# At most one warning a minute when pages cannot be stored (a read-only replica refuses every write).
_WARN_EVERY = 60.0
_warned = {"at": -_WARN_EVERY, "since": 0}
_warned_lock = threading.Lock()  # threads of one worker share it


def _store(*, publication: Publication, key: str, now: str, title: str, text: str) -> None:
    """Write the rendered page over the one stored for this decision and rendering. Two workers rendering the same
    page at once both write; whichever comes last stays, and is served only while its state is the publication's.
    A database that refuses the write (a read-only replica, SQLite's lock held by another writer for longer than
    SQLITE_STORE_WAIT_MS) costs the next request a rendering, nothing more."""
    page = DecisionPage(
        publication=publication, rendering=key, state=now, title=title, text=text, rendered_at=timezone.now()
    )
    conn = connections[router.db_for_write(DecisionPage)]
    try:
        with _short_lock_wait(conn), transaction.atomic(using=conn.alias):
            DecisionPage.objects.using(conn.alias).bulk_create(
                [page],
                update_conflicts=True,
                unique_fields=["publication", "rendering"],
                update_fields=["state", "title", "text", "rendered_at"],
            )
    except DatabaseError:
        _warn_not_stored(publication.public_id)


@contextlib.contextmanager
def _short_lock_wait(conn: Any) -> Iterator[None]:
    """On SQLite, wait at most SQLITE_STORE_WAIT_MS for the write lock, then the busy timeout set before again.
    Inside a transaction there is nothing to wait for (it began IMMEDIATE: it holds the lock already)."""
    if conn.vendor != "sqlite" or conn.in_atomic_block:
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        configured = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_STORE_WAIT_MS:d}")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {configured:d}")


def _warn_not_stored(public_id: Any) -> None:
    """Log that a page was not stored, with the error: at most once every _WARN_EVERY seconds, with the count since."""
    with _warned_lock:
        _warned["since"] += 1
        moment = time.monotonic()
        if moment - _warned["at"] < _WARN_EVERY:
            return
        count, _warned["at"], _warned["since"] = _warned["since"], moment, 0
    logger.warning(
        "decision page %s not stored (%d pages not stored since the last warning)", public_id, count, exc_info=True
    )
