"""Writes to the working-day calendar (SYS-3): local holidays, make-up days, and confirmation of a year's schedule.

Overrides are append-only: a new row for the same region and date supersedes the older one, which stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.errors import FieldError, ServiceError
from sunlight.org.choices import Capability, Scope
from sunlight.org.models import Region
from sunlight.org.scope import deny, effective_scope, require_capability

from .choices import DayKind
from .deadlines import deadlines_recompute, deadlines_recompute_rule
from .ledger import actor_label
from .models import CalendarOverride, CalendarYear, DeadlineRule


@dataclass(frozen=True)
class DayEntry:
    """One date's declaration: a workday or a rest day, with its name or basis."""

    date: dt.date
    kind: str
    name: str


_KIND_WORDS = {"休": DayKind.RESTDAY, "班": DayKind.WORKDAY, "恢复": DayKind.OFFICIAL}
_MAX_RANGE_DAYS = 31


def parse_schedule(text: str) -> list[DayEntry]:
    """Read a schedule as administrators copy it from the State Council notice, one line per day or range:

        2027-01-01 休 元旦
        2027-02-06~2027-02-13 休 春节
        2027-02-14 班 春节调休

    (休 = rest day, 班 = make-up workday, 恢复 = back to the national schedule). Every bad line is reported as
    `lines.N`; nothing is returned unless all lines are good.
    """
    entries: list[DayEntry] = []
    errors: list[FieldError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        field = f"lines.{number}"
        if len(parts) < 3 or parts[1] not in _KIND_WORDS:
            errors.append(FieldError(field, "invalid", _("第%(n)d行格式应为：日期 休/班/恢复 名称。") % {"n": number}))
            continue
        first_text, _sep, last_text = parts[0].replace("至", "~").partition("~")
        try:
            first = dt.date.fromisoformat(first_text)
            last = dt.date.fromisoformat(last_text) if last_text else first
        except ValueError:
            errors.append(FieldError(field, "invalid_date", _("第%(n)d行的日期无效。") % {"n": number}))
            continue
        if last < first or (last - first).days >= _MAX_RANGE_DAYS:
            errors.append(FieldError(field, "invalid_range", _("第%(n)d行的日期范围无效。") % {"n": number}))
            continue
        day = first
        while day <= last:
            entries.append(DayEntry(day, _KIND_WORDS[parts[1]], parts[2].strip()))
            day += dt.timedelta(days=1)
    if errors:
        raise ServiceError(errors)
    if not entries:
        raise ServiceError.single("lines", "required", _("请至少填写一行。"))
    return entries


def calendar_overrides_add(
    *, acting_user: Any, entries: list[DayEntry], region: Region | None
) -> list[CalendarOverride]:
    """Declare dates workdays or rest days nationwide (region None) or for a region and everything below it.

    All or nothing: the overrides, their ledger entries and the recomputed deadlines commit together.
    """
    require_capability(acting_user, Capability.MANAGE_CALENDAR, target="calendar")
    scope = effective_scope(acting_user)
    if region is None and scope != Scope.ALL:
        raise deny(acting_user, action="calendar.override_national", target="")
    if region is not None and scope != Scope.ALL:
        home = acting_user.home_region
        if home is None or not region.code.startswith(home.scope_prefix):
            raise deny(acting_user, action="calendar.override", target=region.code)
    errors: list[FieldError] = []
    for entry in entries:
        if entry.kind not in DayKind.values:
            errors.append(FieldError("kind", "invalid", _("类型无效。")))
        if not entry.name.strip():
            errors.append(FieldError("name", "required", _("请填写名称或依据。")))
    if errors or not entries:
        raise ServiceError(errors or [FieldError("lines", "required", _("请至少填写一行。"))])
    region_code = region.code if region else ""
    created = []
    with transaction.atomic():
        for entry in entries:
            created.append(
                CalendarOverride.objects.create(
                    region_code=region_code,
                    date=entry.date,
                    kind=entry.kind,
                    name=entry.name.strip(),
                    created_by=acting_user,
                )
            )
            audit(
                kind="calendar.override_added",
                actor=acting_user,
                stream="calendar",
                payload={
                    "date": entry.date.isoformat(),
                    "kind": entry.kind,
                    "name": entry.name.strip(),
                    "region": region_code,
                },
            )
        deadlines_recompute(
            region_code=region_code,
            first_day=min(e.date for e in entries),
            last_day=max(e.date for e in entries),
            now=timezone.now(),
            actor=actor_label(acting_user),
        )
    return created


def calendar_override_add(
    *, acting_user: Any, date: dt.date, kind: str, name: str, region: Region | None
) -> CalendarOverride:
    """Declare one date a workday or rest day (see calendar_overrides_add)."""
    return calendar_overrides_add(acting_user=acting_user, entries=[DayEntry(date, kind, name)], region=region)[0]


def calendar_year_confirm(*, acting_user: Any, year: int, note: str) -> CalendarYear:
    """Confirm that a year's official schedule has been entered, so its days count as scheduled (no warning)."""
    require_capability(acting_user, Capability.MANAGE_CALENDAR, target=str(year))
    if effective_scope(acting_user) != Scope.ALL:
        raise deny(acting_user, action="calendar.year_confirm", target=str(year))
    if not note.strip():
        raise ServiceError.single("note", "required", _("请填写依据。"))
    if CalendarYear.objects.filter(year=year).exists():
        raise ServiceError.single("year", "duplicate", _("%(year)d年的放假安排已确认。") % {"year": year})
    with transaction.atomic():
        row = CalendarYear.objects.create(year=year, note=note.strip(), confirmed_by=acting_user)
        audit(
            kind="calendar.year_confirmed",
            actor=acting_user,
            stream="calendar",
            payload={"year": year, "note": row.note},
        )
        deadlines_recompute(
            region_code="",
            first_day=dt.date(year, 1, 1),
            last_day=dt.date(year, 12, 31),
            now=timezone.now(),
            actor=actor_label(acting_user),
        )
    return row


def deadline_rule_update(*, acting_user: Any, rule: DeadlineRule, yellow_percent: int, yellow_min: int) -> DeadlineRule:
    """Change when a rule's deadlines turn yellow (SYS-8: configurable per rule); running ones follow at once.

    The statutory period itself is not editable here: it is the law's, and ships with the code.
    """
    require_capability(acting_user, Capability.MANAGE_CALENDAR, target=f"rule:{rule.code}")
    if effective_scope(acting_user) != Scope.ALL:
        raise deny(acting_user, action="deadline_rule.update", target=rule.code)
    errors: list[FieldError] = []
    if not 0 <= yellow_percent <= 100:
        errors.append(FieldError("yellow_percent", "out_of_range", _("剩余比例应在0到100之间。")))
    if not 0 <= yellow_min <= 365:
        errors.append(FieldError("yellow_min", "out_of_range", _("提前量应在0到365之间。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
        before = [locked.yellow_percent, locked.yellow_min]
        locked.yellow_percent, locked.yellow_min = yellow_percent, yellow_min
        locked.save(update_fields=["yellow_percent", "yellow_min"])
        audit(
            kind="calendar.rule_updated",
            actor=acting_user,
            stream="calendar",
            payload={"rule": locked.code, "yellow": [before, [yellow_percent, yellow_min]]},
        )
        deadlines_recompute_rule(rule=locked, now=timezone.now(), actor=actor_label(acting_user))
    return locked
