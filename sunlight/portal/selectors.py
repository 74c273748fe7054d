"""Reads of the public portal (PUB-1 ex-ante publicity, PUB-3 post boards). No login and no scope: everything here is
public by law, and nothing here is shown unless it is published, in force on the day asked for and belongs to an
active agency.

The catalog's `published_*` selectors give the lists; this module adds what the portal needs on top of them: the
officers whose certificate is valid on a day (auxiliaries never), single entries by their opaque ids, laws in force,
announced changes and the justice bureaus that supervise enforcement.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from sunlight.catalog.choices import AmendmentKind, CatalogKind, Circumstance, LawKind
from sunlight.catalog.models import (
    Article,
    Benchmark,
    BenchmarkVersion,
    EnforcementItem,
    ItemVersion,
    Law,
    LawAmendment,
)
from sunlight.catalog.rules import describe_penalty
from sunlight.catalog.selectors import (
    published_av_items,
    published_benchmarks,
    published_inspection_items,
    published_items,
    published_major_rules,
    published_service_guide,
    scheduled_changes,
)
from sunlight.catalog.versioning import current_version, levels_of, scheduled_versions, version_title
from sunlight.org.choices import Role
from sunlight.org.models import Agency, Region, RoleGrant, Unit
from sunlight.org.selectors import public_agencies
from sunlight.registry.choices import CertificateStatus, SanctionKind
from sunlight.registry.models import Auxiliary, Certificate, CertificateStatusChange, Officer, Sanction, field_labels

__all__ = [
    "Change",
    "PublicOfficer",
    "agency_get",
    "benchmark_get",
    "benchmark_levels",
    "changes",
    "item_benchmarks",
    "item_get",
    "item_scheduled",
    "law_articles",
    "law_get",
    "laws_in_force",
    "laws_upcoming",
    "officers_on_duty",
    "public_officers",
    "published_av_items",
    "published_benchmarks",
    "published_inspection_items",
    "published_items",
    "published_major_rules",
    "supervisors",
    "today",
    "unit_get",
]

QUERY_MAX_LENGTH = 40  # a name (at most a few dozen characters) or a certificate number (at most 40)


def today() -> date:
    """The day the portal shows (Asia/Shanghai). Tests move it to check that scheduled changes appear on their date."""
    return timezone.localdate()


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# --- agencies and units --------------------------------------------------------------------------------------------


def agency_get(public_id: Any) -> Agency | None:
    """An active agency by its public id (None for an unknown, malformed or revoked one)."""
    key = _uuid(public_id)
    if key is None:
        return None
    return public_agencies().select_related("supervisor").filter(public_id=key).first()


def unit_get(agency: Agency, public_id: Any) -> Unit | None:
    """An active unit of the agency by its public id."""
    key = _uuid(public_id)
    if key is None:
        return None
    return agency.units.filter(is_active=True, public_id=key).first()


def supervisors() -> QuerySet[Agency]:
    """The justice bureaus that supervise enforcement (执法监督机关), nearest to the county first."""
    return public_agencies().filter(is_justice_bureau=True).order_by("-region__code", "name")


# --- officers (PUB-1, PUB-3) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicOfficer:
    """One line of the public officer list: an officer and a certificate valid on the day."""

    officer: Officer
    certificate: Certificate
    categories: list[str]
    regions: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.officer.user.full_name or self.officer.user.username


def _valid_certificates(day: date) -> QuerySet[Certificate]:
    """Certificates valid on `day` whose holder is a current officer of an active agency, still in the agency that
    registered them, with an active account, not an auxiliary and not in off-post training that day."""
    auxiliary_role = RoleGrant.objects.filter(user=OuterRef("officer__user"), role=Role.AUXILIARY)
    auxiliary_record = Auxiliary.objects.filter(user=OuterRef("officer__user"), left_on__isnull=True)
    off_post = Sanction.objects.filter(
        officer=OuterRef("officer"),
        kind=SanctionKind.OFF_POST_TRAINING,
        starts_on__lte=day,
        ends_on__gte=day,
    )
    return (
        Certificate.objects.filter(
            status=CertificateStatus.VALID,
            issued_on__lte=day,
            expires_on__gte=day,
            officer__cleared_on__isnull=True,
            officer__user__is_active=True,
            officer__user__agency_id=F("officer__agency_id"),
            officer__agency__is_active=True,
        )
        .exclude(Exists(auxiliary_role))
        .exclude(Exists(auxiliary_record))
        .exclude(Exists(off_post))
        .select_related("officer", "officer__user", "officer__agency", "officer__unit")
        .prefetch_related(Prefetch("history", queryset=CertificateStatusChange.objects.order_by("effective_on", "id")))
        .order_by("officer__agency__region__code", "officer__agency__name", "officer__unit__name", "number")
    )


def officers_on_duty(
    *, day: date, query: str = "", agency: Agency | None = None, unit: Unit | None = None
) -> QuerySet[Certificate]:
    """The certificates valid on `day` (see `_valid_certificates`), of one agency or unit when given, matching a
    name or certificate number when `query` is given (part of either is enough; the query is cut to 40 characters).

    Returns certificates so that the caller can paginate; `public_officers` turns a page into display rows.
    """
    qs = _valid_certificates(day)
    if agency is not None:
        qs = qs.filter(officer__agency=agency)
    if unit is not None:
        qs = qs.filter(officer__unit=unit)
    text = (query or "").strip()[:QUERY_MAX_LENGTH]
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(officer__user__full_name__icontains=text))
    return qs


def public_officers(certificates: Any, *, day: date) -> list[PublicOfficer]:
    """Display rows for certificates from `officers_on_duty`, each checked once more against its status history (a
    certificate whose history says anything but valid on the day is left out)."""
    rows = [c for c in certificates if c.status_on(day) == CertificateStatus.VALID]
    codes = {code for c in rows for code in c.regions}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        PublicOfficer(
            officer=c.officer,
            certificate=c,
            categories=field_labels(list(c.categories)),
            regions=[names.get(code, code) for code in c.regions],
        )
        for c in rows
    ]


# --- catalog entries -----------------------------------------------------------------------------------------------


def item_get(public_id: Any, *, day: date) -> tuple[EnforcementItem, ItemVersion] | None:
    """An enforcement item of an active agency and its version in force on `day` (None when it has none)."""
    key = _uuid(public_id)
    if key is None:
        return None
    item = EnforcementItem.objects.select_related("agency", "agency__region").filter(public_id=key).first()
    if item is None or not item.agency.is_active:
        return None
    version = published_service_guide(item=item, on=day)
    if version is None:
        return None
    version = (
        ItemVersion.objects.select_related("handling_unit", "approving_unit")
        .prefetch_related("articles__law", "holding_units")
        .get(pk=version.pk)
    )
    return item, version


def item_benchmarks(item: EnforcementItem, *, day: date) -> QuerySet[BenchmarkVersion]:
    """The discretion benchmarks in force for an item (its 裁量依据)."""
    return published_benchmarks(agency=item.agency, on=day).filter(entry__item=item)


def item_scheduled(item: EnforcementItem, *, day: date) -> ItemVersion | None:
    """The item's announced next version (published, effective after `day`), if any."""
    return (
        scheduled_versions(CatalogKind.ITEM, on=day)
        .filter(entry=item)
        .select_related("handling_unit", "approving_unit")
        .first()
    )


def benchmark_get(public_id: Any, *, day: date) -> tuple[Benchmark, BenchmarkVersion] | None:
    """A discretion benchmark of an active agency and its version in force on `day`."""
    key = _uuid(public_id)
    if key is None:
        return None
    benchmark = Benchmark.objects.select_related("agency", "item").filter(public_id=key).first()
    if benchmark is None or not benchmark.agency.is_active:
        return None
    version = current_version(CatalogKind.BENCHMARK, benchmark, on=day)
    if version is None:
        return None
    version = BenchmarkVersion.objects.prefetch_related("levels__penalties", "articles__law").get(pk=version.pk)
    return benchmark, version


def benchmark_levels(version: BenchmarkVersion) -> list[dict[str, Any]]:
    """A benchmark version's levels in words: circumstance, conditions, penalties with their ranges."""
    return [
        {
            "label": Circumstance(level.circumstance).label,
            "conditions": level.conditions,
            "penalties": [describe_penalty(p) for p in level.penalties],
        }
        for level in levels_of(version)
    ]


@dataclass(frozen=True)
class Change:
    """An announced change: a published version that takes effect after today (PUB-2)."""

    kind: str
    kind_label: str
    version: Any
    title: str
    in_force_now: bool


def changes(*, day: date, agency: Agency | None = None, kind: str | None = None) -> list[Change]:
    """Announced changes of the catalogs (of one agency or kind when given), soonest first."""
    found = []
    labels = dict(CatalogKind.choices)
    for k, version in scheduled_changes(agency=agency, on=day):
        if kind is not None and k != kind:
            continue
        found.append(
            Change(
                kind=k,
                kind_label=str(labels[k]),
                version=version,
                title=version_title(k, version),
                in_force_now=current_version(k, version.entry, on=day) is not None,
            )
        )
    return found


# --- laws and normative documents ----------------------------------------------------------------------------------


def _repealed_on(law: Law) -> date | None:
    repeals = [a.effective_from for a in law.amendments.all() if a.kind == AmendmentKind.REPEAL]
    return min(repeals) if repeals else None


def laws_in_force(*, day: date, kind: str | None = None) -> list[Law]:
    """Laws, regulations, rules and normative documents in force on `day` (in force and not repealed), by rank."""
    qs = Law.objects.filter(effective_from__lte=day).prefetch_related("amendments")
    if kind in LawKind.values:
        qs = qs.filter(kind=kind)
    order = {value: i for i, value in enumerate(LawKind.values)}
    laws = []
    for law in qs:
        repealed = _repealed_on(law)
        if repealed is None or day < repealed:
            laws.append(law)
    return sorted(laws, key=lambda law: (order.get(law.kind, 99), law.title))


def laws_upcoming(*, day: date) -> list[tuple[Law, LawAmendment | None, date]]:
    """Laws promulgated but not yet in force, and amendments or repeals that take effect after `day`, soonest first."""
    found: list[tuple[Law, LawAmendment | None, date]] = [
        (law, None, law.effective_from) for law in Law.objects.filter(effective_from__gt=day)
    ]
    found += [
        (a.law, a, a.effective_from)
        for a in LawAmendment.objects.filter(effective_from__gt=day, law__effective_from__lte=day).select_related("law")
    ]
    return sorted(found, key=lambda row: (row[2], row[0].title))


def law_get(public_id: Any, *, day: date) -> Law | None:
    """A law in force on `day` by its public id (None when unknown, not yet in force or repealed)."""
    key = _uuid(public_id)
    if key is None:
        return None
    law = Law.objects.prefetch_related("amendments").filter(public_id=key, effective_from__lte=day).first()
    if law is None:
        return None
    repealed = _repealed_on(law)
    return law if repealed is None or day < repealed else None


def law_articles(law: Law, *, day: date) -> list[tuple[Article, str]]:
    """The articles of a law with their wording in force on `day` (deleted articles and future ones left out)."""
    rows = []
    for article in law.articles.prefetch_related("texts").order_by("number"):
        texts = sorted(
            (t for t in article.texts.all() if t.effective_from <= day), key=lambda t: (t.effective_from, t.id)
        )
        if texts and not texts[-1].repealed:
            rows.append((article, texts[-1].text))
    return rows
