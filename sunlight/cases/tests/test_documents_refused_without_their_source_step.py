"""REC-15: a document is made from its recorded step; without it (or from the wrong record, or by someone who may
not handle the case) it is refused with the reason in Chinese, and nothing is numbered, stored or recorded."""

from __future__ import annotations

import pytest

from sunlight.cases.documents import case_document_generate
from sunlight.cases.models import CaseDocument, DocumentCounter
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.evidence.models import StoredFile


@pytest.fixture(autouse=True)
def _stores(settings, tmp_path) -> None:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        "a": {"url": str(tmp_path / "store-a"), **blank},
        "b": {"url": str(tmp_path / "store-b"), **blank},
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")


def _counts() -> tuple[int, int, int, int]:
    return (
        CaseDocument.objects.count(),
        DocumentCounter.objects.filter(doc_type="penalty_decision").count(),
        StoredFile.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_decision_document_before_the_decision_is_refused(desk: Desk) -> None:
    case = desk.start()
    initiation = desk.record(case, "initiation", ago(3), by=desk.head, data={"facts": "无证经营"})
    before = _counts()
    with pytest.raises(ServiceError) as refused:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_decision")
    error = refused.value.errors[0]
    assert error.code == "source_missing"
    assert "作出处罚决定" in error.message and "行政处罚决定书" in error.message
    assert _counts() == before

    with pytest.raises(ServiceError) as wrong:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_decision", record=initiation)
    assert wrong.value.errors[0].code == "wrong_step" and "立案" in wrong.value.errors[0].message
    with pytest.raises(ServiceError) as missing:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="service_receipt")
    assert missing.value.errors[0].code == "source_missing" and "送达" in missing.value.errors[0].message
    with pytest.raises(ServiceError) as other:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="seizure_decision")
    assert other.value.errors[0].code == "wrong_workflow"
    with pytest.raises(ServiceError) as unknown:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="licence")
    assert unknown.value.errors[0].code == "invalid"
    assert _counts() == before


def test_a_record_of_another_case_is_refused(desk: Desk) -> None:
    case = desk.start()
    other = desk.start(title="销售过期食品")
    foreign = desk.record(other, "initiation", ago(3), by=desk.head, data={"facts": "销售过期食品"})
    with pytest.raises(ServiceError) as refused:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="initiation_form", record=foreign)
    assert refused.value.errors[0].code == "other_case"


def test_someone_who_may_not_handle_the_case_is_refused_and_audited(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(3), by=desk.head, data={"facts": "无证经营"})
    with pytest.raises(Forbidden):
        case_document_generate(acting_user=desk.c.outsider, case=case, doc_type="initiation_form")
    assert not CaseDocument.objects.exists()
    assert LedgerEntry.objects.filter(actor=f"user:{desk.c.outsider.public_id}").exists()
