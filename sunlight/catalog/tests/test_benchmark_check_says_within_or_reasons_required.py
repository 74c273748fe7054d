"""DIS-1, DIS-2: a benchmark gives, per circumstance, the penalty kinds and ranges (fixed amounts or multiples of the
goods value); a proposed penalty is checked against the level of its circumstance and, when outside, needs reasons."""

from __future__ import annotations

import pytest

from sunlight.catalog.choices import Circumstance
from sunlight.catalog.choices import PenaltyKind as P
from sunlight.catalog.rules import ProposedPenalty, describe_penalty
from sunlight.catalog.selectors import benchmark_check

from .factories import WAN, food_levels, new_benchmark, today

pytestmark = pytest.mark.django_db


def check(benchmark, circumstance, **proposal):
    return benchmark_check(
        benchmark=benchmark, circumstance=circumstance, proposal=ProposedPenalty(**proposal), on=today()
    )


@pytest.fixture
def food_benchmark(catalog):
    return new_benchmark(catalog).entry


def test_a_fine_inside_the_band_for_small_goods_value_is_within(food_benchmark):
    result = check(
        food_benchmark,
        Circumstance.ORDINARY,
        kinds=(P.CONFISCATE_GAINS, P.FINE),
        fine_fen=7 * WAN,
        goods_value_fen=5000_00,
    )
    assert result.within and not result.reasons_required and result.problems == []
    assert result.version == 1
    assert "货值金额不足1万元的，罚款6.5万元以上8.5万元以下" in result.allowed


def test_a_fine_outside_the_level_needs_reasons(food_benchmark):
    result = check(food_benchmark, Circumstance.LIGHTER, kinds=(P.FINE,), fine_fen=9 * WAN, goods_value_fen=5000_00)
    assert not result.within and result.reasons_required
    assert result.problems == ["罚款9万元不在基准幅度（5万元至6.5万元）内。"]
    assert "须在决定中说明理由" in result.summary


def test_multiples_of_the_goods_value_apply_from_10000_yuan(food_benchmark):
    goods = 20_000_00  # 2万元 → heavier: 17-20 times = 34万-40万元
    assert check(food_benchmark, Circumstance.HEAVIER, fine_fen=35 * WAN, goods_value_fen=goods).within
    result = check(food_benchmark, Circumstance.HEAVIER, fine_fen=30 * WAN, goods_value_fen=goods)
    assert not result.within and "34万元至40万元" in result.problems[0]
    # Without the goods value the range cannot be chosen: that is said, and the penalty is not within.
    unknown = check(food_benchmark, Circumstance.HEAVIER, fine_fen=35 * WAN)
    assert not unknown.within and "请填写货值金额" in unknown.problems[0]


def test_kinds_the_level_does_not_allow_are_outside(food_benchmark):
    result = check(food_benchmark, Circumstance.ORDINARY, kinds=(P.REVOKE_LICENCE,), goods_value_fen=100_00)
    assert not result.within and "不包括处罚种类“吊销许可证件”" in result.problems[0]


def test_no_penalty_is_within_only_when_nothing_is_proposed(food_benchmark):
    assert check(food_benchmark, Circumstance.NO_PENALTY, kinds=()).within
    assert not check(food_benchmark, Circumstance.NO_PENALTY, kinds=(P.WARNING,)).within


def test_a_circumstance_the_benchmark_lacks_and_a_benchmark_not_in_force(catalog):
    levels = [lv for lv in food_levels() if lv.circumstance != Circumstance.MITIGATED]
    benchmark = new_benchmark(catalog, "BM-2", levels=levels).entry
    assert not check(benchmark, Circumstance.MITIGATED, fine_fen=3 * WAN, goods_value_fen=100).within
    old = benchmark_check(
        benchmark=benchmark,
        circumstance=Circumstance.ORDINARY,
        proposal=ProposedPenalty(kinds=(), fine_fen=7 * WAN, goods_value_fen=100),
        on=today().replace(year=today().year - 1),
    )
    assert not old.within and old.version is None


def test_ranges_read_as_in_the_law():
    levels = food_levels()
    assert [describe_penalty(p) for p in levels[4].penalties] == [
        "没收违法所得",
        "货值金额不足1万元的，罚款8.5万元以上10万元以下",
        "货值金额1万元以上的，罚款货值金额17倍以上20倍以下",
    ]
