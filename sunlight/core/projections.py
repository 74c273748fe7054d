"""Current-state tables as projections of the ledger (REC-10; DESIGN.md, The ledger; ADR 0006).

`rebuild_check()` replays the ledger in sequence order, rebuilds in memory what each projected table should hold,
and compares it with the table row by row. What is projected (and from which entries):

* 期限 `core.Deadline`, by public id (stream `deadline:<id>`): rule, subject type/id/label, start event, start time,
  amount (with extensions), region code, due time, yellow time, status, level, completion time - from
  `deadline.opened`, `.paused`, `.resumed`, `.extended`, `.completed`, `.cancelled`, `.level_changed`, `.recomputed`.
* 行政区划 `org.Region`, by code: name, level, parent - from `org.region_created`.
* 执法主体 `org.Agency`, by public id: every field in `org.services.AGENCY_FIELDS` - from the `after` snapshot of
  `org.agency_created` and the `changed` pairs of `org.agency_updated`.
* 承办机构 `org.Unit`, by public id: its agency (from the stream `agency:<id>`) and `UNIT_FIELDS` - from
  `org.unit_created` and `org.unit_updated`.

Not projected: users (password hashes, lockout counters and sessions are deliberately not in the ledger), role
grants, calendar overrides (append-only tables of their own), deadline pauses and extensions (their effect on the
deadline is projected). A field an older entry did not record is "unknown" and not compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .ledger import at_text
from .models import Deadline, LedgerEntry

UNKNOWN = object()

DEADLINE_FIELDS = (
    "rule",
    "subject_type",
    "subject_id",
    "subject_label",
    "start_event",
    "started_at",
    "amount",
    "region_code",
    "due_at",
    "yellow_at",
    "status",
    "level",
    "completed_at",
)
_DEADLINE_TIMES = {"started_at", "due_at", "yellow_at", "completed_at"}

TABLE_LABELS = {
    "deadline": gettext_lazy("期限"),
    "region": gettext_lazy("行政区划"),
    "agency": gettext_lazy("执法主体"),
    "unit": gettext_lazy("承办机构"),
}


@dataclass(frozen=True)
class Difference:
    """One disagreement between the ledger and a table: a missing row, an extra row, or a field."""

    table: str
    key: str
    field: str
    ledger: Any
    database: Any

    def message(self) -> str:
        """The difference in one Chinese sentence."""
        label = TABLE_LABELS.get(self.table, self.table)
        if self.field == "":
            if self.database is None:
                return _("%(table)s %(key)s：账本中有记录，数据库中没有这一行") % {"table": label, "key": self.key}
            return _("%(table)s %(key)s：数据库中有这一行，账本中没有它的创建记录") % {
                "table": label,
                "key": self.key,
            }
        return _("%(table)s %(key)s：字段 %(field)s 按账本应为 %(ledger)s，数据库中为 %(database)s") % {
            "table": label,
            "key": self.key,
            "field": self.field,
            "ledger": _show(self.ledger),
            "database": _show(self.database),
        }


def _show(value: Any) -> str:
    return "null" if value is None else repr(value) if isinstance(value, str) else str(value)


def _time(value: Any) -> Any:
    """Times compare as UTC text with microseconds, whatever form the payload used."""
    if value is None or value is UNKNOWN:
        return value
    if isinstance(value, str):
        return at_text(datetime.fromisoformat(value))
    return at_text(value)


def _entries(prefixes: tuple[str, ...]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    from django.db.models import Q

    query = Q()
    for prefix in prefixes:
        query |= Q(kind__startswith=prefix)
    rows = LedgerEntry.objects.filter(query).order_by("seq").values_list("stream", "kind", "payload")
    yield from rows.iterator(chunk_size=2000)


# Deadlines ---------------------------------------------------------------------------------------------------------


def _deadline_state(stream: str, kind: str, payload: dict[str, Any], states: dict[str, dict[str, Any]]) -> None:
    key = stream.removeprefix("deadline:")
    if kind == "deadline.opened":
        states[key] = {
            "rule": payload.get("rule", UNKNOWN),
            "subject_type": payload.get("subject_type", UNKNOWN),
            "subject_id": payload.get("subject_id", UNKNOWN),
            "subject_label": payload.get("subject_label", UNKNOWN),
            "start_event": payload.get("start_event", UNKNOWN),
            "started_at": payload.get("started_at", UNKNOWN),
            "amount": payload.get("amount", UNKNOWN),
            "region_code": payload.get("region_code", UNKNOWN),
            "due_at": payload.get("due_at", UNKNOWN),
            "yellow_at": payload.get("yellow_at", UNKNOWN),
            "status": "open",
            "level": payload.get("level", UNKNOWN),
            "completed_at": None,
        }
        return
    state = states.get(key)
    if state is None:  # an event for a deadline whose opening is not in the ledger: reported as an extra row
        return
    if kind == "deadline.paused":
        state["status"] = "paused"
    elif kind == "deadline.resumed":
        state.update(status="open", due_at=payload.get("due_at"), yellow_at=payload.get("yellow_at"))
    elif kind == "deadline.extended":
        state.update(
            amount=payload.get("total_amount"), due_at=payload.get("due_at"), yellow_at=payload.get("yellow_at")
        )
    elif kind == "deadline.recomputed":
        state.update(due_at=payload.get("due_at"), yellow_at=payload.get("yellow_at"))
    elif kind == "deadline.level_changed":
        state["level"] = payload.get("to")
    elif kind == "deadline.completed":
        if "yellow_at" in payload:
            state["yellow_at"] = payload["yellow_at"]
        elif state["status"] == "paused":
            state["yellow_at"] = UNKNOWN  # recomputed on completion; older entries did not record it
        state.update(status=payload.get("status"), due_at=payload.get("due_at"), completed_at=payload.get("at"))
    elif kind == "deadline.cancelled":
        state["status"] = "cancelled"


def _deadline_row(deadline: Deadline) -> dict[str, Any]:
    return {
        "rule": deadline.rule.code,
        "subject_type": deadline.subject_type,
        "subject_id": deadline.subject_id,
        "subject_label": deadline.subject_label,
        "start_event": deadline.start_event,
        "started_at": deadline.started_at,
        "amount": deadline.amount,
        "region_code": deadline.region_code,
        "due_at": deadline.due_at,
        "yellow_at": deadline.yellow_at,
        "status": str(deadline.status),
        "level": str(deadline.level),
        "completed_at": deadline.completed_at,
    }


def _compare(
    table: str, expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]], times: set[str]
) -> list[Difference]:
    differences: list[Difference] = []
    for key in sorted(expected.keys() - actual.keys()):
        differences.append(Difference(table, key, "", "row", None))
    for key in sorted(actual.keys() - expected.keys()):
        differences.append(Difference(table, key, "", None, "row"))
    for key in sorted(expected.keys() & actual.keys()):
        want, have = expected[key], actual[key]
        for field, value in want.items():
            if value is UNKNOWN:
                continue
            got = have.get(field)
            if field in times:
                value, got = _time(value), _time(got)
            if value != got:
                differences.append(Difference(table, key, field, value, got))
    return differences


def check_deadlines() -> list[Difference]:
    """Rebuild every deadline from `deadline.*` entries and compare with the Deadline table."""
    states: dict[str, dict[str, Any]] = {}
    for stream, kind, payload in _entries(("deadline.",)):
        _deadline_state(stream, kind, payload, states)
    actual = {str(d.public_id): _deadline_row(d) for d in Deadline.objects.select_related("rule")}
    return _compare("deadline", states, actual, _DEADLINE_TIMES)


# Organisation ------------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Foreign keys as the ledger records them (region code, public id), like org.services._snapshot."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "public_id"):
        return str(value.public_id)
    if hasattr(value, "code"):
        return value.code
    return value


def _apply_changes(state: dict[str, Any] | None, payload: dict[str, Any]) -> None:
    """Apply an update entry's `changed: {field: [before, after]}` to a projected row."""
    if state is not None:
        for field, pair in payload.get("changed", {}).items():
            state[field] = pair[1]


def check_organisation() -> list[Difference]:
    """Rebuild regions, agencies and units from `org.*` entries and compare with their tables."""
    from sunlight.org.models import Agency, Region, Unit
    from sunlight.org.services import AGENCY_FIELDS, UNIT_FIELDS

    regions: dict[str, dict[str, Any]] = {}
    agencies: dict[str, dict[str, Any]] = {}
    units: dict[str, dict[str, Any]] = {}
    for stream, kind, payload in _entries(("org.region_", "org.agency_", "org.unit_")):
        if kind == "org.region_created":
            regions[payload["code"]] = {
                "name": payload.get("name", UNKNOWN),
                "level": payload.get("level", UNKNOWN),
                "parent": payload.get("parent", UNKNOWN),
            }
        elif kind == "org.agency_created":
            after = payload.get("after", {})
            agencies[payload["agency"]] = {f: after.get(f, UNKNOWN) for f in AGENCY_FIELDS}
        elif kind == "org.unit_created":
            after = payload.get("after", {})
            units[payload["unit"]] = {"agency": stream.removeprefix("agency:")} | {
                f: after.get(f, UNKNOWN) for f in UNIT_FIELDS
            }
        elif kind == "org.agency_updated":
            _apply_changes(agencies.get(payload.get("agency", "")), payload)
        elif kind == "org.unit_updated":
            _apply_changes(units.get(payload.get("unit", "")), payload)

    actual_regions = {
        r.code: {"name": r.name, "level": str(r.level), "parent": r.parent.code if r.parent else None}
        for r in Region.objects.select_related("parent")
    }
    actual_agencies = {
        str(a.public_id): {f: _plain(getattr(a, f)) for f in AGENCY_FIELDS}
        for a in Agency.objects.select_related("region", "supervisor")
    }
    actual_units = {
        str(u.public_id): {"agency": str(u.agency.public_id)} | {f: _plain(getattr(u, f)) for f in UNIT_FIELDS}
        for u in Unit.objects.select_related("agency")
    }
    return (
        _compare("region", regions, actual_regions, set())
        + _compare("agency", agencies, actual_agencies, set())
        + _compare("unit", units, actual_units, set())
    )


def rebuild_check() -> list[Difference]:
    """Every difference between the projected tables and what the ledger says they should hold (REC-10)."""
    return check_deadlines() + check_organisation()
