"""Histories that are never changed get the append-only triggers (REC-10); ship the registry's deadline rules."""

from django.db import migrations

from sunlight.core.protect import append_only


def sync_rules(apps, schema_editor):
    from sunlight.core.deadlines import rules_sync

    rules_sync(rule_model=apps.get_model("core", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial"), ("core", "0004_deadline_rules")]
    operations = [
        append_only("registry_certificatestatuschange"),
        append_only("registry_annualreview"),
        append_only("registry_sanction"),
        append_only("registry_trainingrecord"),
        append_only("registry_cameracheck"),
        migrations.RunPython(sync_rules, migrations.RunPython.noop),
    ]
