"""Permission-aware reads of the organisation (SYS-1). Views and the API read through these, never bare managers."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound

from .choices import Scope
from .models import Agency, Region, Unit, User
from .scope import effective_scope, scope_q


def _one(qs: QuerySet[Any], public_id: uuid.UUID | str, *, field: str, message: str) -> Any:
    """One row by public id from an already scoped queryset, or NotFound (outside the scope looks the same)."""
    try:
        return qs.get(public_id=public_id)
    except (qs.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound.single(field, "not_found", message) from exc


def regions_visible_to(user: Any) -> QuerySet[Region]:
    """Regions: all for ALL scope; the home region and everything below it for REGION; else the home region."""
    scope = effective_scope(user)
    qs = Region.objects.select_related("parent")
    if scope == Scope.ALL:
        return qs
    home = user.home_region if getattr(user, "is_authenticated", False) else None
    if home is None:
        return qs.none()
    if scope == Scope.REGION:
        return qs.filter(code__startswith=home.scope_prefix)
    return qs.filter(pk=home.pk)


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    """Agencies within the user's scope; staff below REGION scope see their own agency only."""
    scope = effective_scope(user)
    qs = Agency.objects.select_related("region", "supervisor")
    if scope == Scope.ALL:
        return qs
    if scope == Scope.REGION:
        return qs.filter(region__code__startswith=user.home_region.scope_prefix)
    if getattr(user, "agency_id", None):
        return qs.filter(pk=user.agency_id)
    return qs.none()


def agency_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Agency:
    """One agency the user may see, or NotFound (also for ids outside the scope)."""
    return _one(agencies_visible_to(user), public_id, field="agency", message=_("执法主体不存在或您无权查看。"))


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """Units of the agencies the user may see; UNIT and OWN scope see their own unit only."""
    scope = effective_scope(user)
    qs = Unit.objects.select_related("agency")
    if scope in (Scope.UNIT, Scope.OWN):
        return qs.filter(pk=user.unit_id) if getattr(user, "unit_id", None) else qs.none()
    return qs.filter(agency__in=agencies_visible_to(user))


def unit_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Unit:
    """One unit the user may see, or NotFound."""
    return _one(units_visible_to(user), public_id, field="unit", message=_("承办机构不存在或您无权查看。"))


def users_visible_to(user: Any) -> QuerySet[User]:
    """Accounts within the user's scope (a user always sees their own)."""
    qs = User.objects.select_related("agency", "unit", "region").prefetch_related("role_grants")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = scope_q(user, agency="agency", unit="unit", region="region__code") | Q(pk=user.pk)
    return qs.filter(q).distinct()


def user_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> User:
    """One account the user may see, or NotFound."""
    return _one(users_visible_to(user), public_id, field="user", message=_("用户不存在或您无权查看。"))


def region_get(*, code: str) -> Region:
    """A region by its division code, or NotFound (regions are public facts)."""
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist as exc:
        raise NotFound.single("region", "not_found", _("区划代码 %(code)s 不存在。") % {"code": code}) from exc


def public_agencies() -> QuerySet[Agency]:
    """Active agencies for the public portal (PUB-1 ex-ante publicity; no login)."""
    return Agency.objects.filter(is_active=True).select_related("region")
