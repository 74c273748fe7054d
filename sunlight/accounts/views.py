"""Login, logout, password change and second factor pages (thin: rules are in accounts.services)."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sunlight.core.errors import ServiceError
from sunlight.core.forms import add_service_errors

from . import services
from .forms import LoginForm, PasswordChangeForm, TokenForm
from .middleware import GATE_PASSED


def login_view(request: HttpRequest) -> HttpResponse:
    """Username and password; lockout and audit are the service's."""
    if request.user.is_authenticated:
        return redirect("workbench:home")
    form = LoginForm(request.POST or None)
    if request.GET.get("expired"):
        messages.warning(request, _("由于长时间未操作，您已自动退出，请重新登录。"))
    if request.method == "POST" and form.is_valid():
        result = services.login_check(username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if result.user is not None:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            return redirect(target or "workbench:home")
        assert result.error is not None
        add_service_errors(form, result.error)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "failures": settings.SUNLIGHT_LOCKOUT_FAILURES,
            "minutes": settings.SUNLIGHT_LOCKOUT_MINUTES,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, with CSRF)."""
    services.logout_record(user=request.user, reason="user")
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("accounts:login")


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change one's password; forced at the first login and after a reset."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            request.session.pop(GATE_PASSED, None)
            messages.success(request, _("密码已修改。"))
            return redirect("workbench:home")
    forced = getattr(request.user, "must_change_password", False)
    return render(
        request, "accounts/password_change.html", {"form": form, "forced": forced}, status=400 if form.errors else 200
    )


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _second_factor_passed(request: HttpRequest, device: Any) -> HttpResponse:
    """Mark the session verified and let the account gate look again."""
    otp_login(request, device)
    request.session.pop(GATE_PASSED, None)
    return redirect("workbench:home")


@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: scan the code (or type the key) and confirm with one token."""
    device = services.otp_pending_device(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_enroll(user=request.user, token=form.cleaned_data["token"])
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("动态口令已启用，今后登录时需要输入。"))
            return _second_factor_passed(request, device)
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": _qr_svg(device.config_url), "secret": secret},
        status=400 if form.errors else 200,
    )


@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """Second step of the login for users with an authenticator."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_verify(user=request.user, token=form.cleaned_data["token"])
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            return _second_factor_passed(request, device)
    return render(request, "accounts/otp_verify.html", {"form": form}, status=400 if form.errors else 200)
