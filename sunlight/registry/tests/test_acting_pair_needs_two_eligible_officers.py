"""行政处罚法 §42: every act needs at least two officers who may act; `acting_pair_check` names each problem."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.org.choices import EnforcementField
from sunlight.registry import services
from sunlight.registry.selectors import acting_pair_check

from .factories import NOW, certified

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 15)
SHORT = "具备执法资格的执法人员不足两名（现有 %d 名），不得实施执法（《行政处罚法》第四十二条）。"


def check(users, **kwargs):
    return acting_pair_check(users=users, field=EnforcementField.MARKET, region_code="341221", on=ON, **kwargs)


def test_two_eligible_officers_pass(county):
    a, _ = certified(county.admin, county.unit_a)
    b, _ = certified(county.admin, county.unit_b)
    result = check([a, b])
    assert result.ok and result.reasons == []
    assert [user for user, _e in result.results] == [a, b]


def test_one_officer_is_not_enough_even_named_twice(county):
    a, _ = certified(county.admin, county.unit_a)
    result = check([a, a])
    assert not result.ok and result.reasons == [SHORT % 1]
    assert not check([]).ok


def test_everyone_named_must_be_eligible(county):
    a, _ = certified(county.admin, county.unit_a)
    b, _ = certified(county.admin, county.unit_a)
    c, suspended = certified(county.admin, county.unit_a)
    services.certificate_suspend(acting_user=county.admin, certificate=suspended, reason="调查", now=NOW)
    result = check([a, b, c])
    assert not result.ok
    assert result.reasons == [f"{c.full_name}：执法证 {suspended.number} 自 2026-06-15 起被暂扣。"]
    short = check([a, c])
    assert short.reasons == [f"{c.full_name}：执法证 {suspended.number} 自 2026-06-15 起被暂扣。", SHORT % 1]
