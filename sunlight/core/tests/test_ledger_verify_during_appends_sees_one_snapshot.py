"""REC-10: `ledger verify` run while another process appends reads one snapshot of the ledger.

The tree heads, the rows and the chain head row must come from the same moment: otherwise an entry committed
between reading the rows and reading the head row looks like a missing tail ("末尾的记录缺失"), a false alarm of
tampering on a live system. A separate process appends one entry per transaction while a second one runs
`ledger_verify()` over and over; every check must pass, and the ledger must have grown meanwhile.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .ledger_worker import REPO
from .subprocess_db import shared_database

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY_LOOP = """
import json, sys, time
import django
django.setup()
from sunlight.core.ledger import ledger_verify
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    result = ledger_verify()
    print(json.dumps([result.ok, result.checked, result.reason]), flush=True)
"""


def test_every_check_passes_while_entries_are_appended(tmp_path):
    shared = shared_database(tmp_path)
    seeded = shared.worker("--label", "seed", "--count", "20", "--batch", "5")
    seeded.communicate(timeout=120)
    assert seeded.returncode == 0
    assert shared.sunlight("ledger", "checkpoint").returncode == 0

    writer = shared.worker("--label", "live", "--count", "1000000", "--batch", "1")
    try:
        assert writer.stdout is not None and writer.stdout.readline()  # appending has begun
        checker = subprocess.run(  # noqa: S603
            [sys.executable, "-c", VERIFY_LOOP, "4"],
            env=shared.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert checker.returncode == 0, checker.stderr
    results = [json.loads(line) for line in checker.stdout.splitlines()]
    assert len(results) >= 3
    assert [r for r in results if not r[0]] == []
    assert results[-1][1] > results[0][1]  # the ledger grew while it was being checked
