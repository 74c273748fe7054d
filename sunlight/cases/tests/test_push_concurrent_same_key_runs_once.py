"""REC-14, SYS-5: six copies of one push arriving at the same moment (a client retrying on a timeout) create one
case, one receipt and one `case.pushed` entry, and all six get the same answer; six pushes of one external id under
different keys create one case and five 409s (PostgreSQL: the client row is locked for each push's transaction)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from sunlight.cases.models import Case, PushReceipt
from sunlight.cases.push import CasePush, PushResult, case_push
from sunlight.cases.tests.factories import Desk
from sunlight.cases.tokens import api_client_issue
from sunlight.core.models import LedgerEntry

THREADS = 6

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite serialises every write transaction database-wide; the row lock under test is PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


def _together(work: Callable[[int], PushResult]) -> list[PushResult]:
    start = threading.Barrier(THREADS)
    results: list[PushResult] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait(timeout=30)
            result = work(n)
            with lock:
                results.append(result)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(results) == THREADS
    return results


def _push(desk: Desk) -> CasePush:
    return CasePush(
        external_id="QX-9",
        workflow="penalty",
        unit=desk.c.field_unit.public_id,
        title="未取得食品经营许可从事食品经营活动",
        party_kind="organisation",
        party_name="临泉县好味道餐饮有限公司",
        source="complaint",
        lead_officer=desk.officer.public_id,
    )


def test_copies_of_one_push_run_once(desk: Desk) -> None:
    client, _token = api_client_issue(acting_user=desk.c.admin, name="办案系统", agencies=[desk.c.agency])
    body = _push(desk)

    def same(_n: int) -> PushResult:
        return case_push(client=client, idempotency_key="retry-me", fingerprint="f" * 64, push=body)

    results = _together(same)
    assert {r.status for r in results} == {201}
    assert all(r.body == results[0].body for r in results)
    assert sum(not r.replayed for r in results) == 1
    case = Case.objects.get()
    assert PushReceipt.objects.filter(client=client).count() == 1
    assert LedgerEntry.objects.filter(stream=case.stream, kind="case.pushed").count() == 1
    assert LedgerEntry.objects.filter(stream=case.stream, kind="case.created").count() == 1


def test_one_external_id_under_many_keys_makes_one_case(desk: Desk) -> None:
    client, _token = api_client_issue(acting_user=desk.c.admin, name="办案系统", agencies=[desk.c.agency])
    body = _push(desk)

    def keyed(n: int) -> PushResult:
        return case_push(client=client, idempotency_key=f"key-{n}", fingerprint=f"{n:064d}", push=body)

    results: list[Any] = _together(keyed)
    assert sorted(r.status for r in results) == [201] + [409] * (THREADS - 1)
    assert {r.body["errors"][0]["code"] for r in results if r.status == 409} == {"duplicate"}
    assert Case.objects.count() == 1
    assert PushReceipt.objects.filter(client=client).count() == THREADS
