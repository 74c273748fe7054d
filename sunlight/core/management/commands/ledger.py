"""`sunlight ledger verify`: recompute the hash chain (REC-10); exit 0 when intact, non-zero naming the first bad entry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sunlight.core.ledger import ledger_verify


class Command(BaseCommand):
    help = "全过程记录（账本）工具。verify：重新计算哈希链，完整时退出码为0，否则指出第一条异常记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验哈希链")

    def handle(self, *args: Any, **options: Any) -> None:
        result = ledger_verify()
        if not result.ok:
            raise CommandError(
                f"账本校验失败：第 {result.bad_seq} 条记录异常（{result.reason}）；此前 {result.checked} 条完好。"
            )
        self.stdout.write(f"账本完好：共 {result.checked} 条记录，哈希链一致。")
