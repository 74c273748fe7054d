"""Benchmark of the ledger (REC-10): `ledger verify` against plain hashlib, and appends per second on PostgreSQL.

Run with `make bench` or `.venv/bin/python bench/bench_ledger.py [--quick]`. It never touches the configured
database: it works in a scratch SQLite file under a temporary directory and, when a PostgreSQL server answers at
SUNLIGHT_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres), in a scratch database it creates
and drops there. Each measurement runs in a child process of its own (Django is configured once per process).

* verify ratio: `ledger_verify()` over N entries (reading the rows, canonical JSON of every payload, the chain, the
  Merkle root of every signed tree head) against hashlib.sha256 over the same canonical bytes (payload bytes and
  prev_hash || canonical entry, i.e. the two hashes per entry that verification cannot avoid), best of three each,
  in the same run. Ratio = verify throughput / hashlib throughput (target >= 0.5).
* append rate: entries per second from one process on PostgreSQL, each `ledger_append` in its own transaction
  (what a service does), and in transactions of 100 (target >= 500/s for the former).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def payload(i: int) -> dict[str, Any]:
    """A payload shaped like a real audit or case entry (about 300 bytes of canonical JSON)."""
    return {
        "case": f"8c1d2f0e-4b7a-4c2e-9d1a-{i:012d}",
        "changed": {"status": ["investigating", "decided"], "fine_fen": [0, 500000 + i]},
        "from": {
            "channel": "web",
            "ip": f"10.12.{i % 250}.{i % 200}",
            "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
        },
        "note": "当事人在规定期限内缴纳罚款",
        "seq_hint": i,
    }


def child_env(database: str, var_dir: str) -> dict[str, str]:
    """Environment of a child process working on `database`."""
    env = dict(os.environ, DATABASE_URL=database, SUNLIGHT_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="sunlight.settings")
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_child(mode: str, database: str, var_dir: str, count: int) -> dict[str, Any]:
    """Run this script in `mode` against `database`; returns its JSON result."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--count", str(count)],
        env=child_env(database, var_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{mode} on {database.split('@')[-1]} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# Children ---------------------------------------------------------------------------------------------------------------


def best_of(repeats: int, fn: Any) -> float:
    """The fastest of `repeats` runs, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def child(mode: str, count: int) -> None:
    """Migrate the scratch database's core tables and measure; print one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from sunlight.core.ledger import chain_rows, ledger_append, ledger_verify
    from sunlight.core.transparency import checkpoint_create

    call_command("migrate", "core", verbosity=0)
    if mode == "append":
        start = time.perf_counter()
        for i in range(count):
            with transaction.atomic():
                ledger_append(stream=f"case:{i % 97}", kind="case.fact", actor="user:bench", payload=payload(i))
        single = count / (time.perf_counter() - start)
        start = time.perf_counter()
        for first in range(0, count, 100):
            with transaction.atomic():
                for i in range(first, min(first + 100, count)):
                    ledger_append(stream=f"case:{i % 97}", kind="case.fact", actor="user:bench", payload=payload(i))
        batched = count / (time.perf_counter() - start)
        print(json.dumps({"single": single, "batched": batched, "count": count}))
        return

    step = max(count // 10, 1)
    for first in range(0, count, 1000):
        with transaction.atomic():
            for i in range(first, min(first + 1000, count)):
                ledger_append(stream=f"case:{i % 97}", kind="case.fact", actor="user:bench", payload=payload(i))
        if (first + 1000) % step == 0:
            checkpoint_create(force=True)
    checkpoint_create(force=True)

    # The bytes verification must hash, built once outside the timing.
    encoder = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    material: list[tuple[bytes, bytes]] = []
    prev = bytes(32)
    for seq, stream, kind, actor, at, body, payload_hash, _prev_hash, entry_hash in chain_rows():
        canonical_payload = encoder.encode(json.loads(body)).encode()
        entry = {"seq": seq, "stream": stream, "kind": kind, "actor": actor, "at": at, "payload_hash": payload_hash}
        material.append((canonical_payload, prev + encoder.encode(entry).encode()))
        prev = bytes.fromhex(entry_hash)
    size = sum(len(p) + len(e) for p, e in material)

    import hashlib

    def baseline() -> None:
        sha256 = hashlib.sha256
        for p, e in material:
            sha256(p).digest()
            sha256(e).digest()

    def read_only() -> None:
        for _row in chain_rows():
            pass

    result = ledger_verify()
    assert result.ok and result.checked == count, result
    print(
        json.dumps(
            {
                "count": count,
                "bytes": size,
                "tree_heads": result.tree_heads,
                "verify": best_of(3, ledger_verify),
                "hashlib": best_of(3, baseline),
                "read": best_of(3, read_only),
            }
        )
    )


# Orchestration ----------------------------------------------------------------------------------------------------------


def postgres_scratch(server: str) -> tuple[str, Any] | None:
    """Create a scratch database on the server; returns its URL and a function that drops it, or None."""
    try:
        import psycopg
    except ImportError:
        return None
    name = f"sunlight_bench_{os.getpid()}"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL: skipped ({server.split('@')[-1]}: {str(exc).strip().splitlines()[0]})")
        return None
    parts = urllib.parse.urlsplit(server)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def verify_row(label: str, r: dict[str, Any]) -> str:
    """One line of the verify table."""
    ratio = r["hashlib"] / r["verify"]
    return (
        f"{label:<12} {r['count']:>8} {r['verify'] * 1e3:10.1f} ms {r['count'] / r['verify']:12,.0f}/s "
        f"{r['hashlib'] * 1e3:10.1f} ms {r['read'] * 1e3:10.1f} ms {ratio:8.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the children and print the figures."""
    parser = argparse.ArgumentParser(description="Ledger benchmark (REC-10)")
    parser.add_argument("--quick", action="store_true", help="fewer entries (a few seconds)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.count)
        return 0

    entries = 5_000 if args.quick else 50_000
    appends = 1_000 if args.quick else 5_000
    with tempfile.TemporaryDirectory(prefix="sunlight-bench-") as tmp:
        results = [("SQLite", run_child("verify", f"sqlite:///{tmp}/bench.sqlite3", tmp, entries))]
        append: dict[str, Any] | None = None
        scratch = postgres_scratch(os.environ.get("SUNLIGHT_BENCH_POSTGRES", DEFAULT_SERVER))
        if scratch is not None:
            url, drop = scratch
            try:
                results.append(("PostgreSQL", run_child("verify", url, tmp, entries)))
                append = run_child("append", url, tmp, appends)
            finally:
                drop()

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Ledger verify: {entries} entries, best of 3; ratio = verify throughput / hashlib throughput (target >= 0.5)"
    )
    print(f"({os.cpu_count()} CPUs, load average {load}: other work on the machine lowers the rates)")
    print(
        f"{'database':<12} {'entries':>8} {'verify':>13} {'verify rate':>14} {'hashlib':>13} {'read rows':>13} {'ratio':>8}"
    )
    for label, r in results:
        print(verify_row(label, r))
    if append is None:
        print("PostgreSQL append rate: skipped (no PostgreSQL server; set SUNLIGHT_BENCH_POSTGRES to a server URL)")
    else:
        print(
            f"PostgreSQL append rate, one process: {append['single']:,.0f} entries/s with one entry per transaction "
            f"(target >= 500), {append['batched']:,.0f} entries/s in transactions of 100 ({append['count']} entries each)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
