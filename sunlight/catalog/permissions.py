"""Who may change the catalog (issue 4). Reads follow the org data scope (selectors); writes are checked here.

- Items, benchmarks, inspection and AV items of an agency: drafted by its unit heads, legal reviewers and agency heads.
- Major-decision rules: drafted by the agency's legal department only (legal reviewers, or staff of a unit that is
  a legal department) — REV-1.
- Legal review and publication of every catalog entry: the agency's legal reviewers (PUB-2).
- Laws and amendments are shared by all agencies: legal reviewers, justice-bureau supervisors.
Superusers may do everything (system bootstrap and the demo).
"""

from __future__ import annotations

from typing import Any

from sunlight.org.choices import Role
from sunlight.org.scope import deny

from .choices import CatalogKind

EDITOR_ROLES = frozenset({Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD})
LAW_EDITOR_ROLES = frozenset({Role.LEGAL_REVIEWER, Role.JUSTICE_SUPERVISOR})


def _staff_of(user: Any, agency: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.agency_id and user.agency_id == agency.pk)


def in_legal_department(user: Any, agency: Any) -> bool:
    """True for the agency's legal reviewers and the staff of its legal-department units."""
    if not _staff_of(user, agency):
        return False
    if user.has_role(Role.LEGAL_REVIEWER):
        return True
    return bool(user.unit_id and user.unit.is_legal_department and user.unit.agency_id == agency.pk)


def can_edit(user: Any, kind: str, agency: Any) -> bool:
    """May the user draft versions of this kind of entry for this agency?"""
    if getattr(user, "is_superuser", False):
        return True
    if kind == CatalogKind.MAJOR_RULE:
        return in_legal_department(user, agency)
    return _staff_of(user, agency) and bool(EDITOR_ROLES & user.role_codes)


def can_review(user: Any, agency: Any) -> bool:
    """May the user review and publish (or return) the agency's catalog versions?"""
    if getattr(user, "is_superuser", False):
        return True
    return _staff_of(user, agency) and user.has_role(Role.LEGAL_REVIEWER)


def can_edit_laws(user: Any) -> bool:
    """May the user record laws and their amendments?"""
    if getattr(user, "is_superuser", False):
        return True
    return bool(getattr(user, "is_authenticated", False) and LAW_EDITOR_ROLES & user.role_codes)


def require_edit(user: Any, kind: str, agency: Any, *, target: str = "") -> None:
    """Raise Forbidden (audited) unless `can_edit`."""
    if not can_edit(user, kind, agency):
        raise deny(user, action=f"catalog.{kind}.edit", target=target or str(agency.public_id))


def require_review(user: Any, agency: Any, *, target: str = "") -> None:
    """Raise Forbidden (audited) unless `can_review`."""
    if not can_review(user, agency):
        raise deny(user, action="catalog.review", target=target or str(agency.public_id))


def require_law_edit(user: Any, *, target: str = "") -> None:
    """Raise Forbidden (audited) unless `can_edit_laws`."""
    if not can_edit_laws(user):
        raise deny(user, action="catalog.law.edit", target=target)
