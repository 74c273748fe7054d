"""REC-10: concurrent writers never fork or break the chain.

Four separate processes append at the same time, in transactions of ten entries. On PostgreSQL (the production
database; CI runs the suite on it) each appends 10,000 entries; on SQLite, whose writers queue on the database lock
(`BEGIN IMMEDIATE`), a smaller load on a database file shows the same property.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from sunlight.core.ledger import ledger_verify

from .subprocess_db import shared_database

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
BATCH = 10


def test_four_processes_append_into_one_unbroken_chain(tmp_path):
    each = 10_000 if connection.vendor == "postgresql" else 300
    shared = shared_database(tmp_path)
    workers = [shared.worker("--label", f"w{n}", "--count", str(each), "--batch", str(BATCH)) for n in range(WORKERS)]
    for worker in workers:
        out, _err = worker.communicate(timeout=600)
        assert worker.returncode == 0
        assert out.split()[-1] == str(each // BATCH - 1)

    if shared.sqlite_path is None:
        result = ledger_verify()
        assert result.ok, result
        assert result.checked == WORKERS * each
    verified = shared.sunlight("ledger", "verify")
    assert verified.returncode == 0, verified.stderr

    entries = shared.entries()
    assert [seq for seq, _p in entries] == list(range(1, WORKERS * each + 1))
    assert Counter(p["label"] for _seq, p in entries) == {f"w{n}": each for n in range(WORKERS)}
    # Each transaction's entries are consecutive: nobody else's entry landed inside another's transaction.
    runs = [(p["label"], p["batch"]) for _seq, p in entries]
    assert all(runs[i] == runs[i - i % BATCH] for i in range(len(runs)))
    # The writers really did interleave.
    assert len({label for label, _batch in runs[: len(runs) // 2]}) > 1
