"""Who may confirm, publish, withdraw, update and answer correction requests (PUB-4..PUB-8).

Publishing follows the catalog's rule (PUB-2: the agency's legal reviewers publish) and adds the agency head: a
person of the agency whose decision it is, holding the legal-reviewer or agency-head role, or the capability
`publicity.publish` once a role grants it (org/choices.py). Superusers may do everything (bootstrap and the demo).
Reading the queue follows the org data scope (agency-wide and regional scopes) plus the publishers themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sunlight.org.choices import Role, Scope
from sunlight.org.scope import deny, effective_scope, scope_q

PUBLISH_CAPABILITY = "publicity.publish"
PUBLISHER_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.AGENCY_HEAD})


def can_publish(user: Any, agency: Any) -> bool:
    """May the user confirm and publish (or withdraw, update, correct) the agency's publications?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not user.agency_id or user.agency_id != agency.pk:
        return False
    return bool(PUBLISHER_ROLES & user.role_codes) or user.has_capability(PUBLISH_CAPABILITY)


def require_publish(user: Any, agency: Any, *, target: str = "") -> None:
    """Raise Forbidden (audited) unless `can_publish`."""
    if not can_publish(user, agency):
        raise deny(user, action=PUBLISH_CAPABILITY, target=target or str(agency.public_id))


def visible_q(user: Any) -> Q:
    """Publications the user may see in the workbench: their scope (agency-wide or wider), or their own agency's
    when they publish for it."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    q = scope_q(user, agency="agency", unit=None) if effective_scope(user) >= Scope.AGENCY else Q(pk__in=[])
    if user.agency_id and (PUBLISHER_ROLES & user.role_codes or user.has_capability(PUBLISH_CAPABILITY)):
        q |= Q(agency_id=user.agency_id)
    return q
