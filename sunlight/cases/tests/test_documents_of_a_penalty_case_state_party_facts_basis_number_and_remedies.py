"""REC-15: the standard documents of a general-procedure penalty case, as DOCX and PDF, say who the party is, what
was found, on what basis, under which number, and how to pay and appeal; the decision gives its reasons on the
evidence (with SHA-256), the basis and the discretion benchmark."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from sunlight.cases.documents import case_document_generate
from sunlight.cases.models import Case, CaseDocument
from sunlight.cases.tests.factories import Desk, ago
from sunlight.evidence.blobs import blob_store
from sunlight.evidence.models import AVFile
from sunlight.evidence.services import av_record_register
from sunlight.evidence.storage import stores

PARTY = "临泉县好味道餐饮有限公司"
CREDIT_CODE = "91341221MA2N0XXXXX"
BASIS = "《中华人民共和国食品安全法》第一百二十二条第一款"


@pytest.fixture(autouse=True)
def _stores(settings, tmp_path) -> None:
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        "a": {"url": str(tmp_path / "store-a"), **blank},
        "b": {"url": str(tmp_path / "store-b"), **blank},
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")


def _bytes(document: CaseDocument, fmt: str) -> bytes:
    stored = document.docx if fmt == "docx" else document.pdf
    store = stores()["a"]
    stream = store.open(stored.object_name)
    try:
        return stream.read()
    finally:
        stream.close()


def docx_text(document: CaseDocument) -> str:
    """Every paragraph and table cell of the DOCX, without white space."""
    parsed = Document(io.BytesIO(_bytes(document, "docx")))
    parts = [p.text for p in parsed.paragraphs]
    for table in parsed.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", "", "".join(parts))


def pdf_text(document: CaseDocument) -> str:
    """The text of every page of the PDF, without white space."""
    reader = PdfReader(io.BytesIO(_bytes(document, "pdf")))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def texts(document: CaseDocument) -> list[str]:
    return [docx_text(document), pdf_text(document)]


def _av_with_file(desk: Desk, at) -> tuple:
    record = av_record_register(
        acting_user=desk.officer,
        title="调查取证执法记录仪视频",
        scene="evidence",
        device_number="DSJ-001",
        recorded_from=at - timedelta(minutes=30),
        recorded_to=at + timedelta(minutes=5),
        place="临泉县城关镇人民路88号",
    )
    stored = blob_store(data=b"\x00\x00\x00\x18ftypmp42 video of the inspection", content_type="video/mp4")
    AVFile.objects.create(record=record, file=stored, filename="DSJ-001_0001.mp4", uploaded_by=desk.officer)
    return record, stored


def _decided(desk: Desk, **decision) -> tuple[Case, str]:
    case = desk.start(party_id_number=CREDIT_CODE, party_address="临泉县城关镇人民路88号")
    desk.record(case, "initiation", ago(40), by=desk.head, data={"facts": "涉嫌未取得食品经营许可从事餐饮服务"})
    av, stored = _av_with_file(desk, ago(39))
    desk.record(
        case,
        "investigation",
        ago(39),
        given=desk.field(ago(39), content="经营场所正在对外提供餐饮服务，未悬挂食品经营许可证。", av_records=[av]),
    )
    desk.record(
        case,
        "investigation",
        ago(38, 20),
        given=desk.field(
            ago(38, 20),
            data={
                "person": "王某",
                "relation": "法定代表人",
                "questions": [{"q": "是否办理许可证？", "a": "没有办理。"}],
            },
        ),
    )
    desk.record(
        case,
        "notice",
        ago(38),
        given=desk.field(
            ago(38),
            rights_notified=["statement", "defence", "hearing"],
            rights_how="书面告知",
            data={"proposed": "罚款人民币五万元", "basis": BASIS},
        ),
    )
    desk.record(
        case,
        "statement",
        ago(37),
        given=desk.field(ago(37), data={"statement": "承认违法，请求从轻", "waived_hearing": True}),
    )
    data = {
        "facts": "当事人自2026年3月起未取得食品经营许可从事餐饮服务，货值金额五千元。",
        "basis": BASIS,
        "kinds": ["fine"],
        "fine_fen": 5_000_000,
        "benchmark": str(desk.benchmark.public_id),
        "goods_value_fen": 500_000,
        "circumstance": "lighter",
        **decision,
    }
    desk.record(case, "decision", ago(36), by=desk.head, data=data)
    case.refresh_from_db()
    return case, stored.sha256


def test_notice_and_decision_carry_party_facts_basis_number_and_remedies(desk: Desk) -> None:
    case, video_sha = _decided(desk)
    notice = case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_notice")
    decision = case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_decision")
    year = timezone.localtime(decision.record.occurred_at).year
    assert notice.number == f"临泉县市场监督管理局告〔{timezone.localtime(notice.record.occurred_at).year}〕1号"
    assert decision.number == f"临泉县市场监督管理局罚〔{year}〕1号"

    for text in texts(notice):
        assert "行政处罚事先告知书" in text and notice.number in text
        assert PARTY in text and "罚款人民币五万元" in text and "食品安全法" in text
        assert "陈述" in text and "申辩" in text and "听证" in text and "五个工作日内" in text

    records = list(case.records.exclude(step="decision").order_by("seq"))
    for text in texts(decision):
        assert "行政处罚决定书" in text and decision.number in text
        assert PARTY in text and CREDIT_CODE in text
        assert "未取得食品经营许可从事餐饮服务" in text  # facts
        assert "食品安全法》第一百二十二条第一款" in text  # basis
        assert "罚款人民币50,000.00元（大写：伍万元整）" in text
        assert "十五日内" in text and "百分之三" in text  # payment and surcharge
        assert "六十日内" in text and "行政复议" in text and "六个月内" in text and "行政诉讼" in text
        assert "临泉县人民政府" in text and "临泉县人民法院" in text
        # evidence: every earlier record by its ledger hash, and the stored AV file by its SHA-256
        for record in records:
            assert record.entry_hash in text
        assert video_sha in text
        # discretion: the benchmark, the circumstance and the finding
        assert "裁量基准" in text and "从轻处罚" in text and "幅度以内" in text


def test_decision_outside_the_benchmark_states_the_written_reasons(desk: Desk) -> None:
    case, _sha = _decided(
        desk, circumstance="ordinary", discretion_reasons="当事人主动消除违法后果，且系初次违法，依法从轻。"
    )
    decision = case_document_generate(acting_user=desk.head, case=case, doc_type="penalty_decision")
    for text in texts(decision):
        assert "超出裁量基准" in text
        assert "当事人主动消除违法后果，且系初次违法，依法从轻。" in text


def test_forms_and_records_of_the_case(desk: Desk) -> None:
    case, _sha = _decided(desk)
    initiation = case_document_generate(acting_user=desk.officer, case=case, doc_type="initiation_form")
    onsite = case_document_generate(acting_user=desk.officer, case=case, doc_type="onsite_record")
    first = case.records.get(seq=2)
    onsite_first = case_document_generate(acting_user=desk.officer, case=case, doc_type="onsite_record", record=first)
    inquiry = case_document_generate(acting_user=desk.officer, case=case, doc_type="inquiry_record")
    assert initiation.number == onsite.number == inquiry.number == ""  # forms and records carry the case number

    for text in texts(initiation):
        assert "立案审批表" in text and case.number in text and PARTY in text
        assert "涉嫌未取得食品经营许可从事餐饮服务" in text and desk.head.full_name in text
    certificate = onsite_first.record.officers[0]["certificate"]
    assert certificate
    for text in texts(onsite_first):
        assert "现场笔录" in text and "临泉县城关镇人民路88号" in text and "已出示执法证件" in text
        assert certificate in text and desk.partner.full_name in text
        assert "未悬挂食品经营许可证" in text and "当事人已签名确认" in text
    for text in texts(inquiry):
        assert "询问笔录" in text and "王某" in text and "法定代表人" in text
        assert "是否办理许可证？" in text and "没有办理。" in text

    desk.record(
        case,
        "service",
        ago(35),
        variant="direct",
        data={"document": "行政处罚决定书", "recipient": "法定代表人王某", "received_at": "2026-10-17"},
        party_signed=False,
    )
    decision = case_document_generate(acting_user=desk.officer, case=case, doc_type="penalty_decision")
    receipt = case_document_generate(acting_user=desk.officer, case=case, doc_type="service_receipt")
    for text in texts(receipt):
        assert "送达回证" in text and "直接送达" in text and "法定代表人王某" in text
        assert decision.number in text and "签收时间" in text

    desk.record(case, "execution", ago(30), data={"paid_fen": 5_000_000})
    desk.record(case, "closure", ago(29), by=desk.head, data={"summary": "罚款已缴清，案件办结"})
    closure = case_document_generate(acting_user=desk.head, case=case, doc_type="closure_form")
    for text in texts(closure):
        assert "结案审批表" in text and "罚款已缴清，案件办结" in text and decision.number in text
        assert "已缴纳50,000.00元" in text


def test_markup_characters_in_the_data_are_printed_as_written(desk: Desk) -> None:
    title = "销售“A&B<特供>”过期食品"
    case = desk.start(title=title, party_name="张三 & 李四<合伙>")
    desk.record(case, "initiation", ago(3), by=desk.head, data={"facts": "{{ 模板语法 }} 与 {% 标记 %} 原样保留"})
    document = case_document_generate(acting_user=desk.officer, case=case, doc_type="initiation_form")
    for text in texts(document):
        assert "A&B<特供>" in text and "张三&李四<合伙>" in text
        assert "{{模板语法}}与{%标记%}原样保留" in text
