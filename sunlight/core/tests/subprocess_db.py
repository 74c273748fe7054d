"""A database that separate processes can reach, for the crash and concurrency tests (REC-10).

PostgreSQL: the test database itself (the tests are transactional, so commits are visible across processes).
SQLite: the test database lives in memory, so a fresh migrated file in the test's temporary directory.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from sunlight.core.models import LedgerEntry, LedgerHead

from .ledger_worker import REPO, database_url, environment


@dataclass
class SharedDatabase:
    """A DATABASE_URL and environment for subprocesses, and a way to read the ledger back."""

    url: str
    env: dict[str, str]
    sqlite_path: Path | None

    def sunlight(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a `sunlight` command against the database."""
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "sunlight.cli", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def worker(self, *args: str) -> subprocess.Popen[str]:
        """Start `ledger_worker` with the given arguments."""
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "sunlight.core.tests.ledger_worker", *args],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )

    def entries(self) -> list[tuple[int, dict[str, Any]]]:
        """(seq, payload) of every worker entry, in order."""
        if self.sqlite_path is None:
            return list(LedgerEntry.objects.filter(kind="test.worker").order_by("seq").values_list("seq", "payload"))
        with sqlite3.connect(self.sqlite_path) as db:
            rows = db.execute("SELECT seq, payload FROM core_ledgerentry WHERE kind = 'test.worker' ORDER BY seq")
            return [(seq, json.loads(payload)) for seq, payload in rows]


def shared_database(tmp_path: Path) -> SharedDatabase:
    """Prepare a database for subprocesses (call from a transactional test)."""
    var_dir = tmp_path / "var"
    var_dir.mkdir(exist_ok=True)
    if connection.vendor == "postgresql":
        LedgerHead.objects.get_or_create(id=1)  # committed before any worker races to create it
        url = database_url(connection.settings_dict)
        return SharedDatabase(url, environment(url, var_dir), None)
    path = tmp_path / "ledger.sqlite3"
    shared = SharedDatabase(f"sqlite:///{path}", environment(f"sqlite:///{path}", var_dir), path)
    migrated = shared.sunlight("migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    return shared
