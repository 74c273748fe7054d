"""SYS-8: `deadlines_tick` / `sunlight tick` write a level only when it changes; a rerun changes nothing."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.choices import DeadlineStatus, Level
from sunlight.core.deadlines import deadline_open, deadline_pause, deadlines_tick, rules_sync
from sunlight.core.models import Deadline, LedgerEntry

pytestmark = pytest.mark.django_db


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.fixture
def deadlines(settings) -> dict[str, Deadline]:  # type: ignore[no-untyped-def]
    settings.SUNLIGHT_DEFAULT_REGION = ""
    rules_sync()

    def make(key: str, start: datetime) -> Deadline:
        return deadline_open(
            rule_code="penalty.hearing_request",
            subject_type="case",
            subject_id=key,
            subject_label=f"案件{key}",
            started_at=start,
            start_event="听证告知书送达",
            now=start,
        )

    return {
        "red": make("red", at(2026, 3, 2, 9)),  # due 10 Mar 00:00
        "yellow": make("yellow", at(2026, 3, 5, 9)),  # last day 12 Mar: yellow from 12 Mar 00:00
        "green": make("green", at(2026, 3, 9, 9)),  # due 17 Mar
        "paused": make("paused", at(2026, 3, 2, 9)),  # same clock as "red"; paused where a test says so
    }


def snapshot() -> list[dict[str, Any]]:
    return list(Deadline.objects.order_by("pk").values())


def test_tick_changes_levels_once(deadlines: dict[str, Deadline]) -> None:
    deadline_pause(deadline=deadlines["paused"], at=at(2026, 3, 3, 9), reason="检测", acting_user=None)
    now = at(2026, 3, 12, 10)
    entries = LedgerEntry.objects.count()

    first = deadlines_tick(now=now)
    assert first == {"open": 3, "changed": 2, "to_green": 0, "to_yellow": 1, "to_red": 1}
    levels = dict(Deadline.objects.values_list("subject_id", "level"))
    assert levels == {"red": Level.RED, "yellow": Level.YELLOW, "green": Level.GREEN, "paused": Level.GREEN}
    changed = LedgerEntry.objects.filter(kind="deadline.level_changed").order_by("seq")
    assert changed.count() == 2
    assert LedgerEntry.objects.count() == entries + 2
    red_entry = changed.get(stream=f"deadline:{deadlines['red'].public_id}")
    assert red_entry.payload["from"] == "green" and red_entry.payload["to"] == "red"
    assert Deadline.objects.get(subject_id="red").level_changed_at == now

    rows = snapshot()
    count = LedgerEntry.objects.count()
    second = deadlines_tick(now=now)
    assert second == {"open": 3, "changed": 0, "to_green": 0, "to_yellow": 0, "to_red": 0}
    assert snapshot() == rows
    assert LedgerEntry.objects.count() == count


def test_level_goes_back_to_green_after_an_extension_moves_due(deadlines: dict[str, Deadline]) -> None:
    from sunlight.core.deadlines import deadline_extend

    deadlines_tick(now=at(2026, 3, 12, 10))
    d = deadline_extend(
        deadline=deadlines["yellow"], amount=5, reason="负责人批准", acting_user=None, now=at(2026, 3, 12, 11)
    )
    assert d.due_at == at(2026, 3, 20)
    assert d.level == Level.GREEN
    assert deadlines_tick(now=at(2026, 3, 12, 12))["changed"] == 0
    # 10 WD from 5 Mar end on 19 Mar; ceil(20% of 10) = 2 WD → yellow from 18 Mar. "green" is overdue.
    result = deadlines_tick(now=at(2026, 3, 19, 0))
    assert (result["to_yellow"], result["to_red"]) == (1, 1)
    assert Deadline.objects.get(subject_id="yellow").level == Level.YELLOW


def test_tick_ignores_finished_deadlines(deadlines: dict[str, Deadline]) -> None:
    Deadline.objects.filter(subject_id="red").update(status=DeadlineStatus.MET)
    result = deadlines_tick(now=at(2026, 3, 12, 10))
    assert result["open"] == 3
    assert result["to_red"] == 1  # only "paused", which runs the same clock but is still open here
    assert Deadline.objects.get(subject_id="red").level == Level.GREEN


def test_tick_command_is_idempotent(deadlines: dict[str, Deadline]) -> None:
    # The real clock is far past March 2026: every running deadline is overdue.
    assert timezone.now() > at(2026, 3, 20)
    out = StringIO()
    call_command("tick", stdout=out)
    assert out.getvalue().strip() == (
        "期限预警更新完成：计时中 4 项，等级变化 4 项（转黄色 0，转红色 4，恢复正常 0）。"
    )
    rows, count = snapshot(), LedgerEntry.objects.count()
    out = StringIO()
    call_command("tick", stdout=out)
    assert "等级变化 0 项" in out.getvalue()
    assert snapshot() == rows
    assert LedgerEntry.objects.count() == count
