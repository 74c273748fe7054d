"""Suite-wide fixtures: a cheaper argon2 for speed (still argon2), and an isolated var directory."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

pytest_plugins = ["sunlight.org.tests.fixtures"]


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with small parameters: the same algorithm and checks, a fraction of the time."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["conftest.FastArgon2PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _signing_key_outside_var(settings, tmp_path_factory):
    """Tree heads signed in tests use a key under the session's temporary directory, not ./var (REC-10)."""
    settings.SUNLIGHT_SIGNING_KEY_FILE = tmp_path_factory.getbasetemp() / "ledger_signing_key.pem"


@pytest.fixture(autouse=True)
def _evidence_stores_outside_var(settings, tmp_path_factory):
    """Files that tests store (documents, opinions, case files) go to the session's temporary directory, not ./var."""
    base = tmp_path_factory.getbasetemp() / "evidence"
    settings.SUNLIGHT_EVIDENCE_STORES = {
        key: {"url": str(base / key), "endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
        for key in ("a", "b")
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(base / "uploads")


def _flushes_tables(item: pytest.Item) -> bool:
    """True for tests that pytest-django ends with a flush (TransactionTestCase) rather than a rollback."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return any(name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """Let a transactional test's flush empty the append-only tables on SQLite, then put their triggers back.

    SQLite's flush is `DELETE FROM`, which the append-only triggers (core.protect) refuse; PostgreSQL's is
    TRUNCATE, which row triggers do not see. So on SQLite the triggers are saved and dropped before the teardown
    (which flushes) and recreated after it, exactly as they were.
    """
    saved: list[tuple[str, str]] = []
    database = None
    blocker = None
    if _flushes_tables(item):
        from pytest_django.plugin import blocking_manager_key

        blocker = item.config.stash.get(blocking_manager_key, None)
    if blocker is not None:
        from django.db import connection

        with blocker.unblock():
            database = connection.settings_dict["NAME"]
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND (name LIKE '%\\_no\\_update' ESCAPE '\\' OR name LIKE '%\\_no\\_delete' ESCAPE '\\')"
                    )
                    saved = list(cursor.fetchall())
                    for name, _sql in saved:
                        cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    yield
    if saved and blocker is not None:
        from django.db import connection

        # After the session's last test the teardown also destroys the test database and points the connection
        # back at the configured one: the triggers are then gone with it, and must not be put anywhere else.
        if connection.settings_dict["NAME"] != database:
            return
        with blocker.unblock(), connection.cursor() as cursor:
            for _name, sql in saved:
                cursor.execute(sql)
