"""Ship the statutory deadline rules (SYS-8): rows that exist (perhaps edited by an administrator) stay as they are."""

from django.db import migrations


def sync_rules(apps, schema_editor):
    from sunlight.core.deadlines import rules_sync

    rules_sync(rule_model=apps.get_model("core", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_ledger_head")]
    operations = [migrations.RunPython(sync_rules, migrations.RunPython.noop)]
