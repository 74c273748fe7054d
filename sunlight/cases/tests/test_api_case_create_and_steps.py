"""REC-1, REC-2, DIS-4, SYS-5: staff register a case and take it from lead to closure through the API; every refusal
is a structured error in Chinese and leaves the case, its records and its ledger stream exactly as they were; a case
outside the caller's scope is 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.forms.models import model_to_dict
from django.test import Client

from sunlight.cases import api as case_api
from sunlight.cases.models import Case, CaseRecord
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.models import LedgerEntry

API = "/api/v1/cases"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", body, content_type="application/json")


def at(moment: datetime) -> str:
    return moment.isoformat()


def field_work(desk: Desk, moment: datetime, step: str, **more: Any) -> dict[str, Any]:
    body = {
        "step": step,
        "occurred_at": at(moment),
        "place": "临泉县城关镇人民路88号",
        "officers": [str(desk.officer.public_id), str(desk.partner.public_id)],
        "certificates_shown": True,
        "party_present": True,
        "party_signed": True,
        "content": "现场检查经营场所。",
    }
    body.update(more)
    return body


def new_case(desk: Desk, client: Client) -> dict[str, Any]:
    created = post(
        client,
        "/",
        {
            "workflow": "penalty",
            "unit": str(desk.c.field_unit.public_id),
            "item": str(desk.item.public_id),
            "title": "未取得食品经营许可从事食品经营活动",
            "party_kind": "organisation",
            "party_name": "临泉县好味道餐饮有限公司",
            "source": "inspection",
            "officers": [str(desk.partner.public_id)],
        },
    )
    assert created.status_code == 201, created.content
    return created.json()


def snapshot(case_id: str) -> tuple[dict[str, Any], int, int, set[int]]:
    case = Case.objects.get(public_id=case_id)
    row = model_to_dict(case)
    row["officers"] = sorted(u.pk for u in row["officers"])
    return (
        row,
        CaseRecord.objects.filter(case=case).count(),
        LedgerEntry.objects.filter(stream=case.stream).count(),
        set(case.officers.values_list("pk", flat=True)),
    )


def test_a_penalty_case_runs_from_lead_to_closure_through_the_api(desk: Desk) -> None:
    officer, head = logged_in(desk.officer), logged_in(desk.head)
    case = new_case(desk, officer)
    assert case["step"] == "lead" and case["status"] == "open" and case["number"].endswith("号")
    assert case["lead_officer"]["id"] == str(desk.officer.public_id)
    assert {o["id"] for o in case["officers"]} == {str(desk.officer.public_id), str(desk.partner.public_id)}
    assert {s["code"] for s in case["next_steps"]} >= {"initiation", "not_opened"}
    cid = case["id"]

    steps: list[tuple[Client, dict[str, Any]]] = [
        (head, {"step": "initiation", "occurred_at": at(ago(40)), "data": {"facts": "无证经营"}}),
        (officer, field_work(desk, ago(39), "investigation")),
        (
            officer,
            field_work(
                desk,
                ago(38),
                "notice",
                rights_notified=["statement", "defence", "hearing"],
                rights_how="书面告知",
                data={"proposed": "罚款五万元"},
            ),
        ),
        (officer, field_work(desk, ago(37), "statement", data={"statement": "无异议", "waived_hearing": True})),
        (
            head,
            {
                "step": "decision",
                "occurred_at": at(ago(36)),
                "data": {
                    "facts": "无证经营",
                    "basis": "《食品安全法》第一百二十二条",
                    "kinds": ["fine"],
                    "fine_fen": 5_000_000,
                },
            },
        ),
        (
            officer,
            {
                "step": "service",
                "occurred_at": at(ago(35)),
                "variant": "direct",
                "data": {"document": "行政处罚决定书", "recipient": "法定代表人", "received_at": "2026-10-17"},
            },
        ),
        (officer, {"step": "execution", "occurred_at": at(ago(30)), "data": {"paid_fen": 5_000_000}}),
        (head, {"step": "closure", "occurred_at": at(ago(29)), "data": {"summary": "罚款已缴清"}}),
    ]
    for seq, (client, body) in enumerate(steps, start=1):
        answer = post(client, f"/{cid}/records", body)
        assert answer.status_code == 201, (body["step"], answer.content)
        data = answer.json()
        assert data["record"]["seq"] == seq and data["record"]["step"] == body["step"]
        assert len(data["record"]["entry_hash"]) == 64
        assert data["case"]["record_count"] == seq

    detail = officer.get(f"{API}/{cid}")
    assert detail.status_code == 200
    case = detail.json()
    assert case["status"] == "closed" and case["status_label"] == "已结案" and case["fine_fen"] == 5_000_000
    timeline = case["records"]
    assert [r["step"] for r in timeline] == [
        "initiation",
        "investigation",
        "notice",
        "statement",
        "decision",
        "service",
        "execution",
        "closure",
    ]
    assert timeline[0]["recorded_by"]["id"] == str(desk.head.public_id)
    assert timeline[1]["step_name"] == "调查取证" and timeline[1]["certificates_shown"] is True
    assert [o["id"] for o in timeline[1]["officers"]] == [str(desk.officer.public_id), str(desk.partner.public_id)]
    deadlines = {d["rule"]: d for d in case["deadlines"]}
    assert deadlines["records.archiving"]["status"] == "open"
    # Closed 29 days ago, to be archived within 30: the warning colour is computed for now.
    assert deadlines["records.archiving"]["level"] == "yellow"
    assert deadlines["records.archiving"]["level_label"] == "黄色预警"
    assert deadlines["penalty.fine_payment"]["status"] == "met"
    assert {s["code"] for s in case["next_steps"]} == {"extension", "note"}

    listed = officer.get(f"{API}/", {"status": "closed", "q": "食品经营"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == cid
    assert listed["items"][0]["step_name"] == "结案" and listed["items"][0]["lead_officer"] == desk.officer.full_name


def test_refused_steps_leave_the_case_as_it_was(desk: Desk) -> None:
    officer = logged_in(desk.officer)
    cid = new_case(desk, officer)["id"]
    assert post(logged_in(desk.head), f"/{cid}/records", {"step": "initiation", "occurred_at": at(ago(3))}).json()[
        "errors"
    ] == [{"field": "facts", "code": "required", "message": "请填写“违法事实摘要”。"}]
    opened = {"step": "initiation", "occurred_at": at(ago(3)), "data": {"facts": "无证"}}
    assert post(logged_in(desk.head), f"/{cid}/records", opened).status_code == 201
    before = snapshot(cid)

    # A step the workflow does not allow now: the reason names what may follow.
    refused = post(officer, f"/{cid}/records", {"step": "closure", "occurred_at": at(ago(2)), "data": {"summary": "x"}})
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["field"] == "step" and error["code"] == "not_allowed"
    assert "调查取证" in error["message"]

    # Field work with one officer, no place, no certificates: every reason at once.
    lone = field_work(desk, ago(2), "investigation", officers=[str(desk.officer.public_id)], place="")
    lone["certificates_shown"] = False
    refused = post(officer, f"/{cid}/records", lone)
    assert refused.status_code == 400
    codes = {(e["field"], e["code"]) for e in refused.json()["errors"]}
    assert {("place", "required"), ("certificates_shown", "required")} <= codes
    assert any(f == "officers" for f, _c in codes)
    assert all(e["message"] and not e["message"].isascii() for e in refused.json()["errors"])

    # A time without an offset, an unknown officer, an unknown AV record, a missing field.
    naive = field_work(desk, ago(2), "investigation", occurred_at="2026-03-02T09:00:00")
    refused = post(officer, f"/{cid}/records", naive)
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "occurred_at", "code": "invalid", "message": "请填写带时区的记录时间。"}
    ]
    ghost = "00000000-0000-4000-8000-000000000000"
    refused = post(officer, f"/{cid}/records", field_work(desk, ago(2), "investigation", officers=[ghost]))
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "not_found"
    refused = post(officer, f"/{cid}/records", field_work(desk, ago(2), "investigation", av_records=[ghost]))
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "av_records"
    refused = post(officer, f"/{cid}/records", {"occurred_at": at(ago(2))})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "step", "code": "missing", "message": "此项为必填项。"}]

    # A step that needs the agency head's approval, recorded by an officer.
    refused = post(
        officer,
        f"/{cid}/records",
        {"step": "extension", "occurred_at": at(ago(1)), "data": {"amount": 10, "reasons": "案情复杂"}},
    )
    assert refused.status_code == 400
    approval = {
        "field": "acting_user",
        "code": "approval",
        "message": "该环节须由本机关负责人（或承办机构负责人）审批。",
    }
    assert approval in refused.json()["errors"]
    assert snapshot(cid) == before


def test_every_refusal_keeps_the_case_row_records_and_ledger(desk: Desk) -> None:
    officer = logged_in(desk.officer)
    cid = new_case(desk, officer)["id"]
    before = snapshot(cid)
    bodies = [
        {"step": "closure", "occurred_at": at(ago(1)), "data": {"summary": "x"}},
        {"step": "initiation", "occurred_at": at(ago(1)), "data": {"facts": "无证"}},  # officer is not a head
        {"step": "initiation", "occurred_at": "2026-03-02T09:00:00", "data": {"facts": "无证"}},
        {"step": "not_opened", "occurred_at": at(ago(1))},
    ]
    for body in bodies:
        answer = post(officer, f"/{cid}/records", body)
        assert answer.status_code == 400, answer.content
        assert answer.json()["errors"]
        assert snapshot(cid) == before


def test_conflict_and_recusal_through_the_api(desk: Desk) -> None:
    officer, head = logged_in(desk.officer), logged_in(desk.head)
    cid = new_case(desk, officer)["id"]
    declared = post(officer, f"/{cid}/conflicts", {"officer": str(desk.partner.public_id), "reason": "系当事人近亲属"})
    assert declared.status_code == 201, declared.content
    declaration = declared.json()
    assert declaration["decision"] is None and declaration["officer"]["id"] == str(desk.partner.public_id)
    assert post(officer, f"/{cid}/conflicts", {"officer": str(desk.partner.public_id), "reason": " "}).json()[
        "errors"
    ] == [{"field": "reason", "code": "required", "message": "请写明回避事由。"}]

    path = f"/{cid}/conflicts/{declaration['id']}/decision"
    refused = post(officer, path, {"outcome": "recused", "reasons": "确有利害关系"})
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "forbidden"
    decided = post(head, path, {"outcome": "recused", "reasons": "确有利害关系"})
    assert decided.status_code == 201, decided.content
    assert (
        decided.json()["decision"]["outcome"] == "recused" and decided.json()["decision"]["outcome_label"] == "决定回避"
    )
    again = post(head, path, {"outcome": "not_recused", "reasons": "再议"})
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "decided"

    case = officer.get(f"{API}/{cid}").json()
    assert str(desk.partner.public_id) not in {o["id"] for o in case["officers"]}
    assert case["conflicts"][0]["decision"]["reasons"] == "确有利害关系"
    assigned = post(officer, f"/{cid}/officers", {"officers": [str(desk.partner.public_id)]})
    assert assigned.status_code == 400 and assigned.json()["errors"][0]["code"] == "recused"
    missing = post(
        head, f"/{cid}/conflicts/00000000-0000-4000-8000-000000000000/decision", {"outcome": "recused", "reasons": "x"}
    )
    assert missing.status_code == 404 and missing.json()["errors"][0]["message"] == "回避申报不存在。"


def test_another_agencys_officer_gets_404_and_an_empty_list(desk: Desk, county: Any) -> None:
    cid = new_case(desk, logged_in(desk.officer))["id"]
    before = snapshot(cid)
    outsider = logged_in(county.other_officer)
    missing = outsider.get(f"{API}/{cid}")
    assert missing.status_code == 404
    assert missing.json() == {"errors": [{"field": "case", "code": "not_found", "message": "案件不存在。"}]}
    refused = post(outsider, f"/{cid}/records", {"step": "note", "occurred_at": at(ago(1))})
    assert refused.status_code == 404
    refused = post(outsider, f"/{cid}/conflicts", {"officer": str(desk.partner.public_id), "reason": "x"})
    assert refused.status_code == 404
    assert snapshot(cid) == before
    assert outsider.get(f"{API}/").json()["count"] == 0
    assert logged_in(desk.head).get(f"{API}/").json()["count"] == 1  # the unit head sees the unit's cases
    assert Client().get(f"{API}/").status_code == 401


def test_create_refusals_are_structured(desk: Desk, county: Any) -> None:
    officer = logged_in(desk.officer)
    body = {
        "workflow": "no_such_procedure",
        "unit": str(desk.c.field_unit.public_id),
        "title": " ",
        "party_kind": "organisation",
        "party_name": "某公司",
        "source": "inspection",
    }
    refused = post(officer, "/", body)
    assert refused.status_code == 400
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} == {
        ("workflow", "invalid"),
        ("title", "required"),
    }
    foreign = post(
        officer, "/", {**body, "workflow": "penalty", "title": "x", "unit": str(county.other_unit.public_id)}
    )
    assert foreign.status_code == 403
    assert foreign.json()["errors"] == [{"field": "__all__", "code": "forbidden", "message": "您没有权限执行此操作。"}]
    ghost = post(officer, "/", {**body, "unit": "00000000-0000-4000-8000-000000000000"})
    assert ghost.status_code == 400 and ghost.json()["errors"][0]["message"] == "承办机构不存在。"
    assert not Case.objects.exists()


def test_list_is_paginated_and_filtered(desk: Desk, monkeypatch: Any) -> None:
    for n in range(3):
        desk.start(title=f"案件{n}")
    desk.start(workflow="inspection", title="日常检查")
    officer = logged_in(desk.officer)
    first = officer.get(f"{API}/", {"page_size": 2}).json()
    assert first["count"] == 4 and first["pages"] == 2 and len(first["items"]) == 2
    assert first["items"][0]["title"] == "日常检查"  # newest first
    assert first["count_exact"] is True and first["has_next"] is True
    second = officer.get(f"{API}/", {"page_size": 2, "page": 2}).json()
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
    assert second["has_next"] is False and len(second["items"]) == 2
    assert officer.get(f"{API}/", {"workflow": "inspection"}).json()["count"] == 1
    assert officer.get(f"{API}/", {"unit": str(desk.c.field_unit.public_id)}).json()["count"] == 4
    assert officer.get(f"{API}/", {"q": "案件1"}).json()["count"] == 1
    bad = officer.get(f"{API}/", {"page_size": 500})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "page_size"

    # Beyond the cap the total is a lower bound, and the pages still go on.
    monkeypatch.setattr(case_api, "COUNT_CAP", 3)
    capped = officer.get(f"{API}/", {"page_size": 3}).json()
    assert (capped["count"], capped["count_exact"], capped["has_next"]) == (3, False, True)
    assert len(officer.get(f"{API}/", {"page_size": 3, "page": 2}).json()["items"]) == 1
