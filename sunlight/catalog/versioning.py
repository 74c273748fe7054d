"""What the five versioned catalogs have in common: their models, their content as plain data, and which version is in
force on a day (PUB-2).

A version's *content* is a dictionary of Python values (units and articles as objects, benchmark levels as
`LevelSpec`); its *snapshot* is the same content as canonical JSON data (articles as citations, units by name), used
in ledger payloads, for "nothing changed" comparisons and by the Excel export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from .choices import CatalogKind, VersionStatus
from .models import (
    Article,
    AvItem,
    AvItemVersion,
    Benchmark,
    BenchmarkLevel,
    BenchmarkPenalty,
    BenchmarkVersion,
    EnforcementItem,
    InspectionItem,
    InspectionItemVersion,
    ItemVersion,
    MajorRule,
    MajorRuleVersion,
)
from .numerals import decimal_text
from .rules import LevelSpec, PenaltySpec

VERSION_META = ("effective_from", "change_note", "short_notice_reason", "abolished")


@dataclass(frozen=True)
class KindSpec:
    """One versioned catalog: its models, its content fields and the field that names an entry."""

    kind: str
    entry_model: Any
    version_model: Any
    scalar_fields: tuple[str, ...]
    m2m_fields: tuple[str, ...]
    title_field: str
    has_levels: bool = False


SPECS: dict[str, KindSpec] = {
    CatalogKind.ITEM: KindSpec(
        CatalogKind.ITEM,
        EnforcementItem,
        ItemVersion,
        (
            "name",
            "basis_text",
            "handling_unit",
            "approving_unit",
            "posts",
            "time_limit_amount",
            "time_limit_unit",
            "time_limit_note",
            "guide_conditions",
            "guide_materials",
            "guide_fee",
            "guide_office_hours",
            "guide_address",
            "guide_phone",
            "guide_supervision",
            "guide_remedies",
        ),
        ("articles", "holding_units"),
        "name",
    ),
    CatalogKind.BENCHMARK: KindSpec(
        CatalogKind.BENCHMARK,
        Benchmark,
        BenchmarkVersion,
        ("violation", "basis_text"),
        ("articles",),
        "violation",
        True,
    ),
    CatalogKind.MAJOR_RULE: KindSpec(
        CatalogKind.MAJOR_RULE,
        MajorRule,
        MajorRuleVersion,
        ("title", "criterion", "action_types", "amount_fen", "party", "basis_text"),
        (),
        "title",
    ),
    CatalogKind.INSPECTION: KindSpec(
        CatalogKind.INSPECTION,
        InspectionItem,
        InspectionItemVersion,
        ("name", "subject", "basis_text", "target", "content", "ratio_percent", "method", "frequency"),
        ("articles",),
        "name",
    ),
    CatalogKind.AV: KindSpec(
        CatalogKind.AV,
        AvItem,
        AvItemVersion,
        ("action_type", "step", "requirement", "scope", "basis_text"),
        (),
        "scope",
    ),
}


def spec_for(kind: str) -> KindSpec:
    """The spec of a catalog kind (KeyError for an unknown kind)."""
    return SPECS[CatalogKind(kind)]


def kind_of(obj: Any) -> str:
    """The catalog kind of an entry or version instance."""
    for spec in SPECS.values():
        if isinstance(obj, spec.entry_model | spec.version_model):
            return spec.kind
    raise TypeError(f"not a catalog entry: {type(obj).__name__}")


# --- content and snapshots -----------------------------------------------------------------------------------------


def levels_of(version: BenchmarkVersion) -> list[LevelSpec]:
    """A benchmark version's levels as plain specs."""
    return [
        LevelSpec(
            circumstance=level.circumstance,
            conditions=level.conditions,
            penalties=tuple(
                PenaltySpec(
                    kind=p.kind,
                    measure=p.measure,
                    min_fen=p.min_fen,
                    max_fen=p.max_fen,
                    min_multiple=p.min_multiple,
                    max_multiple=p.max_multiple,
                    band_basis=p.band_basis,
                    band_from_fen=p.band_from_fen,
                    band_below_fen=p.band_below_fen,
                )
                for p in level.penalties.all()
            ),
        )
        for level in version.levels.all()
    ]


def content_of(kind: str, version: Any) -> dict[str, Any]:
    """A version's content as Python values (the shape services accept)."""
    spec = spec_for(kind)
    content: dict[str, Any] = {f: getattr(version, f) for f in spec.scalar_fields}
    for name in spec.m2m_fields:
        content[name] = list(getattr(version, name).all())
    if spec.has_levels:
        content["levels"] = levels_of(version)
    return content


def meta_of(version: Any) -> dict[str, Any]:
    """A version's effective date, change note, short-notice reason and abolition flag."""
    return {f: getattr(version, f) for f in VERSION_META}


def _plain(value: Any) -> Any:
    from sunlight.org.models import Unit

    if isinstance(value, Article):
        return value.citation
    if isinstance(value, Unit):
        return value.name
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, LevelSpec):
        return {
            "circumstance": value.circumstance,
            "conditions": value.conditions,
            "penalties": [_plain(p) for p in value.penalties],
        }
    if isinstance(value, PenaltySpec):
        return {k: _plain(getattr(value, k)) for k in PenaltySpec.__dataclass_fields__}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    """Content as canonical JSON data: citations sorted, units by name, Decimals as text."""
    spec = spec_for(kind)
    data: dict[str, Any] = {}
    for name in spec.scalar_fields:
        data[name] = _plain(content.get(name))
    for name in spec.m2m_fields:
        data[name] = sorted(_plain(list(content.get(name) or [])))
    if spec.has_levels:
        data["levels"] = [_plain(level) for level in content.get("levels") or []]
    return data


def version_snapshot(kind: str, version: Any) -> dict[str, Any]:
    """The snapshot of a saved version, with its meta data."""
    return {**snapshot(kind, content_of(kind, version)), **{k: _plain(v) for k, v in meta_of(version).items()}}


def save_content(kind: str, version: Any, content: dict[str, Any]) -> None:
    """Write content onto a (new or draft) version row, its many-to-many fields and benchmark levels."""
    spec = spec_for(kind)
    for name in spec.scalar_fields:
        setattr(version, name, content.get(name))
    version.save()
    for name in spec.m2m_fields:
        getattr(version, name).set(content.get(name) or [])
    if spec.has_levels:
        version.levels.all().delete()  # a draft's levels are rewritten; published versions never reach here
        for level in content.get("levels") or []:
            row = BenchmarkLevel.objects.create(
                version=version, circumstance=level.circumstance, conditions=level.conditions
            )
            BenchmarkPenalty.objects.bulk_create(
                BenchmarkPenalty(level=row, **{k: getattr(p, k) for k in PenaltySpec.__dataclass_fields__})
                for p in level.penalties
            )


def version_title(kind: str, version: Any) -> str:
    """The text that names a version's entry in lists and flags."""
    spec = spec_for(kind)
    if kind == CatalogKind.AV:
        from .workflows import step_choices

        steps = dict(step_choices(version.action_type))
        return f"{version.get_action_type_display()}·{steps.get(version.step, version.step)}"
    return str(getattr(version, spec.title_field))


# --- versions in force ---------------------------------------------------------------------------------------------


def _published(kind: str) -> QuerySet[Any]:
    return spec_for(kind).version_model.objects.filter(status=VersionStatus.PUBLISHED)


def current_versions(kind: str, *, on: date, agency: Any = None, include_abolished: bool = False) -> QuerySet[Any]:
    """The version of each entry in force on a day: the highest-numbered published version whose effective date has
    come (a later decision prevails over an earlier one). Entries whose version in force abolishes them are left out
    unless asked for."""
    spec = spec_for(kind)
    latest = (
        spec.version_model.objects.filter(
            entry=OuterRef("entry"), status=VersionStatus.PUBLISHED, effective_from__lte=on
        )
        .order_by("-number")
        .values("pk")[:1]
    )
    qs = _published(kind).filter(effective_from__lte=on, pk=Subquery(latest))
    if agency is not None:
        qs = qs.filter(entry__agency=agency)
    if not include_abolished:
        qs = qs.filter(abolished=False)
    return qs.select_related("entry", "entry__agency").order_by("entry__code")


def scheduled_versions(kind: str, *, on: date, agency: Any = None) -> QuerySet[Any]:
    """Published versions that take effect after `on` and that no later published version has overtaken."""
    spec = spec_for(kind)
    overtaken = spec.version_model.objects.filter(
        entry=OuterRef("entry"), status=VersionStatus.PUBLISHED, number__gt=OuterRef("number")
    )
    qs = _published(kind).filter(effective_from__gt=on).exclude(Exists(overtaken))
    if agency is not None:
        qs = qs.filter(entry__agency=agency)
    return qs.select_related("entry", "entry__agency").order_by("effective_from", "entry__code")


class _Dated(Protocol):
    """Anything with the day it takes effect: the catalog versions `in_force_among` chooses from."""

    @property
    def effective_from(self) -> date: ...


_V = TypeVar("_V", bound=_Dated)


def in_force_among(versions: Iterable[_V], *, on: date) -> _V | None:
    """The rule of `current_version(s)` over an entry's published versions already read, highest number first: the
    first whose effective date has come (abolishing or not; the caller decides what an abolition means)."""
    return next((version for version in versions if version.effective_from <= on), None)


def current_version(kind: str, entry: Any, *, on: date) -> Any:
    """The version of one entry in force on a day (None when none is, or the entry is abolished)."""
    version = (
        spec_for(kind)
        .version_model.objects.filter(entry=entry, status=VersionStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-number")
        .first()
    )
    return None if version is None or version.abolished else version


def open_version(kind: str, entry: Any) -> Any:
    """The entry's draft or version under review, if any (there is at most one)."""
    return (
        spec_for(kind)
        .version_model.objects.filter(entry=entry, status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW])
        .order_by("-number")
        .first()
    )


def latest_version(kind: str, entry: Any) -> Any:
    """The newest version that is not discarded (what an export or a new draft starts from)."""
    return (
        spec_for(kind)
        .version_model.objects.filter(entry=entry)
        .exclude(status=VersionStatus.DISCARDED)
        .order_by("-number")
        .first()
    )
