"""DIS-3 in `may_act`: with an enforcement item, the category is the item's field, and the officer's unit must hold
the item on the date when the catalog offers `unit_holds_item`; without that function the check is skipped."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from sunlight.org.choices import EnforcementField
from sunlight.registry import selectors
from sunlight.registry.selectors import may_act

from .factories import certified

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 15)


def test_the_unit_must_hold_the_item(county, monkeypatch):
    user, certificate = certified(county.admin, county.unit_a)
    asked: list[dict[str, Any]] = []

    def unit_holds_item(*, unit: Any, item: Any, on: date) -> bool:
        asked.append({"unit": unit, "item": item, "on": on})
        return item.name == "无照经营"

    monkeypatch.setattr(selectors, "_unit_holds_item_check", lambda: unit_holds_item)
    held = SimpleNamespace(field=EnforcementField.MARKET, name="无照经营")
    other = SimpleNamespace(field=EnforcementField.MARKET, name="特种设备")
    assert may_act(user=user, item=held, region_code="341221", on=ON).ok
    assert asked == [{"unit": county.unit_a, "item": held, "on": ON}]
    refused = may_act(user=user, item=other, region_code="341221", on=ON)
    assert not refused.ok and refused.certificate == certificate
    assert refused.reasons == ["临泉县市场监督管理局·执法大队 不承担该执法事项，不能办理。"]


def test_the_item_field_is_the_category(county, monkeypatch):
    user, certificate = certified(county.admin, county.unit_a)
    monkeypatch.setattr(selectors, "_unit_holds_item_check", lambda: None)
    urban_item = SimpleNamespace(field=EnforcementField.URBAN)
    result = may_act(user=user, item=urban_item, field=EnforcementField.MARKET, region_code="341221", on=ON)
    assert result.reasons == [f"执法证 {certificate.number} 的执法类别为“市场监管”，不包括“城市管理”。"]


def test_without_the_catalog_function_the_check_is_skipped(county, monkeypatch):
    user, _certificate = certified(county.admin, county.unit_a)
    import sunlight.catalog.selectors as catalog_selectors

    monkeypatch.delattr(catalog_selectors, "unit_holds_item", raising=False)
    assert selectors._unit_holds_item_check() is None
    assert may_act(user=user, item=SimpleNamespace(field=EnforcementField.MARKET), region_code="341221", on=ON).ok


def test_the_catalog_function_is_found_when_present(monkeypatch):
    import sunlight.catalog.selectors as catalog_selectors

    def fake(*, unit: Any, item: Any, on: date) -> bool:
        return True

    monkeypatch.setattr(catalog_selectors, "unit_holds_item", fake, raising=False)
    assert selectors._unit_holds_item_check() is fake
