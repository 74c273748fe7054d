from __future__ import annotations

import pytest

from sunlight.core.deadlines import rules_sync


@pytest.fixture(autouse=True)
def _rules(db) -> None:
    """The deadline rules the registry opens deadlines under (a migration ships them; tests start empty)."""
    rules_sync()
