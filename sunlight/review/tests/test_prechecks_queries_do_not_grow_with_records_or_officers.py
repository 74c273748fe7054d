"""REV-5: a pre-check run reads a fixed number of queries whatever the number of records, of acting officers and of
days the records fall on (the officers' eligibility comes from one `MayActBatch`, each distinct person and day
answered once; the item, the AV items and the cited articles are read once per run), and its officer findings are
still exactly what `may_act` says for each officer on each field-work record's date."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sunlight.cases.models import Case, CaseRecord, RecordAV
from sunlight.cases.steps import spec_for
from sunlight.cases.tests.factories import Desk, av_record
from sunlight.core.calendar import LOCAL_TZ
from sunlight.org.choices import Role
from sunlight.org.models import User
from sunlight.org.tests.factories import staff
from sunlight.registry.selectors import may_act
from sunlight.registry.tests.factories import certified, make_auxiliary
from sunlight.review.prechecks import precheck_case
from sunlight.review.tests.factories import MAJOR_DRAFT

# Three past days, from 9:00 in Linquan: a record's minutes never carry it into another day.
DAYS = [datetime.combine(timezone.localdate() - timedelta(days=k), time(9), tzinfo=LOCAL_TZ) for k in (3, 2, 1)]

# A run's queries: the records with their AV links; the item's published versions (competence, law, DIS-3 on every
# day); the people, their officer records, certificates, certificate history and sanctions, and the last cleared
# records of those without a current one (`MayActBatch`; the crew has such a person); the AV items; the late
# deadlines; the cited articles with their wording and repeal; the documents.
RUN_QUERIES = 12


def crew(desk: Desk, size: int) -> list[User]:
    """The desk's two certified officers, an officer without a certificate, an auxiliary, then more certified ones."""
    c = desk.c
    people = [
        desk.officer,
        desk.partner,
        staff(Role.OFFICER, unit=c.field_unit),
        make_auxiliary(c.admin, c.field_unit).user,
    ]
    while len(people) < size:
        people.append(certified(c.admin, c.field_unit)[0])
    return people


def case_with(desk: Desk, *, records: int, people: list[User], days: list[datetime] = DAYS) -> Case:
    """A penalty case with `records` records: the initiation, investigations on each of `days` in turn by pairs
    taken in turn from `people` (every fifth with a linked AV record), and the notice. Whatever `records` (5 or
    more), field work falls on the same days; more records mean more (person, day) pairs to check."""
    case = desk.start()
    seq = CaseRecord.objects.filter(case=case).count()

    def add(step: str, at: Any, pair: list[User], **more: Any) -> CaseRecord:
        nonlocal seq
        seq += 1
        officers = [{"id": str(p.public_id), "name": p.full_name} for p in pair]
        return CaseRecord.objects.create(
            case=case, seq=seq, step=step, occurred_at=at, officers=officers, recorded_by=desk.officer, **more
        )

    add("initiation", days[0], [])
    for n in range(records - 2):
        at = days[n % len(days)] + timedelta(minutes=n)
        record = add("investigation", at, [people[n % len(people)], people[(n + 1) % len(people)]])
        if n % 5 == 0:
            RecordAV.objects.create(record=record, av_record=av_record(desk, at, title=f"现场视频{n}"))
    add("notice", days[-1] + timedelta(hours=1), people[:2], rights_notified=["statement", "defence", "hearing"])
    return case


def queries(case: Case) -> int:
    with CaptureQueriesContext(connection) as run:
        precheck_case(case=case, draft=MAJOR_DRAFT)
    return len(run)


def test_the_queries_do_not_grow_with_the_records(desk):
    people = crew(desk, 5)  # with three days: 15 (person, day) pairs, some of them in 10 records, all in 60
    few = case_with(desk, records=10, people=people)
    many = case_with(desk, records=60, people=people)
    assert few.records.count() == 10 and many.records.count() == 60
    assert queries(few) == queries(many)


def test_the_queries_do_not_grow_with_the_days(desk):
    people = crew(desk, 5)
    one = case_with(desk, records=30, people=people, days=DAYS[-1:])
    three = case_with(desk, records=30, people=people)
    assert len({r.occurred_at.date() for r in three.records.all()}) == len(DAYS)
    assert queries(one) == queries(three)


def test_a_run_makes_a_fixed_small_number_of_queries(desk):
    case = case_with(desk, records=40, people=crew(desk, 6))
    case = Case.objects.select_related("item", "unit", "agency__region").get(pk=case.pk)  # as the review reads it
    assert queries(case) <= RUN_QUERIES


def test_the_queries_do_not_grow_with_the_officers(desk):
    six = case_with(desk, records=40, people=crew(desk, 6))
    twelve = case_with(desk, records=40, people=crew(desk, 12))
    assert queries(six) == queries(twelve)


def test_the_officer_findings_are_what_may_act_says(desk):
    case = case_with(desk, records=30, people=crew(desk, 5))
    found = {c.point: c for c in precheck_case(case=case, draft=MAJOR_DRAFT)}["officers"]
    people = {str(u.public_id): u for u in User.objects.all()}
    expected: list[str] = []
    for record in case.records.order_by("seq"):
        if not spec_for(case.workflow, record.step).field_work:
            continue
        for person in record.officers:
            answer = may_act(
                user=people[person["id"]], item=case.item, region_code=case.region_code, on=record.occurred_at
            )
            expected += answer.reasons
    assert not found.ok
    # Each finding is "<record label>：<reason>", the reasons in record and officer order.
    assert [f.split("：", 1)[1] for f in found.findings] == expected
    assert any("是辅助人员" in f for f in found.findings)
    assert any("尚未取得行政执法证" in f or "不是登记在册的执法人员" in f for f in found.findings)
