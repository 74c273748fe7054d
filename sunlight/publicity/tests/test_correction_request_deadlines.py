"""PUB-8: correction requests from the public, with evidence, decided with reasons within 10 WD (2 WD when a delay
would cause irreparable harm); an upheld request publishes a corrected version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.evidence.models import StoredFile
from sunlight.publicity.choices import CorrectionOutcome, VersionReason
from sunlight.publicity.models import CorrectionRequest
from sunlight.publicity.services import EvidenceUpload, correction_decide, correction_request_submit
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db

MONDAY_NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 on Monday 2 March 2026 in Asia/Shanghai
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def published(county):
    draft = make_draft(county)
    publish(draft, publisher(county))
    return draft


def _submit(publication, **kwargs):
    arguments = {
        "publication": publication,
        "name": "李某某",
        "contact": "13800001111",
        "request": "处罚金额有误，应为3000元。",
        "now": MONDAY_NOON,
    }
    arguments.update(kwargs)
    return correction_request_submit(**arguments)


def test_ten_working_days_or_two_when_urgent(published, evidence_stores):
    normal = _submit(published)
    assert normal.deadline.rule.code == "publicity.correction_request"
    assert normal.deadline.due_at == datetime(2026, 3, 16, 16, 0, tzinfo=UTC)  # end of Monday 16 March
    urgent = _submit(published, urgent=True, urgent_reason="影响本人贷款审批，不及时更正将造成难以弥补的损失。")
    assert urgent.deadline.rule.code == "publicity.correction_request_urgent"
    assert urgent.deadline.due_at == datetime(2026, 3, 4, 16, 0, tzinfo=UTC)  # end of Wednesday 4 March
    with pytest.raises(ServiceError) as caught:
        _submit(published, urgent=True, urgent_reason="")
    assert [e.field for e in caught.value.errors] == ["urgent_reason"]


def test_evidence_goes_to_the_evidence_store_by_sha256(published, evidence_stores):
    request = _submit(published, files=[EvidenceUpload("缴款凭证.pdf", PDF), EvidenceUpload("照片.png", PNG)])
    stored = [e.file for e in request.evidence.select_related("file")]
    assert len(stored) == 2
    for file in stored:
        assert set(file.copies.values_list("store", flat=True)) == {"a", "b"}
        assert (evidence_stores / "store-a" / file.object_name).read_bytes() in (PDF, PNG)
    entry = LedgerEntry.objects.get(kind="publicity.correction_received")
    assert sorted(entry.payload["evidence"]) == sorted(f.sha256 for f in stored)
    assert "李某某" not in str(entry.payload) and "13800001111" not in str(entry.payload)
    # The same bytes again are one stored file.
    _submit(published, files=[EvidenceUpload("again.pdf", PDF)])
    assert StoredFile.objects.count() == 2


def test_files_of_the_wrong_kind_are_refused(published, evidence_stores):
    with pytest.raises(ServiceError) as caught:
        _submit(published, files=[EvidenceUpload("virus.exe", b"MZ..."), EvidenceUpload("fake.pdf", b"<html>")])
    assert {e.code for e in caught.value.errors} == {"bad_type", "bad_content"}
    assert not CorrectionRequest.objects.exists() and not StoredFile.objects.exists()


def test_rejected_with_reasons(published, evidence_stores, county, client):
    request = _submit(published, now=datetime.now(UTC))
    with pytest.raises(Forbidden):
        correction_decide(correction=request, outcome="rejected", reasons="x", acting_user=county.officer)
    with pytest.raises(ServiceError):
        correction_decide(correction=request, outcome="rejected", reasons=" ", acting_user=county.agency_head)
    decision = correction_decide(
        correction=request,
        outcome=CorrectionOutcome.REJECTED,
        reasons="经核实，处罚金额无误。",
        acting_user=county.agency_head,
    )
    request.deadline.refresh_from_db()
    assert decision.version is None and request.deadline.status == "met"
    assert published.versions.count() == 1
    status = client.get(f"/decisions/corrections/{request.public_id}/").content.decode()
    assert "不予更正" in status and "经核实，处罚金额无误。" in status
    assert "李某某" not in status and "13800001111" not in status
    with pytest.raises(ServiceError):
        correction_decide(correction=request, outcome="upheld", reasons="改判", acting_user=county.agency_head)


def test_upheld_publishes_a_corrected_version(published, evidence_stores, county, client):
    request = _submit(published, now=datetime.now(UTC))
    with pytest.raises(ServiceError):  # upheld needs a changed text
        correction_decide(correction=request, outcome="upheld", reasons="金额有误", acting_user=county.agency_head)
    decision = correction_decide(
        correction=request,
        outcome=CorrectionOutcome.UPHELD,
        reasons="经核实，罚款金额应为3000元，予以更正。",
        fields={"result": "没收违法所得并处罚款人民币3000元"},
        acting_user=county.agency_head,
    )
    version = decision.version
    assert version.number == 2 and version.reason == VersionReason.CORRECTION and version.correction == request
    assert version.explanation == "经核实，罚款金额应为3000元，予以更正。"
    page = client.get(f"/decisions/{published.public_id}/").content.decode()
    assert "3000元" in page and "纠错更正" in page


def test_the_public_form_files_a_request_with_evidence(published, evidence_stores, client):
    url = f"/decisions/{published.public_id}/correction/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "", "contact": "", "request": ""})
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    response = client.post(
        url,
        {
            "name": "王某",
            "contact": "wang@example.com",
            "request": "当事人地址有误。",
            "evidence": [SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert response["Location"] == f"/decisions/corrections/{request.public_id}/"
    assert request.evidence.count() == 1
    assert "处理中" in client.get(response["Location"]).content.decode()
