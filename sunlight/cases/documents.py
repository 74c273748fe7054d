"""Standard enforcement documents generated from the case data, as DOCX and PDF (REC-15).

Each document type has one layout (`LAYOUTS`): its headings, fields and paragraphs in Chinese, with the case data
as `{{ dotted.paths }}`. The layout is the one source of two stored templates under
`templates/cases/documents/`: a DOCX template for docxtpl (`<type>.docx`) and an HTML template for WeasyPrint
(`<type>.html`, extending the hand-written `base.html` that holds the page style and the CJK font), so that the
DOCX and the PDF of a document say the same. Both are built deterministically and kept in the repository; after a
layout change rebuild them with

    .venv/bin/sunlight shell -c "from sunlight.cases.documents import document_templates_build as b; b()"

(a test fails while the stored templates differ from the layouts). Only plain variable paths, `if`/`if not` on a
path and `for x in path` are used, which Jinja (docxtpl) and Django templates read alike; every value is prepared
as text by `_context`.

`case_document_generate` numbers, renders and stores a document in one transaction; `document_open` hands out the
stored bytes of a document after logging the use (REC-11).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.errors import FieldError, ServiceError
from sunlight.core.ledger import actor_label, ledger_append
from sunlight.evidence.blobs import blob_read
from sunlight.org.scope import deny

from . import checks
from .choices import DocumentType, PartyKind, ServiceMode, Source
from .models import Case, CaseDocument, CaseRecord
from .services import document_number_next, may_handle
from .steps import PENALTY_KINDS, RIGHTS, SERVICE_FIELDS, spec_for
from .workflow import step_name

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "cases" / "documents"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
FORMATS = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}

# Documents that carry an agency number (文号) from `services.document_number_next`; the others carry the case number.
NUMBERED = frozenset(
    {
        DocumentType.PENALTY_NOTICE.value,
        DocumentType.HEARING_NOTICE.value,
        DocumentType.PENALTY_DECISION.value,
        DocumentType.SEIZURE_DECISION.value,
    }
)


# --- sources: which recorded step a document is made from ------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    """The steps a document type is made from (the latest one unless a record is named), and the workflows."""

    steps: tuple[str, ...]
    workflows: tuple[str, ...] = ()
    field_work: bool = False  # any field-work step (the on-site record)
    questions: bool | None = None  # by default, prefer records with (True) or without (False) questions and answers


SOURCES: dict[str, SourceSpec] = {
    DocumentType.INITIATION_FORM.value: SourceSpec(("initiation", "initiation_approval")),
    DocumentType.ONSITE_RECORD.value: SourceSpec((), field_work=True, questions=False),
    DocumentType.INQUIRY_RECORD.value: SourceSpec(("investigation",), questions=True),
    DocumentType.PENALTY_NOTICE.value: SourceSpec(("notice",), workflows=("penalty", "penalty_simple")),
    DocumentType.HEARING_NOTICE.value: SourceSpec(("hearing_notice",)),
    DocumentType.PENALTY_DECISION.value: SourceSpec(
        ("decision", "onsite_decision"), workflows=("penalty", "penalty_simple")
    ),
    DocumentType.SERVICE_RECEIPT.value: SourceSpec(("service",)),
    DocumentType.SEIZURE_DECISION.value: SourceSpec(("onsite_measure",), workflows=("coercion",)),
    DocumentType.CLOSURE_FORM.value: SourceSpec(("closure",)),
}


def _fits(spec: SourceSpec, case: Case, record: CaseRecord) -> bool:
    if spec.workflows and case.workflow not in spec.workflows:
        return False
    if spec.field_work:
        return spec_for(case.workflow, record.step).field_work
    return record.step in spec.steps


def _source_errors(case: Case, doc_type: str, record: CaseRecord | None) -> tuple[list[FieldError], CaseRecord | None]:
    """The record a document is made from, or the reasons there is none (in Chinese)."""
    if doc_type not in SOURCES:
        return [FieldError("doc_type", "invalid", _("文书种类无效。"))], None
    spec = SOURCES[doc_type]
    title = str(DocumentType(doc_type).label)
    if spec.workflows and case.workflow not in spec.workflows:
        return [FieldError("doc_type", "wrong_workflow", _("本案的办理程序不适用%(doc)s。") % {"doc": title})], None
    if record is not None:
        if record.case_id != case.pk:
            return [FieldError("record", "other_case", _("该记录不属于本案。"))], None
        if not _fits(spec, case, record):
            message = _("该记录是“%(step)s”环节的记录，不能据以制作%(doc)s。") % {
                "step": step_name(case.workflow, record.step),
                "doc": title,
            }
            return [FieldError("record", "wrong_step", message)], None
        return [], record
    candidates = [r for r in case.records.order_by("-seq") if _fits(spec, case, r)]
    if spec.questions is not None:
        candidates.sort(key=lambda r: bool(r.data.get("questions")) != spec.questions)  # stable: latest first
    found = candidates[0] if candidates else None
    if found is None:
        if spec.field_work:
            needed = _("现场执法环节")
        else:
            needed = "”或“".join(step_name(case.workflow, s) for s in spec.steps)
            needed = f"“{needed}”"
        message = _("案件尚未记录%(step)s，不能制作%(doc)s。") % {"step": needed, "doc": title}
        return [FieldError("doc_type", "source_missing", message)], None
    return [], found


# --- the service -------------------------------------------------------------------------------------------------


def case_document_generate(
    *,
    acting_user: Any,
    case: Case,
    doc_type: str,
    record: CaseRecord | None = None,
    now: datetime | None = None,
) -> CaseDocument:
    """Generate a standard document of the case from its recorded step (REC-15) as DOCX and PDF.

    The source record is the latest record of the document's step unless one is named; without it the document
    is refused. In one transaction: the number is allocated (numbered types; a regenerated document keeps the
    number of its earlier version), both files are rendered and stored in both stores (verified), the document row
    is written with the next version, and `case.document_generated` goes to the case's ledger stream with the
    type, number, version and both SHA-256.
    """
    moment = now or timezone.now()
    if not may_handle(acting_user, case):
        raise deny(acting_user, action=f"case.document.{doc_type}", target=str(case.public_id))
    errors, source = _source_errors(case, doc_type, record)
    if errors:
        raise ServiceError(errors)
    assert source is not None
    doc_type = DocumentType(doc_type).value
    from sunlight.evidence.blobs import blob_store

    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)  # one generation of the case's documents at a time
        previous = _previous(locked, doc_type, source)
        if previous is not None:
            number, version = previous.number, previous.version + 1
        elif doc_type in NUMBERED:
            number, version = document_number_next(agency=locked.agency, doc_type=doc_type, on=source.occurred_at), 1
        else:
            number, version = "", 1
        context = _context(locked, doc_type, source, number)
        docx_bytes = render_docx(doc_type, context)
        pdf_bytes = render_pdf(doc_type, context)
        docx = blob_store(data=docx_bytes, content_type=DOCX_TYPE, now=moment, acting_user=acting_user)
        pdf = blob_store(data=pdf_bytes, content_type=PDF_TYPE, now=moment, acting_user=acting_user)
        document = CaseDocument.objects.create(
            case=locked,
            record=source,
            doc_type=doc_type,
            number=number,
            version=version,
            docx=docx,
            pdf=pdf,
            generated_by=acting_user,
            generated_at=moment,
        )
        ledger_append(
            stream=locked.stream,
            kind="case.document_generated",
            actor=actor_label(acting_user),
            payload={
                "case": str(locked.public_id),
                "document": str(document.public_id),
                "doc_type": doc_type,
                "doc_name": str(DocumentType(doc_type).label),
                "number": number,
                "version": version,
                "record": str(source.public_id),
                "record_seq": source.seq,
                "previous": str(previous.public_id) if previous is not None else None,
                "docx_sha256": docx.sha256,
                "docx_size": docx.size,
                "pdf_sha256": pdf.sha256,
                "pdf_size": pdf.size,
                "template_sha256": template_digest(doc_type),
            },
        )
    return document


def _previous(case: Case, doc_type: str, record: CaseRecord) -> CaseDocument | None:
    """The latest version of the same document: same type, made from this record or from one it corrects."""
    chain = [record.pk]
    current = record
    while current.corrects_id is not None and len(chain) < 100:
        chain.append(current.corrects_id)
        current = CaseRecord.objects.get(pk=current.corrects_id)
    return (
        CaseDocument.objects.filter(case=case, doc_type=doc_type, record_id__in=chain)
        .order_by("-version", "-id")
        .first()
    )


def document_open(*, user: Any, document: CaseDocument, fmt: str) -> tuple[IO[bytes], str, str]:
    """The stored DOCX or PDF of a document for download: (file object, file name, content type).

    The use is checked and logged through the access log first (REC-11): whoever may handle the case uses its
    documents as their own records; anyone else needs an approved access request for the case. The bytes come from
    the first copy whose SHA-256 matches (a damaged copy is skipped).
    """
    from sunlight.access.choices import Action
    from sunlight.access.services import access_use

    if fmt not in FORMATS:
        raise ServiceError.single("fmt", "invalid", _("文件格式无效（docx 或 pdf）。"))
    case = document.case
    stored = document.docx if fmt == "docx" else document.pdf
    access_use(
        user=user,
        subject=case_subject(case, user),
        action=Action.DOWNLOAD,
        target=f"document:{document.public_id}:{fmt}:{stored.sha256}",
    )
    data = blob_read(stored)
    label = document_label(document.doc_type)
    reference = document.number or case.number
    filename = f"{label}_{reference}_v{document.version}.{fmt}"
    return io.BytesIO(data), filename, FORMATS[fmt]


def document_label(doc_type: str) -> str:
    """The Chinese name of a document type (including the review opinion, which the review app makes)."""
    if doc_type in DocumentType.values:
        return str(DocumentType(doc_type).label)
    return {"review_opinion": _("法制审核意见书")}.get(doc_type, doc_type)


def case_subject(case: Case, user: Any = None) -> Any:
    """The case as an access subject (REC-11): its officers own it, and so does `user` when they may handle it."""
    from sunlight.access.subjects import Subject

    owners = {case.lead_officer_id, *case.officers.values_list("pk", flat=True)}
    if user is not None and getattr(user, "pk", None) is not None and may_handle(user, case):
        owners.add(user.pk)
    return Subject(
        type="case",
        id=str(case.public_id),
        label=f"{case.number} {case.title}",
        agency=case.agency,
        unit=case.unit,
        owner_ids=frozenset(owners),
    )


# --- rendering ---------------------------------------------------------------------------------------------------


def render_docx(doc_type: str, context: dict[str, Any]) -> bytes:
    """The DOCX of a document from its stored docxtpl template (values escaped for XML; same bytes for the same
    context)."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(TEMPLATE_DIR / f"{doc_type}.docx"))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return normalise_zip(out.getvalue())


def render_pdf(doc_type: str, context: dict[str, Any]) -> bytes:
    """The PDF of a document from its HTML template, by WeasyPrint with the CJK fonts of the machine."""
    from weasyprint import HTML

    html = render_to_string(f"cases/documents/{doc_type}.html", context)
    return bytes(HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf())


def template_digest(doc_type: str) -> dict[str, str]:
    """SHA-256 of the two templates a document was made with (recorded in the ledger)."""
    return {
        ext: hashlib.sha256((TEMPLATE_DIR / f"{doc_type}.{ext}").read_bytes()).hexdigest() for ext in ("docx", "html")
    }


def normalise_zip(data: bytes) -> bytes:
    """The same ZIP with fixed member dates and attributes, so that the same contents give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


# --- the data of a document ----------------------------------------------------------------------------------------


def _day(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日{local.hour}时{local.minute:02d}分"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    if isinstance(value, datetime):
        return _time(value)
    parsed = checks.parse_time(value) if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\dT", value) else None
    if parsed is not None:
        return _time(parsed)
    return str(value).strip()


def _sentence(text: str) -> str:
    """Text that ends a sentence (a full stop added when it has no closing punctuation)."""
    text = text.strip()
    return text + "。" if text and text[-1] not in "。；！？.!?" else text


DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿", "万亿")


def rmb_upper(fen: int) -> str:
    """An amount in fen in Chinese capital numerals (人民币大写): 5000000 → 伍万元整."""
    if fen < 0:
        return "负" + rmb_upper(-fen)
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    text = _upper_integer(yuan) + "元" if yuan else ""
    if not jiao and not cents:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if cents:
        text += DIGITS[cents] + "分"
    return text


def _upper_integer(number: int) -> str:
    digits = str(number)
    out = ""
    zero = False
    for index, char in enumerate(digits):
        power = len(digits) - 1 - index
        if char == "0":
            zero = True
        else:
            if zero and out:
                out += "零"
            zero = False
            out += DIGITS[int(char)] + UNITS[power % 4]
        if power % 4 == 0 and power and int(digits[max(0, index - 3) : index + 1]):
            out += GROUPS[power // 4]
    return out or DIGITS[0]


def yuan(fen: int) -> str:
    """12345 fen → "123.45"."""
    return f"{fen // 100:,}.{fen % 100:02d}"


def _fine_text(fen: int) -> str:
    return f"罚款人民币{yuan(fen)}元（大写：{rmb_upper(fen)}）"


def _penalty_text(data: dict[str, Any]) -> str:
    kinds = [str(k) for k in (data.get("kinds") or [])]
    fine = checks.as_int(data.get("fine_fen")) or 0
    parts = []
    for kind in kinds:
        if kind == "fine":
            parts.append(_fine_text(fine) if fine else str(PENALTY_KINDS["fine"]))
        else:
            parts.append(str(PENALTY_KINDS.get(kind, kind)))
    extra = _text(data.get("penalty_detail"))
    if extra:
        parts.append(extra)
    return "；".join(parts)


def _officers(record: CaseRecord) -> str:
    people = record.officers or []
    return "、".join(
        f"{p.get('name', '')}（执法证号：{p.get('certificate') or '无'}）" if isinstance(p, dict) else str(p)
        for p in people
    )


def _officer_names(record: CaseRecord) -> str:
    return "、".join(str(p.get("name", "")) for p in (record.officers or []) if isinstance(p, dict))


def _signature(record: CaseRecord) -> str:
    if record.party_signed:
        return "当事人已签名确认"
    if record.refusal_note.strip():
        return f"当事人拒绝签名（{record.refusal_note.strip()}）"
    if not record.party_present:
        return "当事人不在场"
    return "未签名"


def _user_name(user: Any) -> str:
    return str(getattr(user, "full_name", "") or getattr(user, "username", ""))


LABELS: dict[str, str] = {
    "facts": "违法事实",
    "items": "物品清单",
    "measure": "强制措施",
    "findings": "检查情况",
    "statement": "陈述、申辩内容",
    "host": "听证主持人",
    "proposed": "拟作出的处罚",
    "reasons": "理由",
    "summary": "情况说明",
    "conclusion": "结论",
    "handling": "处理决定",
}


def _data_rows(case: Case, record: CaseRecord) -> list[dict[str, str]]:
    """The step's own fields in words (label, value), in the spec's order, then other known fields."""
    labels = {key: str(label) for key, label in spec_for(case.workflow, record.step).required}
    for key, label in LABELS.items():
        labels.setdefault(key, label)
    rows = []
    for key, label in labels.items():
        value = record.data.get(key)
        if checks.blank(value):
            continue
        rows.append({"label": label, "value": _text(value)})
    return rows


def _av_rows(records: list[CaseRecord]) -> list[dict[str, str]]:
    """Each AV file linked to the records (or the AV record alone while no file is stored), with its SHA-256."""
    rows = []
    for record in records:
        for link in record.av_links.select_related("av_record").order_by("id"):
            av = link.av_record
            when = f"{_time(av.recorded_from)}至{_time(av.recorded_to)}"
            files = list(av.files.select_related("file").order_by("uploaded_at", "id"))
            if not files:
                rows.append({"name": f"音像记录：{av.title}", "at": when, "sha256": "（文件尚未入库）"})
            for av_file in files:
                rows.append(
                    {"name": f"音像记录：{av.title}（{av_file.filename}）", "at": when, "sha256": av_file.file.sha256}
                )
    return rows


def _record_block(case: Case, record: CaseRecord) -> dict[str, Any]:
    rights = [str(RIGHTS.get(r, r)) for r in (record.rights_notified or [])]
    return {
        "step": step_name(case.workflow, record.step),
        "seq": str(record.seq),
        "at": _time(record.occurred_at),
        "date": _day(record.occurred_at),
        "place": record.place,
        "officers": _officers(record),
        "officer_names": _officer_names(record),
        "certificates": "已出示执法证件" if record.certificates_shown else "未出示执法证件",
        "party_present": "在场" if record.party_present else "不在场",
        "rights": "、".join(rights),
        "rights_how": record.rights_how,
        "content": record.content,
        "signature": _signature(record),
        "recorded_by": _user_name(record.recorded_by),
        "data_rows": _data_rows(case, record),
        "av": _av_rows([record]),
        "entry_hash": record.entry_hash,
    }


def _item_text(case: Case, on: datetime) -> tuple[str, str]:
    """The enforcement item's name and basis in force on the day (both "" without an item)."""
    if case.item is None:
        return "", ""
    from sunlight.catalog.choices import CatalogKind
    from sunlight.catalog.versioning import current_version

    version = current_version(CatalogKind.ITEM, case.item, on=timezone.localtime(on).date())
    if version is None:
        return case.item.code, ""
    return str(version.name), str(version.basis_text or "")


def _earliest(case: Case, step: str) -> CaseRecord | None:
    return case.records.filter(step=step).order_by("seq").first()


def _latest(case: Case, step: str, before: CaseRecord | None = None) -> CaseRecord | None:
    records = case.records.filter(step=step)
    if before is not None:
        records = records.filter(seq__lt=before.seq)
    return records.order_by("-seq").first()


def _number_of(case: Case, doc_type: str) -> str:
    found = CaseDocument.objects.filter(case=case, doc_type=doc_type).exclude(number="").order_by("-id").first()
    return found.number if found is not None else ""


def _remedies(case: Case) -> dict[str, str]:
    region = case.agency.region.name
    return {
        "reconsideration": f"{region}人民政府",
        "court": f"{region}人民法院",
    }


def _context(case: Case, doc_type: str, record: CaseRecord, number: str) -> dict[str, Any]:
    """Everything a document shows, as text (dates in Chinese, amounts in yuan and in capitals)."""
    agency = case.agency
    opened = case.opened_at or case.created_at
    team = [case.lead_officer, *case.officers.exclude(pk=case.lead_officer_id).order_by("pk")]
    context: dict[str, Any] = {
        "doc": {
            "title": str(DocumentType(doc_type).label),
            "number": number,
            "reference": number or f"案件编号：{case.number}",
            "date": _day(record.occurred_at),
        },
        "agency": {
            "name": agency.name,
            "address": agency.address,
            "phone": agency.phone,
            "region": agency.region.name,
        },
        "case": {
            "number": case.number,
            "title": case.title,
            "summary": case.summary,
            "source": str(Source(case.source).label) if case.source in Source.values else case.source,
            "source_ref": case.source_ref,
            "unit": case.unit.name,
            "officers": "、".join(_user_name(u) for u in team),
            "opened": _day(opened),
            "decided": _day(case.decided_at),
            "emergency": "是（紧急情况先行调查取证）" if case.emergency else "否",
        },
        "party": {
            "name": case.party_name,
            "kind": str(PartyKind(case.party_kind).label) if case.party_kind in PartyKind.values else "",
            "id_label": "统一社会信用代码" if case.party_kind == PartyKind.ORGANISATION else "身份证件号码",
            "id_number": case.party_id_number,
            "address": case.party_address,
            "phone": case.party_phone,
            "you": "你单位" if case.party_kind == PartyKind.ORGANISATION else "你",
        },
        "rec": _record_block(case, record),
        "remedies": _remedies(case),
    }
    item_name, item_basis = _item_text(case, record.occurred_at)
    context["case"]["item"] = item_name
    builder = BUILDERS.get(doc_type)
    if builder is not None:
        context.update(builder(case, record, item_basis))
    return context


def _initiation(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    emergency = _earliest(case, "emergency_initiation")
    facts = _text(record.data.get("facts")) or (_text(emergency.data.get("facts")) if emergency else "")
    return {
        "initiation": {
            "facts": facts,
            "basis": item_basis,
            "opinion": record.content.strip() or "同意立案",
            "approver": _user_name(record.recorded_by),
            "at": _day(record.occurred_at),
            "emergency": f"先行调查：{_time(emergency.occurred_at)}" if emergency else "",
        }
    }


def _inquiry(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    questions = record.data.get("questions") or []
    qa = [
        {"q": _text(entry.get("q")), "a": _text(entry.get("a"))}
        for entry in questions
        if isinstance(entry, dict) and not checks.blank(entry.get("q"))
    ]
    return {
        "inquiry": {
            "person": _text(record.data.get("person")) or case.party_name,
            "relation": _text(record.data.get("relation")) or "当事人（或其委托代理人）",
            "qa": qa,
            "has_qa": bool(qa),
        }
    }


def _notice(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    data = record.data
    initiation = _latest(case, "initiation") or _latest(case, "emergency_initiation")
    facts = _text(data.get("facts")) or (_text(initiation.data.get("facts")) if initiation else "") or case.summary
    hearing = "hearing" in (record.rights_notified or []) or bool(data.get("hearing_right"))
    window = checks.last_deadline(case, "penalty.hearing_request")
    due = ""
    if window is not None and window.due_at is not None:
        due = _day(window.due_at - timedelta(seconds=1))
    evidence = []
    for earlier in case.records.filter(seq__lt=record.seq).order_by("seq"):
        if spec_for(case.workflow, earlier.step).field_work:
            evidence.append(f"{step_name(case.workflow, earlier.step)}记录（{_day(earlier.occurred_at)}）")
    av_count = len(_av_rows(list(case.records.filter(seq__lt=record.seq))))
    if av_count:
        evidence.append(f"音像记录{av_count}份")
    return {
        "notice": {
            "facts": _sentence(facts),
            "basis": _text(data.get("basis")) or item_basis or "有关法律、法规、规章",
            "proposed": _text(data.get("proposed")),
            "evidence": "、".join(evidence) or "现场检查记录等",
            "hearing": hearing,
            "hearing_due": f"（即{due}前）" if due else "",
            "contact": _officer_names(record) or case.lead_officer.full_name,
        }
    }


def _hearing(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    data = record.data
    request = _latest(case, "hearing_request", before=record)
    return {
        "hearing": {
            "at": _text(data.get("hearing_at")),
            "place": _text(data.get("place")) or record.place or case.agency.address,
            "host": _text(data.get("host")) or "由本机关指定",
            "clerk": _text(data.get("clerk")),
            "public": "不公开举行" if data.get("private") else "公开举行",
            "requested": f"于{_day(request.occurred_at)}" if request else "",
            "notice_ref": f"（《行政处罚事先告知书》{number}）"
            if (number := _number_of(case, "penalty_notice"))
            else "",
        }
    }


def _discretion(case: Case, data: dict[str, Any]) -> str:
    check = data.get("benchmark_check")
    reasons = _text(data.get("discretion_reasons"))
    if not isinstance(check, dict):
        text = "本案未适用裁量基准。"
        return f"{text}裁量理由：{reasons}" if reasons else text
    name = ""
    from sunlight.catalog.choices import CatalogKind, Circumstance
    from sunlight.catalog.models import Benchmark
    from sunlight.catalog.versioning import current_version

    benchmark = Benchmark.objects.filter(public_id=str(check.get("benchmark"))).first()
    if benchmark is not None and case.decided_at is not None:
        version = current_version(CatalogKind.BENCHMARK, benchmark, on=timezone.localtime(case.decided_at).date())
        name = str(getattr(version, "violation", "")) if version is not None else ""
    circumstance = str(data.get("circumstance") or "")
    level = str(Circumstance(circumstance).label) if circumstance in Circumstance.values else circumstance
    text = f"本案适用“{name or (benchmark.code if benchmark else '')}”裁量基准（第{check.get('version')}版）"
    if level:
        text += f"，违法情节认定为“{level}”"
    allowed = "；".join(str(a) for a in check.get("allowed") or [])
    if check.get("within"):
        text += "。经核对，本处罚在裁量基准规定的幅度以内"
        text += f"（基准幅度：{allowed}）。" if allowed else "。"
    else:
        problems = "；".join(str(p) for p in check.get("problems") or [])
        text += f"。本处罚超出裁量基准规定的幅度（{problems}）"
        text += f"，基准幅度为：{allowed}" if allowed else ""
        text += "。"
        if reasons:
            text += f"超出基准的理由：{reasons}"
    if check.get("within") and reasons:
        text += f"裁量理由：{reasons}"
    return text


def _procedure(case: Case, record: CaseRecord) -> str:
    """What happened between the notice and the decision: statements, hearing, review, discussion."""
    parts = []
    notice = _latest(case, "notice", before=record)
    if notice is not None:
        number = _number_of(case, DocumentType.PENALTY_NOTICE)
        named = f"《行政处罚事先告知书》（{number}）" if number else "《行政处罚事先告知书》"
        parts.append(
            f"本机关于{_day(notice.occurred_at)}向当事人送达了{named}，告知了拟作出行政处罚的事实、理由、依据、"
            "内容及当事人依法享有的陈述、申辩和要求听证等权利。"
        )
    statements = list(case.records.filter(step="statement", seq__lt=record.seq).order_by("seq"))
    said = [_text(s.data.get("statement")) for s in statements if not checks.blank(s.data.get("statement"))]
    if said:
        parts.append(f"当事人提出的陈述、申辩意见为：{'；'.join(said)}。本机关已对其进行复核。")
    elif notice is not None:
        parts.append("当事人在法定期限内未提出陈述、申辩意见。")
    if any(s.data.get("waived_hearing") for s in statements):
        parts.append("当事人明确表示放弃听证。")
    hearing = _latest(case, "hearing", before=record)
    if hearing is not None:
        parts.append(
            f"本机关于{_day(hearing.occurred_at)}依法举行了听证，听证主持人为{_text(hearing.data.get('host'))}。"
        )
    review = _latest(case, "legal_review", before=record)
    if review is not None:
        parts.append(f"本案经法制审核，审核意见：{_text(review.content) or _text(review.data.get('outcome'))}。")
    discussion = _latest(case, "collective_discussion", before=record)
    if discussion is not None:
        parts.append(f"本案经本机关负责人集体讨论，结论：{_text(discussion.data.get('conclusion'))}。")
    return "".join(parts)


def _decision(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    data = record.data
    fine = checks.as_int(data.get("fine_fen")) or 0
    earlier = list(case.records.filter(seq__lt=record.seq).order_by("seq"))
    evidence = [
        {
            "name": f"{step_name(case.workflow, r.step)}记录（第{r.seq}号）",
            "at": _time(r.occurred_at),
            "sha256": r.entry_hash,
        }
        for r in earlier
    ]
    evidence += _av_rows([*earlier, record])
    for index, row in enumerate(evidence, start=1):
        row["n"] = str(index)
    major = ""
    if case.is_major or data.get("major_reasons"):
        reasons = "；".join(str(r.get("title", "")) for r in data.get("major_reasons") or [] if isinstance(r, dict))
        major = f"本案属于重大执法决定（{reasons}），已经法制审核通过。" if reasons else ""
    return {
        "decision": {
            "facts": _sentence(_text(data.get("facts"))),
            "basis": _text(data.get("basis")),
            "violation": f"违反了{_text(data.get('violated'))}的规定，"
            if not checks.blank(data.get("violated"))
            else "",
            "evidence": evidence,
            "discretion": _discretion(case, data),
            "penalty": _penalty_text(data),
            "has_fine": fine > 0,
            "fine": f"人民币{yuan(fine)}元（大写：{rmb_upper(fine)}）" if fine else "",
            "procedure": _procedure(case, record),
            "major": major,
            "simple": case.workflow == "penalty_simple",
        }
    }


def _service(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    data = record.data
    mode = record.variant
    document = _text(data.get("document"))
    number = _text(data.get("document_number"))
    if not number:
        for doc_type in NUMBERED:
            if str(DocumentType(doc_type).label) in document:
                number = _number_of(case, doc_type)
                break
    details = [
        {"label": str(label), "value": _text(data.get(key))}
        for key, label in SERVICE_FIELDS.get(mode, ())
        if not checks.blank(data.get(key))
    ]
    return {
        "service": {
            "signature": _receipt(record),
            "document": document,
            "number": number,
            "recipient": _text(data.get("recipient")),
            "mode": str(ServiceMode(mode).label) if mode in ServiceMode.values else mode,
            "place": record.place or case.party_address,
            "at": _time(record.occurred_at),
            "servers": _officer_names(record) or _user_name(record.recorded_by),
            "details": details,
            "note": record.content,
        }
    }


RECEIPTS = {
    "direct": "受送达人已签收",
    "lodged": "受送达人拒绝签收，已留置送达",
    "mail": "以邮寄回执为准",
    "entrusted": "以受委托或者转交机关的送达回证为准",
    "electronic": "以电子送达系统的送达记录为准",
    "public_notice": "公告送达，自公告期满视为送达",
}


def _receipt(record: CaseRecord) -> str:
    """How the receipt was signed: the signature, the refusal, or what stands in for it in the mode."""
    if record.party_signed:
        return "受送达人已签名（盖章）"
    if record.refusal_note.strip():
        return f"受送达人拒绝签收（{record.refusal_note.strip()}）"
    return RECEIPTS.get(record.variant, "")


def _seizure(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    data = record.data
    start = timezone.localtime(record.occurred_at).date()
    return {
        "seizure": {
            "measure": _text(data.get("measure")),
            "goods": _text(data.get("items")),
            "facts": _sentence(_text(data.get("facts")) or record.content),
            "basis": _text(data.get("basis")) or item_basis or "《中华人民共和国行政强制法》第九条、第二十二条",
            "place": record.place,
            "at": _time(record.occurred_at),
            "start": _day(start),
            "end": _day(start + timedelta(days=30)),
        }
    }


def _closure(case: Case, record: CaseRecord, item_basis: str) -> dict[str, Any]:
    decision = _latest(case, "decision") or _latest(case, "onsite_decision")
    paid, surcharge = checks.amount_due(case)
    execution = []
    if case.fine_fen:
        execution.append(f"应缴罚款{yuan(case.fine_fen)}元，已缴纳{yuan(paid)}元")
        if surcharge:
            execution.append(f"加处罚款{yuan(surcharge)}元")
    if _latest(case, "court_application"):
        execution.append("已申请人民法院强制执行")
    return {
        "closure": {
            "result": _penalty_text(decision.data) if decision else "",
            "decision_number": _number_of(case, DocumentType.PENALTY_DECISION),
            "execution": "；".join(execution) or "无需执行",
            "summary": _text(record.data.get("summary")),
            "opinion": record.content.strip() or "同意结案",
            "approver": _user_name(record.recorded_by),
            "at": _day(record.occurred_at),
            "decided": _day(case.decided_at),
        }
    }


BUILDERS = {
    DocumentType.INITIATION_FORM.value: _initiation,
    DocumentType.INQUIRY_RECORD.value: _inquiry,
    DocumentType.PENALTY_NOTICE.value: _notice,
    DocumentType.HEARING_NOTICE.value: _hearing,
    DocumentType.PENALTY_DECISION.value: _decision,
    DocumentType.SERVICE_RECEIPT.value: _service,
    DocumentType.SEIZURE_DECISION.value: _seizure,
    DocumentType.CLOSURE_FORM.value: _closure,
}


# --- layouts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """The document's title, centred (the agency's name above it)."""

    text: str


@dataclass(frozen=True)
class Subtitle:
    """A centred line under the title (the document number)."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph (indented by two characters unless `indent` is False)."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Grid:
    """A form: one row per (label, value)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A list: headers, then one row per element of `each` ("row in path")."""

    headers: tuple[str, ...]
    each: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class When:
    """Blocks shown only when `test` ("path" or "not path") is true."""

    test: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Sign:
    """Right-aligned closing lines (seal, date)."""

    lines: tuple[str, ...]


Block = Title | Subtitle | Heading | Para | Grid | Table | When | Sign

HEAD = (Title("{{ agency.name }}"),)
SEAL = Sign(("{{ agency.name }}（印章）", "{{ doc.date }}"))
REMEDIES_TEXT = (
    "如不服本决定，可以在收到本决定书之日起六十日内向{{ remedies.reconsideration }}申请行政复议，"
    "也可以在收到本决定书之日起六个月内依法向{{ remedies.court }}提起行政诉讼。"
)
RECORD_FOOT = (
    Grid(
        (
            ("当事人签名", "{{ rec.signature }}"),
            ("执法人员签名", "{{ rec.officer_names }}"),
            ("记录人", "{{ rec.recorded_by }}"),
        )
    ),
)
AV_TABLE = When(
    "rec.av",
    (
        Heading("音像记录"),
        Table(
            ("音像记录", "录制时间", "SHA-256 校验值"),
            "row in rec.av",
            ("{{ row.name }}", "{{ row.at }}", "{{ row.sha256 }}"),
        ),
    ),
)

LAYOUTS: dict[str, tuple[Block, ...]] = {
    DocumentType.INITIATION_FORM.value: (
        *HEAD,
        Title("立案审批表"),
        Subtitle("案件编号：{{ case.number }}"),
        Grid(
            (
                ("案由", "{{ case.title }}"),
                ("案件来源", "{{ case.source }} {{ case.source_ref }}"),
                ("执法事项", "{{ case.item }}"),
                ("当事人", "{{ party.name }}（{{ party.kind }}）"),
                ("{{ party.id_label }}", "{{ party.id_number }}"),
                ("住所（地址）", "{{ party.address }}"),
                ("联系电话", "{{ party.phone }}"),
                ("违法事实摘要", "{{ initiation.facts }}"),
                ("案情摘要", "{{ case.summary }}"),
                ("立案依据", "{{ initiation.basis }}"),
                ("紧急情况先行调查", "{{ case.emergency }} {{ initiation.emergency }}"),
                ("承办机构", "{{ case.unit }}"),
                ("承办人员", "{{ case.officers }}"),
                ("审批意见", "{{ initiation.opinion }}"),
                ("审批人", "{{ initiation.approver }}"),
                ("审批日期", "{{ initiation.at }}"),
            )
        ),
    ),
    DocumentType.ONSITE_RECORD.value: (
        *HEAD,
        Title("现场笔录"),
        Subtitle("案件编号：{{ case.number }}"),
        Grid(
            (
                ("案由", "{{ case.title }}"),
                ("执法环节", "{{ rec.step }}"),
                ("时间", "{{ rec.at }}"),
                ("地点", "{{ rec.place }}"),
                ("执法人员及执法证号", "{{ rec.officers }}"),
                ("出示证件情况", "{{ rec.certificates }}"),
                ("当事人", "{{ party.name }}（{{ rec.party_present }}）"),
                ("{{ party.id_label }}", "{{ party.id_number }}"),
                ("告知的权利", "{{ rec.rights }} {{ rec.rights_how }}"),
            )
        ),
        Heading("现场情况"),
        Para("{{ rec.content }}"),
        When(
            "rec.data_rows", (Table(("项目", "内容"), "row in rec.data_rows", ("{{ row.label }}", "{{ row.value }}")),)
        ),
        AV_TABLE,
        Para("以上笔录已向当事人宣读（或交当事人阅读），当事人核对无误。"),
        *RECORD_FOOT,
    ),
    DocumentType.INQUIRY_RECORD.value: (
        *HEAD,
        Title("询问笔录"),
        Subtitle("案件编号：{{ case.number }}"),
        Grid(
            (
                ("案由", "{{ case.title }}"),
                ("询问时间", "{{ rec.at }}"),
                ("询问地点", "{{ rec.place }}"),
                ("询问人及执法证号", "{{ rec.officers }}"),
                ("记录人", "{{ rec.recorded_by }}"),
                ("被询问人", "{{ inquiry.person }}"),
                ("与本案关系", "{{ inquiry.relation }}"),
                ("出示证件情况", "{{ rec.certificates }}"),
            )
        ),
        Para(
            "我们是{{ agency.name }}的执法人员，已向你出示执法证件。现依法就{{ case.title }}一案向你进行询问调查，"
            "请如实回答。你有陈述、申辩的权利；认为执法人员与本案有直接利害关系的，有申请回避的权利。"
        ),
        Heading("询问内容"),
        When("inquiry.has_qa", (Table(("问", "答"), "row in inquiry.qa", ("{{ row.q }}", "{{ row.a }}")),)),
        When("not inquiry.has_qa", (Para("{{ rec.content }}"),)),
        When(
            "rec.data_rows", (Table(("项目", "内容"), "row in rec.data_rows", ("{{ row.label }}", "{{ row.value }}")),)
        ),
        Para("以上笔录已交被询问人阅读（或向其宣读），被询问人核对无误。"),
        Grid(
            (
                ("被询问人签名", "{{ rec.signature }}"),
                ("询问人签名", "{{ rec.officer_names }}"),
            )
        ),
    ),
    DocumentType.PENALTY_NOTICE.value: (
        *HEAD,
        Title("行政处罚事先告知书"),
        Subtitle("{{ doc.number }}"),
        Para("{{ party.name }}：", indent=False),
        Para("本机关于{{ case.opened }}对{{ party.you }}涉嫌{{ case.title }}一案立案调查。经查明：{{ notice.facts }}"),
        Para("以上事实有{{ notice.evidence }}等证据证实。"),
        Para(
            "{{ party.you }}的上述行为违反了有关规定。依据{{ notice.basis }}的规定，本机关拟对{{ party.you }}作出如下行政处罚：{{ notice.proposed }}。"
        ),
        Heading("当事人依法享有的权利"),
        Para(
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{{ party.you }}有权进行陈述和申辩。"
            "陈述、申辩意见可以在收到本告知书之日起五个工作日内以书面或者口头形式向本机关提出；本机关不因陈述、申辩而给予更重的处罚。"
        ),
        When(
            "notice.hearing",
            (
                Para(
                    "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{{ party.you }}有权要求举行听证。"
                    "要求听证的，应当在收到本告知书之日起五个工作日内{{ notice.hearing_due }}向本机关提出；"
                    "逾期未提出的，视为放弃听证权利。"
                ),
            ),
        ),
        Para("逾期未提出陈述、申辩或者听证要求的，视为放弃上述权利，本机关将依法作出行政处罚决定。"),
        Para("联系人：{{ notice.contact }}　联系电话：{{ agency.phone }}　地址：{{ agency.address }}", indent=False),
        SEAL,
    ),
    DocumentType.HEARING_NOTICE.value: (
        *HEAD,
        Title("听证通知书"),
        Subtitle("{{ doc.number }}"),
        Para("{{ party.name }}：", indent=False),
        Para(
            "根据{{ party.you }}{{ hearing.requested }}提出的听证申请，本机关决定就{{ case.title }}一案"
            "{{ hearing.notice_ref }}举行听证。现将有关事项通知如下："
        ),
        Grid(
            (
                ("听证时间", "{{ hearing.at }}"),
                ("听证地点", "{{ hearing.place }}"),
                ("听证主持人", "{{ hearing.host }}"),
                ("书记员", "{{ hearing.clerk }}"),
                ("听证方式", "{{ hearing.public }}"),
            )
        ),
        Para(
            "请{{ party.you }}准时出席。{{ party.you }}可以亲自参加听证，也可以委托一至二人代理；委托代理人参加的，"
            "应当提交授权委托书。"
        ),
        Para("{{ party.you }}认为听证主持人与本案有直接利害关系的，有权申请回避，申请应当在举行听证前提出。"),
        Para(
            "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证"
            "（《中华人民共和国行政处罚法》第六十四条）。"
        ),
        Para("联系电话：{{ agency.phone }}　地址：{{ agency.address }}", indent=False),
        SEAL,
    ),
    DocumentType.PENALTY_DECISION.value: (
        *HEAD,
        Title("行政处罚决定书"),
        Subtitle("{{ doc.number }}"),
        Grid(
            (
                ("当事人", "{{ party.name }}"),
                ("{{ party.id_label }}", "{{ party.id_number }}"),
                ("住所（地址）", "{{ party.address }}"),
            )
        ),
        Para("本机关于{{ case.opened }}对{{ party.name }}涉嫌{{ case.title }}一案立案调查。{{ decision.procedure }}"),
        Heading("一、违法事实"),
        Para("经查明：{{ decision.facts }}"),
        Heading("二、证据"),
        Para("上述事实有下列证据证明（记录及音像文件以 SHA-256 校验值标识，可在全过程记录中核验）："),
        Table(
            ("序号", "证据", "形成时间", "SHA-256 校验值"),
            "row in decision.evidence",
            ("{{ row.n }}", "{{ row.name }}", "{{ row.at }}", "{{ row.sha256 }}"),
        ),
        Heading("三、处罚依据"),
        Para("当事人的上述行为{{ decision.violation }}依据{{ decision.basis }}的规定，应予处罚。"),
        Heading("四、裁量说明"),
        Para("{{ decision.discretion }}"),
        When("decision.major", (Para("{{ decision.major }}"),)),
        Heading("五、处罚决定"),
        Para("本机关决定对当事人作出如下行政处罚：{{ decision.penalty }}。"),
        Heading("六、履行方式和期限"),
        When(
            "decision.has_fine",
            (
                Para(
                    "当事人应当自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款{{ decision.fine }}。"
                    "到期不缴纳罚款的，本机关将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，"
                    "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款的数额。"
                ),
            ),
        ),
        When("not decision.has_fine", (Para("当事人应当自收到本决定书之日起履行本决定。"),)),
        Heading("七、救济途径"),
        Para(
            "当事人如不服本处罚决定，可以在收到本决定书之日起六十日内向{{ remedies.reconsideration }}申请行政复议，"
            "也可以在收到本决定书之日起六个月内依法向{{ remedies.court }}提起行政诉讼。"
            "行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
            "当事人逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行。"
        ),
        SEAL,
    ),
    DocumentType.SERVICE_RECEIPT.value: (
        *HEAD,
        Title("送达回证"),
        Subtitle("案件编号：{{ case.number }}"),
        Grid(
            (
                ("案由", "{{ case.title }}"),
                ("送达文书", "{{ service.document }}"),
                ("文书编号", "{{ service.number }}"),
                ("受送达人", "{{ service.recipient }}"),
                ("送达方式", "{{ service.mode }}"),
                ("送达地点", "{{ service.place }}"),
                ("送达时间", "{{ service.at }}"),
                ("送达人", "{{ service.servers }}"),
                ("收件人签名或者盖章", "{{ service.signature }}"),
            )
        ),
        When(
            "service.details",
            (Table(("送达情况", "内容"), "row in service.details", ("{{ row.label }}", "{{ row.value }}")),),
        ),
        When("service.note", (Para("备注：{{ service.note }}", indent=False),)),
        SEAL,
    ),
    DocumentType.SEIZURE_DECISION.value: (
        *HEAD,
        Title("查封扣押决定书"),
        Subtitle("{{ doc.number }}"),
        Para("{{ party.name }}：", indent=False),
        Para(
            "{{ party.you }}涉嫌{{ case.title }}。{{ seizure.facts }}依据{{ seizure.basis }}的规定，"
            "本机关决定对{{ party.you }}的下列场所、设施或者财物采取{{ seizure.measure }}的行政强制措施："
        ),
        Grid(
            (
                ("查封、扣押的场所、设施或者财物", "{{ seizure.goods }}"),
                ("实施地点", "{{ seizure.place }}"),
                ("实施时间", "{{ seizure.at }}"),
                ("期限", "三十日（{{ seizure.start }}至{{ seizure.end }}）"),
            )
        ),
        Para(
            "查封、扣押的期限不得超过三十日；情况复杂的，经本机关负责人批准，可以延长，但是延长期限不得超过三十日"
            "（《中华人民共和国行政强制法》第二十五条）。延长的，本机关将书面告知{{ party.you }}。"
            "检测、检验、检疫或者技术鉴定的期间不计入查封、扣押期限。"
        ),
        Para("在查封、扣押期间，{{ party.you }}不得擅自转移、隐匿、损毁或者使用被查封、扣押的场所、设施或者财物。"),
        Para(REMEDIES_TEXT),
        SEAL,
    ),
    DocumentType.CLOSURE_FORM.value: (
        *HEAD,
        Title("结案审批表"),
        Subtitle("案件编号：{{ case.number }}"),
        Grid(
            (
                ("案由", "{{ case.title }}"),
                ("当事人", "{{ party.name }}"),
                ("{{ party.id_label }}", "{{ party.id_number }}"),
                ("立案日期", "{{ case.opened }}"),
                ("决定日期", "{{ closure.decided }}"),
                ("处罚决定书文号", "{{ closure.decision_number }}"),
                ("处理结果", "{{ closure.result }}"),
                ("执行情况", "{{ closure.execution }}"),
                ("结案情况", "{{ closure.summary }}"),
                ("承办机构", "{{ case.unit }}"),
                ("承办人员", "{{ case.officers }}"),
                ("审批意见", "{{ closure.opinion }}"),
                ("审批人", "{{ closure.approver }}"),
                ("审批日期", "{{ closure.at }}"),
            )
        ),
    ),
}


# --- building the templates from the layouts -----------------------------------------------------------------------

_EXPRESSION = re.compile(r"\{\{ ([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*) \}\}")
_PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*")
# Keys that Jinja would read as the dict's own methods: a value must never be named like one.
_RESERVED = frozenset({"items", "keys", "values", "get", "pop", "copy", "update", "clear", "setdefault", "popitem"})


def _checked(text: str) -> str:
    """A layout text: plain text with `{{ path }}` only (the subset Jinja and Django read alike)."""
    for match in _EXPRESSION.finditer(text):
        if _RESERVED & set(match.group(1).split(".")):
            raise ValueError(f"layout path {match.group(1)!r} uses a reserved name")
    rest = _EXPRESSION.sub("", text)
    if "{" in rest or "}" in rest:
        raise ValueError(f"layout text {text!r} holds template syntax other than {{{{ path }}}}")
    return text


def _test(test: str) -> str:
    path = test.removeprefix("not ")
    if not _PATH.fullmatch(path) or _RESERVED & set(path.split(".")):
        raise ValueError(f"layout test {test!r} is not a path")
    return test


def _each(each: str) -> tuple[str, str]:
    name, _in, path = each.partition(" in ")
    if not _PATH.fullmatch(name) or not _PATH.fullmatch(path):
        raise ValueError(f"layout loop {each!r} is not 'name in path'")
    return name, path


def docx_template(doc_type: str) -> bytes:
    """The docxtpl template of a document type, built from its layout (same bytes on every build)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    def font(style_or_run: Any, name: str, size: float, *, bold: bool = False) -> None:
        style_or_run.font.name = name
        style_or_run.font.size = Pt(size)
        style_or_run.font.bold = bold
        r_pr = style_or_run.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = r_pr.makeelement(qn("w:rFonts"), {})
            r_pr.insert(0, fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), name)

    normal = document.styles["Normal"]
    font(normal, "仿宋", 12)
    normal.paragraph_format.line_spacing = 1.35
    normal.paragraph_format.space_after = Pt(3)

    def paragraph(
        text: str,
        *,
        align: Any = None,
        indent: bool = False,
        size: float = 12,
        bold: bool = False,
        name: str = "仿宋",
        before: float = 0,
    ) -> None:
        para = document.add_paragraph()
        if align is not None:
            para.alignment = align
        if indent:
            para.paragraph_format.first_line_indent = Pt(size * 2)
        if before:
            para.paragraph_format.space_before = Pt(before)
        run = para.add_run(text)
        font(run, name, size, bold=bold)

    def tag(text: str) -> None:
        document.add_paragraph(text)

    def cell(target: Any, text: str, *, bold: bool = False, size: float = 11) -> None:
        target.text = ""
        run = target.paragraphs[0].add_run(text)
        font(run, "仿宋", size, bold=bold)

    def grid(block: Grid) -> None:
        table = document.add_table(rows=len(block.rows), cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row, (label, value) in zip(table.rows, block.rows, strict=True):
            row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(11.1)
            cell(row.cells[0], _checked(label), bold=True)
            cell(row.cells[1], _checked(value))
        document.add_paragraph()

    def listing(block: Table) -> None:
        name, path = _each(block.each)
        table = document.add_table(rows=4, cols=len(block.headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for target, header in zip(table.rows[0].cells, block.headers, strict=True):
            cell(target, header, bold=True)
        cell(table.rows[1].cells[0], f"{{%tr for {name} in {path} %}}")
        for target, text in zip(table.rows[2].cells, block.cells, strict=True):
            cell(target, _checked(text), size=9 if "sha256" in text else 11)
        cell(table.rows[3].cells[0], "{%tr endfor %}")
        document.add_paragraph()

    def emit(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Title):
                paragraph(_checked(block.text), align=WD_ALIGN_PARAGRAPH.CENTER, size=20, bold=True, name="宋体")
            elif isinstance(block, Subtitle):
                paragraph(_checked(block.text), align=WD_ALIGN_PARAGRAPH.CENTER, size=12)
            elif isinstance(block, Heading):
                paragraph(_checked(block.text), size=13, bold=True, name="黑体", before=6)
            elif isinstance(block, Para):
                paragraph(_checked(block.text), indent=block.indent)
            elif isinstance(block, Grid):
                grid(block)
            elif isinstance(block, Table):
                listing(block)
            elif isinstance(block, When):
                tag(f"{{%p if {_test(block.test)} %}}")
                emit(block.blocks)
                tag("{%p endif %}")
            elif isinstance(block, Sign):
                for index, line in enumerate(block.lines):
                    paragraph(_checked(line), align=WD_ALIGN_PARAGRAPH.RIGHT, before=18 if index == 0 else 0)

    emit(LAYOUTS[doc_type])
    properties = document.core_properties
    properties.title = str(DocumentType(doc_type).label)
    properties.author = "阳光执法"
    properties.last_modified_by = "阳光执法"
    properties.comments = "由 sunlight.cases.documents 根据版式生成的 docxtpl 模板"
    properties.revision = 1
    properties.created = properties.modified = datetime(2026, 1, 1, tzinfo=UTC)
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())


def html_template(doc_type: str) -> str:
    """The Django template (for the PDF) of a document type, built from its layout."""
    import html as html_lib

    def text(value: str) -> str:
        parts = []
        position = 0
        for match in _EXPRESSION.finditer(_checked(value)):
            parts.append(html_lib.escape(value[position : match.start()], quote=False))
            parts.append(match.group(0))
            position = match.end()
        parts.append(html_lib.escape(value[position:], quote=False))
        return "".join(parts)

    lines: list[str] = []

    def emit(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Title):
                lines.append(f"<h1>{text(block.text)}</h1>")
            elif isinstance(block, Subtitle):
                lines.append(f'<p class="subtitle">{text(block.text)}</p>')
            elif isinstance(block, Heading):
                lines.append(f"<h2>{text(block.text)}</h2>")
            elif isinstance(block, Para):
                css = "para" if block.indent else "para flush"
                lines.append(f'<p class="{css}">{text(block.text)}</p>')
            elif isinstance(block, Grid):
                lines.append('<table class="grid">')
                for label, value in block.rows:
                    lines.append(f"<tr><th>{text(label)}</th><td>{text(value)}</td></tr>")
                lines.append("</table>")
            elif isinstance(block, Table):
                name, path = _each(block.each)
                head = "".join(f"<th>{text(h)}</th>" for h in block.headers)
                cells = "".join(
                    f'<td class="hash">{text(c)}</td>' if "sha256" in c else f"<td>{text(c)}</td>" for c in block.cells
                )
                lines.append(f'<table class="list"><thead><tr>{head}</tr></thead><tbody>')
                lines.append(f"{{% for {name} in {path} %}}<tr>{cells}</tr>{{% endfor %}}")
                lines.append("</tbody></table>")
            elif isinstance(block, When):
                lines.append(f"{{% if {_test(block.test)} %}}")
                emit(block.blocks)
                lines.append("{% endif %}")
            elif isinstance(block, Sign):
                lines.append('<div class="sign">')
                lines.extend(f"<p>{text(line)}</p>" for line in block.lines)
                lines.append("</div>")

    emit(LAYOUTS[doc_type])
    header = (
        '{% extends "cases/documents/base.html" %}\n'
        "{# Built from sunlight.cases.documents.LAYOUTS by document_templates_build(); do not edit by hand. #}\n"
        "{% block content %}\n"
    )
    return header + "\n".join(lines) + "\n{% endblock %}\n"


def document_templates_build(directory: Path | None = None) -> list[Path]:
    """Write the DOCX and HTML templates of every document type (deterministic; run after changing a layout)."""
    target = directory or TEMPLATE_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_type in LAYOUTS:
        docx_path = target / f"{doc_type}.docx"
        docx_path.write_bytes(docx_template(doc_type))
        html_path = target / f"{doc_type}.html"
        html_path.write_text(html_template(doc_type), encoding="utf-8")
        written += [docx_path, html_path]
    return written
