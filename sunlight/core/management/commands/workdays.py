"""`sunlight workdays add DATE N` and `sunlight workdays between A B`: the working-day engine (SYS-3).

Only the answer goes to stdout; a warning about years without an official schedule goes to stderr. Bad input
ends with a Chinese message on stderr and a non-zero exit.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext

from sunlight.core.calendar import WorkCalendar, unscheduled_warning
from sunlight.core.ids import is_valid_region_code


def _parse_date(raw: str) -> date:
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            gettext("日期“%(value)s”无效，请使用 YYYY-MM-DD 格式，例如 2026-10-08。") % {"value": raw}
        ) from None


def _parse_int(raw: str) -> int:
    try:
        return int(raw.strip(), 10)
    except ValueError:
        raise CommandError(gettext("天数“%(value)s”无效，请输入整数。") % {"value": raw}) from None


class Command(BaseCommand):
    """Working-day arithmetic from the shell."""

    help = "工作日计算：add DATE N 输出 DATE 之后第 N 个工作日；between A B 输出 A 之后至 B（含）的工作日数。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        """`add DATE N` and `between A B`, each with an optional --region."""
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,between}")
        add = actions.add_parser("add", help="输出 DATE 之后第 N 个工作日（起始日不计入）")
        add.add_argument("start", metavar="DATE")
        add.add_argument("n", metavar="N")
        add.add_argument("--region", default="", help="区划代码（6 位或 9 位），默认全国")
        between = actions.add_parser("between", help="输出 A 之后至 B（含 B）的工作日数")
        between.add_argument("a", metavar="A")
        between.add_argument("b", metavar="B")
        between.add_argument("--region", default="", help="区划代码（6 位或 9 位），默认全国")

    def handle(self, *args: Any, **options: Any) -> None:
        """Parse, compute, print the answer and, on stderr, any unscheduled-year warning."""
        region = (options.get("region") or "").strip()
        if region and not is_valid_region_code(region):
            raise CommandError(gettext("区划代码“%(value)s”格式不正确，应为 6 位或 9 位数字。") % {"value": region})
        if options["action"] == "add":
            start, n = _parse_date(options["start"]), _parse_int(options["n"])
            calendar = self._calendar(region)
            try:
                answer = calendar.add_workdays(start, n).isoformat()
            except (OverflowError, ValueError):
                raise CommandError(gettext("计算结果超出可表示的日期范围。")) from None
        else:
            a, b = _parse_date(options["a"]), _parse_date(options["b"])
            calendar = self._calendar(region)
            answer = str(calendar.workdays_between(a, b))
        self.stdout.write(answer)
        warning = unscheduled_warning(calendar.unscheduled_years)
        if warning:
            self.stderr.write(warning)

    def _calendar(self, region: str) -> WorkCalendar:
        try:
            return WorkCalendar.load(region)
        except DatabaseError:
            message = gettext("无法读取日历数据，请先运行 sunlight migrate 初始化数据库。")
            raise CommandError(message) from None
