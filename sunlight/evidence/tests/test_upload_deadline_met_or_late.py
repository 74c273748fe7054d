"""REC-6: every AV record gets a 24-hour upload deadline in the deadline engine (from the end of the recording, or
from the return for field work), with warnings; storing the file completes it, met or late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sunlight.core.choices import DeadlineStatus, Level
from sunlight.core.deadlines import deadlines_tick
from sunlight.core.models import LedgerEntry
from sunlight.evidence.selectors import record_deadline

from .factories import logged_in, make_video, register, upload

pytestmark = pytest.mark.django_db


def test_the_deadline_runs_24_hours_from_the_end_of_the_recording(county):
    record = register(county.officer, ended_hours_ago=2)
    deadline = record_deadline(record)
    assert deadline.rule.code == "records.av_upload"
    assert deadline.due_at == record.recorded_to + timedelta(hours=24)
    assert (deadline.responsible, deadline.agency, deadline.unit) == (
        county.officer,
        county.unit_a.agency,
        county.unit_a,
    )
    assert deadline.status == DeadlineStatus.OPEN and deadline.level == Level.GREEN
    assert deadline.start_event == "录制结束"


def test_field_work_counts_from_the_return(county):
    returned = timezone.now() - timedelta(hours=1)
    record = register(county.officer, ended_hours_ago=40, field_work=True, returned_at=returned)
    deadline = record_deadline(record)
    assert deadline.due_at == returned + timedelta(hours=24)
    assert deadline.start_event == "外出执法返回单位"
    upload(logged_in(county.officer), record, make_video(50_000))
    assert record_deadline(record).status == DeadlineStatus.MET


def test_upload_in_time_is_met(county):
    record = register(county.officer, ended_hours_ago=3)
    upload(logged_in(county.officer), record, make_video(50_000))
    deadline = record_deadline(record)
    assert deadline.status == DeadlineStatus.MET
    completed = LedgerEntry.objects.get(stream=f"deadline:{deadline.public_id}", kind="deadline.completed")
    assert completed.payload["status"] == "met"


def test_upload_after_24_hours_is_late_and_was_red_before(county):
    record = register(county.officer, ended_hours_ago=30)
    assert record_deadline(record).level == Level.RED  # overdue from the moment it was registered
    upload(logged_in(county.officer), record, make_video(50_000))
    assert record_deadline(record).status == DeadlineStatus.LATE


def test_warnings_turn_yellow_then_red_while_nothing_is_uploaded(county):
    record = register(county.officer, ended_hours_ago=1)
    deadline = record_deadline(record)
    deadlines_tick(now=deadline.yellow_at + timedelta(minutes=1))
    assert record_deadline(record).level == Level.YELLOW
    deadlines_tick(now=deadline.due_at + timedelta(minutes=1))
    assert record_deadline(record).level == Level.RED


def test_a_second_file_does_not_complete_the_deadline_twice(county):
    record = register(county.officer)
    client = logged_in(county.officer)
    upload(client, record, make_video(40_000))
    upload(client, record, make_video(40_000))
    deadline = record_deadline(record)
    assert LedgerEntry.objects.filter(stream=f"deadline:{deadline.public_id}", kind="deadline.completed").count() == 1
