"""Data scope (SYS-1): which rows a user may see, as a query filter every domain app reuses.

A user sees by the widest scope among their roles: OWN (their own records), UNIT, AGENCY, REGION (every agency in their
region and below, by the division-code prefix) or ALL (superusers). Selectors apply `scope_q`; services check
the capability (`require_capability`) and the target's region before writing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.errors import Forbidden

from .choices import Scope


def effective_scope(user: Any) -> Scope:
    """The scope a user actually has: superusers see all; a REGION user without a region falls back to AGENCY."""
    if not getattr(user, "is_authenticated", False):
        return Scope.OWN
    if user.is_superuser:
        return Scope.ALL
    scope: Scope = user.scope
    if scope == Scope.REGION and user.home_region is None:
        return Scope.AGENCY
    return scope


def scope_q(
    user: Any,
    *,
    agency: str | None = "agency",
    unit: str | None = "unit",
    owner: str | None = None,
    region: str | None = None,
) -> Q:
    """A filter for a queryset of records that carry an agency, a unit and/or an owner.

    `agency`, `unit` and `owner` name the record's lookups (None when the record has no such field);
    `region` names a lookup to a region code for records that belong to a region rather than an agency.
    """
    scope = effective_scope(user)
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if scope == Scope.ALL:
        # A real condition rather than Q(): an empty Q() vanishes when ORed with another condition.
        return Q(pk__isnull=False)
    if scope == Scope.REGION:
        prefix = user.home_region.scope_prefix
        q = Q(pk__in=[])
        if agency:
            q |= Q(**{f"{agency}__region__code__startswith": prefix})
        if region:
            q |= Q(**{f"{region}__startswith": prefix})
        return q
    if scope == Scope.AGENCY and agency and user.agency_id:
        return Q(**{f"{agency}_id": user.agency_id})
    if scope == Scope.UNIT and unit and user.unit_id:
        q = Q(**{f"{unit}_id": user.unit_id})
        if owner:
            q |= Q(**{f"{owner}_id": user.pk})
        return q
    if owner:
        return Q(**{f"{owner}_id": user.pk})
    return Q(pk__in=[])


def deny(user: Any, *, action: str, target: str = "") -> Forbidden:
    """Audit a refused action and return the error to raise (SYS-6: every permission denial is recorded).

    Call outside the refused use case's transaction, so that the record survives the refusal.
    """
    from django.db import transaction

    with transaction.atomic():
        audit(kind="permission.denied", actor=user, payload={"action": action, "target": target})
    return Forbidden.single("__all__", "forbidden", _("您没有权限执行此操作。"))


def can(user: Any, capability: str) -> bool:
    """True when the user (a superuser, or through one of their roles) holds the capability."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.has_capability(capability))


def require_capability(user: Any, capability: str, *, target: str = "") -> None:
    """Raise Forbidden (audited) unless the user holds the capability."""
    if not can(user, capability):
        raise deny(user, action=capability, target=target)
