"""SYS-8: each user sees their own yellow and red warnings; heads and supervisors see counts per agency and level."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sunlight.core.deadlines import deadline_complete, deadline_open, deadlines_tick, rules_sync
from sunlight.core.errors import Forbidden
from sunlight.workbench.selectors import my_warning_counts, my_warnings, warning_rollup

pytestmark = pytest.mark.django_db


@pytest.fixture
def clocks(county):
    rules_sync()
    now = timezone.now()

    def open_(who, days_ago, label, rule="penalty.case", agency=None):
        return deadline_open(
            rule_code=rule,
            subject_type="test",
            subject_id=label,
            subject_label=label,
            started_at=now - timedelta(days=days_ago),
            start_event="立案",
            agency=agency or who.agency,
            unit=who.unit,
            responsible=who,
            now=now,
        )

    return {
        "red": open_(county.officer, 120, "逾期案"),
        "yellow": open_(county.officer, 85, "临期案"),
        "green": open_(county.officer, 1, "新案"),
        "colleague": open_(county.officer_b, 120, "同事逾期案"),
        "neighbour": open_(county.other_officer, 120, "邻县逾期案"),
    }


def test_my_warnings_are_mine_and_coloured(county, clocks):
    assert my_warning_counts(county.officer) == {"yellow": 1, "red": 1}
    assert [d.subject_label for d in my_warnings(county.officer)] == ["逾期案", "临期案"]
    assert [d.subject_label for d in my_warnings(county.officer, level="red")] == ["逾期案"]


def test_completed_deadlines_leave_the_list(county, clocks):
    deadline_complete(deadline=clocks["red"], at=timezone.now(), acting_user=county.officer)
    assert my_warning_counts(county.officer) == {"yellow": 1, "red": 0}


def test_rollup_counts_per_agency_within_scope(county, clocks):
    levels = warning_rollup(county.supervisor)
    assert [lvl.level for lvl in levels] == ["county"]
    rows = {r.agency.name: (r.yellow, r.red) for r in levels[0].rows}
    assert rows == {"临泉县市场监督管理局": (1, 2)}  # the neighbouring county is outside the supervisor's scope

    city_view = {r.agency.name: (r.yellow, r.red) for r in warning_rollup(county.admin)[0].rows}
    assert city_view["太和县市场监督管理局"] == (0, 1)


def test_unit_head_rollup_counts_only_the_unit(county, clocks):
    rows = {r.agency.name: (r.yellow, r.red) for r in warning_rollup(county.unit_head)[0].rows}
    assert rows == {"临泉县市场监督管理局": (1, 1)}


def test_officers_have_no_rollup(county, clocks):
    with pytest.raises(Forbidden):
        warning_rollup(county.officer)


def test_pages_and_api_show_the_same_numbers(county, clocks):
    client = Client()
    client.force_login(county.officer)
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="yellow-count">1<' in home and 'data-testid="red-count">1<' in home
    page = client.get("/workbench/warnings/?level=yellow").content.decode()
    assert "临期案" in page and "逾期案" not in page
    api = client.get("/api/v1/warnings/mine").json()
    assert [(w["subject_label"], w["level"]) for w in api] == [("逾期案", "red"), ("临期案", "yellow")]

    supervisor = Client()
    supervisor.force_login(county.supervisor)
    rollup = supervisor.get("/api/v1/warnings/rollup").json()
    assert rollup[0]["agencies"][0]["red"] == 2
    assert "临泉县市场监督管理局" in supervisor.get("/workbench/warnings/rollup/").content.decode()


def test_tick_moves_a_clock_from_green_to_yellow_to_red(county):
    rules_sync()
    start = timezone.now()
    clock = deadline_open(
        rule_code="penalty.case",
        subject_type="test",
        subject_id="t",
        subject_label="t",
        started_at=start,
        start_event="立案",
        agency=county.officer.agency,
        responsible=county.officer,
        now=start,
    )
    assert clock.level == "green"
    deadlines_tick(now=clock.yellow_at)
    assert my_warning_counts(county.officer) == {"yellow": 1, "red": 0}
    deadlines_tick(now=clock.due_at)
    assert my_warning_counts(county.officer) == {"yellow": 0, "red": 1}


def test_audit_is_limited_to_the_supervisors_county(county):
    from sunlight.accounts.services import login_check
    from sunlight.workbench.selectors import audit_entries_visible_to

    login_check(username="officer_a", password="wrong")
    login_check(username="officer_other", password="wrong")
    login_check(username="nobody", password="wrong")
    seen = {e.actor for e in audit_entries_visible_to(county.supervisor, kind_prefix="auth.")}
    assert seen == {f"user:{county.officer.public_id}"}
    everyone = {e.actor for e in audit_entries_visible_to(county.admin, kind_prefix="auth.")}
    assert {f"user:{county.other_officer.public_id}", "anonymous"} <= everyone


def test_rollup_page_marks_only_its_own_module_as_current(county, clocks):
    client = Client()
    client.force_login(county.supervisor)
    page = client.get("/workbench/warnings/rollup/").content.decode()
    assert page.count('aria-current="page"') == 1
    assert 'href="/workbench/warnings/rollup/" aria-current="page"' in page
