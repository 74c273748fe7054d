"""REC-15: the hearing notice gives time, place and host; the seizure decision lists the items, the 30-day period
and the remedies. Both carry an agency number."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from sunlight.cases.documents import case_document_generate
from sunlight.cases.models import CaseDocument
from sunlight.cases.tests.factories import Desk, ago
from sunlight.core.errors import ServiceError
from sunlight.evidence.services import av_record_register
from sunlight.evidence.storage import stores


@pytest.fixture(autouse=True)
def _stores(settings, tmp_path) -> None:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        "a": {"url": str(tmp_path / "store-a"), **blank},
        "b": {"url": str(tmp_path / "store-b"), **blank},
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")


def _read(stored) -> bytes:
    stream = stores()["b"].open(stored.object_name)
    try:
        return stream.read()
    finally:
        stream.close()


def texts(document: CaseDocument) -> list[str]:
    parsed = Document(io.BytesIO(_read(document.docx)))
    parts = [p.text for p in parsed.paragraphs]
    parts += [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    pdf = PdfReader(io.BytesIO(_read(document.pdf)))
    return [re.sub(r"\s+", "", "".join(parts)), re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))]


def test_hearing_notice_gives_time_place_and_host(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(40), by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", ago(39), given=desk.field(ago(39)))
    desk.record(
        case,
        "notice",
        ago(38),
        given=desk.field(
            ago(38), rights_notified=["statement", "hearing"], rights_how="书面", data={"proposed": "罚款五万元"}
        ),
    )
    desk.record(case, "hearing_request", ago(37), content="当事人书面申请听证")
    hearing_at = timezone.localtime(ago(20)).replace(hour=9, minute=30, second=0, microsecond=0)
    desk.record(
        case,
        "hearing_notice",
        ago(36),
        data={"hearing_at": hearing_at.isoformat(), "place": "本局三楼听证室", "host": "李明", "clerk": "赵晓"},
    )
    notice = case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_notice")
    document = case_document_generate(acting_user=desk.officer, case=case, doc_type="hearing_notice")
    assert "听〔" in document.number and document.number.endswith("1号")
    when = f"{hearing_at.year}年{hearing_at.month}月{hearing_at.day}日9时30分"
    for text in texts(document):
        assert "听证通知书" in text and document.number in text and notice.number in text
        assert when in text and "本局三楼听证室" in text and "李明" in text and "赵晓" in text
        assert "申请回避" in text and "临泉县好味道餐饮有限公司" in text


def _av(desk: Desk, at):
    return av_record_register(
        acting_user=desk.officer,
        title="扣押现场执法记录仪视频",
        scene="coercion",
        device_number="DSJ-002",
        recorded_from=at - timedelta(minutes=30),
        recorded_to=at + timedelta(minutes=5),
        place="临泉县城关镇人民路88号",
    )


def test_seizure_decision_lists_items_period_and_remedies(desk: Desk) -> None:
    case = desk.start("coercion", title="涉嫌销售过期食品")
    desk.record(case, "approval", ago(3), by=desk.head, data={"measure": "扣押"})
    for step, at in (("show_certificate", ago(2, 5)), ("notice", ago(2, 4))):
        extra = {"rights_notified": ["statement", "defence"], "rights_how": "口头"} if step == "notice" else {}
        desk.record(case, step, at, given=desk.field(at, av_records=[_av(desk, at)], **extra))
    with pytest.raises(ServiceError) as early:
        case_document_generate(acting_user=desk.officer, case=case, doc_type="seizure_decision")
    assert early.value.errors[0].code == "source_missing" and "实施查封、扣押" in early.value.errors[0].message
    at = ago(2, 3)
    desk.record(
        case,
        "onsite_measure",
        at,
        given=desk.field(
            at, data={"measure": "扣押", "items": "过期奶粉20箱（批号20250101）"}, av_records=[_av(desk, at)]
        ),
    )
    document = case_document_generate(acting_user=desk.officer, case=case, doc_type="seizure_decision")
    assert "强〔" in document.number
    start = timezone.localtime(at).date()
    end = start + timedelta(days=30)
    for text in texts(document):
        assert "查封扣押决定书" in text and document.number in text
        assert "过期奶粉20箱（批号20250101）" in text and "扣押" in text
        assert "三十日" in text and f"{end.year}年{end.month}月{end.day}日" in text
        assert "六十日内" in text and "行政复议" in text and "六个月内" in text and "行政诉讼" in text
    onsite = case_document_generate(acting_user=desk.officer, case=case, doc_type="onsite_record")
    assert onsite.record.step == "onsite_measure"
    for text in texts(onsite):
        assert "过期奶粉20箱" in text and "扣押现场执法记录仪视频" in text and "文件尚未入库" in text
