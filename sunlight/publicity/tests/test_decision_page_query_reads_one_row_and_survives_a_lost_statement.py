"""PUB-9: the public decision page reads its publication and stored page in one query, with the values the ORM
gives; on PostgreSQL, over a connection kept across requests, that query is a statement prepared once per database
session, and a session that lost the statement (DISCARD ALL, a pooler handing over another session) or already had
it still gets its page. Stored pages belong to the code that rendered them (`page_cache.build()`): a deployment that
changes a file renders every page again, and `migrate` empties the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sunlight.core.deadlines import rules_sync
from sunlight.core.models import LedgerHead
from sunlight.publicity import page_cache, selectors, views
from sunlight.publicity.models import DecisionPage, Publication
from sunlight.publicity.tests.factories import make_draft, publish, publisher


def _published(county):
    draft = make_draft(county)
    publish(draft, publisher(county))
    return draft


def _verbs(captured):
    return [q["sql"].split()[0].upper() for q in captured.captured_queries]


def _statements_to_read(session, draft):
    """Read the decision's page query once: the statements it sent (their first word), having checked the row."""
    with CaptureQueriesContext(session) as captured:
        publication, _stored = selectors.public_decision_page(draft.public_id, rendering=page_cache.rendering())
    assert publication.pk == draft.pk
    return _verbs(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("prepared", [True, False])
def test_the_page_query_reads_what_the_orm_reads(county, settings, prepared):
    settings.SUNLIGHT_DB_PREPARED_STATEMENTS = prepared
    draft = _published(county)
    fast, stored = selectors.public_decision_page(draft.public_id, rendering=page_cache.rendering())
    orm = selectors.public_publication(draft.public_id)
    assert stored is None
    for name in selectors.DECISION_PAGE_FIELDS:
        attname = Publication._meta.get_field(name).attname
        assert getattr(fast, attname) == getattr(orm, attname), name
        assert type(getattr(fast, attname)) is type(getattr(orm, attname)), name
    assert fast.current_version == orm.current_version  # loaded when asked for
    for public_id in (make_draft(county).public_id, "not-a-uuid"):
        with pytest.raises(selectors.NotFound):
            selectors.public_decision_page(public_id, rendering=page_cache.rendering())


@pytest.mark.django_db
def test_the_page_query_reads_the_page_stored_for_its_rendering(county, client):
    draft = _published(county)
    key = page_cache.rendering()
    publication, stored = selectors.public_decision_page(draft.public_id, rendering=key)
    assert publication.pk == draft.pk and stored is None
    client.get(f"/decisions/{draft.public_id}/")
    publication, stored = selectors.public_decision_page(draft.public_id, rendering=key)
    row = DecisionPage.objects.get(publication=draft, rendering=key)
    assert stored == (row.state, row.title, row.text) == (page_cache.state(publication), row.title, row.text)
    assert selectors.public_decision_page(draft.public_id, rendering="another")[1] is None


# Outside a transaction, as a request is: the test's data is committed (and flushed afterwards).
on_postgresql = pytest.mark.django_db(transaction=True)
if connection.vendor != "postgresql":
    on_postgresql = pytest.mark.skip(reason="prepared statements are PostgreSQL's")


@pytest.fixture
def postgresql_session(monkeypatch):
    """A PostgreSQL connection kept across requests (CONN_MAX_AGE 60) with no statement prepared yet, and the rows
    the migrations ship (a transactional test before this one may have flushed them)."""
    rules_sync()
    LedgerHead.objects.get_or_create(id=1)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a new session
    connection.connection._sunlight_prepared = set()
    return connection


@on_postgresql
def test_on_postgresql_the_page_statement_is_prepared_once_per_database_session(county, postgresql_session):
    draft = _published(county)
    assert _statements_to_read(postgresql_session, draft) == ["PREPARE", "EXECUTE"]
    assert _statements_to_read(postgresql_session, draft) == ["EXECUTE"]


@on_postgresql
def test_a_session_that_lost_the_statement_still_gets_the_page_and_prepares_it_again(county, postgresql_session):
    draft = _published(county)
    _statements_to_read(postgresql_session, draft)
    with postgresql_session.cursor() as cursor:
        cursor.execute("DISCARD ALL")  # what a pooler does between clients: the statement is gone
    assert _statements_to_read(postgresql_session, draft) == ["EXECUTE", "SELECT"]  # EXECUTE failed, plain query ran
    assert _statements_to_read(postgresql_session, draft) == ["PREPARE", "EXECUTE"]


@on_postgresql
def test_a_statement_planned_for_tables_that_changed_is_dropped_and_prepared_again(county, postgresql_session):
    draft = _published(county)
    with postgresql_session.cursor() as cursor:  # a plan whose result type a migration then changes
        cursor.execute("CREATE TEMPORARY TABLE changed (a integer)")
        cursor.execute(f"PREPARE {selectors._STATEMENT}(text, uuid, text) AS SELECT a FROM changed")  # noqa: S608
        cursor.execute(f"EXECUTE {selectors._STATEMENT}('k', gen_random_uuid(), 'd')")
        cursor.execute("ALTER TABLE changed ALTER COLUMN a TYPE text")
    postgresql_session.connection._sunlight_prepared = {selectors._STATEMENT}
    assert _statements_to_read(postgresql_session, draft) == ["EXECUTE", "DEALLOCATE", "SELECT"]
    assert _statements_to_read(postgresql_session, draft) == ["PREPARE", "EXECUTE"]


@on_postgresql
def test_a_session_that_already_has_the_statement_uses_it(county, postgresql_session):
    draft = _published(county)
    _statements_to_read(postgresql_session, draft)
    postgresql_session.connection._sunlight_prepared = set()  # this process forgot; the session did not
    # The PREPARE is refused as a duplicate, and the EXECUTE runs.
    assert _statements_to_read(postgresql_session, draft) == ["PREPARE", "EXECUTE"]


@on_postgresql
def test_no_statement_is_prepared_per_request_or_inside_a_transaction(county, postgresql_session, monkeypatch):
    draft = _published(county)
    with transaction.atomic():
        assert "PREPARE" not in _statements_to_read(postgresql_session, draft)
    monkeypatch.setitem(postgresql_session.settings_dict, "CONN_MAX_AGE", 0)  # a new connection per request
    assert _statements_to_read(postgresql_session, draft) == ["SELECT"]


def test_a_change_to_any_file_of_the_application_is_another_build(tmp_path: Path):
    templates = tmp_path / "templates"
    (templates / "publicity").mkdir(parents=True)
    page = templates / "publicity" / "decision.html"
    page.write_text("<p>{{ version }}</p>", encoding="utf-8")
    (templates / "__pycache__").mkdir()
    (templates / "__pycache__" / "x.pyc").write_bytes(b"\x00")
    before = page_cache.files_digest(roots=[templates], salt="5.2")
    (templates / "__pycache__" / "x.pyc").write_bytes(b"\x01")  # compiled Python: not the code itself
    assert page_cache.files_digest(roots=[templates], salt="5.2") == before
    page.write_text("<p>{{ version }}。</p>", encoding="utf-8")
    assert page_cache.files_digest(roots=[templates], salt="5.2") != before
    page.write_text("<p>{{ version }}</p>", encoding="utf-8")
    assert page_cache.files_digest(roots=[templates], salt="5.2") == before
    assert page_cache.files_digest(roots=[templates], salt="5.3") != before  # another Django
    (templates / "publicity" / "decision.html").rename(templates / "publicity" / "other.html")
    assert page_cache.files_digest(roots=[templates], salt="5.2") != before


@pytest.mark.django_db
def test_a_page_stored_by_another_version_of_the_code_is_not_served(county, client, monkeypatch):
    draft = _published(county)
    first = client.get(f"/decisions/{draft.public_id}/").content
    calls = []
    render = views._decision_text
    monkeypatch.setattr(views, "_decision_text", lambda publication: calls.append(1) or render(publication))
    monkeypatch.setattr(page_cache, "build", lambda: "the next version")
    page_cache._rendering_key.cache_clear()
    try:
        assert client.get(f"/decisions/{draft.public_id}/").content == first
    finally:
        page_cache._rendering_key.cache_clear()
    assert calls == [1]  # rendered again by the new code, not served from the old one's store
    assert DecisionPage.objects.filter(publication=draft).count() == 2


@pytest.mark.django_db
def test_migrate_empties_the_store_of_rendered_pages(county, client):
    draft = _published(county)
    client.get(f"/decisions/{draft.public_id}/")
    assert DecisionPage.objects.filter(publication=draft).exists()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not DecisionPage.objects.exists()
    assert client.get(f"/decisions/{draft.public_id}/").status_code == 200  # rendered and stored again
    assert DecisionPage.objects.filter(publication=draft).count() == 1


@pytest.mark.django_db
def test_on_sqlite_storing_a_page_waits_briefly_for_the_write_lock(county, client):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single writer")
    draft = _published(county)
    configured = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/decisions/{draft.public_id}/")
    sql = [q["sql"] for q in captured.captured_queries]
    waits = [i for i, q in enumerate(sql) if "busy_timeout" in q]
    insert = next(i for i, q in enumerate(sql) if q.startswith("INSERT"))
    assert len(waits) == 2 and waits[0] < insert < waits[1]
    assert f"= {page_cache.SQLITE_STORE_WAIT_MS}" in sql[waits[0]]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == configured  # set back for everything else
