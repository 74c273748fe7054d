"""PUB-10: the tick makes each agency's draft in January (idempotent) with the deadline and its warnings; a person
who publishes for the agency reviews it, adds a summary and publishes it, which completes the deadline; a published
version is never changed and a correction is a new version."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import DatabaseError, transaction

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.deadlines import deadlines_tick
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.publicity.models import AnnualReport, AnnualReportVersion
from sunlight.publicity.report import (
    annual_report_correct,
    annual_report_generate,
    annual_report_publish,
    annual_report_refresh,
    annual_report_tick,
)
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db

YEAR = 2026


def at(month: int, day: int, hour: int = 9, year: int = YEAR + 1) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LOCAL_TZ)


def test_tick_generates_in_january_only_and_once(county) -> None:
    assert annual_report_tick(now=at(12, 20, year=YEAR)) == {"generated": 0}
    first = annual_report_tick(now=at(1, 2))
    assert first["generated"] == 2  # the two agencies of the county fixture
    assert annual_report_tick(now=at(1, 3)) == {"generated": 0}
    assert AnnualReport.objects.filter(year=YEAR).count() == 2
    report = AnnualReport.objects.get(agency=county.unit_a.agency, year=YEAR)
    assert report.status == "draft"
    assert LedgerEntry.objects.filter(stream=report.stream, kind="publicity.annual_report_generated").count() == 1


def test_deadline_falls_due_on_the_configured_date_with_warnings_before(county, settings) -> None:
    annual_report_tick(now=at(1, 2))
    report = AnnualReport.objects.get(agency=county.unit_a.agency, year=YEAR)
    clock = Deadline.objects.get(subject_type="publicity.annual_report", subject_id=str(report.public_id))
    assert clock.rule.code == "publicity.annual_report"
    assert clock.due_at == at(1, 16, 0)  # 24:00 of 15 January
    assert clock.yellow_at < clock.due_at
    assert clock.level == "green"
    deadlines_tick(now=at(1, 14))
    clock.refresh_from_db()
    assert clock.level == "yellow"

    # A local rule of 8 January (a Thursday in 2026).
    settings.SUNLIGHT_ANNUAL_REPORT_DUE = "01-08"
    other = annual_report_generate(agency=county.unit_a.agency, year=YEAR - 1, now=at(1, 2))
    assert other.deadline.due_at == at(1, 9, 0, year=YEAR)
    # A date on a rest day moves to the next working day, as every calendar-day period does (10 Jan 2026: Saturday).
    settings.SUNLIGHT_ANNUAL_REPORT_DUE = "01-10"
    third = annual_report_generate(agency=county.other_unit.agency, year=YEAR - 1, now=at(1, 2))
    assert third.deadline.due_at == at(1, 13, 0, year=YEAR)


def test_only_a_publisher_of_the_agency_publishes_and_that_completes_the_deadline(county) -> None:
    agency = county.unit_a.agency
    report = annual_report_generate(agency=agency, year=YEAR, now=at(1, 2))
    with pytest.raises(Forbidden):
        annual_report_publish(
            report=report, statistics_token=report.statistics_hash, acting_user=county.officer, now=at(1, 5)
        )
    with pytest.raises(Forbidden):
        annual_report_publish(
            report=report, statistics_token=report.statistics_hash, acting_user=county.other_officer, now=at(1, 5)
        )
    with pytest.raises(ServiceError) as stale:
        annual_report_publish(report=report, statistics_token="0" * 64, acting_user=county.agency_head, now=at(1, 5))
    assert stale.value.errors[0].code == "stale"

    version = annual_report_publish(
        report=report,
        statistics_token=report.statistics_hash,
        summary="本年度执法工作总体平稳。",
        acting_user=county.agency_head,
        now=at(1, 5),
    )
    report.refresh_from_db()
    assert report.status == "published" and version.number == 1 and version.summary == "本年度执法工作总体平稳。"
    assert report.deadline.status == "met"
    with pytest.raises(ServiceError):
        annual_report_publish(
            report=report, statistics_token=report.statistics_hash, acting_user=county.agency_head, now=at(1, 6)
        )
    with pytest.raises(ServiceError):
        annual_report_refresh(report=report, acting_user=county.agency_head)


def test_a_legal_reviewer_may_publish_late_and_the_deadline_says_so(county) -> None:
    report = annual_report_generate(agency=county.unit_a.agency, year=YEAR, now=at(1, 2))
    annual_report_publish(
        report=report, statistics_token=report.statistics_hash, acting_user=publisher(county), now=at(1, 20)
    )
    report.refresh_from_db()
    assert report.deadline.status == "late"


def test_published_version_is_never_changed_a_correction_is_a_new_version(county) -> None:
    agency = county.unit_a.agency
    report = annual_report_generate(agency=agency, year=YEAR, now=at(1, 2))
    first = annual_report_publish(
        report=report, statistics_token=report.statistics_hash, acting_user=county.agency_head, now=at(1, 5)
    )
    assert first.statistics["publications"]["total"] == 0

    # A publication of the year that was missed: the correction recomputes the figures.
    draft = make_draft(county, person=False)
    publish(draft, publisher(county))
    with pytest.raises(ServiceError):
        annual_report_correct(report=report, explanation="", acting_user=county.agency_head)
    second = annual_report_correct(
        report=report, explanation="补录一条公示信息。", acting_user=county.agency_head, now=at(1, 8)
    )
    assert second.number == 2 and second.statistics["publications"]["total"] == 1
    first.refresh_from_db()
    assert first.statistics["publications"]["total"] == 0
    report.refresh_from_db()
    assert report.current_version == second

    with pytest.raises(DatabaseError), transaction.atomic():
        AnnualReportVersion.objects.filter(pk=first.pk).update(summary="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        AnnualReportVersion.objects.filter(pk=first.pk).delete()


def test_generating_by_hand_needs_the_publishing_role_and_a_finished_year(county) -> None:
    agency = county.unit_a.agency
    with pytest.raises(Forbidden):
        annual_report_generate(agency=agency, year=YEAR, acting_user=county.officer, now=at(1, 2))
    with pytest.raises(ServiceError):
        annual_report_generate(agency=agency, year=YEAR + 1, acting_user=county.agency_head, now=at(1, 2))
    report = annual_report_generate(agency=agency, year=YEAR, acting_user=county.agency_head, now=at(1, 2))
    assert annual_report_generate(agency=agency, year=YEAR, acting_user=county.agency_head) == report
