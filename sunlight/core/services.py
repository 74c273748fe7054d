"""Writes to the working-day calendar (SYS-3): local holidays, make-up days, and confirmation of a year's schedule.

Overrides are append-only: a new row for the same region and date supersedes the older one, which stays.
"""

from __future__ import annotations

import datetime as dt
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
from .deadlines import deadlines_recompute
from .ledger import actor_label
from .models import CalendarOverride, CalendarYear


def calendar_override_add(
    *, acting_user: Any, date: dt.date, kind: str, name: str, region: Region | None
) -> CalendarOverride:
    """Declare a date a workday or rest day nationwide (region None) or for a region and everything below it."""
    require_capability(acting_user, Capability.MANAGE_CALENDAR, target=str(date))
    scope = effective_scope(acting_user)
    if region is None and scope != Scope.ALL:
        raise deny(acting_user, action="calendar.override_national", target=str(date))
    if region is not None and scope != Scope.ALL:
        home = acting_user.home_region
        if home is None or not region.code.startswith(home.scope_prefix):
            raise deny(acting_user, action="calendar.override", target=region.code)
    errors: list[FieldError] = []
    if kind not in DayKind.values:
        errors.append(FieldError("kind", "invalid", _("类型无效。")))
    if not name.strip():
        errors.append(FieldError("name", "required", _("请填写名称或依据。")))
    if errors:
        raise ServiceError(errors)
    region_code = region.code if region else ""
    with transaction.atomic():
        override = CalendarOverride.objects.create(
            region_code=region_code, date=date, kind=kind, name=name.strip(), created_by=acting_user
        )
        audit(
            kind="calendar.override_added",
            actor=acting_user,
            stream="calendar",
            payload={"date": date.isoformat(), "kind": kind, "name": override.name, "region": region_code},
        )
        deadlines_recompute(
            region_code=region_code, first_day=date, last_day=date, now=timezone.now(), actor=actor_label(acting_user)
        )
    return override


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
