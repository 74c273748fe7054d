"""PER-1, PER-2, DIS-3: `MayActBatch` / `may_act_many` give exactly `may_act`'s answers — for a valid certificate, an
expired one, the wrong region or category, auxiliaries, a suspension, a cleared or unregistered person, off-post
training, an item the unit does not hold — with a number of queries that does not grow with the questions."""

from __future__ import annotations

import uuid
from datetime import date
from itertools import product
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sunlight.org.choices import EnforcementField, Role
from sunlight.org.tests.factories import staff
from sunlight.registry import selectors, services
from sunlight.registry.choices import SanctionKind
from sunlight.registry.selectors import ActQuestion, MayActBatch, may_act, may_act_many

from .factories import NOW, certified, make_auxiliary

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 15)
DAYS = [date(2026, 6, 14), ON, date(2026, 6, 20), date(2027, 1, 1)]
HELD = SimpleNamespace(field=EnforcementField.MARKET, name="无照经营")
NOT_HELD = SimpleNamespace(field=EnforcementField.MARKET, name="特种设备")


@pytest.fixture
def people(county: Any) -> dict[str, Any]:
    """One person for each way `may_act` can answer."""
    admin, unit = county.admin, county.unit_a
    valid, _c = certified(admin, unit)
    expired, _c = certified(admin, unit, issued_on=date(2025, 1, 5), expires_on=date(2026, 6, 17))
    township, _c = certified(admin, unit, regions=["341221101"])
    suspended, certificate = certified(admin, unit)
    services.certificate_suspend(acting_user=admin, certificate=certificate, reason="涉嫌违规执法", now=NOW)
    cleared, _c = certified(admin, unit)
    services.officer_clear(acting_user=admin, officer=cleared.officer_records.get(), reason="退休", now=NOW)
    training, _c = certified(admin, unit)
    services.sanction_record(
        acting_user=admin,
        officer=training.officer_records.get(),
        kind=SanctionKind.OFF_POST_TRAINING,
        reason="执法考核不合格",
        decided_on=date(2026, 6, 10),
        starts_on=date(2026, 6, 12),
        ends_on=date(2026, 6, 16),
        now=NOW,
    )
    return {
        "valid": valid,
        "expired": expired,
        "township": township,
        "suspended": suspended,
        "cleared": cleared,
        "training": training,
        "auxiliary (record)": make_auxiliary(admin, unit).user,
        "auxiliary (role)": staff(Role.AUXILIARY, unit=unit),
        "not registered": staff(Role.OFFICER, unit=unit),
        "nobody": None,
    }


@pytest.fixture(autouse=True)
def _catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """DIS-3 without a catalog: the unit holds HELD and not NOT_HELD."""
    monkeypatch.setattr(selectors, "_unit_holds_item_check", lambda: lambda *, unit, item, on: item.name == HELD.name)


def questions(people: dict[str, Any]) -> list[ActQuestion]:
    asks: list[dict[str, Any]] = [
        {"field": EnforcementField.MARKET, "region_code": "341221"},  # the county
        {"field": EnforcementField.MARKET, "region_code": "341221101"},  # a township in it
        {"field": EnforcementField.MARKET, "region_code": "341222"},  # another county
        {"field": EnforcementField.URBAN, "region_code": "341221"},  # another category
        {"field": None, "region_code": "3412"},  # a malformed region code
        {"item": HELD, "region_code": "341221"},
        {"item": NOT_HELD, "region_code": "341221"},
    ]
    return [ActQuestion(user=user, on=day, **ask) for user, day, ask in product(people.values(), DAYS, asks)]


def test_the_batch_answers_every_question_as_may_act_does(people):
    asked = questions(people)
    expected = [may_act(user=q.user, item=q.item, field=q.field, region_code=q.region_code, on=q.on) for q in asked]
    assert may_act_many(questions=asked) == expected
    # The cases are all there: allowed, and refused for each reason.
    reasons = " ".join(r for e in expected for r in e.reasons)
    assert any(e.ok for e in expected)
    for words in ("已过期", "不包括临泉县", "不包括“城市管理”", "辅助人员", "被暂扣", "清理出执法队伍", "离岗培训"):
        assert words in reasons
    for words in ("不是登记在册的执法人员", "未指定执法人员", "格式不正确", "不承担该执法事项"):
        assert words in reasons


def test_people_not_named_up_front_are_loaded_when_asked(people):
    batch = MayActBatch()
    for q in questions(people)[::5]:
        assert batch.may_act(user=q.user, item=q.item, field=q.field, region_code=q.region_code, on=q.on) == may_act(
            user=q.user, item=q.item, field=q.field, region_code=q.region_code, on=q.on
        )


def test_a_batch_for_public_ids_reads_the_people_and_answers_the_same(people):
    asked = questions(people)
    ids = [str(user.public_id) for user in people.values() if user is not None]
    with CaptureQueriesContext(connection) as run:
        batch = MayActBatch.for_public_ids(public_ids=[*ids, str(uuid.uuid4())])  # and an id nobody has
        answers = [
            batch.may_act(
                user=None if q.user is None else batch.people[str(q.user.public_id)],
                item=q.item,
                field=q.field,
                region_code=q.region_code,
                on=q.on,
            )
            for q in asked
        ]
    assert sorted(batch.people) == sorted(ids)
    assert answers == [
        may_act(user=q.user, item=q.item, field=q.field, region_code=q.region_code, on=q.on) for q in asked
    ]
    # The accounts read with their auxiliary status, then officer records, certificates, status history,
    # sanctions, cleared records and region names.
    assert len(run) <= 7, "\n".join(q["sql"] for q in run.captured_queries)


def test_the_queries_do_not_grow_with_the_questions(people):
    asked = questions(people)  # 10 people (one of them nobody), 4 days, 7 questions each
    with CaptureQueriesContext(connection) as once:
        may_act_many(questions=asked)
    with CaptureQueriesContext(connection) as thrice:
        may_act_many(questions=asked * 3)
    # Auxiliaries, officer records, certificates, status history, sanctions, cleared records, region names.
    assert len(once) == len(thrice) <= 7, "\n".join(q["sql"] for q in thrice.captured_queries)
    with CaptureQueriesContext(connection) as single:
        for q in asked:
            may_act(user=q.user, item=q.item, field=q.field, region_code=q.region_code, on=q.on)
    assert len(single) > 10 * len(once)


def test_a_question_asked_again_is_answered_without_a_query(people):
    batch = MayActBatch(users=[people["valid"]])
    first = batch.may_act(user=people["valid"], field=EnforcementField.MARKET, region_code="341221", on=ON)
    with CaptureQueriesContext(connection) as again:
        assert batch.may_act(user=people["valid"], field=EnforcementField.MARKET, region_code="341221", on=ON) is first
    assert len(again) == 0
    assert first.ok


def test_a_batch_given_a_dis3_answer_asks_it_not_the_catalog_once_per_unit_item_and_day(people, monkeypatch):
    def catalog(**_ask: Any) -> bool:
        raise AssertionError("the batch asked the catalog")

    monkeypatch.setattr(selectors, "_unit_holds_item_check", lambda: catalog)
    asked: list[tuple[Any, str, date]] = []

    def holds(*, unit: Any, item: Any, on: date) -> bool:
        asked.append((unit.pk, item.name, on))
        return item.name == HELD.name

    given = [q for q in questions(people) if q.item is not None] * 2
    batch = MayActBatch(unit_holds_item=holds)
    answers = [batch.may_act(user=q.user, item=q.item, region_code=q.region_code, on=q.on) for q in given]
    assert sorted(asked) == sorted(set(asked)) and len(asked) == 2 * len(DAYS)  # everyone is in one unit
    monkeypatch.setattr(selectors, "_unit_holds_item_check", lambda: holds)
    assert answers == [may_act(user=q.user, item=q.item, region_code=q.region_code, on=q.on) for q in given]
