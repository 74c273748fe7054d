"""PUB-10 on the portal: only published reports are listed and shown, with server-drawn charts and no personal data;
the PDF carries the agency name and the figures; the workbench page lets a publisher review and publish."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sunlight.core.calendar import LOCAL_TZ
from sunlight.org.tests.factories import PASSWORD
from sunlight.publicity.models import AnnualReport
from sunlight.publicity.report import annual_report_correct, annual_report_generate, annual_report_publish
from sunlight.publicity.tests.factories import PERSON, make_draft, publish, publisher

pytestmark = pytest.mark.django_db

YEAR = 2026
JANUARY = datetime(YEAR + 1, 1, 5, 9, tzinfo=LOCAL_TZ)


@pytest.fixture
def reports(county):
    """The county agency's report published (with two publications of a natural person), the other's a draft."""
    reviewer = publisher(county)
    for _n in range(2):
        publish(make_draft(county), reviewer)
    published = annual_report_generate(agency=county.unit_a.agency, year=YEAR, now=JANUARY)
    annual_report_publish(
        report=published,
        statistics_token=published.statistics_hash,
        summary="全年主动公开行政执法信息两条。",
        acting_user=county.agency_head,
        now=JANUARY,
    )
    draft = annual_report_generate(agency=county.other_unit.agency, year=YEAR, now=JANUARY)
    published.refresh_from_db()
    return published, draft


def test_list_and_page_show_only_published_reports_without_personal_data(client, county, reports) -> None:
    published, draft = reports
    listing = client.get(reverse("annual_report:list")).content.decode()
    assert county.unit_a.agency.name in listing
    assert county.other_unit.agency.name not in listing

    page = client.get(reverse("annual_report:detail", args=[published.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "全年主动公开行政执法信息两条。" in html
    assert 'data-testid="publications-total">2<' in html
    assert "暂无数据来源" in html
    assert html.count("<svg") == 5 and "<script" not in html
    for personal in (PERSON, county.agency_head.full_name, county.agency_head.username, "reviewer_b"):
        assert personal not in html

    assert client.get(reverse("annual_report:detail", args=[draft.public_id])).status_code == 404
    assert client.get(reverse("annual_report:pdf", args=[draft.public_id])).status_code == 404


def test_pdf_carries_the_agency_name_and_figures(client, county, reports) -> None:
    published, _draft = reports
    response = client.get(reverse("annual_report:pdf", args=[published.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = "".join(text.split())
    assert county.unit_a.agency.name in flat
    assert f"{YEAR}年度行政执法数据统计报告" in flat
    assert "主动公开行政执法信息（条）2" in flat
    assert "暂无数据来源" in flat
    assert PERSON not in flat


def test_a_correction_is_shown_as_a_new_version_and_the_old_one_stays(client, county, reports) -> None:
    published, _draft = reports
    publish(make_draft(county, person=False), publisher(county, "reviewer_c"))
    annual_report_correct(report=published, explanation="补录一条公示信息。", acting_user=county.agency_head)
    current = client.get(reverse("annual_report:detail", args=[published.public_id])).content.decode()
    assert "补录一条公示信息。" in current and 'data-testid="publications-total">3<' in current
    first = client.get(reverse("annual_report:detail", args=[published.public_id]) + "?version=1").content.decode()
    assert 'data-testid="publications-total">2<' in first and "此为历史版本" in first


def test_workbench_review_and_publish(client, county) -> None:
    report = annual_report_generate(agency=county.unit_a.agency, year=YEAR, now=JANUARY)
    url = reverse("annual_report:staff_detail", args=[report.public_id])

    client.login(username=county.officer.username, password=PASSWORD)
    assert client.get(url).status_code == 200  # agency staff may read the draft
    refused = client.post(url, {"action": "publish", "statistics_token": report.statistics_hash, "summary": ""})
    assert refused.status_code == 403
    client.logout()

    client.login(username=county.other_officer.username, password=PASSWORD)
    assert client.get(url).status_code == 404  # another agency's report
    client.logout()

    client.login(username=county.agency_head.username, password=PASSWORD)
    page = client.get(url).content.decode()
    assert "审核通过并公开" in page
    done = client.post(url, {"action": "publish", "statistics_token": report.statistics_hash, "summary": "说明"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "published" and report.current_version.summary == "说明"
    assert AnnualReport.objects.get(pk=report.pk).deadline.status in ("met", "late")
