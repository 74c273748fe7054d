"""Workbench screens of ex-post publication (login; scoped to the user's agencies): the queue with its deadlines,
the side-by-side confirmation, withdrawal and update, correction requests (PUB-4..PUB-8)."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.workbench.views import guarded

from . import selectors, services
from .choices import EVIDENCE_TYPES, FIELD_NAMES, CorrectionOutcome, PublicationStatus
from .forms import ConfirmForm, CorrectionDecideForm, UpdateForm, WithdrawForm
from .permissions import can_publish


def _errors_on(form: forms.Form, error: ServiceError) -> None:
    """A service's errors on the form: on the visible field they name, otherwise at the top of the form."""
    if isinstance(error, Forbidden | NotFound):
        raise error
    visible = {field.name for field in form.visible_fields()}
    for item in error.errors:
        form.add_error(item.field if item.field in visible else None, item.message)


@guarded
def queue(request: HttpRequest) -> HttpResponse:
    """The publication queue: drafts by due time with their warning colour; the other states behind tabs."""
    status = request.GET.get("status") or PublicationStatus.DRAFT
    if status not in PublicationStatus.values:
        status = PublicationStatus.DRAFT
    page = Paginator(selectors.queue(request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/staff/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": PublicationStatus.choices,
            "counts": selectors.queue_counts(request.user),
            "revocations": selectors.open_revocations(request.user),
            "open_corrections": selectors.corrections_for_user(request.user, open_only=True).count(),
        },
    )


@guarded
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A publication's record: versions with their hashes, revocations, withdrawals, correction requests."""
    publication = selectors.publication_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "publicity/staff/detail.html",
        {
            "p": publication,
            "versions": selectors.public_history(publication),
            "revocations": publication.revocations.select_related("deadline").order_by("requested_at"),
            "withdrawals": publication.withdrawals.order_by("withdrawn_at"),
            "corrections": publication.corrections.select_related("deadline", "decision").order_by("-received_at"),
            "can_publish": can_publish(request.user, publication.agency),
            "current_fields": selectors.public_fields(publication.current_version)
            if publication.current_version
            else [],
        },
    )


@guarded
def confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    """The side-by-side confirmation: original and automatic redaction with every change marked; the confirmer may
    edit the text; publishing re-checks it for personal data (PUB-5)."""
    publication = selectors.publication_get_for_user(user=request.user, public_id=public_id)
    if publication.status != PublicationStatus.DRAFT:
        messages.info(request, _("该公示已不是待确认状态。"))
        return redirect("publicity:detail", public_id=publication.public_id)
    rows = selectors.comparison(publication)
    token = services.review_token_of(publication)
    form = ConfirmForm(
        request.POST or None,
        texts={row.name: row.proposed for row in rows},
        initial={"review_token": token},
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publication_confirm(
                publication=publication,
                review_token=form.cleaned_data["review_token"],
                fields=form.texts(),
                consent_full=form.cleaned_data["consent_full"],
                consent_note=form.cleaned_data["consent_note"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("已确认并公示（第%(n)d版），公众现在即可查询。") % {"n": version.number})
            return redirect("publicity:detail", public_id=publication.public_id)
    return render(
        request,
        "publicity/staff/confirm.html",
        {
            "p": publication,
            "rows": rows,
            "form": form,
            "can_publish": can_publish(request.user, publication.agency),
        },
        status=400 if form.errors else 200,
    )


@guarded
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    """Withdraw a publication with a public explanation (PUB-6)."""
    publication = selectors.publication_get_for_user(user=request.user, public_id=public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_withdraw(
                publication=publication,
                explanation=form.cleaned_data["explanation"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("已撤回，公示页面现显示撤回说明。"))
            return redirect("publicity:detail", public_id=publication.public_id)
    return render(
        request,
        "publicity/staff/form_page.html",
        {"p": publication, "form": form, "title": _("撤回公示"), "button": _("撤回")},
        status=400 if form.errors else 200,
    )


@guarded
def update(request: HttpRequest, public_id: str) -> HttpResponse:
    """Publish a changed text with a public explanation (PUB-6): a new version."""
    publication = selectors.publication_get_for_user(user=request.user, public_id=public_id)
    current = publication.current_version
    if publication.status != PublicationStatus.PUBLISHED or current is None:
        messages.info(request, _("只有公示中的信息可以更新。"))
        return redirect("publicity:detail", public_id=publication.public_id)
    form = UpdateForm(request.POST or None, texts={name: current.field(name) for name in FIELD_NAMES})
    form.fields.pop("review_token")
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publication_update(
                publication=publication,
                fields=form.texts(),
                explanation=form.cleaned_data["explanation"],
                consent_full=form.cleaned_data["consent_full"],
                consent_note=form.cleaned_data["consent_note"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("已更新为第%(n)d版。") % {"n": version.number})
            return redirect("publicity:detail", public_id=publication.public_id)
    return render(
        request,
        "publicity/staff/form_page.html",
        {"p": publication, "form": form, "title": _("更新公示内容"), "button": _("发布更新")},
        status=400 if form.errors else 200,
    )


@guarded
def corrections(request: HttpRequest) -> HttpResponse:
    """Correction requests from the public, undecided ones first by due time."""
    open_only = request.GET.get("all") != "1"
    page = Paginator(selectors.corrections_for_user(request.user, open_only=open_only), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "publicity/staff/corrections.html", {"page": page, "open_only": open_only})


@guarded
def correction_handle(request: HttpRequest, public_id: str) -> HttpResponse:
    """One correction request: the request and its evidence, the entry as published, the answer with reasons."""
    correction = selectors.correction_get_for_user(user=request.user, public_id=public_id)
    publication = correction.publication
    current = publication.current_version
    decision = getattr(correction, "decision", None)
    texts = {name: current.field(name) for name in FIELD_NAMES} if current else {}
    form = CorrectionDecideForm(request.POST or None, texts=texts)
    if request.method == "POST" and decision is None and form.is_valid():
        upheld = form.cleaned_data["outcome"] == CorrectionOutcome.UPHELD
        try:
            services.correction_decide(
                correction=correction,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                fields=form.texts() if upheld else None,
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("纠错申请已处理。"))
            return redirect("publicity:correction_handle", public_id=correction.public_id)
    return render(
        request,
        "publicity/staff/correction.html",
        {
            "c": correction,
            "p": publication,
            "decision": decision,
            "evidence": correction.evidence.select_related("file"),
            "form": form,
            "can_publish": can_publish(request.user, publication.agency),
        },
        status=400 if form.errors else 200,
    )


@guarded
def correction_evidence(request: HttpRequest, public_id: str, sha256: str) -> HttpResponse:
    """A file sent with a correction request (at most 10 MB), from the first readable copy; the reading is in the
    ledger."""
    from sunlight.evidence.storage import StoreError, stores

    correction = selectors.correction_get_for_user(user=request.user, public_id=public_id)
    item = correction.evidence.select_related("file").filter(file__sha256=sha256).first()
    if item is None:
        raise NotFound.single("file", "not_found", _("文件不存在。"))
    content: bytes | None = None
    for copy in item.file.copies.order_by("store"):
        store = stores().get(copy.store)
        if store is None:
            continue
        try:
            stream = store.open(copy.name)
            try:
                content = stream.read()
            finally:
                stream.close()
        except (StoreError, OSError):
            continue
        if hashlib.sha256(content).hexdigest() == sha256:
            break
        content = None
    if content is None:
        raise NotFound.single("file", "unavailable", _("两个存储副本均无法读取，请联系系统管理员。"))
    with transaction.atomic():
        audit(
            kind="publicity.correction_evidence_viewed",
            actor=request.user,
            stream=correction.stream,
            payload={"correction": str(correction.public_id), "sha256": sha256},
        )
    extension = item.filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=EVIDENCE_TYPES.get(extension, "application/octet-stream"))
    response["Content-Disposition"] = f'inline; filename="{sha256[:16]}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
