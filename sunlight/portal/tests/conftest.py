"""Portal test fixtures: the catalog's agency and laws (sunlight/catalog/tests), the deadline rules, and a client
that never logs in."""

from __future__ import annotations

import pytest

from sunlight.catalog.tests.factories import catalog  # noqa: F401
from sunlight.core.deadlines import rules_sync


@pytest.fixture(autouse=True)
def _rules(db) -> None:
    """The deadline rules the registry and the catalog open deadlines under."""
    rules_sync()
