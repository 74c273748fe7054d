"""`sunlight ledger`: check, checkpoint and export the full-process record (REC-10).

* `verify [--files]`: recompute the hash chain and the signed tree heads; exit 0 when intact, non-zero naming the
  first bad entry. `--files` also re-hashes every stored evidence file (`sunlight.evidence.integrity`).
* `rebuild --check`: rebuild the projected tables from the ledger in memory and list every difference.
* `checkpoint`: sign a tree head now.
* `export FILE [--no-payloads]`: write entries and tree heads as JSON Lines for `tools/verify_ledger.py`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from sunlight.core.ledger import ledger_verify
from sunlight.core.projections import rebuild_check
from sunlight.core.transparency import checkpoint_create, ledger_export

EVIDENCE_INTEGRITY = "sunlight.evidence.integrity"


def _problem_text(problem: Any) -> str:
    """One evidence problem as a line: a dict with `sha256` and `message`, or an object that prints itself."""
    if isinstance(problem, dict):
        return f"{problem.get('sha256', '')}: {problem.get('message', '')}"
    return str(problem)


class Command(BaseCommand):
    """The ledger's maintenance commands; each exits non-zero when it finds a problem."""

    help = (
        "全过程记录（账本）工具。verify：校验哈希链和签名树头（--files 同时校验存储的文件）；"
        "rebuild --check：由账本重建当前状态并列出差异；checkpoint：立即生成签名树头；export：导出供独立校验。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验哈希链和签名树头")
        verify.add_argument("--files", action="store_true", help="同时重新计算存储文件的哈希")
        rebuild = sub.add_parser("rebuild", help="由账本重建当前状态表")
        rebuild.add_argument("--check", action="store_true", help="只比较并列出差异，不修改任何数据")
        sub.add_parser("checkpoint", help="立即生成一个签名树头")
        export = sub.add_parser("export", help="导出记录和签名树头（JSON Lines），供 tools/verify_ledger.py 校验")
        export.add_argument("file", help="输出文件；- 表示标准输出")
        export.add_argument("--no-payloads", action="store_true", help="不导出记录内容（只导出哈希）")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the subcommand."""
        action = options["action"]
        if action == "verify":
            self._verify(files=options["files"])
        elif action == "rebuild":
            self._rebuild(check=options["check"])
        elif action == "checkpoint":
            self._checkpoint()
        elif action == "export":
            self._export(options["file"], payloads=not options["no_payloads"])

    def _verify(self, *, files: bool) -> None:
        result = ledger_verify()
        if not result.ok:
            if result.bad_seq is None:
                raise CommandError(gettext("账本校验失败：%(reason)s。") % {"reason": result.reason})
            raise CommandError(
                gettext("账本校验失败：第 %(seq)d 条记录异常（%(reason)s）；此前 %(checked)d 条完好。")
                % {"seq": result.bad_seq, "reason": result.reason, "checked": result.checked}
            )
        message = gettext("账本完好：共 %(n)d 条记录，哈希链一致。") % {"n": result.checked}
        if result.tree_heads:
            message += gettext("%(n)d 个签名树头的签名、根哈希均相符。") % {"n": result.tree_heads}
        self.stdout.write(message)
        if files:
            self._verify_files()

    def _verify_files(self) -> None:
        if importlib.util.find_spec(EVIDENCE_INTEGRITY.rsplit(".", 1)[0]) is None:
            self.stdout.write(gettext("尚无证据存储（sunlight.evidence），没有需要校验的文件。"))
            return
        if importlib.util.find_spec(EVIDENCE_INTEGRITY) is None:
            self.stdout.write(gettext("证据存储尚未提供文件校验（sunlight.evidence.integrity），未校验文件。"))
            return
        problems = list(importlib.import_module(EVIDENCE_INTEGRITY).verify_all_files())
        if problems:
            for problem in problems:
                self.stderr.write(_problem_text(problem))
            raise CommandError(gettext("文件校验失败：%(n)d 个文件有问题。") % {"n": len(problems)})
        self.stdout.write(gettext("存储的文件完好：哈希均与记录一致。"))

    def _rebuild(self, *, check: bool) -> None:
        if not check:
            raise CommandError(
                gettext(
                    "只支持 --check：当前状态表由各业务功能写入，此命令只比较、不改写。用法：sunlight ledger rebuild --check"
                )
            )
        differences = rebuild_check()
        for difference in differences:
            self.stdout.write(difference.message())
        if differences:
            raise CommandError(gettext("当前状态与账本不一致：共 %(n)d 处差异。") % {"n": len(differences)})
        self.stdout.write(gettext("当前状态与账本一致（期限、行政区划、执法主体、承办机构）。"))

    def _checkpoint(self) -> None:
        head = checkpoint_create(force=True)
        if head is None:
            raise CommandError(gettext("账本为空，没有可签名的记录。"))
        self.stdout.write(
            gettext("已生成签名树头：%(size)d 条记录，根哈希 %(root)s。")
            % {"size": head.tree_size, "root": head.root_hash}
        )

    def _export(self, path: str, *, payloads: bool) -> None:
        if path == "-":
            result = ledger_export(sys.stdout, payloads=payloads)
        else:
            with open(path, "w", encoding="utf-8") as out:
                result = ledger_export(out, payloads=payloads)
        self.stderr.write(
            gettext("已导出 %(entries)d 条记录和 %(heads)d 个签名树头。")
            % {"entries": result.entries, "heads": result.tree_heads}
        )
