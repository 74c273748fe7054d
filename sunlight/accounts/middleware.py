"""Idle session timeout and the account gate (forced password change, required second factor) (SYS-6)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .services import logout_record, otp_confirmed_device, otp_required_for

LAST_SEEN = "sunlight_last_seen"
STARTED = "sunlight_started"
GATE_PASSED = "sunlight_gate_passed"
TOUCH_INTERVAL_SECONDS = 5
OPEN_PREFIXES = ("/static/", "/accounts/logout/")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(code: str, message: str, *, status: int) -> JsonResponse:
    """The API's one error shape, for refusals made before a request reaches the API."""
    return JsonResponse(
        {"errors": [{"field": "__all__", "code": code, "message": message}]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than SUNLIGHT_SESSION_IDLE_SECONDS (30 minutes by default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            started = request.session.setdefault(STARTED, now)
            idle = last is not None and now - float(last) > settings.SUNLIGHT_SESSION_IDLE_SECONDS
            if idle or now - float(started) > settings.SESSION_COOKIE_AGE:
                logout_record(user=user, reason="idle")
                logout(request)
                if _is_api(request):
                    return _api_error("session_expired", _("会话已超时，请重新登录。"), status=401)
                return redirect(f"{reverse('accounts:login')}?expired=1")
            touch_every = min(TOUCH_INTERVAL_SECONDS, settings.SUNLIGHT_SESSION_IDLE_SECONDS / 4)
            if last is None or now - float(last) >= touch_every:
                # Writing the session on every request would cost a database write per click.
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class AccountGateMiddleware:
    """Until the initial password is changed and a required second factor is verified, allow nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES) or request.session.get(GATE_PASSED):
            return self.get_response(request)
        target = self._gate(request)
        if target is None:
            # Checked once per login: the gate's queries are not repeated on every request.
            request.session[GATE_PASSED] = True
        if target and request.path != target:
            if _is_api(request):
                return _api_error("account_gate", _("请先在网页上完成密码修改或动态口令验证。"), status=403)
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _gate(request: HttpRequest) -> str | None:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        if not verified:
            if otp_confirmed_device(user) is not None:
                return reverse("accounts:otp_verify")
            if otp_required_for(user):
                return reverse("accounts:otp_setup")
        if getattr(user, "must_change_password", False):
            return reverse("accounts:password_change")
        return None
