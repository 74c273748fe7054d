"""PUB-5: `sunlight redact` reads a decision on stdin and writes it redacted on stdout; --changes lists the changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SUNLIGHT = Path(sys.executable).with_name("sunlight")

DECISION = "当事人张三，身份证号11010519491231002X，住临泉县城关镇张庄村。执法人员李四。\r\n罚款5000元。\n"
REDACTED = "当事人张某，身份证号******************，住临泉县。执法人员李四。\r\n罚款5000元。\n"


def sunlight(*args: str, stdin: bytes, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sunlight.settings", "SUNLIGHT_VAR_DIR": str(tmp_path)}
    return subprocess.run(  # noqa: S603 - fixed executable, arguments from this test
        [str(SUNLIGHT), "redact", *args], input=stdin, capture_output=True, env=env, timeout=60, check=False
    )


def test_console_script_redacts_stdin_to_stdout_byte_for_byte(tmp_path: Path) -> None:
    proc = sunlight("--person", "张三", "--keep", "李四", stdin=DECISION.encode(), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == REDACTED.encode()  # CRLF and the final newline pass through
    assert proc.stderr == b""


def test_changes_option_writes_json_to_stderr(tmp_path: Path) -> None:
    proc = sunlight("--person", "张三", "--changes", stdin=DECISION.encode(), tmp_path=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == REDACTED.encode()
    changes = json.loads(proc.stderr.decode("utf-8"))
    assert [(c["kind"], c["original"], c["replacement"]) for c in changes] == [
        ("person", "张三", "张某"),
        ("id_number", "11010519491231002X", "*" * 18),
        ("address", "城关镇张庄村", ""),
    ]
    assert DECISION[changes[0]["start"] : changes[0]["end"]] == "张三"


def test_invalid_utf8_is_refused_in_chinese(tmp_path: Path) -> None:
    proc = sunlight(stdin="张三".encode("gbk"), tmp_path=tmp_path)
    assert proc.returncode != 0
    assert proc.stdout == b""
    assert "标准输入不是有效的 UTF-8 文本" in proc.stderr.decode("utf-8")


def test_help_is_in_chinese(tmp_path: Path) -> None:
    proc = sunlight("--help", stdin=b"", tmp_path=tmp_path)
    assert proc.returncode == 0
    help_text = proc.stdout.decode("utf-8")
    assert "隐名处理" in help_text
    assert "保留姓氏" in help_text


@pytest.mark.parametrize("text", ["", "没有任何个人信息的文本。"])
def test_text_without_personal_data_passes_unchanged(text: str) -> None:
    out, err = StringIO(), StringIO()
    call_command("redact", stdin=StringIO(text), stdout=out, stderr=err)
    assert (out.getvalue(), err.getvalue()) == (text, "")


def test_call_command_with_persons_and_changes() -> None:
    out, err = StringIO(), StringIO()
    call_command("redact", "--person", "欧阳娜娜", "--changes", stdin=StringIO("证人欧阳娜娜"), stdout=out, stderr=err)
    assert out.getvalue() == "证人欧阳某"
    assert json.loads(err.getvalue())[0]["replacement"] == "欧阳某"
