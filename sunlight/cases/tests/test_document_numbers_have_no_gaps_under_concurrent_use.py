"""REC-15: eight officers numbering documents at the same moment get 200 numbers, 1 to 200, none twice, none
skipped: the agency's counter row is locked for the rest of each allocating transaction (PostgreSQL)."""

from __future__ import annotations

import re
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from sunlight.cases.models import DocumentCounter
from sunlight.cases.services import document_number_next
from sunlight.org.models import Agency
from sunlight.org.tests.factories import AgencyFactory, RegionFactory

THREADS = 8
EACH = 25

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite takes one database-wide write lock per transaction (BEGIN IMMEDIATE), so threads cannot race "
        "on the counter row; the row lock under test is PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_hundred_numbers_from_eight_threads_are_exactly_one_to_two_hundred() -> None:
    agency = AgencyFactory(name="临泉县市场监督管理局", region=RegionFactory(code="341221", name="临泉县"))
    on = datetime(2026, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    start = threading.Barrier(THREADS)
    numbers: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def officer() -> None:
        try:
            mine = Agency.objects.get(pk=agency.pk)
            start.wait(timeout=30)
            for _ in range(EACH):
                with transaction.atomic():  # each number in its own transaction, on this thread's own connection
                    number = document_number_next(agency=mine, doc_type="penalty_decision", on=on)
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer, name=f"officer-{i}") for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert all(not thread.is_alive() for thread in threads)
    running = sorted(int(re.fullmatch(r"临泉县市场监督管理局罚〔2026〕(\d+)号", n).group(1)) for n in numbers)
    assert running == list(range(1, THREADS * EACH + 1))
    assert DocumentCounter.objects.get(agency=agency, doc_type="penalty_decision", year=2026).last == THREADS * EACH
