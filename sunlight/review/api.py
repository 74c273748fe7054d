"""Legal-review API under /api/v1/review/ (REV-1..13), for staff with their session.

The queue, a review with its package, pre-checks, history and opinion documents, a preview and the submission of a
case, every action of the review (first-level decision, completeness, supplement, assignment, pause and resume,
extension, counsel opinions, the opinion, disagreement, the panel, the collective decision), the opinion documents'
files and the department's dashboard. Reads go through the selectors (a review outside the caller's scope is 404),
writes through the services: a refused action changes nothing. Every error is
`{"errors": [{"field", "code", "message"}]}` with the message in Chinese. Amounts are in fen.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any, Literal, cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from sunlight.cases.selectors import case_get_for_user
from sunlight.core.errors import FieldError, NotFound, ServiceError
from sunlight.org.choices import Capability
from sunlight.org.models import User
from sunlight.org.scope import deny, require_capability

from . import selectors, services
from .choices import Outcome
from .documents import draft_rows, event_details, event_label, outcome_label, package_rows, review_document_open
from .documents import status_label as review_status_label
from .models import Review
from .views import available_actions, live_level, may_submit

router = Router(tags=["法制审核"], auth=django_auth)

# Codes as literals (inlined in the OpenAPI schema); test_review_api checks that they match the choices.
StatusCode = Literal[
    "unit_review",
    "submitted",
    "incomplete",
    "supplemented",
    "accepted",
    "paused",
    "panel",
    "collective",
    "approved",
    "returned",
    "not_accepted",
]
OutcomeCode = Literal["approve", "transfer", "change", "procedure", "facts", "documents", "sent"]
ActionCode = Literal[
    "unit-decide",
    "completeness",
    "supplement",
    "opinion",
    "counsel",
    "pause",
    "resume",
    "panel",
    "disagree",
    "extend",
    "collective",
    "assign",
]

# --- schemas -------------------------------------------------------------------------------------------------------


class ReviewErrorOut(Schema):
    """一条错误：字段、错误代码、中文说明。"""

    field: str = Field(..., description="出错的字段（整个请求为 __all__）")
    code: str = Field(..., description="错误代码（英文，稳定，可供程序判断）")
    message: str = Field(..., description="错误说明（中文）")


class ReviewErrorsOut(Schema):
    """错误响应：所有错误一并列出。"""

    errors: list[ReviewErrorOut] = Field(..., description="错误列表")


ERRORS: dict[int, type[Schema]] = {400: ReviewErrorsOut, 403: ReviewErrorsOut, 404: ReviewErrorsOut}


class ReviewPersonOut(Schema):
    """人员。"""

    id: uuid.UUID = Field(..., description="用户标识")
    name: str = Field(..., description="姓名")


class ReviewCaseOut(Schema):
    """报送审核的案件。"""

    id: uuid.UUID = Field(..., description="案件标识")
    number: str = Field(..., description="案件编号")
    title: str = Field(..., description="案由")
    party_name: str = Field(..., description="当事人")
    unit: str = Field(..., description="承办机构")


class ReviewClockOut(Schema):
    """审核期限（自收到齐全材料起3个工作日，紧急1个工作日，经批准可延长2个工作日）。"""

    rule: str = Field(..., description="期限规则代码")
    amount: int = Field(..., description="期限（工作日，含延长）")
    started_at: datetime = Field(..., description="起算时间")
    due_at: datetime = Field(..., description="届满时间")
    yellow_at: datetime = Field(..., description="黄色预警时间")
    status: str = Field(..., description="期限状态：open 计时中，paused 中止计时，met 按期完成，late 逾期完成")
    level: Literal["green", "yellow", "red"] = Field(..., description="预警颜色")


class ReviewRowOut(Schema):
    """审核列表中的一行。"""

    id: uuid.UUID = Field(..., description="审核标识")
    number: str = Field(..., description="审核编号")
    case: ReviewCaseOut = Field(..., description="案件")
    status: StatusCode = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态")
    outcome: str = Field(..., description="审核意见代码（未出具为空）")
    outcome_label: str = Field(..., description="审核意见")
    voluntary: bool = Field(..., description="非重大案件主动报送")
    urgent: bool = Field(..., description="紧急")
    late: bool = Field(..., description="报送时距案件期限不足10个工作日")
    submitted_by: ReviewPersonOut = Field(..., description="报送人")
    submitted_at: datetime = Field(..., description="报送时间")
    reviewer: ReviewPersonOut | None = Field(None, description="审核人员")
    clock: ReviewClockOut | None = Field(None, description="审核期限（接收后开始计时）")


class ReviewPageOut(Schema):
    """一页审核及总数。"""

    count: int = Field(..., description="符合条件的审核总数")
    page: int = Field(..., description="当前页码")
    page_size: int = Field(..., description="每页条数")
    pages: int = Field(..., description="总页数")
    items: list[ReviewRowOut] = Field(..., description="本页审核（最早报送的在前）")


class ReviewQueueFilter(Schema):
    """审核列表的筛选与分页。"""

    status: StatusCode | None = Field(None, description="状态；不填为全部未办结的审核")
    mine: bool = Field(False, description="只列指派给我的")
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=100, description="每页条数（1-100）")


class ReviewPartOut(Schema):
    """报送材料的一部分。"""

    part: str = Field(..., description="材料代码")
    label: str = Field(..., description="材料名称")
    items: list[str] = Field(..., description="内容")
    required: bool = Field(..., description="普通程序案件应有的材料")


class ReviewPrecheckOut(Schema):
    """一项自动预审：审核要点、是否通过、发现的情况和核对的记录。"""

    point: str = Field(..., description="审核要点代码")
    title: str = Field(..., description="审核要点")
    ok: bool = Field(..., description="是否通过")
    findings: list[str] = Field(..., description="发现的情况")
    evidence: list[str] = Field(..., description="核对的记录")


class ReviewMajorOut(Schema):
    """属于重大执法决定的一项理由。"""

    rule: str = Field(..., description="目录条目代码")
    title: str = Field(..., description="情形")
    reason: str = Field("", description="说明")


class ReviewLineOut(Schema):
    """一行：名称与内容。"""

    label: str = Field(..., description="名称")
    value: str = Field(..., description="内容")


class ReviewEventOut(Schema):
    """审核过程中的一步（同时记入全过程记录账本）。"""

    seq: int = Field(..., description="序号")
    kind: str = Field(..., description="事件代码")
    label: str = Field(..., description="事件名称")
    actor: ReviewPersonOut = Field(..., description="办理人")
    at: datetime = Field(..., description="时间")
    data: dict[str, Any] = Field(..., description="事件数据")
    details: list[str] = Field(..., description="事件内容（中文）")
    entry_seq: int = Field(..., description="账本序号")


class ReviewDocumentOut(Schema):
    """法制审核意见书（一式两份：第一联送承办机构，第二联存档），已归入案卷。"""

    id: uuid.UUID = Field(..., description="文书标识")
    number: str = Field(..., description="编号（审核编号）")
    version: int = Field(..., description="版本")
    generated_at: datetime = Field(..., description="生成时间")
    docx_sha256: str = Field(..., description="DOCX 的 SHA-256")
    pdf_sha256: str = Field(..., description="PDF 的 SHA-256")
    pdf_url: str = Field(..., description="PDF 下载地址")
    docx_url: str = Field(..., description="DOCX 下载地址")


class ReviewDetailOut(ReviewRowOut):
    """审核详情：报送材料、拟作出的决定、自动预审、审核过程、意见书、当前用户可办理的操作。"""

    major_reasons: list[ReviewMajorOut] = Field(..., description="属于重大执法决定的理由")
    package: list[ReviewPartOut] = Field(..., description="报送材料")
    draft: dict[str, Any] = Field(..., description="拟作出的决定（金额以分计，含裁量基准核对结果）")
    draft_lines: list[ReviewLineOut] = Field(..., description="拟作出的决定（中文）")
    prechecks: list[ReviewPrecheckOut] = Field(..., description="自动预审")
    missing: list[str] = Field(..., description="一次性告知缺少的材料")
    accepted_at: datetime | None = Field(None, description="接收时间")
    decided_at: datetime | None = Field(None, description="出具意见时间")
    events: list[ReviewEventOut] = Field(..., description="审核过程")
    documents: list[ReviewDocumentOut] = Field(..., description="法制审核意见书")
    actions: list[ActionCode] = Field(..., description="当前用户在当前状态下可办理的操作")


class ReviewDraftIn(Schema):
    """拟作出的决定（金额以分计）。"""

    facts: str = Field("", max_length=5000, description="违法事实")
    basis: str = Field("", max_length=5000, description="法律依据")
    kinds: list[str] = Field([], description="处罚种类代码，如 fine、warning、revoke_licence")
    fine_fen: int | None = Field(None, ge=0, description="罚款金额（分）")
    goods_value_fen: int | None = Field(None, ge=0, description="货值金额（分）")
    illegal_gains_fen: int | None = Field(None, ge=0, description="违法所得（分）")
    confiscation_fen: int | None = Field(None, ge=0, description="没收违法所得、非法财物价值（分）")
    benchmark: uuid.UUID | None = Field(None, description="裁量基准标识")
    circumstance: str = Field("", max_length=32, description="情节档次代码：mitigated、lighter、ordinary、heavier")
    discretion_reasons: str = Field("", max_length=5000, description="裁量理由（超出裁量基准时必填）")
    complex: bool = Field(False, description="案件情况疑难复杂")
    public_interest: bool = Field(False, description="涉及重大公共利益")
    social_risk: bool = Field(False, description="可能造成重大社会影响或者引发社会风险")
    third_party_rights: bool = Field(False, description="直接关系当事人或者第三人重大权益")
    suspected_crime: bool = Field(False, description="涉嫌犯罪、需要移送司法机关")

    def as_draft(self) -> dict[str, Any]:
        out: dict[str, Any] = {"facts": self.facts, "basis": self.basis, "kinds": list(self.kinds)}
        for key in ("fine_fen", "goods_value_fen", "illegal_gains_fen", "confiscation_fen"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.benchmark is not None:
            out["benchmark"] = str(self.benchmark)
        for key in ("circumstance", "discretion_reasons"):
            if getattr(self, key).strip():
                out[key] = getattr(self, key).strip()
        for key in ("complex", "public_interest", "social_risk", "third_party_rights", "suspected_crime"):
            if getattr(self, key):
                out[key] = True
        return out


class ReviewUploadIn(Schema):
    """已存储的文件（先通过音像记录或文件上传接口存入两个存储），按 SHA-256 引用。"""

    name: str = Field(..., max_length=200, description="文件名")
    sha256: str = Field(..., min_length=64, max_length=64, description="文件的 SHA-256")


class ReviewSubmitIn(Schema):
    """报送法制审核。"""

    case: uuid.UUID = Field(..., description="案件标识")
    draft: ReviewDraftIn = Field(..., description="拟作出的决定")
    urgent: bool = Field(False, description="紧急（1个工作日内审核）")
    uploads: list[ReviewUploadIn] = Field([], description="其他材料")


class ReviewPreviewIn(Schema):
    """预览报送（不写入任何内容）。"""

    case: uuid.UUID = Field(..., description="案件标识")
    draft: ReviewDraftIn = Field(..., description="拟作出的决定")


class ReviewPreviewOut(Schema):
    """报送预览：材料、是否重大、是否逾期报送、自动预审。"""

    voluntary: bool = Field(..., description="不属于重大执法决定（将作为主动报送）")
    major_reasons: list[ReviewMajorOut] = Field(..., description="属于重大执法决定的理由")
    late: bool = Field(..., description="现在报送距案件期限不足10个工作日")
    case_due_at: datetime | None = Field(None, description="案件办理期限届满时间")
    package: list[ReviewPartOut] = Field(..., description="将报送的材料")
    prechecks: list[ReviewPrecheckOut] = Field(..., description="自动预审")
    draft: dict[str, Any] = Field(..., description="拟作出的决定（含裁量基准核对结果）")


class ReviewUnitDecisionIn(Schema):
    """承办机构负责人初审。"""

    passed: bool = Field(..., description="true 通过并报送法制审核机构，false 退回")
    reasons: str = Field("", max_length=5000, description="意见或退回理由（退回必填）")


class ReviewCompletenessIn(Schema):
    """审查材料是否齐全：不列缺少材料即接收并开始计时；列明的为一次性告知补正（补正后仍不齐全则不予接收）。"""

    missing: list[str] = Field([], description="缺少的材料，一次列明全部")


class ReviewSupplementIn(Schema):
    """补正材料。"""

    items: list[str] = Field([], description="补正的材料")
    uploads: list[ReviewUploadIn] = Field([], description="上传的补正材料")


class ReviewAssignIn(Schema):
    """指派审核人员。"""

    reviewer: uuid.UUID = Field(..., description="审核人员的用户标识")


class ReviewReasonIn(Schema):
    """原因。"""

    reason: str = Field("", max_length=5000, description="原因")


class ReviewNoteIn(Schema):
    """说明。"""

    note: str = Field("", max_length=5000, description="说明")


class ReviewCounselIn(Schema):
    """法律顾问、公职律师的书面意见。"""

    counsel: str = Field("", max_length=100, description="法律顾问或公职律师")
    opinion: str = Field("", max_length=5000, description="书面意见")


class ReviewOpinionIn(Schema):
    """审核意见及理由。"""

    outcome: OutcomeCode = Field(
        ...,
        description="approve 同意；transfer 超越职权，建议移送；change 建议变更或补充；procedure 程序违法，建议纠正或终止；"
        "facts 事实不清、证据不足，建议补充调查或终止；documents 文书不规范，建议更正；sent 已移送有权机关",
    )
    reasons: str = Field("", max_length=5000, description="理由")


class ReviewReasonsIn(Schema):
    """分歧意见。"""

    reasons: str = Field("", max_length=5000, description="分歧意见")


class ReviewPanelIn(Schema):
    """专家论证意见。"""

    experts: str = Field("", max_length=200, description="论证专家")
    opinion: str = Field("", max_length=5000, description="论证意见")
    agreed: bool = Field(..., description="true 分歧已解决（由法制审核机构出具意见），false 提交机关负责人集体讨论")


class ReviewCollectiveIn(Schema):
    """机关负责人集体讨论决定。"""

    outcome: OutcomeCode = Field(..., description="决定（审核意见代码）")
    participants: str = Field("", max_length=300, description="参加人员")
    reasons: str = Field("", max_length=5000, description="讨论结论及理由")


class ReviewCountOut(Schema):
    """名称与件数。"""

    code: str = Field(..., description="代码")
    label: str = Field(..., description="名称")
    count: int = Field(..., description="件数")


class ReviewStaffingOut(Schema):
    """一个执法主体的审核人员配备（REV-11）。"""

    agency: uuid.UUID = Field(..., description="执法主体标识")
    agency_name: str = Field(..., description="执法主体")
    officers: int = Field(..., description="执法人员")
    reviewers: int = Field(..., description="法制审核人员")
    needed: int = Field(..., description="应配备")
    short: bool = Field(..., description="配备不足")


class ReviewDashboardOut(Schema):
    """法制审核统计。"""

    open_count: int = Field(..., description="未办结")
    by_status: list[ReviewCountOut] = Field(..., description="按状态")
    by_outcome: list[ReviewCountOut] = Field(..., description="按审核意见")
    by_reviewer: list[ReviewCountOut] = Field(..., description="审核人员工作量（未办结）")
    levels: list[ReviewCountOut] = Field(..., description="计时中的审核期限按预警颜色")
    average_hours: float | None = Field(None, description="平均审核用时（小时，接收至出具意见）")
    accountability: int = Field(..., description="责任追究记录")
    staffing: list[ReviewStaffingOut] = Field(..., description="审核人员配备")


# --- helpers -------------------------------------------------------------------------------------------------------


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.public_id, "name": user.full_name or user.username}


def _clock(deadline: Any) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "rule": deadline.rule.code,
        "amount": deadline.amount,
        "started_at": deadline.started_at,
        "due_at": deadline.due_at,
        "yellow_at": deadline.yellow_at,
        "status": deadline.status,
        "level": live_level(deadline),
    }


def _row(review: Review, clock: Any) -> dict[str, Any]:
    case = review.case
    return {
        "id": review.public_id,
        "number": review.number,
        "case": {
            "id": case.public_id,
            "number": case.number,
            "title": case.title,
            "party_name": case.party_name,
            "unit": case.unit.name,
        },
        "status": review.status,
        "status_label": review_status_label(review.status),
        "outcome": review.outcome,
        "outcome_label": outcome_label(review.outcome) if review.outcome else "",
        "voluntary": review.voluntary,
        "urgent": review.urgent,
        "late": review.late,
        "submitted_by": _person(review.submitted_by),
        "submitted_at": review.submitted_at,
        "reviewer": _person(review.reviewer),
        "clock": _clock(clock),
    }


def _prechecks(checks: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "point": str(c.get("point", "")),
            "title": str(c.get("title", "")),
            "ok": bool(c.get("ok")),
            "findings": [str(f) for f in c.get("findings") or []],
            "evidence": [str(e) for e in c.get("evidence") or []],
        }
        for c in checks
        if isinstance(c, dict)
    ]


def _majors(reasons: list[Any]) -> list[dict[str, str]]:
    return [
        {"rule": str(r.get("rule", "")), "title": str(r.get("title", "")), "reason": str(r.get("reason", "") or "")}
        for r in reasons
        if isinstance(r, dict)
    ]


def _detail(request: HttpRequest, review: Review) -> dict[str, Any]:
    fresh = selectors.review_get_for_user(user=request.user, public_id=review.public_id)
    clock = selectors.review_clocks_for_display([fresh]).get(str(fresh.public_id))
    events = fresh.events.select_related("actor").order_by("seq")
    documents = selectors.review_documents(fresh)
    return {
        **_row(fresh, clock),
        "major_reasons": _majors(fresh.major_reasons),
        "package": package_rows(fresh.package, workflow=fresh.case.workflow, draft=fresh.draft),
        "draft": fresh.draft,
        "draft_lines": [{"label": label, "value": value} for label, value in draft_rows(fresh.draft)],
        "prechecks": _prechecks(fresh.prechecks),
        "missing": list(fresh.missing),
        "accepted_at": fresh.accepted_at,
        "decided_at": fresh.decided_at,
        "events": [
            {
                "seq": e.seq,
                "kind": e.kind,
                "label": event_label(e.kind),
                "actor": _person(e.actor),
                "at": e.at,
                "data": e.data,
                "details": event_details(e),
                "entry_seq": e.entry_seq,
            }
            for e in events
        ],
        "documents": [
            {
                "id": d.public_id,
                "number": d.number,
                "version": d.version,
                "generated_at": d.generated_at,
                "docx_sha256": d.docx.sha256,
                "pdf_sha256": d.pdf.sha256,
                "pdf_url": reverse("api:review_document", args=[fresh.public_id, d.public_id, "pdf"]),
                "docx_url": reverse("api:review_document", args=[fresh.public_id, d.public_id, "docx"]),
            }
            for d in documents
        ],
        "actions": available_actions(request.user, fresh),
    }


def _review(request: HttpRequest, review_id: uuid.UUID) -> Review:
    return selectors.review_get_for_user(user=request.user, public_id=review_id)


def _uploads(items: list[ReviewUploadIn], field_name: str = "uploads") -> list[dict[str, str]]:
    """Uploads named by the SHA-256 of a stored file; a field error for each unknown one."""
    from sunlight.evidence.models import StoredFile

    wanted = [i.sha256.lower() for i in items]
    known = set(StoredFile.objects.filter(sha256__in=wanted).values_list("sha256", flat=True))
    errors = [
        FieldError(field_name, "not_stored", _("文件 %(n)s（%(h)s）尚未存储。") % {"n": i.name, "h": i.sha256})
        for i in items
        if i.sha256.lower() not in known
    ]
    if errors:
        raise ServiceError(errors)
    return [{"name": i.name, "sha256": i.sha256.lower()} for i in items]


# --- endpoints -----------------------------------------------------------------------------------------------------


@router.get(
    "/",
    response=ReviewPageOut,
    summary="审核列表",
    description="当前用户可见的审核（法制审核人员、机关负责人：本机关的；承办机构负责人：本机构的；执法人员：本人报送的），"
    "默认为全部未办结的审核，最早报送的在前，附审核期限及预警颜色。",
)
def review_list(request: HttpRequest, filters: Query[ReviewQueueFilter]) -> Any:
    qs = selectors.review_queue(request.user, status=filters.status, mine=filters.mine)
    count = qs.count()
    size = filters.page_size
    start = (filters.page - 1) * size
    reviews = list(qs[start : start + size])
    clocks = selectors.review_clocks_for_display(reviews)
    return {
        "count": count,
        "page": filters.page,
        "page_size": size,
        "pages": max(1, math.ceil(count / size)),
        "items": [_row(r, clocks.get(str(r.public_id))) for r in reviews],
    }


@router.get(
    "/dashboard",
    response={200: ReviewDashboardOut, 403: ReviewErrorsOut},
    summary="法制审核统计",
    description="审核人员工作量、审核期限预警、平均用时、审核意见分布，以及各执法主体审核人员配备（REV-11）。",
)
def review_dashboard(request: HttpRequest) -> Any:
    from sunlight.org.selectors import agencies_visible_to

    from .choices import ReviewStatus

    user = _me(request)
    require_capability(user, Capability.VIEW_ROLLUP, target="review.dashboard")
    board = selectors.dashboard(user)
    counts, _flagged = selectors.review_levels(user)
    labels = {str(s.label): s.value for s in ReviewStatus}
    return {
        "open_count": board.open_count,
        "by_status": [{"code": labels.get(k, k), "label": k, "count": n} for k, n in board.by_status.items()],
        "by_outcome": [
            {"code": code, "label": outcome_label(code), "count": board.by_outcome.get(code, 0)}
            for code in Outcome.values
        ],
        "by_reviewer": [{"code": "", "label": name, "count": n} for name, n in board.by_reviewer],
        "levels": [
            {"code": level, "label": label, "count": counts.get(level, 0)}
            for level, label in (("green", _("正常")), ("yellow", _("黄色预警")), ("red", _("红色预警")))
        ],
        "average_hours": board.average_hours,
        "accountability": board.accountability,
        "staffing": [
            {
                "agency": s.agency.public_id,
                "agency_name": s.agency.name,
                "officers": s.officers,
                "reviewers": s.reviewers,
                "needed": s.needed,
                "short": s.short,
            }
            for s in selectors.staffing(agencies_visible_to(user).order_by("name"))
        ],
    }


@router.post(
    "/preview",
    response={200: ReviewPreviewOut, **ERRORS},
    summary="预览报送",
    description="按案件已记录的内容和拟作出的决定汇集报送材料，判断是否属于重大执法决定、是否距案件期限不足10个工作日，"
    "并运行自动预审；不写入任何内容。",
)
def review_preview(request: HttpRequest, payload: ReviewPreviewIn) -> Any:
    user = _me(request)
    case = case_get_for_user(user=user, public_id=payload.case)
    if not may_submit(user, case):
        raise deny(user, action="review.preview", target=str(case.public_id))
    preview = selectors.submission_preview(case=case, draft=payload.draft.as_draft())
    return {
        "voluntary": preview.voluntary,
        "major_reasons": _majors(preview.major_reasons),
        "late": preview.late,
        "case_due_at": preview.case_deadline.due_at if preview.case_deadline else None,
        "package": package_rows(preview.package, workflow=case.workflow, draft=preview.draft),
        "prechecks": _prechecks(preview.prechecks),
        "draft": preview.draft,
    }


@router.post(
    "/",
    response={201: ReviewDetailOut, **ERRORS},
    summary="报送法制审核",
    description="承办机构报送案件及拟作出的决定（REV-3）。非重大案件作为主动报送；距案件期限不足10个工作日的标记为逾期报送"
    "并记入责任追究记录。报送后由承办机构负责人初审（REV-12）。",
)
def review_submit(request: HttpRequest, payload: ReviewSubmitIn) -> Any:
    user = _me(request)
    case = case_get_for_user(user=user, public_id=payload.case)
    uploads = _uploads(payload.uploads)
    review = services.review_submit(
        acting_user=user, case=case, draft=payload.draft.as_draft(), urgent=payload.urgent, uploads=uploads
    )
    return Status(201, _detail(request, review))


@router.get(
    "/{review_id}",
    response={200: ReviewDetailOut, 404: ReviewErrorsOut},
    summary="审核详情",
    description="报送材料、拟作出的决定、自动预审（每项的发现和核对的记录）、审核过程、审核期限、法制审核意见书，"
    "以及当前用户在当前状态下可办理的操作。",
)
def review_detail(request: HttpRequest, review_id: uuid.UUID) -> Any:
    return _detail(request, _review(request, review_id))


@router.post("/{review_id}/unit-decision", response={200: ReviewDetailOut, **ERRORS}, summary="承办机构负责人初审")
def review_unit_decision(request: HttpRequest, review_id: uuid.UUID, payload: ReviewUnitDecisionIn) -> Any:
    review = services.review_unit_decide(
        acting_user=_me(request), review=_review(request, review_id), passed=payload.passed, reasons=payload.reasons
    )
    return _detail(request, review)


@router.post(
    "/{review_id}/completeness",
    response={200: ReviewDetailOut, **ERRORS},
    summary="审查材料是否齐全",
    description="不列缺少材料：接收并开始计时（3个工作日，紧急1个工作日）。列明缺少材料：一次性告知补正；补正后仍不齐全的不予接收。",
)
def review_completeness(request: HttpRequest, review_id: uuid.UUID, payload: ReviewCompletenessIn) -> Any:
    review = services.review_completeness(
        acting_user=_me(request), review=_review(request, review_id), missing=list(payload.missing)
    )
    return _detail(request, review)


@router.post("/{review_id}/supplement", response={200: ReviewDetailOut, **ERRORS}, summary="补正材料")
def review_supplement(request: HttpRequest, review_id: uuid.UUID, payload: ReviewSupplementIn) -> Any:
    review = _review(request, review_id)
    uploads = _uploads(payload.uploads)
    done = services.review_supplement(
        acting_user=_me(request), review=review, items=list(payload.items), uploads=uploads
    )
    return _detail(request, done)


@router.post("/{review_id}/assign", response={200: ReviewDetailOut, **ERRORS}, summary="指派审核人员")
def review_assign(request: HttpRequest, review_id: uuid.UUID, payload: ReviewAssignIn) -> Any:
    review = _review(request, review_id)
    reviewer = User.objects.filter(public_id=payload.reviewer).first()
    if reviewer is None:
        raise ServiceError.single("reviewer", "not_found", _("用户不存在。"))
    return _detail(request, services.review_assign(acting_user=_me(request), review=review, reviewer=reviewer))


@router.post("/{review_id}/pause", response={200: ReviewDetailOut, **ERRORS}, summary="中止计时（专家论证、核实情况）")
def review_pause(request: HttpRequest, review_id: uuid.UUID, payload: ReviewReasonIn) -> Any:
    review = services.review_pause(acting_user=_me(request), review=_review(request, review_id), reason=payload.reason)
    return _detail(request, review)


@router.post("/{review_id}/resume", response={200: ReviewDetailOut, **ERRORS}, summary="恢复计时")
def review_resume(request: HttpRequest, review_id: uuid.UUID, payload: ReviewNoteIn) -> Any:
    review = services.review_resume(acting_user=_me(request), review=_review(request, review_id), note=payload.note)
    return _detail(request, review)


@router.post(
    "/{review_id}/extend", response={200: ReviewDetailOut, **ERRORS}, summary="延长审核期限2个工作日（机关负责人）"
)
def review_extend(request: HttpRequest, review_id: uuid.UUID, payload: ReviewReasonIn) -> Any:
    review = services.review_extend(acting_user=_me(request), review=_review(request, review_id), reason=payload.reason)
    return _detail(request, review)


@router.post(
    "/{review_id}/counsel-opinions", response={200: ReviewDetailOut, **ERRORS}, summary="法律顾问、公职律师书面意见"
)
def review_counsel(request: HttpRequest, review_id: uuid.UUID, payload: ReviewCounselIn) -> Any:
    review = services.review_counsel_opinion(
        acting_user=_me(request), review=_review(request, review_id), counsel=payload.counsel, opinion=payload.opinion
    )
    return _detail(request, review)


@router.post(
    "/{review_id}/opinion",
    response={200: ReviewDetailOut, **ERRORS},
    summary="出具审核意见",
    description="审核意见及理由（REV-6），写入案件；同时生成法制审核意见书（DOCX 和 PDF，一式两份），存入两个存储并归入案卷。",
)
def review_opinion(request: HttpRequest, review_id: uuid.UUID, payload: ReviewOpinionIn) -> Any:
    review = services.review_opinion(
        acting_user=_me(request), review=_review(request, review_id), outcome=payload.outcome, reasons=payload.reasons
    )
    return _detail(request, review)


@router.post("/{review_id}/disagree", response={200: ReviewDetailOut, **ERRORS}, summary="提出分歧意见，提交专家论证")
def review_disagree(request: HttpRequest, review_id: uuid.UUID, payload: ReviewReasonsIn) -> Any:
    review = services.review_disagree(
        acting_user=_me(request), review=_review(request, review_id), reasons=payload.reasons
    )
    return _detail(request, review)


@router.post("/{review_id}/panel-opinion", response={200: ReviewDetailOut, **ERRORS}, summary="专家论证意见")
def review_panel(request: HttpRequest, review_id: uuid.UUID, payload: ReviewPanelIn) -> Any:
    review = services.review_panel_opinion(
        acting_user=_me(request),
        review=_review(request, review_id),
        experts=payload.experts,
        opinion=payload.opinion,
        agreed=payload.agreed,
    )
    return _detail(request, review)


@router.post(
    "/{review_id}/collective-decision",
    response={200: ReviewDetailOut, **ERRORS},
    summary="机关负责人集体讨论决定",
    description="专家论证未能解决分歧的，由机关负责人集体讨论决定（REV-10）；同时生成法制审核意见书。",
)
def review_collective(request: HttpRequest, review_id: uuid.UUID, payload: ReviewCollectiveIn) -> Any:
    review = services.review_collective_decide(
        acting_user=_me(request),
        review=_review(request, review_id),
        outcome=payload.outcome,
        participants=payload.participants,
        reasons=payload.reasons,
    )
    return _detail(request, review)


@router.get(
    "/{review_id}/documents/{document_id}/{fmt}",
    response={200: None, **ERRORS},
    url_name="review_document",
    summary="下载法制审核意见书",
    description="fmt 为 pdf 或 docx。下载记入调阅登记（REC-11）。",
)
def review_document(request: HttpRequest, review_id: uuid.UUID, document_id: uuid.UUID, fmt: str) -> Any:
    review = _review(request, review_id)
    document = selectors.review_documents(review).filter(public_id=document_id).first()
    if document is None:
        raise NotFound.single("document", "not_found", _("文书不存在。"))
    stream, filename, content_type = review_document_open(user=request.user, review=review, document=document, fmt=fmt)
    return cast(HttpResponse, FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type))
