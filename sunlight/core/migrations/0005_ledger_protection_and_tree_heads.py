"""REC-10: signed tree heads, and database triggers that refuse UPDATE and DELETE on the ledger and the tree heads.

The triggers are `sunlight.core.protect`'s. They are run here with no query parameters: the PostgreSQL function body
contains `%` (RAISE's placeholders), which psycopg would read as parameter markers if the statement were executed
with an (empty) parameter list, as `protect.append_only` does at the time of writing.
"""

from django.db import migrations, models

from sunlight.core.protect import create_sql, drop_sql

TABLES = ("core_ledgerentry", "core_treehead")


def _runner(sql_for):
    def run(apps, schema_editor):
        for table in TABLES:
            for statement in sql_for(schema_editor.connection.vendor, table):
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0004_deadline_rules")]

    operations = [
        migrations.CreateModel(
            name="TreeHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tree_size", models.BigIntegerField(db_index=True)),
                ("root_hash", models.CharField(max_length=64)),
                ("chain_hash", models.CharField(max_length=64)),
                ("timestamp", models.DateTimeField()),
                ("public_key", models.CharField(max_length=64)),
                ("signature", models.CharField(max_length=128)),
            ],
            options={"verbose_name": "签名树头", "verbose_name_plural": "签名树头", "ordering": ["-id"]},
        ),
        migrations.RunPython(_runner(create_sql), _runner(drop_sql)),
    ]
