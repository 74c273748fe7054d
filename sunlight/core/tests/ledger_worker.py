"""A separate process that appends to the ledger in a loop, for the crash and concurrency tests (REC-10).

Run as `python -m sunlight.core.tests.ledger_worker --label a --count 100 --batch 10 [--pause 0.01]` with
DATABASE_URL pointing at the database under test. Each transaction appends `batch` entries (payload: label, batch
number, index) and, with --pause, sleeps before committing, so that a kill is likely to land mid-transaction.
Prints the number of the batch just committed, one per line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the database pytest-django set up (PostgreSQL only; SQLite tests use a file of their own)."""
    user = urllib.parse.quote(settings_dict.get("USER") or "", safe="")
    password = urllib.parse.quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def environment(database: str, var_dir: Path) -> dict[str, str]:
    """The environment for a worker or a `sunlight` command against `database`."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database,
        SUNLIGHT_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="sunlight.settings",
        PYTHONPATH=str(REPO),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def main() -> None:
    """Append in a loop."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--pause", type=float, default=0.0)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    from sunlight.core.ledger import ledger_append

    for number in range(args.count // args.batch):
        with transaction.atomic():
            for i in range(args.batch):
                ledger_append(
                    stream=f"worker:{args.label}",
                    kind="test.worker",
                    actor="system",
                    payload={"label": args.label, "batch": number, "i": i, "size": args.batch},
                )
            if args.pause:
                time.sleep(args.pause)
        sys.stdout.write(f"{number}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
