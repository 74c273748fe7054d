"""Reads of the catalog: permission-aware selectors for the workbench, `published_*` selectors for the portal
(PUB-1), and the checks other apps call:

- `unit_holds_item(*, unit, item, on)` — DIS-3: may this unit handle cases of this item on that day?
- `benchmark_check(*, benchmark, circumstance, proposal, on)` — DIS-1/DIS-2: is a proposed penalty within the
  benchmark for its circumstance, and if not, reasons are required.
- `major_rules_met(*, agency, facts, on)` — REV-1: every major-decision rule a case meets, with the reason in words.
- `av_requirement(*, agency, action_type, step, on)` — REC-5: "continuous", "appropriate" or None.

For a run that asks the same about many days (a case's pre-checks), `ItemVersionsInForce` reads an item's versions
once, `av_items_by_day` reads the AV items once for all the days, and `cited_articles` says in one query whether
each article a version cites is in force.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound
from sunlight.org.selectors import agencies_visible_to

from .choices import AmendmentKind, CatalogKind, FlagStatus, VersionStatus, strongest_av
from .models import (
    ArticleText,
    AvItemVersion,
    Benchmark,
    BenchmarkVersion,
    CatalogFlag,
    EnforcementItem,
    InspectionItemVersion,
    ItemVersion,
    Law,
    LawAmendment,
    MajorRuleVersion,
)
from .rules import BenchmarkCheck, CaseFacts, MajorReason, ProposedPenalty, RuleSpec, check_penalty, rules_met
from .versioning import current_version, current_versions, in_force_among, levels_of, scheduled_versions, spec_for
from .workflows import av_floor

__all__ = [
    "BenchmarkCheck",
    "CaseFacts",
    "CitedArticle",
    "ItemVersionsInForce",
    "MajorReason",
    "ProposedPenalty",
    "av_items_by_day",
    "av_requirement",
    "benchmark_check",
    "cited_articles",
    "major_rules_met",
    "unit_holds_item",
]


def _day(on: date | datetime | None) -> date:
    """A day from a date, an aware datetime (its Asia/Shanghai date) or None (today)."""
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime):
        return timezone.localdate(on)
    return on


# --- checks other apps call ----------------------------------------------------------------------------------------


def unit_holds_item(*, unit: Any, item: EnforcementItem, on: date | datetime) -> bool:
    """DIS-3: True when, on that day, the item's version in force names the unit as handling unit or among the units
    that hold the power. False for a unit of another agency, an item not (yet or any longer) in force, or an abolished
    item. (The rule lives in `ItemVersionsInForce`, so that a run asking about many days answers the same.)"""
    return ItemVersionsInForce().unit_holds_item(unit=unit, item=item, on=on)


class ItemVersionsInForce:
    """Enforcement items' versions in force, for a run that asks about the same item on several days — a case's
    pre-checks ask for the decision day (competence, law) and for each record's day (DIS-3 in `may_act`).

    Each item's published versions are read in one query when the item is first asked about, and the version in
    force on a day is picked from them by the rule of `current_version` (the highest-numbered one whose effective
    date has come; none when it abolishes the item); the units holding a version are read once, when first needed.
    So the run reads an item a fixed number of times whatever the days. The rows are read once: use one per run,
    not across writes.
    """

    def __init__(self) -> None:
        self._versions: dict[int, list[ItemVersion]] = {}  # item pk → published versions, highest number first
        self._holding: dict[int, set[int]] = {}  # version pk → pks of the units holding the power

    def version_on(self, *, item: EnforcementItem, on: date) -> ItemVersion | None:
        """What `current_version(CatalogKind.ITEM, item, on=on)` answers."""
        versions = self._versions.get(item.pk)
        if versions is None:
            published = ItemVersion.objects.filter(entry=item, status=VersionStatus.PUBLISHED).order_by("-number")
            versions = self._versions[item.pk] = list(published)
        version = in_force_among(versions, on=on)
        return None if version is None or version.abolished else version

    def unit_holds_item(self, *, unit: Any, item: EnforcementItem, on: date | datetime) -> bool:
        """What `unit_holds_item` answers (DIS-3; the same arguments)."""
        if unit is None or not isinstance(item, EnforcementItem) or unit.agency_id != item.agency_id:
            return False
        version = self.version_on(item=item, on=_day(on))
        if version is None:
            return False
        if version.handling_unit_id == unit.pk:
            return True
        if version.pk not in self._holding:
            self._holding[version.pk] = set(version.holding_units.values_list("pk", flat=True))
        return unit.pk in self._holding[version.pk]


@dataclass(frozen=True)
class CitedArticle:
    """An article a catalog version cites, and whether it is in force on the day asked about."""

    citation: str
    in_force: bool


def cited_articles(*, version: Any, on: date) -> list[CitedArticle]:
    """The articles a catalog version cites, in the catalog's order (law title, number), each with whether it is in
    force on `on`: it has a wording by then (`Article.text_on`), not a deleted one, and its law's repeal (the first,
    as `Law.repealed_on`) has not taken effect by then. One query for all the articles — the wording and the repeal
    date come as subqueries — instead of one per article and one per law."""
    wording = ArticleText.objects.filter(article=OuterRef("pk"), effective_from__lte=on).order_by(
        "-effective_from", "-id"
    )
    repeal = LawAmendment.objects.filter(law=OuterRef("law_id"), kind=AmendmentKind.REPEAL).order_by("effective_from")
    articles = version.articles.select_related("law").annotate(
        wording_repealed=Subquery(wording.values("repealed")[:1]),
        law_repealed_on=Subquery(repeal.values("effective_from")[:1]),
    )
    return [
        CitedArticle(
            citation=article.citation,
            in_force=article.wording_repealed is not None
            and not article.wording_repealed
            and (article.law_repealed_on is None or article.law_repealed_on > on),
        )
        for article in articles
    ]


def items_held_by(*, unit: Any, on: date | datetime | None = None) -> list[ItemVersion]:
    """The item versions in force that the unit may handle (for the registry's post boards and assignment lists)."""
    day = _day(on)
    versions = current_versions(CatalogKind.ITEM, on=day, agency=unit.agency)
    return [
        v
        for v in versions.prefetch_related("holding_units")
        if v.handling_unit_id == unit.pk or unit in v.holding_units.all()
    ]


def benchmark_check(
    *, benchmark: Benchmark, circumstance: str, proposal: ProposedPenalty, on: date | datetime
) -> BenchmarkCheck:
    """DIS-2: check a proposed penalty against the benchmark version in force on `on` for the circumstance.

    `result.within` says whether it is within the benchmark; `result.reasons_required` is True when it is not (the
    decision must then give explicit reasons); `result.problems` says what lies outside, `result.allowed` what the
    level allows, in words.
    """
    version = current_version(CatalogKind.BENCHMARK, benchmark, on=_day(on))
    if version is None:
        return BenchmarkCheck(False, circumstance, [], [_("该裁量基准在该日期没有施行的版本。")])
    levels = levels_of(BenchmarkVersion.objects.prefetch_related("levels__penalties").get(pk=version.pk))
    return check_penalty(levels, circumstance=circumstance, proposal=proposal, version=version.number)


def major_rules_met(*, agency: Any, facts: CaseFacts, on: date | datetime) -> list[MajorReason]:
    """REV-1: every rule of the agency's major-decision catalog in force on `on` that the case meets, each with the
    reason in words (empty: not a major decision under the catalog)."""
    versions = current_versions(CatalogKind.MAJOR_RULE, on=_day(on), agency=agency)
    specs = [
        RuleSpec(
            code=v.entry.code,
            title=v.title,
            criterion=v.criterion,
            version=v.number,
            action_types=tuple(v.action_types or ()),
            amount_fen=v.amount_fen,
            party=v.party,
        )
        for v in versions
    ]
    return rules_met(specs, facts)


def av_requirement(*, agency: Any, action_type: str, step: str, on: date | datetime) -> str | None:
    """REC-5: how a step must be recorded on audio-video: "continuous", "appropriate" or None.

    The strongest of the legal floor (workflows: coercive measures, lodged service) and the agency's AV items in force
    that name this step or, for a variant such as `service.lodged`, its step `service`.
    """
    base = step.split(".", 1)[0]
    versions = current_versions(CatalogKind.AV, on=_day(on), agency=agency).filter(
        action_type=action_type, step__in={step, base}
    )
    best = strongest_av(av_floor(action_type, step), *versions.values_list("requirement", flat=True))
    return None if best is None else str(best)


class _AvVersion(NamedTuple):
    """The fields of a published AV version that `av_items_by_day` reads."""

    effective_from: date
    abolished: bool
    action_type: str
    step: str
    requirement: str


def av_items_by_day(*, agency: Any, action_type: str, days: Iterable[date]) -> dict[date, dict[str, str]]:
    """REC-5 for many days at once (a case's records): for each day, step code → the strongest requirement of the
    agency's AV items in force that day for the action type — the catalog's part of `av_requirement`, without the
    legal floor, keyed by the code an item names (a step, or a variant such as `service.lodged`).

    One query whatever the days: the agency's published AV versions up to the last day; the version in force per
    item and day is picked from them by the rule of `current_versions` (the highest-numbered one whose effective date
    has come, left out when it abolishes the item), and only then matched against the action type, which a later
    version may change."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    rows = (
        AvItemVersion.objects.filter(
            entry__agency=agency, status=VersionStatus.PUBLISHED, effective_from__lte=wanted[-1]
        )
        .order_by("entry_id", "-number")
        .values_list("entry_id", "effective_from", "abolished", "action_type", "step", "requirement")
    )
    by_item: dict[int, list[_AvVersion]] = {}
    for entry_id, effective_from, abolished, version_action_type, step, requirement in rows:
        version = _AvVersion(effective_from, abolished, version_action_type, step, requirement)
        by_item.setdefault(entry_id, []).append(version)
    tables: dict[date, dict[str, str]] = {}
    for day in wanted:
        table = tables[day] = {}
        for versions in by_item.values():
            in_force = in_force_among(versions, on=day)
            if in_force is None or in_force.abolished or in_force.action_type != action_type:
                continue
            table[in_force.step] = strongest_av(table.get(in_force.step), in_force.requirement) or in_force.requirement
    return tables


# --- workbench selectors -------------------------------------------------------------------------------------------


def catalog_agencies(user: Any) -> QuerySet[Any]:
    """Agencies whose catalogs the user may read (their data scope), justice bureaus left out (they hold no powers)."""
    return agencies_visible_to(user).filter(is_justice_bureau=False)


def agency_for_user(*, user: Any, public_id: str | uuid.UUID | None) -> Any:
    """The agency a catalog page shows: the one asked for (within scope), else the user's own, else the first."""
    agencies = catalog_agencies(user)
    if public_id:
        try:
            return agencies.get(public_id=public_id)
        except (agencies.model.DoesNotExist, ValidationError, ValueError) as exc:
            raise NotFound.single("agency", "not_found", _("执法主体不存在或您无权查看。")) from exc
    own = agencies.filter(pk=getattr(user, "agency_id", None)).first()
    first = own or agencies.first()
    if first is None:
        raise NotFound.single("agency", "not_found", _("没有可查看的执法主体。"))
    return first


def entries_for_user(user: Any, kind: str, *, agency: Any = None) -> QuerySet[Any]:
    """A catalog's entries within the user's scope (of one agency when given)."""
    qs = spec_for(kind).entry_model.objects.filter(agency__in=catalog_agencies(user)).select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("code")


def entry_get_for_user(*, user: Any, kind: str, public_id: str | uuid.UUID) -> Any:
    """One entry within the user's scope, or NotFound."""
    try:
        return entries_for_user(user, kind).get(public_id=public_id)
    except (spec_for(kind).entry_model.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound.single("entry", "not_found", _("目录事项不存在或您无权查看。")) from exc


def version_get_for_user(*, user: Any, kind: str, public_id: str | uuid.UUID) -> Any:
    """One version of an entry within the user's scope, or NotFound."""
    model = spec_for(kind).version_model
    try:
        return model.objects.select_related("entry", "entry__agency").get(
            public_id=public_id, entry__agency__in=catalog_agencies(user)
        )
    except (model.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound.single("version", "not_found", _("版本不存在或您无权查看。")) from exc


def versions_of(kind: str, entry: Any) -> QuerySet[Any]:
    """Every version of an entry, newest first, with who did what."""
    return (
        spec_for(kind)
        .version_model.objects.filter(entry=entry)
        .select_related("created_by", "submitted_by", "reviewed_by")
        .order_by("-number")
    )


def pending_versions_for_user(user: Any, *, agency: Any) -> list[tuple[str, Any]]:
    """Versions of an agency's catalogs waiting for legal review, oldest first, as (kind, version)."""
    if agency not in catalog_agencies(user):
        return []
    found: list[tuple[str, Any]] = []
    for kind in CatalogKind.values:
        model = spec_for(kind).version_model
        found += [
            (kind, v)
            for v in model.objects.filter(entry__agency=agency, status=VersionStatus.IN_REVIEW).select_related("entry")
        ]
    return sorted(found, key=lambda kv: kv[1].submitted_at or kv[1].created_at)


def flags_for_user(user: Any, *, agency: Any = None, status: str | None = FlagStatus.OPEN) -> QuerySet[CatalogFlag]:
    """Entries flagged by amended laws, within the user's scope."""
    qs = CatalogFlag.objects.filter(agency__in=catalog_agencies(user)).select_related(
        "amendment", "amendment__law", "deadline", "agency"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if status:
        qs = qs.filter(status=status)
    return qs


def flag_get_for_user(*, user: Any, public_id: str | uuid.UUID) -> CatalogFlag:
    """One flag within the user's scope, or NotFound."""
    try:
        return flags_for_user(user, status=None).get(public_id=public_id)
    except (CatalogFlag.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound.single("flag", "not_found", _("待更新事项不存在或您无权查看。")) from exc


def laws() -> QuerySet[Law]:
    """Every recorded law (laws are public facts shared by all agencies)."""
    return Law.objects.prefetch_related("amendments").order_by("kind", "title")


def law_get(*, public_id: str | uuid.UUID) -> Law:
    """One law by its public id, or NotFound."""
    try:
        return Law.objects.get(public_id=public_id)
    except (Law.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound.single("law", "not_found", _("法律法规不存在。")) from exc


def citing_versions(law: Law, *, on: date | None = None) -> list[tuple[str, Any]]:
    """Catalog versions in force that cite an article of the law, as (kind, version)."""
    day = on or timezone.localdate()
    found: list[tuple[str, Any]] = []
    for kind in (CatalogKind.ITEM, CatalogKind.BENCHMARK, CatalogKind.INSPECTION):
        found += [(kind, v) for v in current_versions(kind, on=day).filter(articles__law=law).distinct()]
    return found


# --- the portal (PUB-1): published and in force, or scheduled ------------------------------------------------------


def _public(kind: str, day: date, agency: Any) -> QuerySet[Any]:
    """Versions in force of active agencies' entries (a revoked agency leaves the portal)."""
    return current_versions(kind, on=day, agency=agency).filter(entry__agency__is_active=True)


def published_items(*, agency: Any = None, on: date | datetime | None = None) -> QuerySet[ItemVersion]:
    """The enforcement item list in force (name, action type, basis, handling and approving unit, time limit)."""
    return (
        _public(CatalogKind.ITEM, _day(on), agency)
        .select_related("handling_unit", "approving_unit")
        .prefetch_related("articles__law", "holding_units", "entry__benchmarks")
    )


def published_benchmarks(*, agency: Any = None, on: date | datetime | None = None) -> QuerySet[BenchmarkVersion]:
    """The discretion benchmarks in force (DIS-1: published), with their levels and ranges."""
    return _public(CatalogKind.BENCHMARK, _day(on), agency).prefetch_related("levels__penalties", "articles__law")


def published_major_rules(*, agency: Any = None, on: date | datetime | None = None) -> QuerySet[MajorRuleVersion]:
    """The major-decision catalog in force (REV-1)."""
    return _public(CatalogKind.MAJOR_RULE, _day(on), agency)


def published_inspection_items(
    *, agency: Any = None, on: date | datetime | None = None
) -> QuerySet[InspectionItemVersion]:
    """The random-inspection item list in force (RND-1: subject, basis, object, content, ratio, method, frequency)."""
    return _public(CatalogKind.INSPECTION, _day(on), agency).prefetch_related("articles__law")


def published_av_items(*, agency: Any = None, on: date | datetime | None = None) -> QuerySet[AvItemVersion]:
    """The AV item list in force (REC-5)."""
    return _public(CatalogKind.AV, _day(on), agency)


def published_service_guide(*, item: EnforcementItem, on: date | datetime | None = None) -> ItemVersion | None:
    """The service guide of an item: its version in force (the process comes from `workflows`)."""
    return current_version(CatalogKind.ITEM, item, on=_day(on))


def scheduled_changes(*, agency: Any = None, on: date | datetime | None = None) -> list[tuple[str, Any]]:
    """Published versions announced to take effect later (PUB-2), as (kind, version), soonest first."""
    day = _day(on)
    found: list[tuple[str, Any]] = []
    for kind in CatalogKind.values:
        found += [
            (kind, v) for v in scheduled_versions(kind, on=day, agency=agency).filter(entry__agency__is_active=True)
        ]
    return sorted(found, key=lambda kv: (kv[1].effective_from, kv[1].entry.code))
