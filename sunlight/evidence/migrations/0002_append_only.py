"""Evidence rows are append-only in the database too (REC-10): UPDATE and DELETE are refused by the triggers of
`sunlight.core.protect` (named `<table>_no_update` / `<table>_no_delete`). Upload sessions (not evidence) stay mutable.

The statements run with no query parameters: the PostgreSQL function body contains `%` (RAISE's placeholders), which
psycopg would read as parameter markers under the empty parameter list that `protect.append_only` passes today.
"""

from django.db import migrations

from sunlight.core.protect import create_sql, drop_sql

APPEND_ONLY_TABLES = (
    "evidence_avrecord",
    "evidence_interruption",
    "evidence_storedfile",
    "evidence_storedcopy",
    "evidence_copycheck",
    "evidence_avfile",
    "evidence_retentionflag",
    "evidence_retentionlift",
)


def _runner(sql_for):
    def run(apps, schema_editor):
        for table in APPEND_ONLY_TABLES:
            for statement in sql_for(schema_editor.connection.vendor, table):
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(_runner(create_sql), _runner(drop_sql))]
