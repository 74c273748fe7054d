"""PUB-9: the public decision page reads its publication and stored page in one query, with the values the ORM
gives; on PostgreSQL, over a connection kept across requests, that query is a statement prepared once per database
session, and a session that lost the statement (DISCARD ALL, a pooler handing over another session) or already had
it still gets its page. Stored pages belong to the code that rendered them (`page_cache.build()`): a deployment that
changes a file renders every page again, and `migrate` empties the store."""

from __future__ import annotations

import shutil
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


def _read_as_the_orm_reads(draft):
    fast, stored = selectors.public_decision_page(draft.public_id, rendering=page_cache.rendering())
    orm = selectors.public_publication(draft.public_id)
    assert stored is None
    for name in selectors.DECISION_PAGE_FIELDS:
        attname = Publication._meta.get_field(name).attname
        assert getattr(fast, attname) == getattr(orm, attname), name
        assert type(getattr(fast, attname)) is type(getattr(orm, attname)), name
    assert fast.current_version == orm.current_version  # loaded when asked for


@pytest.mark.django_db
def test_the_page_query_reads_what_the_orm_reads(county):
    draft = _published(county)
    _read_as_the_orm_reads(draft)
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
def shipped_rows():
    """The rows the migrations ship, which a transactional test before this one may have flushed."""
    rules_sync()
    LedgerHead.objects.get_or_create(id=1)


@pytest.fixture
def postgresql_session(monkeypatch, shipped_rows):
    """A PostgreSQL connection kept across requests (CONN_MAX_AGE 60) with no statement prepared yet."""
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
    with CaptureQueriesContext(postgresql_session) as captured:
        _read_as_the_orm_reads(draft)  # the values through EXECUTE too
    assert _verbs(captured)[0] == "EXECUTE"


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
        name = selectors._decision_query(postgresql_session.alias).name
        cursor.execute("DROP TABLE IF EXISTS changed")
        cursor.execute("CREATE TEMPORARY TABLE changed (a integer)")
        cursor.execute(f"PREPARE {name}(text, uuid, text) AS SELECT a FROM changed")  # noqa: S608
        cursor.execute(f"EXECUTE {name}('k', gen_random_uuid(), 'd')")
        cursor.execute("ALTER TABLE changed ALTER COLUMN a TYPE text")
    postgresql_session.connection._sunlight_prepared = {name}
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
        assert _statements_to_read(postgresql_session, draft) == ["SELECT"]
    monkeypatch.setitem(postgresql_session.settings_dict, "CONN_MAX_AGE", 0)  # a new connection per request
    assert _statements_to_read(postgresql_session, draft) == ["SELECT"]


def test_a_change_to_any_file_of_the_application_is_another_build(tmp_path: Path):
    templates = tmp_path / "templates"
    (templates / "publicity").mkdir(parents=True)
    page = templates / "publicity" / "decision.html"
    page.write_text("<p>{{ version }}</p>", encoding="utf-8")
    (templates / "__pycache__").mkdir()
    (templates / "__pycache__" / "x.pyc").write_bytes(b"\x00")

    def digest(root: Path = templates, salt: str = "5.2") -> str:
        return page_cache.files_digest(roots=[("application", root)], salt=salt)

    before = digest()
    (templates / "__pycache__" / "x.pyc").write_bytes(b"\x01")  # compiled Python: not the code itself
    assert digest() == before
    page.write_text("<p>{{ version }}。</p>", encoding="utf-8")
    assert digest() != before
    page.write_text("<p>{{ version }}</p>", encoding="utf-8")
    assert digest() == before
    assert digest(salt="5.3") != before  # another Django
    elsewhere = tmp_path / "another" / "server"
    shutil.copytree(templates, elsewhere)
    assert digest(elsewhere) == before  # the same code installed elsewhere: the same build
    (templates / "publicity" / "decision.html").rename(templates / "publicity" / "other.html")
    assert digest() != before


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


def _migrate_empties_the_store(county, client) -> list[str]:
    """Store a page, run what `migrate` runs at its end, and check the store is empty and fills again; the statements
    sent in between."""
    draft = _published(county)
    client.get(f"/decisions/{draft.public_id}/")
    assert DecisionPage.objects.filter(publication=draft).exists()
    with CaptureQueriesContext(connection) as captured:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    sent = _verbs(captured)  # now: the next request empties the log
    assert not DecisionPage.objects.exists()
    assert client.get(f"/decisions/{draft.public_id}/").status_code == 200  # rendered and stored again
    assert DecisionPage.objects.filter(publication=draft).count() == 1
    return sent


@pytest.mark.django_db
def test_migrate_empties_the_store_of_rendered_pages(county, client):
    _migrate_empties_the_store(county, client)


@on_postgresql
def test_on_postgresql_migrate_truncates_the_store(county, client, shipped_rows):
    assert "TRUNCATE" in _migrate_empties_the_store(county, client)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")
@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request is
def test_on_sqlite_storing_a_page_waits_briefly_for_the_write_lock(county, client, shipped_rows):
    draft = _published(county)
    configured = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/decisions/{draft.public_id}/")
    sql = [q["sql"] for q in captured.captured_queries]
    waits = [i for i, q in enumerate(sql) if "busy_timeout" in q]
    insert = next(i for i, q in enumerate(sql) if q.startswith("INSERT"))
    assert len(waits) == 3 and waits[0] < waits[1] < insert < waits[2]  # read, shortened, set back
    assert f"= {page_cache.SQLITE_STORE_WAIT_MS}" in sql[waits[1]]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == configured  # set back for everything else
