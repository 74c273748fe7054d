"""SYS-8: when a rule's deadlines turn yellow is configurable per rule, and running deadlines follow at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sunlight.core.deadlines import deadline_open
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import DeadlineRule, LedgerEntry
from sunlight.core.services import deadline_rule_update

pytestmark = pytest.mark.django_db


def test_raising_the_threshold_turns_a_running_deadline_yellow(county, client):
    now = timezone.now()
    clock = deadline_open(
        rule_code="penalty.case",
        subject_type="test",
        subject_id="1",
        subject_label="案",
        started_at=now - timedelta(days=50),
        start_event="立案",
        agency=county.unit_a.agency,
        responsible=county.officer,
        now=now,
    )
    assert clock.level == "green"  # 40 of 90 days left; yellow from 18 days left
    client.force_login(county.admin)
    rule = DeadlineRule.objects.get(code="penalty.case")
    response = client.post(f"/workbench/calendar/rules/{rule.code}/", {"yellow_percent": "50", "yellow_min": "1"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.level == "yellow"
    assert LedgerEntry.objects.filter(kind="calendar.rule_updated").count() == 1
    assert LedgerEntry.objects.filter(kind="deadline.recomputed", payload__reason="rule_changed").count() == 1
    page = client.get("/workbench/calendar/rules/").content.decode()
    assert "剩余 50% 或 1 个单位" in page and "《行政处罚法》第60条" in page


def test_bad_values_and_non_administrators_are_refused(county, client):
    rule = DeadlineRule.objects.get(code="penalty.case")
    with pytest.raises(ServiceError):
        deadline_rule_update(acting_user=county.admin, rule=rule, yellow_percent=120, yellow_min=1)
    with pytest.raises(Forbidden):
        deadline_rule_update(acting_user=county.officer, rule=rule, yellow_percent=30, yellow_min=1)
    rule.refresh_from_db()
    assert (rule.yellow_percent, rule.yellow_min) == (20, 1)
    client.force_login(county.officer)
    assert client.get("/workbench/calendar/rules/").status_code == 200  # reading the law is for everyone
    assert client.get(f"/workbench/calendar/rules/{rule.code}/").status_code == 403
    assert client.get("/workbench/calendar/rules/no.such.rule/").status_code in (403, 404)
