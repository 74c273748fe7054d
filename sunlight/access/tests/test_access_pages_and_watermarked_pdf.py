"""REC-11: requests and approvals on pages; the trail PDF given out is an export (approved, logged, watermarked)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from sunlight.access.models import AccessLog, AccessRequest
from sunlight.access.subjects import RESOLVERS, Subject

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def subject(county, monkeypatch):
    record = Subject(
        type="testrec",
        id="r1",
        label="现场检查录像",
        agency=county.unit_a.agency,
        unit=county.unit_a,
        owner_ids=frozenset({county.officer.pk}),
    )
    monkeypatch.setitem(RESOLVERS, "testrec", lambda user, sid: record)
    return record


def test_request_approve_and_export_a_watermarked_trail(client, county, subject):
    client.force_login(county.officer_b)
    refused = client.get("/workbench/access/testrec/r1/trail.pdf")
    assert refused.status_code == 403 and "调阅须经批准" in refused.content.decode()
    response = client.post(
        "/workbench/access/testrec/r1/request/",
        {
            "requester_kind": "internal",
            "reason": "案卷评查",
            "actions": ["export"],
            "valid_from": TODAY.isoformat(),
            "valid_to": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    pending = AccessRequest.objects.get()

    client.force_login(county.unit_head)
    page = client.get("/workbench/access/").content.decode()
    assert "案卷评查" in page
    client.post(f"/workbench/access/requests/{pending.public_id}/", {"decision": "approved", "note": "同意调阅"})

    client.force_login(county.officer_b)
    pdf = client.get("/workbench/access/testrec/r1/trail.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert county.officer_b.full_name in text and "officer_b" in text  # the watermark names the viewer
    assert "调阅登记" in text
    uses = list(AccessLog.objects.order_by("at").values_list("outcome", "action"))
    assert uses == [("refused", "export"), ("allowed", "export")]


def test_a_request_with_bad_dates_is_shown_in_chinese(client, county, subject):
    client.force_login(county.officer_b)
    response = client.post(
        "/workbench/access/testrec/r1/request/",
        {
            "requester_kind": "court",
            "reason": "诉讼",
            "actions": ["view"],
            "valid_from": TODAY.isoformat(),
            "valid_to": (TODAY - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "截止日期不能早于起始日期。" in body and "外部调阅须填写申请单位。" in body
    assert not AccessRequest.objects.exists()


def test_only_the_approver_sees_the_decision_form(client, county, subject):
    from sunlight.access.services import access_request_file

    pending = access_request_file(
        acting_user=county.officer_b,
        subject=subject,
        requester_kind="internal",
        reason="评查",
        actions=["view"],
        valid_from=TODAY,
        valid_to=TODAY,
    )
    client.force_login(county.supervisor)
    assert client.get(f"/workbench/access/requests/{pending.public_id}/").status_code == 404
    client.force_login(county.agency_head)
    assert "提交审批意见" in client.get(f"/workbench/access/requests/{pending.public_id}/").content.decode()
