"""SYS-1, SYS-6 for the registry: each role sees the officers of its own scope (an officer their own record), objects
outside the scope are not found, and writes need the right role for an agency within scope (refusals audited)."""

from __future__ import annotations

import pytest

from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.registry import selectors, services
from sunlight.registry.models import Officer

from .factories import NOW, make_officer, officer_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(county) -> dict[str, Officer]:
    return {
        "a": make_officer(county.admin, county.unit_a, user=county.officer),
        "b": make_officer(county.admin, county.unit_b, user=county.officer_b),
        "other": make_officer(county.admin, county.other_unit, user=county.other_officer),
    }


def visible(user) -> set[str]:
    return {o.user.username for o in selectors.officers_visible_to(user)}


def test_each_role_sees_its_scope(county, officers):
    assert visible(county.officer) == {"officer_a"}
    assert visible(county.unit_head) == {"officer_a"}
    assert visible(county.agency_head) == {"officer_a", "officer_b"}
    assert visible(county.supervisor) == {"officer_a", "officer_b"}  # 临泉县 only, not 太和县
    assert visible(county.admin) == {"officer_a", "officer_b", "officer_other"}
    with pytest.raises(NotFound) as exc:
        selectors.officer_get_for_user(user=county.officer, public_id=officers["b"].public_id)
    assert exc.value.errors[0].message == "执法人员不存在或您无权查看。"
    with pytest.raises(NotFound):
        selectors.officer_get_for_user(user=county.agency_head, public_id="not-a-uuid")


def test_registration_needs_a_personnel_manager_of_the_agency(county):
    person = staff(Role.OFFICER, unit=county.unit_a)
    denied = LedgerEntry.objects.filter(kind="permission.denied").count()
    for who in (county.unit_head, county.officer, county.supervisor):
        with pytest.raises(Forbidden):
            services.officer_register(acting_user=who, user=person, data=officer_data(county.unit_a), now=NOW)
    foreign_head = staff(Role.AGENCY_HEAD, unit=county.other_unit)
    with pytest.raises(Forbidden):
        services.officer_register(acting_user=foreign_head, user=person, data=officer_data(county.unit_a), now=NOW)
    assert LedgerEntry.objects.filter(kind="permission.denied").count() == denied + 4
    officer = services.officer_register(
        acting_user=county.agency_head, user=person, data=officer_data(county.unit_a), now=NOW
    )
    assert officer.agency == county.unit_a.agency and officer.registered_by == county.agency_head


def test_registration_input_is_checked(county):
    person = staff(Role.OFFICER, unit=county.unit_a)
    make_officer(county.admin, county.unit_a, user=person)
    with pytest.raises(ServiceError) as exc:
        services.officer_register(
            acting_user=county.admin,
            user=person,
            data=officer_data(county.other_unit, post="", establishment_kind="contract"),
            now=NOW,
        )
    assert {e.field: e.message for e in exc.value.errors} == {
        "user": "该人员已登记为执法人员。",
        "unit": "承办机构不属于该执法主体。",
        "post": "请填写岗位或职务。",
        "establishment_kind": "请选择编制类别。",
    }
    reviewer = staff(Role.LEGAL_REVIEWER, unit=county.unit_b)
    with pytest.raises(ServiceError) as exc:
        services.officer_register(acting_user=county.admin, user=reviewer, data=officer_data(county.unit_b), now=NOW)
    assert exc.value.errors[0].message == "该用户没有“执法人员”角色，请先在用户管理中授予。"
    # The list of people to register leaves out the registered, auxiliaries and those outside the scope.
    candidates = set(selectors.registrable_users(county.agency_head).values_list("username", flat=True))
    assert person.username not in candidates and county.officer.username in candidates
    assert county.other_officer.username not in candidates
