"""The upload path (services): resumable uploads that become evidence only once both copies are verified (REC-6).

The protocol is tus 1.0.0 (views in `tus.py`); this module holds its use cases:

* `upload_create` checks the record, the size and the type and opens an upload session with an empty partial file.
* `upload_receive` appends one PATCH body to the partial file block by block (never the whole body in memory),
  hashing as it goes; when the last byte arrives it checks the whole file's SHA-256 (against the one declared, if
  any) and its leading bytes (against its type), writes a copy to each store, re-reads both copies to verify them,
  and only then, in one transaction, registers the file, its copies, the ledger entry and the deadline's
  completion.
* `uploads_tidy` finishes uploads whose server died while storing, and expires abandoned ones.

Crash safety: the session's `offset` (what the client is told it may resume from) only ever covers bytes that are
on disk (flushed and fsynced first) and reaches the full length only in the registering transaction. A server killed
at any moment leaves no evidence row and no copy that counts; the client resumes from the offset (tus HEAD).
Concurrent writes to one upload are prevented by a lease in the database (no in-process locks: several servers).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import queue
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.choices import DeadlineStatus
from sunlight.core.deadlines import deadline_complete
from sunlight.core.errors import FieldError, ServiceError
from sunlight.org.scope import deny

from . import selectors
from .choices import FILE_TYPES, SNIFF_BYTES, UploadStatus
from .models import AVFile, StoredCopy, StoredFile, UploadSession, object_name_for
from .services import iso
from .storage import BLOCK, DirectoryStore, Store, StoreError, hash_file, partial_path, stores, upload_dir

# Without a per-chunk checksum, received bytes are acknowledged (fsynced, offset committed) every this many bytes,
# so a server killed during a long PATCH loses at most this much.
COMMIT_BYTES = 64 * 1024 * 1024


class UploadError(ServiceError):
    """An upload request refused; `status` is the HTTP status the tus endpoint answers with."""

    def __init__(self, code: str, message: str, *, status: int = 400, field: str = "__all__") -> None:
        super().__init__([FieldError(field, code, str(message))])
        self.status = status
        self.code = code
        self.message = str(message)


class Readable(Protocol):
    """A request body: `read(n)` returns at most n bytes, b"" at its end."""

    def read(self, size: int = ..., /) -> bytes: ...


# In-process cache of hash states at the acknowledged offset, so that consecutive PATCHes handled by the same process
# need not re-read the partial file. A miss (another process, a restart) re-hashes the partial file: correct, slower.
_HASHERS: OrderedDict[str, tuple[int, Any]] = OrderedDict()
_HASHERS_LOCK = threading.Lock()
_HASHERS_MAX = 64


def _remember(upload_id: str, offset: int, hasher: Any) -> None:
    with _HASHERS_LOCK:
        _HASHERS[upload_id] = (offset, hasher.copy())
        _HASHERS.move_to_end(upload_id)
        while len(_HASHERS) > _HASHERS_MAX:
            _HASHERS.popitem(last=False)


def _forget(upload_id: str) -> None:
    with _HASHERS_LOCK:
        _HASHERS.pop(upload_id, None)


def _recall(upload_id: str, offset: int) -> Any | None:
    with _HASHERS_LOCK:
        cached = _HASHERS.get(upload_id)
    if cached is not None and cached[0] == offset:
        return cached[1].copy()
    return None


def _lease_seconds() -> int:
    return int(settings.SUNLIGHT_EVIDENCE_UPLOAD_LEASE_SECONDS)


def expires_at(session: UploadSession) -> datetime:
    """When an unfinished upload is given up (tus expiration extension)."""
    return session.touched_at + timedelta(hours=settings.SUNLIGHT_EVIDENCE_UPLOAD_EXPIRY_HOURS)


def allowed_extensions() -> list[str]:
    """The file extensions that may be uploaded (settings, limited to the types whose content can be checked)."""
    return [
        ext.lower().lstrip(".")
        for ext in settings.SUNLIGHT_EVIDENCE_ALLOWED_TYPES
        if ext.lower().lstrip(".") in FILE_TYPES
    ]


def _clean_filename(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in name if ch.isprintable())[:255]


# --- create (tus creation) ---------------------------------------------------------------------------------------


def upload_create(
    *,
    acting_user: Any,
    record_id: uuid.UUID | str,
    length: int | None,
    filename: str,
    content_type: str = "",
    declared_sha256: str = "",
    metadata: str = "",
    now: datetime | None = None,
) -> UploadSession:
    """Open a resumable upload of one file to an AV record the user may write to.

    Refusals: the size is over SUNLIGHT_EVIDENCE_MAX_BYTES (413), the extension is not allowed (415), the length or
    the declared SHA-256 is malformed (400).
    """
    record = selectors.record_get_for_user(user=acting_user, public_id=record_id)
    if not selectors.may_write(acting_user, record):
        raise deny(acting_user, action="evidence.upload", target=str(record.public_id))
    if length is None or length < 1:
        raise UploadError("bad_length", _("请提供文件大小（Upload-Length，大于 0 的整数）；不支持空文件。"))
    maximum = int(settings.SUNLIGHT_EVIDENCE_MAX_BYTES)
    if length > maximum:
        raise UploadError(
            "too_large",
            _("文件大小 %(size)s 超过允许的上限 %(max)s。")
            % {"size": filesizeformat(length), "max": filesizeformat(maximum)},
            status=413,
        )
    name = _clean_filename(filename)
    if not name:
        raise UploadError("filename_required", _("请提供文件名（Upload-Metadata 中的 filename）。"), field="filename")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = allowed_extensions()
    if extension not in allowed:
        raise UploadError(
            "bad_type",
            _("不允许上传“%(ext)s”类型的文件；允许的类型：%(allowed)s。")
            % {"ext": f".{extension}" if extension else _("无扩展名"), "allowed": "、".join(allowed)},
            status=415,
            field="filename",
        )
    declared = (declared_sha256 or "").strip().lower()
    if declared and (len(declared) != 64 or any(c not in "0123456789abcdef" for c in declared)):
        raise UploadError("bad_sha256", _("声明的 SHA-256 应为64位十六进制字符。"), field="sha256")
    moment = now or timezone.now()
    with transaction.atomic():
        session = UploadSession.objects.create(
            record=record,
            created_by=acting_user,
            filename=name,
            extension=extension,
            content_type=FILE_TYPES[extension].mime,
            declared_sha256=declared,
            metadata=metadata[:2000],
            length=length,
            created_at=moment,
            touched_at=moment,
        )
    partial_path(session.public_id).touch()
    return session


# --- state checks and the lease ----------------------------------------------------------------------------------


def check_usable(session: UploadSession, now: datetime) -> None:
    if session.status == UploadStatus.FAILED:
        raise UploadError("failed", session.error or _("该上传已失败，请重新上传。"), status=410)
    if session.status == UploadStatus.EXPIRED or (
        session.status == UploadStatus.RECEIVING and expires_at(session) < now
    ):
        raise UploadError("expired", _("该上传已过期，请重新上传。"), status=410)


def _acquire(session: UploadSession, now: datetime) -> str:
    token = uuid.uuid4().hex
    taken = (
        UploadSession.objects.filter(pk=session.pk)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_token=token, lease_until=now + timedelta(seconds=_lease_seconds()))
    )
    if taken != 1:
        raise UploadError("locked", _("该文件正在由另一个请求写入或存储，请稍后重试。"), status=423)
    return token


def _release(session: UploadSession, token: str) -> None:
    UploadSession.objects.filter(pk=session.pk, lease_token=token).update(lease_token="", lease_until=None)


def _renew(session: UploadSession, token: str, **changes: Any) -> None:
    now = timezone.now()
    changes.setdefault("touched_at", now)
    updated = UploadSession.objects.filter(pk=session.pk, lease_token=token).update(
        lease_until=now + timedelta(seconds=_lease_seconds()), **changes
    )
    if updated != 1:
        raise UploadError("lease_lost", _("该上传已被另一个请求接管，请刷新后重试。"), status=409)


class _Renewer:
    """Keeps a lease alive while a long PATCH streams, committing acknowledged offsets when told to."""

    def __init__(self, session: UploadSession, token: str) -> None:
        self.session = session
        self.token = token
        self.every = max(1.0, _lease_seconds() / 3)
        self.last = time.monotonic()

    def tick(self) -> None:
        if time.monotonic() - self.last >= self.every:
            _renew(self.session, self.token)
            self.last = time.monotonic()

    def commit(self, offset: int) -> None:
        _renew(self.session, self.token, offset=offset)
        self.session.offset = offset
        self.last = time.monotonic()


def _parse_checksum(header: str) -> bytes | None:
    """The tus checksum extension: `Upload-Checksum: sha256 <base64 digest>`."""
    if not header:
        return None
    algorithm, _sep, value = header.strip().partition(" ")
    if algorithm.lower() != "sha256":
        raise UploadError(
            "bad_checksum_algorithm", _("不支持的校验算法“%(alg)s”，仅支持 sha256。") % {"alg": algorithm}
        )
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UploadError("bad_checksum", _("Upload-Checksum 的值不是有效的 Base64。")) from exc
    if len(digest) != 32:
        raise UploadError("bad_checksum", _("Upload-Checksum 的 sha256 值长度不正确。"))
    return digest


def _read(body: Readable, size: int) -> bytes:
    """Read from the request body; a broken connection counts as the end of the data."""
    try:
        return body.read(size)
    except Exception:  # the WSGI servers raise their own kinds when the client goes away
        return b""


# --- receive (tus PATCH) -----------------------------------------------------------------------------------------


def upload_receive(
    *,
    acting_user: Any,
    upload_id: uuid.UUID | str,
    offset: int,
    body: Readable,
    content_length: int | None,
    checksum: str = "",
) -> UploadSession:
    """Append one PATCH body at `offset`; finish the upload when it is complete (see the module docstring).

    Refusals: a wrong offset (409, the upload keeps its bytes), more bytes than declared (413), a chunk whose
    `Upload-Checksum` does not match (460, the chunk is discarded), a body shorter than its Content-Length (400;
    without a checksum the bytes received are kept), content that does not match the declared SHA-256 (460) or the
    file type (415) — the last two end the upload, which never becomes evidence.
    """
    session = selectors.upload_get_for_user(user=acting_user, public_id=upload_id)
    now = timezone.now()
    check_usable(session, now)
    if session.status == UploadStatus.COMPLETED:
        if offset == session.length and not content_length:
            return session
        raise UploadError("completed", _("该文件已上传完成。"), status=409)
    if content_length is None or content_length < 0:
        raise UploadError("length_required", _("PATCH 请求须带 Content-Length。"))
    expected = _parse_checksum(checksum)
    if offset != session.offset:
        raise UploadError(
            "offset_mismatch",
            _("偏移量不符：服务器已收到 %(have)d 字节，本次请求从 %(got)d 字节开始。请从 %(have)d 字节处续传。")
            % {"have": session.offset, "got": offset},
            status=409,
        )
    if offset + content_length > session.length:
        raise UploadError(
            "too_long",
            _("数据超出声明的文件大小（%(length)d 字节）。") % {"length": session.length},
            status=413,
        )
    token = _acquire(session, now)
    try:
        session.refresh_from_db()
        if session.offset != offset:  # another request moved it between our check and the lease
            raise UploadError("offset_mismatch", _("偏移量已变化，请重新查询后续传。"), status=409)
        return _receive(session, token, acting_user, body, content_length, expected)
    finally:
        _release(session, token)


def _restart_lost(session: UploadSession, token: str, path: Path) -> UploadError:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb"):
        pass
    _renew(session, token, offset=0, status=UploadStatus.RECEIVING)
    _forget(str(session.public_id))
    return UploadError("data_lost", _("服务器上已收到的数据丢失，请从头重新上传。"), status=409)


class _Hashing:
    """Hashes the received blocks in a second thread while the request thread reads and writes the next ones
    (hashlib releases the GIL), so that hashing while streaming costs little time. At most 8 blocks wait."""

    def __init__(self, *hashers: Any) -> None:
        self.hashers = [h for h in hashers if h is not None]
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self.thread = threading.Thread(target=self._run, name="evidence-hash", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            data = self.queue.get()
            try:
                if data is None:
                    return
                for hasher in self.hashers:
                    hasher.update(data)
            finally:
                self.queue.task_done()

    def feed(self, data: bytes) -> None:
        self.queue.put(data)

    def sync(self) -> None:
        """Wait until every block fed so far is hashed."""
        self.queue.join()

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


def _receive(
    session: UploadSession,
    token: str,
    acting_user: Any,
    body: Readable,
    content_length: int,
    expected: bytes | None,
) -> UploadSession:
    key = str(session.public_id)
    start = session.offset
    path = partial_path(session.public_id)
    hasher = _recall(key, start)
    if hasher is None:
        try:
            hasher, have = hash_file(path, limit=start)  # resuming: re-hash what is on disk
        except FileNotFoundError:
            if start:
                raise _restart_lost(session, token, path) from None
            path.touch()
            hasher, have = hashlib.sha256(), 0
        if have != start:
            raise _restart_lost(session, token, path)
    chunk_hasher = hashlib.sha256() if expected is not None else None
    renewer = _Renewer(session, token)
    received = 0
    since_commit = 0
    last_block = 0
    head = b""
    sniffed = start > 0  # a resumed upload's first bytes were checked before (and are checked again at the end)
    hashing = _Hashing(hasher, chunk_hasher)
    with path.open("r+b") as fh, contextlib.closing(hashing):
        fh.truncate(start)  # bytes past the acknowledged offset were never acknowledged
        fh.seek(start)
        while received < content_length:
            data = _read(body, min(BLOCK, content_length - received))
            if not data:
                break
            fh.write(data)
            hashing.feed(data)
            if start + received < SNIFF_BYTES:
                head += data[: SNIFF_BYTES - (start + received)]
            received += len(data)
            since_commit += len(data)
            last_block = len(data)
            if not sniffed and len(head) >= min(SNIFF_BYTES, session.length):
                sniffed = True  # reject a wrong type early, before the rest of a large file arrives
                _check_type(session, token, acting_user, head, path)
            if chunk_hasher is None and since_commit >= COMMIT_BYTES and start + received < session.length:
                fh.flush()
                os.fsync(fh.fileno())
                hashing.sync()
                _remember(key, start + received, hasher)
                renewer.commit(start + received)
                since_commit = 0
            else:
                renewer.tick()
        fh.flush()
        os.fsync(fh.fileno())
    end = start + received
    truncated = received < content_length
    if chunk_hasher is not None and (truncated or chunk_hasher.digest() != expected):
        with path.open("r+b") as fh:
            fh.truncate(start)
        if truncated:
            raise UploadError(
                "truncated",
                _("数据不完整：本次应收 %(want)d 字节，只收到 %(got)d 字节；该数据块已丢弃，请从 %(at)d 字节处重传。")
                % {"want": content_length, "got": received, "at": start},
            )
        raise UploadError(
            "checksum_mismatch",
            _("数据块校验失败（Upload-Checksum 不符），该数据块已丢弃，请从 %(at)d 字节处重传。") % {"at": start},
            status=460,
        )
    if truncated:
        _remember(key, end, hasher)
        renewer.commit(end)
        raise UploadError(
            "truncated",
            _("数据不完整：本次应收 %(want)d 字节，只收到 %(got)d 字节；已保存至 %(at)d 字节，请从该处续传。")
            % {"want": content_length, "got": received, "at": end},
        )
    if end < session.length:
        _remember(key, end, hasher)
        renewer.commit(end)
        session.offset = end
        return session
    # Complete: acknowledge all but the last block before storing, so that a crash while storing costs the client
    # only that block; the full length is acknowledged by the transaction that registers the evidence.
    _renew(session, token, offset=end - last_block, status=UploadStatus.STORING)
    return _finalize(session, token, hasher.hexdigest(), acting_user, path)


def _reject(
    session: UploadSession, token: str, acting_user: Any, code: str, message: str, *, status: int, sha256: str = ""
) -> UploadError:
    """End an upload for good: its content cannot become evidence. Recorded on the record's stream."""
    with transaction.atomic():
        UploadSession.objects.filter(pk=session.pk, lease_token=token).update(
            status=UploadStatus.FAILED, error=message[:300], touched_at=timezone.now()
        )
        audit(
            kind="evidence.upload_rejected",
            actor=acting_user,
            stream=session.record.stream,
            payload={
                "record": str(session.record.public_id),
                "upload": str(session.public_id),
                "filename": session.filename,
                "code": code,
                "sha256": sha256,
                "declared_sha256": session.declared_sha256,
                "length": session.length,
            },
        )
        path = partial_path(session.public_id)
        transaction.on_commit(lambda: _discard(path))
    _forget(str(session.public_id))
    return UploadError(code, message, status=status)


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _check_type(session: UploadSession, token: str, acting_user: Any, head: bytes, path: Path) -> None:
    if not FILE_TYPES[session.extension].sniff(head):
        raise _reject(
            session,
            token,
            acting_user,
            "bad_content",
            _("文件内容与其类型（.%(ext)s）不符，不能作为音像记录存储。") % {"ext": session.extension},
            status=415,
        )


def _run_all(tasks: list[Callable[[], Any]], on_wait: Callable[[], None]) -> list[Any]:
    """Run tasks in parallel threads (hashing and copying release the GIL), renewing the lease while waiting."""
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        futures: list[Future[Any]] = [pool.submit(task) for task in tasks]
        while True:
            done, pending = wait(futures, timeout=1.0, return_when=FIRST_EXCEPTION)
            if not pending or any(f.exception() is not None for f in done):
                break
            on_wait()
        return [f.result() for f in futures]


def _write_and_verify(
    targets: list[Store], name: str, path: Path, sha256: str, size: int, on_wait: Callable[[], None]
) -> None:
    """Write a copy to each store and re-read each to verify it, in parallel; one more attempt for a bad copy.

    A directory store on the upload area's file system takes the received (fsynced) file as its copy by a hard
    link instead of a second write, and is then verified by re-reading it like any other copy.
    """
    tasks: list[Callable[[], Any]] = []
    for index, store in enumerate(targets):
        if index == 0 and isinstance(store, DirectoryStore) and store.adopt(name, path):
            tasks.append(partial(store.digest, name))
        else:
            tasks.append(partial(store.put_verified, name, path))
    digests = _run_all(tasks, on_wait)
    bad = [store for store, digest in zip(targets, digests, strict=True) if digest != (sha256, size)]
    if bad:
        digests = _run_all([partial(store.put_verified, name, path) for store in bad], on_wait)
        for store, digest in zip(bad, digests, strict=True):
            if digest != (sha256, size):
                raise StoreError(f"copy in store {store.key} does not match after writing")


def _finalize(session: UploadSession, token: str, sha256: str, acting_user: Any, path: Path) -> UploadSession:
    """Check the whole file, store and verify both copies, then register everything in one transaction."""
    size = session.length
    if session.declared_sha256 and session.declared_sha256 != sha256:
        raise _reject(
            session,
            token,
            acting_user,
            "hash_mismatch",
            _("文件的 SHA-256（%(actual)s）与上传前声明的（%(declared)s）不符，文件在传输中可能损坏，请重新上传。")
            % {"actual": sha256, "declared": session.declared_sha256},
            status=460,
            sha256=sha256,
        )
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    _check_type(session, token, acting_user, head, path)
    name = object_name_for(sha256)
    existing = StoredFile.objects.filter(sha256=sha256).first()
    registered = set(existing.copies.values_list("store", flat=True)) if existing else set()
    targets = [store for key, store in stores().items() if key not in registered]
    if targets:
        try:
            _write_and_verify(targets, name, path, sha256, size, lambda: _renew(session, token))
        except StoreError as exc:
            _renew(session, token, status=UploadStatus.RECEIVING)
            raise UploadError(
                "store_unavailable",
                _("存储暂时不可用，文件尚未入库，请稍后重试（已上传的数据会保留）。"),
                status=503,
            ) from exc
    verified_at = timezone.now()
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().select_related("record").get(pk=session.pk)
        if locked.lease_token != token or locked.status != UploadStatus.STORING:
            raise UploadError("lease_lost", _("该上传已被另一个请求接管，请刷新后重试。"), status=409)
        stored = _stored_file(sha256, size, locked.content_type, verified_at)
        copies = []
        have = {copy.store: copy for copy in stored.copies.all()}
        for key, store in stores().items():
            copy = have.get(key) or StoredCopy.objects.create(
                file=stored, store=key, location=store.location[:300], name=name, verified_at=verified_at
            )
            copies.append(copy)
        record = locked.record
        av_file = AVFile.objects.filter(record=record, file=stored).first()
        if av_file is None:
            av_file = AVFile.objects.create(
                record=record,
                file=stored,
                filename=locked.filename,
                uploaded_by=locked.created_by,
                uploaded_at=verified_at,
            )
            audit(
                kind="evidence.stored",
                actor=acting_user,
                stream=stored.stream,
                payload={
                    "sha256": sha256,
                    "size": size,
                    "content_type": stored.content_type,
                    "record": str(record.public_id),
                    "file": str(av_file.public_id),
                    "filename": av_file.filename,
                    "uploaded_by": str(locked.created_by.public_id),
                    "upload": str(locked.public_id),
                    "new_contents": not registered and existing is None,
                    "copies": [
                        {"store": c.store, "location": c.location, "name": c.name, "verified_at": iso(c.verified_at)}
                        for c in copies
                    ],
                },
            )
            deadline = selectors.record_deadline(record)
            if deadline is not None and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
                deadline_complete(deadline=deadline, at=max(verified_at, deadline.started_at), acting_user=acting_user)
        locked.status = UploadStatus.COMPLETED
        locked.offset = size
        locked.result = av_file
        locked.lease_token = ""
        locked.lease_until = None
        locked.touched_at = verified_at
        locked.save(update_fields=["status", "offset", "result", "lease_token", "lease_until", "touched_at"])
        transaction.on_commit(lambda: _discard(path))
    _forget(str(session.public_id))
    return locked


def _stored_file(sha256: str, size: int, content_type: str, at: datetime) -> StoredFile:
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha256, size=size, content_type=content_type, stored_at=at)
    except IntegrityError:  # the same contents registered by a concurrent upload a moment ago
        return StoredFile.objects.get(sha256=sha256)


# --- housekeeping --------------------------------------------------------------------------------------------------


def uploads_tidy(*, now: datetime | None = None) -> dict[str, int]:
    """Finish uploads whose server died while storing them, expire abandoned ones and remove their partial files.

    Idempotent; meant for `sunlight evidence tidy` (cron or `sunlight tick`). Returns counts.
    """
    moment = now or timezone.now()
    counts = {"recovered": 0, "reset": 0, "expired": 0, "removed": 0}
    stuck = UploadSession.objects.filter(status=UploadStatus.STORING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=moment)
    )
    for session in stuck.select_related("record", "created_by"):
        path = partial_path(session.public_id)
        try:
            token = _acquire(session, moment)
        except UploadError:
            continue
        try:
            if path.is_file() and path.stat().st_size == session.length:
                hasher, _size = hash_file(path)
                try:
                    _finalize(session, token, hasher.hexdigest(), None, path)
                    counts["recovered"] += 1
                except UploadError:
                    counts["reset"] += 1
            else:
                _renew(session, token, status=UploadStatus.RECEIVING)
                counts["reset"] += 1
        finally:
            _release(session, token)
    cutoff = moment - timedelta(hours=settings.SUNLIGHT_EVIDENCE_UPLOAD_EXPIRY_HOURS)
    abandoned = UploadSession.objects.filter(
        status__in=[UploadStatus.RECEIVING, UploadStatus.STORING], touched_at__lt=cutoff
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=moment))
    for session in abandoned:
        if UploadSession.objects.filter(pk=session.pk, status=session.status).update(status=UploadStatus.EXPIRED):
            _discard(partial_path(session.public_id))
            counts["expired"] += 1
    live = {
        uuid.UUID(str(pid)).hex
        for pid in UploadSession.objects.filter(status__in=[UploadStatus.RECEIVING, UploadStatus.STORING]).values_list(
            "public_id", flat=True
        )
    }
    grace = time.time() - 3600
    for path in upload_dir().glob("*.part"):
        if path.stem not in live and path.stat().st_mtime < grace:
            _discard(path)
            counts["removed"] += 1
    for store in stores().values():
        if isinstance(store, DirectoryStore):
            for path in store.leftovers(older_than=grace):
                _discard(path)
                counts["removed"] += 1
    return counts
