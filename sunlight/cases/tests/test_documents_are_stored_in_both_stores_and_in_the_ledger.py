"""REC-6, REC-10, REC-15: a generated document's DOCX and PDF are stored in both stores, each copy verified against
its SHA-256, and the case's ledger records the type, number, version and both hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sunlight.cases.documents import DOCX_TYPE, PDF_TYPE, case_document_generate, template_digest
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.models import LedgerEntry
from sunlight.evidence.blobs import blob_store
from sunlight.evidence.integrity import verify_all_files
from sunlight.evidence.models import StoredCopy, StoredFile


@pytest.fixture(autouse=True)
def stores_dirs(settings, tmp_path) -> tuple[Path, Path]:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    a, b = tmp_path / "store-a", tmp_path / "store-b"
    settings.SUNLIGHT_EVIDENCE_STORES = {"a": {"url": str(a), **blank}, "b": {"url": str(b), **blank}}
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    return a, b


def test_both_files_are_in_both_stores_and_in_the_ledger(desk: Desk, stores_dirs: tuple[Path, Path]) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(3), by=desk.head, data={"facts": "无证经营"})
    document = case_document_generate(acting_user=desk.officer, case=case, doc_type="initiation_form")

    assert (document.docx.content_type, document.pdf.content_type) == (DOCX_TYPE, PDF_TYPE)
    for stored in (document.docx, document.pdf):
        assert set(stored.copies.values_list("store", flat=True)) == {"a", "b"}
        for root in stores_dirs:
            data = (root / stored.object_name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == stored.sha256 and len(data) == stored.size
    assert document.docx.copies.get(store="a").location != document.docx.copies.get(store="b").location

    entry = LedgerEntry.objects.get(stream=case.stream, kind="case.document_generated")
    assert entry.actor == f"user:{desk.officer.public_id}"
    payload = entry.payload
    assert payload["document"] == str(document.public_id)
    assert payload["doc_type"] == "initiation_form" and payload["doc_name"] == "立案审批表"
    assert payload["number"] == "" and payload["version"] == 1
    assert payload["docx_sha256"] == document.docx.sha256 and payload["pdf_sha256"] == document.pdf.sha256
    assert payload["record"] == str(document.record.public_id)
    assert payload["template_sha256"] == template_digest("initiation_form")
    # each file's registration is in the ledger too, so the integrity check finds nothing wrong
    assert LedgerEntry.objects.filter(stream=document.pdf.stream, kind="evidence.stored").count() == 1
    assert verify_all_files() == []


def test_storing_the_same_bytes_again_writes_nothing(stores_dirs: tuple[Path, Path], db) -> None:
    first = blob_store(data=b"%PDF-1.7 the same bytes", content_type=PDF_TYPE)
    entries = LedgerEntry.objects.count()
    again = blob_store(data=b"%PDF-1.7 the same bytes", content_type=PDF_TYPE)
    assert again.pk == first.pk
    assert StoredFile.objects.count() == 1 and StoredCopy.objects.count() == 2
    assert LedgerEntry.objects.count() == entries


def test_a_store_added_later_gets_its_copy(settings, tmp_path: Path, stores_dirs: tuple[Path, Path], db) -> None:
    stored = blob_store(data=b"contents", content_type="text/plain")
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        **settings.SUNLIGHT_EVIDENCE_STORES,
        "c": {"url": str(tmp_path / "store-c"), **blank},
    }
    local = tmp_path / "contents.txt"
    local.write_bytes(b"contents")
    again = blob_store(data=local, content_type="text/plain")  # a local file is stored like bytes
    assert again.pk == stored.pk
    assert set(stored.copies.values_list("store", flat=True)) == {"a", "b", "c"}
    assert (tmp_path / "store-c" / stored.object_name).read_bytes() == b"contents"
