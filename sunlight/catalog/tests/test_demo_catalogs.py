"""Issue 4 demo: realistic catalogs for the demo county, loaded through the services, idempotently."""

from __future__ import annotations

import pytest

from sunlight.catalog.choices import CatalogKind, Circumstance, PartyKind
from sunlight.catalog.demo import load_catalog_demo
from sunlight.catalog.models import Benchmark, EnforcementItem, MajorRule
from sunlight.catalog.rules import ProposedPenalty
from sunlight.catalog.selectors import (
    CaseFacts,
    av_requirement,
    benchmark_check,
    major_rules_met,
    published_av_items,
    published_inspection_items,
    published_items,
    scheduled_changes,
    unit_holds_item,
)
from sunlight.core.models import LedgerEntry
from sunlight.org.demo import load_demo
from sunlight.org.models import Agency, User

from .factories import new_item

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_realistic_catalogs_and_loads_twice_without_change():
    load_demo()
    market = Agency.objects.get(name="临泉县市场监督管理局")
    item = EnforcementItem.objects.get(agency=market, code="SC-CF-001")
    version = item.versions.get()
    assert "《中华人民共和国食品安全法》第一百二十二条" in [a.citation for a in version.articles.all()]
    assert unit_holds_item(unit=market.units.get(name="综合行政执法大队"), item=item, on=version.effective_from)
    benchmark = Benchmark.objects.get(agency=market, code="BM-SP-122")
    assert benchmark.item == item
    check = benchmark_check(
        benchmark=benchmark,
        circumstance=Circumstance.ORDINARY,
        proposal=ProposedPenalty(kinds=("fine",), fine_fen=7_000_000, goods_value_fen=300_000),
        on=version.effective_from,
    )
    assert check.within
    reasons = major_rules_met(
        agency=market,
        facts=CaseFacts(action_type="penalty", fine_fen=1_500_000, party=PartyKind.INDIVIDUAL),
        on=version.effective_from,
    )
    assert [r.rule_code for r in reasons] == ["MR-02"]
    assert (
        av_requirement(agency=market, action_type="penalty", step="service.lodged", on=version.effective_from)
        == "continuous"
    )
    assert published_inspection_items(agency=market).count() == 3
    assert published_av_items(agency=market).count() == 8
    assert [(k, v.entry.code) for k, v in scheduled_changes(agency=market)] == [(CatalogKind.ITEM, "SC-CF-002")]
    for agency in Agency.objects.filter(is_justice_bureau=False):
        assert published_items(agency=agency).exists(), agency.name
        assert MajorRule.objects.filter(agency=agency).exists(), agency.name
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.unit.is_legal_department and reviewer.unit.name == "法规科"

    ledger = LedgerEntry.objects.count()
    assert load_catalog_demo() == 0
    assert LedgerEntry.objects.count() == ledger


def test_the_portal_selectors_leave_out_revoked_agencies(catalog):
    new_item(catalog)
    assert published_items(agency=catalog.agency).count() == 1
    Agency.objects.filter(pk=catalog.agency.pk).update(is_active=False)
    assert published_items().count() == 0
