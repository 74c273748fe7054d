"""DIS-3: powers are assigned to units; a case can only be handled by a unit that holds the power on that day."""

from __future__ import annotations

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import CatalogKind
from sunlight.catalog.selectors import items_held_by, unit_holds_item
from sunlight.catalog.versioning import content_of
from sunlight.core.calendar import shift_months
from sunlight.org.choices import EnforcementField

from .factories import item_content, new_item, noon, today

pytestmark = pytest.mark.django_db


def test_only_units_named_in_the_version_in_force_hold_the_power(catalog, county):
    version = new_item(catalog, holding_units=[catalog.other_unit])
    item = version.entry
    assert item.field == EnforcementField.MARKET  # the registry's may_act reads this attribute
    assert unit_holds_item(unit=catalog.field_unit, item=item, on=today())  # the handling unit
    assert unit_holds_item(unit=catalog.other_unit, item=item, on=today())
    assert unit_holds_item(unit=catalog.other_unit, item=item, on=noon(today()))  # a datetime counts by its local day
    assert not unit_holds_item(unit=catalog.legal, item=item, on=today())
    assert not unit_holds_item(unit=county.other_unit, item=item, on=today())  # another agency's unit
    assert [v.entry for v in items_held_by(unit=catalog.other_unit)] == [item]


def test_the_power_follows_the_dates_of_the_versions(catalog):
    start = today()
    v1 = new_item(catalog, holding_units=[catalog.other_unit])
    item = v1.entry
    later = shift_months(start, 2)
    content = content_of(CatalogKind.ITEM, v1)
    content["holding_units"] = []
    draft = services.version_draft(
        acting_user=catalog.editor, kind=CatalogKind.ITEM, entry=item, content=content, meta={"effective_from": later}
    )
    services.version_submit(acting_user=catalog.editor, version=draft)
    services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=draft)
    assert unit_holds_item(unit=catalog.other_unit, item=item, on=start)
    assert not unit_holds_item(unit=catalog.other_unit, item=item, on=later)
    assert not unit_holds_item(unit=catalog.field_unit, item=item, on=start.replace(year=start.year - 1))  # before v1


def test_nobody_holds_an_unpublished_or_abolished_item(catalog):
    draft = new_item(catalog, published=False)
    assert not unit_holds_item(unit=catalog.field_unit, item=draft.entry, on=today())
    v1 = new_item(catalog, code="SC-CF-002")
    abolish = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=item_content(catalog),
        meta={"effective_from": today(), "abolished": True, "short_notice_reason": "职能划转", "change_note": "取消"},
    )
    services.version_submit(acting_user=catalog.editor, version=abolish)
    services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=abolish)
    assert not unit_holds_item(unit=catalog.field_unit, item=v1.entry, on=today())
