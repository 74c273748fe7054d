"""Bad input: a case officer as reviewer, a first-level decision by someone else, a non-major case (voluntary)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.org.choices import Role
from sunlight.review import services as s
from sunlight.review.tests.factories import noticed


def test_a_reviewer_who_acted_in_the_case_cannot_review_it(desk) -> None:
    case = noticed(desk, timezone.now())
    review = s.review_submit(
        acting_user=desk.officer, case=case, draft={"facts": "x", "basis": "y", "kinds": ["warning"]}
    )
    assert review.voluntary
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    from sunlight.cases.services import case_officers_assign
    from sunlight.org.tests.factories import staff

    insider = staff(Role.LEGAL_REVIEWER, unit=desk.c.legal, username="insider_rev")
    case_officers_assign(acting_user=desk.officer, case=case, officers=[insider])
    with pytest.raises(ServiceError) as refused:
        s.review_completeness(acting_user=insider, review=review, missing=[])
    assert refused.value.errors[0].code == "recused"
    with pytest.raises(ServiceError):
        s.review_assign(acting_user=desk.c.reviewer, review=review, reviewer=insider)


def test_only_the_unit_head_passes_the_first_level(desk) -> None:
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft={"facts": "x", "basis": "y"})
    with pytest.raises(Forbidden):
        s.review_unit_decide(acting_user=desk.officer, review=review, passed=True)
    with pytest.raises(ServiceError):
        s.review_unit_decide(acting_user=desk.head, review=review, passed=False, reasons="")


def test_submission_needs_facts_and_basis(desk) -> None:
    case = noticed(desk, timezone.now())
    with pytest.raises(ServiceError) as refused:
        s.review_submit(acting_user=desk.officer, case=case, draft={})
    assert {e.field for e in refused.value.errors} == {"facts", "basis"}
    assert not case.reviews.exists()
