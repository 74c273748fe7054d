"""Benchmark of the working-day engine (SYS-3) against plain date arithmetic, measured in the same run.

Run with `make bench` (all benchmarks), `make bench BENCH=workdays` or `.venv/bin/python bench/workdays.py [--quick]`.
(Not `bench/calendar.py`: run as a script, it would shadow the standard library's `calendar` module.) It times, over
the same inputs (many start dates, periods of 1..3650 days):

* add_workdays(start, n)            vs  start + timedelta(days=n)
* workdays_between(start, end)      vs  (end - start).days
* due_at(...) for WD, CD and h      vs  start + timedelta(days=n) on aware datetimes
* a naive day-by-day add_workdays   (for scale; smaller sample)

and prints each engine time divided by its baseline time. It never asserts timings: the numbers depend on the
machine; the ratios are what to compare between versions.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunlight.settings")

import django

django.setup()

from sunlight.core.calendar import LOCAL_TZ, Period, WorkCalendar, due_at  # noqa: E402
from sunlight.core.choices import Unit  # noqa: E402


def best_of(repeats: int, fn: Callable[[], object]) -> float:
    """The fastest of `repeats` runs of fn, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def make_inputs(count: int, seed: int = 20261121) -> list[tuple[date, int]]:
    """`count` (start, n) pairs: starts 2004-2016 (every result stays within reach), n in 1..3650."""
    rng = random.Random(seed)
    first = date(2004, 1, 1).toordinal()
    last = date(2016, 12, 31).toordinal()
    pairs = [(date.fromordinal(rng.randint(first, last)), rng.randint(1, 3650)) for _ in range(count)]
    pairs += [(date(2010, 1, 4), n) for n in (1, 2, 5, 10, 20, 30, 90, 365, 1000, 3650)]
    return pairs


def naive_add(cal: WorkCalendar, start: date, n: int) -> date:
    """Day-by-day reference: what an engine without tables would do."""
    d = start
    while n:
        d += timedelta(days=1)
        n -= cal.is_workday(d)
    return d


def row(label: str, engine: float, baseline: float, count: int) -> str:
    """One line of the result table."""
    ratio = engine / baseline
    per_call = engine / count * 1e6
    return f"{label:<36} {engine * 1e3:9.1f} ms {baseline * 1e3:9.1f} ms {ratio:9.1f}x {per_call:9.2f} µs"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table of ratios."""
    parser = argparse.ArgumentParser(description="Working-day engine benchmark (SYS-3)")
    parser.add_argument("--quick", action="store_true", help="fewer inputs (a few seconds)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    pairs = make_inputs(5_000 if args.quick else 40_000)
    starts = [datetime(d.year, d.month, d.day, 9, 30, tzinfo=LOCAL_TZ) for d, _ in pairs]
    ends = [d + timedelta(days=n) for d, n in pairs]
    amounts = [n for _, n in pairs]
    wd = [Period(n, Unit.WORKING_DAYS) for n in amounts]
    cd = [Period(n, Unit.CALENDAR_DAYS) for n in amounts]
    hours = [Period(n, Unit.HOURS) for n in amounts]
    count = len(pairs)

    cal = WorkCalendar()
    t0 = time.perf_counter()
    for d, n in pairs:
        cal.add_workdays(d, n)
    cold = time.perf_counter() - t0  # the first pass also builds every year's table

    def timed(fn: Callable[[], object]) -> float:
        return best_of(args.repeats, fn)

    base_add = timed(lambda: [d + timedelta(days=n) for d, n in pairs])
    base_between = timed(lambda: [(e - d).days for (d, _), e in zip(pairs, ends, strict=True)])
    base_due = timed(lambda: [s + timedelta(days=n + 1) for s, n in zip(starts, amounts, strict=True)])
    base_hours = timed(lambda: [s + timedelta(hours=n) for s, n in zip(starts, amounts, strict=True)])

    def due_all(periods: list[Period], paused: bool = False) -> list[datetime]:
        if paused:
            return [
                due_at(cal, start=s, period=p, pauses=[(s + timedelta(days=3), s + timedelta(days=10))])
                for s, p in zip(starts, periods, strict=True)
            ]
        return [due_at(cal, start=s, period=p) for s, p in zip(starts, periods, strict=True)]

    rows = [
        ("add_workdays (warm)", timed(lambda: [cal.add_workdays(d, n) for d, n in pairs]), base_add, count),
        ("add_workdays (cold, first pass)", cold, base_add, count),
        (
            "workdays_between",
            timed(lambda: [cal.workdays_between(d, e) for (d, _), e in zip(pairs, ends, strict=True)]),
            base_between,
            count,
        ),
        ("due_at WD", timed(lambda: due_all(wd)), base_due, count),
        ("due_at CD", timed(lambda: due_all(cd)), base_due, count),
        ("due_at h", timed(lambda: due_all(hours)), base_hours, count),
        ("due_at WD with one pause", timed(lambda: due_all(wd, paused=True)), base_due, count),
    ]
    sample = pairs[:1000]
    rows.append(
        (
            "naive day-by-day add (1000 inputs)",
            best_of(1, lambda: [naive_add(cal, d, n) for d, n in sample]),
            best_of(1, lambda: [d + timedelta(days=n) for d, n in sample]),
            len(sample),
        )
    )

    print(f"Working-day engine: {count} inputs, starts 2004-2016, periods 1..3650, best of {args.repeats}")
    print(f"{'operation':<36} {'engine':>12} {'baseline':>12} {'ratio':>10} {'per call':>12}")
    for label, engine, baseline, n_calls in rows:
        print(row(label, engine, baseline, n_calls))
    print(f"unscheduled years consulted (weekends only): {sorted(cal.unscheduled_years)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
