"""Registry pages of the workbench (thin: reads through selectors, writes through services)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sunlight.core.errors import ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.org import selectors as org_selectors
from sunlight.org.models import Region
from sunlight.org.scope import deny
from sunlight.workbench.views import guarded

from . import forms as rf
from . import selectors, services
from .access import holds, may_manage, require, require_role
from .choices import (
    CAMERA_MANAGERS,
    CERTIFICATE_MANAGERS,
    CERTIFICATE_SANCTIONS,
    CERTIFICATE_TRANSITIONS,
    PERSONNEL_MANAGERS,
    POLICY_MANAGERS,
    CameraStatus,
    CertificateStatus,
    SanctionKind,
)
from .models import Officer

STATUS_CSS = {
    CertificateStatus.VALID: "level-green",
    CertificateStatus.SUSPENDED: "level-yellow",
    CertificateStatus.EXPIRED: "level-red",
    CertificateStatus.REVOKED: "level-red",
}


def _certificate_row(certificate: Any, today: date) -> dict[str, Any]:
    """A certificate with what the pages show about it: status (with its colour), expiring soon, allowed moves."""
    status = certificate.status_today(today)
    return {
        "c": certificate,
        "status": CertificateStatus(status).label,
        "css": STATUS_CSS[CertificateStatus(status)],
        "expiring": selectors.expiring_soon(certificate, today),
        "can": {op: certificate.status in CERTIFICATE_TRANSITIONS[op][0] for op in ("suspend", "reinstate", "revoke")},
    }


def _page(request: HttpRequest, items: Any, per_page: int = 50) -> Any:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _form_page(request: HttpRequest, form: forms.Form, title: str, subtitle: str = "", back: str = "") -> HttpResponse:
    return render(
        request,
        "workbench/form_page.html",
        {"form": form, "title": title, "subtitle": subtitle, "back": back},
        status=400 if form.errors else 200,
    )


def _attempt(form: forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service for a valid form; its errors go onto the form (refusals and missing objects propagate)."""
    try:
        return action()
    except ServiceError as exc:
        add_service_errors(form, exc)
        return None


# --- officers ------------------------------------------------------------------------------------------------------


@guarded
def officer_list(request: HttpRequest) -> HttpResponse:
    """执法人员: the officers within scope, searchable by name, username or certificate number."""
    qs = selectors.officers_visible_to(request.user)
    if not request.GET.get("cleared"):
        qs = qs.filter(cleared_on__isnull=True)
    if q := request.GET.get("q", "").strip():
        qs = (
            qs.filter(user__full_name__icontains=q)
            | qs.filter(user__username__icontains=q)
            | qs.filter(certificates__number__icontains=q)
        ).distinct()
    today = timezone.localdate()
    page = _page(request, qs.order_by("agency__name", "user__username"))
    rows = []
    for officer in page.object_list:
        certificates = list(officer.certificates.all())
        current = next((c for c in certificates if c.status_on(today) == CertificateStatus.VALID), None)
        shown = current or (certificates[0] if certificates else None)
        rows.append({"officer": officer, "certificate": _certificate_row(shown, today) if shown else None})
    return render(
        request,
        "registry/officer_list.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "can_register": holds(request.user, PERSONNEL_MANAGERS),
        },
    )


@guarded
def officer_register(request: HttpRequest) -> HttpResponse:
    require_role(request.user, PERSONNEL_MANAGERS, action="registry.officer_register")
    form = rf.OfficerRegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        officer = _attempt(form, lambda: services.officer_register(acting_user=request.user, user=person, data=data))
        if officer is not None:
            messages.success(request, _("执法人员已登记。"))
            return redirect("registry:officer_detail", public_id=officer.public_id)
    return _form_page(request, form, _("登记执法人员"), _("登记后，考试合格且有编制证明的人员可以领取行政执法证。"))


def _eligibility(request: HttpRequest, officer: Officer) -> tuple[rf.EligibilityForm, selectors.Eligibility | None]:
    """The 「执法资格核验」 box: `may_act` for the category, region and date asked (defaults: the officer's)."""
    certificates = list(officer.certificates.all())
    initial: dict[str, Any] = {
        "field": certificates[0].categories[0] if certificates and certificates[0].categories else "",
        "region": officer.agency.region.code,
        "on": timezone.localdate(),
    }
    asked = request.GET.get("check")
    form = rf.EligibilityForm(request.GET if asked else None, initial=initial, prefix="check")
    if asked and not form.is_valid():
        return form, None
    values: dict[str, Any] = form.cleaned_data if asked else initial
    result = selectors.may_act(
        user=officer.user, field=values["field"] or None, region_code=values["region"].strip(), on=values["on"]
    )
    return form, result


def _training_years(officer: Officer) -> list[dict[str, Any]]:
    today = timezone.localdate()
    policy = selectors.policy_for(officer.agency)
    totals = dict(
        officer.user.training_records.annotate(year=ExtractYear("trained_on"))
        .values("year")
        .annotate(days=Sum("days"))
        .values_list("year", "days")
    )
    years = sorted({today.year, *totals}, reverse=True)
    return [
        {
            "year": y,
            "days": totals.get(y, Decimal(0)),
            "target": policy.officer_training_days,
            "met": totals.get(y, Decimal(0)) >= policy.officer_training_days,
        }
        for y in years
    ]


@guarded
def officer_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get_for_user(user=request.user, public_id=public_id)
    today = timezone.localdate()
    check_form, eligibility = _eligibility(request, officer)
    certificates = list(officer.certificates.prefetch_related("reviews").all())
    codes = {code for c in certificates for code in c.regions}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "certificates": [
                {**_certificate_row(c, today), "regions": [f"{names.get(code, '')}（{code}）" for code in c.regions]}
                for c in certificates
            ],
            "training": _training_years(officer),
            "records": officer.user.training_records.select_related("plan")[:20],
            "sanctions": list(officer.sanctions.all()),
            "check_form": check_form,
            "eligibility": eligibility,
            "cleanup": selectors.cleanup_reasons(officer, today) if officer.cleared_on is None else [],
            "can_personnel": may_manage(request.user, PERSONNEL_MANAGERS, officer.agency),
            "can_certificates": may_manage(request.user, CERTIFICATE_MANAGERS, officer.agency),
            "blockers": services.officer_blockers(officer),
        },
    )


@guarded
def officer_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get_for_user(user=request.user, public_id=public_id)
    require(request.user, PERSONNEL_MANAGERS, agency=officer.agency, action="registry.officer_update")
    initial = {f: getattr(officer, f) for f in services.OFFICER_FIELDS}
    form = rf.OfficerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.officer_update(acting_user=request.user, officer=officer, data=form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("执法人员信息已保存。"))
            return redirect("registry:officer_detail", public_id=officer.public_id)
    return _form_page(request, form, _("修改执法人员信息"), str(officer))


@guarded
def certificate_issue(request: HttpRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get_for_user(user=request.user, public_id=public_id)
    require(request.user, CERTIFICATE_MANAGERS, agency=officer.agency, action="registry.certificate_issue")
    today = timezone.localdate()
    initial = {
        "issuing_authority": f"{officer.agency.region.name}人民政府",
        "regions": officer.agency.region.code,
        "issued_on": today,
        "expires_on": _years_on(today, 5) - timedelta(days=1),
    }
    form = rf.CertificateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        certificate = _attempt(
            form,
            lambda: services.certificate_issue(
                acting_user=request.user,
                officer=officer,
                number=data["number"],
                issuing_authority=data["issuing_authority"],
                categories=data["categories"],
                regions=form.region_codes(),
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            ),
        )
        if certificate is not None:
            messages.success(request, _("行政执法证 %(n)s 已发放。") % {"n": certificate.number})
            return redirect("registry:officer_detail", public_id=officer.public_id)
    return _form_page(request, form, _("发放行政执法证"), f"{officer}（{officer.agency.name}）")


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 2, 28)


CERTIFICATE_ACTIONS = {
    "suspend": (services.certificate_suspend, _("暂扣执法证"), _("执法证已暂扣。")),
    "reinstate": (services.certificate_reinstate, _("发还执法证"), _("执法证已发还。")),
    "revoke": (services.certificate_revoke, _("注销执法证"), _("执法证已注销。")),
}


@guarded
def certificate_action(request: HttpRequest, public_id: str, operation: str) -> HttpResponse:
    if operation not in CERTIFICATE_ACTIONS:
        raise Http404
    certificate = selectors.certificate_get_for_user(user=request.user, public_id=public_id)
    service, title, done_message = CERTIFICATE_ACTIONS[operation]
    require(
        request.user,
        CERTIFICATE_MANAGERS,
        agency=certificate.officer.agency,
        action=f"registry.certificate_{operation}",
    )
    form = rf.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: service(acting_user=request.user, certificate=certificate, reason=form.cleaned_data["reason"]),
        )
        if done is not None:
            messages.success(request, str(done_message))
            return redirect("registry:officer_detail", public_id=certificate.officer.public_id)
    subtitle = f"{certificate.number} · {certificate.officer}"
    return _form_page(request, form, str(title), subtitle)


@guarded
def certificate_review(request: HttpRequest, public_id: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_user(user=request.user, public_id=public_id)
    require(request.user, CERTIFICATE_MANAGERS, agency=certificate.officer.agency, action="registry.certificate_review")
    form = rf.ReviewForm(request.POST or None, initial={"year": timezone.localdate().year, "result": "passed"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.certificate_review(
                acting_user=request.user,
                certificate=certificate,
                year=data["year"],
                passed=data["result"] == "passed",
                note=data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("年审结果已记录。"))
            return redirect("registry:officer_detail", public_id=certificate.officer.public_id)
    return _form_page(request, form, _("执法证年审"), f"{certificate.number} · {certificate.officer}")


@guarded
def sanction_new(request: HttpRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get_for_user(user=request.user, public_id=public_id)
    kinds = [
        k
        for k in SanctionKind.values
        if may_manage(
            request.user,
            CERTIFICATE_MANAGERS if k in CERTIFICATE_SANCTIONS else PERSONNEL_MANAGERS | CERTIFICATE_MANAGERS,
            officer.agency,
        )
    ]
    if not kinds:
        raise deny(request.user, action="registry.sanction", target=str(officer.public_id))
    form = rf.SanctionForm(request.POST or None, kinds=kinds, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.sanction_record(
                acting_user=request.user,
                officer=officer,
                kind=data["kind"],
                reason=data["reason"],
                decided_on=data["decided_on"],
                document_no=data["document_no"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
        )
        if done is not None:
            messages.success(request, _("处理决定已记录。"))
            return redirect("registry:officer_detail", public_id=officer.public_id)
    return _form_page(
        request, form, _("记录处理决定"), _("暂扣执法证、取消执法资格由发证机关（司法局）记录，并立即作用于执法证。")
    )


@guarded
def officer_clear(request: HttpRequest, public_id: str) -> HttpResponse:
    officer = selectors.officer_get_for_user(user=request.user, public_id=public_id)
    require(request.user, PERSONNEL_MANAGERS, agency=officer.agency, action="registry.officer_clear")
    form = rf.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.officer_clear(
                acting_user=request.user, officer=officer, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("已清理出执法队伍，其执法证已注销。"))
            return redirect("registry:officer_detail", public_id=officer.public_id)
    return _form_page(request, form, _("清理出执法队伍"), _("%(name)s 持有的执法证将一并注销。") % {"name": officer})


@guarded
def cleanup_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.cleanup_list(user=request.user)
    return render(request, "registry/cleanup_list.html", {"entries": entries})


# --- auxiliaries ---------------------------------------------------------------------------------------------------


@guarded
def auxiliary_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.auxiliaries_visible_to(request.user)
    if not request.GET.get("left"):
        qs = qs.filter(left_on__isnull=True)
    return render(
        request,
        "registry/auxiliary_list.html",
        {"page": _page(request, qs), "can_register": holds(request.user, PERSONNEL_MANAGERS)},
    )


@guarded
def auxiliary_register(request: HttpRequest) -> HttpResponse:
    require_role(request.user, PERSONNEL_MANAGERS, action="registry.auxiliary_register")
    form = rf.AuxiliaryRegisterForm(request.POST or None, user=request.user, initial={"hired_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            form,
            lambda: services.auxiliary_register(
                acting_user=request.user,
                user=data["person"],
                unit=data["unit"],
                post=data["post"],
                duties=data["duties"],
                hired_on=data["hired_on"],
            ),
        )
        if done is not None:
            messages.success(request, _("辅助人员已登记。"))
            return redirect("registry:auxiliary_list")
    return _form_page(request, form, _("登记辅助人员"), _("辅助人员不能登记为执法人员，也不能作为执法人员实施执法。"))


@guarded
def auxiliary_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    auxiliary = selectors.auxiliary_get_for_user(user=request.user, public_id=public_id)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    form = rf.AuxiliaryForm(
        request.POST if posted == "duties" else None, initial={"post": auxiliary.post, "duties": auxiliary.duties}
    )
    leave_form = rf.ReasonForm(request.POST if posted == "leave" else None, prefix="leave")
    if (
        posted == "duties"
        and form.is_valid()
        and _attempt(
            form,
            lambda: services.auxiliary_update(acting_user=request.user, auxiliary=auxiliary, **form.cleaned_data),
        )
    ):
        messages.success(request, _("岗位和职责已保存。"))
        return redirect("registry:auxiliary_edit", public_id=auxiliary.public_id)
    if (
        posted == "leave"
        and leave_form.is_valid()
        and _attempt(
            leave_form,
            lambda: services.auxiliary_leave(
                acting_user=request.user, auxiliary=auxiliary, reason=leave_form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, _("已登记离岗。"))
        return redirect("registry:auxiliary_list")
    return render(
        request,
        "registry/auxiliary_edit.html",
        {
            "auxiliary": auxiliary,
            "form": form,
            "leave_form": leave_form,
            "can_manage": may_manage(request.user, PERSONNEL_MANAGERS, auxiliary.agency),
            "eligibility": selectors.may_act(
                user=auxiliary.user, region_code=auxiliary.agency.region.code, on=timezone.localdate()
            ),
        },
        status=400 if (form.errors or leave_form.errors) else 200,
    )


# --- training ------------------------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        return max(2000, min(2100, int(request.GET.get("year", ""))))
    except ValueError:
        return timezone.localdate().year


@guarded
def training(request: HttpRequest) -> HttpResponse:
    """执法培训: plans of the year, totals per agency and per person against their targets (PER-3)."""
    year = _year(request)
    people, agencies = selectors.training_overview(user=request.user, year=year)
    plans = selectors.training_plans_visible_to(request.user).filter(planned_on__year=year)
    only_short = not request.GET.get("all")
    return render(
        request,
        "registry/training.html",
        {
            "year": year,
            "years": [year + 1, year, year - 1],
            "people": [p for p in people if not p.met] if only_short else people,
            "only_short": only_short,
            "agencies": agencies,
            "plans": plans,
            "can_manage": holds(request.user, PERSONNEL_MANAGERS),
        },
    )


@guarded
def training_plan_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, PERSONNEL_MANAGERS, action="registry.training_plan_create")
    form = rf.TrainingPlanForm(request.POST or None, user=request.user, initial={"days": 1})
    if request.method == "POST" and form.is_valid():
        plan = _attempt(form, lambda: services.training_plan_create(acting_user=request.user, **form.cleaned_data))
        if plan is not None:
            messages.success(request, _("培训计划已保存。"))
            return redirect("registry:training_plan", public_id=plan.public_id)
    return _form_page(request, form, _("新增培训计划"))


@guarded
def training_plan(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = selectors.training_plan_get_for_user(user=request.user, public_id=public_id)
    form = rf.TrainingHoldForm(
        request.POST or None, agency=plan.agency, initial={"held_on": min(plan.planned_on, timezone.localdate())}
    )
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form,
            lambda: services.training_plan_hold(
                acting_user=request.user,
                plan=plan,
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
            ),
        )
        if done is not None:
            messages.success(request, _("已登记举办情况和 %(n)d 名参加人员。") % {"n": len(done)})
            return redirect("registry:training_plan", public_id=plan.public_id)
    return render(
        request,
        "registry/training_plan.html",
        {
            "plan": plan,
            "records": plan.records.select_related("person"),
            "form": form,
            "can_manage": may_manage(request.user, PERSONNEL_MANAGERS, plan.agency),
        },
        status=400 if form.errors else 200,
    )


@guarded
def training_record_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, PERSONNEL_MANAGERS, action="registry.training_record_add")
    form = rf.TrainingRecordForm(
        request.POST or None, user=request.user, initial={"trained_on": timezone.localdate(), "days": 1}
    )
    if request.method == "POST" and form.is_valid():
        record = _attempt(form, lambda: services.training_record_add(acting_user=request.user, **form.cleaned_data))
        if record is not None:
            messages.success(request, _("培训记录已保存。"))
            return redirect("registry:training")
    return _form_page(request, form, _("登记培训记录"), _("登记本单位计划以外的培训，例如上级组织的培训或网络培训。"))


@guarded
def policy_edit(request: HttpRequest, agency_id: str) -> HttpResponse:
    agency = org_selectors.agency_get_for_user(user=request.user, public_id=agency_id)
    policy = selectors.policy_for(agency)
    require(request.user, POLICY_MANAGERS, agency=agency, action="registry.policy_set")
    initial = {
        "officers_per_camera": policy.officers_per_camera,
        "officer_training_days": policy.officer_training_days,
        "auxiliary_training_days": policy.auxiliary_training_days,
        "agency_trainings_per_year": policy.agency_trainings_per_year,
    }
    form = rf.PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            form, lambda: services.registry_policy_set(acting_user=request.user, agency=agency, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("配置已保存。"))
            return redirect("registry:camera_ratio")
    return _form_page(request, form, _("人员与装备配置"), agency.name)


# --- body cameras --------------------------------------------------------------------------------------------------


@guarded
def camera_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.cameras_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in CameraStatus.values:
        qs = qs.filter(status=status)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(number__icontains=q)
    today = timezone.localdate()
    page = _page(request, qs)
    return render(
        request,
        "registry/camera_list.html",
        {
            "page": page,
            "rows": [{"c": c, "overdue": selectors.check_overdue(c, today)} for c in page.object_list],
            "statuses": CameraStatus.choices,
            "status": status,
            "q": q,
            "can_register": holds(request.user, CAMERA_MANAGERS),
        },
    )


@guarded
def camera_new(request: HttpRequest) -> HttpResponse:
    require_role(request.user, CAMERA_MANAGERS, action="registry.camera_register")
    form = rf.CameraForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        camera = _attempt(form, lambda: services.camera_register(acting_user=request.user, **form.cleaned_data))
        if camera is not None:
            messages.success(request, _("执法记录仪 %(n)s 已登记。") % {"n": camera.number})
            return redirect("registry:camera_detail", public_id=camera.public_id)
    return _form_page(request, form, _("登记执法记录仪"))


CAMERA_FORMS: dict[str, tuple[Any, str]] = {
    "checkout": (rf.CheckoutForm, _("执法记录仪已领用。")),
    "return": (rf.ReturnForm, _("执法记录仪已交回。")),
    "check": (rf.CheckForm, _("核查结果已记录。")),
    "fault": (rf.FaultForm, _("故障已登记。")),
    "administrator": (rf.AdministratorForm, _("管理员已变更。")),
    "scrap": (rf.ReasonForm, _("执法记录仪已报废。")),
}


def _camera_action(request: HttpRequest, name: str, camera: Any, data: dict[str, Any]) -> Any:
    user = request.user
    if name == "checkout":
        return services.camera_checkout(acting_user=user, camera=camera, **data)
    if name == "return":
        return services.camera_return(acting_user=user, camera=camera, **data)
    if name == "check":
        return services.camera_check(acting_user=user, camera=camera, **data)
    if name == "fault":
        return services.camera_fault_report(acting_user=user, camera=camera, **data)
    if name == "administrator":
        return services.camera_set_administrator(acting_user=user, camera=camera, **data)
    return services.camera_scrap(acting_user=user, camera=camera, reason=data["reason"])


@guarded
def camera_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    camera = selectors.camera_get_for_user(user=request.user, public_id=public_id)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    built: dict[str, forms.Form] = {}
    for name, (form_class, _message) in CAMERA_FORMS.items():
        data = request.POST if posted == name else None
        kwargs: dict[str, Any] = {"prefix": name}
        if name in ("checkout", "administrator"):
            kwargs["agency"] = camera.agency
        built[name] = form_class(data, **kwargs)
    if posted in built and built[posted].is_valid():
        form = built[posted]
        if _attempt(form, lambda: _camera_action(request, posted, camera, form.cleaned_data)) is not None:
            messages.success(request, str(CAMERA_FORMS[posted][1]))
            return redirect("registry:camera_detail", public_id=camera.public_id)
    is_manager = may_manage(request.user, CAMERA_MANAGERS, camera.agency)
    return render(
        request,
        "registry/camera_detail.html",
        {
            "camera": camera,
            "forms": built,
            "loans": camera.loans.select_related("user", "approver", "received_by")[:50],
            "checks": camera.checks.select_related("checked_by")[:20],
            "faults": camera.faults.select_related("reported_by")[:20],
            "can_operate": is_manager or request.user.pk == camera.administrator_id,
            "can_manage": is_manager,
            "overdue": selectors.check_overdue(camera, timezone.localdate()),
        },
        status=400 if any(f.errors for f in built.values()) else 200,
    )


@guarded
@require_POST
def camera_fault_resolve(request: HttpRequest, public_id: str, fault_id: int) -> HttpResponse:
    camera = selectors.camera_get_for_user(user=request.user, public_id=public_id)
    fault = camera.faults.filter(pk=fault_id).first()
    if fault is None:
        raise Http404
    form = rf.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.camera_fault_resolve(
                acting_user=request.user, fault=fault, resolution=form.cleaned_data["resolution"]
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
            for e in exc.errors:
                messages.error(request, e.message)
        else:
            messages.success(request, _("故障已处理。"))
    else:
        messages.error(request, _("请填写处理结果。"))
    return redirect("registry:camera_detail", public_id=camera.public_id)


@guarded
def camera_administrators(request: HttpRequest) -> HttpResponse:
    return render(
        request, "registry/camera_administrators.html", {"entries": selectors.camera_administrators(request.user)}
    )


@guarded
def camera_ratio(request: HttpRequest) -> HttpResponse:
    rows = selectors.camera_ratios(request.user)
    return render(
        request,
        "registry/camera_ratio.html",
        {
            "rows": [{"r": r, "can_configure": may_manage(request.user, POLICY_MANAGERS, r.agency)} for r in rows],
            "short": sum(1 for r in rows if r.short),
        },
    )
