"""Staff workbench pages (thin: reads through selectors, writes through services)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sunlight.core import services as core_services
from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.core.forms import add_service_errors
from sunlight.core.models import CalendarYear
from sunlight.org import selectors as org_selectors
from sunlight.org import services as org_services
from sunlight.org.choices import Capability, Role
from sunlight.org.models import RolePolicy
from sunlight.org.scope import can, require_capability

from . import forms as wf
from . import selectors


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; a Forbidden or NotFound from a selector or service becomes the Chinese 403/404 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            return render(request, "workbench/error.html", {"title": _("无权访问"), "error": exc}, status=403)
        except NotFound as exc:
            return render(request, "workbench/error.html", {"title": _("未找到"), "error": exc}, status=404)

    return wrapper


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "workbench/error.html", {"title": _("无权访问")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "workbench/error.html", {"title": _("页面不存在")}, status=404)


def _page(request: HttpRequest, qs: Any, per_page: int = 50) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


# --- home and warnings (SYS-8) ------------------------------------------------------------------------------------


@guarded
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "counts": selectors.my_warning_counts(user),
        "warnings": selectors.my_warnings(user)[:5],
    }
    return render(request, "workbench/home.html", context)


@guarded
def my_warnings(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level") or None
    return render(
        request,
        "workbench/my_warnings.html",
        {
            "page": _page(request, selectors.my_warnings(request.user, level=level)),
            "counts": selectors.my_warning_counts(request.user),
            "level": level,
        },
    )


@guarded
def warning_rollup(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/rollup.html", {"levels": selectors.warning_rollup(request.user)})


# --- organisation (SYS-1) -----------------------------------------------------------------------------------------


@guarded
def agency_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_ORG, target="agencies")
    qs = org_selectors.agencies_visible_to(request.user)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(name__icontains=q)
    return render(
        request,
        "workbench/agency_list.html",
        {
            "page": _page(request, qs),
            "q": q,
            "can_manage": can(request.user, Capability.MANAGE_ORG),
        },
    )


@guarded
def agency_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    agency = org_selectors.agency_get_for_user(user=request.user, public_id=public_id)
    units = org_selectors.units_visible_to(request.user).filter(agency=agency)
    return render(
        request,
        "workbench/agency_detail.html",
        {
            "agency": agency,
            "units": units,
            "can_manage": can(request.user, Capability.MANAGE_ORG),
        },
    )


def _agency_initial(agency: Any) -> dict[str, Any]:
    return {f: getattr(agency, f) for f in org_services.AGENCY_FIELDS}


@guarded
def agency_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORG, target="agency")
    agency = org_selectors.agency_get_for_user(user=request.user, public_id=public_id) if public_id else None
    form = wf.AgencyForm(
        request.POST or None, user=request.user, initial=_agency_initial(agency) if agency else {"is_active": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if agency:
                agency = org_services.agency_update(acting_user=request.user, agency=agency, data=form.cleaned_data)
            else:
                agency = org_services.agency_create(acting_user=request.user, data=form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("执法主体已保存。"))
            return redirect("workbench:agency_detail", public_id=agency.public_id)
    return render(
        request,
        "workbench/form_page.html",
        {
            "form": form,
            "title": _("编辑执法主体") if agency else _("新增执法主体"),
            "back": request.META.get("HTTP_REFERER", ""),
        },
        status=400 if form.errors else 200,
    )


@guarded
def unit_edit(request: HttpRequest, agency_id: str, public_id: str | None = None) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_ORG, target="unit")
    agency = org_selectors.agency_get_for_user(user=request.user, public_id=agency_id)
    unit = org_selectors.unit_get_for_user(user=request.user, public_id=public_id) if public_id else None
    initial = {f: getattr(unit, f) for f in org_services.UNIT_FIELDS} if unit else {"is_active": True}
    form = wf.UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if unit:
                org_services.unit_update(acting_user=request.user, unit=unit, data=form.cleaned_data)
            else:
                org_services.unit_create(acting_user=request.user, agency=agency, data=form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("承办机构已保存。"))
            return redirect("workbench:agency_detail", public_id=agency.public_id)
    return render(
        request,
        "workbench/form_page.html",
        {
            "form": form,
            "title": _("编辑承办机构") if unit else _("新增承办机构"),
            "subtitle": agency.name,
        },
        status=400 if form.errors else 200,
    )


@guarded
def region_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_ORG, target="regions")
    form = wf.RegionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.region_create(acting_user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("行政区划已添加。"))
            return redirect("workbench:region_list")
    return render(
        request,
        "workbench/region_list.html",
        {
            "regions": org_selectors.regions_visible_to(request.user),
            "form": form,
            "can_manage": can(request.user, Capability.MANAGE_ORG),
        },
        status=400 if form.errors else 200,
    )


# --- users (SYS-2, SYS-6) -----------------------------------------------------------------------------------------


@guarded
def user_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS, target="users")
    qs = org_selectors.users_visible_to(request.user)
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(full_name__icontains=q) | qs.filter(username__icontains=q)
    if role := request.GET.get("role", ""):
        qs = qs.filter(role_grants__role=role)
    return render(
        request,
        "workbench/user_list.html",
        {
            "page": _page(request, qs.order_by("agency__name", "username")),
            "q": q,
            "role": role,
            "roles": Role.choices,
        },
    )


def _user_data(cleaned: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    data: dict[str, Any] = {
        k: cleaned[k] for k in ("full_name", "phone", "agency", "unit", "region", "is_active") if k in cleaned
    }
    return data, list(cleaned["roles"])


@guarded
def user_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS, target="users")
    form = wf.UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, roles = _user_data(form.cleaned_data)
        try:
            created = org_services.user_create(
                acting_user=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                roles=roles,
                data=data,
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("用户已创建，首次登录时须修改初始密码。"))
            return redirect("workbench:user_edit", public_id=created.public_id)
    return render(
        request, "workbench/form_page.html", {"form": form, "title": _("新增用户")}, status=400 if form.errors else 200
    )


@guarded
def user_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS, target="users")
    target = org_selectors.user_get_for_user(user=request.user, public_id=public_id)
    initial = {f: getattr(target, f) for f in org_services.USER_FIELDS}
    initial["roles"] = sorted(target.role_codes)
    form = wf.UserEditForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, roles = _user_data(form.cleaned_data)
        try:
            org_services.user_update(acting_user=request.user, user=target, data=data, roles=roles)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("用户信息已保存。"))
            return redirect("workbench:user_edit", public_id=target.public_id)
    return render(
        request,
        "workbench/user_edit.html",
        {
            "form": form,
            "target": target,
            "reset_form": wf.PasswordResetForm(),
        },
        status=400 if form.errors else 200,
    )


@guarded
@require_POST
def user_reset_password(request: HttpRequest, public_id: str) -> HttpResponse:
    target = org_selectors.user_get_for_user(user=request.user, public_id=public_id)
    form = wf.PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            org_services.user_reset_password(
                acting_user=request.user, user=target, password=form.cleaned_data["password"]
            )
        except ServiceError as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            for e in exc.errors:
                messages.error(request, e.message)
        else:
            messages.success(request, _("密码已重置，用户下次登录时须修改。"))
    else:
        messages.error(request, _("请填写新的初始密码。"))
    return redirect("workbench:user_edit", public_id=target.public_id)


@guarded
@require_POST
def user_unlock(request: HttpRequest, public_id: str) -> HttpResponse:
    target = org_selectors.user_get_for_user(user=request.user, public_id=public_id)
    org_services.user_unlock(acting_user=request.user, user=target)
    messages.success(request, _("账户已解锁。"))
    return redirect("workbench:user_edit", public_id=target.public_id)


@guarded
def role_policies(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_USERS, target="role_policies")
    current = list(RolePolicy.objects.filter(require_otp=True).values_list("role", flat=True))
    form = wf.RolePolicyForm(request.POST or None, initial={"require_otp_roles": current})
    if request.method == "POST" and form.is_valid():
        wanted = set(form.cleaned_data["require_otp_roles"])
        for role in Role.values:
            if (role in wanted) != (role in current):
                org_services.role_policy_set(acting_user=request.user, role=role, require_otp=role in wanted)
        messages.success(request, _("安全策略已保存。"))
        return redirect("workbench:role_policies")
    return render(
        request,
        "workbench/form_page.html",
        {
            "form": form,
            "title": _("角色安全策略"),
            "subtitle": _("勾选的角色登录时须输入手机动态口令（TOTP）；未绑定的用户下次登录时须先绑定。"),
        },
    )


# --- calendar (SYS-3) ---------------------------------------------------------------------------------------------


@guarded
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The calendar: one date, a pasted schedule, or the confirmation of a year (SYS-3)."""
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    form = wf.CalendarOverrideForm(request.POST if posted == "day" else None, user=request.user)
    import_form = wf.CalendarImportForm(request.POST if posted == "import" else None, user=request.user, prefix="imp")
    year_form = wf.CalendarYearForm(request.POST if posted == "year" else None, prefix="year")
    target = {"day": form, "import": import_form, "year": year_form}.get(posted)
    try:
        if posted == "day" and form.is_valid():
            core_services.calendar_override_add(acting_user=request.user, **form.cleaned_data)
            messages.success(request, _("日历调整已保存。"))
            return redirect("workbench:calendar")
        if posted == "import" and import_form.is_valid():
            entries = core_services.parse_schedule(import_form.cleaned_data["lines"])
            core_services.calendar_overrides_add(
                acting_user=request.user, entries=entries, region=import_form.cleaned_data["region"]
            )
            messages.success(request, _("已录入 %(n)d 天的日历调整。") % {"n": len(entries)})
            return redirect("workbench:calendar")
        if posted == "year" and year_form.is_valid():
            core_services.calendar_year_confirm(acting_user=request.user, **year_form.cleaned_data)
            messages.success(request, _("年度放假安排已确认。"))
            return redirect("workbench:calendar")
    except ServiceError as exc:
        add_service_errors(target or form, exc)  # per-line errors ("lines.3") show above the form
    return render(
        request,
        "workbench/calendar.html",
        {
            "form": form,
            "import_form": import_form,
            "year_form": year_form,
            "overrides": selectors.calendar_overrides_visible_to(request.user)[:200],
            "years": CalendarYear.objects.all(),
            "can_manage": can(request.user, Capability.MANAGE_CALENDAR),
        },
        status=400 if (form.errors or import_form.errors or year_form.errors) else 200,
    )


@guarded
def deadline_rules(request: HttpRequest) -> HttpResponse:
    """The statutory periods and when each turns yellow (SYS-8)."""
    return render(
        request,
        "workbench/deadline_rules.html",
        {
            "rules": selectors.deadline_rules(),
            "can_manage": can(request.user, Capability.MANAGE_CALENDAR),
        },
    )


@guarded
def deadline_rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_CALENDAR, target=f"rule:{code}")
    rule = selectors.deadline_rule_get(code=code)
    form = wf.DeadlineRuleForm(
        request.POST or None, initial={"yellow_percent": rule.yellow_percent, "yellow_min": rule.yellow_min}
    )
    if request.method == "POST" and form.is_valid():
        try:
            core_services.deadline_rule_update(acting_user=request.user, rule=rule, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("预警设置已保存，正在计时的期限已按新设置重新计算。"))
            return redirect("workbench:deadline_rules")
    subtitle = f"{rule.name}：{rule.amount}{rule.get_unit_display()}（{rule.basis}）"
    return render(
        request,
        "workbench/form_page.html",
        {"form": form, "title": _("预警设置"), "subtitle": subtitle},
        status=400 if form.errors else 200,
    )


# --- audit (SYS-6) ------------------------------------------------------------------------------------------------


@guarded
def audit_log(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    qs = selectors.audit_entries_visible_to(request.user, kind_prefix=kind)
    page = _page(request, qs)
    return render(
        request,
        "workbench/audit.html",
        {
            "page": page,
            "kind": kind,
            "actors": selectors.actor_names([e.actor for e in page.object_list]),
        },
    )
