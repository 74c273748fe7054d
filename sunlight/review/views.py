"""Legal-review pages of the workbench (REV-1..13), mounted at /workbench/review/ (namespace "review").

Thin: reads through the selectors, writes through the services. The submission page previews the package, the
major-decision classification, the pre-checks and the 10-WD rule before anything is written; the review page shows
the package, the pre-checks with their evidence, the history, and the actions the user's role allows in the review's
status. A refused action shows every reason in Chinese next to its form and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sunlight.cases.selectors import case_get_for_user
from sunlight.cases.services import may_handle
from sunlight.core.calendar import level_at
from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.core.models import Deadline, DeadlineStatus
from sunlight.org.choices import Capability, Role
from sunlight.org.models import User
from sunlight.org.scope import can, deny, require_capability
from sunlight.workbench.views import guarded

from . import forms as rf
from . import selectors, services
from .choices import OPEN_STATUSES, Outcome, ReviewStatus
from .documents import (
    draft_rows,
    event_details,
    event_label,
    outcome_label,
    package_rows,
    review_document_open,
    status_label,
)
from .models import Review

# --- who may do what ---------------------------------------------------------------------------------------------


def may_submit(user: Any, case: Any) -> bool:
    """The handling unit's side (officers and heads of the case's agency), as `review_submit` checks it."""
    return may_handle(user, case) and not (user.has_role(Role.LEGAL_REVIEWER) and not user.has_role(Role.OFFICER))


def available_actions(user: Any, review: Review) -> list[str]:
    """The actions the user's roles allow in the review's status (the services check again)."""
    status = review.status
    case = review.case
    reviewer = services.is_reviewer(user, review.agency_id) and not services._conflicted(user, review)
    head = services.is_head(user, review.agency_id)
    handler = may_submit(user, case)
    unit_head = user.unit_id == case.unit_id and user.has_role(Role.UNIT_HEAD)
    wanted = {
        "unit-decide": status == ReviewStatus.UNIT_REVIEW and unit_head,
        "completeness": status in {ReviewStatus.SUBMITTED, ReviewStatus.SUPPLEMENTED} and reviewer,
        "supplement": status == ReviewStatus.INCOMPLETE and handler,
        "pause": status == ReviewStatus.ACCEPTED and reviewer,
        "resume": status == ReviewStatus.PAUSED and reviewer,
        "counsel": status in {ReviewStatus.ACCEPTED, ReviewStatus.PAUSED, ReviewStatus.PANEL} and reviewer,
        "opinion": status in {ReviewStatus.ACCEPTED, ReviewStatus.PANEL, ReviewStatus.COLLECTIVE} and reviewer,
        "panel": status == ReviewStatus.PANEL and reviewer,
        "disagree": (status == ReviewStatus.RETURNED and bool(review.outcome) and handler)
        or (status == ReviewStatus.ACCEPTED and reviewer),
        "extend": status in {ReviewStatus.ACCEPTED, ReviewStatus.PAUSED}
        and head
        and not review.urgent
        and not review.events.filter(kind="extended").exists(),
        "collective": status == ReviewStatus.COLLECTIVE and head,
        "assign": status in OPEN_STATUSES and (reviewer or head) and status != ReviewStatus.UNIT_REVIEW,
    }
    return [name for name in ACTIONS if wanted.get(name)]


# --- the actions ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One action of the review page: its form, the service it calls, its title and its success message."""

    title: Any
    form: type[forms.Form]
    call: Callable[..., Review]
    done: Any
    uploads: bool = False


def _completeness_done(review: Review) -> str:
    if review.status == ReviewStatus.INCOMPLETE:
        return _("已一次性告知补正，列明缺少材料%(n)d项。") % {"n": len(review.missing)}
    if review.status == ReviewStatus.NOT_ACCEPTED:
        return _("补正后材料仍不齐全，不予接收，已记录。")
    return _("材料齐全，已接收审核，审核期限开始计算。")


ACTIONS: dict[str, Action] = {
    "unit-decide": Action(
        gettext_lazy("承办机构负责人初审"),
        rf.UnitDecisionForm,
        services.review_unit_decide,
        gettext_lazy("初审意见已记录。"),
    ),
    "completeness": Action(
        gettext_lazy("审查材料是否齐全"), rf.CompletenessForm, services.review_completeness, _completeness_done
    ),
    "supplement": Action(
        gettext_lazy("补正材料"),
        rf.SupplementForm,
        services.review_supplement,
        gettext_lazy("补正材料已报送。"),
        uploads=True,
    ),
    "opinion": Action(
        gettext_lazy("出具审核意见"),
        rf.OpinionForm,
        services.review_opinion,
        gettext_lazy("审核意见已出具，法制审核意见书已生成。"),
    ),
    "counsel": Action(
        gettext_lazy("法律顾问、公职律师书面意见"),
        rf.CounselForm,
        services.review_counsel_opinion,
        gettext_lazy("书面意见已记录。"),
    ),
    "pause": Action(gettext_lazy("中止计时"), rf.PauseForm, services.review_pause, gettext_lazy("已中止计时。")),
    "resume": Action(gettext_lazy("恢复计时"), rf.ResumeForm, services.review_resume, gettext_lazy("已恢复计时。")),
    "panel": Action(
        gettext_lazy("专家论证意见"), rf.PanelForm, services.review_panel_opinion, gettext_lazy("专家论证意见已记录。")
    ),
    "disagree": Action(
        gettext_lazy("提出分歧意见，提交专家论证"),
        rf.DisagreeForm,
        services.review_disagree,
        gettext_lazy("已提交专家论证。"),
    ),
    "extend": Action(
        gettext_lazy("延长审核期限（2个工作日）"),
        rf.ExtendForm,
        services.review_extend,
        gettext_lazy("审核期限已延长2个工作日。"),
    ),
    "collective": Action(
        gettext_lazy("机关负责人集体讨论决定"),
        rf.CollectiveForm,
        services.review_collective_decide,
        gettext_lazy("集体讨论决定已记录，法制审核意见书已生成。"),
    ),
    "assign": Action(
        gettext_lazy("指派审核人员"), rf.AssignForm, services.review_assign, gettext_lazy("已指派审核人员。")
    ),
}


def _form(name: str, review: Review, data: Any = None, files: Any = None) -> forms.Form:
    spec = ACTIONS[name]
    kwargs: dict[str, Any] = {"prefix": name}
    if spec.form is rf.AssignForm:
        kwargs["reviewers"] = selectors.agency_reviewers(review.agency)
    return spec.form(data, files, **kwargs)


# --- helpers -------------------------------------------------------------------------------------------------------


def _me(request: HttpRequest) -> User:
    """The logged-in user (`guarded` lets only authenticated users through)."""
    return cast(User, request.user)


def _page(request: HttpRequest, qs: Any, per_page: int = 50) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def live_level(deadline: Deadline | None) -> str:
    """The warning colour of a clock now (an open clock's level is computed, not only read from the last tick)."""
    if deadline is None:
        return ""
    if deadline.status == DeadlineStatus.OPEN and deadline.due_at and deadline.yellow_at:
        return str(level_at(now=timezone.now(), yellow=deadline.yellow_at, due=deadline.due_at))
    return str(deadline.level)


def _store_uploads(files: list[Any], user: Any) -> list[dict[str, str]]:
    """Store uploaded files in the two evidence stores (in the caller's transaction) as name and SHA-256."""
    from sunlight.evidence.blobs import blob_store

    out = []
    for upload in files:
        data = b"".join(upload.chunks())
        stored = blob_store(data=data, content_type=upload.content_type or "application/octet-stream", acting_user=user)
        out.append({"name": upload.name, "sha256": stored.sha256})
    return out


def _review_context(request: HttpRequest, review: Review, **bound: forms.Form) -> dict[str, Any]:
    user = _me(request)
    actions = available_actions(user, review)
    clock = selectors.review_clocks_for_display([review]).get(str(review.public_id))
    events = [
        {"e": e, "label": event_label(e.kind), "details": event_details(e)}
        for e in review.events.select_related("actor").order_by("seq")
    ]
    others = [r for r in selectors.case_reviews(user, review.case) if r.pk != review.pk]
    forms_shown = [
        {"name": name, "spec": ACTIONS[name], "form": bound.get(name) or _form(name, review)} for name in actions
    ]
    conflicted = services.is_reviewer(user, review.agency_id) and services._conflicted(user, review)
    return {
        "review": review,
        "case": review.case,
        "status_label": status_label(review.status),
        "outcome_label": outcome_label(review.outcome) if review.outcome else "",
        "package": package_rows(review.package, workflow=review.case.workflow, draft=review.draft),
        "draft": draft_rows(review.draft),
        "prechecks": review.prechecks,
        "flagged": sum(1 for c in review.prechecks if isinstance(c, dict) and not c.get("ok")),
        "events": events,
        "clock": clock,
        "level": live_level(clock),
        "documents": list(selectors.review_documents(review)),
        "actions": forms_shown,
        "others": others,
        "conflicted": conflicted,
        "may_resubmit": review.status in {ReviewStatus.RETURNED, ReviewStatus.NOT_ACCEPTED}
        and may_submit(user, review.case)
        and review.case.status == "open"
        and not any(r.status in OPEN_STATUSES for r in others),
        "approved": review.status == ReviewStatus.APPROVED,
    }


# --- pages ---------------------------------------------------------------------------------------------------------


QUEUE_DEFERRED = ("package", "draft", "prechecks", "major_reasons", "missing", "case__summary")


@guarded
def queue(request: HttpRequest) -> HttpResponse:
    """法制审核: open reviews, the oldest first, with their due dates in colour; "mine" keeps the user's own."""
    user = _me(request)
    form = rf.QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = selectors.review_queue(user, status=filters.get("status") or None, mine=bool(filters.get("mine")))
    qs = qs.defer(*QUEUE_DEFERRED)  # the package, draft and pre-checks are read on the review page only
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(case__number__icontains=q) | Q(case__title__icontains=q))
    page = _page(request, qs)
    reviews = list(page.object_list)
    clocks = selectors.review_clocks_for_display(reviews)
    rows = []
    for review in reviews:
        clock = clocks.get(str(review.public_id))
        rows.append(
            {
                "r": review,
                "status": status_label(review.status),
                "outcome": outcome_label(review.outcome) if review.outcome else "",
                "clock": clock,
                "level": live_level(clock),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "mine": bool(filters.get("mine")),
            "is_reviewer": user.has_role(Role.LEGAL_REVIEWER),
            "may_dashboard": can(user, Capability.VIEW_ROLLUP),
        },
    )


@guarded
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One review: package, pre-checks with evidence, history, clock, opinion documents and the allowed actions."""
    review = selectors.review_get_for_user(user=request.user, public_id=public_id)
    return render(request, "review/detail.html", _review_context(request, review))


@guarded
@require_POST
def act(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """Perform one action; a refusal re-shows the page with the reasons next to the form and changes nothing."""
    user = _me(request)
    review = selectors.review_get_for_user(user=user, public_id=public_id)
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound.single("action", "not_found", _("没有这个审核操作。"))
    form = _form(action, review, request.POST, request.FILES)
    if form.is_valid():
        arguments = form.call()  # type: ignore[attr-defined]
        try:
            if spec.uploads and form.cleaned_data.get("uploads") and may_submit(user, review.case):
                with transaction.atomic():  # the files are registered only with the change that names them
                    uploads = _store_uploads(form.cleaned_data["uploads"], user)
                    done = spec.call(acting_user=user, review=review, uploads=uploads, **arguments)
            else:
                done = spec.call(acting_user=user, review=review, **arguments)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            message = spec.done(done) if callable(spec.done) else spec.done
            messages.success(request, str(message))
            return redirect(reverse("review:detail", args=[review.public_id]) + "#history")
    review = selectors.review_get_for_user(user=user, public_id=public_id)  # as it stands: nothing changed
    context = _review_context(request, review, **{action: form})
    context["failed"] = {
        "title": spec.title,
        "errors": [str(e) for errors in form.errors.values() for e in errors],
    }
    return render(request, "review/detail.html", context, status=400)


@guarded
def submit(request: HttpRequest, case_id: str) -> HttpResponse:
    """The submission of a case with its draft decision (REV-3): the assembled package, whether the case is major
    (voluntary otherwise) and the pre-checks are previewed before anything is written; a submission later than
    10 WD before the case's deadline is warned about (and recorded when submitted)."""
    user = _me(request)
    case = case_get_for_user(user=user, public_id=case_id)
    if not may_submit(user, case):
        raise deny(user, action="review.submit", target=str(case.public_id))
    previous = selectors.case_reviews(user, case).first()
    initial = rf.SubmitForm.initial_from(previous.draft) if previous is not None else {}
    posted = request.method == "POST"
    form = rf.SubmitForm(
        request.POST if posted else None, request.FILES if posted else None, case=case, initial=initial
    )
    draft: dict[str, Any] = dict(previous.draft) if previous is not None else {}
    if posted and form.is_valid():
        draft = form.draft()
        if "submit" in request.POST:
            try:
                uploads_in = form.cleaned_data.get("uploads") or []
                with transaction.atomic():  # the files are registered only with the submission that names them
                    uploads = _store_uploads(uploads_in, user) if uploads_in else []
                    review = services.review_submit(
                        acting_user=user,
                        case=case,
                        draft=draft,
                        urgent=bool(form.cleaned_data.get("urgent")),
                        uploads=uploads,
                    )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已报送法制审核，审核编号 %(n)s。") % {"n": review.number})
                return redirect("review:detail", public_id=review.public_id)
    preview = selectors.submission_preview(case=case, draft={k: v for k, v in draft.items() if k != "benchmark_check"})
    open_review = selectors.case_reviews(user, case).filter(status__in=OPEN_STATUSES).first()
    return render(
        request,
        "review/submit.html",
        {
            "case": case,
            "form": form,
            "preview": preview,
            "package": package_rows(preview.package, workflow=case.workflow, draft=preview.draft),
            "draft_rows": draft_rows(preview.draft),
            "flagged": sum(1 for c in preview.prechecks if not c.get("ok")),
            "previous": previous,
            "previous_outcome": outcome_label(previous.outcome) if previous is not None and previous.outcome else "",
            "previous_reasons": _last_reasons(previous),
            "open_review": open_review,
            "deadline_level": live_level(preview.case_deadline),
        },
        status=400 if posted and form.errors else 200,
    )


def _last_reasons(review: Review | None) -> str:
    if review is None:
        return ""
    event = review.events.filter(kind__in=["opinion", "collective_decision", "unit_returned"]).order_by("-seq").first()
    return str(event.data.get("reasons", "")) if event is not None else ""


@guarded
def dashboard(request: HttpRequest) -> HttpResponse:
    """The legal department's dashboard: workload per reviewer, due dates by colour, average time, outcomes, and the
    staffing monitor (REV-11)."""
    from sunlight.org.selectors import agencies_visible_to

    user = _me(request)
    require_capability(user, Capability.VIEW_ROLLUP, target="review.dashboard")
    board = selectors.dashboard(user)
    counts, flagged = selectors.review_levels(user)
    rows = selectors.staffing(agencies_visible_to(user).order_by("name"))
    return render(
        request,
        "review/dashboard.html",
        {
            "board": board,
            "outcomes": [
                {"code": code, "label": outcome_label(code), "n": board.by_outcome.get(code, 0)}
                for code in Outcome.values
            ],
            "levels": [
                {"level": level, "label": label, "n": counts.get(level, 0)}
                for level, label in (("green", _("正常")), ("yellow", _("黄色预警")), ("red", _("红色预警")))
            ],
            "staffing": rows,
            "short": [row for row in rows if row.short],
            "urgent": [{"r": review, "clock": clock, "level": level} for review, clock, level in flagged],
        },
    )


@guarded
def document_download(request: HttpRequest, public_id: str, document_id: str, fmt: str) -> HttpResponse:
    """The DOCX or PDF of a review opinion document (the use is logged, REC-11)."""
    review = selectors.review_get_for_user(user=request.user, public_id=public_id)
    document = selectors.review_documents(review).filter(public_id=document_id).first()
    if document is None:
        raise NotFound.single("document", "not_found", _("文书不存在。"))
    try:
        stream, filename, content_type = review_document_open(
            user=request.user, review=review, document=document, fmt=fmt
        )
    except ServiceError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        return render(
            request, "workbench/error.html", {"title": _("文书暂时无法下载"), "error": exc}, status=exc.status
        )
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    return cast(HttpResponse, response)
