"""The demo county comes with cases in four stages, loaded through the services; loading twice changes nothing.

One decision is published, so that a new user finds it on the portal, redacted (PUB-4, PUB-5).
"""

from __future__ import annotations

import pytest

from sunlight.cases.choices import CaseStatus
from sunlight.cases.models import Case
from sunlight.core.models import Deadline

pytestmark = pytest.mark.django_db


def test_demo_has_cases_at_investigation_decided_seized_and_published(client) -> None:
    from sunlight.cases.demo import load_cases_demo
    from sunlight.org.demo import load_demo

    load_demo()
    cases = {c.source_ref: c for c in Case.objects.filter(source_ref__startswith="演示-")}
    assert set(cases) == {"演示-1", "演示-2", "演示-3", "演示-4"}
    assert cases["演示-1"].step == "investigation" and cases["演示-1"].complainant_name == "李某"
    assert cases["演示-2"].status == CaseStatus.DECIDED and cases["演示-2"].fine_fen == 6_000_000
    assert not cases["演示-2"].is_major
    assert cases["演示-3"].step == "onsite_measure"
    assert Deadline.objects.filter(
        subject_id=str(cases["演示-3"].public_id), rule__code="coercion.seizure", status="open"
    ).exists()
    assert cases["演示-4"].workflow == "penalty_simple" and cases["演示-4"].status == CaseStatus.DECIDED
    listing = client.get("/decisions/").content.decode()
    assert "集贸市场摊位销售商品未明码标价" in listing
    assert "王建国" not in listing and "王某" in listing
    assert load_cases_demo() == 0
    assert Case.objects.filter(source_ref__startswith="演示-").count() == 4
