"""PUB-9, PUB-12: the Atom feed, the CSV and JSON open-data exports (with the search's filters), and the exchange
export for the upper-level platform; a decision is in each the moment it is published."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from sunlight.org.choices import ActionType
from sunlight.publicity.services import publication_update, publication_withdraw
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8") if response.streaming else response.content.decode()


@pytest.fixture
def two(county):
    user = publisher(county)
    penalty = make_draft(county, title='=HYPERLINK("http://x")销售过期食品案', decided_on=date(2026, 1, 5))
    licence = make_draft(county, action_type=ActionType.LICENCE, title="食品经营许可决定", decided_on=date(2026, 2, 5))
    publish(penalty, user)
    publish(licence, user)
    return penalty, licence


def test_the_atom_feed_lists_published_decisions(two, client):
    _penalty, licence = two
    response = client.get("/decisions/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert links == {f"http://testserver/decisions/{p.public_id}/" for p in two}
    assert entries[0].find(f"{ATOM}id").text == f"urn:uuid:{licence.public_id}"  # the latest publication first


def test_csv_export_follows_the_filters_and_defuses_formulas(two, client):
    penalty, _licence = two
    response = client.get("/decisions/export.csv?action_type=penalty")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(_body(response).lstrip("\ufeff"))))
    assert rows[0][:3] == ["标识", "链接", "标题"]
    assert len(rows) == 2 and rows[1][0] == str(penalty.public_id)
    assert rows[1][2].startswith("'=HYPERLINK")  # a spreadsheet shows it as text
    assert rows[1][5] == "行政处罚"
    everything = list(csv.reader(io.StringIO(_body(client.get("/decisions/export.csv")).lstrip("\ufeff"))))
    assert len(everything) == 3


def test_json_export_is_one_document(two, client):
    data = json.loads(_body(client.get("/decisions/export.json?q=许可")))
    assert data["format"] == "sunlight.decisions.v1"
    assert [item["id"] for item in data["items"]] == [str(two[1].public_id)]
    assert data["items"][0]["url"].endswith(f"/decisions/{two[1].public_id}/")
    assert json.loads(_body(client.get("/decisions/export.json?q=没有这个")))["items"] == []


def test_exchange_export_pages_through_every_change(two, county, client):
    penalty, licence = two
    user = publisher(county, "reviewer_x")
    first = client.get("/api/v1/publicity/export?limit=1").json()
    assert first["count"] == 1 and first["items"][0]["id"] == str(penalty.public_id)
    assert first["items"][0]["status"] == "published" and first["items"][0]["party"] == "张某"
    cursor = f"since={first['next_since'].replace('+', '%2B')}&after={first['next_after']}"
    second = client.get(f"/api/v1/publicity/export?limit=1&{cursor}").json()
    assert [i["id"] for i in second["items"]] == [str(licence.public_id)]
    cursor2 = f"since={second['next_since'].replace('+', '%2B')}&after={second['next_after']}"
    assert client.get(f"/api/v1/publicity/export?limit=1&{cursor2}").json()["items"] == []
    # A withdrawal and an update are changes too; the withdrawn one carries no content.
    publication_withdraw(publication=penalty, explanation="决定已撤销。", acting_user=user)
    publication_update(
        publication=licence, fields={"result": "准予许可（变更）"}, explanation="变更。", acting_user=user
    )
    later = client.get(f"/api/v1/publicity/export?limit=10&{cursor2}").json()
    by_id = {i["id"]: i for i in later["items"]}
    assert by_id[str(penalty.public_id)]["status"] == "withdrawn"
    assert by_id[str(penalty.public_id)]["explanation"] == "决定已撤销。"
    assert by_id[str(penalty.public_id)]["body"] is None
    assert by_id[str(licence.public_id)]["version"] == 2
    assert later["next_since"] is None


def test_exchange_export_refuses_a_time_without_zone(client, db):
    response = client.get("/api/v1/publicity/export?since=2026-01-01T00:00:00")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "since"


def test_a_published_decision_appears_at_once(county, client):
    assert "暂无" not in _body(client.get("/decisions/"))
    draft = make_draft(county, title="即时公示测试案")
    assert "即时公示测试案" not in _body(client.get("/decisions/"))
    publish(draft, publisher(county))
    response = client.get("/decisions/")
    assert "即时公示测试案" in _body(response)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
