"""Database-level protection of append-only tables (REC-10): triggers that refuse UPDATE and DELETE.

Use in a migration: `operations = [append_only("core_ledgerentry")]`. Works on PostgreSQL and SQLite; other
vendors get nothing (and a deployment on them must rely on database privileges alone, see the operator guide).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sunlight_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'sunlight: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' is refused: the table is append-only',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_names(table: str) -> tuple[str, str]:
    """The names of the UPDATE and DELETE triggers on a table."""
    return (f"{table}_no_update", f"{table}_no_delete")


def create_sql(vendor: str, table: str) -> list[str]:
    """SQL that installs the two triggers on `table` for a database vendor."""
    no_update, no_delete = trigger_names(table)
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f'DROP TRIGGER IF EXISTS {no_update} ON "{table}"',
            f'DROP TRIGGER IF EXISTS {no_delete} ON "{table}"',
            f'CREATE TRIGGER {no_update} BEFORE UPDATE ON "{table}" FOR EACH ROW EXECUTE FUNCTION sunlight_refuse_change()',
            f'CREATE TRIGGER {no_delete} BEFORE DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION sunlight_refuse_change()',
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {no_update}",
            f"DROP TRIGGER IF EXISTS {no_delete}",
            f'CREATE TRIGGER {no_update} BEFORE UPDATE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'sunlight: UPDATE on {table} is refused: the table is append-only'); END",
            f'CREATE TRIGGER {no_delete} BEFORE DELETE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'sunlight: DELETE on {table} is refused: the table is append-only'); END",
        ]
    return []


def drop_sql(vendor: str, table: str) -> list[str]:
    """SQL that removes the two triggers (what an attacker with database access could do; tests use it)."""
    no_update, no_delete = trigger_names(table)
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {no_update} ON "{table}"', f'DROP TRIGGER IF EXISTS {no_delete} ON "{table}"']
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {no_update}", f"DROP TRIGGER IF EXISTS {no_delete}"]
    return []


def _run(statements_for: Any) -> Any:
    # The SQL above holds no "%": drivers read it as a placeholder when parameters are passed, and callers differ.
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements_for(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return run


def append_only(table: str) -> migrations.RunPython:
    """A migration operation that makes `table` append-only (reversible: the reverse drops the triggers)."""
    return migrations.RunPython(
        _run(lambda vendor: create_sql(vendor, table)), _run(lambda vendor: drop_sql(vendor, table))
    )
