"""Case test fixtures: the catalog fixtures, and the deadline rules the cases open deadlines under."""

from __future__ import annotations

import pytest

from sunlight.cases.tests.factories import desk  # noqa: F401  (fixture)
from sunlight.catalog.tests.factories import catalog  # noqa: F401  (fixture)
from sunlight.core.deadlines import rules_sync


@pytest.fixture(autouse=True)
def _rules(db) -> None:
    rules_sync()
