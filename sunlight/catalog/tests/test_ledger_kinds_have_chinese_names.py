"""SYS-4: every ledger kind the catalog writes has a Chinese name (for the record and audit pages)."""

import re
from pathlib import Path

from sunlight.catalog.choices import LEDGER_KINDS

APP = Path(__file__).resolve().parents[1]


def test_every_written_catalog_kind_is_named():
    written = set()
    for path in APP.rglob("*.py"):
        if "tests" not in path.parts:
            written |= set(re.findall(r'"(catalog\.[a-z_]+)"', path.read_text("utf-8")))
    written -= {"catalog.review", "catalog.benchmark_review"}  # a permission action and a deadline subject type
    assert written, "no kinds found: the pattern is stale"
    assert written <= set(LEDGER_KINDS), sorted(written - set(LEDGER_KINDS))
