"""Benchmark of the public portal (PUB-9; ADR 0009): search, decision pages and redaction, on PostgreSQL.

Run with `make bench BENCH=portal` or `.venv/bin/python bench/portal.py [--n 100000]` (never by the tests). It never
touches the configured database: it creates the database `sunlight_bench_portal` on the PostgreSQL server at
SUNLIGHT_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres), migrates it, and drops it at the end
(`--keep` leaves it for inspection). Without a server it says so and measures redaction only.

1. Load: N published decisions (default 1,000,000) spread over 200 agencies (Zipf-like: a few large ones), written
   with COPY in batches, bypassing the services for speed but producing the rows the services produce: Publication,
   PublicationSource, PublicationVersion (record and hash from `records.build_record` / `record_hash`) and SearchEntry
   (text from `search.searchable_text`, bigram codes from `search.bigram_codes`). The GIN indexes are dropped for the
   load and built afterwards, as an operator would for a bulk import. No ledger entries (the portal does not read
   them).
2. Search: `search(q, agency=...)` as the portal calls it (count capped at 10,000 plus the first page of 20), for
   two-character queries with an agency filter (the target: p95 under 200 ms at 1,000,000 rows), and for comparison
   without the filter and with three or more characters. Baseline: the same call without a query (the agency's
   newest decisions, a plain B-tree range); ratio = p95 / baseline p95.
3. Decision pages: gunicorn with 4 sync workers (persistent database connections, SUNLIGHT_DB_CONN_MAX_AGE=600)
   serves /decisions/<id>/ for random published ids and, as the baseline, a bare Django view rendering a constant
   template (/bench/constant/, same process, same middleware). 8 client threads; best of 3 rounds (`--rounds`) each,
   taking turns; the ratio of each round's pair is printed too, with the median of the rounds after the first.
   Ratio = page throughput / baseline throughput. The search page (two characters + agency) is shown too. The
   stored pages (publicity.DecisionPage) are emptied first: the warm-up and round 1 render and store each page once
   (the decision page's rate in each round is printed), later rounds are served the stored pages.
4. Redaction: `redact()` over generated decisions with resident ID numbers and mobile numbers written the ways
   people write them; throughput in MB/s (UTF-8) against one precompiled regular expression scanning the same texts
   for digit runs (the floor of any detector), and recall on the generated numbers.

`--pages-only` skips redaction and search (load, then pages); `--reuse` measures against the database an earlier
`--keep` run left instead of creating and loading one (it implies `--keep`): `--reuse --pages-only` times the pages
alone.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "sunlight_bench_portal"
AGENCIES = 200
BATCH = 20_000

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
PLACES = [
    "城关镇",
    "杨桥镇",
    "吕寨镇",
    "单桥镇",
    "姜寨镇",
    "长官镇",
    "宋集镇",
    "田桥乡",
    "老集镇",
    "滑集镇",
    "瓦店镇",
    "韦寨镇",
    "迎仙镇",
    "鲖城镇",
    "谭棚镇",
    "高塘镇",
    "艾亭镇",
    "陈集镇",
    "庙岔镇",
    "黄岭镇",
]
TRADES = [
    "商贸有限公司",
    "食品有限公司",
    "餐饮店",
    "超市",
    "建材经营部",
    "五金店",
    "烟花爆竹批发部",
    "药房",
    "汽车维修厂",
    "养殖专业合作社",
    "服装厂",
    "酒店",
    "网吧",
    "加油站",
    "农资经营部",
]
WORDS = [
    "销售",
    "超过保质期",
    "食品",
    "未取得",
    "营业执照",
    "从事",
    "经营活动",
    "生产",
    "不符合",
    "食品安全标准",
    "未按规定",
    "公示",
    "年度报告",
    "虚假宣传",
    "价格欺诈",
    "无证",
    "排放",
    "污染物",
    "占道经营",
    "违法建设",
    "噪声",
    "扬尘",
    "运输",
    "超限",
    "农药",
    "兽药",
    "消防",
    "安全隐患",
    "特种设备",
    "计量器具",
    "广告",
    "商标侵权",
    "责令改正",
    "没收违法所得",
    "警告",
    "罚款",
    "吊销许可证",
    "暂扣",
    "查封",
    "扣押",
    "现场检查",
    "询问笔录",
    "抽样检验",
    "货值金额",
    "当事人",
    "经营场所",
    "存在",
    "问题",
    "整改",
    "期限",
    "违法行为",
    "情节",
    "轻微",
    "首次",
    "主动",
    "消除",
    "危害后果",
    "从轻",
    "减轻",
]
LAWS = [
    "《中华人民共和国食品安全法》第一百二十四条",
    "《中华人民共和国行政处罚法》第二十八条",
    "《无证无照经营查处办法》第十三条",
    "《中华人民共和国广告法》第五十五条",
    "《中华人民共和国价格法》第四十条",
    "《中华人民共和国大气污染防治法》第一百零八条",
    "《城市市容和环境卫生管理条例》第三十六条",
    "《中华人民共和国消防法》第六十条",
    "《中华人民共和国产品质量法》第四十九条",
]
ACTIONS = ["penalty"] * 6 + ["licence"] * 3 + ["coercion", "inspection", "other"]
TITLES = {
    "penalty": "行政处罚决定书",
    "licence": "行政许可决定书",
    "coercion": "行政强制措施决定书",
    "inspection": "检查结果",
    "other": "行政决定书",
}
DOC = {"penalty": "处罚", "licence": "许可", "coercion": "强制", "inspection": "检查", "other": "决"}
TWO_CHAR = [
    "处罚",
    "食品",
    "经营",
    "许可",
    "责令",
    "罚款",
    "超市",
    "烟花",
    "药房",
    "噪声",
    "扬尘",
    "网吧",
    "加油",
    "兽药",
]
LONG = ["过期食品", "烟花爆竹", "没收违法所得", "占道经营", "特种设备"]


# --- generated decisions -------------------------------------------------------------------------------------------


def company(rng: random.Random) -> str:
    syllables = "鑫隆盛华源丰泰昌宏达兴旺福瑞祥和金利顺"
    return "临泉县" + rng.choice(PLACES) + rng.choice(syllables) + rng.choice(syllables) + rng.choice(TRADES)


def decision(rng: random.Random, i: int) -> dict[str, Any]:
    """One published (already redacted) decision, 300-700 characters."""
    action = rng.choice(ACTIONS)
    person = rng.random() < 0.4
    party = rng.choice(SURNAMES) + "某" if person else company(rng)
    facts = "".join(rng.choice(WORDS) for _ in range(rng.randint(40, 110)))
    masked = "，公民身份号码******************" if person else ""
    body = (
        f"当事人{party}{masked}，住所地安徽省阜阳市临泉县。经查，当事人{facts}。"
        "以上事实有现场检查笔录、询问笔录、照片等证据证实。"
    )
    return {
        "action": action,
        "title": f"{party}{rng.choice(WORDS)}{rng.choice(WORDS)}案{TITLES[action]}",
        "party": party,
        "body": body,
        "basis": rng.choice(LAWS),
        "result": rng.choice(
            [
                "责令改正，给予警告",
                "没收违法所得并处罚款",
                f"罚款人民币{rng.randint(200, 200000)}元",
                "准予许可",
                "不予许可",
            ]
        ),
        "document_number": f"临市监{DOC[action]}〔{rng.randint(2021, 2026)}〕{i}号",
    }


# --- loading -------------------------------------------------------------------------------------------------------


def setup_org() -> tuple[list[Any], Any]:
    """Regions, 200 agencies and one publisher, through the ORM (few rows)."""
    from sunlight.core.ids import uscc_check_char
    from sunlight.org.choices import Level, Role
    from sunlight.org.models import Agency, Region, RoleGrant, Unit, User

    province = Region.objects.create(code="340000", name="安徽省", level=Level.PROVINCE)
    city = Region.objects.create(code="341200", name="阜阳市", level=Level.CITY, parent=province)
    counties = [
        Region.objects.create(code=f"3412{21 + k:02d}", name=f"县{k}", level=Level.COUNTY, parent=city)
        for k in range(20)
    ]
    agencies = []
    for k in range(AGENCIES):
        body = f"11341221{k:08d}X"[:17]
        agencies.append(
            Agency(
                name=f"测试县第{k}执法局",
                credit_code=body + uscc_check_char(body),
                level=Level.COUNTY,
                region=counties[k % len(counties)],
            )
        )
    agencies = Agency.objects.bulk_create(agencies)
    unit = Unit.objects.create(agency=agencies[0], name="法规科", is_legal_department=True)
    user = User.objects.create(username="bench", full_name="基准测试", agency=agencies[0], unit=unit)
    RoleGrant.objects.create(user=user, role=Role.LEGAL_REVIEWER)
    return agencies, user


def _copy(raw: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


PUB_COLUMNS = [
    "id", "public_id", "source_type", "source_id", "kind", "agency_id", "action_type", "region_code", "label",
    "document_number", "decided_on", "status", "created_at", "created_by_id", "current_version_id",
    "first_published_at", "last_published_at", "expires_on", "changed_at",
]  # fmt: skip
SOURCE_COLUMNS = [
    "id", "publication_id", "title", "party_name", "party_is_person", "persons", "body", "basis", "result",
    "original_hash", "proposal", "received_at",
]  # fmt: skip
VERSION_COLUMNS = [
    "id", "public_id", "publication_id", "number", "reason", "record", "changes", "original_hash", "published_hash",
    "consent_full", "consent_note", "explanation", "confirmed_by_id", "confirmed_at", "ledger_seq", "ledger_entry_hash",
]  # fmt: skip
ENTRY_COLUMNS = [
    "id", "publication_id", "public_id", "agency_id", "agency_name", "region_code", "kind", "action_type",
    "decided_on", "published_at", "version", "title", "party", "document_number", "result", "text", "bigrams",
]  # fmt: skip
GIN_INDEXES = {
    "publicity_se_text_trgm": "CREATE INDEX publicity_se_text_trgm ON publicity_searchentry USING gin (text gin_trgm_ops)",
    "publicity_se_bigrams": "CREATE INDEX publicity_se_bigrams ON publicity_searchentry USING gin (bigrams)",
}


def load(n: int, agencies: list[Any], user: Any, seed: int = 20261122) -> dict[str, float]:
    """COPY n published decisions, then build the GIN indexes and analyse. Returns timings."""
    from django.db import connection, transaction

    from sunlight.core.calendar import shift_months
    from sunlight.publicity.records import build_record, record_hash
    from sunlight.publicity.search import bigram_codes, searchable_text

    rng = random.Random(seed)
    weights = [1 / (k + 1) ** 0.8 for k in range(len(agencies))]
    first_day = date(2021, 1, 1).toordinal()
    connection.ensure_connection()
    raw = connection.connection
    with connection.cursor() as cursor:
        for name in GIN_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    timings = {"generate": 0.0, "copy": 0.0}
    for start in range(0, n, BATCH):
        t0 = time.perf_counter()
        pubs, sources, versions, entries = [], [], [], []
        for i in range(start + 1, min(start + BATCH, n) + 1):
            agency = rng.choices(agencies, weights)[0]
            d = decision(rng, i)
            decided = date.fromordinal(first_day + rng.randint(0, 5 * 365))
            published = datetime(decided.year, decided.month, decided.day, 2, tzinfo=UTC) + timedelta(
                days=rng.randint(1, 7)
            )
            public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            fields = {k: d[k] for k in ("title", "party", "body", "basis", "result")}
            record = build_record(
                public_id=str(public_id),
                number=1,
                reason="initial",
                kind="decision",
                action_type=d["action"],
                agency_name=agency.name,
                agency_credit_code=agency.credit_code,
                region_code=agency.region.code,
                document_number=d["document_number"],
                decided_on=decided,
                fields=fields,
                explanation="",
                published_at=published,
            )
            digest = record_hash(record)
            text = searchable_text(record)
            pubs.append(
                (
                    i, public_id, "bench", str(i), "decision", agency.pk, d["action"], agency.region.code,
                    d["title"], d["document_number"], decided, "published", published, user.pk, i, published,
                    published, shift_months(published.date(), 60), published,
                )
            )  # fmt: skip
            sources.append(
                (
                    i, i, d["title"], d["party"], "某" in d["party"], "[]", d["body"], d["basis"], d["result"],
                    digest, "{}", published,
                )
            )  # fmt: skip
            versions.append(
                (
                    i, uuid.UUID(int=rng.getrandbits(128), version=4), i, 1, "initial", json.dumps(record, ensure_ascii=False),
                    "{}", digest, digest, False, "", "", user.pk, published, 0, "0" * 64,
                )
            )  # fmt: skip
            entries.append(
                (
                    i, i, public_id, agency.pk, agency.name, agency.region.code, "decision", d["action"], decided,
                    published, 1, d["title"], d["party"], d["document_number"], d["result"], text, bigram_codes(text),
                )
            )  # fmt: skip
        t1 = time.perf_counter()
        with transaction.atomic():  # the foreign keys (deferred) are checked at the end of each batch
            _copy(raw, "publicity_publication", PUB_COLUMNS, pubs)
            _copy(raw, "publicity_publicationsource", SOURCE_COLUMNS, sources)
            _copy(raw, "publicity_publicationversion", VERSION_COLUMNS, versions)
            _copy(raw, "publicity_searchentry", ENTRY_COLUMNS, entries)
        t2 = time.perf_counter()
        timings["generate"] += t1 - t0
        timings["copy"] += t2 - t1
        done = min(start + BATCH, n)
        if done % 100_000 == 0 or done == n:
            print(f"  loaded {done:,} decisions", flush=True)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for sql in GIN_INDEXES.values():
            cursor.execute(sql)
        for table in ("publicity_publication", "publicity_publicationsource", "publicity_publicationversion",
                      "publicity_searchentry"):  # fmt: skip
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})")
    timings["index"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["analyze"] = time.perf_counter() - t0
    return timings


# --- search --------------------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def time_calls(calls: list[Callable[[], Any]]) -> list[float]:
    out = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return out


def bench_search(agencies: list[Any], queries: int, verbose: bool) -> list[tuple[str, list[float]]]:
    """Timings (seconds) per query kind, the calls of each kind interleaved."""
    from django.db import connection

    from sunlight.publicity.search import search

    rng = random.Random(7)
    kinds: dict[str, list[Callable[[], Any]]] = {
        "2 chars + agency": [],
        "2 chars, no filter": [],
        "3+ chars + agency": [],
        "baseline: agency, no query": [],
    }
    for _ in range(queries):
        agency = rng.choice(agencies)
        two, long = rng.choice(TWO_CHAR), rng.choice(LONG)
        kinds["2 chars + agency"].append(lambda q=two, a=agency: search(q, agency=a))
        kinds["2 chars, no filter"].append(lambda q=two: search(q))
        kinds["3+ chars + agency"].append(lambda q=long, a=agency: search(q, agency=a))
        kinds["baseline: agency, no query"].append(lambda a=agency: search("", agency=a))
    for calls in kinds.values():  # warm the caches
        time_calls(calls[: max(5, queries // 10)])
    results: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(queries):
        for name, calls in kinds.items():
            results[name] += time_calls([calls[i]])
    if verbose:
        from sunlight.publicity.search import Filters, filtered, match_terms, query_terms

        qs = match_terms(filtered(Filters(agency=agencies[3])), query_terms("烟花")).order_by("-decided_on", "-id")[:20]
        with connection.cursor() as cursor:
            sql, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(row[0] for row in cursor.fetchall()))
    return list(results.items())


# --- decision pages ------------------------------------------------------------------------------------------------

urlpatterns: list[Any] = []
CONSTANT = (
    '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>'
    + "<p>行政执法决定公示：本页为基准测试的常量模板，不访问数据库。</p>" * 40
    + "</body></html>"
)


def wsgi_app() -> Any:
    """gunicorn factory (`portal:wsgi_app()`): Sunlight, plus the bare baseline view at /bench/constant/."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunlight.settings")
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.http import HttpRequest, HttpResponse
    from django.template import Context, Template
    from django.urls import include, path

    django.setup()
    template = Template(CONSTANT)

    def constant(request: HttpRequest) -> HttpResponse:
        return HttpResponse(template.render(Context({"title": "常量模板"})))

    global urlpatterns
    urlpatterns = [path("bench/constant/", constant), path("", include("sunlight.urls"))]
    settings.ROOT_URLCONF = __name__
    return get_wsgi_application()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def throughput(port: int, paths: list[str], threads: int) -> float:
    """Requests per second for `paths` (each fetched once) from `threads` client threads."""
    queue = list(paths)
    lock = threading.Lock()
    errors: list[str] = []

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            status = _get(port, path)
            if status != 200:
                errors.append(f"{status} {path}")

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return len(paths) / elapsed


def bench_pages(
    database: str, var_dir: str, requests: int, workers: int, threads: int, rounds_count: int = 3
) -> tuple[dict[str, float], list[tuple[float, float]]]:
    """Best throughput of each page over the rounds, and (constant, decision page) throughput in each round."""
    from sunlight.publicity.models import DecisionPage, SearchEntry

    DecisionPage.objects.all().delete()  # pages stored by an earlier run (--reuse): every run starts with none

    ids = list(SearchEntry.objects.order_by("?").values_list("public_id", flat=True)[: max(requests, 100)])
    agencies = list(SearchEntry.objects.values_list("agency__public_id", flat=True).distinct()[:50])
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database,
        SUNLIGHT_VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="sunlight.settings",
        SUNLIGHT_ALLOWED_HOSTS="127.0.0.1,localhost",
        SUNLIGHT_DB_CONN_MAX_AGE="600",  # persistent connections, as a production deployment runs
        PYTHONPATH=str(ROOT),
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")), "portal:wsgi_app()", "--chdir", str(ROOT / "bench"),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
            "--log-level", "warning", "--timeout", "120",
        ],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                if _get(port, "/bench/constant/") == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        pages = [f"/decisions/{i}/" for i in ids]
        rng = random.Random(3)
        searches = [
            f"/decisions/?q={urllib.parse.quote(rng.choice(TWO_CHAR))}&agency={rng.choice(agencies)}" for _ in ids
        ]
        constant = ["/bench/constant/"] * len(pages)
        for batch in (constant[:200], pages[:200], searches[:100]):  # warm every worker
            throughput(port, batch, threads)
        best = {"constant": 0.0, "decision page": 0.0, "search page": 0.0}
        rounds = []
        for _ in range(rounds_count):
            rounds.append((throughput(port, constant[:requests], threads), throughput(port, pages[:requests], threads)))
            best["constant"] = max(best["constant"], rounds[-1][0])
            best["decision page"] = max(best["decision page"], rounds[-1][1])
            best["search page"] = max(best["search page"], throughput(port, searches[: requests // 4], threads))
        return best, rounds
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- redaction -----------------------------------------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random) -> str:
    region = rng.choice(["341221", "110105", "440305", "510107", "330106", "230102"])
    born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 30_000))
    body = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ID_FORMS: dict[str, Callable[[str], str]] = {
    "ID plain": lambda s: s,
    "ID spaced 6-8-4": lambda s: f"{s[:6]} {s[6:14]} {s[14:]}",
    "ID full-width": lambda s: s.translate(FULL_WIDTH),
}
MOBILE_FORMS: dict[str, Callable[[str], str]] = {
    "mobile plain": lambda s: s,
    "mobile +86": lambda s: "+86 " + s,
    "mobile 3-4-4 dashes": lambda s: f"{s[:3]}-{s[3:7]}-{s[7:]}",
    "mobile 3-4-4 spaces": lambda s: f"{s[:3]} {s[3:7]} {s[7:]}",
}


def redaction_corpus(count: int) -> tuple[list[tuple[str, list[str]]], list[tuple[str, str, str]]]:
    """Decisions with numbers written in every form: (text, persons) and (form, written number, doc index)."""
    rng = random.Random(11)
    docs: list[tuple[str, list[str]]] = []
    planted: list[tuple[str, str, str]] = []
    for k in range(count):
        name = rng.choice(SURNAMES) + rng.choice("建国立新明辉秀英桂兰志强") + rng.choice("华平军伟芳娜静敏")
        id_form = rng.choice(list(ID_FORMS))
        mobile_form = rng.choice(list(MOBILE_FORMS))
        written_id = ID_FORMS[id_form](id_number(rng))
        written_mobile = MOBILE_FORMS[mobile_form](mobile(rng))
        facts = "".join(rng.choice(WORDS) for _ in range(rng.randint(60, 140)))
        text = (
            f"当事人{name}，男，汉族，公民身份号码{written_id}，住安徽省阜阳市临泉县{rng.choice(PLACES)}人民路"
            f"{rng.randint(1, 300)}号，联系电话{written_mobile}。经查，{name}{facts}。罚款人民币{rng.randint(200, 50000)}元，"
            f"文书编号临市监处罚〔2026〕{k}号，统一社会信用代码91341221MA2T0XXX0。"
        )
        docs.append((text, [name]))
        planted += [(id_form, written_id, str(k)), (mobile_form, written_mobile, str(k))]
    return docs, planted


def bench_redaction(count: int) -> dict[str, Any]:
    import re

    from sunlight.publicity.redaction import redact

    docs, planted = redaction_corpus(count)
    size = sum(len(text.encode("utf-8")) for text, _ in docs)
    scan = re.compile(r"[0-9０-９][0-9０-９ \-]{10,20}[0-9Xx０-９Ｘ]")

    def engine() -> list[str]:
        return [redact(text, persons=persons).text for text, persons in docs]

    def baseline() -> None:
        for text, _ in docs:
            for _m in scan.finditer(text):
                pass

    best_engine = best_base = float("inf")
    outputs: list[str] = []
    for _ in range(3):
        t0 = time.perf_counter()
        outputs = engine()
        best_engine = min(best_engine, time.perf_counter() - t0)
        t0 = time.perf_counter()
        baseline()
        best_base = min(best_base, time.perf_counter() - t0)
    found: dict[str, list[int]] = {}
    for form, written, index in planted:
        hit = written not in outputs[int(index)] and written.replace(" ", "") not in outputs[int(index)]
        found.setdefault(form, []).append(int(hit))
    return {
        "docs": count,
        "mb": size / 1e6,
        "engine_s": best_engine,
        "baseline_s": best_base,
        "recall": {form: (sum(v), len(v)) for form, v in found.items()},
    }


# --- orchestration -------------------------------------------------------------------------------------------------


def kept_database(server: str) -> str | None:
    """The URL of sunlight_bench_portal as an earlier `--keep` run left it, or None when it is missing or empty."""
    try:
        import psycopg
    except ImportError:
        return None
    parts = urllib.parse.urlsplit(server)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{DB_NAME}"))
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            row = conn.execute("SELECT count(*) FROM publicity_searchentry").fetchone()
    except psycopg.Error as exc:
        print(f"--reuse: no usable {DB_NAME} ({str(exc).strip().splitlines()[0]})")
        return None
    if not row or not row[0]:
        print(f"--reuse: {DB_NAME} holds no published decisions")
        return None
    print(f"(reusing {DB_NAME}: {row[0]:,} published decisions)")
    return url


def scratch_database(server: str) -> tuple[str, Callable[[], None]] | None:
    """(Re)create sunlight_bench_portal; its URL and a function that drops it, or None without a server."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL: skipped ({server.split('@')[-1]}: {str(exc).strip().splitlines()[0]})")
        return None
    parts = urllib.parse.urlsplit(server)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{DB_NAME}"))

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')

    return url, drop


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Portal benchmark (PUB-9): search, decision pages, redaction")
    parser.add_argument("--n", type=int, default=1_000_000, help="published decisions to load (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=200, help="search calls of each kind")
    parser.add_argument("--requests", type=int, default=2000, help="page requests per round")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of page requests, taking turns (default 3)")
    parser.add_argument("--redaction-docs", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the database sunlight_bench_portal afterwards")
    parser.add_argument("--quick", action="store_true", help="--n 20000 --queries 50 --requests 400")
    parser.add_argument("--pages-only", action="store_true", help="skip redaction and search: load, then pages")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database an earlier --keep run left (no load; implies --keep)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print the plan of a two-character query")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.queries, args.requests, args.redaction_docs = 20_000, 50, 400, 500
    print(f"(CPUs: {os.cpu_count()}, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")

    if args.reuse:
        args.keep = True
    if not args.pages_only:
        red = bench_redaction(args.redaction_docs)
        print(f"\nRedaction: {red['docs']:,} generated decisions, {red['mb']:.2f} MB")
        engine_rate, base_rate = red["mb"] / red["engine_s"], red["mb"] / red["baseline_s"]
        print(f"  redact()            {engine_rate:8.2f} MB/s")
        print(f"  baseline regex scan {base_rate:8.2f} MB/s   ratio {engine_rate / base_rate:.3f}")
        for form, (hit, total) in red["recall"].items():
            print(f"  recall {form:<22} {hit}/{total} = {hit / total:.3f}")

    server = os.environ.get("SUNLIGHT_BENCH_POSTGRES", DEFAULT_SERVER)
    if args.reuse:
        kept = kept_database(server)
        if kept is None:
            return 1
        database, drop = kept, (lambda: None)
    else:
        scratch = scratch_database(server)
        if scratch is None:
            return 0
        database, drop = scratch
    var_dir = tempfile.mkdtemp(prefix="sunlight-bench-portal-")
    os.environ.update(DATABASE_URL=database, SUNLIGHT_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="sunlight.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        if args.reuse:
            from sunlight.org.models import Agency

            agencies = list(Agency.objects.select_related("region").order_by("id"))
        else:
            call_command("migrate", verbosity=0)
            agencies, user = setup_org()
            print(f"\nLoading {args.n:,} published decisions into {DB_NAME} ...", flush=True)
            t0 = time.perf_counter()
            timings = load(args.n, agencies, user)
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_size_pretty(pg_total_relation_size('publicity_searchentry')), "
                    "pg_size_pretty(pg_relation_size('publicity_se_text_trgm')), "
                    "pg_size_pretty(pg_relation_size('publicity_se_bigrams')), pg_size_pretty(pg_database_size(%s))",
                    [DB_NAME],
                )
                sizes = cursor.fetchone()
            print(
                f"  {time.perf_counter() - t0:.0f} s (generate {timings['generate']:.0f} s, "
                f"COPY {timings['copy']:.0f} s, GIN indexes {timings['index']:.0f} s, "
                f"analyse {timings['analyze']:.0f} s); search table {sizes[0]}, trigram index {sizes[1]}, "
                f"bigram index {sizes[2]}, database {sizes[3]}"
            )

        if not args.pages_only:
            print(f"\nSearch ({args.queries} calls each, interleaved; count capped at 10,000 + first page of 20):")
            results = bench_search(agencies, args.queries, args.verbose)
            baseline_p95 = percentile(dict(results)["baseline: agency, no query"], 95)
            print(f"  {'query':<28} {'p50':>11} {'p95':>11} {'max':>11}   p95 / baseline p95")
            for name, values in results:
                p95 = percentile(values, 95)
                print(
                    f"  {name:<28} {ms(statistics.median(values))} {ms(p95)} {ms(max(values))}   "
                    f"{p95 / baseline_p95:6.2f}"
                )
            target = percentile(dict(results)["2 chars + agency"], 95)
            print(f"  two characters + agency: p95 {target * 1000:.1f} ms (target < 200 ms at 1,000,000 rows)")

        print(
            f"\nPages (gunicorn, {args.workers} sync workers, {args.threads} client threads, "
            f"best of {args.rounds} rounds):"
        )
        rates, rounds = bench_pages(database, var_dir, args.requests, args.workers, args.threads, args.rounds)
        for name, rate in rates.items():
            print(f"  {name:<16} {rate:8.1f} req/s   ratio to constant {rate / rates['constant']:.3f}")
        paired = [page / constant for constant, page in rounds]
        print(
            "  decision page / constant, round by round: "
            + " / ".join(f"{ratio:.2f}" for ratio in paired)
            + f" (round 1 renders and stores the pages; median of the later rounds {statistics.median(paired[1:] or paired):.3f})"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"\n(kept {database})")
        else:
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
