"""PUB-9, PUB-12: the public decision page costs one query, cached or not, and its cache (publicity/page_cache.py)
never shows what is no longer on the portal: a withdrawal, an update or an expiry shows at once, even for a page
served from the cache a moment before. The page from the cache is the page as rendered."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from sunlight.publicity import page_cache, selectors, views
from sunlight.publicity.choices import PublicationStatus
from sunlight.publicity.models import Publication
from sunlight.publicity.services import publication_update, publication_withdraw, publicity_tick
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def _page(client, publication):
    return client.get(f"/decisions/{publication.public_id}/")


def test_one_query_whether_the_page_is_cached_or_not(county, client, django_assert_max_num_queries):
    draft = make_draft(county)
    user = publisher(county)
    version = publish(draft, user)
    assert page_cache.cached(draft.public_id) is None
    with django_assert_max_num_queries(1):
        first = _page(client, draft)  # rendered: the version in force comes in the same query
    assert page_cache.cached(draft.public_id) is not None
    with django_assert_max_num_queries(1):
        second = _page(client, draft)  # from the cache, after reading the publication's state
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert version.record["result"] in first.content.decode()
    assert "no-cache" in second["Cache-Control"]  # browsers and proxies still ask every time
    # After an update the cached page shows another state: the new version is read and rendered with the list of
    # versions (once per process), then served from the cache again.
    publication_update(publication=draft, fields={"result": "罚款人民币3000元"}, explanation="变更。", acting_user=user)
    with django_assert_max_num_queries(3):
        assert "罚款人民币3000元" in _page(client, draft).content.decode()
    with django_assert_max_num_queries(1):
        assert "罚款人民币3000元" in _page(client, draft).content.decode()


def test_a_withdrawal_shows_at_once_although_the_page_was_cached(county, client):
    draft = make_draft(county)
    user = publisher(county)
    version = publish(draft, user)
    _page(client, draft)
    cached = page_cache.cached(draft.public_id)
    assert cached is not None and version.record["body"] in cached[1]
    assert version.record["body"] in _page(client, draft).content.decode()  # served from the cache

    publication_withdraw(publication=draft, explanation="该决定已被撤销，现撤回公示。", acting_user=user)
    assert page_cache.cached(draft.public_id) == cached  # still there, and never served again
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


def test_the_page_query_reads_what_the_orm_reads(county):
    draft = make_draft(county)
    publish(draft, publisher(county))
    for with_version in (False, True):
        fast = selectors.public_decision(draft.public_id, with_version=with_version)
        orm = selectors.public_publication(draft.public_id)
        for name in selectors.DECISION_PAGE_FIELDS:
            attname = Publication._meta.get_field(name).attname
            assert getattr(fast, attname) == getattr(orm, attname), name
            assert type(getattr(fast, attname)) is type(getattr(orm, attname)), name
    version = fast.current_version  # joined: no further query
    for name in selectors.DECISION_PAGE_VERSION_FIELDS:
        attname = version._meta.get_field(name).attname
        assert getattr(version, attname) == getattr(orm.current_version, attname), name
    with pytest.raises(selectors.NotFound):
        selectors.public_decision(make_draft(county).public_id)
    with pytest.raises(selectors.NotFound):
        selectors.public_decision("not-a-uuid")


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
