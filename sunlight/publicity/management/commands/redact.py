"""`sunlight redact [--person NAME]... [--keep NAME]... [--changes]`: redact a decision from stdin to stdout (PUB-5).

The text is read from standard input as UTF-8 and written back redacted, byte for byte otherwise (line endings and a
byte-order mark pass through). With --changes, the list of changes goes to standard error as JSON (it contains the
personal data that was removed: keep it out of logs). No database is needed.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from dataclasses import asdict
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from sunlight.publicity.redaction import redact


def _read(source: IO[Any]) -> str:
    raw = source.buffer.read() if hasattr(source, "buffer") else source.read()
    if isinstance(raw, str):
        return raw
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        message = gettext("标准输入不是有效的 UTF-8 文本（第 %(position)d 个字节处出错）。")
        raise CommandError(message % {"position": exc.start + 1}) from None


def _write(target: IO[Any] | None, fallback: Any, text: str) -> None:
    """Write `text` as UTF-8 to the real stream when there is one, else to the command's own wrapper."""
    if target is not None and hasattr(target, "buffer"):
        target.buffer.write(text.encode("utf-8"))
        target.flush()
    else:
        fallback.write(text, ending="")


class Command(BaseCommand):
    """Redaction from the shell."""

    help = (
        "隐名处理：从标准输入读取文书文本（UTF-8），将自然人姓名、身份证号、电话、银行卡号、电子邮箱和县级以下"
        "详细地址隐去后写到标准输出。自动隐名的结果须经人工核对后方可公开。"
    )
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        """--person and --keep (both repeatable), --changes."""
        parser.add_argument(
            "--person",
            action="append",
            default=[],
            metavar="姓名",
            help="案件中的自然人姓名（可重复）：保留姓氏，名字替换为“某”",
        )
        parser.add_argument(
            "--keep",
            action="append",
            default=[],
            metavar="名称",
            help="不得改动的名称（可重复），如执法人员姓名、法人或其他组织名称",
        )
        parser.add_argument(
            "--changes",
            action="store_true",
            help="同时将改动清单以 JSON 格式写到标准错误（含被隐去的原文，注意保密）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Read, redact, write."""
        source = options.get("stdin") or sys.stdin
        text = _read(source)
        result = redact(text, persons=options["person"], keep=options["keep"])
        _write(sys.stdout if options.get("stdout") is None else None, self.stdout, result.text)
        if options["changes"]:
            listing = json.dumps([asdict(c) for c in result.changes], ensure_ascii=False, indent=1)
            _write(sys.stderr if options.get("stderr") is None else None, self.stderr, listing + "\n")
