from __future__ import annotations

from dataclasses import dataclass

import pytest

from sunlight.org.choices import Level, Role
from sunlight.org.models import Region, Unit, User
from sunlight.org.tests.factories import AgencyFactory, RegionFactory, UnitFactory, UserFactory, staff


@dataclass
class County:
    """Two counties of one city, an agency with two units in the first, one agency in the second."""

    province: Region
    city: Region
    county: Region
    township: Region
    other_county: Region
    unit_a: Unit
    unit_b: Unit
    other_unit: Unit
    admin: User
    officer: User
    officer_b: User
    unit_head: User
    agency_head: User
    supervisor: User
    other_officer: User


@pytest.fixture
def county(db) -> County:
    province = RegionFactory(code="340000", name="安徽省", level=Level.PROVINCE)
    city = RegionFactory(code="341200", name="阜阳市", level=Level.CITY, parent=province)
    county = RegionFactory(code="341221", name="临泉县", level=Level.COUNTY, parent=city)
    township = RegionFactory(code="341221101", name="杨桥镇", level=Level.TOWNSHIP, parent=county)
    other = RegionFactory(code="341222", name="太和县", level=Level.COUNTY, parent=city)
    agency = AgencyFactory(name="临泉县市场监督管理局", region=county)
    unit_a = UnitFactory(agency=agency, name="执法大队")
    unit_b = UnitFactory(agency=agency, name="法规科", is_legal_department=True)
    other_unit = UnitFactory(agency=AgencyFactory(name="太和县市场监督管理局", region=other), name="执法大队")
    return County(
        province=province,
        city=city,
        county=county,
        township=township,
        other_county=other,
        unit_a=unit_a,
        unit_b=unit_b,
        other_unit=other_unit,
        admin=UserFactory(username="root", is_superuser=True, roles=[Role.ADMIN]),
        officer=staff(Role.OFFICER, unit=unit_a, username="officer_a"),
        officer_b=staff(Role.OFFICER, unit=unit_b, username="officer_b"),
        unit_head=staff(Role.UNIT_HEAD, unit=unit_a, username="head_a"),
        agency_head=staff(Role.AGENCY_HEAD, unit=unit_b, username="chief"),
        supervisor=UserFactory(username="justice", region=county, roles=[Role.JUSTICE_SUPERVISOR]),
        other_officer=staff(Role.OFFICER, unit=other_unit, username="officer_other"),
    )
