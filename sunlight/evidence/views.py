"""Evidence pages in the workbench (REC-6, REC-13): the list, registration, a record with its files, copies,
interruptions, retention flags and audit trail, and file access. Thin: reads through selectors, writes through
services; the resumable upload itself is the tus endpoint (`tus.py`) driven by tus-js-client on the record page."""

from __future__ import annotations

import json
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sunlight.core.errors import NotFound, ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.core.models import Deadline
from sunlight.workbench.selectors import actor_names
from sunlight.workbench.views import guarded

from . import forms as ef
from . import selectors, services
from .choices import LEDGER_KINDS, ArchiveState
from .models import AVFile, RetentionFlag
from .uploads import allowed_extensions


def _page(request: HttpRequest, qs: Any, per_page: int = 30) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@guarded
def record_list(request: HttpRequest) -> HttpResponse:
    """The AV records within the user's scope; sealed (expired) ones only for archive roles, on request."""
    state = request.GET.get("state", "")
    if state not in ArchiveState.values:
        state = ""
    qs = selectors.records_visible_to(request.user, state=state).annotate(
        has_files=Exists(AVFile.objects.filter(record=OuterRef("pk")))
    )
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(
            Q(title__icontains=q) | Q(place__icontains=q) | Q(device_number__icontains=q) | Q(case_number__icontains=q)
        )
    page = _page(request, qs)
    ids = [str(r.public_id) for r in page.object_list]
    deadlines = {
        d.subject_id: d for d in Deadline.objects.filter(subject_type=selectors.DEADLINE_SUBJECT, subject_id__in=ids)
    }
    rows = [
        {"record": r, "deadline": deadlines.get(str(r.public_id)), "state": selectors.archive_state(r)}
        for r in page.object_list
    ]
    return render(
        request,
        "evidence/record_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "state": state,
            "states": ArchiveState.choices,
            "sees_archive": selectors.sees_archive(request.user),
        },
    )


@guarded
def record_create(request: HttpRequest) -> HttpResponse:
    """Register an AV recording; its upload deadline starts (REC-6)."""
    form = ef.AVRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            record = services.av_record_register(acting_user=request.user, **data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("音像记录已登记，请在期限内上传文件。"))
            return redirect("evidence:record_detail", public_id=record.public_id)
    return render(
        request,
        "evidence/record_form.html",
        {"form": form, "title": _("登记音像记录")},
        status=400 if form.errors else 200,
    )


def _ledger_rows(record: Any) -> list[dict[str, Any]]:
    entries = list(selectors.record_ledger(record))
    names = actor_names([e.actor for e in entries])
    rows = []
    for entry in entries:
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        details = {k: v for k, v in payload.items() if k not in ("from", "copies", "interruptions")}
        rows.append(
            {
                "entry": entry,
                "label": str(LEDGER_KINDS.get(entry.kind, entry.kind)),
                "actor": names.get(entry.actor, entry.actor),
                "sha256": payload.get("sha256", ""),
                "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
            }
        )
    return rows


def _detail_context(request: HttpRequest, record: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    files = [{"av": f, "copies": selectors.copy_statuses(f.file)} for f in selectors.record_files(record)]
    flags = list(RetentionFlag.objects.filter(record=record).select_related("set_by", "lift", "lift__lifted_by"))
    may_write = selectors.may_write(user, record)
    return {
        "record": record,
        "state": selectors.archive_state(record),
        "retention_until": selectors.retention_until(record),
        "deadline": selectors.record_deadline(record),
        "files": files,
        "interruptions": record.interruptions.select_related("recorded_by"),
        "flags": flags,
        "ledger": _ledger_rows(record),
        "may_write": may_write,
        "may_flag": selectors.may_flag_retention(user),
        "pending": selectors.uploads_in_progress(user=user, record=record) if may_write else [],
        "interruption_form": forms.get("interruption_form") or ef.InterruptionForm(prefix="int"),
        "flag_form": forms.get("flag_form") or ef.RetentionFlagForm(prefix="flag"),
        "lift_form": ef.RetentionLiftForm(prefix="lift"),
        "upload": {
            "endpoint": reverse("evidence:tus_collection"),
            "chunk": settings.SUNLIGHT_EVIDENCE_CHUNK_BYTES,
            "max": settings.SUNLIGHT_EVIDENCE_MAX_BYTES,
            "accept": ",".join(f".{ext}" for ext in allowed_extensions()),
            "types": "、".join(allowed_extensions()),
        },
    }


@guarded
def record_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One record: metadata, deadline, files with SHA-256 and copies, interruptions, retention, audit trail."""
    record = selectors.record_get_for_user(user=request.user, public_id=public_id)
    return render(request, "evidence/record_detail.html", _detail_context(request, record))


@guarded
@require_POST
def interruption_add(request: HttpRequest, public_id: str) -> HttpResponse:
    record = selectors.record_get_for_user(user=request.user, public_id=public_id)
    form = ef.InterruptionForm(request.POST, prefix="int")
    if form.is_valid():
        try:
            services.interruption_add(acting_user=request.user, record=record, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("中断记录已登记。"))
            return redirect("evidence:record_detail", public_id=record.public_id)
    context = _detail_context(request, record, interruption_form=form)
    return render(request, "evidence/record_detail.html", context, status=400)


@guarded
@require_POST
def retention_flag_add(request: HttpRequest, public_id: str) -> HttpResponse:
    record = selectors.record_get_for_user(user=request.user, public_id=public_id)
    form = ef.RetentionFlagForm(request.POST, prefix="flag")
    if form.is_valid():
        try:
            services.retention_flag_set(acting_user=request.user, record=record, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已设置长期保存。"))
            return redirect("evidence:record_detail", public_id=record.public_id)
    return render(request, "evidence/record_detail.html", _detail_context(request, record, flag_form=form), status=400)


@guarded
@require_POST
def retention_flag_lift(request: HttpRequest, public_id: str, flag_id: str) -> HttpResponse:
    record = selectors.record_get_for_user(user=request.user, public_id=public_id)
    flag = RetentionFlag.objects.filter(record=record, public_id=flag_id).first()
    if flag is None:
        raise NotFound.single("flag", "not_found", _("长期保存标记不存在。"))
    form = ef.RetentionLiftForm(request.POST, prefix="lift")
    if form.is_valid():
        try:
            services.retention_flag_lift(acting_user=request.user, flag=flag, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            if exc.status != 400:
                raise
            for error in exc.errors:
                messages.error(request, error.message)
        else:
            messages.success(request, _("已解除长期保存。"))
    else:
        messages.error(request, _("请填写解除理由。"))
    return redirect("evidence:record_detail", public_id=record.public_id)


def _file_response(request: HttpRequest, public_id: str, sha256: str, *, inline: bool) -> HttpResponse:
    try:
        stream, av_file = services.evidence_file_open(
            acting_user=request.user, record_id=public_id, sha256=sha256, inline=inline
        )
    except ServiceError as exc:
        if exc.status != 503:
            raise
        return render(request, "workbench/error.html", {"title": _("文件暂时无法读取"), "error": exc}, status=503)
    response = FileResponse(
        stream, as_attachment=not inline, filename=av_file.filename, content_type=av_file.file.content_type
    )
    response["Content-Length"] = str(av_file.file.size)
    response["X-Content-SHA256"] = av_file.file.sha256
    return cast(HttpResponse, response)  # a streaming response; `guarded` only passes it through


@guarded
def file_download(request: HttpRequest, public_id: str, sha256: str) -> HttpResponse:
    """Download a file (recorded in the ledger as `evidence.downloaded`)."""
    return _file_response(request, public_id, sha256, inline=False)


@guarded
def file_view(request: HttpRequest, public_id: str, sha256: str) -> HttpResponse:
    """Open a file in the browser (recorded in the ledger as `evidence.viewed`)."""
    return _file_response(request, public_id, sha256, inline=True)
