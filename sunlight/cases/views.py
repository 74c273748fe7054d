"""Case pages of the workbench (REC-1..16, DIS-2, DIS-4, REV-1, SYS-5), mounted at /workbench/cases/.

Thin: reads through the selectors, writes through the services (`services`, `documents`, `archive`, `tokens`).
A refused step shows every reason in Chinese next to its field, keeps what was typed and changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sunlight.catalog.workflows import WORKFLOWS
from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.core.models import Deadline, DeadlineStatus
from sunlight.org.choices import Capability, Role
from sunlight.org.models import User
from sunlight.org.scope import can, deny
from sunlight.workbench.views import guarded

from . import checks, selectors, services
from . import forms as cf
from .choices import CaseStatus, DocumentType, RecusalOutcome, ServiceMode, Source
from .models import Case, CaseArchive, CaseDocument, CaseRecord, ConflictDeclaration
from .steps import PENALTY_KINDS, RIGHTS, SERVICE_FIELDS, spec_for
from .workflow import ANYTIME, EXTRA_NAMES, INTERNAL, LEAD, MOVES, allowed_next, step_name

RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.PAUSED)
LEVEL_RANK = {"red": 3, "yellow": 2, "green": 1}
HEAD_ROLES = (Role.UNIT_HEAD, Role.AGENCY_HEAD)
CREATOR_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD)


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is `guarded`, so never anonymous)."""
    return cast(User, request.user)


def _page(request: HttpRequest, qs: Any, per_page: int = 30) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _running_deadlines(case_ids: list[str]) -> dict[str, list[Deadline]]:
    """The running deadlines of some cases (by public id), most urgent first."""
    found: dict[str, list[Deadline]] = {}
    qs = Deadline.objects.filter(subject_type="case", subject_id__in=case_ids, status__in=RUNNING).select_related(
        "rule"
    )
    for deadline in qs.order_by("due_at"):
        found.setdefault(deadline.subject_id, []).append(deadline)
    for rows in found.values():
        rows.sort(key=lambda d: (-LEVEL_RANK.get(d.level, 0), d.due_at))
    return found


def may_create(user: Any) -> bool:
    """Staff of an agency with an officer or head role register cases (the service checks the rest)."""
    return bool(user.agency_id) and any(user.has_role(r) for r in CREATOR_ROLES)


def is_head_of(user: Any, case: Case) -> bool:
    """A unit head or agency head of the case's agency (approvals, recusal decisions)."""
    return user.agency_id == case.agency_id and any(user.has_role(r) for r in HEAD_ROLES)


def _known_step(case: Case, step: str) -> bool:
    table = MOVES.get(case.workflow, {})
    codes = set(table) | {s for moves in table.values() for s in moves} | set(EXTRA_NAMES)
    wf = WORKFLOWS.get(case.workflow)
    if wf is not None:
        codes |= {s.code for s in wf.steps}
    return step in codes and step != LEAD


# --- the case list -------------------------------------------------------------------------------------------------


@guarded
def case_list(request: HttpRequest) -> HttpResponse:
    """案件办理: the cases within the user's scope, the user's own first, with status, step and deadline colour."""
    user = _user(request)
    form = cf.CaseFilterForm(request.GET or None)
    qs = selectors.cases_visible_to(user)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(party_name__icontains=q))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if workflow := filters.get("workflow"):
        qs = qs.filter(workflow=workflow)
    mine = Case.objects.filter(pk=OuterRef("pk")).filter(Q(lead_officer=user) | Q(officers=user))
    qs = qs.annotate(mine=Exists(mine))
    if filters.get("mine"):
        qs = qs.filter(mine=True)
    if level := filters.get("level"):
        flagged = Deadline.objects.filter(subject_type="case", status__in=RUNNING, level=level).values_list(
            "subject_id", flat=True
        )
        keys = []
        for text in flagged:
            try:
                keys.append(uuid.UUID(text))
            except ValueError:
                continue
        qs = qs.filter(public_id__in=keys)
    page = _page(request, qs.select_related("lead_officer").order_by("-mine", "-created_at", "-id"))
    deadlines = _running_deadlines([str(c.public_id) for c in page.object_list])
    rows = []
    for case in page.object_list:
        running = deadlines.get(str(case.public_id), [])
        rows.append(
            {
                "case": case,
                "workflow": WORKFLOWS[case.workflow].name if case.workflow in WORKFLOWS else case.workflow,
                "step": step_name(case.workflow, case.step),
                "deadline": running[0] if running else None,
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "may_create": may_create(user),
            "may_tokens": can(user, Capability.MANAGE_USERS),
        },
    )


# --- registration (立案登记) ----------------------------------------------------------------------------------------


@guarded
def case_create(request: HttpRequest) -> HttpResponse:
    """Register a case at the lead stage; the item list follows the chosen unit (HTMX)."""
    user = _user(request)
    if not may_create(user):
        raise deny(user, action="case.create", target="form")
    initial: dict[str, Any] = {"party_kind": "organisation", "source": Source.INSPECTION}
    if unit := request.GET.get("unit"):
        initial["unit"] = unit
    if workflow := request.GET.get("workflow"):
        initial["workflow"] = workflow
    if request.method == "POST":
        form = cf.CaseCreateForm(request.POST, user=user)
    else:
        form = cf.CaseCreateForm(None, user=user, initial=initial)
    form.fields["unit"].widget.attrs["hx-get"] = reverse("cases:case_create")
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(acting_user=user, **form.service_arguments())
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("案件已登记，编号 %(n)s。") % {"n": case.number})
            return redirect("cases:case_detail", public_id=case.public_id)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "title": _("立案登记")},
        status=400 if form.errors else 200,
    )


# --- the case page -------------------------------------------------------------------------------------------------

DATA_LABELS: dict[str, Any] = {
    "fine_fen": gettext_lazy("罚款金额"),
    "paid_fen": gettext_lazy("缴纳金额"),
    "surcharge_fen": gettext_lazy("加处罚款"),
    "goods_value_fen": gettext_lazy("货值金额"),
    "illegal_gains_fen": gettext_lazy("违法所得"),
    "confiscation_fen": gettext_lazy("没收财物价值"),
    "benchmark": gettext_lazy("裁量基准"),
    "circumstance": gettext_lazy("情节档次"),
    "discretion_reasons": gettext_lazy("裁量理由"),
    "document_number": gettext_lazy("文书编号"),
    "waived_hearing": gettext_lazy("放弃听证"),
    "collective": gettext_lazy("集体讨论决定"),
    "complainant_notice": gettext_lazy("告知投诉举报人情况"),
    "deemed": gettext_lazy("视为受理"),
    "outcome": gettext_lazy("审核意见"),
    "review": gettext_lazy("审核编号"),
    "archive": gettext_lazy("卷宗"),
    "bundle_sha256": gettext_lazy("卷宗 SHA-256"),
    "manifest_sha256": gettext_lazy("清单 SHA-256"),
    "files": gettext_lazy("文件数"),
    "bundle_size": gettext_lazy("卷宗大小（字节）"),
    **dict(cf.MAJOR_FLAGS),
}
HIDDEN_DATA = {"benchmark_check", "major_reasons"}


def _label_of(case: Case, record: CaseRecord, key: str) -> str:
    if key.endswith("_fen") and key in DATA_LABELS:  # shown in yuan, whatever the spec's label says
        return str(DATA_LABELS[key])
    spec = spec_for(case.workflow, record.step)
    for k, label in spec.required:
        if k == key:
            return str(label)
    for fields in SERVICE_FIELDS.values():
        for k, label in fields:
            if k == key:
                return str(label)
    return str(DATA_LABELS.get(key, key))


def _yuan_text(fen: Any) -> str:
    value = checks.as_int(fen)
    if value is None:
        return str(fen)
    return _("%(y)s元") % {"y": f"{Decimal(value) / 100:,.2f}"}


def _value_text(key: str, value: Any) -> str:
    if key.endswith("_fen"):
        return _yuan_text(value)
    if key == "kinds" and isinstance(value, list):
        return "、".join(str(PENALTY_KINDS.get(k, k)) for k in value)
    if key == "circumstance":
        from sunlight.catalog.choices import Circumstance

        return str(Circumstance(value).label) if value in Circumstance.values else str(value)
    if key == "benchmark":
        from sunlight.catalog.models import Benchmark

        found = Benchmark.objects.filter(public_id=str(value)).first() if value else None
        return found.code if found is not None else str(value)
    if key == "handling":
        return str(dict(cf.COERCION_HANDLING).get(value, value))
    if key == "outcome":
        from sunlight.review.choices import Outcome

        return str(Outcome(value).label) if value in Outcome.values else str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key in cf.TIME_KEYS and isinstance(value, str):
        parsed = checks.parse_time(value)
        if parsed is not None:
            return f"{timezone.localtime(parsed):%Y-%m-%d %H:%M}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _record_row(case: Case, record: CaseRecord) -> dict[str, Any]:
    """One entry of the timeline: who, when, where, what, with which evidence and documents."""
    data = record.data if isinstance(record.data, dict) else {}
    fields = [
        {"key": key, "label": _label_of(case, record, key), "value": _value_text(key, value)}
        for key, value in data.items()
        if key not in HIDDEN_DATA and value not in (None, "", [])
    ]
    check = data.get("benchmark_check") if isinstance(data.get("benchmark_check"), dict) else None
    av = []
    for link in record.av_links.all():
        item = link.av_record
        av.append({"record": item, "files": [{"name": f.filename, "sha256": f.file.sha256} for f in item.files.all()]})
    variant = ""
    if record.variant:
        variant = str(ServiceMode(record.variant).label) if record.variant in ServiceMode.values else record.variant
    return {
        "r": record,
        "name": step_name(case.workflow, record.step),
        "variant": variant,
        "rights": [str(RIGHTS.get(k, k)) for k in record.rights_notified or []],
        "fields": fields,
        "benchmark": check,
        "major": data.get("major_reasons") or [],
        "av": av,
        "documents": list(record.documents.all()),
    }


def _deadline_rows(case: Case) -> list[Deadline]:
    rows = list(selectors.case_deadlines(case))
    rows.sort(key=lambda d: (d.status not in RUNNING, d.due_at))
    for row in rows:
        row.start_label = start_event_label(case, row)  # type: ignore[attr-defined]
    return rows


def _major(case: Case) -> dict[str, Any]:
    """REV-1: the classification recorded at the decision, or for an undecided case what the rules say so far."""
    if case.status != CaseStatus.OPEN or case.major_reasons:
        return {"decided": True, "is_major": case.is_major, "reasons": case.major_reasons or []}
    preview = checks.classify(case, fine_fen=case.fine_fen or 0, kinds=[], extra={}, on=timezone.now())
    return {"decided": False, "is_major": bool(preview), "reasons": preview}


def _ordered(case: Case, steps: list[Any]) -> list[Any]:
    """Next steps in the order of the procedure, the steps allowed at any time (extension, note) last."""
    wf = WORKFLOWS.get(case.workflow)
    order = {s.code: i for i, s in enumerate(wf.steps)} if wf is not None else {}
    anytime = ANYTIME.get(case.workflow, frozenset())
    return sorted(steps, key=lambda n: (n.code in anytime, order.get(n.code, len(order)), n.code))


START_EVENTS: dict[str, str] = {}
# Start events the services write themselves (services._after, _after_service).
OTHER_EVENTS: dict[str, Any] = {
    "decision served": gettext_lazy("处罚决定书送达"),
    "case closed": gettext_lazy("结案"),
    "licence decision": gettext_lazy("作出准予许可决定"),
    "deemed accepted on receipt": gettext_lazy("视为受理（自收到申请之日起计算）"),
}


def start_event_label(case: Case, deadline: Deadline) -> str:
    """The Chinese name of what started a case deadline: the step whose spec opens it (the stored text otherwise)."""
    if not START_EVENTS:
        from .steps import SPECS

        for spec_key, spec in SPECS.items():
            for opening in spec.opens:
                START_EVENTS.setdefault(opening.start_event, spec_key)
    found = START_EVENTS.get(deadline.start_event)
    if found is None:
        return str(OTHER_EVENTS.get(deadline.start_event, deadline.start_event))
    return step_name(case.workflow, found.split(":", 1)[-1])


def _case_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    records = list(selectors.case_records(case))
    handles = services.may_handle(user, case)
    finished = case.status in {CaseStatus.ARCHIVED, CaseStatus.NOT_OPENED}
    steps = _ordered(case, selectors.next_steps(case)) if handles and not finished else []
    conflicts = list(
        ConflictDeclaration.objects.filter(case=case)
        .select_related("officer", "declared_by", "decision", "decision__decided_by")
        .order_by("declared_at", "id")
    )
    from .archive import may_form

    documents = list(case.documents.select_related("record", "generated_by").order_by("generated_at", "id"))
    return {
        "case": case,
        "workflow": WORKFLOWS[case.workflow].name if case.workflow in WORKFLOWS else case.workflow,
        "step": step_name(case.workflow, case.step),
        "officers": list(case.officers.order_by("username")),
        "timeline": [_record_row(case, r) for r in records],
        "deadlines": _deadline_rows(case),
        "next_steps": steps,
        "major": _major(case),
        "conflicts": conflicts,
        "documents": documents,
        "archives": list(case.archives.select_related("formed_by", "bundle").order_by("formed_at")),
        "handles": handles,
        "is_head": is_head_of(user, case),
        "may_archive": may_form(user, case) and case.status == CaseStatus.CLOSED,
        "conflict_form": forms.get("conflict_form") or cf.ConflictForm(case=case, prefix="conflict"),
        "recusal_form": forms.get("recusal_form") or cf.RecusalForm(prefix="recusal"),
        "assign_form": forms.get("assign_form") or cf.AssignForm(case=case, prefix="assign"),
        "document_form": forms.get("document_form") or cf.DocumentForm(case=case, records=records, prefix="doc"),
        "source_label": Source(case.source).label if case.source in Source.values else case.source,
        "fine_text": _yuan_text(case.fine_fen) if case.fine_fen else "",
    }


@guarded
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The case page: timeline, deadlines, what the next steps need, the major-decision classification, actions."""
    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    return render(request, "cases/case_detail.html", _case_context(request, case))


# --- step forms (REC-2) --------------------------------------------------------------------------------------------


def _step_service_errors(form: cf.StepForm, error: ServiceError) -> None:
    if isinstance(error, Forbidden | NotFound):
        raise error
    for item in error.errors:
        form.add_error(form.field_for(item.field), item.message)


@guarded
def step_form(request: HttpRequest, public_id: str, step: str) -> HttpResponse:
    """The form of one step, generated from its spec; a refusal keeps what was typed and shows why."""
    user = _user(request)
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    if not services.may_handle(user, case):
        raise deny(user, action=f"case.step.{step}", target=str(case.public_id))
    if not _known_step(case, step) or step in INTERNAL:
        raise NotFound.single("step", "not_found", _("该程序没有这个办理环节。"))
    extra = [a for a in request.GET.getlist("av") if _is_uuid(a)]
    form = cf.StepForm(
        request.POST if request.method == "POST" else None, case=case, step=step, user=user, av_extra=extra
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.case_step_record(acting_user=user, case=case, step=step, given=form.step_input())
        except ServiceError as exc:
            _step_service_errors(form, exc)
        else:
            messages.success(request, _("“%(s)s”已记录。") % {"s": form.step_label})
            return redirect(reverse("cases:case_detail", args=[case.public_id]) + f"#record-{record.seq}")
    allowed = step in allowed_next(case.workflow, case.step)
    spec = spec_for(case.workflow, step)
    needs = next((n.needs for n in selectors.next_steps(case) if n.code == step), [])
    return render(
        request,
        "cases/step_form.html",
        {
            "case": case,
            "form": form,
            "groups": form.bound_groups(),
            "step": step,
            "title": form.step_label,
            "allowed": allowed,
            "current": step_name(case.workflow, case.step),
            "needs": needs,
            "approval": bool(spec.approval) and not any(user.has_role(r) for r in spec.approval),
            "av_new": reverse("cases:av_new", args=[case.public_id]) + f"?step={step}",
            "field_errors": [
                {"anchor": f"{name}-field", "label": form.fields[name].label, "message": message}
                for name, messages_ in form.errors.items()
                if name in form.fields
                for message in messages_
            ],
        },
        status=400 if form.errors else 200,
    )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# --- AV records for a step (REC-5, REC-6) --------------------------------------------------------------------------


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@guarded
def av_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """Register an AV record (or a photo) for a step of the case, then upload it from the phone's camera."""
    from datetime import timedelta

    from sunlight.evidence import services as evidence_services
    from sunlight.evidence.forms import AVRecordForm

    user = _user(request)
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    if not services.may_handle(user, case):
        raise deny(user, action="case.av_new", target=str(case.public_id))
    step = request.GET.get("step") or request.POST.get("step") or ""
    if step and not _known_step(case, step):
        step = ""
    now = timezone.now()
    initial = {
        "title": f"{case.title}（{step_name(case.workflow, step)}）" if step else case.title,
        "scene": "coercion" if case.action_type == "coercion" else "on_site",
        "recorded_from": _local(now - timedelta(minutes=30)),
        "recorded_to": _local(now),
        "case_number": case.number,
        "case_step": step_name(case.workflow, step) if step else "",
    }
    form = AVRecordForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            record = evidence_services.av_record_register(acting_user=user, **data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("音像记录已登记，请拍摄或选择文件上传。"))
            url = reverse("cases:av_upload", args=[case.public_id, record.public_id])
            return redirect(f"{url}?step={step}" if step else url)
    return render(
        request,
        "cases/av_form.html",
        {"case": case, "form": form, "step": step, "step_label": step_name(case.workflow, step) if step else ""},
        status=400 if form.errors else 200,
    )


@guarded
def av_upload(request: HttpRequest, public_id: str, record_id: str) -> HttpResponse:
    """Upload the photo or video of a registered AV record (resumable, from the camera on a phone)."""
    from sunlight.evidence import selectors as evidence_selectors

    user = _user(request)
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    record = evidence_selectors.record_get_for_user(user=user, public_id=record_id)
    step = request.GET.get("step") or ""
    if step and not _known_step(case, step):
        step = ""
    back = ""
    if step:
        back = reverse("cases:step_form", args=[case.public_id, step]) + f"?av={record.public_id}"
    return render(
        request,
        "cases/av_upload.html",
        {
            "case": case,
            "record": record,
            "files": evidence_selectors.record_files(record),
            "may_write": evidence_selectors.may_write(user, record),
            "step": step,
            "step_label": step_name(case.workflow, step) if step else "",
            "back": back,
            "upload": {
                "endpoint": reverse("evidence:tus_collection"),
                "chunk": settings.SUNLIGHT_EVIDENCE_CHUNK_BYTES,
                "max": settings.SUNLIGHT_EVIDENCE_MAX_BYTES,
            },
        },
    )


# --- conflicts, recusal, officers (DIS-4) --------------------------------------------------------------------------


def _detail_with(request: HttpRequest, case: Case, **forms: Any) -> HttpResponse:
    return render(request, "cases/case_detail.html", _case_context(request, case, **forms), status=400)


@guarded
@require_POST
def conflict_declare(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    form = cf.ConflictForm(request.POST, case=case, prefix="conflict")
    if form.is_valid():
        try:
            services.case_conflict_declare(
                acting_user=_user(request),
                case=case,
                officer=form.cleaned_data["officer"],
                reason=form.cleaned_data.get("reason") or "",
                by_party=bool(form.cleaned_data.get("by_party")),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("回避申报已登记，待负责人决定。"))
            return redirect(reverse("cases:case_detail", args=[case.public_id]) + "#conflicts")
    return _detail_with(request, case, conflict_form=form)


@guarded
@require_POST
def recusal_decide(request: HttpRequest, public_id: str, declaration_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    declaration = ConflictDeclaration.objects.filter(case=case, public_id=declaration_id).first()
    if declaration is None:
        raise NotFound.single("declaration", "not_found", _("回避申报不存在。"))
    form = cf.RecusalForm(request.POST, prefix="recusal")
    if form.is_valid():
        try:
            services.case_recusal_decide(
                acting_user=_user(request),
                declaration=declaration,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data.get("reasons") or "",
                collective=bool(form.cleaned_data.get("collective")),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            outcome = RecusalOutcome(form.cleaned_data["outcome"]).label
            messages.success(request, _("已作出回避决定：%(o)s。") % {"o": outcome})
            return redirect(reverse("cases:case_detail", args=[case.public_id]) + "#conflicts")
    return _detail_with(request, case, recusal_form=form)


@guarded
@require_POST
def officers_assign(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    form = cf.AssignForm(request.POST, case=case, prefix="assign")
    if form.is_valid():
        try:
            services.case_officers_assign(
                acting_user=_user(request), case=case, officers=list(form.cleaned_data["officers"])
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("承办人员已增加。"))
            return redirect("cases:case_detail", public_id=case.public_id)
    return _detail_with(request, case, assign_form=form)


# --- documents (REC-15) and the case file (REC-9) ------------------------------------------------------------------


@guarded
@require_POST
def document_generate(request: HttpRequest, public_id: str) -> HttpResponse:
    from .documents import case_document_generate

    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    records = list(case.records.order_by("seq"))
    form = cf.DocumentForm(request.POST, case=case, records=records, prefix="doc")
    if form.is_valid():
        record = form.records.get(form.cleaned_data.get("record") or "")
        try:
            document = case_document_generate(
                acting_user=_user(request), case=case, doc_type=form.cleaned_data["doc_type"], record=record
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            label = DocumentType(document.doc_type).label
            messages.success(request, _("已生成%(d)s %(n)s。") % {"d": label, "n": document.number})
            return redirect(reverse("cases:case_detail", args=[case.public_id]) + "#documents")
    return _detail_with(request, case, document_form=form)


@guarded
def document_download(request: HttpRequest, public_id: str, document_id: str, fmt: str) -> HttpResponse:
    """The DOCX or PDF of a generated document (the use is logged by `document_open`)."""
    from .documents import document_open

    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    document = CaseDocument.objects.filter(case=case, public_id=document_id).first()
    if document is None:
        raise NotFound.single("document", "not_found", _("文书不存在。"))
    try:
        stream, filename, content_type = document_open(user=_user(request), document=document, fmt=fmt)
    except ServiceError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        return render(request, "workbench/error.html", {"title": _("文书暂时无法下载"), "error": exc}, status=400)
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)
    return cast(HttpResponse, response)


@guarded
@require_POST
def archive_form(request: HttpRequest, public_id: str) -> HttpResponse:
    """Form and archive the case file of a closed case (archivists, agency heads, the lead officer)."""
    from .archive import case_archive_form

    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    try:
        archive = case_archive_form(acting_user=_user(request), case=case)
    except ServiceError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        for item in exc.errors:
            messages.error(request, item.message)
    else:
        messages.success(request, _("卷宗已形成并归档，清单 SHA-256：%(s)s。") % {"s": archive.manifest_sha256})
    return redirect(reverse("cases:case_detail", args=[case.public_id]) + "#archive")


@guarded
def archive_download(request: HttpRequest, public_id: str, archive_id: str) -> HttpResponse:
    from .archive import case_archive_open, iter_stream

    case = selectors.case_get_for_user(user=_user(request), public_id=public_id)
    archive = CaseArchive.objects.filter(case=case, public_id=archive_id).select_related("bundle").first()
    if archive is None:
        raise NotFound.single("archive", "not_found", _("卷宗不存在。"))
    try:
        stream, filename = case_archive_open(acting_user=_user(request), archive=archive)
    except ServiceError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        return render(request, "workbench/error.html", {"title": _("卷宗暂时无法下载"), "error": exc}, status=503)
    response = StreamingHttpResponse(iter_stream(stream), content_type="application/zip")
    response["Content-Disposition"] = _attachment(filename)
    response["Content-Length"] = str(archive.bundle.size)
    response["X-Content-SHA256"] = archive.bundle.sha256
    return cast(HttpResponse, response)


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"


# --- push tokens of other case systems (SYS-5) --------------------------------------------------------------------


@guarded
def api_clients(request: HttpRequest) -> HttpResponse:
    """对接系统令牌: issue a token (shown once) and revoke tokens; administrators only."""
    from .tokens import api_client_issue, api_clients_visible_to

    user = _user(request)
    if not can(user, Capability.MANAGE_USERS):
        raise deny(user, action="api_client.list", target="api_clients")
    form = cf.ApiClientForm(request.POST or None, user=user)
    issued: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            client, token = api_client_issue(
                acting_user=user, name=form.cleaned_data.get("name") or "", agencies=list(form.cleaned_data["agencies"])
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            issued = {"client": client, "token": token}
            form = cf.ApiClientForm(None, user=user)
    response = render(
        request,
        "cases/api_clients.html",
        {"form": form, "clients": list(api_clients_visible_to(user)), "issued": issued},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@guarded
@require_POST
def api_client_revoke(request: HttpRequest, client_id: str) -> HttpResponse:
    from .tokens import api_client_get_for_user
    from .tokens import api_client_revoke as revoke

    client = api_client_get_for_user(user=_user(request), public_id=client_id)
    try:
        revoke(acting_user=_user(request), client=client, reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        for item in exc.errors:
            messages.error(request, item.message)
    else:
        messages.success(request, _("“%(n)s”的令牌已吊销，此后的推送将被拒绝。") % {"n": client.name})
    return redirect("cases:api_clients")
