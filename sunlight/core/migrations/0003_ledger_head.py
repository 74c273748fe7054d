"""Create the single chain-head row, so that the first append can lock it like every other."""

from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("core", "LedgerHead").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
