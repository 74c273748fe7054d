"""Benchmark of legal review (REV-5, REV-7) on PostgreSQL: the automatic pre-checks of a case with 200 records, and
the reviewer's queue page with 10,000 reviews, served by a real HTTP server (gunicorn).

    DJANGO_SETTINGS_MODULE=sunlight.settings .venv/bin/python bench/review.py                       # full size
    DJANGO_SETTINGS_MODULE=sunlight.settings .venv/bin/python bench/review.py --reviews 2000 --rounds 50   # quick

What it does, in order:

1. creates the database `sunlight_bench_review` on the PostgreSQL server at `SUNLIGHT_BENCH_POSTGRES` (default
   `postgres://postgres@127.0.0.1:5432/postgres`; an existing one of that name is dropped first), migrates it and
   loads the demo county (`load_demo`, as `sunlight demo` does);
2. builds one general-procedure penalty case of the county market regulation bureau through the services with
   `--records` records (default 200): initiation, investigations by the demo officers 王立新 and 陈国强 (both
   certified), the notice with the hearing right and a statement; the draft decision is a 10万元 fine checked against
   benchmark BM-SP-122;
3. times `precheck_case` on that case (`--rounds` times, default 200; every check, one pass over the records) against
   the baseline measured in the same process right before each run: fetching the case's records once
   (`list(case.records.order_by("seq"))`);
4. bulk-loads `--reviews` reviews (default 10,000) with `bulk_create` on as many bulk-loaded cases of the same agency:
   submission dates over two years, every status (about 30 % still open), urgent and voluntary ones, accepted
   reviews with their running 3-WD clock (green, yellow and red) and reviewers among the demo reviewer and three
   more legal reviewers; the agency's review-number counter is moved past them;
5. starts gunicorn (`sunlight.wsgi`, `--workers` sync workers, default 2, persistent database connections) on a free
   port of 127.0.0.1, logs in as the demo reviewer 周婷 (password Sunlight@2026) and reads the queue page
   `/workbench/review/` (first page, a deep page, `mine`, the approved ones) `--rounds` times each, interleaved with the
   baseline: a trivial authenticated page on the same server (`/accounts/password/`, the password form);
6. prints p50/p95 and the ratios (p95 / baseline p95) and the number of queries a pre-check run makes, then stops
   the server and drops the database (`--keep` keeps it).

Targets: pre-checks p95 < 50 ms for a case with 200 records; queue page p95 < 150 ms with 10,000 reviews. Nothing
is asserted; the ratios are what to compare between versions. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _scratch as scratch
import psycopg

from sunlight.evidence.tests.live import LiveServer, TusClient

DB_NAME = "sunlight_bench_review"
PASSWORD = "Sunlight@2026"


# --- figures -------------------------------------------------------------------------------------------------------


def _row(label: str, values: list[float], base: float, target: str = "") -> str:
    return scratch.row(label, values, base, target, width=40)


# --- 1. the pre-checks of a case with many records -----------------------------------------------------------------


def _moments(n: int) -> list[datetime]:
    """`n` moments today, evenly spaced and all before now (the demo's items are in force from today)."""
    from datetime import time as clock

    from django.utils import timezone

    now = timezone.now()
    local = timezone.localtime(now)
    start = max(datetime.combine(local.date(), clock(0, 1), tzinfo=local.tzinfo), now - timedelta(hours=3))
    gap = (now - timedelta(minutes=1) - start) / n
    return [start + gap * i for i in range(n)]


def big_case(records: int) -> tuple[Any, dict[str, Any]]:
    """A demo penalty case with `records` records, through the services; and a major draft decision."""
    from sunlight.cases.checks import StepInput
    from sunlight.cases.services import case_create, case_step_record
    from sunlight.catalog.models import Benchmark, EnforcementItem
    from sunlight.org.models import User

    officer = User.objects.get(username="officer")
    head = User.objects.get(username="unithead")
    item = EnforcementItem.objects.get(agency=officer.agency, code="SC-CF-001")
    benchmark = Benchmark.objects.get(agency=officer.agency, code="BM-SP-122")
    at = _moments(records + 1)
    case = case_create(
        acting_user=officer,
        workflow="penalty",
        unit=officer.unit,
        item=item,
        title="无证经营大型餐饮（压测）",
        party_kind="organisation",
        party_name="临泉县压测餐饮管理有限公司",
        source="inspection",
        officers=[head],
        now=at[0],
    )

    def onsite(moment: datetime, **over: Any) -> StepInput:
        values: dict[str, Any] = {
            "occurred_at": moment,
            "place": "临泉县城关街道人民路88号",
            "officers": [officer, head],
            "certificates_shown": True,
            "party_present": True,
            "party_signed": True,
            "content": "现场检查经营场所，询问有关人员。",
        }
        values.update(over)
        return StepInput(**values)

    case_step_record(
        acting_user=head, case=case, step="initiation", given=StepInput(occurred_at=at[1], data={"facts": "无证经营"})
    )
    for index in range(2, records - 1):
        case_step_record(acting_user=officer, case=case, step="investigation", given=onsite(at[index]))
    case_step_record(
        acting_user=officer,
        case=case,
        step="notice",
        given=onsite(
            at[records - 1],
            rights_notified=["statement", "defence", "hearing"],
            rights_how="书面告知",
            data={"proposed": "罚款拾万元"},
        ),
    )
    case_step_record(
        acting_user=officer,
        case=case,
        step="statement",
        given=onsite(at[records], data={"statement": "放弃陈述申辩和听证", "waived_hearing": True}),
    )
    draft = {
        "facts": "当事人未取得食品经营许可，经营大型餐饮服务，货值金额8000元。",
        "basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
        "kinds": ["fine"],
        "fine_fen": 10_000_000,
        "goods_value_fen": 800_000,
        "benchmark": str(benchmark.public_id),
        "circumstance": "ordinary",
    }
    return case, draft


def time_prechecks(case: Any, draft: dict[str, Any], rounds: int) -> dict[str, list[float]]:
    """`precheck_case` against fetching the records once, alternately, `rounds` times each; and the queries of one
    run (a figure that, unlike the times, does not depend on what else the machine is doing)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sunlight.review.prechecks import precheck_case
    from sunlight.review.services import _draft_with_check

    full = _draft_with_check(case, draft, timezone.now())
    times: dict[str, list[float]] = defaultdict(list)
    checks = precheck_case(case=case, draft=full)  # warm: imports, catalog caches
    with CaptureQueriesContext(connection) as run:
        precheck_case(case=case, draft=full)
    for _ in range(rounds):
        started = time.perf_counter()
        rows = list(case.records.order_by("seq"))
        times["baseline"].append(time.perf_counter() - started)
        started = time.perf_counter()
        checks = precheck_case(case=case, draft=full)
        times["prechecks"].append(time.perf_counter() - started)
    times["records"] = [float(len(rows))]
    times["flagged"] = [float(sum(1 for c in checks if not c.ok))]
    times["queries"] = [float(len(run))]
    return times


def shape(case: Any, draft: dict[str, Any]) -> dict[str, Any]:
    """The stored package, draft and pre-checks a submission of the big case would have."""
    from sunlight.review.selectors import submission_preview

    preview = submission_preview(case=case, draft=draft)
    return {"package": preview.package, "draft": preview.draft, "prechecks": preview.prechecks}


# --- 2. the queue page with many reviews ---------------------------------------------------------------------------

STATUS_MIX = [
    ("approved", 45),
    ("returned", 20),
    ("not_accepted", 3),
    ("unit_review", 4),
    ("submitted", 5),
    ("incomplete", 3),
    ("supplemented", 2),
    ("accepted", 14),
    ("paused", 2),
    ("panel", 1),
    ("collective", 1),
]
OUTCOMES = ["approve", "change", "procedure", "facts", "documents", "transfer", "sent"]


def preload_reviews(count: int, *, shape: dict[str, Any], seed: int = 341221) -> dict[str, Any]:
    """Bulk-create `count` cases and one review each at the county market regulation bureau, with the running
    3-WD clocks of the accepted ones (no events, no ledger entries: the queue reads only the review, case, user and
    deadline tables). Each review carries the package, draft and pre-checks of `shape` (those of the big case), so
    that the rows are as wide as real ones."""
    from django.db import transaction
    from django.utils import timezone

    from sunlight.cases.models import Case, DocumentCounter
    from sunlight.core.calendar import Period, WorkCalendar, due_at, level_at, yellow_at
    from sunlight.core.choices import Unit as PeriodUnit
    from sunlight.core.models import Deadline, DeadlineRule
    from sunlight.org.choices import Role
    from sunlight.org.models import RoleGrant, User
    from sunlight.review.models import Review

    rng = random.Random(seed)
    now = timezone.now()
    reviewer = User.objects.get(username="reviewer")
    agency = reviewer.agency
    legal = reviewer.unit
    reviewers = [reviewer]
    for n in range(1, 4):
        extra, _made = User.objects.get_or_create(
            username=f"bench_reviewer{n}",
            defaults={"full_name": f"审核员{n}", "agency": agency, "unit": legal, "must_change_password": False},
        )
        RoleGrant.objects.get_or_create(user=extra, role=Role.LEGAL_REVIEWER)
        reviewers.append(extra)
    units = [u for u in agency.units.order_by("id") if not u.is_legal_department]
    people = list(User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.OFFICER).distinct())
    rule = DeadlineRule.objects.get(code="review.legal_review")
    calendar = WorkCalendar.load()
    year = timezone.localtime(now).year
    case_last = DocumentCounter.objects.filter(agency=agency, doc_type="case", year=year).values_list("last", flat=True)
    review_last = DocumentCounter.objects.filter(agency=agency, doc_type="review_opinion", year=year).values_list(
        "last", flat=True
    )
    next_case = (case_last.first() or 0) + 1
    next_review = (review_last.first() or 0) + 1
    abbr = agency.short_name or agency.name
    started = time.perf_counter()
    made = 0
    levels: dict[str, int] = defaultdict(int)
    while made < count:
        size = min(2000, count - made)
        cases, reviews, clocks = [], [], []
        for _n in range(size):
            submitted = now - timedelta(days=rng.uniform(0.05, 730))
            status = rng.choices([s for s, _w in STATUS_MIX], weights=[w for _s, w in STATUS_MIX])[0]
            lead = rng.choice(people)
            cases.append(
                Case(
                    number=f"{abbr}案〔{year}〕{next_case}号",
                    workflow="penalty",
                    action_type="penalty",
                    agency=agency,
                    unit=rng.choice(units),
                    region_code=agency.region.code,
                    title=rng.choice(["未取得食品经营许可从事食品经营活动", "经营超过保质期的食品", "销售不合格产品"]),
                    source="inspection",
                    party_kind="organisation",
                    party_name=f"临泉县压测商贸有限公司{next_case}",
                    lead_officer=lead,
                    created_by=lead,
                    created_at=submitted - timedelta(days=20),
                    step="statement",
                    status="open" if status not in {"approved"} else "decided",
                )
            )
            next_case += 1
            accepted = status in {"accepted", "paused", "panel", "collective", "approved", "returned"}
            accepted_at = submitted + timedelta(hours=rng.uniform(1, 48)) if accepted else None
            if status in {"accepted", "paused"}:  # the running clocks: mostly recent, some overdue
                accepted_at = now - timedelta(hours=rng.choice([2, 10, 30, 50, 70, 100, 300]))
                submitted = min(submitted, accepted_at - timedelta(hours=1))
            reviews.append(
                Review(
                    number=f"{abbr}审〔{year}〕{next_review}号",
                    agency=agency,
                    status=status,
                    voluntary=rng.random() < 0.15,
                    urgent=rng.random() < 0.05,
                    late=rng.random() < 0.03,
                    major_reasons=[{"rule": "MR-01", "title": "对法人或者其他组织处以10万元以上罚款", "reason": ""}],
                    package=shape["package"],
                    draft=shape["draft"],
                    prechecks=shape["prechecks"],
                    reviewer=rng.choice(reviewers) if accepted else None,
                    outcome=rng.choice(OUTCOMES) if status in {"approved", "returned"} else "",
                    submitted_by=lead,
                    submitted_at=submitted,
                    accepted_at=accepted_at,
                    decided_at=accepted_at + timedelta(hours=rng.uniform(2, 60))
                    if accepted_at and status in {"approved", "returned"}
                    else None,
                    event_count=0,
                )
            )
            next_review += 1
        with transaction.atomic():
            made_cases = Case.objects.bulk_create(cases)
            for case, review in zip(made_cases, reviews, strict=True):
                review.case = case
            made_reviews = Review.objects.bulk_create(reviews)
            for review in made_reviews:
                if review.accepted_at is None:
                    continue
                open_clock = review.status in {"accepted", "paused"}
                due = due_at(calendar, start=review.accepted_at, period=Period(3, PeriodUnit.WORKING_DAYS))
                yellow = yellow_at(calendar, due=due, period_amount=3, unit=PeriodUnit.WORKING_DAYS)
                level = level_at(now=now, yellow=yellow, due=due) if open_clock else "green"
                if open_clock:
                    levels[str(level)] += 1
                clocks.append(
                    Deadline(
                        rule=rule,
                        subject_type="review",
                        subject_id=str(review.public_id),
                        subject_label=f"{review.number} {review.case.title}",
                        agency=agency,
                        responsible=review.reviewer,
                        region_code=agency.region.code,
                        start_event="complete package received",
                        started_at=review.accepted_at,
                        amount=3,
                        due_at=due,
                        yellow_at=yellow,
                        status={"accepted": "open", "paused": "paused"}.get(review.status, "met"),
                        level=level,
                        completed_at=review.decided_at,
                    )
                )
            Deadline.objects.bulk_create(clocks)
        made += size
    with transaction.atomic():
        DocumentCounter.objects.update_or_create(
            agency=agency, doc_type="case", year=year, defaults={"last": next_case - 1}
        )
        DocumentCounter.objects.update_or_create(
            agency=agency, doc_type="review_opinion", year=year, defaults={"last": next_review - 1}
        )
    return {"reviews": made, "levels": dict(levels), "seconds": time.perf_counter() - started}


def queue_reads(server: LiveServer, rounds: int) -> dict[str, list[float]]:
    """The reviewer's queue pages with the baseline interleaved, one request at a time."""
    http = TusClient(server)
    http.login("reviewer", PASSWORD)
    times: dict[str, list[float]] = defaultdict(list)
    status, _headers, first = http.request("GET", "/workbench/review/")
    if status != 200:
        raise SystemExit(f"queue: {status}")
    found = re.search(rb"\xe7\xac\xac (\d+) / (\d+) \xe9\xa1\xb5", first)  # "第 n / N 页"
    pages = int(found.group(2)) if found else 1
    queries = {
        "queue: first page": "/workbench/review/",
        f"queue: page {min(40, pages)} of {pages}": f"/workbench/review/?page={min(40, pages)}",
        "queue: mine": "/workbench/review/?mine=on",
        "queue: approved (status filter)": "/workbench/review/?status=approved",
    }
    for path in [*queries.values(), "/accounts/password/"]:  # warm every path in the workers
        for _ in range(4):
            http.request("GET", path)
    for _ in range(rounds):
        for label, path in queries.items():
            started = time.perf_counter()
            status, _headers, _page = http.request("GET", path)
            elapsed = time.perf_counter() - started
            if status != 200:
                raise SystemExit(f"{label}: {status}")
            times[label].append(elapsed)
            started = time.perf_counter()
            status, _headers, _page = http.request("GET", "/accounts/password/")
            times["baseline GET /accounts/password/"].append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"baseline: {status}")
    rows = len(re.findall(rb'data-testid="review-row"', first))
    times["rows"] = [float(rows)]
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=200, help="records of the pre-checked case (200)")
    parser.add_argument("--reviews", type=int, default=10_000, help="reviews bulk-loaded for the queue (10000)")
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds of each measurement (200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()

    admin_url = scratch.admin_url()
    work = Path(tempfile.mkdtemp(prefix="sunlight-bench-review-"))
    server = LiveServer(
        work / "site", database_url=scratch.db_url(admin_url, DB_NAME), extra_env={"SUNLIGHT_DB_CONN_MAX_AGE": "60"}
    )
    (work / "site" / "var").mkdir(parents=True)
    try:
        scratch.create_db(admin_url, DB_NAME)
    except psycopg.OperationalError as exc:
        print(f"no PostgreSQL server at {admin_url}: {exc}")
        return 1
    try:
        os.environ.update(server.env)
        import django

        django.setup()
        from django.db import connections

        scratch.migrate_and_load_demo()

        started = time.perf_counter()
        case, draft = big_case(args.records)
        print(f"case {case.number} with {case.records.count()} records built in {time.perf_counter() - started:.1f} s")
        pre = time_prechecks(case, draft, args.rounds)

        loaded = preload_reviews(args.reviews, shape=shape(case, draft))
        print(
            f"preloaded {loaded['reviews']:,} reviews in {loaded['seconds']:.1f} s; running clocks by colour: "
            + ", ".join(f"{k} {v}" for k, v in sorted(loaded["levels"].items()))
        )
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
        connections.close_all()

        server.start(workers=args.workers)
        print(f"gunicorn on 127.0.0.1:{server.port} with {args.workers} sync workers")
        queue = queue_reads(server, args.rounds)
        load = os.getloadavg()

        from sunlight.review.choices import OPEN_STATUSES
        from sunlight.review.models import Review

        open_count = Review.objects.filter(status__in=OPEN_STATUSES).count()
        print()
        print(f"load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} CPUs")
        print(
            f"pre-checks: {int(pre['records'][0])} records, {int(pre['flagged'][0])} of 8 points flagged, "
            f"{int(pre['queries'][0])} queries a run; "
            f"queue: {Review.objects.count():,} reviews, {open_count:,} open, {int(queue['rows'][0])} rows a page"
        )
        print()
        print(f"{'measurement':<40}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p95/base':>10}")
        base = scratch.pct(pre["baseline"], 95)
        print(_row("baseline: fetch the case's records", pre["baseline"], base))
        print(_row("precheck_case (8 points)", pre["prechecks"], base, "target p95 < 50 ms"))
        base = scratch.pct(queue["baseline GET /accounts/password/"], 95)
        print(_row("baseline GET /accounts/password/", queue["baseline GET /accounts/password/"], base))
        for label in [k for k in queue if k.startswith("queue:")]:
            print(_row(label, queue[label], base, "target p95 < 150 ms" if label.endswith("first page") else ""))
        return 0
    finally:
        server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep:
            scratch.drop_db(admin_url, DB_NAME)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
