"""REC-14, SYS-5, SYS-6: a token pushes only for its agencies (403 otherwise, audited) and only to the cases it pushed
(404 otherwise); people named in a push must be staff of the agency; an unknown, missing or revoked token is 401;
administrators issue and revoke tokens through the services, each in the ledger, and only the SHA-256 is stored."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client

from sunlight.cases.models import ApiClient, Case, PushReceipt
from sunlight.cases.tests.factories import Desk
from sunlight.cases.tokens import (
    api_client_authenticate,
    api_client_issue,
    api_client_revoke,
    api_clients_visible_to,
)
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

PUSH = "/api/v1/cases/push/cases"


def send(token: str | None, path: str, body: dict[str, Any], key: str = "k1", client: Client | None = None) -> Any:
    http = client or Client()
    headers = {"Idempotency-Key": key}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return http.post(path, json.dumps(body, ensure_ascii=False), content_type="application/json", headers=headers)


def case_body(desk: Desk, **over: Any) -> dict[str, Any]:
    body = {
        "external_id": "QX-1",
        "workflow": "penalty",
        "unit": str(desk.c.field_unit.public_id),
        "title": "未取得食品经营许可从事食品经营活动",
        "party_kind": "organisation",
        "party_name": "临泉县好味道餐饮有限公司",
        "source": "inspection",
        "lead_officer": str(desk.officer.public_id),
    }
    body.update(over)
    return body


def test_a_push_for_another_agency_is_forbidden_and_audited(desk: Desk, county: Any) -> None:
    client, token = api_client_issue(acting_user=desk.c.admin, name="县市场监管局办案系统", agencies=[desk.c.agency])
    refused = send(token, PUSH, case_body(desk, unit=str(county.other_unit.public_id)))
    assert refused.status_code == 403
    assert refused.json()["errors"] == [
        {
            "field": "__all__",
            "code": "agency_not_allowed",
            "message": "该接入系统无权推送“太和县市场监督管理局”的案件。",
        }
    ]
    assert not Case.objects.exists()
    denied = LedgerEntry.objects.filter(kind="permission.denied").latest("seq")
    assert denied.actor == f"api_client:{client.public_id}"
    assert PushReceipt.objects.get(client=client, idempotency_key="k1").status_code == 403


def test_people_named_in_a_push_must_be_staff_of_the_agency(desk: Desk, county: Any) -> None:
    _client, token = api_client_issue(acting_user=desk.c.admin, name="办案系统", agencies=[desk.c.agency])
    refused = send(token, PUSH, case_body(desk, lead_officer=str(county.other_officer.public_id)))
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["field"] == "lead_officer" and error["code"] == "not_staff" and "不是" in error["message"]
    auxiliary = staff(Role.AUXILIARY, unit=desk.c.field_unit, username="aux_push")
    refused = send(token, PUSH, case_body(desk, officers=[str(auxiliary.public_id)]), key="k2")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "officers"
    assert not Case.objects.exists()


def test_a_client_reaches_only_the_cases_it_pushed(desk: Desk) -> None:
    _first, token = api_client_issue(acting_user=desk.c.admin, name="系统甲", agencies=[desk.c.agency])
    _second, other = api_client_issue(acting_user=desk.c.admin, name="系统乙", agencies=[desk.c.agency])
    assert send(token, PUSH, case_body(desk)).status_code == 201
    step = {"step": "note", "occurred_at": "2026-03-02T09:00:00+08:00"}
    unknown = send(other, f"{PUSH}/QX-1/records", step)
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["message"] == "本系统没有推送过该外部标识的案件。"
    # The same external id is another case when another system pushes it.
    assert send(other, PUSH, case_body(desk), key="k2").status_code == 201
    assert Case.objects.filter(external_id="QX-1").count() == 2


def test_unknown_missing_and_revoked_tokens_are_401(desk: Desk) -> None:
    client, token = api_client_issue(acting_user=desk.c.admin, name="办案系统", agencies=[desk.c.agency])
    assert client.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps([e.payload for e in LedgerEntry.objects.all()], ensure_ascii=False)
    for sent, code in ((None, "token_missing"), ("slp_not-a-token", "token_invalid")):
        answer = send(sent, PUSH, case_body(desk))
        assert answer.status_code == 401 and answer.json()["errors"][0]["code"] == code
    # A staff session is not a token.
    session = Client()
    session.force_login(desk.officer)
    assert send(None, PUSH, case_body(desk), client=session).status_code == 401

    assert send(token, PUSH, case_body(desk)).status_code == 201
    api_client_revoke(acting_user=desk.c.admin, client=client, reason="系统停用")
    revoked = send(token, PUSH, case_body(desk, external_id="QX-2"), key="k2")
    assert revoked.status_code == 401
    assert revoked.json()["errors"] == [{"field": "__all__", "code": "token_revoked", "message": "接入令牌已吊销。"}]
    # Even a replay of an earlier push is refused once the token is revoked.
    assert send(token, PUSH, case_body(desk)).status_code == 401
    assert Case.objects.count() == 1
    with pytest.raises(ServiceError) as again:
        api_client_revoke(acting_user=desk.c.admin, client=client)
    assert again.value.errors[0].code == "revoked"


def test_issuing_and_revoking_are_for_administrators_and_in_the_ledger(desk: Desk, county: Any) -> None:
    with pytest.raises(Forbidden):
        api_client_issue(acting_user=desk.officer, name="办案系统", agencies=[desk.c.agency])
    with pytest.raises(ServiceError) as refused:
        api_client_issue(acting_user=desk.c.admin, name=" ", agencies=[])
    assert {e.field for e in refused.value.errors} == {"name", "agencies"}
    other_admin = staff(Role.ADMIN, unit=county.other_unit, username="admin_taihe")
    with pytest.raises(ServiceError) as refused:
        api_client_issue(acting_user=other_admin, name="办案系统", agencies=[desk.c.agency])
    assert refused.value.errors[0].code == "out_of_scope"

    client, token = api_client_issue(acting_user=desk.c.admin, name="办案系统", agencies=[desk.c.agency])
    assert api_client_authenticate(token) == client
    with pytest.raises(ServiceError) as refused:
        api_client_issue(acting_user=desk.c.admin, name="办案系统", agencies=[desk.c.agency])
    assert refused.value.errors[0].code == "duplicate"
    assert list(api_clients_visible_to(desk.c.admin)) == [client]
    assert not api_clients_visible_to(other_admin).exists() and not api_clients_visible_to(desk.officer).exists()
    with pytest.raises(Forbidden):
        api_client_revoke(acting_user=desk.officer, client=client)

    api_client_revoke(acting_user=desk.c.admin, client=client, reason="系统停用")
    kinds = list(LedgerEntry.objects.filter(stream=f"api_client:{client.public_id}").values_list("kind", flat=True))
    assert kinds == ["api_client.issued", "api_client.revoked"]
    issued = LedgerEntry.objects.get(kind="api_client.issued")
    assert issued.actor == f"user:{desk.c.admin.public_id}"
    assert issued.payload["agencies"] == [{"id": str(desk.c.agency.public_id), "name": desk.c.agency.name}]
    client.refresh_from_db()
    assert client.revoked_at is not None and client.revoked_by == desk.c.admin
    assert ApiClient.objects.get(pk=client.pk).revoked_at is not None
