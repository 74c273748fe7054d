from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """Ex-post publication, redaction, public search and open data (PUB-1..12)."""

    name = "sunlight.publicity"
    label = "publicity"
    verbose_name = _("信息公示")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(empty_decision_pages, sender=self)


def empty_decision_pages(*, using: str, **kwargs: Any) -> None:
    """After `migrate` (every upgrade runs it), empty the store of rendered decision pages (PUB-9, page_cache): it is a
    cache, and the pages an earlier version rendered would never be served by this one (their rendering key holds the
    fingerprint of the code that rendered them), so they would only take room."""
    from django.db import connections

    from .models import DecisionPage

    conn = connections[using]
    table = DecisionPage._meta.db_table
    if table not in conn.introspection.table_names():  # migrated back to before it
        return
    if conn.vendor == "postgresql" and not conn.in_atomic_block:  # a transaction may hold deferred checks of its rows
        with conn.cursor() as cursor:
            cursor.execute(f"TRUNCATE {conn.ops.quote_name(table)}")  # no row by row delete of a large table
    else:
        DecisionPage.objects.using(using).all().delete()
