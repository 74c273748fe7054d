"""The review opinion document (法制审核意见书, REV-8), and the Chinese text of a review shared by its pages, its API
and the document.

`review_opinion_document_generate` is called by the review services when an opinion is given (`review_opinion`)
or settled by the leadership (`review_collective_decide`), inside their transaction. It renders the document as
DOCX (python-docx) and PDF (WeasyPrint, the machine's CJK font), each holding the two copies of REV-8 — 第一联 to the
handling unit, 第二联 for the archive — stores both files in the two evidence stores (`blob_store`, verified), adds
the document to the case file (a `CaseDocument` of type `review_opinion` numbered with the review number, linked to
the case's legal-review record) and records it in the ledger twice: on the case's stream (`case.document_generated`,
as every case document, so the case file's ledger holds it) and on the review's stream (the `opinion_document`
event of the review history); both entries carry the SHA-256 of both files.

`review_document_open` hands out a stored file after logging the use (REC-11), as the case documents do.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sunlight.cases.models import CaseDocument, CaseRecord
from sunlight.core.errors import ServiceError
from sunlight.core.ledger import actor_label, ledger_append
from sunlight.evidence.blobs import blob_read

from .choices import Outcome, PackagePart, ReviewStatus
from .models import Review, ReviewEvent
from .selectors import OPINION_DOC_TYPE

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
FORMATS = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}
TITLE = gettext_lazy("法制审核意见书")
COPIES = (
    ("unit", gettext_lazy("第一联　送承办机构")),
    ("archive", gettext_lazy("第二联　存档")),
)

# --- the text of a review ------------------------------------------------------------------------------------------

EVENT_LABELS: dict[str, Any] = {
    "submitted": gettext_lazy("报送法制审核"),
    "unit_passed": gettext_lazy("承办机构负责人初审通过"),
    "unit_returned": gettext_lazy("承办机构负责人退回"),
    "completeness_notice": gettext_lazy("一次性告知补正材料"),
    "not_accepted": gettext_lazy("补正后仍不齐全，不予接收"),
    "supplemented": gettext_lazy("补正材料"),
    "accepted": gettext_lazy("材料齐全，接收审核（开始计时）"),
    "assigned": gettext_lazy("指派审核人员"),
    "paused": gettext_lazy("中止计时"),
    "resumed": gettext_lazy("恢复计时"),
    "extended": gettext_lazy("延长审核期限"),
    "counsel_opinion": gettext_lazy("法律顾问、公职律师书面意见"),
    "opinion": gettext_lazy("出具审核意见"),
    "panel_requested": gettext_lazy("提出分歧意见，提交专家论证"),
    "panel_opinion": gettext_lazy("专家论证意见"),
    "collective_decision": gettext_lazy("机关负责人集体讨论决定"),
    "opinion_document": gettext_lazy("生成法制审核意见书"),
}
SUPPLEMENT_PART = gettext_lazy("补正材料")
# Parts every package of a general-procedure penalty has; an empty one is marked on the pages.
REQUIRED_PARTS = frozenset(
    {PackagePart.SOURCE, PackagePart.OFFICERS, PackagePart.EVIDENCE, PackagePart.PROCEDURE, PackagePart.DRAFT}
)


def outcome_label(code: str) -> str:
    """The Chinese name of an outcome (the code itself when unknown)."""
    return str(Outcome(code).label) if code in Outcome.values else code


def status_label(code: str) -> str:
    return str(ReviewStatus(code).label) if code in ReviewStatus.values else code


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def event_details(event: ReviewEvent) -> list[str]:
    """What an event recorded, as lines of Chinese text."""
    data = event.data if isinstance(event.data, dict) else {}
    lines: list[str] = []
    if event.kind == "submitted":
        lines.append(_("非重大案件主动报送") if data.get("voluntary") else _("重大执法决定"))
        lines += [str(r.get("title", "")) for r in data.get("major_reasons") or []]
        if data.get("urgent"):
            lines.append(_("紧急"))
        if data.get("late"):
            lines.append(_("报送时距案件办理期限不足10个工作日，已记录"))
    for item in data.get("missing") or []:
        lines.append(_("缺少：%(m)s") % {"m": item})
    for item in data.get("items") or []:
        lines.append(_("补正：%(m)s") % {"m": item})
    for upload in data.get("uploads") or []:
        lines.append(_("上传：%(n)s（SHA-256 %(h)s）") % {"n": upload.get("name", ""), "h": upload.get("sha256", "")})
    if data.get("reviewer"):
        lines.append(_("审核人员：%(n)s") % {"n": data["reviewer"].get("name", "")})
    if data.get("outcome"):
        lines.append(_("审核意见：%(o)s") % {"o": outcome_label(data["outcome"])})
    for key, label in (
        ("reasons", _("理由")),
        ("reason", _("原因")),
        ("note", _("说明")),
        ("counsel", _("法律顾问")),
        ("experts", _("论证专家")),
        ("opinion", _("意见")),
    ):
        if data.get(key):
            lines.append(f"{label}：{data[key]}")
    if event.kind == "panel_opinion":
        lines.append(
            _("分歧已解决，由法制审核机构出具意见") if data.get("agreed") else _("分歧未解决，提交机关负责人集体讨论")
        )
    if event.kind == "extended":
        lines.append(_("延长%(n)s个工作日") % {"n": data.get("amount", 2)})
    if event.kind == "opinion_document":
        lines.append(_("编号：%(n)s，第%(v)s版") % {"n": data.get("number", ""), "v": data.get("version", 1)})
        lines.append(f"DOCX SHA-256：{data.get('docx_sha256', '')}")
        lines.append(f"PDF SHA-256：{data.get('pdf_sha256', '')}")
    return [line for line in lines if line]


def part_label(code: str) -> str:
    if code == "supplement":
        return str(SUPPLEMENT_PART)
    return str(PackagePart(code).label) if code in PackagePart.values else code


def package_rows(
    package: list[dict[str, Any]], *, workflow: str = "", draft: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The parts of a submission package with their Chinese names and items (REV-3). Record items ("#3 notice
    2026-11-22") name the step in Chinese when the workflow is given; the discretion part is described from the
    draft's benchmark check when the draft is given (within, outside with reasons, outside without)."""
    rows = []
    for p in package:
        if not isinstance(p, dict):
            continue
        code = str(p.get("part", ""))
        items = [_item_text(str(i), workflow) for i in p.get("items") or []]
        if code == PackagePart.DISCRETION and draft is not None:
            items = _discretion_items(draft)
        rows.append({"part": code, "label": part_label(code), "items": items, "required": code in REQUIRED_PARTS})
    return rows


def _item_text(item: str, workflow: str) -> str:
    if not workflow:
        return item
    from sunlight.cases.workflow import step_name

    match = re.match(r"^#(\d+) ([a-z_]+)( .*)?$", item)
    if match is None:
        return item
    return f"#{match.group(1)} {step_name(workflow, match.group(2))}{match.group(3) or ''}"


def _discretion_items(draft: dict[str, Any]) -> list[str]:
    check = draft.get("benchmark_check")
    reasons = str(draft.get("discretion_reasons") or "").strip()
    if not isinstance(check, dict):
        return [_("裁量理由：%(r)s") % {"r": reasons}] if reasons else []
    if check.get("within"):
        return [_("在裁量基准范围内")] + ([_("裁量理由：%(r)s") % {"r": reasons}] if reasons else [])
    problems = "；".join(str(p) for p in check.get("problems") or [])
    if reasons:
        return [_("超出裁量基准（%(p)s），裁量理由：%(r)s") % {"p": problems, "r": reasons}]
    return [_("超出裁量基准（%(p)s），未说明理由") % {"p": problems}]


def yuan_text(fen: Any) -> str:
    """Integer fen as "12,345.67元" (exact)."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}元"


def draft_rows(draft: dict[str, Any]) -> list[tuple[str, str]]:
    """The draft decision as (label, value) rows in Chinese."""
    from sunlight.cases.steps import PENALTY_KINDS
    from sunlight.catalog.choices import Circumstance

    rows: list[tuple[str, str]] = []
    if draft.get("facts"):
        rows.append((_("违法事实"), str(draft["facts"])))
    if draft.get("basis"):
        rows.append((_("法律依据"), str(draft["basis"])))
    if draft.get("kinds"):
        rows.append((_("处罚种类"), "、".join(str(PENALTY_KINDS.get(k, k)) for k in draft["kinds"])))
    for key, label in (
        ("fine_fen", _("罚款金额")),
        ("goods_value_fen", _("货值金额")),
        ("illegal_gains_fen", _("违法所得")),
        ("confiscation_fen", _("没收违法所得、非法财物价值")),
    ):
        if isinstance(draft.get(key), int):
            rows.append((label, yuan_text(draft[key])))
    if draft.get("benchmark"):
        from sunlight.catalog.models import Benchmark

        found = Benchmark.objects.filter(public_id=str(draft["benchmark"])).first()
        rows.append((_("裁量基准"), found.code if found is not None else str(draft["benchmark"])))
    if draft.get("circumstance"):
        value = str(draft["circumstance"])
        rows.append((_("情节档次"), str(Circumstance(value).label) if value in Circumstance.values else value))
    check = draft.get("benchmark_check")
    if isinstance(check, dict):
        if check.get("within"):
            rows.append((_("裁量基准核对"), _("在裁量基准幅度内")))
        else:
            rows.append((_("裁量基准核对"), _("超出裁量基准：%(p)s") % {"p": "；".join(check.get("problems") or [])}))
    if draft.get("discretion_reasons"):
        rows.append((_("裁量理由"), str(draft["discretion_reasons"])))
    from sunlight.cases.forms import MAJOR_FLAGS

    flags = [str(label) for key, label in MAJOR_FLAGS if draft.get(key)]
    if flags:
        rows.append((_("重大执法决定情形"), "；".join(flags)))
    return rows


def _joined(lines: list[str]) -> str:
    """Sentences one after the other; phrases separated by "；"."""
    return "".join(line if line.endswith(("。", "；")) else f"{line}；" for line in lines).rstrip("；")


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.full_name or user.username)


def _day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


# --- the document --------------------------------------------------------------------------------------------------


def opinion_context(review: Review, *, actor: Any, at: datetime) -> dict[str, Any]:
    """Everything the document says, as text: review number, case, package summary, pre-checks, outcome, reasons,
    reviewer, date."""
    case = review.case
    events = list(review.events.select_related("actor").order_by("seq"))
    final = next((e for e in reversed(events) if e.kind in {"opinion", "collective_decision"}), None)
    data = final.data if final is not None and isinstance(final.data, dict) else {}
    outcome = str(data.get("outcome") or review.outcome)
    counsel = [
        {"who": str(e.data.get("counsel", "")), "text": str(e.data.get("opinion", ""))}
        for e in events
        if e.kind == "counsel_opinion"
    ]
    panels = [
        {"who": str(e.data.get("experts", "")), "text": str(e.data.get("opinion", ""))}
        for e in events
        if e.kind == "panel_opinion"
    ]
    reviewer = review.reviewer or actor
    legal_unit = getattr(reviewer, "unit", None)
    prechecks = [
        {
            "title": str(c.get("title", "")),
            "result": _("通过") if c.get("ok") else _("需关注"),
            "ok": bool(c.get("ok")),
            "findings": _joined([str(f) for f in c.get("findings") or []]),
        }
        for c in review.prechecks
        if isinstance(c, dict)
    ]
    package = [
        {
            "label": row["label"],
            "count": len(row["items"]),
            "items": "；".join(row["items"][:6])
            + (_("等%(n)d项") % {"n": len(row["items"])} if len(row["items"]) > 6 else ""),
        }
        for row in package_rows(review.package, workflow=case.workflow, draft=review.draft)
    ]
    if review.voluntary:
        kind = _("非重大执法决定，承办机构主动报送")
    else:
        kind = _("重大执法决定：%(r)s") % {"r": "；".join(str(r.get("title", "")) for r in review.major_reasons)}
    return {
        "title": str(TITLE),
        "agency": review.agency.name,
        "number": review.number,
        "case": {
            "number": case.number,
            "title": case.title,
            "party": case.party_name,
            "unit": case.unit.name,
        },
        "submitted_by": _person(review.submitted_by),
        "submitted_at": _time(review.submitted_at),
        "accepted_at": _time(review.accepted_at),
        "kind": kind,
        "urgent": review.urgent,
        "package": package,
        "draft": [{"label": label, "value": value} for label, value in draft_rows(review.draft)],
        "prechecks": prechecks,
        "counsel": counsel,
        "panels": panels,
        "collective": final is not None and final.kind == "collective_decision",
        "outcome": outcome_label(outcome),
        "approved": outcome == Outcome.APPROVE,
        "reasons": str(data.get("reasons", "")),
        "reviewer": _person(reviewer),
        "signed_by": _person(actor),
        "legal_unit": legal_unit.name if legal_unit is not None else "",
        "date": _day(at),
        "copies": [{"code": code, "label": str(label)} for code, label in COPIES],
        "closing": _("本意见书一式两份，一份送承办机构，一份存档。"),
    }


def render_pdf(context: dict[str, Any]) -> bytes:
    """The PDF (both copies) from the HTML template, by WeasyPrint with the machine's CJK font."""
    from weasyprint import HTML

    html = render_to_string("review/documents/review_opinion.html", context)
    return bytes(HTML(string=html).write_pdf())


def render_docx(context: dict[str, Any]) -> bytes:
    """The DOCX (both copies), built with python-docx; the same contents give the same bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from sunlight.cases.documents import normalise_zip

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    core = document.core_properties
    core.title = f"{context['title']} {context['number']}"
    core.author = context["agency"]
    fixed = datetime(2000, 1, 1, tzinfo=timezone.get_fixed_timezone(0))
    core.created = core.modified = fixed
    core.revision = 1

    def centred(text: str, size: int, bold: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)

    def heading(text: str) -> None:
        run = document.add_paragraph().add_run(text)
        run.bold = True

    def table(rows: list[tuple[str, ...]], header: tuple[str, ...] | None = None) -> None:
        width = len(header or rows[0]) if (header or rows) else 2
        grid = document.add_table(rows=0, cols=width)
        grid.style = "Table Grid"
        for row in [header, *rows] if header else rows:
            assert row is not None
            cells = grid.add_row().cells
            for index, value in enumerate(row):
                cells[index].text = value
        document.add_paragraph()

    for index, copy in enumerate(context["copies"]):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        centred(context["agency"], 18, bold=True)
        centred(context["title"], 20, bold=True)
        centred(context["number"], 12)
        document.add_paragraph(copy["label"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        case = context["case"]
        table(
            [
                (_("案件名称"), case["title"]),
                (_("案件编号"), case["number"]),
                (_("当事人"), case["party"]),
                (_("承办机构"), case["unit"]),
                (_("报送人、报送时间"), f"{context['submitted_by']}　{context['submitted_at']}"),
                (_("审核类别"), context["kind"] + (_("（紧急）") if context["urgent"] else "")),
            ]
        )
        heading(_("一、报送材料"))
        table(
            [(p["label"], str(p["count"]), p["items"]) for p in context["package"]], (_("材料"), _("件数"), _("内容"))
        )
        heading(_("二、拟作出的决定"))
        if context["draft"]:
            table([(d["label"], d["value"]) for d in context["draft"]])
        heading(_("三、自动预审结果"))
        table(
            [(c["title"], c["result"], c["findings"]) for c in context["prechecks"]],
            (_("审核要点"), _("结果"), _("发现的情况")),
        )
        if context["counsel"] or context["panels"]:
            heading(_("四、法律顾问、公职律师和专家论证意见"))
            for item in [*context["counsel"], *context["panels"]]:
                document.add_paragraph(f"{item['who']}：{item['text']}")
        heading(_("审核意见"))
        paragraph = document.add_paragraph()
        paragraph.add_run(context["outcome"]).bold = True
        if context["collective"]:
            paragraph.add_run(_("（经机关负责人集体讨论决定）"))
        heading(_("理由"))
        document.add_paragraph(context["reasons"])
        for line in (
            f"{_('法制审核机构')}：{context['legal_unit']}",
            f"{_('审核人员')}：{context['reviewer']}",
            f"{_('签发')}：{context['signed_by']}",
            context["date"],
        ):
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        document.add_paragraph(context["closing"])
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue())


def review_opinion_document_generate(
    *, acting_user: Any, review: Review, record: CaseRecord | None = None, now: datetime | None = None
) -> CaseDocument:
    """Make the review opinion document of the review's current opinion (REV-8): DOCX and PDF with both copies,
    stored in both stores, added to the case file and recorded in the ledger (see the module docstring). Runs in
    the caller's transaction (the opinion's); a store that cannot hold a verified copy fails the whole opinion."""
    from sunlight.evidence.blobs import blob_store

    from .services import _event, _save

    moment = now or timezone.now()
    case = review.case
    context = opinion_context(review, actor=acting_user, at=moment)
    docx_bytes = render_docx(context)
    pdf_bytes = render_pdf(context)
    with transaction.atomic():
        previous = (
            CaseDocument.objects.filter(case=case, doc_type=OPINION_DOC_TYPE, number=review.number)
            .order_by("-version")
            .first()
        )
        version = previous.version + 1 if previous is not None else 1
        docx = blob_store(data=docx_bytes, content_type=DOCX_TYPE, now=moment, acting_user=acting_user)
        pdf = blob_store(data=pdf_bytes, content_type=PDF_TYPE, now=moment, acting_user=acting_user)
        document = CaseDocument.objects.create(
            case=case,
            record=record,
            doc_type=OPINION_DOC_TYPE,
            number=review.number,
            version=version,
            docx=docx,
            pdf=pdf,
            generated_by=acting_user,
            generated_at=moment,
        )
        copies = [
            {"copy": "unit", "to": case.unit.name},
            {"copy": "archive", "to": str(_("案卷"))},
        ]
        facts = {
            "document": str(document.public_id),
            "doc_type": OPINION_DOC_TYPE,
            "doc_name": str(TITLE),
            "number": review.number,
            "version": version,
            "outcome": review.outcome,
            "copies": copies,
            "docx_sha256": docx.sha256,
            "docx_size": docx.size,
            "pdf_sha256": pdf.sha256,
            "pdf_size": pdf.size,
        }
        ledger_append(
            stream=case.stream,
            kind="case.document_generated",
            actor=actor_label(acting_user),
            payload={
                "case": str(case.public_id),
                "review": str(review.public_id),
                "record": str(record.public_id) if record is not None else None,
                "record_seq": record.seq if record is not None else None,
                "previous": str(previous.public_id) if previous is not None else None,
                **facts,
            },
        )
        _event(review, "opinion_document", acting_user, facts, moment)
        _save(review)
    return document


def review_document_open(*, user: Any, review: Review, document: CaseDocument, fmt: str) -> tuple[IO[bytes], str, str]:
    """The stored DOCX or PDF of a review opinion document: (file object, file name, content type). The use is
    checked and logged through the access log first (REC-11), as for every case document; the bytes come from the
    first copy whose SHA-256 matches."""
    from sunlight.access.choices import Action
    from sunlight.access.services import access_use
    from sunlight.cases.documents import case_subject

    if fmt not in FORMATS:
        raise ServiceError.single("fmt", "invalid", _("文件格式无效（docx 或 pdf）。"))
    if document.case_id != review.case_id or document.doc_type != OPINION_DOC_TYPE:
        raise ServiceError.single("document", "not_found", _("文书不存在。"))
    stored = document.docx if fmt == "docx" else document.pdf
    access_use(
        user=user,
        subject=case_subject(review.case, user),
        action=Action.DOWNLOAD,
        target=f"document:{document.public_id}:{fmt}:{stored.sha256}",
    )
    data = blob_read(stored)
    filename = f"{TITLE}_{document.number}_v{document.version}.{fmt}"
    return io.BytesIO(data), filename, FORMATS[fmt]
