"""What can be accessed (REC-11): a `Subject` names a protected record; resolvers find one by type and id for a user.

Each protecting app registers a resolver here; today: AV records (`avrecord`) and case files (`case`). A resolver applies the user's data
scope to the record's metadata (NotFound outside it); the contents are then guarded by `access_use`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound


@dataclass(frozen=True)
class Subject:
    """A protected record: its type and public id, a label, and the agency, unit and owners that decide access."""

    type: str
    id: str
    label: str
    agency: Any
    unit: Any = None
    owner_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def stream(self) -> str:
        """The ledger stream of the record."""
        return f"{self.type}:{self.id}"


def avrecord_subject(record: Any) -> Subject:
    """An AV record as a subject: its officer and whoever registered it are its owners."""
    return Subject(
        type="avrecord",
        id=str(record.public_id),
        label=str(record.title),
        agency=record.agency,
        unit=record.unit,
        owner_ids=frozenset({record.officer_id, record.registered_by_id}),
    )


def _resolve_avrecord(user: Any, subject_id: str) -> Subject:
    from sunlight.evidence.selectors import record_get_for_user

    return avrecord_subject(record_get_for_user(user=user, public_id=subject_id))


def _resolve_case(user: Any, subject_id: str) -> Subject:
    from sunlight.cases.documents import case_subject
    from sunlight.cases.selectors import case_get_for_user

    return case_subject(case_get_for_user(user=user, public_id=subject_id))


RESOLVERS: dict[str, Callable[[Any, str], Subject]] = {"avrecord": _resolve_avrecord, "case": _resolve_case}


def subject_get_for_user(*, user: Any, subject_type: str, subject_id: str) -> Subject:
    """The subject of that type and id, if the user may see its metadata; else NotFound."""
    resolver = RESOLVERS.get(subject_type)
    if resolver is None:
        raise NotFound.single("subject", "not_found", _("调阅对象不存在。"))
    return resolver(user, subject_id)
