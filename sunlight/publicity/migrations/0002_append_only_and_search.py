"""Publicity rows that carry legal weight are append-only (REC-10); the search indexes of ADR 0009.

- Append-only: the source as received, every version, revocation requests, withdrawals, correction requests, their
  evidence and decisions (UPDATE and DELETE refused by the triggers of `sunlight.core.protect`).
- PostgreSQL: pg_trgm (a trusted extension: the database owner may create it) with a GIN trigram index on the search
  text for queries of three or more characters, and a GIN index on the bigram codes for two-character queries.
- SQLite: an FTS5 table with the trigram tokenizer over the search text (external content: the text lives once, in
  publicity_searchentry; the services keep the index in step when they add or remove an entry).
"""

from django.db import migrations

from sunlight.core.protect import create_sql, drop_sql

APPEND_ONLY_TABLES = (
    "publicity_publicationsource",
    "publicity_publicationversion",
    "publicity_revocationrequest",
    "publicity_withdrawal",
    "publicity_correctionrequest",
    "publicity_correctionevidence",
    "publicity_correctiondecision",
)

SEARCH_SQL = {
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS publicity_se_text_trgm ON publicity_searchentry USING gin (text gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS publicity_se_bigrams ON publicity_searchentry USING gin (bigrams)",
    ],
    "sqlite": [
        "CREATE VIRTUAL TABLE IF NOT EXISTS publicity_fts USING fts5("
        "text, content='publicity_searchentry', content_rowid='id', tokenize='trigram')",
    ],
}
SEARCH_DROP_SQL = {
    "postgresql": ["DROP INDEX IF EXISTS publicity_se_text_trgm", "DROP INDEX IF EXISTS publicity_se_bigrams"],
    "sqlite": ["DROP TABLE IF EXISTS publicity_fts"],
}


def _protect(sql_for):
    def run(apps, schema_editor):
        for table in APPEND_ONLY_TABLES:
            for statement in sql_for(schema_editor.connection.vendor, table):
                schema_editor.execute(statement, params=None)

    return run


def _search(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial")]
    operations = [
        migrations.RunPython(_protect(create_sql), _protect(drop_sql)),
        migrations.RunPython(_search(SEARCH_SQL), _search(SEARCH_DROP_SQL)),
    ]
