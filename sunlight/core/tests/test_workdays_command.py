"""SYS-3: `sunlight workdays add|between` print the engine's answer; bad input exits non-zero in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sunlight.core.choices import DayKind
from sunlight.core.models import CalendarOverride

SUNLIGHT = Path(sys.executable).with_name("sunlight")


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add", "2026-09-30", "1"), "2026-10-08\n"),
        (("add", "2026-10-09", "1"), "2026-10-10\n"),
        (("add", "2026-10-08", "0"), "2026-10-08\n"),
        (("add", "2026-10-08", "-1"), "2026-09-30\n"),
        (("add", "2026-02-13", "5"), "2026-02-27\n"),  # 14 Feb (make-up), then 24-27 Feb
        (("between", "2026-09-30", "2026-10-08"), "1\n"),
        (("between", "2026-10-08", "2026-09-30"), "-1\n"),
        (("between", "2026-01-01", "2026-01-31"), "21\n"),  # make-up Sunday 4 Jan + 4 full weeks
    ],
)
def test_answers(args: tuple[str, ...], expected: str) -> None:
    assert run(*args) == (expected, "")


@pytest.mark.django_db
def test_region_option_applies_local_holidays() -> None:
    CalendarOverride.objects.create(region_code="341221", date=date(2026, 10, 8), kind=DayKind.RESTDAY, name="地方")
    assert run("add", "2026-09-30", "1", "--region", "341221100")[0] == "2026-10-09\n"
    assert run("add", "2026-09-30", "1", "--region", "341222")[0] == "2026-10-08\n"
    assert run("between", "2026-09-30", "2026-10-09", "--region", "341221")[0] == "1\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-13-01", "1"), "日期“2026-13-01”无效"),
        (("add", "2026/10/01", "1"), "日期“2026/10/01”无效"),
        (("add", "2026-1-1", "1"), "日期“2026-1-1”无效"),
        (("add", "2026-10-01", "abc"), "天数“abc”无效，请输入整数。"),
        (("add", "2026-10-01", "1.5"), "天数“1.5”无效"),
        (("between", "2026-10-01", "tomorrow"), "日期“tomorrow”无效"),
        (("add", "2026-10-01", "1", "--region", "34122X"), "区划代码“34122X”格式不正确"),
        (("add", "9999-12-30", "10"), "超出可表示的日期范围"),
    ],
)
def test_bad_input_raises_a_chinese_command_error(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as err:
        run(*args)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2026-02-30", "1"], "日期“2026-02-30”无效，请使用 YYYY-MM-DD 格式"),
        (["add", "2026-10-01", "x"], "天数“x”无效，请输入整数。"),
        (["between", "2026-10-01", "2026-10-08", "--region", "12"], "区划代码“12”格式不正确"),
    ],
)
def test_console_script_exits_non_zero_with_message_on_stderr(args: list[str], message: str) -> None:
    assert SUNLIGHT.exists()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sunlight.settings"}
    proc = subprocess.run(  # noqa: S603 - fixed executable, arguments from this test
        [str(SUNLIGHT), "workdays", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert proc.returncode != 0
    assert message in proc.stderr
    assert proc.stdout == ""
