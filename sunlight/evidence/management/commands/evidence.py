"""`sunlight evidence scrub|verify|tidy`: keep the two-copy evidence store sound (REC-6, REC-10).

scrub   re-hash every copy of every file; rewrite a bad or missing copy from its verified twin (ledger entries);
        exit non-zero when a copy could not be repaired.
verify  the same checks without changing anything (also run by `sunlight ledger verify --files`); exit non-zero
        on any problem.
tidy    finish uploads whose server died while storing them; expire abandoned uploads (cron or `sunlight tick`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sunlight.evidence.integrity import verify_all_files
from sunlight.evidence.services import evidence_scrub
from sunlight.evidence.uploads import uploads_tidy


class Command(BaseCommand):
    help = "音像证据存储维护。scrub：巡检并修复副本；verify：只校验不修改；tidy：清理中断或过期的上传。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("scrub", help="重新计算每个副本的 SHA-256，用完好副本修复损坏副本")
        sub.add_parser("verify", help="只校验，不修改")
        sub.add_parser("tidy", help="完成中断的入库，清理过期的上传")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "scrub":
            report = evidence_scrub()
            for sha, store in report.repaired:
                self.stdout.write(f"已修复：{sha} 的副本 {store.upper()}")
            for sha, store in report.unrecoverable:
                self.stderr.write(f"无法修复：{sha} 的副本 {store.upper()}")
            summary = (
                f"巡检完成：共 {report.checked} 个文件，{report.intact} 个完好，"
                f"修复 {len(report.repaired)} 个副本，无法修复 {len(report.unrecoverable)} 个副本。"
            )
            if report.unrecoverable:
                raise CommandError(summary)
            self.stdout.write(summary)
        elif action == "verify":
            problems = verify_all_files()
            for problem in problems:
                self.stderr.write(str(problem))
            if problems:
                raise CommandError(f"证据文件校验失败：发现 {len(problems)} 个问题。")
            self.stdout.write("证据文件完好：每个文件的两个副本均与其 SHA-256 一致。")
        else:
            counts = uploads_tidy()
            self.stdout.write(
                f"上传清理完成：完成入库 {counts['recovered']} 个，恢复为可续传 {counts['reset']} 个，"
                f"过期 {counts['expired']} 个，删除残留临时文件 {counts['removed']} 个。"
            )
