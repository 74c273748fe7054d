"""REC-15: regenerating a document keeps its number and adds a new version row; the earlier version stays."""

from __future__ import annotations

import pytest

from sunlight.cases.documents import case_document_generate
from sunlight.cases.models import CaseDocument, DocumentCounter
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.models import LedgerEntry


@pytest.fixture(autouse=True)
def _stores(settings, tmp_path) -> None:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        "a": {"url": str(tmp_path / "store-a"), **blank},
        "b": {"url": str(tmp_path / "store-b"), **blank},
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")


def _noticed(desk: Desk, title: str = "未取得食品经营许可从事食品经营活动"):
    case = desk.start(title=title)
    desk.record(case, "initiation", ago(10), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(9), given=desk.field(ago(9)))
    desk.record(
        case,
        "notice",
        ago(8),
        given=desk.field(
            ago(8),
            rights_notified=["statement", "defence", "hearing"],
            rights_how="书面告知",
            data={"proposed": "罚款五万元"},
        ),
    )
    return case


def test_regenerated_notice_keeps_its_number_with_version_two(desk: Desk) -> None:
    case = _noticed(desk)
    first = case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_notice")
    second = case_document_generate(acting_user=desk.partner, case=case, doc_type="penalty_notice")
    assert first.number and second.number == first.number
    assert (first.version, second.version) == (1, 2)
    assert second.record_id == first.record_id and second.pk != first.pk
    assert list(CaseDocument.objects.filter(case=case).values_list("version", flat=True)) == [1, 2]
    # the same data gives the same files: both versions point at the same stored contents
    assert (second.docx.sha256, second.pdf.sha256) == (first.docx.sha256, first.pdf.sha256)

    counter = DocumentCounter.objects.get(agency=case.agency, doc_type="penalty_notice")
    assert counter.last == 1  # regenerating took no number

    entries = list(LedgerEntry.objects.filter(stream=case.stream, kind="case.document_generated").order_by("seq"))
    assert [(e.payload["version"], e.payload["number"]) for e in entries] == [(1, first.number), (2, first.number)]
    assert entries[1].payload["previous"] == str(first.public_id)


def test_another_case_takes_the_next_number(desk: Desk) -> None:
    first = case_document_generate(acting_user=desk.officer, case=_noticed(desk), doc_type="penalty_notice")
    again = case_document_generate(acting_user=desk.officer, case=first.case, doc_type="penalty_notice")
    other = case_document_generate(
        acting_user=desk.officer, case=_noticed(desk, "销售过期食品"), doc_type="penalty_notice"
    )
    assert first.number.endswith("〕1号") and again.number == first.number
    assert other.number.endswith("〕2号") and other.version == 1
