"""Review tests reuse the case desk (catalog, item, benchmark, major-decision catalog, certified officers)."""

from __future__ import annotations

import pytest

from sunlight.cases.tests.factories import desk  # noqa: F401  (fixture)
from sunlight.catalog.tests.factories import catalog  # noqa: F401  (fixture)
from sunlight.core.deadlines import rules_sync


@pytest.fixture(autouse=True)
def _rules(db) -> None:
    rules_sync()
