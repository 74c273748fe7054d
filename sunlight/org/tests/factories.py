"""Factories for regions, agencies, units and users (valid national codes, argon2 passwords)."""

from __future__ import annotations

import factory

from sunlight.core.ids import uscc_check_char
from sunlight.org.choices import Level, Role
from sunlight.org.models import Agency, Region, RoleGrant, Unit, User

PASSWORD = "Good#Pass2026"


def make_uscc(n: int) -> str:
    body = f"11341221{n:08d}X"[:17]
    return body + uscc_check_char(body)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "341221"
    name = "临泉县"
    level = Level.COUNTY
    parent = None


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试执法局{n}")
    credit_code = factory.Sequence(lambda n: make_uscc(n + 1000))
    level = Level.COUNTY
    region = factory.SubFactory(RegionFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法大队{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    must_change_password = False
    agency = None
    unit = None

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()
            self.password_history.create(password=self.password)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            for role in extracted or [Role.OFFICER]:
                RoleGrant.objects.create(user=self, role=role)
            self.forget_roles()


def staff(role: str, *, unit: Unit, **kwargs: object) -> User:
    """A user holding `role` in `unit` (and its agency)."""
    return UserFactory(agency=unit.agency, unit=unit, roles=[role], **kwargs)
