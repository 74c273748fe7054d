"""REC-5: each agency keeps an AV item list; the law's floor (coercive measures, lodged service on continuous video)
applies whatever the list says, and the list may only add to it."""

from __future__ import annotations

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import AvRequirement, CatalogKind
from sunlight.catalog.selectors import av_requirement
from sunlight.catalog.workflows import av_floor
from sunlight.core.calendar import shift_months
from sunlight.core.errors import ServiceError
from sunlight.org.choices import ActionType

from .factories import publish, today

pytestmark = pytest.mark.django_db


def add_av(catalog, code, action_type, step, requirement, *, effective=None):
    version = services.entry_create(
        acting_user=catalog.editor,
        kind=CatalogKind.AV,
        agency=catalog.agency,
        code=code,
        content={"action_type": action_type, "step": step, "requirement": requirement, "scope": "", "basis_text": ""},
        meta={"effective_from": effective or today()},
    )
    return publish(catalog, version)


def req(catalog, action_type, step, on=None):
    return av_requirement(agency=catalog.agency, action_type=action_type, step=step, on=on or today())


def test_the_legal_floor_applies_without_any_list(catalog):
    assert req(catalog, ActionType.COERCION, "onsite_measure") == "continuous"
    assert req(catalog, ActionType.PENALTY, "service.lodged") == "continuous"
    assert req(catalog, ActionType.PENALTY, "service.direct") is None
    assert req(catalog, ActionType.PENALTY, "decision") is None
    assert req(catalog, ActionType.PENALTY, "onsite_decision") == "appropriate"  # the simple procedure's
    assert av_floor(ActionType.PENALTY, "show_certificate") == "appropriate"  # the simple procedure's step


def test_the_agency_list_adds_requirements_for_steps_and_their_variants(catalog):
    add_av(catalog, "AV-1", ActionType.PENALTY, "investigation", AvRequirement.APPROPRIATE)
    add_av(catalog, "AV-2", ActionType.PENALTY, "service", AvRequirement.APPROPRIATE)
    add_av(catalog, "AV-3", ActionType.PENALTY, "evidence_preservation", AvRequirement.CONTINUOUS)
    assert req(catalog, ActionType.PENALTY, "investigation") == "appropriate"
    assert req(catalog, ActionType.PENALTY, "service.public_notice") == "appropriate"  # from its step
    assert req(catalog, ActionType.PENALTY, "service.lodged") == "continuous"  # the floor is stronger
    assert req(catalog, ActionType.PENALTY, "evidence_preservation") == "continuous"
    assert req(catalog, ActionType.INSPECTION, "investigation") is None  # another action type


def test_a_list_entry_counts_from_its_effective_date(catalog):
    later = shift_months(today(), 2)
    add_av(catalog, "AV-1", ActionType.INSPECTION, "onsite_inspection", AvRequirement.CONTINUOUS, effective=later)
    assert req(catalog, ActionType.INSPECTION, "onsite_inspection") == "appropriate"  # the floor for now
    assert req(catalog, ActionType.INSPECTION, "onsite_inspection", on=later) == "continuous"


def test_the_list_cannot_lower_the_floor_or_name_unknown_steps(catalog):
    with pytest.raises(ServiceError) as refused:
        add_av(catalog, "AV-1", ActionType.COERCION, "onsite_measure", AvRequirement.APPROPRIATE)
    assert refused.value.errors[0].code == "below_floor"
    with pytest.raises(ServiceError) as refused:
        add_av(catalog, "AV-2", ActionType.LICENCE, "onsite_measure", AvRequirement.CONTINUOUS)
    assert refused.value.errors[0].field == "step"
