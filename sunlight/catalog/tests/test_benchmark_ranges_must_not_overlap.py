"""DIS-1: a benchmark's ranges are well formed and ordered: a milder level's range lies below a harsher one's."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import CatalogKind, Circumstance, Measure
from sunlight.catalog.choices import PenaltyKind as P
from sunlight.catalog.rules import LevelSpec, PenaltySpec, benchmark_level_errors
from sunlight.core.errors import ServiceError

from .factories import food_levels, today


def fine(low: int, high: int) -> PenaltySpec:
    return PenaltySpec(kind=P.FINE, measure=Measure.FIXED, min_fen=low, max_fen=high)


def codes(levels):
    return [(li, pi, code) for li, pi, code, _msg in benchmark_level_errors(levels)]


def test_the_food_benchmark_is_well_formed():
    assert benchmark_level_errors(food_levels()) == []


def test_touching_ranges_are_fine_and_overlapping_ones_are_not():
    ok = [LevelSpec(Circumstance.LIGHTER, "", (fine(0, 100),)), LevelSpec(Circumstance.ORDINARY, "", (fine(100, 200),))]
    assert benchmark_level_errors(ok) == []
    bad = [
        LevelSpec(Circumstance.LIGHTER, "", (fine(0, 150),)),
        LevelSpec(Circumstance.ORDINARY, "", (fine(100, 200),)),
    ]
    errors = benchmark_level_errors(bad)
    assert [(li, pi, code) for li, pi, code, _ in errors] == [(1, 0, "overlap")]
    assert "“一般处罚”档的罚款幅度与“从轻处罚”档重叠或顺序颠倒" in errors[0][3]


def test_levels_in_the_wrong_order_are_refused_whatever_order_they_are_listed_in():
    bad = [LevelSpec(Circumstance.HEAVIER, "", (fine(0, 100),)), LevelSpec(Circumstance.LIGHTER, "", (fine(100, 200),))]
    assert codes(bad) == [(0, 0, "overlap")]


def test_each_level_is_checked_for_its_own_problems():
    levels = [
        LevelSpec(Circumstance.NO_PENALTY, "", (PenaltySpec(kind=P.WARNING),)),
        LevelSpec(Circumstance.LIGHTER, "", (fine(300, 200), PenaltySpec(kind=P.FINE))),
        LevelSpec(Circumstance.LIGHTER, "", ()),
        LevelSpec(
            Circumstance.ORDINARY,
            "",
            (
                PenaltySpec(kind=P.WARNING, measure=Measure.FIXED, max_fen=1),
                PenaltySpec(kind=P.FINE, measure=Measure.GOODS_VALUE, min_multiple=Decimal(2), max_multiple=Decimal(1)),
                PenaltySpec(kind=P.FINE, measure=Measure.FIXED, min_fen=0, max_fen=10, band_basis="goods_value"),
                PenaltySpec(kind=P.CONFISCATE_GAINS, band_from_fen=5),
            ),
        ),
    ]
    assert codes(levels) == [
        (0, 0, "no_penalty"),
        (1, 0, "range"),
        (1, 1, "measure"),
        (2, None, "duplicate"),
        (3, 0, "range"),
        (3, 1, "range"),
        (3, 2, "band"),
        (3, 3, "band"),
    ]


def test_overlapping_bands_of_one_kind_in_a_level_are_ambiguous():
    a = replace(fine(0, 100), band_basis="goods_value", band_below_fen=1000)
    b = replace(fine(0, 100), band_basis="goods_value", band_from_fen=500)
    assert codes([LevelSpec(Circumstance.ORDINARY, "", (a, b))]) == [(0, 1, "overlap")]
    c = replace(b, band_from_fen=1000)
    assert codes([LevelSpec(Circumstance.ORDINARY, "", (a, c))]) == []


@pytest.mark.django_db
def test_the_service_reports_range_problems_by_level_and_row(catalog):
    levels = [
        LevelSpec(Circumstance.LIGHTER, "", (fine(0, 150),)),
        LevelSpec(Circumstance.ORDINARY, "", (fine(100, 200),)),
    ]
    with pytest.raises(ServiceError) as refused:
        services.entry_create(
            acting_user=catalog.editor,
            kind=CatalogKind.BENCHMARK,
            agency=catalog.agency,
            code="BM-X",
            content={"violation": "违法行为", "articles": [], "levels": levels},
            meta={"effective_from": today()},
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [("levels.1.penalties.0", "overlap")]
