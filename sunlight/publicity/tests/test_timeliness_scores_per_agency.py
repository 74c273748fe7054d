"""PUB-11: the supervisor's monitoring page scores each agency of their region: completeness of drafts for
decisions, timeliness of publication against the deadlines, accuracy after correction requests, the monthly
update check and the people responsible for publishing (谁执法谁公示)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sunlight.cases.tests.factories import Desk, ago, desk  # noqa: F401  (fixture)
from sunlight.catalog.tests.factories import catalog  # noqa: F401  (fixture)
from sunlight.core.errors import Forbidden
from sunlight.org.choices import Role
from sunlight.org.tests.factories import PASSWORD, UserFactory
from sunlight.publicity.choices import CorrectionOutcome
from sunlight.publicity.models import Publication
from sunlight.publicity.monitoring import Score, monitoring_rows
from sunlight.publicity.services import correction_decide, correction_request_submit
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def test_score_is_a_percentage_with_its_counts() -> None:
    assert Score(good=3, total=4).percent == 75
    assert Score(good=0, total=0).percent is None


def test_timeliness_and_accuracy_on_built_publications(county) -> None:
    agency = county.unit_a.agency
    reviewer = publisher(county)
    today = timezone.localdate()
    # Two on time, one late (decided 30 days ago: 7 WD long gone), one still running in time, one overdue draft.
    on_time = [make_draft(county, person=False, decided_on=today) for _n in range(2)]
    late = make_draft(county, person=False, decided_on=today - timedelta(days=30))
    for publication in [*on_time, late]:
        publish(publication, reviewer)
    make_draft(county, person=False, decided_on=today)  # pending, in time
    make_draft(county, person=False, decided_on=today - timedelta(days=40))  # overdue, not published
    # One of the published ones is corrected after a correction request.
    request = correction_request_submit(
        publication=on_time[0], name="某公司", contact="0558-1234567", request="金额有误"
    )
    current = on_time[0].current_version
    correction_decide(
        correction=request,
        outcome=CorrectionOutcome.UPHELD,
        reasons="核实后更正金额。",
        fields={"result": current.field("result") + "（更正）"},
        acting_user=reviewer,
    )

    year = today.year if (today - timedelta(days=40)).year == today.year else None
    rows = {row.agency.pk: row for row in monitoring_rows(user=county.supervisor, year=year)}
    row = rows[agency.pk]
    if year is not None:
        assert (row.timeliness.good, row.timeliness.total, row.pending) == (2, 4, 1)
        assert row.timeliness.percent == 50
    assert (row.accuracy.good, row.accuracy.total, row.corrected) == (2, 3, 1)
    assert row.accuracy.percent == 67
    assert row.updated_last_month is True
    assert county.agency_head in row.responsible and reviewer in row.responsible
    assert county.officer not in row.responsible

    assert county.other_unit.agency.pk not in rows  # another county: outside the supervisor's region
    outsider = UserFactory(username="justice_other", region=county.other_county, roles=[Role.JUSTICE_SUPERVISOR])
    [other] = monitoring_rows(user=outsider)
    assert other.timeliness.percent is None and other.updated_last_month is False and other.responsible == []


def test_completeness_counts_decisions_against_drafts(desk: Desk) -> None:  # noqa: F811
    case = desk.start(party_kind="individual", party_name="张三丰")
    desk.record(case, "initiation", ago(20), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(19), given=desk.field(ago(19)))
    desk.record(
        case,
        "notice",
        ago(18),
        given=desk.field(ago(18), rights_notified=["statement"], rights_how="书面", data={"proposed": "警告"}),
    )
    desk.record(case, "statement", ago(17), given=desk.field(ago(17), data={"statement": "无", "waived_hearing": True}))
    desk.record(
        case, "decision", ago(16), by=desk.head, data={"facts": "无证", "basis": "第一百二十二条", "kinds": ["warning"]}
    )
    assert Publication.objects.filter(agency=desk.c.agency).count() == 1
    supervisor = UserFactory(username="justice_c", region=desk.c.agency.region, roles=[Role.JUSTICE_SUPERVISOR])
    year = timezone.localdate(ago(16)).year
    row = next(r for r in monitoring_rows(user=supervisor, year=year) if r.agency == desk.c.agency)
    assert (row.completeness.good, row.completeness.total) == (1, 1)
    assert row.completeness.percent == 100


def test_only_supervisors_see_the_page_of_their_region(client, county) -> None:
    with pytest.raises(Forbidden):
        monitoring_rows(user=county.agency_head)
    outsider = UserFactory(username="justice_other", region=county.other_county, roles=[Role.JUSTICE_SUPERVISOR])
    assert [r.agency for r in monitoring_rows(user=outsider)] == [county.other_unit.agency]

    client.login(username=county.officer.username, password=PASSWORD)
    assert client.get(reverse("annual_report:monitoring")).status_code == 403
    client.logout()
    client.login(username=county.supervisor.username, password=PASSWORD)
    page = client.get(reverse("annual_report:monitoring"))
    assert page.status_code == 200
    html = page.content.decode()
    assert county.unit_a.agency.name in html and county.other_unit.agency.name not in html
    assert "谁执法谁公示" in html
