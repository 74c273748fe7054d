"""The workbench queue (login): only the user's agencies, drafts by due time with their warning colour."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.publicity.tests.factories import make_draft, publisher

pytestmark = pytest.mark.django_db


def test_each_user_sees_their_agencys_queue(county, client):
    ours = make_draft(county, title="本局案件", decided_on=date(2026, 1, 5))
    fresh = make_draft(county, title="今天的案件", decided_on=timezone.localdate())
    theirs = make_draft(county, agency=county.other_unit.agency, title="外县案件")
    client.force_login(publisher(county))
    html = client.get("/workbench/publicity/").content.decode()
    assert "本局案件" in html and "今天的案件" in html and "外县案件" not in html
    assert html.index("本局案件") < html.index("今天的案件")  # the most urgent first
    assert 'class="badge level-red"' in html and 'class="badge level-green"' in html
    assert client.get(f"/workbench/publicity/{theirs.public_id}/").status_code == 404
    assert client.get(f"/workbench/publicity/{ours.public_id}/confirm/").status_code == 200

    # A county justice supervisor sees the whole county (read only); an officer sees no queue.
    client.force_login(county.supervisor)
    html = client.get("/workbench/publicity/").content.decode()
    assert "本局案件" in html and "外县案件" not in html
    assert "确认并发布" not in client.get(f"/workbench/publicity/{fresh.public_id}/confirm/").content.decode()
    client.force_login(county.officer)
    assert "本局案件" not in client.get("/workbench/publicity/").content.decode()
    assert client.get(f"/workbench/publicity/{ours.public_id}/").status_code == 404


def test_the_module_is_in_the_workbench_navigation(county, client):
    client.force_login(staff(Role.LEGAL_REVIEWER, unit=county.unit_b, username="rev_nav"))
    html = client.get("/workbench/").content.decode()
    assert 'href="/workbench/publicity/"' in html and "信息公示" in html
    assert client.get("/workbench/publicity/", follow=False).status_code == 200
    client.logout()
    assert client.get("/workbench/publicity/").status_code == 302  # login first
