"""PUB-9, PUB-12: the public decision page costs one query when its page is stored, and the stored pages
(publicity/page_cache.py) never show what is no longer on the portal: a withdrawal, an update or an expiry shows at
once, even for a page served from the store a moment before. The stored page is the page as rendered, shared by every
process, and a store that refuses the write costs a rendering, not the page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date
from django.views.decorators.cache import never_cache

from sunlight.publicity import page_cache, views
from sunlight.publicity.choices import PublicationStatus
from sunlight.publicity.models import DecisionPage, Publication
from sunlight.publicity.services import publication_update, publication_withdraw, publicity_tick
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def _page(client, publication):
    return client.get(f"/decisions/{publication.public_id}/")


def _stored(publication):
    """The page stored for this decision in the current rendering: (state, title, text), or None."""
    return (
        DecisionPage.objects.filter(publication=publication, rendering=page_cache.rendering())
        .values_list("state", "title", "text")
        .first()
    )


def test_one_query_when_the_page_is_stored(county, client, django_assert_max_num_queries):
    draft = make_draft(county)
    user = publisher(county)
    version = publish(draft, user)
    assert _stored(draft) is None
    # Rendered: the state and the (absent) stored page, the version in force, the write (in a savepoint).
    with django_assert_max_num_queries(6):
        first = _page(client, draft)
    assert _stored(draft) is not None
    with django_assert_max_num_queries(1):
        second = _page(client, draft)  # stored: read with the publication's state
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert version.record["result"] in first.content.decode()
    assert "no-cache" in second["Cache-Control"]  # browsers and proxies still ask every time
    # After an update the stored page shows another state: the new version is read and rendered with the list of
    # versions, stored over the old page, then served from the store again.
    publication_update(publication=draft, fields={"result": "罚款人民币3000元"}, explanation="变更。", acting_user=user)
    with django_assert_max_num_queries(6):
        assert "罚款人民币3000元" in _page(client, draft).content.decode()
    with django_assert_max_num_queries(1):
        assert "罚款人民币3000元" in _page(client, draft).content.decode()
    assert DecisionPage.objects.filter(publication=draft).count() == 1


def test_a_page_rendered_once_is_served_by_every_process(county, client, monkeypatch):
    draft = make_draft(county)
    publish(draft, publisher(county))
    first = _page(client, draft).content
    for cache in caches.all():
        cache.clear()  # another process: nothing of this one's memory, only the database

    def render(publication):
        raise AssertionError("rendered again")

    monkeypatch.setattr(views, "_decision_text", render)
    assert _page(client, draft).content == first


def test_a_store_that_refuses_the_write_costs_a_rendering_not_the_page(county, client, monkeypatch, caplog):
    draft = make_draft(county)
    version = publish(draft, publisher(county))

    def refuse(*args, **kwargs):
        raise DatabaseError("cannot execute INSERT in a read-only transaction")

    monkeypatch.setattr(QuerySet, "bulk_create", refuse)
    monkeypatch.setattr(page_cache, "_warned", {"at": float("-inf"), "since": 0})
    for _ in range(3):
        response = _page(client, draft)
        assert response.status_code == 200 and version.record["result"] in response.content.decode()
    assert _stored(draft) is None
    # One warning, with the error, not one per request: a read-only replica refuses every write.
    warnings = [r for r in caplog.records if "not stored" in r.getMessage()]
    assert len(warnings) == 1 and "read-only transaction" in caplog.text
    assert page_cache._warned["since"] == 2
    assert Publication.objects.get(pk=draft.pk).status == PublicationStatus.PUBLISHED  # the request's work stands


def test_a_stored_page_of_another_state_is_never_served(county, client):
    draft = make_draft(county)
    version = publish(draft, publisher(county))
    _page(client, draft)
    DecisionPage.objects.filter(publication=draft).update(state="0" * 32, text="<p>伪造的页面</p>")
    html = _page(client, draft).content.decode()
    assert "伪造的页面" not in html and version.record["result"] in html
    assert "伪造的页面" not in _stored(draft)[2]  # rendered again and stored over it


def test_the_decision_page_forbids_caching_exactly_as_never_cache_does(county, client):
    draft = make_draft(county)
    publish(draft, publisher(county))
    response = _page(client, draft)
    django_way = never_cache(lambda request: HttpResponse("x"))(RequestFactory().get("/"))
    assert response["Cache-Control"] == django_way["Cache-Control"] == views.NEVER_CACHE_CONTROL
    expires = parse_http_date(response["Expires"])
    assert abs(expires - parse_http_date(django_way["Expires"])) <= 2


def test_a_withdrawal_shows_at_once_although_the_page_was_cached(county, client):
    draft = make_draft(county)
    user = publisher(county)
    version = publish(draft, user)
    _page(client, draft)
    cached = _stored(draft)
    assert cached is not None and version.record["body"] in cached[2]
    assert version.record["body"] in _page(client, draft).content.decode()  # served from the cache

    publication_withdraw(publication=draft, explanation="该决定已被撤销，现撤回公示。", acting_user=user)
    assert _stored(draft) == cached  # still stored, and never served again
    response = _page(client, draft)
    html = response.content.decode()
    assert response.status_code == 200 and "该决定已被撤销，现撤回公示。" in html
    assert version.record["body"] not in html and version.record["result"] not in html


def test_an_update_shows_at_once_although_the_page_was_cached(county, client):
    draft = make_draft(county)
    user = publisher(county)
    publish(draft, user)
    assert "没收违法所得并处罚款人民币5000元" in _page(client, draft).content.decode()
    assert "没收违法所得并处罚款人民币5000元" in _page(client, draft).content.decode()

    publication_update(
        publication=draft, fields={"result": "罚款人民币3000元"}, explanation="经复议变更罚款数额。", acting_user=user
    )
    html = _page(client, draft).content.decode()
    assert "罚款人民币3000元" in html and "5000元" not in html
    assert 'data-testid="update-notice"' in html and "经复议变更罚款数额。" in html


def test_an_expired_decision_is_gone_although_the_page_was_cached(county, client):
    draft = make_draft(county)
    publish(draft, publisher(county), now=datetime(2026, 3, 5, 2, 0, tzinfo=UTC))
    assert _page(client, draft).status_code == 200
    assert _page(client, draft).status_code == 200
    assert publicity_tick(now=datetime(2031, 3, 4, 16, 0, tzinfo=UTC)) == {"expired": 1}
    response = _page(client, draft)
    assert response.status_code == 410 and "没收违法所得" not in response.content.decode()


def test_drafts_and_unknown_addresses_are_not_found(county, client):
    draft = make_draft(county)
    assert _page(client, draft).status_code == 404
    assert client.get("/decisions/00000000-0000-4000-8000-000000000000/").status_code == 404
    publish(draft, publisher(county))
    assert _page(client, draft).status_code == 200


def test_the_page_does_not_depend_on_who_asks(county, client):
    draft = make_draft(county)
    user = publisher(county)
    publish(draft, user)
    client.force_login(user)
    signed_in = _page(client, draft).content  # rendered for a signed-in officer, then cached
    client.logout()
    assert _page(client, draft).content == signed_in
    assert user.username not in signed_in.decode()


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 1, 5),
        date(987, 12, 31),
        datetime(2026, 3, 4, 15, 59, tzinfo=UTC),  # 23:59 in Asia/Shanghai
        datetime(2026, 3, 4, 16, 0, tzinfo=UTC),  # the next day there
        datetime(2026, 3, 4, 16, 0),  # naive: shown as it is
        None,
    ],
)
def test_prepared_values_are_what_the_template_filters_show(value):
    expected = Template('{{ value|date:"Y年n月j日" }}').render(Context({"value": value}))
    assert views._day(value) == expected


def test_prepared_addresses_and_labels_are_what_django_gives(county):
    draft = make_draft(county)
    urls = views.decision_urls(draft.public_id)
    for name in views.DECISION_URL_NAMES:
        assert urls[name] == reverse(f"publicity:{name}", args=[draft.public_id])
    assert views._display("action_type", draft.action_type) == draft.get_action_type_display()
    assert views._display("kind", draft.kind) == draft.get_kind_display()
    assert draft.status == PublicationStatus.DRAFT and timezone.is_aware(draft.created_at)
