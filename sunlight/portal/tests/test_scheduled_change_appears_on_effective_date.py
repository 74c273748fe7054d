"""PUB-2: a change published ahead of its effective date is announced under 即将施行的变更 and reaches the lists and
pages on that date, not before; a new entry scheduled for later is not public until then."""

from __future__ import annotations

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import CatalogKind
from sunlight.catalog.tests.factories import days, new_item, publish, today
from sunlight.catalog.versioning import content_of

pytestmark = pytest.mark.django_db

UPCOMING = '<h2 id="upcoming-heading">即将施行的变更</h2>'


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def item_table(client, url: str) -> str:
    """The item table of a list page (without the announcements below it)."""
    return html(client, url).split('data-testid="item-table"')[1].split("</table>")[0]


def move_to(monkeypatch, day) -> None:
    monkeypatch.setattr("sunlight.portal.selectors.today", lambda: day)


def test_a_changed_item_shows_the_old_version_until_the_new_one_takes_effect(client, catalog, monkeypatch):
    v1 = new_item(catalog)
    content = content_of(CatalogKind.ITEM, v1)
    content["name"] = "对未取得食品经营许可从事食品经营活动的处罚（修订）"
    effective = today() + days(45)
    v2 = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=content,
        meta={"effective_from": effective, "change_note": "依据修正案调整名称"},
    )
    publish(catalog, v2)
    url = f"/items/{v1.entry.public_id}/"

    listing = html(client, "/items/")
    assert v1.name in listing
    assert UPCOMING in listing and "依据修正案调整名称" in listing and effective.isoformat() in listing
    page = html(client, url)
    assert "<h1>对未取得食品经营许可从事食品经营活动的行政处罚</h1>" in page
    assert "本事项已公告变更" in page
    assert v2.name in html(client, "/changes/")

    move_to(monkeypatch, effective - days(1))
    assert "<h1>对未取得食品经营许可从事食品经营活动的行政处罚</h1>" in html(client, url)

    move_to(monkeypatch, effective)
    page = html(client, url)
    assert f"<h1>{v2.name}</h1>" in page and "本事项已公告变更" not in page
    listing = html(client, "/items/")
    assert v2.name in listing and UPCOMING not in listing
    assert v2.name not in html(client, "/changes/")


def test_a_new_item_scheduled_for_later_is_public_only_from_its_date(client, catalog, monkeypatch):
    effective = today() + days(10)
    v = new_item(catalog, "SC-CF-020", effective=effective, name="对新设违法行为的行政处罚")
    assert "对新设违法行为的行政处罚" not in item_table(client, "/items/")
    assert client.get(f"/items/{v.entry.public_id}/").status_code == 404
    changes = html(client, f"/changes/?agency={catalog.agency.public_id}")
    assert "对新设违法行为的行政处罚" in changes and "新增" in changes

    move_to(monkeypatch, effective)
    assert "对新设违法行为的行政处罚" in item_table(client, "/items/?q=新设")
    assert client.get(f"/items/{v.entry.public_id}/").status_code == 200
