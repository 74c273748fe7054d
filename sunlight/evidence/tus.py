"""The tus 1.0.0 resumable-upload endpoint for evidence files (REC-6): core protocol plus the creation, checksum
(sha256) and expiration extensions. No termination extension: nothing is ever deleted.

    OPTIONS /workbench/evidence/tus/         capabilities
    POST    /workbench/evidence/tus/         create (Upload-Length, Upload-Metadata: record, filename, filetype, sha256)
    HEAD    /workbench/evidence/tus/<id>     offset to resume from
    PATCH   /workbench/evidence/tus/<id>     append (Content-Type: application/offset+octet-stream, Upload-Offset,
                                             optional Upload-Checksum: sha256 <base64>)

Authentication is the staff session; PATCH and POST carry the CSRF token in the X-CSRFToken header like every other
unsafe request. Errors answer with the tus status (409 offset, 413 too large, 415 type, 460 checksum, 410 gone,
423 busy) and a plain-text body in Chinese; the header `Sunlight-Error` repeats the error code. The request body is
read from the stream block by block; Django never loads it (the views never touch request.body or request.POST).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sunlight.core.errors import ServiceError

from . import uploads
from .models import UploadSession

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,expiration"
OFFSET_TYPE = "application/offset+octet-stream"


def _text(status: int, message: str, code: str = "") -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    if code:
        response["Sunlight-Error"] = code
    return response


def _tus(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Common protocol handling: version check, session authentication, errors as tus responses."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = _options()
        elif request.headers.get("Tus-Resumable") != TUS_VERSION:
            response = _text(412, _("不支持的 tus 协议版本，请使用 1.0.0。"), "unsupported_version")
            response["Tus-Version"] = TUS_VERSION
        elif not request.user.is_authenticated:
            response = _text(401, _("请先登录。"), "unauthenticated")
        else:
            try:
                response = view(request, *args, **kwargs)
            except uploads.UploadError as exc:
                response = _text(exc.status, exc.message, exc.code)
            except ServiceError as exc:
                first = exc.errors[0] if exc.errors else None
                message = "；".join(e.message for e in exc.errors)
                response = _text(exc.status, message, first.code if first else "")
        response["Tus-Resumable"] = TUS_VERSION
        return response

    return never_cache(wrapper)


def _options() -> HttpResponse:
    from django.conf import settings

    response = HttpResponse(status=204)
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = EXTENSIONS
    response["Tus-Max-Size"] = str(settings.SUNLIGHT_EVIDENCE_MAX_BYTES)
    response["Tus-Checksum-Algorithm"] = "sha256"
    return response


def parse_metadata(header: str) -> dict[str, str]:
    """`Upload-Metadata`: comma-separated `key base64(value)` pairs (a key may stand alone)."""
    result: dict[str, str] = {}
    for item in header.split(","):
        item = item.strip()
        if not item:
            continue
        key, _sep, value = item.partition(" ")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value.strip() else ""
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise uploads.UploadError(
                "bad_metadata", _("Upload-Metadata 格式不正确（值应为 Base64 编码的 UTF-8）。")
            ) from exc
    return result


def _int_header(request: HttpRequest, name: str) -> int | None:
    raw = request.headers.get(name)
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


def _upload_headers(response: HttpResponse, session: UploadSession) -> HttpResponse:
    response["Upload-Offset"] = str(session.offset)
    response["Upload-Length"] = str(session.length)
    response["Upload-Expires"] = http_date(uploads.expires_at(session).timestamp())
    if session.result_id is not None and session.result is not None:
        response["Sunlight-Evidence-Sha256"] = session.result.file.sha256
        response["Sunlight-Record"] = reverse("evidence:record_detail", args=[session.record.public_id])
    return response


@_tus
def collection(request: HttpRequest) -> HttpResponse:
    """POST: create an upload (tus creation extension)."""
    if request.method != "POST":
        response = _text(405, _("不支持该请求方法。"), "method_not_allowed")
        response["Allow"] = "OPTIONS, POST"
        return response
    if request.headers.get("Upload-Defer-Length"):
        raise uploads.UploadError("defer_length", _("上传前须声明文件大小（不支持 Upload-Defer-Length）。"))
    if request.content_type == OFFSET_TYPE and (request.headers.get("Content-Length") or "0") != "0":
        raise uploads.UploadError(
            "body_not_allowed", _("创建上传时请求体应为空（不支持 creation-with-upload），数据请用 PATCH 发送。")
        )
    meta_header = request.headers.get("Upload-Metadata", "")
    meta = parse_metadata(meta_header)
    if not meta.get("record"):
        raise uploads.UploadError(
            "record_required", _("请在 Upload-Metadata 中指明音像记录（record）。"), field="record"
        )
    session = uploads.upload_create(
        acting_user=request.user,
        record_id=meta["record"],
        length=_int_header(request, "Upload-Length"),
        filename=meta.get("filename") or meta.get("name", ""),
        content_type=meta.get("filetype") or meta.get("type", ""),
        declared_sha256=meta.get("sha256", ""),
        metadata=meta_header,
    )
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(reverse("evidence:tus_upload", args=[session.public_id]))
    return _upload_headers(response, session)


@_tus
def upload(request: HttpRequest, upload_id: str) -> HttpResponse:
    """HEAD: where to resume. PATCH: append bytes. DELETE is refused: there is no termination."""
    from . import selectors

    if request.method == "HEAD":
        session = selectors.upload_get_for_user(user=request.user, public_id=upload_id)
        uploads.check_usable(session, timezone.now())
        response = HttpResponse(status=200)
        response["Upload-Metadata"] = session.metadata
        return _upload_headers(response, session)
    if request.method != "PATCH":
        response = _text(405, _("不支持该请求方法（证据文件不可删除）。"), "method_not_allowed")
        response["Allow"] = "OPTIONS, HEAD, PATCH"
        return response
    if request.content_type != OFFSET_TYPE:
        return _text(415, _("PATCH 请求的 Content-Type 应为 application/offset+octet-stream。"), "bad_content_type")
    offset = _int_header(request, "Upload-Offset")
    if offset is None:
        raise uploads.UploadError("offset_required", _("PATCH 请求须带 Upload-Offset。"))
    session = uploads.upload_receive(
        acting_user=request.user,
        upload_id=upload_id,
        offset=offset,
        body=request,
        content_length=_int_header(request, "Content-Length"),
        checksum=request.headers.get("Upload-Checksum", ""),
    )
    return _upload_headers(HttpResponse(status=204), session)
