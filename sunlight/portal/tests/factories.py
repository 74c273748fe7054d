"""Portal test helpers: officers with certificates in every state, a justice bureau, items with service guides —
all made through the services, as real use makes them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from sunlight.core.calendar import LOCAL_TZ
from sunlight.org.choices import EnforcementField, Role
from sunlight.org.models import Agency, Unit
from sunlight.org.tests.factories import AgencyFactory, staff
from sunlight.registry import services as registry
from sunlight.registry.models import Certificate, Officer
from sunlight.registry.tests.factories import make_officer

_serial = iter(range(1, 10_000))


def today() -> date:
    return timezone.localdate()


def at(day: date) -> datetime:
    """10:00 Asia/Shanghai of a day."""
    return datetime.combine(day, time(10), tzinfo=LOCAL_TZ)


def officer(admin: Any, unit: Unit, name: str, *, post: str = "执法队员") -> Officer:
    """A registered officer called `name` in `unit` (exam long ago, so that any issue date is allowed)."""
    person = staff(Role.OFFICER, unit=unit, full_name=name)
    return make_officer(admin, unit, user=person, post=post, exam_date=date(2015, 3, 1))


def certificate(
    admin: Any,
    holder: Officer,
    *,
    number: str | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
    categories: list[str] | None = None,
) -> Certificate:
    """A certificate issued on `issued_on` (a year ago by default) and valid until `expires_on` (in three years)."""
    issued = issued_on or today() - timedelta(days=365)
    return registry.certificate_issue(
        acting_user=admin,
        officer=holder,
        number=number or f"3412219{next(_serial):05d}",
        issuing_authority="临泉县人民政府",
        categories=categories or [EnforcementField.MARKET],
        regions=["341221"],
        issued_on=issued,
        expires_on=expires_on or today() + timedelta(days=3 * 365),
        now=at(issued),
    )


def certified(admin: Any, unit: Unit, name: str, **kwargs: Any) -> tuple[Officer, Certificate]:
    holder = officer(admin, unit, name)
    return holder, certificate(admin, holder, **kwargs)


def expired(admin: Any, unit: Unit, name: str) -> tuple[Officer, Certificate]:
    """An officer whose only certificate ran out ten days ago (before any tick recorded it)."""
    return certified(
        admin, unit, name, issued_on=today() - timedelta(days=5 * 365), expires_on=today() - timedelta(days=10)
    )


def justice_bureau(region: Any, *agencies: Agency) -> Agency:
    """The county justice bureau, made the enforcement supervisor of the agencies given."""
    bureau = AgencyFactory(
        name="临泉县司法局",
        region=region,
        is_justice_bureau=True,
        phone="0558-6511111",
        address="临泉县城关街道人民路108号",
        office_hours="工作日 8:00-12:00，14:30-17:30",
    )
    Agency.objects.filter(pk__in=[a.pk for a in agencies]).update(supervisor=bureau)
    return bureau
