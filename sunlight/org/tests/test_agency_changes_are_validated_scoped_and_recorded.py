"""SYS-1, SYS-6: agencies and units are changed only by those allowed, with valid data, and every change is in the ledger."""

from __future__ import annotations

import pytest

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org import services
from sunlight.org.choices import Level, Role
from sunlight.org.models import Agency, Region, Unit
from sunlight.org.tests.factories import UserFactory, make_uscc

pytestmark = pytest.mark.django_db


def agency_data(region: Region | None, /, **over):
    data = {
        "name": "临泉县交通运输局",
        "credit_code": make_uscc(77),
        "level": Level.COUNTY,
        "region": region,
        "kind": "administrative",
        "address": "人民路1号",
        "phone": "0558-1234567",
    }
    data.update(over)
    return data


def test_admin_creates_an_agency_and_the_ledger_records_it(county):
    agency = services.agency_create(acting_user=county.admin, data=agency_data(county.county))
    entry = LedgerEntry.objects.get(kind="org.agency_created")
    assert entry.stream == f"agency:{agency.public_id}"
    assert entry.actor == f"user:{county.admin.public_id}"
    assert entry.payload["after"]["credit_code"] == agency.credit_code
    assert entry.payload["after"]["region"] == "341221"


@pytest.mark.parametrize(
    ("over", "field", "code"),
    [
        ({"credit_code": "11341221000000770"}, "credit_code", "invalid"),  # 17 characters
        ({"credit_code": make_uscc(77)[:17] + ("0" if make_uscc(77)[17] != "0" else "1")}, "credit_code", "invalid"),
        ({"name": "  "}, "name", "required"),
        ({"level": "galaxy"}, "level", "invalid"),
        ({"region": None}, "region", "required"),
    ],
)
def test_bad_agency_input_is_refused_in_chinese_and_nothing_changes(county, over, field, code):
    before = (Agency.objects.count(), LedgerEntry.objects.count())
    with pytest.raises(ServiceError) as info:
        services.agency_create(
            acting_user=county.admin,
            data=agency_data(over.pop("region") if "region" in over else county.county, **over),
        )
    assert (field, code) in {(e.field, e.code) for e in info.value.errors}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in info.value.errors)
    assert (Agency.objects.count(), LedgerEntry.objects.count()) == before


def test_duplicate_credit_code_is_refused(county):
    services.agency_create(acting_user=county.admin, data=agency_data(county.county))
    with pytest.raises(ServiceError) as info:
        services.agency_create(acting_user=county.admin, data=agency_data(county.county, name="另一个局"))
    assert info.value.errors[0].code == "duplicate"


def test_an_officer_may_not_create_agencies_and_the_refusal_is_recorded(county):
    with pytest.raises(Forbidden):
        services.agency_create(acting_user=county.officer, data=agency_data(county.county))
    assert not Agency.objects.filter(name="临泉县交通运输局").exists()
    denial = LedgerEntry.objects.get(kind="permission.denied")
    assert denial.actor == f"user:{county.officer.public_id}"
    assert denial.payload["action"] == "org.manage"


def test_a_county_administrator_cannot_create_in_the_neighbouring_county(county):
    county_admin = UserFactory(region=county.county, roles=[Role.ADMIN])
    services.agency_create(acting_user=county_admin, data=agency_data(county.county))
    with pytest.raises(Forbidden):
        services.agency_create(
            acting_user=county_admin, data=agency_data(county.other_county, credit_code=make_uscc(78))
        )
    assert LedgerEntry.objects.filter(kind="permission.denied").count() == 1


def test_update_records_before_and_after(county):
    agency = county.unit_a.agency
    services.agency_update(acting_user=county.admin, agency=agency, data={"phone": "0558-7654321"})
    agency.refresh_from_db()
    assert agency.phone == "0558-7654321"
    entry = LedgerEntry.objects.get(kind="org.agency_updated")
    assert entry.payload["changed"] == {"phone": ["", "0558-7654321"]}


def test_justice_bureau_only_may_supervise(county):
    not_justice = county.other_unit.agency
    with pytest.raises(ServiceError) as info:
        services.agency_create(acting_user=county.admin, data=agency_data(county.county, supervisor=not_justice))
    assert info.value.errors[0].field == "supervisor"


def test_units_are_unique_per_agency(county):
    with pytest.raises(ServiceError) as info:
        services.unit_create(acting_user=county.admin, agency=county.unit_a.agency, data={"name": "执法大队"})
    assert info.value.errors[0].code == "duplicate"
    unit = services.unit_create(acting_user=county.admin, agency=county.unit_a.agency, data={"name": "一中队"})
    assert Unit.objects.filter(pk=unit.pk, agency=county.unit_a.agency).exists()
    assert LedgerEntry.objects.filter(kind="org.unit_created").count() == 1


def test_regions_must_fit_under_their_parent(county):
    with pytest.raises(ServiceError) as info:
        services.region_create(
            acting_user=county.admin, code="350102001", name="某街道", level=Level.TOWNSHIP, parent=county.county
        )
    assert info.value.errors[0].code == "mismatch"
    with pytest.raises(ServiceError):
        services.region_create(
            acting_user=county.admin, code="34122", name="坏代码", level=Level.TOWNSHIP, parent=county.county
        )
    region = services.region_create(
        acting_user=county.admin, code="341221102", name="鲖城镇", level=Level.TOWNSHIP, parent=county.county
    )
    assert region.full_name() == "安徽省阜阳市临泉县鲖城镇"
