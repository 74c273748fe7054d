"""Benchmark of the ledger (REC-10): `ledger verify` against plain hashlib, and appends per second on PostgreSQL.

Run with `make bench` (all benchmarks), `make bench BENCH=ledger` or `.venv/bin/python bench/ledger.py [--quick]`.
It never touches the configured database: it works in a scratch SQLite file under a temporary directory and, when a
PostgreSQL server answers at SUNLIGHT_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres), in a
scratch database it creates and drops there. Each measurement runs in a child process of its own (Django is
configured once per process).

* verify ratio: `ledger_verify()` over N entries (reading the rows, the payload hashes, the chain, the Merkle root of
  every signed tree head, the signatures) against the baseline: hashlib.sha256 over the same canonical bytes the chain
  hashes, i.e. prev_hash || canonical entry, one call per entry in a plain Python loop over bytes built beforehand
  (checked against the stored entry hashes, so the baseline hashes exactly those bytes). Best of five runs each,
  taking turns, in the same process. Ratio = verify throughput / baseline throughput (target >= 0.5). A second ratio is printed against a
  baseline that also hashes each canonical payload (two calls per entry), the bytes verification hashes besides.
* read rows: the rows alone, streamed through the reader `ledger_verify` uses, for scale.
* append rate: entries per second from one process on PostgreSQL, each `ledger_append` in its own transaction
  (what a service does), in five rounds (best and median; target >= 500/s), and in transactions of 100.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
ROUNDS = 5
REPEATS = 5


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


def best_of(repeats: int, candidates: dict[str, Any]) -> dict[str, float]:
    """The fastest of `repeats` runs of each function, in seconds, taking turns (so that a burst of other work on the
    machine slows every candidate alike rather than one of them)."""
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(repeats):
        for name, fn in candidates.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def child(mode: str, count: int) -> None:
    """Migrate the scratch database's core tables and measure; print one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sunlight.core.ledger import _snapshot, _verify_rows, chain_rows, ledger_append, ledger_verify
    from sunlight.core.transparency import checkpoint_create

    call_command("migrate", "core", verbosity=0)

    def append_one(i: int) -> None:
        ledger_append(stream=f"case:{i % 97}", kind="case.fact", actor="user:bench", payload=payload(i))

    if mode == "append":
        rates = []
        per_round = max(count // ROUNDS, 1)
        for r in range(ROUNDS):
            start = time.perf_counter()
            for i in range(r * per_round, (r + 1) * per_round):
                with transaction.atomic():
                    append_one(i)
            rates.append(per_round / (time.perf_counter() - start))
        start = time.perf_counter()
        for first in range(0, count, 100):
            with transaction.atomic():
                for i in range(first, min(first + 100, count)):
                    append_one(i)
        batched = count / (time.perf_counter() - start)
        print(json.dumps({"rounds": rates, "per_round": per_round, "batched": batched, "count": count}))
        return

    step = max(count // 10, 1)
    for first in range(0, count, 1000):
        with transaction.atomic():
            for i in range(first, min(first + 1000, count)):
                append_one(i)
        if (first + 1000) % step == 0:
            checkpoint_create(force=True)
    checkpoint_create(force=True)

    # The bytes the chain hashes (and each canonical payload), built once outside the timing with the general
    # encoder, independently of the code under test, and checked against the stored hashes.
    import hashlib

    encoder = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    entries: list[bytes] = []
    payloads: list[bytes] = []
    prev = bytes(32)
    for seq, stream, kind, actor, at, body, payload_hash, _prev_hash, entry_hash in chain_rows():
        canonical_payload = encoder.encode(json.loads(body)).encode()
        entry = {"seq": seq, "stream": stream, "kind": kind, "actor": actor, "at": at, "payload_hash": payload_hash}
        entries.append(prev + encoder.encode(entry).encode())
        payloads.append(canonical_payload)
        assert hashlib.sha256(entries[-1]).hexdigest() == entry_hash, seq
        assert hashlib.sha256(canonical_payload).hexdigest() == payload_hash, seq
        prev = bytes.fromhex(entry_hash)
    pairs = list(zip(payloads, entries, strict=True))

    def baseline() -> None:
        sha256 = hashlib.sha256
        for data in entries:
            sha256(data).digest()

    def baseline_with_payloads() -> None:
        sha256 = hashlib.sha256
        for p, e in pairs:
            sha256(p).digest()
            sha256(e).digest()

    def read_only() -> None:
        connection.ensure_connection()
        with _snapshot(connection), _verify_rows(connection) as rows:
            for _row in rows:
                pass

    result = ledger_verify()
    assert result.ok and result.checked == count, result
    timings = best_of(
        REPEATS,
        {"verify": ledger_verify, "hashlib": baseline, "hashlib2": baseline_with_payloads, "read": read_only},
    )
    print(json.dumps({"count": count, "bytes": sum(map(len, entries)), "tree_heads": result.tree_heads, **timings}))


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
    n = r["count"]
    return (
        f"{label:<11} {n:>7} {r['verify'] * 1e3:9.1f} ms {r['verify'] / n * 1e6:6.2f} µs "
        f"{r['hashlib'] * 1e3:8.1f} ms {r['hashlib'] / n * 1e6:5.2f} µs {r['read'] * 1e3:8.1f} ms "
        f"{r['hashlib'] / r['verify']:7.3f} {r['hashlib2'] / r['verify']:9.3f}"
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
    load_before = os.getloadavg()
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

    load = ", ".join(f"{x:.1f}" for x in load_before)
    print(f"Ledger verify: {entries} entries, best of {REPEATS} runs taking turns (target: ratio >= 0.5)")
    print(
        "ratio = verify throughput / throughput of hashlib.sha256 over prev_hash || canonical entry, one call per entry"
    )
    print("ratio+p = the same against a baseline that also hashes each canonical payload (two calls per entry)")
    print(f"({os.cpu_count()} CPUs, load average {load} at the start: other work on the machine lowers the rates)")
    print(
        f"{'database':<11} {'entries':>7} {'verify':>12} {'/entry':>9} {'hashlib':>11} {'/entry':>8} "
        f"{'read rows':>11} {'ratio':>7} {'ratio+p':>9}"
    )
    for label, r in results:
        print(verify_row(label, r))
    if append is None:
        print("PostgreSQL append rate: skipped (no PostgreSQL server; set SUNLIGHT_BENCH_POSTGRES to a server URL)")
    else:
        rounds = append["rounds"]
        print(
            f"PostgreSQL append rate, one process, one entry per transaction: {max(rounds):,.0f} entries/s "
            f"(best of {len(rounds)} rounds of {append['per_round']}; median {statistics.median(rounds):,.0f}/s; "
            f"target >= 500); {append['batched']:,.0f} entries/s in transactions of 100 ({append['count']} entries)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
