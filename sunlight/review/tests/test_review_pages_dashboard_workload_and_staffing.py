"""REV-7, REV-11: the department dashboard shows the open reviews per reviewer, the clocks by colour, the average
time from acceptance to opinion, the outcomes, and warns when an agency has fewer reviewers than 5 % of its officers
or 2; officers without the roll-up capability are refused."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from sunlight.org.models import Agency
from sunlight.review import services as s
from sunlight.review.models import ReviewPolicy
from sunlight.review.selectors import staffing
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed
from sunlight.review.tests.test_review_opinion_document import stores_dirs  # noqa: F401  (fixture)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_figures_and_staffing_warning(desk, stores_dirs) -> None:  # noqa: F811
    now = timezone.now()
    done = s.review_submit(acting_user=desk.officer, case=noticed(desk, now), draft=MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=done, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=done, missing=[], now=now - timedelta(hours=6))
    s.review_opinion(acting_user=desk.c.reviewer, review=done, outcome="change", reasons="补充裁量理由", now=now)
    late = s.review_submit(acting_user=desk.officer, case=noticed(desk, now), draft=MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=late, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=late, missing=[], now=now - timedelta(days=20))

    response = logged_in(desk.c.reviewer).get("/workbench/review/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="open-count">1<' in html
    assert 'data-testid="level-red">1<' in html and 'data-testid="level-green">0<' in html  # 20 days past: red now
    assert f'<a href="/workbench/review/{late.public_id}/">{late.number}</a>' in html  # in the due list
    assert 'data-testid="average">6.0' in html  # hours from acceptance to opinion
    assert f'<td data-label="审核人员">{desk.c.reviewer.full_name}</td><td data-label="未办结">1</td>' in html
    assert '<tr data-outcome="change"><td data-label="意见">建议变更或补充</td><td data-label="件数">1</td>' in html
    row = next(r for r in staffing(Agency.objects.filter(pk=desk.c.agency.pk)))
    assert row.short and 'data-testid="staffing-warning"' in html
    assert f"{desk.c.agency.name}：法制审核人员 {row.reviewers} 人，少于应配备的 {row.needed} 人" in html

    ReviewPolicy.objects.create(agency=desk.c.agency, min_percent=5, min_count=1)
    assert (
        'data-testid="staffing-warning"'
        not in logged_in(desk.c.reviewer).get("/workbench/review/dashboard/").content.decode()
    )


def test_officers_cannot_open_the_dashboard(desk) -> None:
    response = logged_in(desk.officer).get("/workbench/review/dashboard/")
    assert response.status_code == 403
