"""The two evidence stores and the upload area (REC-6: two copies in separate stores).

A store is a directory (Django's FileSystemStorage) or an S3-compatible bucket (django-storages' S3Storage over boto3),
configured by `SUNLIGHT_EVIDENCE_STORE_A` / `_B` (settings.SUNLIGHT_EVIDENCE_STORES). Both hold every file under the
same content-addressed name. Stores only ever gain objects: there is no delete here, and writing a name again only
happens when no verified copy is registered under it (a leftover of an interrupted attempt) or to repair a copy
from its verified twin.

Everything streams in blocks of `BLOCK` bytes: no file is ever held whole in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage

BLOCK = 1024 * 1024


class ByteStream(Protocol):
    """What reading a stored object yields: `read(n)` blocks until b"" at the end, then `close()`."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class StoreError(Exception):
    """A store could not be read or written (missing object, I/O error, object store unreachable)."""


def hash_stream(stream: ByteStream, *, block: int = BLOCK) -> tuple[str, int]:
    """SHA-256 (hex) and size of everything a stream yields, read block by block."""
    hasher = hashlib.sha256()
    size = 0
    while chunk := stream.read(block):
        hasher.update(chunk)
        size += len(chunk)
    return hasher.hexdigest(), size


def hash_file(path: Path, *, limit: int | None = None) -> tuple[Any, int]:
    """A hashlib SHA-256 object over the first `limit` bytes of a local file (all when None), and the count."""
    hasher = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while limit is None or size < limit:
            want = BLOCK if limit is None else min(BLOCK, limit - size)
            chunk = fh.read(want)
            if not chunk:
                break
            hasher.update(chunk)
            size += len(chunk)
    return hasher, size


class Store(ABC):
    """One place that holds a copy of every evidence file."""

    def __init__(self, key: str, location: str) -> None:
        self.key = key
        self.location = location

    @abstractmethod
    def put(self, name: str, source: Path) -> None:
        """Write the whole local file `source` under `name`, replacing a leftover; the object appears complete or not at all."""

    @abstractmethod
    def open(self, name: str) -> ByteStream:
        """A stream over the stored object (raises StoreError when it cannot be read)."""

    @abstractmethod
    def exists(self, name: str) -> bool:
        """True when an object is stored under `name`."""

    def put_verified(self, name: str, source: Path) -> tuple[str, int]:
        """Write the copy, then re-read it from the store: the SHA-256 and size of what the store now holds."""
        self.put(name, source)
        return self.digest(name)

    def digest(self, name: str) -> tuple[str, int]:
        """Re-read the object and return its SHA-256 and size."""
        with contextlib.closing(self.open(name)) as stream:
            try:
                return hash_stream(stream)
            except OSError as exc:
                raise StoreError(str(exc)) from exc

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key} {self.location}>"


class DirectoryStore(Store):
    """A directory on a local or mounted disk."""

    def __init__(self, key: str, path: str) -> None:
        super().__init__(key, str(Path(path).resolve()))
        self.storage = FileSystemStorage(location=self.location)

    def path(self, name: str) -> Path:
        """The file that holds `name`."""
        return Path(self.storage.path(name))

    def put(self, name: str, source: Path) -> None:
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
        try:
            shutil.copyfile(source, partial)  # the kernel copies (sendfile), not Python
            with partial.open("rb") as fh:
                os.fsync(fh.fileno())
            os.replace(partial, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise StoreError(str(exc)) from exc

    def adopt(self, name: str, source: Path) -> bool:
        """Give a complete, fsynced local file a second name in this store without copying it (a hard link, when
        the upload area is on the same file system); the upload area drops its name once the copy is registered,
        leaving this store's name as the only one. False when that is impossible (then `put` copies)."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        link = target.with_name(f".{target.name}.{uuid.uuid4().hex}.link")
        try:
            os.link(source, link)
        except OSError:
            return False
        try:
            os.replace(link, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                link.unlink()
            raise StoreError(str(exc)) from exc
        return True

    def put_verified(self, name: str, source: Path) -> tuple[str, int]:
        """Copy `source` in, re-reading (and hashing) the new file while the kernel is still copying the rest:
        the verification of what was written costs little more than the copy itself."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
        size = source.stat().st_size
        progress = _Progress()

        def copy() -> None:
            try:
                with source.open("rb") as src, partial.open("wb") as dst:
                    offset = 0
                    while offset < size:
                        sent = os.sendfile(dst.fileno(), src.fileno(), offset, min(16 * BLOCK, size - offset))
                        if sent == 0:
                            raise OSError(f"{source} ended at {offset} of {size} bytes")
                        offset += sent
                        progress.advance(offset)
                    os.fsync(dst.fileno())
                progress.finish()
            except Exception as exc:  # handed to the verifying thread, which raises it
                progress.fail(exc)

        copier = threading.Thread(target=copy, name="evidence-copy", daemon=True)
        try:
            partial.touch()
            copier.start()
            hasher = hashlib.sha256()
            hashed = 0
            with partial.open("rb") as reader:
                while True:
                    available = progress.wait_beyond(hashed)
                    if available <= hashed:
                        break
                    while hashed < available:
                        chunk = reader.read(min(BLOCK, available - hashed))
                        if not chunk:
                            raise OSError("the copy is shorter than reported")
                        hasher.update(chunk)
                        hashed += len(chunk)
            copier.join()
            progress.raise_failure()
            os.replace(partial, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            if copier.is_alive():
                copier.join(timeout=60)
            with contextlib.suppress(OSError):
                partial.unlink()
            raise StoreError(str(exc)) from exc
        return hasher.hexdigest(), hashed

    def open(self, name: str) -> ByteStream:
        try:
            return self.path(name).open("rb")
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def leftovers(self, *, older_than: float) -> Iterator[Path]:
        """Temporary files of writes that never finished (a server killed mid-copy), older than a Unix time.

        They are never evidence: a copy only ever gets its real name, atomically, once it is complete."""
        root = Path(self.location) / "sha256"
        if root.is_dir():
            for path in root.glob("*/*/.*"):
                if path.suffix in (".part", ".link") and path.is_file() and path.stat().st_mtime < older_than:
                    yield path


class S3Store(Store):
    """A bucket (and optional prefix) of an S3-compatible object store, through django-storages."""

    def __init__(self, key: str, *, bucket: str, prefix: str, endpoint_url: str, access_key: str, secret_key: str,
                 region: str) -> None:  # fmt: skip
        from boto3.s3.transfer import TransferConfig
        from storages.backends.s3 import S3Storage

        shown = f"s3://{bucket}/{prefix}".rstrip("/")
        super().__init__(key, f"{shown} ({endpoint_url})" if endpoint_url else shown)
        options: dict[str, Any] = {
            "bucket_name": bucket,
            "location": prefix,
            "file_overwrite": True,
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": False,
            # Bounded memory: at most max_concurrency parts of multipart_chunksize bytes in flight.
            "transfer_config": TransferConfig(
                multipart_threshold=16 * BLOCK, multipart_chunksize=8 * BLOCK, max_concurrency=4
            ),
        }
        if endpoint_url:
            options["endpoint_url"] = endpoint_url
        if access_key:
            options["access_key"] = access_key
            options["secret_key"] = secret_key
        if region:
            options["region_name"] = region
        self.storage = S3Storage(**options)

    def _key(self, name: str) -> str:
        from storages.utils import clean_name

        return str(self.storage._normalize_name(clean_name(name)))

    def put(self, name: str, source: Path) -> None:
        try:
            with source.open("rb") as fh:
                saved = self.storage.save(name, File(fh, name=name))
        except Exception as exc:  # botocore raises many kinds; all mean "not written"
            raise StoreError(str(exc)) from exc
        if saved != name:
            raise StoreError(f"object stored as {saved!r}, expected {name!r}")

    def open(self, name: str) -> ByteStream:
        try:
            body = self.storage.bucket.Object(self._key(name)).get()["Body"]
        except Exception as exc:
            raise StoreError(str(exc)) from exc
        return _Closing(body)

    def exists(self, name: str) -> bool:
        try:
            return bool(self.storage.exists(name))
        except Exception as exc:
            raise StoreError(str(exc)) from exc


class _Closing:
    """A botocore StreamingBody as a read-only binary stream that maps read errors to OSError."""

    def __init__(self, body: Any) -> None:
        self._body = body

    def read(self, size: int = -1) -> bytes:
        try:
            return bytes(self._body.read(None if size < 0 else size))
        except Exception as exc:
            raise OSError(str(exc)) from exc

    def close(self) -> None:
        self._body.close()


class _Progress:
    """How far a copy has got, shared between the copying thread and the thread that verifies behind it."""

    def __init__(self) -> None:
        self._done = 0
        self._finished = False
        self._error: BaseException | None = None
        self._condition = threading.Condition()

    def advance(self, done: int) -> None:
        with self._condition:
            self._done = done
            self._condition.notify_all()

    def finish(self) -> None:
        with self._condition:
            self._finished = True
            self._condition.notify_all()

    def fail(self, error: BaseException) -> None:
        with self._condition:
            self._error = error
            self._finished = True
            self._condition.notify_all()

    def wait_beyond(self, position: int) -> int:
        """Block until more than `position` bytes are copied or the copy ended; return the bytes copied."""
        with self._condition:
            self._condition.wait_for(lambda: self._done > position or self._finished)
            if self._error is not None:
                raise OSError(str(self._error))
            return self._done

    def raise_failure(self) -> None:
        if self._error is not None:
            raise OSError(str(self._error))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_from_config(key: str, config: dict[str, str]) -> Store:
    """A store from one entry of settings.SUNLIGHT_EVIDENCE_STORES."""
    url = config["url"]
    if url.startswith("s3://"):
        bucket, _, prefix = url[5:].partition("/")
        if not bucket:
            raise ImproperlyConfigured(f"evidence store {key}: {url!r} names no bucket")
        return S3Store(
            key,
            bucket=bucket,
            prefix=prefix.strip("/"),
            endpoint_url=config.get("endpoint_url", ""),
            access_key=config.get("access_key", ""),
            secret_key=config.get("secret_key", ""),
            region=config.get("region", ""),
        )
    if "://" in url:
        raise ImproperlyConfigured(f"evidence store {key}: {url!r} is neither a directory nor an s3:// URL")
    return DirectoryStore(key, url)


_cache: dict[str, tuple[Any, Store]] = {}


def stores() -> dict[str, Store]:
    """The configured stores by key ("a", "b"), rebuilt when the settings change (tests override them)."""
    result = {}
    for key, config in sorted(settings.SUNLIGHT_EVIDENCE_STORES.items()):
        signature = tuple(sorted(config.items()))
        cached = _cache.get(key)
        if cached is None or cached[0] != signature:
            cached = (signature, store_from_config(key, config))
            _cache[key] = cached
        result[key] = cached[1]
    return result


def upload_dir() -> Path:
    """The area for partial uploads (created on first use)."""
    path = Path(settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def partial_path(upload_id: uuid.UUID | str) -> Path:
    """Where the bytes received so far for one upload are kept."""
    return upload_dir() / f"{uuid.UUID(str(upload_id)).hex}.part"
