"""Who may change the registry: role sets from `choices` plus the agency's place in the acting user's data scope.

A refusal goes through `sunlight.org.scope.deny` (audited in its own transaction, then `Forbidden`), so callers check
before they open the transaction of the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sunlight.org.choices import Scope
from sunlight.org.models import Agency
from sunlight.org.scope import deny, effective_scope
from sunlight.org.selectors import agencies_visible_to


def holds(user: Any, roles: Iterable[str]) -> bool:
    """True when the user is a superuser or holds one of the roles."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or set(user.role_codes).intersection(roles))


def agency_in_scope(user: Any, agency: Agency | None) -> bool:
    """True when the agency lies within what the user may see (SYS-1)."""
    if agency is None:
        return False
    if effective_scope(user) == Scope.ALL:
        return True
    return agencies_visible_to(user).filter(pk=agency.pk).exists()


def may_manage(user: Any, roles: Iterable[str], agency: Agency | None) -> bool:
    """Holds one of the roles and the agency is within the user's scope."""
    return holds(user, roles) and agency_in_scope(user, agency)


def require(user: Any, roles: Iterable[str], *, agency: Agency | None, action: str, target: str = "") -> None:
    """Raise Forbidden (audited) unless the user holds one of the roles for an agency within their scope."""
    if not may_manage(user, roles, agency):
        raise deny(user, action=action, target=target)


def require_role(user: Any, roles: Iterable[str], *, action: str, target: str = "") -> None:
    """Raise Forbidden (audited) unless the user holds one of the roles (for pages before an agency is chosen)."""
    if not holds(user, roles):
        raise deny(user, action=action, target=target)
