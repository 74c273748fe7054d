"""`sunlight tick`: the periodic, idempotent housekeeping that cron or a timer runs.

The registry, catalog and evidence housekeeping first (certificate expiry, yearly clocks, abandoned uploads), then
deadline warning levels (SYS-8), then a signed tree head of the ledger (REC-10) when the ledger grew since the
latest one or that one is 24 hours old, so that the tree head covers what the tick itself recorded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext

from sunlight.catalog.services import benchmark_review_deadlines_open
from sunlight.core.deadlines import deadlines_tick
from sunlight.core.transparency import checkpoint_create
from sunlight.evidence.uploads import uploads_tidy
from sunlight.publicity.report import annual_report_tick
from sunlight.publicity.services import publicity_tick
from sunlight.registry.services import registry_tick


class Command(BaseCommand):
    """Recompute deadline warning levels and checkpoint the ledger; a second run with nothing new changes nothing."""

    help = "定时任务：更新各项期限的预警等级，并在账本有新记录（或距上次超过24小时）时生成签名树头（可重复运行）。"
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the tick for the current time and print a one-line summary (the tree head with -v 2)."""
        now = timezone.now()
        registry_tick(now=now)  # certificate expiry, training and camera-ratio deadlines (PER-1, PER-3, REC-12)
        benchmark_review_deadlines_open(now=now)  # this year's benchmark review clock per agency (DIS-5)
        uploads_tidy(now=now)  # finish uploads whose server died while storing; expire abandoned ones (REC-6)
        publicity_tick(now=now)  # decisions leave the portal five years after publication (PUB-7)
        annual_report_tick(now=now)  # January: last year's report drafts and their deadlines (PUB-10)
        result = deadlines_tick(now=now)
        self.stdout.write(
            gettext(
                "期限预警更新完成：计时中 %(open)d 项，等级变化 %(changed)d 项"
                "（转黄色 %(to_yellow)d，转红色 %(to_red)d，恢复正常 %(to_green)d）。"
            )
            % result
        )
        head = checkpoint_create(now=timezone.now())
        if options["verbosity"] >= 2:
            if head is None:
                self.stdout.write(gettext("账本签名树头：无需更新。"))
            else:
                self.stdout.write(
                    gettext("账本签名树头：已签名 %(size)d 条记录，根哈希 %(root)s。")
                    % {"size": head.tree_size, "root": head.root_hash}
                )
