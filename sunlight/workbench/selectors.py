"""Reads for the workbench's warning pages (SYS-8): my warnings, and the roll-up per agency and level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sunlight.core.choices import DeadlineStatus, Level
from sunlight.core.models import CalendarOverride, Deadline, DeadlineRule, LedgerEntry
from sunlight.org.choices import Capability, Scope
from sunlight.org.choices import Level as OrgLevel
from sunlight.org.models import Agency
from sunlight.org.scope import require_capability, scope_q
from sunlight.org.selectors import agencies_visible_to

RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.PAUSED)
WARNING_LEVELS = (Level.YELLOW, Level.RED)


def deadlines_visible_to(user: Any) -> QuerySet[Deadline]:
    """Deadlines within the user's data scope (their own, their unit's, their agency's, their region's)."""
    return Deadline.objects.select_related("rule", "agency", "unit", "responsible").filter(
        scope_q(user, agency="agency", unit="unit", owner="responsible", region="region_code")
    )


def my_warnings(user: Any, *, level: str | None = None) -> QuerySet[Deadline]:
    """Running deadlines the user is responsible for that are yellow or red, most urgent first."""
    qs = Deadline.objects.select_related("rule", "agency", "unit").filter(
        responsible=user, status__in=RUNNING, level__in=WARNING_LEVELS
    )
    if level in WARNING_LEVELS:
        qs = qs.filter(level=level)
    return qs.order_by("due_at")


def my_warning_counts(user: Any) -> dict[str, int]:
    """{"yellow": n, "red": m} for the user's own running deadlines."""
    rows = my_warnings(user).values("level").annotate(n=Count("id"))
    counts = {Level.YELLOW.value: 0, Level.RED.value: 0}
    counts.update({r["level"]: r["n"] for r in rows})
    return counts


@dataclass
class RollupRow:
    agency: Agency
    yellow: int
    red: int


@dataclass
class RollupLevel:
    level: str
    label: str
    rows: list[RollupRow] = field(default_factory=list)

    @property
    def yellow(self) -> int:
        return sum(r.yellow for r in self.rows)

    @property
    def red(self) -> int:
        return sum(r.red for r in self.rows)


def warning_rollup(user: Any) -> list[RollupLevel]:
    """Counts of yellow and red running deadlines per agency in the user's scope, grouped by administrative level."""
    require_capability(user, Capability.VIEW_ROLLUP, target="warnings.rollup")
    scoped = deadlines_visible_to(user).filter(status__in=RUNNING)
    agencies = agencies_visible_to(user).annotate(
        yellow=Count("deadlines", filter=Q(deadlines__in=scoped, deadlines__level=Level.YELLOW)),
        red=Count("deadlines", filter=Q(deadlines__in=scoped, deadlines__level=Level.RED)),
    )
    levels = {value: RollupLevel(value, str(label)) for value, label in OrgLevel.choices}
    for agency in agencies:
        levels[agency.level].rows.append(RollupRow(agency, agency.yellow, agency.red))
    return [lvl for lvl in levels.values() if lvl.rows]


def actor_names(actors: list[str]) -> dict[str, str]:
    """Display names for ledger actors ("user:<public id>" → "姓名（用户名）"); others map to themselves."""
    from sunlight.org.models import User

    ids = {a.removeprefix("user:") for a in actors if a.startswith("user:")}
    names = {
        f"user:{u.public_id}": f"{u.full_name}（{u.username}）"
        for u in User.objects.filter(public_id__in=ids).only("public_id", "full_name", "username")
    }
    return {a: names.get(a, a) for a in actors}


def deadline_rules() -> QuerySet[DeadlineRule]:
    """Every statutory period the engine knows (public law, readable by all staff)."""
    return DeadlineRule.objects.order_by("requirement", "code")


def deadline_rule_get(*, code: str) -> DeadlineRule:
    """One rule by its code, or NotFound."""
    from sunlight.core.errors import NotFound

    rule = DeadlineRule.objects.filter(code=code).first()
    if rule is None:
        raise NotFound.single("rule", "not_found", _("期限规则不存在。"))
    return rule


def calendar_overrides_visible_to(user: Any) -> QuerySet[CalendarOverride]:
    """Nationwide overrides and those of the regions the user may see (or that lie above the user's region)."""
    from sunlight.core.ids import region_code_ancestors
    from sunlight.org.scope import effective_scope
    from sunlight.org.selectors import regions_visible_to

    qs = CalendarOverride.objects.order_by("-date", "-created_at")
    if effective_scope(user) == Scope.ALL:
        return qs
    codes = set(regions_visible_to(user).values_list("code", flat=True))
    home = user.home_region
    if home is not None:
        codes.update(region_code_ancestors(home.code))
    return qs.filter(Q(region_code="") | Q(region_code__in=codes))


AUDIT_KIND_PREFIXES = ("auth.", "permission.", "org.", "calendar.")


def audit_entries_visible_to(user: Any, *, kind_prefix: str = "") -> QuerySet[LedgerEntry]:
    """Security and administration entries for those allowed to read them (SYS-6).

    Readers below ALL scope see the entries whose actor is an account within their scope (a county supervisor sees
    the county's logins, refusals and changes, not the neighbour's); attempts under unknown names only at ALL scope.
    """
    from sunlight.org.scope import effective_scope
    from sunlight.org.selectors import users_visible_to

    require_capability(user, Capability.VIEW_AUDIT, target="audit")
    prefixes = [p for p in AUDIT_KIND_PREFIXES if p.startswith(kind_prefix) or kind_prefix.startswith(p)]
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(kind__startswith=max(prefix, kind_prefix, key=len))
    qs = LedgerEntry.objects.filter(q)
    if effective_scope(user) != Scope.ALL:
        actors = [f"user:{pid}" for pid in users_visible_to(user).values_list("public_id", flat=True)]
        qs = qs.filter(actor__in=actors)
    return qs.order_by("-seq")
