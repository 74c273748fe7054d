"""REC-10: a writer killed in the middle of a ledger append (SIGKILL, no clean-up) leaves whole transactions only.

A separate process appends three entries per transaction and sleeps before each commit; it is killed at a random
moment, three times over, and `sunlight ledger verify` must pass after each kill, with no partial transaction.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter

import pytest

from .subprocess_db import shared_database

pytestmark = pytest.mark.django_db(transaction=True)


def test_sigkill_during_appends_leaves_an_intact_chain(tmp_path):
    shared = shared_database(tmp_path)
    rng = random.Random(20261122)
    for round_number in range(3):
        worker = shared.worker("--label", f"r{round_number}", "--count", "300000", "--batch", "3", "--pause", "0.02")
        assert worker.stdout is not None
        for _ in range(3):  # a few committed transactions first
            assert worker.stdout.readline()
        time.sleep(rng.uniform(0.01, 0.2))
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL

        verified = shared.sunlight("ledger", "verify")
        assert verified.returncode == 0, verified.stderr
        assert "账本完好" in verified.stdout

        entries = shared.entries()
        per_transaction = Counter((p["label"], p["batch"]) for _seq, p in entries)
        assert per_transaction and set(per_transaction.values()) == {3}, "a transaction was cut in half"
        assert [seq for seq, _p in entries] == list(range(1, len(entries) + 1))
