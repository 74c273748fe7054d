"""Case records, AV links, conflicts, recusal decisions, documents, archives and pushes are never changed or removed
(REC-10)."""

from django.db import migrations

from sunlight.core.protect import append_only


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [
        append_only("cases_caserecord"),
        append_only("cases_recordav"),
        append_only("cases_conflictdeclaration"),
        append_only("cases_recusaldecision"),
        append_only("cases_casedocument"),
        append_only("cases_casearchive"),
        append_only("cases_pushreceipt"),
    ]
