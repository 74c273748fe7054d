"""SYS-6: at least 8 characters of 3 classes, none of the last five passwords, argon2 hashes."""

from __future__ import annotations

import itertools

import pytest

import sunlight.settings as configured
from sunlight.accounts.services import password_change
from sunlight.core.errors import ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def change(user, old, new):
    password_change(user=user, old_password=old, new_password=new, new_password_again=new)


def test_production_hasher_is_argon2():
    # The suite swaps in cheaper argon2 parameters; the settings module itself must name argon2 first.
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    ("new", "why"),
    [("Ab1#xyz", "too short"), ("abcdefgh12", "two classes"), ("ABCDEFGHIJ", "one class"), ("Password1", "common")],
)
def test_weak_passwords_are_refused(county, new, why):
    with pytest.raises(ServiceError) as info:
        change(county.officer, PASSWORD, new)
    assert {e.field for e in info.value.errors} == {"new_password"}, why
    county.officer.refresh_from_db()
    assert county.officer.check_password(PASSWORD)


def test_the_last_five_passwords_cannot_be_reused_but_the_sixth_can(county):
    user = county.officer
    history = [PASSWORD] + [f"Rotate#{i}x2026" for i in range(1, 6)]
    for old, new in itertools.pairwise(history):
        change(user, old, new)
    current = history[-1]
    for reused in history[-5:]:
        with pytest.raises(ServiceError) as info:
            change(user, current, reused)
        assert info.value.errors[0].code == "weak"
        assert "最近5次" in info.value.errors[0].message
    change(user, current, history[0])  # six changes ago: allowed again
    user.refresh_from_db()
    assert user.check_password(history[0])
    assert user.password.startswith("argon2")


def test_wrong_old_password_and_mismatch_are_reported_per_field(county):
    with pytest.raises(ServiceError) as info:
        password_change(
            user=county.officer, old_password="nope", new_password="Fresh#Pass1", new_password_again="Fresh#Pass2"
        )
    assert {e.field for e in info.value.errors} == {"old_password", "new_password_again"}


def test_change_clears_the_forced_change_flag_and_is_recorded(county):
    county.officer.must_change_password = True
    county.officer.save()
    change(county.officer, PASSWORD, "Fresh#Pass2026")
    county.officer.refresh_from_db()
    assert not county.officer.must_change_password
    assert LedgerEntry.objects.filter(kind="auth.password_changed").count() == 1
