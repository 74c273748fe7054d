"""Requests, decisions and the access log are never changed or removed (REC-10, REC-11)."""

from django.db import migrations

from sunlight.core.protect import append_only


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [
        append_only("access_accessrequest"),
        append_only("access_accessdecision"),
        append_only("access_accesslog"),
    ]
