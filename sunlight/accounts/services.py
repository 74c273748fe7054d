"""Logging in and out, lockout, password changes and the TOTP second factor (SYS-6).

Every login, failure, lockout, expiry, password change and second-factor event is recorded in the ledger with who,
what, when and from where (core.audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sunlight.core.audit import audit
from sunlight.core.errors import FieldError, ServiceError
from sunlight.org.models import RolePolicy, User
from sunlight.org.services import password_errors, password_store


@dataclass(frozen=True)
class LoginResult:
    """The user when the password was right; otherwise the error to show."""

    user: User | None
    error: ServiceError | None = None


def _generic_failure() -> ServiceError:
    return ServiceError.single("__all__", "invalid_credentials", _("用户名或密码错误。"))


def _locked_error(until: datetime) -> ServiceError:
    local = timezone.localtime(until)
    return ServiceError.single(
        "__all__",
        "locked",
        _("连续登录失败次数过多，账户已锁定，请于 %(time)s 后再试，或联系系统管理员解锁。")
        % {"time": date_format(local, "H:i")},
    )


def login_check(*, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a username and password, applying the lockout rule (5 failures → 15 minutes by default).

    Returns the user on success. The outcome is audited in its own transaction whatever it is.
    """
    moment = now or timezone.now()
    username = (username or "").strip()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is None:
            audit(
                kind="auth.login_failed",
                actor=None,
                actor_text="anonymous",
                payload={"username": username[:150], "reason": "unknown_user"},
            )
            return LoginResult(None, _generic_failure())
        if user.is_locked(now=moment):
            assert user.locked_until is not None
            audit(
                kind="auth.login_refused_locked",
                actor=None,
                actor_text=f"user:{user.public_id}",
                payload={"username": user.username},
            )
            return LoginResult(None, _locked_error(user.locked_until))
        if not user.is_active or not user.check_password(password):
            reason = "inactive" if not user.is_active and user.check_password(password) else "bad_password"
            failures = user.failed_logins + 1
            updates: dict[str, Any] = {"failed_logins": F("failed_logins") + 1}
            locked = failures >= settings.SUNLIGHT_LOCKOUT_FAILURES
            if locked:
                updates["locked_until"] = moment + timedelta(minutes=settings.SUNLIGHT_LOCKOUT_MINUTES)
                updates["failed_logins"] = 0
            User.objects.filter(pk=user.pk).update(**updates)
            audit(
                kind="auth.login_failed",
                actor=None,
                actor_text=f"user:{user.public_id}",
                payload={"username": user.username, "reason": reason, "failures": failures},
            )
            if locked:
                audit(
                    kind="auth.locked",
                    actor=None,
                    actor_text=f"user:{user.public_id}",
                    payload={
                        "username": user.username,
                        "until": updates["locked_until"].isoformat(),
                        "failures": failures,
                    },
                )
                return LoginResult(None, _locked_error(updates["locked_until"]))
            return LoginResult(None, _generic_failure())
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=moment)
        audit(kind="auth.login_succeeded", actor=user, payload={"username": user.username})
    user.refresh_from_db()
    return LoginResult(user)


def logout_record(*, user: Any, reason: str) -> None:
    """Record a logout ("user" when asked for, "idle" when the session expired)."""
    if not getattr(user, "is_authenticated", False):
        return
    with transaction.atomic():
        audit(
            kind="auth.logout" if reason == "user" else "auth.session_expired", actor=user, payload={"reason": reason}
        )


def password_change(*, user: User, old_password: str, new_password: str, new_password_again: str) -> None:
    """Change one's own password under the policy; the old hash joins the history of the last five."""
    errors: list[FieldError] = []
    if not user.check_password(old_password):
        errors.append(FieldError("old_password", "invalid", _("原密码不正确。")))
    if new_password != new_password_again:
        errors.append(FieldError("new_password_again", "mismatch", _("两次输入的新密码不一致。")))
    errors += password_errors(new_password, user, field="new_password")
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        password_store(user=locked, password=new_password, must_change=False)
        audit(
            kind="auth.password_changed",
            actor=locked,
            stream=f"user:{locked.public_id}",
            payload={"user": str(locked.public_id)},
        )
    user.password = locked.password
    user.must_change_password = False


def otp_required_for(user: Any) -> bool:
    """True when any of the user's roles requires a second factor."""
    return RolePolicy.objects.filter(role__in=user.role_codes, require_otp=True).exists()


def otp_confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_pending_device(*, user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call, reused after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("手机动态口令"), confirmed=False)
    return device


def _token_ok(device: TOTPDevice, token: str) -> bool:
    token = (token or "").strip()
    return token.isdigit() and len(token) == device.digits and bool(device.verify_token(token))


def otp_enroll(*, user: Any, token: str) -> TOTPDevice:
    """Confirm the pending device with a first correct token."""
    device = otp_pending_device(user=user)
    if not _token_ok(device, token):
        with transaction.atomic():
            audit(kind="auth.otp_failed", actor=user, payload={"stage": "enroll"})
        raise ServiceError.single("token", "invalid", _("动态口令不正确，请核对手机上的6位数字。"))
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        audit(kind="auth.otp_enrolled", actor=user, payload={"device": device.persistent_id})
    device.confirmed = True
    return device


def otp_verify(*, user: Any, token: str) -> TOTPDevice:
    """Check a token against the user's confirmed device."""
    device = otp_confirmed_device(user)
    if device is None or not _token_ok(device, token):
        with transaction.atomic():
            audit(kind="auth.otp_failed", actor=user, payload={"stage": "login"})
        raise ServiceError.single("token", "invalid", _("动态口令不正确。"))
    with transaction.atomic():
        audit(kind="auth.otp_verified", actor=user, payload={"device": device.persistent_id})
    return device
