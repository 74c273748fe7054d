"""What the PostgreSQL benchmarks share (bench/cases.py, bench/review.py): a scratch database on the server at
SUNLIGHT_BENCH_POSTGRES, the demo county loaded into it, and the percentile table they print. Not a benchmark itself:
`make bench` skips files whose names start with an underscore."""

from __future__ import annotations

import os
import time
import urllib.parse

import psycopg

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """The server's maintenance database, where scratch databases are created and dropped."""
    return os.environ.get("SUNLIGHT_BENCH_POSTGRES", DEFAULT_SERVER)


def db_url(admin: str, name: str) -> str:
    """The address of the scratch database `name` on the same server."""
    parts = urllib.parse.urlsplit(admin)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_db(admin: str, name: str) -> None:
    """A fresh, empty scratch database (an earlier one of that name is dropped)."""
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_db(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate_and_load_demo() -> None:
    """Migrate the configured (scratch) database and load the demo county, saying how long each took."""
    from django.core.management import call_command

    from sunlight.org.demo import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    load_demo()
    print(f"demo county loaded in {time.perf_counter() - started:.1f} s")


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile of durations in seconds, in milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index] * 1000


def row(label: str, values: list[float], base: float, target: str = "", *, width: int = 34) -> str:
    """One line of the table: label, n, p50 and p95 in ms, p95 as a multiple of the baseline's p95, the target."""
    p50, p95 = pct(values, 50), pct(values, 95)
    return f"{label:<{width}}{len(values):>7}{p50:>10.1f}{p95:>10.1f}{p95 / base:>9.1f}x  {target}"
