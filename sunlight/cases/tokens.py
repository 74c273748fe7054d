"""Tokens of the other case systems that push cases and records (REC-14, PUB-12, SYS-5).

An administrator issues a token to a named system for a list of agencies; the token is shown once and only its
SHA-256 is stored (`ApiClient.token_sha256`). A push authenticates with `Authorization: Bearer <token>`: the token is
hashed and looked up by its hash (no comparison of secrets takes place, so no constant-time comparison is needed);
an unknown token and a revoked one are refused with 401.

Who may issue and revoke: holders of `Capability.MANAGE_USERS` (the system administrator: a token is an account for a
machine), for agencies within their data scope. Issuing and revoking are ledger entries (`api_client.issued`,
`api_client.revoked`) on the stream `api_client:<public id>`, with the request's origin (`core.audit`).

For the workbench screens (pages engineer):

    client, token = api_client_issue(acting_user=request.user, name="县市场监管局案件办理系统", agencies=[agency])
    # show `token` once; it cannot be recovered later
    api_client_revoke(acting_user=request.user, client=client, reason="系统停用")
    api_clients_visible_to(request.user)            # the list, newest first, with agencies prefetched
    api_client_get_for_user(user=request.user, public_id=...)

Every refusal is a `ServiceError` with Chinese messages (403 for a missing capability, audited).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.errors import FieldError, NotFound, ServiceError
from sunlight.org.choices import Capability
from sunlight.org.models import Agency
from sunlight.org.scope import can, require_capability
from sunlight.org.selectors import agencies_visible_to

from .models import ApiClient

TOKEN_PREFIX = "slp_"  # noqa: S105  (a marker that makes leaked tokens easy to find, not a secret)
TOKEN_BYTES = 32
NAME_MAX = 120


class Unauthenticated(ServiceError):
    """The bearer token is missing, unknown or revoked."""

    status = 401


def token_sha256(token: str) -> str:
    """The stored form of a token: the SHA-256 of its UTF-8 text, lowercase hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def client_stream(client: ApiClient) -> str:
    """The ledger stream of an API client (issue, revocation, refused pushes)."""
    return f"api_client:{client.public_id}"


def client_actor(client: ApiClient) -> str:
    """How a client system appears as the actor of a ledger entry."""
    return f"api_client:{client.public_id}"


def _agency_refs(agencies: Iterable[Agency]) -> list[dict[str, str]]:
    return [{"id": str(a.public_id), "name": a.name} for a in agencies]


def api_client_issue(*, acting_user: Any, name: str, agencies: list[Agency]) -> tuple[ApiClient, str]:
    """Issue a token to another case system for the given agencies; returns the client and the token in plain text.

    The plain token exists only in the return value: show it once. Refused: no `MANAGE_USERS` capability (403,
    audited), a blank or too long name, a name already used by an active client, no agency, an agency outside the
    administrator's scope or inactive.
    """
    require_capability(acting_user, Capability.MANAGE_USERS, target="api_client.issue")
    errors: list[FieldError] = []
    clean = (name or "").strip()
    if not clean:
        errors.append(FieldError("name", "required", _("请填写系统名称。")))
    elif len(clean) > NAME_MAX:
        errors.append(FieldError("name", "too_long", _("系统名称不能超过%(n)d个字。") % {"n": NAME_MAX}))
    elif ApiClient.objects.filter(name=clean, revoked_at__isnull=True).exists():
        errors.append(FieldError("name", "duplicate", _("已有同名的接入系统，请换一个名称或先吊销原令牌。")))
    chosen = list({a.pk: a for a in agencies}.values())
    if not chosen:
        errors.append(FieldError("agencies", "required", _("请选择该系统可以推送的执法主体。")))
    visible = set(agencies_visible_to(acting_user).filter(pk__in=[a.pk for a in chosen]).values_list("pk", flat=True))
    for agency in chosen:
        if agency.pk not in visible:
            errors.append(FieldError("agencies", "out_of_scope", _("%(n)s 不在您的管理范围内。") % {"n": agency.name}))
        elif not agency.is_active:
            errors.append(FieldError("agencies", "inactive", _("%(n)s 已停用。") % {"n": agency.name}))
    if errors:
        raise ServiceError(errors)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        client = ApiClient.objects.create(name=clean, token_sha256=token_sha256(token), issued_by=acting_user)
        client.agencies.set(chosen)
        audit(
            kind="api_client.issued",
            actor=acting_user,
            stream=client_stream(client),
            payload={
                "client": str(client.public_id),
                "name": client.name,
                "agencies": _agency_refs(sorted(chosen, key=lambda a: a.pk)),
                "token_fingerprint": client.token_sha256[:12],
            },
        )
    return client, token


def api_client_revoke(*, acting_user: Any, client: ApiClient, reason: str = "", now: datetime | None = None) -> None:
    """Revoke a client's token: from now on its pushes are refused with 401 (receipts and cases stay).

    Refused: no `MANAGE_USERS` capability (403, audited), a client outside the administrator's scope (404), a
    client already revoked.
    """
    require_capability(acting_user, Capability.MANAGE_USERS, target=f"api_client.revoke:{client.public_id}")
    api_client_get_for_user(user=acting_user, public_id=client.public_id)
    moment = now or timezone.now()
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is not None:
            raise ServiceError.single("client", "revoked", _("该令牌已经吊销。"))
        ApiClient.objects.filter(pk=locked.pk).update(revoked_at=moment, revoked_by=acting_user)
        audit(
            kind="api_client.revoked",
            actor=acting_user,
            stream=client_stream(locked),
            payload={"client": str(locked.public_id), "name": locked.name, "reason": (reason or "").strip()},
        )
    client.revoked_at = moment
    client.revoked_by = acting_user


def api_client_authenticate(token: str | None) -> ApiClient:
    """The active client holding a bearer token, or `Unauthenticated` (401) for a missing, unknown or revoked one.

    The token is looked up by its SHA-256; the plain token is never stored or compared.
    """
    if not token or not token.strip():
        raise Unauthenticated.single("__all__", "token_missing", _("请在 Authorization 头中提供接入令牌（Bearer）。"))
    client = ApiClient.objects.filter(token_sha256=token_sha256(token.strip())).first()
    if client is None:
        raise Unauthenticated.single("__all__", "token_invalid", _("接入令牌无效。"))
    if client.revoked_at is not None:
        raise Unauthenticated.single("__all__", "token_revoked", _("接入令牌已吊销。"))
    return client


def api_clients_visible_to(user: Any) -> QuerySet[ApiClient]:
    """The clients an administrator may see (those with an agency in the user's scope), newest first; none
    without `MANAGE_USERS`."""
    if not can(user, Capability.MANAGE_USERS):
        return ApiClient.objects.none()
    visible = agencies_visible_to(user).values("pk")
    ids = ApiClient.objects.filter(agencies__in=visible).values("pk")
    return (
        ApiClient.objects.filter(pk__in=ids)
        .select_related("issued_by", "revoked_by")
        .prefetch_related("agencies")
        .order_by("-issued_at", "-id")
    )


def api_client_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> ApiClient:
    """One client the user may see, or NotFound."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound.single("client", "not_found", _("接入系统不存在。")) from None
    found = api_clients_visible_to(user).filter(public_id=key).first()
    if found is None:
        raise NotFound.single("client", "not_found", _("接入系统不存在。"))
    return found
