"""Registry test helpers: officers, certificates, auxiliaries and cameras made through the services, so that every
row has the history and ledger entries real use leaves."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from itertools import count
from typing import Any

from sunlight.core.calendar import LOCAL_TZ
from sunlight.org.choices import EnforcementField, Role
from sunlight.org.models import Unit, User
from sunlight.org.tests.factories import staff
from sunlight.registry import services
from sunlight.registry.choices import EstablishmentKind
from sunlight.registry.models import Auxiliary, BodyCamera, Certificate, Officer

# A fixed clock for the tests: Monday 15 June 2026, 10:00 in Linquan.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=LOCAL_TZ)
TODAY = date(2026, 6, 15)

_numbers = count(1)


def officer_data(unit: Unit, **overrides: Any) -> dict[str, Any]:
    """What a registration form sends for an officer with a passed exam and establishment proof."""
    data: dict[str, Any] = {
        "unit": unit,
        "post": "执法队员",
        "establishment_kind": EstablishmentKind.ADMINISTRATIVE,
        "establishment_proof": "临编办〔2020〕18号",
        "exam_score": Decimal("86.5"),
        "exam_date": date(2024, 11, 8),
        "exam_passed": True,
    }
    data.update(overrides)
    return data


def make_officer(admin: Any, unit: Unit, *, user: User | None = None, **overrides: Any) -> Officer:
    """A registered officer (a new 执法人员 account in `unit` unless `user` is given)."""
    person = user or staff(Role.OFFICER, unit=unit)
    return services.officer_register(acting_user=admin, user=person, data=officer_data(unit, **overrides), now=NOW)


def make_certificate(admin: Any, officer: Officer, **overrides: Any) -> Certificate:
    """A certificate valid from 1 Jan 2026 to 31 Dec 2030 for market supervision in 临泉县."""
    values: dict[str, Any] = {
        "number": f"34122100{next(_numbers):04d}",
        "issuing_authority": "临泉县人民政府",
        "categories": [EnforcementField.MARKET],
        "regions": ["341221"],
        "issued_on": date(2026, 1, 5),
        "expires_on": date(2030, 12, 31),
    }
    values.update(overrides)
    return services.certificate_issue(acting_user=admin, officer=officer, now=NOW, **values)


def certified(admin: Any, unit: Unit, **overrides: Any) -> tuple[User, Certificate]:
    """An officer's account with one valid certificate."""
    officer = make_officer(admin, unit)
    return officer.user, make_certificate(admin, officer, **overrides)


def make_auxiliary(admin: Any, unit: Unit, *, user: User | None = None) -> Auxiliary:
    person = user or staff(Role.AUXILIARY, unit=unit)
    return services.auxiliary_register(
        acting_user=admin,
        user=person,
        unit=unit,
        post="协管员",
        duties="协助开展巡查、登记和资料整理，不得单独执法。",
        hired_on=date(2024, 3, 1),
        now=NOW,
    )


def make_camera(admin: Any, unit: Unit, *, administrator: User, number: str | None = None) -> BodyCamera:
    return services.camera_register(
        acting_user=admin,
        number=number or f"LQ-JLY-{next(_numbers):03d}",
        unit=unit,
        administrator=administrator,
        model_name="DSJ-V9",
        now=NOW,
    )
