"""Benchmark of the case API (REC-1, REC-2, SYS-5) on PostgreSQL through a real HTTP server (gunicorn).

    DJANGO_SETTINGS_MODULE=sunlight.settings .venv/bin/python bench/cases.py           # full size, ~15 min
    DJANGO_SETTINGS_MODULE=sunlight.settings .venv/bin/python bench/cases.py --quick   # 10,000 preloaded, 100 driven

What it does, in order:

1. creates the database `sunlight_bench_cases` on the PostgreSQL server at `SUNLIGHT_BENCH_POSTGRES` (default
   `postgres://postgres@127.0.0.1:5432/postgres`; an existing one of that name is dropped first), migrates it and
   loads the demo county (`load_demo`, as `sunlight demo` does);
2. bulk-loads `--preload` cases (default 100,000) with `bulk_create`: realistic rows spread over the demo county's
   agencies and their field units, five workflows, every status, three years of registration dates, two handling
   officers each (the M2M rows the scope filter joins); they have no records or ledger entries (the list reads only
   the case, agency, unit and user tables); the agencies' case-number counters are moved past them;
3. starts gunicorn (`sunlight.wsgi`, `--workers` sync workers, default 4, persistent database connections) on a free
   port of 127.0.0.1, logs in through the login page as demo users (password Sunlight@2026) and drives `--cases`
   complete general-procedure penalty cases (default 1,000) through the API from `--concurrency` client threads
   (default 2): register (officer 王立新), initiation (unit head 陈国强), investigation, notice, statement (officer),
   decision (unit head), service, execution (officer), closure (unit head), on item SC-CF-001 of the county market
   regulation bureau, which the 综合行政执法大队 holds; both named officers hold market certificates in the demo;
4. reads the county's case list as the justice bureau's supervisor 赵明 (REGION scope: every case of the county,
   preload included): the first page, a deep page, a status filter and a keyword search;
5. measures the baseline in the same run on the same server: `GET /api/v1/org/me` (a trivial authenticated endpoint),
   once after every case in each driving thread (same load as the steps) and again next to the list reads;
6. prints p50/p95 per step and for the list, the baselines and the ratios (p95 / baseline p95), then stops the server
   and drops the database (`--keep` keeps it for inspection).

Targets: p95 < 150 ms per step, p95 < 200 ms for the county list page. Nothing is asserted: the figures depend on the
machine; the ratios are what to compare between versions. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _scratch as scratch
import psycopg

from sunlight.evidence.tests.live import LiveServer, TusClient

DB_NAME = "sunlight_bench_cases"
PASSWORD = "Sunlight@2026"
STEPS = (
    "create",
    "initiation",
    "investigation",
    "notice",
    "statement",
    "decision",
    "service",
    "execution",
    "closure",
)


# --- preload -------------------------------------------------------------------------------------------------------

VIOLATIONS = [
    "未取得食品经营许可从事食品经营活动",
    "经营超过保质期的食品",
    "未按规定明码标价",
    "销售不合格产品",
    "未经设立登记从事经营活动",
    "占道经营",
    "违法建设",
    "擅自设置户外广告",
    "超标排放大气污染物",
    "未按规定贮存危险废物",
    "道路运输车辆超限运输",
    "非法占用耕地建房",
    "公共场所卫生许可证过期",
    "未落实安全生产主体责任",
    "销售假劣农药",
    "擅自从事娱乐场所经营活动",
]
PARTIES = ["商贸有限公司", "餐饮店", "建材经营部", "食品超市", "物流有限公司", "养殖专业合作社", "加油站", "网吧"]
WORKFLOW_MIX = [("penalty", 45), ("penalty_simple", 25), ("inspection", 20), ("coercion", 4), ("licence", 6)]
STATUS_MIX = [("open", 30), ("decided", 15), ("closed", 33), ("archived", 20), ("not_opened", 2)]
OPEN_STEPS = {
    "penalty": ["lead", "initiation", "investigation", "notice", "statement"],
    "penalty_simple": ["show_certificate", "notice"],
    "inspection": ["plan", "show_certificate", "onsite_inspection", "result"],
    "coercion": ["approval", "onsite_measure", "service"],
    "licence": ["application", "acceptance", "examination"],
}
DECIDED_STEPS = {
    "penalty": ["decision", "service", "execution"],
    "penalty_simple": ["onsite_decision", "service", "filing"],
    "inspection": ["result", "follow_up"],
    "coercion": ["handling"],
    "licence": ["decision", "issue"],
}


def _pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _w in mix], weights=[w for _k, w in mix])[0]


def preload(count: int, *, seed: int = 341221) -> dict[str, Any]:
    """Bulk-create `count` cases over the demo county's agencies (no records, no ledger entries)."""
    from django.db import transaction
    from django.utils import timezone

    from sunlight.cases.models import Case, DocumentCounter
    from sunlight.catalog.workflows import WORKFLOWS
    from sunlight.org.models import Agency, User

    rng = random.Random(seed)
    now = timezone.now()
    places = []
    for agency in Agency.objects.filter(is_justice_bureau=False).select_related("region").order_by("id"):
        units = [u for u in agency.units.order_by("id") if not u.is_legal_department]
        people = list(User.objects.filter(agency=agency, is_active=True).order_by("id"))
        if units and len(people) >= 2:
            places.append((agency, units, people))
    counters: dict[tuple[int, int], int] = defaultdict(int)
    for agency_id, year, last in DocumentCounter.objects.filter(doc_type="case").values_list("agency", "year", "last"):
        counters[(agency_id, year)] = last  # numbers the demo's own cases took
    through = Case.officers.through
    started = time.perf_counter()
    batch = 5000
    made = 0
    while made < count:
        rows = []
        teams = []
        for _n in range(min(batch, count - made)):
            agency, units, people = rng.choice(places)
            workflow = _pick(rng, WORKFLOW_MIX)
            status = _pick(rng, STATUS_MIX) if workflow == "penalty" else _pick(rng, STATUS_MIX[:4])
            created = now - timedelta(days=rng.uniform(1, 3 * 365), seconds=rng.uniform(0, 86400))
            year = timezone.localtime(created).year
            counters[(agency.pk, year)] += 1
            lead, partner = rng.sample(people, 2)
            step = {
                "open": rng.choice(OPEN_STEPS[workflow]),
                "decided": rng.choice(DECIDED_STEPS[workflow]),
                "closed": "closure",
                "archived": "archiving",
                "not_opened": "not_opened",
            }[status]
            decided = status in {"decided", "closed", "archived"}
            fine = None
            if decided and workflow in {"penalty", "penalty_simple"}:
                fine = rng.randrange(5_000, 300_000 if workflow == "penalty_simple" else 20_000_000, 100)
            rows.append(
                Case(
                    number=f"{agency.short_name or agency.name}案〔{year}〕{counters[(agency.pk, year)]}号",
                    workflow=workflow,
                    action_type=WORKFLOWS[workflow].action_type,
                    agency=agency,
                    unit=rng.choice(units),
                    region_code=agency.region.code,
                    title=rng.choice(VIOLATIONS),
                    summary="",
                    source=rng.choice(["inspection", "inspection", "complaint", "referral", "other"]),
                    party_kind=rng.choice(["organisation", "organisation", "individual"]),
                    party_name=f"临泉县{rng.choice('东南西北城新华光明兴盛')}{rng.choice(PARTIES)}",
                    lead_officer=lead,
                    created_by=lead,
                    created_at=created,
                    step=step,
                    status=status,
                    fine_fen=fine,
                    opened_at=created + timedelta(days=1) if step not in {"lead", "not_opened"} else None,
                    decided_at=created + timedelta(days=30) if decided else None,
                    closed_at=created + timedelta(days=60) if status in {"closed", "archived"} else None,
                    archived_at=created + timedelta(days=80) if status == "archived" else None,
                )
            )
            teams.append((lead, partner))
        with transaction.atomic():
            created_rows = Case.objects.bulk_create(rows)
            through.objects.bulk_create(
                [
                    through(case_id=case.pk, user_id=user.pk)
                    for case, team in zip(created_rows, teams, strict=True)
                    for user in team
                ]
            )
        made += len(rows)
    with transaction.atomic():
        for (agency_id, year), last in counters.items():
            DocumentCounter.objects.update_or_create(
                agency_id=agency_id, doc_type="case", year=year, defaults={"last": last}
            )
    return {"cases": made, "agencies": len(places), "seconds": time.perf_counter() - started}


# --- the people and things the driven cases use ------------------------------------------------------------------


def fixtures() -> dict[str, str]:
    """Public ids the bodies need, and a check that the two officers may act together on the item."""
    from django.utils import timezone

    from sunlight.catalog.models import EnforcementItem
    from sunlight.catalog.selectors import unit_holds_item
    from sunlight.org.models import User
    from sunlight.registry.selectors import acting_pair_check

    officer = User.objects.get(username="officer")
    head = User.objects.get(username="unithead")
    assert officer.unit is not None
    item = EnforcementItem.objects.get(agency=officer.agency, code="SC-CF-001")
    day = timezone.localdate()  # the demo publishes its items effective today: the driven steps happen today
    if not unit_holds_item(unit=officer.unit, item=item, on=day):
        raise SystemExit(f"{officer.unit} does not hold SC-CF-001 on {day}")
    pair = acting_pair_check(users=[officer, head], item=item, region_code=officer.agency.region.code, on=day)
    if not pair.ok:
        raise SystemExit("the demo officers may not act together: " + "; ".join(str(r) for r in pair.reasons))
    return {
        "officer": str(officer.public_id),
        "head": str(head.public_id),
        "unit": str(officer.unit.public_id),
        "item": str(item.public_id),
    }


# --- HTTP ----------------------------------------------------------------------------------------------------------


class Api:
    """A logged-in session against the server, timing each request."""

    def __init__(self, server: LiveServer, username: str) -> None:
        self.http = TusClient(server)
        self.http.login(username, PASSWORD)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any, float]:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        start = time.perf_counter()
        status, _headers, raw = self.http.request(method, path, data, headers)
        elapsed = time.perf_counter() - start
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            answer = {"raw": raw[:300].decode(errors="replace")}
        return status, answer, elapsed


def _minutes_ago(minutes: int) -> str:
    """A moment of today, `minutes` before now (never before midnight: the demo's items take effect today)."""
    now = datetime.now().astimezone()
    midnight = now.replace(hour=0, minute=0, second=1, microsecond=0)
    return max(now - timedelta(minutes=minutes), midnight).isoformat()


def _bodies(ids: dict[str, str], n: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(step, who, body) for one case: `who` is "officer" or "head"."""
    onsite = {
        "place": "临泉县城关街道人民路88号",
        "officers": [ids["officer"], ids["head"]],
        "certificates_shown": True,
        "party_present": True,
        "party_signed": True,
        "content": "现场检查经营场所，制作现场笔录。",
    }
    return [
        (
            "create",
            "officer",
            {
                "workflow": "penalty",
                "unit": ids["unit"],
                "item": ids["item"],
                "title": "未取得食品经营许可从事食品经营活动",
                "party_kind": "organisation",
                "party_name": f"临泉县压测餐饮有限公司{n}",
                "source": "inspection",
                "officers": [ids["head"]],
            },
        ),
        ("initiation", "head", {"step": "initiation", "occurred_at": _minutes_ago(9), "data": {"facts": "无证经营"}}),
        ("investigation", "officer", {"step": "investigation", "occurred_at": _minutes_ago(8), **onsite}),
        (
            "notice",
            "officer",
            {
                "step": "notice",
                "occurred_at": _minutes_ago(7),
                **onsite,
                "rights_notified": ["statement", "defence", "hearing"],
                "rights_how": "书面告知",
                "data": {"proposed": "罚款五万元"},
            },
        ),
        (
            "statement",
            "officer",
            {
                "step": "statement",
                "occurred_at": _minutes_ago(6),
                **onsite,
                "data": {"statement": "无异议，放弃听证", "waived_hearing": True},
            },
        ),
        (
            "decision",
            "head",
            {
                "step": "decision",
                "occurred_at": _minutes_ago(5),
                "data": {
                    "facts": "无证经营",
                    "basis": "《中华人民共和国食品安全法》第一百二十二条",
                    "kinds": ["fine"],
                    "fine_fen": 5_000_000,
                },
            },
        ),
        (
            "service",
            "officer",
            {
                "step": "service",
                "occurred_at": _minutes_ago(4),
                "variant": "direct",
                "data": {"document": "行政处罚决定书", "recipient": "法定代表人", "received_at": _minutes_ago(4)[:10]},
            },
        ),
        (
            "execution",
            "officer",
            {"step": "execution", "occurred_at": _minutes_ago(3), "data": {"paid_fen": 5_000_000}},
        ),
        (
            "closure",
            "head",
            {"step": "closure", "occurred_at": _minutes_ago(2), "data": {"summary": "罚款已缴清，结案"}},
        ),
    ]


class Driver(threading.Thread):
    """Drives its share of cases, one after the other; after each case one baseline request."""

    def __init__(self, server: LiveServer, ids: dict[str, str], numbers: list[int]) -> None:
        super().__init__(daemon=True)
        self.sessions = {"officer": Api(server, "officer"), "head": Api(server, "unithead")}
        self.ids = ids
        self.numbers = numbers
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            self._drive()
        except Exception as exc:
            self.errors.append(f"driver stopped: {exc!r}")

    def _drive(self) -> None:
        for n in self.numbers:
            case_id = ""
            for step, who, body in _bodies(self.ids, n):
                path = "/api/v1/cases/" if step == "create" else f"/api/v1/cases/{case_id}/records"
                status, answer, elapsed = self.sessions[who].call("POST", path, body)
                if status != 201:
                    self.errors.append(f"case {n} {step}: {status} {answer}")
                    break
                self.times[step].append(elapsed)
                if step == "create":
                    case_id = answer["id"]
            status, _answer, elapsed = self.sessions["officer"].call("GET", "/api/v1/org/me")
            if status == 200:
                self.times["baseline"].append(elapsed)


# --- figures -------------------------------------------------------------------------------------------------------


def list_reads(server: LiveServer, rounds: int) -> dict[str, list[float]]:
    """The county list as the justice supervisor, with the baseline interleaved (one request at a time)."""
    supervisor = Api(server, "supervisor")
    times: dict[str, list[float]] = defaultdict(list)
    status, first, _t = supervisor.call("GET", "/api/v1/cases/?page_size=20")
    if status != 200:
        raise SystemExit(f"county list: {status} {first}")
    pages = max(1, first["pages"])
    queries = {
        "list: first page": "/api/v1/cases/?page_size=20",
        "list: page 100": f"/api/v1/cases/?page_size=20&page={min(100, pages)}",
        "list: status=open": "/api/v1/cases/?page_size=20&status=open",
        "list: q=食品": "/api/v1/cases/?page_size=20&q=" + urllib.parse.quote("食品"),
    }
    for _ in range(rounds):
        for label, path in queries.items():
            status, answer, elapsed = supervisor.call("GET", path)
            if status != 200:
                raise SystemExit(f"{label}: {status} {answer}")
            times[label].append(elapsed)
            status, _answer, elapsed = supervisor.call("GET", "/api/v1/org/me")
            times["baseline (list)"].append(elapsed)
    times["count"] = [float(first["count"])]
    times["exact"] = [float(first["count_exact"])]
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="penalty cases driven through the API (1000)")
    parser.add_argument("--preload", type=int, default=100_000, help="cases bulk-loaded beforehand (100000)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads driving cases (2)")
    parser.add_argument("--list-rounds", type=int, default=100, help="rounds of the four list reads (100)")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--quick", action="store_true", help="--preload 10000 --cases 100 --list-rounds 25")
    args = parser.parse_args()
    if args.quick:
        args.preload, args.cases, args.list_rounds = min(args.preload, 10_000), min(args.cases, 100), 25

    admin_url = scratch.admin_url()
    work = Path(tempfile.mkdtemp(prefix="sunlight-bench-cases-"))
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
        loaded = preload(args.preload)
        print(f"preloaded {loaded['cases']:,} cases over {loaded['agencies']} agencies in {loaded['seconds']:.1f} s")
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
        ids = fixtures()
        connections.close_all()

        server.start(workers=args.workers)
        print(f"gunicorn on 127.0.0.1:{server.port} with {args.workers} sync workers")
        warm = Driver(server, ids, [0])  # imports every module on the way in each worker it reaches
        warm.run()
        if warm.errors:
            print("\n".join(warm.errors))
            return 1
        shares = [list(range(1 + i, args.cases + 1, args.concurrency)) for i in range(args.concurrency)]
        drivers = [Driver(server, ids, share) for share in shares]
        started = time.perf_counter()
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
        elapsed = time.perf_counter() - started
        errors = [e for d in drivers for e in d.errors]
        times: dict[str, list[float]] = defaultdict(list)
        for driver in drivers:
            for key, values in driver.times.items():
                times[key].extend(values)
        listed = list_reads(server, args.list_rounds)
        load = os.getloadavg()

        base = scratch.pct(times["baseline"], 95)
        base_list = scratch.pct(listed["baseline (list)"], 95)
        done = len(times["closure"])
        print()
        print(
            f"{done:,} cases driven to closure ({len(errors)} refused) in {elapsed:.1f} s by {args.concurrency} "
            f"client threads: {done * len(STEPS) / elapsed:.1f} requests/s; "
            f"{'' if listed['exact'][0] else 'at least '}{int(listed['count'][0]):,} cases in the county list"
        )
        print(f"load average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} CPUs")
        print()
        print(f"{'request':<34}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p95/base':>10}")
        print(scratch.row("baseline GET /org/me (driving)", times["baseline"], base))
        for step in STEPS:
            print(scratch.row(f"step: {step}", times[step], base, "target p95 < 150 ms"))
        every = [t for step in STEPS for t in times[step]]
        print(scratch.row("all steps", every, base))
        print(scratch.row("baseline GET /org/me (list)", listed["baseline (list)"], base_list))
        for label in ("list: first page", "list: page 100", "list: status=open", "list: q=食品"):
            print(
                scratch.row(
                    label, listed[label], base_list, "target p95 < 200 ms" if label.endswith("first page") else ""
                )
            )
        for line in errors[:10]:
            print("refused:", line)
        if errors:
            for log in sorted((work / "site").glob("gunicorn-*.log")):
                text = log.read_text(errors="replace")
                start = text.find("Traceback")
                print(f"--- {log.name} (from the first traceback) ---")
                print(text[start : start + 6000] if start >= 0 else text[-3000:])
        return 0 if not errors else 1
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
