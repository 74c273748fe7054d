"""The demo county comes with cases in three stages, loaded through the services; loading twice changes nothing."""

from __future__ import annotations

import pytest

from sunlight.cases.choices import CaseStatus
from sunlight.cases.models import Case
from sunlight.core.models import Deadline

pytestmark = pytest.mark.django_db


def test_demo_has_cases_at_investigation_decided_and_seized() -> None:
    from sunlight.cases.demo import load_cases_demo
    from sunlight.org.demo import load_demo

    load_demo()
    cases = {c.source_ref: c for c in Case.objects.filter(source_ref__startswith="演示-")}
    assert set(cases) == {"演示-1", "演示-2", "演示-3"}
    assert cases["演示-1"].step == "investigation" and cases["演示-1"].complainant_name == "李某"
    assert cases["演示-2"].status == CaseStatus.DECIDED and cases["演示-2"].fine_fen == 6_000_000
    assert not cases["演示-2"].is_major
    assert cases["演示-3"].step == "onsite_measure"
    assert Deadline.objects.filter(
        subject_id=str(cases["演示-3"].public_id), rule__code="coercion.seizure", status="open"
    ).exists()
    assert load_cases_demo() == 0
    assert Case.objects.filter(source_ref__startswith="演示-").count() == 3
