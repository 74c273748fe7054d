"""REV-7: the reviewer's queue lists open reviews, the oldest submission first, each with its due date in the
warning colours (red past due, yellow in the last stretch, green before); "mine" keeps the reviews assigned to the
reader; nobody sees reviews outside their scope."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from sunlight.core.calendar import Period, WorkCalendar, due_at, yellow_at
from sunlight.core.choices import Unit
from sunlight.core.deadlines import deadlines_tick
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.review import services as s
from sunlight.review.models import Review
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def yellow_moments(now: datetime) -> tuple[datetime, datetime]:
    """An acceptance time in the past and a later moment, before `now`, when its 3-WD clock was yellow (in its last
    working day) and not yet due. (A clock can be yellow now only on a working day; paused at that moment it keeps
    its colour whatever day the test runs.)"""
    calendar = WorkCalendar.load()
    for hours in range(24 * 5, 24 * 20):
        start = now - timedelta(hours=hours)
        due = due_at(calendar, start=start, period=Period(3, Unit.WORKING_DAYS))
        yellow = yellow_at(calendar, due=due, period_amount=3, unit=Unit.WORKING_DAYS, start=start)
        moment = yellow + timedelta(minutes=1)
        if moment < due and moment < now:
            return start, moment
    raise AssertionError("no yellow moment found")


def submitted(desk, at: datetime, accepted: datetime | None) -> Review:
    case = noticed(desk, at)
    review = s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT, now=at)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True, now=at)
    if accepted is not None:
        s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[], now=accepted)
    return review


def rows(html: str) -> list[tuple[str, str]]:
    """(level, review number) of each row of the queue, in order."""
    return re.findall(r'data-testid="review-row" data-level="(\w*)">\s*<td[^>]*><div><a href="[^"]+">([^<]+)</a>', html)


def test_queue_is_oldest_first_with_due_colours_and_mine(desk) -> None:
    now = timezone.now()
    red = submitted(desk, now - timedelta(days=30), accepted=now - timedelta(days=25))
    accepted, turned = yellow_moments(now)
    yellow = submitted(desk, accepted - timedelta(days=1), accepted=accepted)
    deadlines_tick(now=turned)  # the warning job ran while it was yellow
    s.review_pause(acting_user=desk.c.reviewer, review=yellow, reason="征求专家意见", now=turned)
    green = submitted(desk, now - timedelta(days=1), accepted=now)
    waiting = submitted(desk, now - timedelta(hours=1), accepted=None)  # not yet accepted: no clock
    other = staff(Role.LEGAL_REVIEWER, unit=desk.c.legal, username="reviewer_b")
    s.review_assign(acting_user=desk.c.reviewer, review=green, reviewer=other)

    page = logged_in(desk.c.reviewer).get("/workbench/review/").content.decode()
    assert rows(page) == [("red", red.number), ("yellow", yellow.number), ("green", green.number), ("", waiting.number)]
    for words in ("红色预警", "黄色预警", "中止计时", "正常", "未开始计时", "届满"):
        assert words in page, words

    mine = logged_in(other).get("/workbench/review/?mine=on").content.decode()
    assert rows(mine) == [("green", green.number)]
    mine = logged_in(desk.c.reviewer).get("/workbench/review/?mine=on").content.decode()
    assert [n for _l, n in rows(mine)] == [red.number, yellow.number]

    assert rows(logged_in(desk.c.outsider).get("/workbench/review/").content.decode()) == []
    assert len(rows(logged_in(desk.officer).get("/workbench/review/").content.decode())) == 4  # the submitter's own


def test_finished_reviews_leave_the_queue_and_stay_findable(desk, settings, tmp_path) -> None:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        "a": {"url": str(tmp_path / "a"), **blank},
        "b": {"url": str(tmp_path / "b"), **blank},
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    now = timezone.now()
    done = submitted(desk, now - timedelta(days=2), accepted=now - timedelta(days=1))
    s.review_opinion(acting_user=desk.c.reviewer, review=done, outcome="approve", reasons="事实清楚")
    client = logged_in(desk.c.reviewer)
    assert rows(client.get("/workbench/review/").content.decode()) == []
    approved = client.get("/workbench/review/?status=approved").content.decode()
    assert [n for _l, n in rows(approved)] == [done.number] and "同意" in approved
