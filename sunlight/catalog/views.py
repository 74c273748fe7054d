"""Workbench pages of the power catalog (thin: reads through selectors, writes through services)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sunlight.core.errors import ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.core.models import Deadline
from sunlight.org.choices import ActionType
from sunlight.workbench.views import guarded

from . import excel, forms, permissions, selectors, services
from .choices import CatalogKind, Circumstance, VersionStatus
from .flowchart import render_svg
from .models import BenchmarkReview
from .rules import describe_penalty
from .versioning import (
    content_of,
    current_version,
    current_versions,
    latest_version,
    levels_of,
    meta_of,
    open_version,
    scheduled_versions,
    spec_for,
    version_title,
)
from .workflows import WORKFLOWS, workflows_for

KIND_SLUGS = {
    "items": CatalogKind.ITEM,
    "benchmarks": CatalogKind.BENCHMARK,
    "major-rules": CatalogKind.MAJOR_RULE,
    "inspections": CatalogKind.INSPECTION,
    "av-items": CatalogKind.AV,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _titles() -> dict[str, str]:
    return {
        CatalogKind.ITEM: _("执法事项清单"),
        CatalogKind.BENCHMARK: _("行政处罚裁量基准"),
        CatalogKind.MAJOR_RULE: _("重大执法决定法制审核目录"),
        CatalogKind.INSPECTION: _("随机抽查事项清单"),
        CatalogKind.AV: _("音像记录事项清单"),
    }


def _agency(request: HttpRequest) -> Any:
    return selectors.agency_for_user(user=request.user, public_id=request.GET.get("agency") or None)


def _base(request: HttpRequest, agency: Any, **extra: Any) -> dict[str, Any]:
    """Context every catalog page shares: the agency, the switcher, what the user may do."""
    user = request.user
    return {
        "agency": agency,
        "agencies": selectors.catalog_agencies(user),
        "today": timezone.localdate(),
        "titles": _titles(),
        "can_review": permissions.can_review(user, agency),
        "can_edit_laws": permissions.can_edit_laws(user),
        "editable": {k: permissions.can_edit(user, k, agency) for k in CatalogKind.values},
        "slugs": {kind: slug for slug, kind in KIND_SLUGS.items()},
        "action_types": ActionType.choices,
        **extra,
    }


def _url(name: str, *args: Any, agency: Any = None) -> str:
    url = reverse(f"catalog:{name}", args=args)
    return f"{url}?agency={agency.public_id}" if agency is not None else url


# --- overview -----------------------------------------------------------------------------------------------------


@guarded
def index(request: HttpRequest) -> HttpResponse:
    """The agency's catalogs at a glance: what is in force, waiting for review, flagged, scheduled."""
    agency = _agency(request)
    today = timezone.localdate()
    counts = {k: current_versions(k, on=today, agency=agency).count() for k in CatalogKind.values}
    review_deadlines = Deadline.objects.filter(
        subject_type=services.BENCHMARK_REVIEW_SUBJECT, agency=agency, status__in=["open", "paused"]
    )
    return render(
        request,
        "catalog/index.html",
        _base(
            request,
            agency,
            counts=counts,
            pending=[
                (kind, v, version_title(kind, v))
                for kind, v in selectors.pending_versions_for_user(request.user, agency=agency)
            ],
            flags=selectors.flags_for_user(request.user, agency=agency)[:50],
            scheduled=[
                (kind, v, version_title(kind, v)) for kind, v in selectors.scheduled_changes(agency=agency, on=today)
            ],
            review_deadlines=review_deadlines,
            reviews=BenchmarkReview.objects.filter(agency=agency)[:5],
            section="index",
        ),
    )


# --- laws ---------------------------------------------------------------------------------------------------------


@guarded
def law_list(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    qs = selectors.laws()
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(title__icontains=q)
    return render(request, "catalog/law_list.html", _base(request, agency, laws=qs, q=q, section="laws"))


@guarded
def law_create(request: HttpRequest) -> HttpResponse:
    permissions.require_law_edit(request.user, target="law")
    agency = _agency(request)
    form = forms.LawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            law = services.law_create(acting_user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("法律法规已录入。"))
            return redirect("catalog:law_detail", law.public_id)
    return _form_page(request, agency, form, _("录入法律法规"))


def _form_page(
    request: HttpRequest, agency: Any, form: Any, title: str, subtitle: str = "", **extra: Any
) -> HttpResponse:
    return render(
        request,
        "catalog/form_page.html",
        _base(request, agency, form=form, title=title, subtitle=subtitle, **extra),
        status=400 if form.errors else 200,
    )


@guarded
def law_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    agency = _agency(request)
    law = selectors.law_get(public_id=public_id)
    today = timezone.localdate()
    articles = []
    for article in law.articles.prefetch_related("texts"):
        texts = sorted(article.texts.all(), key=lambda t: (t.effective_from, t.id))
        current = next((t for t in reversed(texts) if t.effective_from <= today), None)
        articles.append({"article": article, "current": current, "history": texts})
    return render(
        request,
        "catalog/law_detail.html",
        _base(
            request,
            agency,
            law=law,
            articles=articles,
            amendments=law.amendments.all(),
            repealed_on=law.repealed_on(),
            citing=[(k, v, version_title(k, v)) for k, v in selectors.citing_versions(law, on=today)],
            section="laws",
        ),
    )


@guarded
def law_amend(request: HttpRequest, public_id: str) -> HttpResponse:
    permissions.require_law_edit(request.user, target=public_id)
    agency = _agency(request)
    law = selectors.law_get(public_id=public_id)
    form = forms.AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.law_amend(acting_user=request.user, law=law, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("修改已录入；引用相关条款的目录事项已标记为待更新（20个工作日内）。"))
            return redirect("catalog:law_detail", law.public_id)
    return _form_page(request, agency, form, _("录入法律法规修改"), str(law))


@guarded
def law_articles_add(request: HttpRequest, public_id: str) -> HttpResponse:
    permissions.require_law_edit(request.user, target=public_id)
    agency = _agency(request)
    law = selectors.law_get(public_id=public_id)
    form = forms.ArticlesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.law_articles_add(acting_user=request.user, law=law, articles=form.cleaned_data["articles"])
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("条文已补录。"))
            return redirect("catalog:law_detail", law.public_id)
    return _form_page(request, agency, form, _("补录条文"), str(law))


# --- entries ------------------------------------------------------------------------------------------------------


def _kind(slug: str) -> str:
    if slug not in KIND_SLUGS:
        raise Http404
    return KIND_SLUGS[slug]


def _rows(kind: str, agency: Any, entries: Any) -> list[dict[str, Any]]:
    """For each entry: its version in force, its open version, and the version to show."""
    today = timezone.localdate()
    model = spec_for(kind).version_model
    current = {v.entry_id: v for v in current_versions(kind, on=today, agency=agency, include_abolished=True)}
    pending = {
        v.entry_id: v
        for v in model.objects.filter(entry__agency=agency, status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])
    }
    upcoming = {v.entry_id: v for v in scheduled_versions(kind, on=today, agency=agency)}
    rows = []
    for entry in entries:
        shown = current.get(entry.pk) or upcoming.get(entry.pk) or pending.get(entry.pk) or latest_version(kind, entry)
        if shown is None:
            continue
        rows.append(
            {
                "entry": entry,
                "current": current.get(entry.pk),
                "pending": pending.get(entry.pk),
                "upcoming": upcoming.get(entry.pk),
                "shown": shown,
                "title": version_title(kind, shown),
            }
        )
    return rows


@guarded
def entry_list(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = _kind(kind_slug)
    agency = _agency(request)
    entries = selectors.entries_for_user(request.user, kind, agency=agency)
    action_type = request.GET.get("action_type", "")
    if kind == CatalogKind.ITEM and action_type:
        entries = entries.filter(action_type=action_type)
    rows = _rows(kind, agency, entries)
    if q := request.GET.get("q", "").strip():
        rows = [r for r in rows if q in r["title"] or q in r["entry"].code]
    extra: dict[str, Any] = {}
    if kind == CatalogKind.AV:
        extra["matrix"] = _av_matrix(agency)
    return render(
        request,
        "catalog/entry_list.html",
        _base(
            request,
            agency,
            kind=kind,
            slug=kind_slug,
            title=_titles()[kind],
            rows=rows,
            q=q,
            action_type=action_type,
            can_edit=permissions.can_edit(request.user, kind, agency),
            section=kind,
            **extra,
        ),
    )


def _av_matrix(agency: Any) -> list[dict[str, Any]]:
    """What the system enforces for every step of every procedure: the legal floor joined with the agency's list."""
    today = timezone.localdate()
    matrix = []
    for workflow in WORKFLOWS.values():
        steps = []
        for step in workflow.steps:
            codes = [step.code] + [f"{step.code}.{v.code}" for v in step.variants]
            for code in codes:
                requirement = selectors.av_requirement(
                    agency=agency, action_type=workflow.action_type, step=code, on=today
                )
                if requirement:
                    name = (
                        step.name
                        if code == step.code
                        else f"{step.name}（{next(v.name for v in step.variants if code.endswith('.' + v.code))}）"
                    )
                    steps.append({"code": code, "name": name, "requirement": requirement})
        matrix.append({"workflow": workflow, "steps": steps})
    return matrix


def _form_class(kind: str) -> Any:
    return forms.FORMS[kind]


def _handle_entry_form(
    request: HttpRequest, kind: str, agency: Any, *, entry: Any = None, initial: dict[str, Any] | None = None
) -> tuple[Any, Any, Any]:
    """Build the form (and the benchmark formset), run the service on a valid POST; returns (form, formset, version)."""
    form_class = _form_class(kind)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, agency=agency, creating=entry is None, initial=initial or {})
    formset = None
    if kind == CatalogKind.BENCHMARK:
        rows = []
        for level in (initial or {}).get("_levels", []):
            rows += [forms.PenaltyRowForm.initial_from(level.circumstance, p) for p in level.penalties]
        formset = forms.PenaltyFormSet(data, prefix="penalty", initial=rows)
    if data is None or not form.is_valid() or (formset is not None and not formset.is_valid()):
        return form, formset, None
    content = form.to_content()
    if formset is not None:
        content["levels"] = forms.benchmark_levels(form, formset)
    try:
        if entry is None:
            version = services.entry_create(
                acting_user=request.user,
                kind=kind,
                agency=agency,
                code=form.cleaned_data["code"],
                identity=form.identity(),
                content=content,
                meta=form.meta(),
            )
        else:
            version = services.version_draft(
                acting_user=request.user, kind=kind, entry=entry, content=content, meta=form.meta()
            )
    except ServiceError as exc:
        if exc.status != 400:
            raise
        for item in exc.errors:
            field = forms.ERROR_FIELDS.get(item.field, item.field)
            form.add_error(field if field in form.fields else None, item.message)
        return form, formset, None
    return form, formset, version


@guarded
def entry_create(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = _kind(kind_slug)
    agency = _agency(request)
    permissions.require_edit(request.user, kind, agency)
    form, formset, version = _handle_entry_form(request, kind, agency)
    if version is not None:
        messages.success(request, _("已保存为草稿（第%(n)d版），请提交法制审核。") % {"n": version.number})
        return redirect(_url("entry_detail", kind_slug, version.entry.public_id, agency=agency))
    return _entry_form_page(request, agency, kind, form, formset, _("新增：%(t)s") % {"t": _titles()[kind]})


def _entry_form_page(
    request: HttpRequest, agency: Any, kind: str, form: Any, formset: Any, title: str, subtitle: str = ""
) -> HttpResponse:
    return render(
        request,
        "catalog/entry_form.html",
        _base(request, agency, kind=kind, form=form, formset=formset, title=title, subtitle=subtitle, section=kind),
        status=400 if (form.errors or (formset is not None and formset.total_error_count())) else 200,
    )


@guarded
def entry_revise(request: HttpRequest, kind_slug: str, public_id: str) -> HttpResponse:
    kind = _kind(kind_slug)
    entry = selectors.entry_get_for_user(user=request.user, kind=kind, public_id=public_id)
    agency = entry.agency
    permissions.require_edit(request.user, kind, agency, target=str(entry.public_id))
    base = open_version(kind, entry) or latest_version(kind, entry)
    content = content_of(kind, base)
    meta = meta_of(base)
    if base.status != VersionStatus.DRAFT:
        meta = {"effective_from": None, "change_note": "", "short_notice_reason": ""}
    initial = _form_class(kind).initial_from(content, meta)
    if kind == CatalogKind.BENCHMARK:
        initial["_levels"] = content.get("levels") or []
    form, formset, version = _handle_entry_form(request, kind, agency, entry=entry, initial=initial)
    if version is not None:
        messages.success(request, _("已保存为草稿（第%(n)d版），请提交法制审核。") % {"n": version.number})
        return redirect(_url("entry_detail", kind_slug, entry.public_id))
    return _entry_form_page(
        request,
        agency,
        kind,
        form,
        formset,
        _("修改：%(code)s %(t)s") % {"code": entry.code, "t": version_title(kind, base)},
        _("修改将生成新版本，经法制审核发布后按生效日期施行；已发布的版本保持不变。"),
    )


@guarded
def entry_abolish(request: HttpRequest, kind_slug: str, public_id: str) -> HttpResponse:
    kind = _kind(kind_slug)
    entry = selectors.entry_get_for_user(user=request.user, kind=kind, public_id=public_id)
    permissions.require_edit(request.user, kind, entry.agency, target=str(entry.public_id))
    form = forms.AbolishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        base = latest_version(kind, entry)
        try:
            services.version_draft(
                acting_user=request.user,
                kind=kind,
                entry=entry,
                content=content_of(kind, base),
                meta={**form.cleaned_data, "abolished": True},
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已生成取消该事项的草稿，请提交法制审核。"))
            return redirect(_url("entry_detail", kind_slug, entry.public_id))
    return _form_page(request, entry.agency, form, _("取消事项"), f"{entry.code}")


def _content_context(kind: str, version: Any) -> dict[str, Any]:
    """What the content partial of a kind needs."""
    context: dict[str, Any] = {"v": version, "kind": kind}
    if version is None:
        return context
    if kind == CatalogKind.BENCHMARK:
        context["levels"] = [
            {
                "level": level,
                "label": Circumstance(level.circumstance).label,
                "penalties": [describe_penalty(p) for p in level.penalties],
            }
            for level in levels_of(version)
        ]
    if kind == CatalogKind.AV:
        context["title"] = version_title(kind, version)
    return context


@guarded
def entry_detail(request: HttpRequest, kind_slug: str, public_id: str) -> HttpResponse:
    kind = _kind(kind_slug)
    entry = selectors.entry_get_for_user(user=request.user, kind=kind, public_id=public_id)
    agency = entry.agency
    today = timezone.localdate()
    versions = list(selectors.versions_of(kind, entry))
    current = current_version(kind, entry, on=today)
    pending = open_version(kind, entry)
    upcoming = [v for v in scheduled_versions(kind, on=today, agency=agency).filter(entry=entry)]
    shown = current or (upcoming[0] if upcoming else None) or pending or (versions[0] if versions else None)
    extra: dict[str, Any] = {}
    if kind == CatalogKind.ITEM:
        extra["flowcharts"] = [(wf, mark_safe(render_svg(wf))) for wf in workflows_for(entry.action_type)]  # noqa: S308
        extra["benchmarks"] = entry.benchmarks.all()
    if kind == CatalogKind.BENCHMARK:
        extra["check_form"] = forms.BenchmarkCheckForm()
    return render(
        request,
        "catalog/entry_detail.html",
        _base(
            request,
            agency,
            kind=kind,
            slug=kind_slug,
            entry=entry,
            title=version_title(kind, shown) if shown else entry.code,
            versions=versions,
            current=current,
            pending=pending,
            upcoming=upcoming,
            shown=shown,
            content=_content_context(kind, shown),
            pending_content=_content_context(kind, pending) if pending and pending != shown else None,
            can_edit=permissions.can_edit(request.user, kind, agency),
            section=kind,
            note_form=forms.NoteForm(),
            flags=selectors.flags_for_user(request.user, agency=agency, status=None).filter(
                entry_kind=kind, entry_public_id=entry.public_id
            ),
            **extra,
        ),
    )


@guarded
def version_detail(request: HttpRequest, kind_slug: str, public_id: str) -> HttpResponse:
    kind = _kind(kind_slug)
    version = selectors.version_get_for_user(user=request.user, kind=kind, public_id=public_id)
    return render(
        request,
        "catalog/version_detail.html",
        _base(
            request,
            version.entry.agency,
            kind=kind,
            slug=kind_slug,
            entry=version.entry,
            version=version,
            title=version_title(kind, version),
            content=_content_context(kind, version),
            section=kind,
        ),
    )


@guarded
@require_POST
def version_action(request: HttpRequest, kind_slug: str, public_id: str, operation: str) -> HttpResponse:
    kind = _kind(kind_slug)
    version = selectors.version_get_for_user(user=request.user, kind=kind, public_id=public_id)
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.version_transition(
            acting_user=request.user,
            version=version,
            operation=operation,
            note=note,
            confidentiality_checked=request.POST.get("confidentiality_checked") == "on",
        )
    except ServiceError as exc:
        if exc.status != 400:
            raise
        for error in exc.errors:
            messages.error(request, error.message)
    else:
        messages.success(
            request,
            {
                "submit": _("第%(n)d版已提交法制审核。"),
                "return": _("第%(n)d版已退回修改。"),
                "publish": _("第%(n)d版已审核通过并发布，自%(d)s起施行。"),
                "discard": _("第%(n)d版已作废。"),
            }[operation]
            % {"n": version.number, "d": version.effective_from.isoformat()},
        )
    return redirect(_url("entry_detail", kind_slug, version.entry.public_id))


# --- checks -------------------------------------------------------------------------------------------------------


@guarded
def benchmark_check(request: HttpRequest, public_id: str) -> HttpResponse:
    """DIS-2: check a proposed penalty against the benchmark (HTMX fragment, or a page without JavaScript)."""
    benchmark = selectors.entry_get_for_user(user=request.user, kind=CatalogKind.BENCHMARK, public_id=public_id)
    form = forms.BenchmarkCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = selectors.benchmark_check(
            benchmark=benchmark,
            circumstance=form.cleaned_data["circumstance"],
            proposal=form.proposal(),
            on=timezone.localdate(),
        )
    template = "catalog/partials/check_result.html" if request.headers.get("HX-Request") else "catalog/check_page.html"
    return render(
        request,
        template,
        _base(request, benchmark.agency, entry=benchmark, check_form=form, result=result, section="benchmark"),
        status=400 if form.errors else 200,
    )


@guarded
def major_check(request: HttpRequest) -> HttpResponse:
    """REV-1: which rules of the agency's catalog a case with these facts meets, and why."""
    agency = _agency(request)
    form = forms.CaseFactsForm(request.POST or None)
    reasons = None
    if request.method == "POST" and form.is_valid():
        reasons = selectors.major_rules_met(agency=agency, facts=form.facts(), on=timezone.localdate())
    return render(
        request,
        "catalog/major_check.html",
        _base(request, agency, form=form, reasons=reasons, section="major_rule"),
        status=400 if form.errors else 200,
    )


# --- flowcharts and guides ----------------------------------------------------------------------------------------


@guarded
def flowcharts(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    charts = [(wf, mark_safe(render_svg(wf))) for wf in WORKFLOWS.values()]  # noqa: S308  (escaped by render_svg)
    return render(request, "catalog/flowcharts.html", _base(request, agency, charts=charts, section="flowcharts"))


@guarded
def flowchart_svg(request: HttpRequest, code: str) -> HttpResponse:
    workflow = WORKFLOWS.get(code)
    if workflow is None:
        raise Http404
    return HttpResponse(render_svg(workflow), content_type="image/svg+xml; charset=utf-8")


@guarded
def service_guide(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.entry_get_for_user(user=request.user, kind=CatalogKind.ITEM, public_id=public_id)
    version = selectors.published_service_guide(item=item) or latest_version(CatalogKind.ITEM, item)
    charts = [(wf, mark_safe(render_svg(wf))) for wf in workflows_for(item.action_type)]  # noqa: S308
    return render(
        request,
        "catalog/guide.html",
        _base(
            request,
            item.agency,
            item=item,
            v=version,
            charts=charts,
            in_force=version is not None and version.status == VersionStatus.PUBLISHED,
            section="item",
        ),
    )


# --- flags and the yearly review ----------------------------------------------------------------------------------


@guarded
@require_POST
def flag_dismiss(request: HttpRequest, public_id: str) -> HttpResponse:
    flag = selectors.flag_get_for_user(user=request.user, public_id=public_id)
    form = forms.FlagDismissForm(request.POST)
    if form.is_valid():
        try:
            services.flag_dismiss(acting_user=request.user, flag=flag, note=form.cleaned_data["note"])
        except ServiceError as exc:
            if exc.status != 400:
                raise
            for error in exc.errors:
                messages.error(request, error.message)
        else:
            messages.success(request, _("已确认无需更新。"))
    else:
        messages.error(request, _("请说明无需更新的理由。"))
    return redirect(_url("index", agency=flag.agency))


@guarded
def benchmark_review(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    permissions.require_review(request.user, agency)
    today = timezone.localdate()
    form = forms.BenchmarkReviewForm(
        request.POST or None, initial={"year": services.review_year(today), "filed_on": today}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.benchmark_review_file(acting_user=request.user, agency=agency, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("裁量基准年度评估已备案。"))
            return redirect(_url("index", agency=agency))
    return _form_page(request, agency, form, _("裁量基准年度评估备案"), agency.name)


# --- import and export --------------------------------------------------------------------------------------------


@guarded
def transfer(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    refused: list[excel.RowError] = []
    if request.method == "POST" and form.is_valid():
        book = form.cleaned_data["book"]
        try:
            result = excel.import_workbook(
                acting_user=request.user, book=book, agency=agency, data=form.cleaned_data["file"].read()
            )
        except excel.ImportRefused as exc:
            refused = exc.rows
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)d 条，生成新版本草稿 %(r)d 条，未变化 %(u)d 条。")
                % {"c": result.created, "r": result.revised, "u": result.unchanged},
            )
            return redirect(_url("transfer", agency=agency))
    books = [{"code": b, "label": excel.BOOK_LABELS[b]} for b in excel.BOOKS]
    return render(
        request,
        "catalog/transfer.html",
        _base(request, agency, form=form, books=books, refused=refused, section="transfer"),
        status=400 if (form.errors or refused) else 200,
    )


@guarded
def export(request: HttpRequest, book: str) -> HttpResponse:
    agency = _agency(request)
    template = request.GET.get("template") == "1"
    if book not in excel.BOOKS:
        raise Http404
    data = excel.export_workbook(book=book, agency=agency, template=template)
    suffix = _("模板") if template else (agency.short_name or agency.name) if book != excel.LAWS else _("全部")
    name = f"{excel.BOOK_LABELS[book]}-{suffix}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
