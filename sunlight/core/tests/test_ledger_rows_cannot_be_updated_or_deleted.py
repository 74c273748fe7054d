"""REC-10: the database itself refuses UPDATE and DELETE on the ledger (triggers from migration 0005), on SQLite and
on PostgreSQL; inserting (appending) still works."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sunlight.core.ledger import ledger_append, ledger_verify
from sunlight.core.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> LedgerEntry:
    with transaction.atomic():
        ledger_append(stream="case:1", kind="test.fact", actor="system", payload={"i": 1})
        return ledger_append(stream="case:1", kind="test.fact", actor="system", payload={"i": 2})


def test_update_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(payload={"i": 3})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.actor = "user:someone"
        entry.save()
    assert ledger_verify().ok


def test_delete_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.count() == 2


def test_raw_sql_is_refused_too(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_ledgerentry SET kind = 'x'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_ledgerentry")
