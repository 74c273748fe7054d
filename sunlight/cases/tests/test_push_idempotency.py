"""REC-14, PUB-12, SYS-5: a push with an Idempotency-Key runs once; the same key with the same request gets the stored
answer (status and body) and nothing is done again; the same key with another request is 409; refusals are stored and
replayed too; every push leaves a receipt and a ledger entry naming the client system."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from sunlight.cases.models import Case, CaseRecord, PushReceipt
from sunlight.cases.tests.factories import Desk, ago
from sunlight.cases.tokens import api_client_issue
from sunlight.core.models import LedgerEntry

PUSH = "/api/v1/cases/push/cases"


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def send(client: Client, path: str, body: Any, key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return client.post(path, data, content_type="application/json", headers=headers)


def case_body(desk: Desk, external_id: str = "QX-2026-0001") -> dict[str, Any]:
    return {
        "external_id": external_id,
        "workflow": "penalty",
        "unit": str(desk.c.field_unit.public_id),
        "item": str(desk.item.public_id),
        "title": "未取得食品经营许可从事食品经营活动",
        "party_kind": "organisation",
        "party_name": "临泉县好味道餐饮有限公司",
        "source": "complaint",
        "lead_officer": str(desk.officer.public_id),
        "officers": [str(desk.partner.public_id)],
    }


def issued(desk: Desk) -> tuple[Any, Client]:
    client, token = api_client_issue(acting_user=desk.c.admin, name="县市场监管局办案系统", agencies=[desk.c.agency])
    return client, bearer(token)


def counts() -> tuple[int, int, int, int]:
    return Case.objects.count(), CaseRecord.objects.count(), PushReceipt.objects.count(), LedgerEntry.objects.count()


def test_the_same_key_and_body_returns_the_stored_answer_without_doing_anything(desk: Desk) -> None:
    client, http = issued(desk)
    first = send(http, PUSH, case_body(desk), "key-1")
    assert first.status_code == 201, first.content
    assert first.get("Idempotent-Replayed") is None
    answer = first.json()
    case = Case.objects.get(public_id=answer["id"])
    assert case.external_system == client and case.external_id == "QX-2026-0001"
    assert case.lead_officer == desk.officer and case.created_by == desk.officer
    assert answer["number"] == case.number and answer["step"] == "lead"

    pushed = LedgerEntry.objects.get(stream=case.stream, kind="case.pushed")
    assert pushed.actor == f"api_client:{client.public_id}"
    assert pushed.payload["client"] == {"id": str(client.public_id), "name": "县市场监管局办案系统"}
    assert pushed.payload["idempotency_key"] == "key-1" and pushed.payload["operation"] == "case.create"
    created = LedgerEntry.objects.get(stream=case.stream, kind="case.created")
    assert created.actor == f"user:{desk.officer.public_id}"  # the lead officer named in the push
    receipt = PushReceipt.objects.get(client=client, idempotency_key="key-1")
    assert receipt.status_code == 201 and receipt.response == answer and receipt.case == case

    before = counts()
    again = send(http, PUSH, case_body(desk), "key-1")
    assert again.status_code == 201 and again.json() == answer
    assert again["Idempotent-Replayed"] == "true"
    # The same content with other key order and spacing is the same request.
    reordered = json.dumps(dict(reversed(list(case_body(desk).items()))), ensure_ascii=False, indent=2)
    assert send(http, PUSH, reordered, "key-1").json() == answer
    assert counts() == before


def test_the_same_key_with_another_body_is_a_conflict(desk: Desk) -> None:
    _client, http = issued(desk)
    assert send(http, PUSH, case_body(desk), "key-1").status_code == 201
    before = counts()
    other = send(http, PUSH, {**case_body(desk), "title": "另一个案由"}, "key-1")
    assert other.status_code == 409
    assert other.json() == {
        "errors": [
            {
                "field": "Idempotency-Key",
                "code": "key_reused",
                "message": "该幂等键已用于内容不同的推送；新的推送请使用新的幂等键。",
            }
        ]
    }
    cases, records, receipts, entries = counts()
    assert (cases, records, receipts) == before[:3]
    refused = LedgerEntry.objects.filter(kind="case.push_refused").latest("seq")  # recorded, nothing else
    assert refused.payload["status"] == 409 and entries == before[3] + 1
    # A step push with the key of the case push is another request too.
    other = send(http, f"{PUSH}/QX-2026-0001/records", {"step": "note", "occurred_at": ago(1).isoformat()}, "key-1")
    assert other.status_code == 409


def test_refusals_are_stored_and_replayed(desk: Desk) -> None:
    client, http = issued(desk)
    assert send(http, PUSH, case_body(desk), "case-1").status_code == 201
    duplicate = send(http, PUSH, case_body(desk), "case-2")  # the same external id under a new key
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["code"] == "duplicate"
    assert PushReceipt.objects.get(client=client, idempotency_key="case-2").status_code == 409

    lone = {
        "step": "initiation",
        "occurred_at": ago(2).isoformat(),
        "data": {"facts": "无证经营"},
    }  # by the lead officer, who is not a head: refused
    path = f"{PUSH}/QX-2026-0001/records"
    first = send(http, path, lone, "step-1")
    assert first.status_code == 400
    assert {
        "field": "acting_user",
        "code": "approval",
        "message": "该环节须由本机关负责人（或承办机构负责人）审批。",
    } in (first.json()["errors"])
    case = Case.objects.get(external_id="QX-2026-0001")
    assert case.step == "lead" and case.record_count == 0
    refused = LedgerEntry.objects.filter(stream=case.stream, kind="case.push_refused")
    assert refused.count() == 1 and refused.get().payload["status"] == 400
    before = counts()
    again = send(http, path, lone, "step-1")
    assert (again.status_code, again.json()) == (400, first.json()) and again["Idempotent-Replayed"] == "true"
    assert counts() == before

    # A corrected push under a new key: the head who approved it in the source system is named as recorded_by.
    approved = send(http, path, {**lone, "recorded_by": str(desk.head.public_id)}, "step-2")
    assert approved.status_code == 201, approved.content
    body = approved.json()
    assert body["record"]["seq"] == 1 and body["record"]["step"] == "initiation"
    assert body["case"]["step"] == "initiation" and body["case"]["record_count"] == 1
    record = CaseRecord.objects.get(public_id=body["record"]["id"])
    assert record.recorded_by == desk.head
    pushed = LedgerEntry.objects.filter(stream=case.stream, kind="case.pushed").latest("seq")
    assert pushed.payload["operation"] == "case.step" and pushed.payload["record"] == body["record"]["id"]
    replay = send(http, path, {**lone, "recorded_by": str(desk.head.public_id)}, "step-2")
    assert replay.json() == body and CaseRecord.objects.filter(case=case).count() == 1


def test_a_push_needs_a_key_and_a_valid_body(desk: Desk) -> None:
    _client, http = issued(desk)
    before = counts()
    missing = send(http, PUSH, case_body(desk), None)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "Idempotency-Key"
    assert missing.json()["errors"][0]["code"] == "required"
    too_long = send(http, PUSH, case_body(desk), "k" * 201)
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["code"] == "invalid"
    invalid = send(http, PUSH, {**case_body(desk), "external_id": "a/b"}, "key-x")
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "external_id"
    assert counts() == before


def test_a_whole_case_is_pushed_step_by_step(desk: Desk) -> None:
    _client, http = issued(desk)
    assert send(http, PUSH, case_body(desk), "c").status_code == 201
    path = f"{PUSH}/QX-2026-0001/records"
    head = str(desk.head.public_id)
    pair = [str(desk.officer.public_id), str(desk.partner.public_id)]
    onsite = {
        "place": "临泉县城关镇人民路88号",
        "officers": pair,
        "certificates_shown": True,
        "party_present": True,
        "party_signed": True,
    }
    steps = [
        {"step": "initiation", "occurred_at": ago(40), "recorded_by": head, "data": {"facts": "无证经营"}},
        {"step": "investigation", "occurred_at": ago(39), **onsite},
        {
            "step": "notice",
            "occurred_at": ago(38),
            **onsite,
            "rights_notified": ["statement", "defence", "hearing"],
            "rights_how": "书面告知",
            "data": {"proposed": "罚款五万元"},
        },
        {
            "step": "statement",
            "occurred_at": ago(37),
            **onsite,
            "data": {"statement": "无异议", "waived_hearing": True},
        },
        {
            "step": "decision",
            "occurred_at": ago(36),
            "recorded_by": head,
            "data": {
                "facts": "无证经营",
                "basis": "《食品安全法》第一百二十二条",
                "kinds": ["fine"],
                "fine_fen": 5_000_000,
            },
        },
    ]
    for n, step in enumerate(steps, start=1):
        body = {**step, "occurred_at": step["occurred_at"].isoformat()}
        answer = send(http, path, body, f"s{n}")
        assert answer.status_code == 201, (step["step"], answer.content)
    case = Case.objects.get(external_id="QX-2026-0001")
    assert case.status == "decided" and case.fine_fen == 5_000_000 and case.record_count == 5
    assert LedgerEntry.objects.filter(stream=case.stream, kind="case.pushed").count() == 6
