"""PUB-5: the full name and the resident ID number of a natural person never reach any public surface, whatever
the state of the entry; drafts, withdrawn and expired entries do not appear on the public lists at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sunlight.core.transparency import checkpoint_create
from sunlight.publicity.services import publication_update, publication_withdraw, publicity_tick
from sunlight.publicity.tests.factories import MOBILE, make_draft, publish, publisher, resident_id

pytestmark = pytest.mark.django_db

NAME = "欧阳明辉"
GIVEN = "明辉"
ID_NUMBER = resident_id("11010519491231002")
SECRETS = (NAME, ID_NUMBER, MOBILE, ID_NUMBER[:6] + " " + ID_NUMBER[6:])
QUERY = "过期食品"


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def _list_surfaces(client) -> dict[str, str]:
    """Every public list: portal list and search, exports, feed, API search and the exchange export."""
    urls = [
        "/",
        "/decisions/",
        f"/decisions/?q={QUERY}",
        "/decisions/?q=欧阳",
        "/decisions/feed.atom",
        "/decisions/export.csv",
        f"/decisions/export.csv?q={QUERY}",
        "/decisions/export.json",
        f"/decisions/export.json?q={QUERY}",
        f"/api/v1/publicity/decisions?q={QUERY}",
        "/api/v1/publicity/decisions?q=欧阳",
        "/api/v1/publicity/decisions",
        "/api/v1/publicity/export",
        "/api/v1/openapi.json",
    ]
    return {url: _body(client.get(url)) for url in urls}


def _found_by_secrets(client) -> list[int]:
    """How many decisions each secret finds (the query is echoed on the page, so the page itself is not checked)."""
    terms = [NAME, GIVEN, ID_NUMBER, ID_NUMBER[-6:], MOBILE]
    return [json.loads(client.get(f"/api/v1/publicity/decisions?q={term}").content)["total"] for term in terms]


def _entry_surfaces(client, publication) -> dict[str, tuple[int, str]]:
    """Every public address of one entry."""
    base = f"/decisions/{publication.public_id}"
    urls = [
        f"{base}/",
        f"{base}/verify",
        f"{base}/record.json",
        f"{base}/qr.svg",
        f"{base}/correction/",
        f"/api/v1/publicity/decisions/{publication.public_id}",
        f"/api/v1/publicity/decisions/{publication.public_id}/verification",
    ]
    found = {}
    for url in urls:
        response = client.get(url)
        found[url] = (response.status_code, _body(response))
    return found


def _assert_clean(texts):
    for where, text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked on {where}"
        assert GIVEN not in text, f"the given name leaked on {where}"


def _make(county, source_id):
    return make_draft(county, name=NAME, source_id=source_id)


def test_a_draft_is_nowhere(county, client):
    draft = _make(county, "draft")
    lists = _list_surfaces(client)
    _assert_clean(lists.items())
    for url, text in lists.items():
        assert str(draft.public_id) not in text, url
    for url, (status, text) in _entry_surfaces(client, draft).items():
        assert status == 404, url
        _assert_clean([(url, text)])


def test_a_published_decision_shows_only_the_redacted_text(county, client):
    draft = _make(county, "published")
    publish(draft, publisher(county))
    checkpoint_create(force=True)
    lists = _list_surfaces(client)
    _assert_clean(lists.items())
    assert str(draft.public_id) in lists["/decisions/"]
    assert str(draft.public_id) in lists[f"/decisions/?q={QUERY}"]
    assert _found_by_secrets(client) == [0, 0, 0, 0, 0]  # not even searchable
    assert str(draft.public_id) in lists["/decisions/feed.atom"]
    assert json.loads(lists["/decisions/export.json"])["items"][0]["party"] == "欧阳某"
    entry = _entry_surfaces(client, draft)
    for url, (status, _text) in entry.items():
        assert status == 200, url
    _assert_clean((url, text) for url, (_status, text) in entry.items())
    page = entry[f"/decisions/{draft.public_id}/"][1]
    head = page.split("</head>")[0]
    assert "欧阳某" in head  # the <title> carries the redacted title
    assert "欧阳某" in page and "*" * 18 in page


def test_an_updated_decision_does_not_show_the_earlier_text(county, client):
    draft = _make(county, "updated")
    user = publisher(county)
    publish(draft, user)
    publication_update(publication=draft, fields={"result": "罚款人民币3000元"}, explanation="变更。", acting_user=user)
    _assert_clean(_list_surfaces(client).items())
    _assert_clean((url, text) for url, (_s, text) in _entry_surfaces(client, draft).items())
    assert _found_by_secrets(client) == [0, 0, 0, 0, 0]


def test_a_withdrawn_decision_is_off_the_lists_and_shows_only_its_notice(county, client):
    draft = _make(county, "withdrawn")
    user = publisher(county)
    publish(draft, user)
    publication_withdraw(publication=draft, explanation="该决定已被撤销。", acting_user=user)
    checkpoint_create(force=True)
    lists = _list_surfaces(client)
    _assert_clean(lists.items())
    for url, text in lists.items():
        if url != "/api/v1/publicity/export":  # the exchange export tells the upper platform, without content
            assert str(draft.public_id) not in text, url
    exchange = json.loads(lists["/api/v1/publicity/export"])["items"]
    assert [(i["status"], i.get("body")) for i in exchange] == [("withdrawn", None)]
    entry = _entry_surfaces(client, draft)
    _assert_clean((url, text) for url, (_status, text) in entry.items())
    assert entry[f"/decisions/{draft.public_id}/"][0] == 200
    assert "该决定已被撤销。" in entry[f"/decisions/{draft.public_id}/"][1]
    assert "当事人" not in entry[f"/decisions/{draft.public_id}/"][1]
    assert entry[f"/decisions/{draft.public_id}/record.json"][0] == 404
    assert entry[f"/decisions/{draft.public_id}/correction/"][0] == 404


def test_an_expired_decision_is_off_the_lists_and_gone(county, client):
    draft = _make(county, "expired")
    publish(draft, publisher(county), now=datetime(2020, 1, 2, 2, 0, tzinfo=UTC))
    publicity_tick(now=datetime(2025, 1, 3, 2, 0, tzinfo=UTC))
    lists = _list_surfaces(client)
    _assert_clean(lists.items())
    for url, text in lists.items():
        if url != "/api/v1/publicity/export":
            assert str(draft.public_id) not in text, url
    entry = _entry_surfaces(client, draft)
    _assert_clean((url, text) for url, (_status, text) in entry.items())
    assert entry[f"/decisions/{draft.public_id}/"][0] == 410
    assert entry[f"/decisions/{draft.public_id}/verify"][0] == 410
    assert json.loads(entry[f"/api/v1/publicity/decisions/{draft.public_id}"][1]) == {
        **json.loads(entry[f"/api/v1/publicity/decisions/{draft.public_id}"][1]),
        "status": "expired",
        "body": None,
        "party": None,
    }
