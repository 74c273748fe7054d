"""SYS-5: the administrator issues a push token for another case system (shown once, only its hash kept) and revokes
it; nobody else reaches the page."""

from __future__ import annotations

import re

from django.test import Client

from sunlight.cases.models import ApiClient
from sunlight.cases.tokens import token_sha256

PAGE = "/workbench/cases/api-clients/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_token_is_shown_once_and_can_be_revoked(county) -> None:
    client = logged_in(county.admin)
    page = client.get("/workbench/cases/").content.decode()
    assert PAGE in page
    response = client.post(
        PAGE, {"name": "县市场监管局案件办理系统", "agencies": [str(county.unit_a.agency.public_id)]}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = re.search(r'data-testid="token">([^<]+)<', response.content.decode()).group(1)
    found = ApiClient.objects.get(name="县市场监管局案件办理系统")
    assert found.token_sha256 == token_sha256(token)
    again = client.get(PAGE).content.decode()
    assert token not in again and "县市场监管局案件办理系统" in again and "有效" in again

    response = client.post(f"{PAGE}{found.public_id}/revoke/", {"reason": "系统停用"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.revoked_at is not None
    assert "已吊销" in client.get(PAGE).content.decode()


def test_a_refused_issue_shows_the_reasons(county) -> None:
    response = logged_in(county.admin).post(PAGE, {"name": "", "agencies": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写系统名称" in page and "请选择该系统可以推送的执法主体" in page
    assert not ApiClient.objects.exists()


def test_only_administrators_reach_the_page(county) -> None:
    for user in (county.officer, county.agency_head, county.supervisor):
        assert logged_in(user).get(PAGE).status_code == 403
