"""SYS-1: each role sees what its place in the hierarchy allows, through the selectors (not the templates)."""

from __future__ import annotations

import pytest

from sunlight.core.errors import NotFound
from sunlight.org.choices import Role, Scope
from sunlight.org.scope import effective_scope
from sunlight.org.selectors import (
    agencies_visible_to,
    agency_get_for_user,
    regions_visible_to,
    units_visible_to,
    users_visible_to,
)
from sunlight.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(str(x) for x in qs)


def test_officer_sees_own_agency_and_only_self_among_users(county):
    assert [a.pk for a in agencies_visible_to(county.officer)] == [county.unit_a.agency_id]
    assert list(users_visible_to(county.officer)) == [county.officer]
    assert list(units_visible_to(county.officer)) == [county.unit_a]


def test_unit_head_sees_the_people_of_the_unit_only(county):
    visible = set(users_visible_to(county.unit_head))
    assert visible == {county.unit_head, county.officer}
    assert county.officer_b not in visible


def test_agency_head_sees_the_whole_agency_but_not_the_neighbour(county):
    visible = set(users_visible_to(county.agency_head))
    assert {county.officer, county.officer_b, county.unit_head, county.agency_head} <= visible
    assert county.other_officer not in visible
    assert set(units_visible_to(county.agency_head)) == {county.unit_a, county.unit_b}


def test_county_supervisor_sees_every_agency_in_the_county_and_its_townships(county):
    from sunlight.org.tests.factories import AgencyFactory

    township_agency = AgencyFactory(name="杨桥镇人民政府", region=county.township, level="township")
    visible = set(agencies_visible_to(county.supervisor))
    assert visible == {county.unit_a.agency, township_agency}
    assert county.other_unit.agency not in visible
    assert {r.code for r in regions_visible_to(county.supervisor)} == {"341221", "341221101"}


def test_city_supervisor_sees_both_counties(county):
    city_supervisor = UserFactory(region=county.city, roles=[Role.JUSTICE_SUPERVISOR])
    visible = set(agencies_visible_to(city_supervisor))
    assert {county.unit_a.agency, county.other_unit.agency} <= visible


def test_agency_outside_scope_is_not_found_rather_than_forbidden(county):
    with pytest.raises(NotFound):
        agency_get_for_user(user=county.officer, public_id=county.other_unit.agency.public_id)
    with pytest.raises(NotFound):
        agency_get_for_user(user=county.officer, public_id="not-a-uuid")


def test_superuser_sees_everything_and_a_region_user_without_region_falls_back(county):
    assert effective_scope(county.admin) == Scope.ALL
    assert agencies_visible_to(county.admin).count() == 2
    in_bureau = UserFactory(agency=county.unit_a.agency, roles=[Role.JUSTICE_SUPERVISOR])
    assert effective_scope(in_bureau) == Scope.REGION  # the region of the user's own agency
    assert list(agencies_visible_to(in_bureau)) == [county.unit_a.agency]
    lost = UserFactory(roles=[Role.JUSTICE_SUPERVISOR])
    assert effective_scope(lost) == Scope.AGENCY
    assert list(agencies_visible_to(lost)) == []


def test_widest_role_wins_when_a_user_holds_several(county):
    both = UserFactory(agency=county.unit_a.agency, unit=county.unit_a, roles=[Role.OFFICER, Role.AGENCY_HEAD])
    assert effective_scope(both) == Scope.AGENCY
    assert county.officer_b in set(users_visible_to(both))
