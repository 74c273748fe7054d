"""REC-11, REC-15: downloading a document is logged in the access log and the case's ledger; someone outside the
case needs an approved access request; a damaged copy is never handed out."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.utils import timezone

from sunlight.access.models import AccessLog
from sunlight.access.services import access_request_decide, access_request_file
from sunlight.cases.documents import DOCX_TYPE, case_document_generate, case_subject, document_open
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry


@pytest.fixture(autouse=True)
def stores_dirs(settings, tmp_path) -> tuple[Path, Path]:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    a, b = tmp_path / "store-a", tmp_path / "store-b"
    settings.SUNLIGHT_EVIDENCE_STORES = {"a": {"url": str(a), **blank}, "b": {"url": str(b), **blank}}
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    return a, b


def _document(desk: Desk):
    case = desk.start()
    desk.record(case, "initiation", ago(3), by=desk.head, data={"facts": "无证经营"})
    return case_document_generate(acting_user=desk.officer, case=case, doc_type="initiation_form")


def test_the_case_officer_downloads_and_the_use_is_logged(desk: Desk) -> None:
    document = _document(desk)
    stream, filename, content_type = document_open(user=desk.partner, document=document, fmt="docx")
    data = stream.read()
    assert hashlib.sha256(data).hexdigest() == document.docx.sha256
    assert content_type == DOCX_TYPE and filename.endswith("_v1.docx") and filename.startswith("立案审批表_")
    log = AccessLog.objects.get(subject_type="case", subject_id=str(document.case.public_id))
    assert log.user == desk.partner and log.action == "download" and log.outcome == "allowed"
    assert document.docx.sha256 in log.target
    entry = LedgerEntry.objects.filter(stream=document.case.stream, kind="access.used").get()
    assert entry.payload["action"] == "download" and str(document.public_id) in entry.payload["target"]
    with pytest.raises(ServiceError):
        document_open(user=desk.partner, document=document, fmt="odt")


def test_someone_outside_the_case_needs_an_approved_request(desk: Desk) -> None:
    document = _document(desk)
    outsider = desk.c.outsider
    with pytest.raises(Forbidden):
        document_open(user=outsider, document=document, fmt="pdf")
    assert AccessLog.objects.get(user=outsider).outcome == "refused"
    today = timezone.localdate()
    request = access_request_file(
        acting_user=outsider,
        subject=case_subject(document.case),
        requester_kind="upper_level",
        requester_org="阜阳市市场监督管理局",
        reason="案卷评查",
        actions=["download"],
        valid_from=today,
        valid_to=today + dt.timedelta(days=7),
    )
    access_request_decide(acting_user=desk.chief, request=request, decision="approved", note="同意")
    stream, _filename, content_type = document_open(user=outsider, document=document, fmt="pdf")
    assert content_type == "application/pdf" and stream.read().startswith(b"%PDF")


def test_a_damaged_copy_is_skipped(desk: Desk, stores_dirs: tuple[Path, Path]) -> None:
    document = _document(desk)
    (stores_dirs[0] / document.pdf.object_name).write_bytes(b"%PDF-1.7 tampered")
    stream, _filename, _type = document_open(user=desk.officer, document=document, fmt="pdf")
    assert hashlib.sha256(stream.read()).hexdigest() == document.pdf.sha256
    (stores_dirs[1] / document.pdf.object_name).unlink()
    with pytest.raises(ServiceError) as unavailable:
        document_open(user=desk.officer, document=document, fmt="pdf")
    assert unavailable.value.errors[0].code == "unavailable"
