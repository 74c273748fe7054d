"""Review events and accountability records are never changed or removed (REC-10, REV-13)."""

from django.db import migrations

from sunlight.core.protect import append_only


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]
    operations = [append_only("review_reviewevent"), append_only("review_accountabilityrecord")]
