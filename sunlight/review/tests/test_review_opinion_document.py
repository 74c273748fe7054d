"""REV-8: an opinion produces the review opinion document (法制审核意见书) as DOCX and PDF, each in two copies (to
the handling unit, for the archive), stored in both evidence stores, recorded in the ledger with both SHA-256, and
filed in the case file; a collective decision produces one too, as a new version of the same number."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from sunlight.cases.models import CaseDocument
from sunlight.core.models import LedgerEntry
from sunlight.review import services as s
from sunlight.review.documents import review_document_open
from sunlight.review.models import Review
from sunlight.review.selectors import review_documents
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed


@pytest.fixture
def stores_dirs(settings, tmp_path) -> tuple[Path, Path]:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    a, b = tmp_path / "store-a", tmp_path / "store-b"
    settings.SUNLIGHT_EVIDENCE_STORES = {"a": {"url": str(a), **blank}, "b": {"url": str(b), **blank}}
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    return a, b


def accepted(desk, draft=None) -> Review:
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft=draft or MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[])
    return review


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_opinion_makes_the_document_in_two_copies_stored_twice_and_in_the_ledger(desk, stores_dirs) -> None:
    review = accepted(desk)
    s.review_counsel_opinion(
        acting_user=desk.c.reviewer, review=review, counsel="张律师", opinion="建议补充货值金额的计算依据"
    )
    s.review_opinion(acting_user=desk.c.reviewer, review=review, outcome="approve", reasons="事实清楚，证据确凿")
    document = review_documents(review).get()
    assert document.doc_type == "review_opinion" and document.number == review.number and document.version == 1
    assert document.record is not None and document.record.step == "legal_review"
    assert document in review.case.documents.all()  # in the case file (case page, archive)

    for stored in (document.docx, document.pdf):
        assert set(stored.copies.values_list("store", flat=True)) == {"a", "b"}
        for root in stores_dirs:
            assert hashlib.sha256((root / stored.object_name).read_bytes()).hexdigest() == stored.sha256

    entry = LedgerEntry.objects.get(stream=review.case.stream, kind="case.document_generated")
    assert entry.payload["doc_type"] == "review_opinion" and entry.payload["number"] == review.number
    assert entry.payload["docx_sha256"] == document.docx.sha256
    assert entry.payload["pdf_sha256"] == document.pdf.sha256
    assert [c["copy"] for c in entry.payload["copies"]] == ["unit", "archive"]
    event = review.events.get(kind="opinion_document")
    assert event.data["pdf_sha256"] == document.pdf.sha256 and event.data["docx_sha256"] == document.docx.sha256
    assert LedgerEntry.objects.get(seq=event.entry_seq).stream == review.stream

    stream, filename, content_type = review_document_open(
        user=desk.officer, review=review, document=document, fmt="pdf"
    )
    text = pdf_text(stream.read())
    assert content_type == "application/pdf" and review.number in filename
    assert len(PdfReader(io.BytesIO(_bytes(desk, review, document, "pdf"))).pages) >= 2
    for words in (
        "法制审核意见书",
        review.number,
        review.case.number,
        "临泉县好味道餐饮有限公司",
        "第一联",
        "送承办机构",
        "第二联",
        "存档",
        "同意",
        "事实清楚，证据确凿",
        "张律师",
        "自动预审结果",
        "执法人员资格",
        desk.c.reviewer.full_name,
    ):
        assert words in text, words
    docx = docx_text(_bytes(desk, review, document, "docx"))
    for words in ("法制审核意见书", review.number, "第一联", "第二联", "同意", "事实清楚，证据确凿", "150,000.00元"):
        assert words in docx, words


def _bytes(desk, review, document, fmt) -> bytes:
    stream, _name, _type = review_document_open(user=desk.officer, review=review, document=document, fmt=fmt)
    return stream.read()


def test_collective_decision_makes_a_new_version_of_the_same_number(desk, stores_dirs) -> None:
    review = accepted(desk)
    s.review_opinion(acting_user=desk.c.reviewer, review=review, outcome="change", reasons="罚款偏高")
    s.review_disagree(acting_user=desk.officer, review=review, reasons="货值金额计算无误")
    s.review_panel_opinion(
        acting_user=desk.c.reviewer, review=review, experts="李教授、王律师", opinion="意见不一", agreed=False
    )
    s.review_collective_decide(
        acting_user=desk.chief, review=review, outcome="approve", participants="局长、副局长", reasons="同意处罚"
    )
    first, second = list(review_documents(review))
    assert (first.version, second.version) == (1, 2) and first.number == second.number == review.number
    text = pdf_text(_bytes(desk, review, second, "pdf"))
    assert "经机关负责人集体讨论决定" in text and "李教授、王律师" in text and "同意处罚" in text
    assert "建议变更或补充" in pdf_text(_bytes(desk, review, first, "pdf"))
    assert CaseDocument.objects.filter(case=review.case, doc_type="review_opinion").count() == 2


def test_a_refused_opinion_makes_no_document(desk, stores_dirs) -> None:
    review = accepted(desk)
    with pytest.raises(Exception):  # noqa: B017  (the ServiceError of the missing reasons)
        s.review_opinion(acting_user=desk.c.reviewer, review=review, outcome="approve", reasons="")
    assert not review_documents(review).exists()
    assert not review.events.filter(kind="opinion_document").exists()
