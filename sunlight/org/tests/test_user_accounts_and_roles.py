"""SYS-2, SYS-6: accounts are opened with valid placement and roles, initial passwords must be changed, and each
administrative change to an account is recorded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org import services
from sunlight.org.choices import Role
from sunlight.org.models import User

pytestmark = pytest.mark.django_db


def create(county, **over):
    args = {
        "acting_user": county.admin,
        "username": "newbie",
        "password": "Initial#2026x",
        "roles": [Role.OFFICER],
        "data": {"full_name": "新同事", "agency": county.unit_a.agency, "unit": county.unit_a},
    }
    args.update(over)
    return services.user_create(**args)


def test_new_account_must_change_its_initial_password_and_is_hashed_with_argon2(county):
    user = create(county)
    assert user.must_change_password is True
    assert user.password.startswith("argon2")
    assert user.role_codes == {Role.OFFICER}
    entry = LedgerEntry.objects.get(kind="org.user_created")
    assert entry.payload["roles"] == ["officer"]
    assert "password" not in str(entry.payload)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"password": "short1A"}, "password"),
        ({"password": "alllowercaseletters"}, "password"),
        ({"roles": []}, "roles"),
        ({"roles": [Role.OFFICER, Role.AUXILIARY]}, "roles"),
        ({"roles": ["emperor"]}, "roles"),
        ({"username": "officer_a"}, "username"),
    ],
)
def test_bad_account_input_is_refused_and_nothing_is_created(county, over, field):
    before = User.objects.count()
    with pytest.raises(ServiceError) as info:
        create(county, **over)
    assert field in {e.field for e in info.value.errors}
    assert User.objects.count() == before


def test_unit_must_belong_to_the_agency(county):
    with pytest.raises(ServiceError) as info:
        create(county, data={"full_name": "错位", "agency": county.unit_a.agency, "unit": county.other_unit})
    assert info.value.errors[0].code == "mismatch"


def test_staff_roles_need_an_agency_but_supervisors_may_belong_to_a_region(county):
    with pytest.raises(ServiceError):
        create(county, data={"full_name": "无主体", "region": county.county})
    user = create(county, roles=[Role.EXTERNAL_SUPERVISOR], data={"full_name": "监督员", "region": county.county})
    assert user.agency is None and user.region == county.county


def test_roles_are_changed_with_the_difference_recorded(county):
    services.user_update(acting_user=county.admin, user=county.officer, data={}, roles=[Role.OFFICER, Role.UNIT_HEAD])
    county.officer.forget_roles()
    assert county.officer.role_codes == {Role.OFFICER, Role.UNIT_HEAD}
    entry = LedgerEntry.objects.get(kind="org.user_updated")
    assert entry.payload["roles_added"] == ["unit_head"]
    assert entry.payload["roles_removed"] == []


def test_an_administrator_cannot_demote_or_disable_themselves(county):
    with pytest.raises(ServiceError):
        services.user_update(acting_user=county.admin, user=county.admin, data={}, roles=[Role.OFFICER])
    with pytest.raises(ServiceError):
        services.user_update(acting_user=county.admin, user=county.admin, data={"is_active": False})


def test_reset_password_forces_a_change_and_lifts_the_lockout(county):
    User.objects.filter(pk=county.officer.pk).update(
        locked_until=timezone.now() + timezone.timedelta(minutes=10), failed_logins=3
    )
    services.user_reset_password(acting_user=county.admin, user=county.officer, password="Reset#Pass99")
    county.officer.refresh_from_db()
    assert county.officer.must_change_password
    assert county.officer.locked_until is None
    assert county.officer.check_password("Reset#Pass99")


def test_officers_cannot_manage_accounts(county):
    with pytest.raises(Forbidden):
        services.user_reset_password(acting_user=county.officer, user=county.officer_b, password="Reset#Pass99")
    assert LedgerEntry.objects.filter(kind="permission.denied", actor=f"user:{county.officer.public_id}").exists()


def test_account_without_password_cannot_log_in_until_one_is_set(county):
    user = create(county, username="nopass", password=None)
    assert not user.has_usable_password()


def test_a_county_administrator_cannot_take_over_a_superuser(county):
    county_admin = services.user_create(
        acting_user=county.admin,
        username="countyadmin",
        password="Xian#Guanli2026",
        roles=[Role.ADMIN],
        data={"full_name": "县管理员", "region": county.county},
    )
    county.admin.region = county.county
    county.admin.save()
    with pytest.raises(Forbidden):
        services.user_reset_password(acting_user=county_admin, user=county.admin, password="Taken#Over99")
    with pytest.raises(Forbidden):
        services.user_update(acting_user=county_admin, user=county.admin, data={"is_active": False})
    county.admin.refresh_from_db()
    assert county.admin.check_password("Good#Pass2026") and county.admin.is_active
    services.user_unlock(acting_user=county_admin, user=county.officer)  # ordinary accounts in the county: allowed
