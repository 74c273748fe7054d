"""`sunlight tick`: the periodic, idempotent housekeeping that cron or a timer runs (SYS-8 warning levels)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext

from sunlight.core.deadlines import deadlines_tick


class Command(BaseCommand):
    """Recompute deadline warning levels; a second run with nothing new to do changes nothing."""

    help = "定时任务：更新各项期限的预警等级（可重复运行）。"
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the tick for the current time and print a one-line summary."""
        result = deadlines_tick(now=timezone.now())
        self.stdout.write(
            gettext(
                "期限预警更新完成：计时中 %(open)d 项，等级变化 %(changed)d 项"
                "（转黄色 %(to_yellow)d，转红色 %(to_red)d，恢复正常 %(to_green)d）。"
            )
            % result
        )
