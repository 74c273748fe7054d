"""Access pages: request, approve, and a record's full trail (ledger entries and access log) as a page and a PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sunlight.core.errors import ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.core.models import LedgerEntry
from sunlight.workbench.views import guarded

from . import selectors, services
from .choices import Action
from .forms import AccessDecisionForm, AccessRequestForm
from .pdf import render_pdf, watermark_text
from .subjects import Subject, subject_get_for_user


@guarded
def overview(request: HttpRequest) -> HttpResponse:
    """My requests and the requests waiting for my decision."""
    return render(
        request,
        "access/overview.html",
        {
            "mine": selectors.my_requests(request.user)[:100],
            "to_decide": selectors.requests_to_decide(request.user),
        },
    )


@guarded
def request_new(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    subject = subject_get_for_user(user=request.user, subject_type=subject_type, subject_id=subject_id)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_file(acting_user=request.user, subject=subject, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("调阅申请已提交，等待负责人审批。"))
            return redirect("access:overview")
    return render(
        request,
        "workbench/form_page.html",
        {
            "form": form,
            "title": _("申请调阅"),
            "subtitle": subject.label,
        },
        status=400 if form.errors else 200,
    )


@guarded
def request_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    found = selectors.request_get(public_id=public_id)
    if found is None or not (services.may_decide(request.user, found) or found.requester_id == request.user.pk):
        raise Http404
    form = AccessDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_decide(acting_user=request.user, request=found, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("审批意见已保存。"))
            return redirect("access:overview")
    return render(
        request,
        "access/decide.html",
        {
            "req": found,
            "form": form,
            "can_decide": services.may_decide(request.user, found),
        },
        status=400 if form.errors else 200,
    )


def _trail_context(request: HttpRequest, subject: Subject) -> dict[str, Any]:
    entries = LedgerEntry.objects.filter(stream=subject.stream).order_by("seq")
    if subject.type == "avrecord":
        from sunlight.evidence.selectors import record_get_for_user, record_ledger

        entries = record_ledger(record_get_for_user(user=request.user, public_id=subject.id))
    return {
        "subject": subject,
        "entries": entries,
        "log": selectors.access_log_for(subject)[:500],
        "requests": selectors.requests_for(subject)[:200],
    }


@guarded
def trail(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    """The full trail of a record: every ledger entry, every request and every access (REC-10, REC-11)."""
    subject = subject_get_for_user(user=request.user, subject_type=subject_type, subject_id=subject_id)
    return render(
        request, "access/trail.html", {**_trail_context(request, subject), "watermark": watermark_text(request.user)}
    )


@guarded
def trail_pdf(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    """The trail as a PDF given out: an export, so it is checked and logged like one, and watermarked."""
    subject = subject_get_for_user(user=request.user, subject_type=subject_type, subject_id=subject_id)
    services.access_use(user=request.user, subject=subject, action=Action.EXPORT, target="trail.pdf")
    pdf = render_pdf("access/trail_pdf.html", _trail_context(request, subject), viewer=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="trail-{subject.type}-{subject.id}.pdf"'
    return response
