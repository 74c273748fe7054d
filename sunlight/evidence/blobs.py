"""Store bytes the system makes itself (generated documents, archive bundles) in the two evidence stores (REC-6,
REC-15), the same way uploads are stored: each copy is written under its content-addressed name, re-read and its
SHA-256 checked before the file is registered. The registration (StoredFile, one StoredCopy per store) and its
`evidence.stored` ledger entry are written in the caller's transaction, so that they commit together with the row
that refers to the file (a CaseDocument, a CaseArchive).

Idempotent: the same bytes again return the same StoredFile without writing anything, unless a configured store
has no registered copy yet, which is then written and registered. A copy written for a transaction that rolls back
stays in the store without a row (stores only gain objects); the next call writes it again and registers it.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sunlight.core.audit import audit

from .models import StoredCopy, StoredFile, object_name_for
from .storage import Store, StoreError, hash_file, stores, upload_dir


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat()


def blob_store(
    *, data: bytes | Path, content_type: str, now: datetime | None = None, acting_user: Any = None
) -> StoredFile:
    """Write `data` (bytes, or a local file) to every configured store, verify each copy by re-reading its
    SHA-256, and return the registered StoredFile. Raises StoreError when a store cannot hold a verified copy
    (after one more attempt); then nothing is registered."""
    moment = now or timezone.now()
    temporary: Path | None = None
    try:
        if isinstance(data, bytes | bytearray | memoryview):
            temporary = _spill(bytes(data))
            source = temporary
        else:
            source = Path(data)
        hasher, size = hash_file(source)
        sha256 = hasher.hexdigest()
        name = object_name_for(sha256)
        existing = StoredFile.objects.filter(sha256=sha256).first()
        registered = set(existing.copies.values_list("store", flat=True)) if existing is not None else set()
        configured = stores()
        missing = {key: store for key, store in configured.items() if key not in registered}
        for store in missing.values():
            _put_verified(store, name, source, sha256, size)
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    if existing is not None and not missing:
        return existing
    with transaction.atomic():
        stored = _stored_file(sha256, size, content_type, moment)
        added = []
        for key, store in missing.items():
            copy, created = _copy(stored, key, store, name, moment)
            if created:
                added.append(copy)
        if added:
            audit(
                kind="evidence.stored",
                actor=acting_user,
                stream=stored.stream,
                payload={
                    "sha256": sha256,
                    "size": size,
                    "content_type": stored.content_type,
                    "origin": "generated",
                    "new_contents": existing is None,
                    "copies": [
                        {"store": c.store, "location": c.location, "name": c.name, "verified_at": _iso(c.verified_at)}
                        for c in added
                    ],
                },
            )
    return stored


def _spill(data: bytes) -> Path:
    """The bytes in a fsynced file of the upload area (the stores copy from a local file)."""
    path = upload_dir() / f"blob-{uuid.uuid4().hex}.tmp"
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _put_verified(store: Store, name: str, source: Path, sha256: str, size: int) -> None:
    """Write one copy and re-read it; one more attempt when what the store holds does not match."""
    for _attempt in range(2):
        if store.put_verified(name, source) == (sha256, size):
            return
    raise StoreError(f"copy in store {store.key} does not match after writing")


def _stored_file(sha256: str, size: int, content_type: str, at: datetime) -> StoredFile:
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha256, size=size, content_type=content_type, stored_at=at)
    except IntegrityError:  # the same contents registered concurrently a moment ago
        return StoredFile.objects.get(sha256=sha256)


def _copy(stored: StoredFile, key: str, store: Store, name: str, at: datetime) -> tuple[StoredCopy, bool]:
    found = stored.copies.filter(store=key).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            row = StoredCopy.objects.create(
                file=stored, store=key, location=store.location[:300], name=name, verified_at=at
            )
            return row, True
    except IntegrityError:  # registered concurrently
        return StoredCopy.objects.get(file=stored, store=key), False


def blob_read(stored: StoredFile) -> bytes:
    """The bytes of a stored (small) file from the first copy whose SHA-256 matches; a damaged copy is skipped. Raises
    a 503 ServiceError when no copy can be read (for generated documents, not for large AV files)."""
    import hashlib

    from django.utils.translation import gettext as _

    from sunlight.core.errors import ServiceError

    configured = stores()
    for copy in stored.copies.order_by("store"):
        store = configured.get(copy.store)
        if store is None:
            continue
        try:
            stream = store.open(copy.name)
            try:
                parts = []
                while chunk := stream.read(1024 * 1024):
                    parts.append(chunk)
            finally:
                stream.close()
        except (StoreError, OSError):
            continue
        data = b"".join(parts)
        if hashlib.sha256(data).hexdigest() == stored.sha256:
            return data
    error = ServiceError.single("file", "unavailable", _("文件的两个存储副本均无法读取，请联系系统管理员。"))
    error.status = 503
    raise error
