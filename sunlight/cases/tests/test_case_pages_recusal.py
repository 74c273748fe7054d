"""DIS-4: an officer declares a conflict on the case page; until the head decides, the officer cannot act (the step
form says so); the head's decision to recuse takes the officer off the case."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from sunlight.cases.models import ConflictDeclaration
from sunlight.cases.tests.factories import Desk

LIST = "/workbench/cases/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_declared_conflict_blocks_the_officer_until_the_head_decides(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", timezone.now(), by=desk.head, data={"facts": "无证经营"})
    officer = logged_in(desk.officer)
    response = officer.post(
        f"{LIST}{case.public_id}/conflicts/",
        {"conflict-officer": str(desk.partner.public_id), "conflict-reason": "与当事人法定代表人系近亲属"},
    )
    assert response.status_code == 302
    page = officer.get(f"{LIST}{case.public_id}/").content.decode()
    assert "与当事人法定代表人系近亲属" in page and "待负责人决定" in page

    later = timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M")
    response = officer.post(
        f"{LIST}{case.public_id}/steps/investigation/",
        {
            "occurred_at": later,
            "place": "现场",
            "officers": [str(desk.officer.public_id), str(desk.partner.public_id)],
            "certificates_shown": "on",
        },
    )
    assert response.status_code == 400
    assert "已申报回避或已决定回避，不能参与本案执法" in response.content.decode()

    declaration = ConflictDeclaration.objects.get(case=case)
    head = logged_in(desk.head)
    assert "作出回避决定" in head.get(f"{LIST}{case.public_id}/").content.decode()
    response = head.post(
        f"{LIST}{case.public_id}/conflicts/{declaration.public_id}/decide/",
        {"recusal-outcome": "recused", "recusal-reasons": "近亲属关系属实，决定回避。"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert desk.partner not in case.officers.all()
    page = head.get(f"{LIST}{case.public_id}/").content.decode()
    assert "决定回避：近亲属关系属实，决定回避。" in page


def test_a_refused_declaration_shows_its_reason(desk: Desk) -> None:
    case = desk.start()
    response = logged_in(desk.officer).post(
        f"{LIST}{case.public_id}/conflicts/", {"conflict-officer": str(desk.partner.public_id), "conflict-reason": ""}
    )
    assert response.status_code == 400
    assert "请写明回避事由" in response.content.decode()
    assert not ConflictDeclaration.objects.exists()
