"""`sunlight publicity_reindex`: rebuild the portal's search index from the versions in force (after a restore, a bulk
import or an upgrade of the search text), idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext

from sunlight.publicity.search import backend_name, index_rebuild


class Command(BaseCommand):
    """Rebuild SearchEntry (and the FTS5 table on SQLite, the bigram codes on PostgreSQL)."""

    help = "重建公示检索索引（恢复备份、批量导入或升级后运行；可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = index_rebuild()
        self.stdout.write(
            gettext("检索索引已重建：%(count)d 条公示（%(backend)s）。") % {"count": count, "backend": backend_name()}
        )
