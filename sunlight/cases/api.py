"""Case API under /api/v1/cases/ (REC-1, REC-2, REC-14, DIS-4, SYS-5, PUB-12).

Two audiences:

* Staff, with their session (like every other router): list the cases they may see, register a case, read a case
  with its records, deadlines and next steps, record a step, declare a conflict, decide on a recusal, assign officers.
  Reads go through the selectors (`cases_visible_to`: a case outside the caller's scope is 404), writes through the
  services; a refused step changes nothing.
* Other case systems, with a bearer token (`tokens.py`) and an `Idempotency-Key` header: push a case, push a step of
  a case they pushed (`push.py` holds the contract: scope, idempotency, who acts, what the ledger records).

Every error is `{"errors": [{"field", "code", "message"}]}` with the message in Chinese.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any, Literal, cast

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from sunlight.catalog.models import EnforcementItem
from sunlight.catalog.workflows import WORKFLOWS
from sunlight.core.calendar import level_at
from sunlight.core.choices import DeadlineStatus, Level
from sunlight.core.errors import FieldError, NotFound, ServiceError
from sunlight.evidence.models import AVRecord
from sunlight.org.choices import ActionType
from sunlight.org.models import Unit, User

from . import push, selectors, services
from .checks import StepInput
from .choices import CaseStatus, RecusalOutcome, Source
from .models import ApiClient, Case, CaseRecord, ConflictDeclaration
from .tokens import Unauthenticated, api_client_authenticate
from .workflow import INTERNAL, allowed_next, step_name

router = Router(tags=["案件"], auth=django_auth)

# Codes as literals (inlined in the OpenAPI schema, so that they cannot collide with other apps' enum components);
# test_api_openapi_lists_case_paths checks that they match the choices.
StatusCode = Literal["open", "decided", "closed", "archived", "not_opened"]
PartyKindCode = Literal["individual", "organisation"]
SourceCode = Literal["inspection", "complaint", "referral", "application", "other"]
RecusalCode = Literal["recused", "not_recused"]
LevelCode = Literal["green", "yellow", "red"]

# --- authentication of other systems -------------------------------------------------------------------------------


class ClientBearer(HttpBearer):
    """接入令牌（Bearer）：由系统管理员为其他办案系统签发，限定可推送的执法主体，可吊销。"""

    openapi_description = "其他办案系统的接入令牌：Authorization: Bearer <令牌>。令牌由系统管理员签发，可随时吊销。"

    def __call__(self, request: HttpRequest) -> ApiClient:
        value = request.headers.get(self.header, "")
        scheme, _sep, token = value.partition(" ")
        if scheme.lower() != "bearer":
            raise Unauthenticated.single(
                "__all__", "token_missing", _("请在 Authorization 头中提供接入令牌（Bearer）。")
            )
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        return api_client_authenticate(token)


client_bearer = ClientBearer()

# --- schemas -------------------------------------------------------------------------------------------------------


class CaseErrorOut(Schema):
    """一条错误：字段、错误代码、中文说明。"""

    field: str = Field(..., description="出错的字段（整个请求为 __all__）")
    code: str = Field(..., description="错误代码（英文，稳定，可供程序判断）")
    message: str = Field(..., description="错误说明（中文）")


class CaseErrorsOut(Schema):
    """错误响应：所有错误一并列出。"""

    errors: list[CaseErrorOut] = Field(..., description="错误列表")


class CaseRefOut(Schema):
    """引用的对象：标识与名称。"""

    id: uuid.UUID = Field(..., description="标识")
    name: str = Field(..., description="名称")


class CasePersonOut(Schema):
    """人员：用户标识与姓名。"""

    id: uuid.UUID = Field(..., description="用户标识")
    name: str = Field(..., description="姓名")


class CaseFilter(Schema):
    """案件列表的筛选与分页条件。"""

    status: StatusCode | None = Field(
        None, description="状态：open 办理中，decided 已决定，closed 已结案，archived 已归档，not_opened 不予立案"
    )
    workflow: str | None = Field(None, description="办理程序代码，如 penalty（行政处罚普通程序）")
    agency: uuid.UUID | None = Field(None, description="执法主体标识")
    unit: uuid.UUID | None = Field(None, description="承办机构标识")
    q: str | None = Field(None, max_length=100, description="关键词：在案由、案件编号中查找")
    page: int = Field(1, ge=1, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=100, description="每页条数（1-100）")


class CaseRowOut(Schema):
    """案件列表中的一行。"""

    id: uuid.UUID = Field(..., description="案件标识")
    number: str = Field(..., description="案件编号")
    title: str = Field(..., description="案由")
    workflow: str = Field(..., description="办理程序代码")
    workflow_name: str = Field(..., description="办理程序名称")
    status: str = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态名称")
    step: str = Field(..., description="当前环节代码")
    step_name: str = Field(..., description="当前环节名称")
    agency: CaseRefOut = Field(..., description="执法主体")
    unit: CaseRefOut = Field(..., description="承办机构")
    party_name: str = Field(..., description="当事人")
    lead_officer: str = Field(..., description="主办人员姓名")
    is_major: bool = Field(..., description="是否重大执法决定")
    fine_fen: int | None = Field(None, description="罚款金额（分）")
    created_at: datetime = Field(..., description="登记时间")
    decided_at: datetime | None = Field(None, description="决定时间")
    closed_at: datetime | None = Field(None, description="结案时间")
    external: bool = Field(..., description="是否由其他办案系统推送")


class CasePageOut(Schema):
    """一页案件及总数（总数超过 10,000 件时只给出下限）。"""

    count: int = Field(..., description="符合条件的案件数；count_exact 为 false 时表示“至少这么多”")
    count_exact: bool = Field(..., description="count 是否为准确总数（超过 10,000 件时为 false）")
    page: int = Field(..., description="当前页码")
    page_size: int = Field(..., description="每页条数")
    pages: int = Field(..., description="总页数（count_exact 为 false 时为下限）")
    has_next: bool = Field(..., description="是否还有下一页")
    items: list[CaseRowOut] = Field(..., description="本页案件")


class CaseIn(Schema):
    """登记案件（案件线索）：当前用户为主办人员。"""

    workflow: str = Field(
        ..., max_length=32, description="办理程序代码：penalty、penalty_simple、coercion、inspection、licence……"
    )
    unit: uuid.UUID = Field(..., description="承办机构标识（须为本机关的机构）")
    item: uuid.UUID | None = Field(None, description="执法事项标识（须为承办机构承担的事项）")
    title: str = Field(..., max_length=200, description="案由")
    party_kind: PartyKindCode = Field(..., description="当事人类别：individual 公民，organisation 法人或其他组织")
    party_name: str = Field(..., max_length=200, description="当事人名称或姓名")
    source: SourceCode = Field(
        ...,
        description="案件来源：inspection 监督检查发现，complaint 投诉举报，referral 交办或移送，application 当事人申请，other 其他",
    )
    region_code: str = Field("", max_length=12, description="执法区域代码（不填为执法主体所在区划）")
    summary: str = Field("", max_length=5000, description="案情摘要")
    source_ref: str = Field("", max_length=120, description="来源编号（如投诉举报编号）")
    complainant_name: str = Field("", max_length=100, description="实名投诉举报人姓名（仅在实名举报时填写）")
    party_id_number: str = Field("", max_length=40, description="当事人证件号码或统一社会信用代码")
    party_address: str = Field("", max_length=300, description="当事人地址")
    party_phone: str = Field("", max_length=40, description="当事人联系电话")
    officers: list[uuid.UUID] = Field([], description="其他承办人员的用户标识")


class CaseItemOut(Schema):
    """执法事项。"""

    id: uuid.UUID = Field(..., description="执法事项标识")
    code: str = Field(..., description="事项编码")
    name: str = Field(..., description="事项名称（当前版本）")


class CaseRecordOfficerOut(Schema):
    """记录中的执法人员及其执法证号。"""

    id: str = Field(..., description="用户标识")
    name: str = Field(..., description="姓名")
    certificate: str = Field("", description="执法证号（记录时有效的证件）")


class CaseAVOut(Schema):
    """关联的音像记录。"""

    id: uuid.UUID = Field(..., description="音像记录标识")
    title: str = Field(..., description="内容摘要")


class CaseDocumentOut(Schema):
    """由记录生成的文书。"""

    id: uuid.UUID = Field(..., description="文书标识")
    doc_type: str = Field(..., description="文书种类")
    number: str = Field(..., description="文书编号")
    version: int = Field(..., description="版本")


class CaseRecordOut(Schema):
    """一条执法记录（办理环节）：时间、地点、人员、告知、内容、签名或拒签。"""

    id: uuid.UUID = Field(..., description="记录标识")
    seq: int = Field(..., description="序号")
    step: str = Field(..., description="环节代码")
    step_name: str = Field(..., description="环节名称")
    variant: str = Field(..., description="方式（如送达方式）")
    occurred_at: datetime = Field(..., description="发生时间")
    place: str = Field(..., description="地点")
    officers: list[CaseRecordOfficerOut] = Field(..., description="执法人员")
    certificates_shown: bool = Field(..., description="已出示执法证件")
    party_present: bool = Field(..., description="当事人在场")
    rights_notified: list[str] = Field(..., description="告知的权利")
    rights_how: str = Field(..., description="告知方式")
    content: str = Field(..., description="内容")
    data: dict[str, Any] = Field(..., description="环节数据（各环节自有字段，金额以分计）")
    party_signed: bool = Field(..., description="当事人已签名")
    refusal_note: str = Field(..., description="拒绝签名情况")
    corrects: uuid.UUID | None = Field(None, description="更正的记录")
    recorded_by: CasePersonOut = Field(..., description="记录人")
    recorded_at: datetime = Field(..., description="记录时间")
    entry_seq: int = Field(..., description="全过程记录账本序号")
    entry_hash: str = Field(..., description="账本哈希")
    av_records: list[CaseAVOut] = Field(..., description="关联的音像记录")
    documents: list[CaseDocumentOut] = Field(..., description="生成的文书")


class CaseDeadlineOut(Schema):
    """案件的一个期限及其预警颜色。"""

    id: uuid.UUID = Field(..., description="期限标识")
    rule: str = Field(..., description="期限规则代码")
    name: str = Field(..., description="期限名称")
    basis: str = Field(..., description="依据")
    start_event: str = Field(..., description="起算事件")
    started_at: datetime = Field(..., description="起算时间")
    due_at: datetime = Field(..., description="届满时间")
    yellow_at: datetime = Field(..., description="黄色预警时间")
    status: str = Field(..., description="期限状态代码")
    status_label: str = Field(..., description="期限状态")
    level: LevelCode = Field(..., description="预警颜色：green 正常，yellow 黄色预警，red 红色预警（已逾期）")
    level_label: str = Field(..., description="预警级别")
    completed_at: datetime | None = Field(None, description="完成时间")


class CaseNextStepOut(Schema):
    """下一步可以办理的环节及其要求。"""

    code: str = Field(..., description="环节代码")
    name: str = Field(..., description="环节名称")
    needs: list[str] = Field(..., description="须具备的条件")
    approval: bool = Field(..., description="是否须负责人审批")


class CaseRecusalOut(Schema):
    """回避决定。"""

    outcome: RecusalCode = Field(..., description="决定：recused 回避，not_recused 不予回避")
    outcome_label: str = Field(..., description="决定名称")
    collective: bool = Field(..., description="是否集体讨论决定")
    reasons: str = Field(..., description="理由")
    decided_by: CasePersonOut = Field(..., description="决定人")
    decided_at: datetime = Field(..., description="决定时间")


class CaseConflictOut(Schema):
    """回避申报（或当事人的回避申请）及其决定。"""

    id: uuid.UUID = Field(..., description="申报标识")
    officer: CasePersonOut = Field(..., description="申报回避的人员")
    reason: str = Field(..., description="回避事由")
    by_party: bool = Field(..., description="是否当事人申请")
    declared_by: CasePersonOut = Field(..., description="申报人")
    declared_at: datetime = Field(..., description="申报时间")
    decision: CaseRecusalOut | None = Field(None, description="决定（未决定时为空）")


class CaseOut(Schema):
    """案件详情：基本情况、执法记录时间线、期限及预警、下一步、回避。"""

    id: uuid.UUID = Field(..., description="案件标识")
    number: str = Field(..., description="案件编号")
    title: str = Field(..., description="案由")
    workflow: str = Field(..., description="办理程序代码")
    workflow_name: str = Field(..., description="办理程序名称")
    action_type: str = Field(..., description="行为类型代码")
    action_type_label: str = Field(..., description="行为类型")
    status: str = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态")
    step: str = Field(..., description="当前环节代码")
    step_name: str = Field(..., description="当前环节名称")
    agency: CaseRefOut = Field(..., description="执法主体")
    unit: CaseRefOut = Field(..., description="承办机构")
    item: CaseItemOut | None = Field(None, description="执法事项")
    region_code: str = Field(..., description="执法区域代码")
    summary: str = Field(..., description="案情摘要")
    source: str = Field(..., description="案件来源代码")
    source_label: str = Field(..., description="案件来源")
    source_ref: str = Field(..., description="来源编号")
    complainant_name: str = Field(..., description="实名投诉举报人")
    party_kind: str = Field(..., description="当事人类别")
    party_name: str = Field(..., description="当事人")
    party_id_number: str = Field(..., description="证件号码或统一社会信用代码")
    party_address: str = Field(..., description="当事人地址")
    party_phone: str = Field(..., description="当事人联系电话")
    lead_officer: CasePersonOut = Field(..., description="主办人员")
    officers: list[CasePersonOut] = Field(..., description="承办人员")
    is_major: bool = Field(..., description="是否重大执法决定")
    major_reasons: list[Any] = Field(..., description="属于重大执法决定的理由")
    emergency: bool = Field(..., description="是否紧急情况先行实施")
    fine_fen: int | None = Field(None, description="罚款金额（分）")
    opened_at: datetime | None = Field(None, description="立案时间")
    decided_at: datetime | None = Field(None, description="决定时间")
    closed_at: datetime | None = Field(None, description="结案时间")
    archived_at: datetime | None = Field(None, description="归档时间")
    created_at: datetime = Field(..., description="登记时间")
    record_count: int = Field(..., description="执法记录条数")
    external_system: str | None = Field(None, description="推送该案件的办案系统名称")
    external_id: str = Field(..., description="外部系统案件标识")
    records: list[CaseRecordOut] = Field(..., description="执法记录时间线（按序号）")
    deadlines: list[CaseDeadlineOut] = Field(..., description="期限（计时中的在前）")
    next_steps: list[CaseNextStepOut] = Field(..., description="下一步可以办理的环节")
    conflicts: list[CaseConflictOut] = Field(..., description="回避申报及决定")


class CaseStepFields(Schema):
    """一个办理环节的记录内容（各环节的要求见案件详情 next_steps）。"""

    step: str = Field(..., max_length=40, description="环节代码，如 initiation、investigation、notice、decision")
    occurred_at: datetime = Field(..., description="发生时间，ISO 8601 带时区，如 2026-03-02T09:00:00+08:00")
    place: str = Field("", max_length=200, description="地点（现场执法必填）")
    officers: list[uuid.UUID] = Field([], description="参与的执法人员的用户标识（现场执法至少两名）")
    certificates_shown: bool = Field(False, description="已出示执法证件")
    party_present: bool = Field(False, description="当事人在场")
    rights_notified: list[str] = Field(
        [], description="告知的权利：statement、defence、hearing、reconsideration、litigation、recusal"
    )
    rights_how: str = Field("", max_length=100, description="告知方式（口头、书面等）")
    content: str = Field("", max_length=20000, description="内容")
    data: dict[str, Any] = Field({}, description="环节数据（如 facts、basis、kinds、fine_fen，金额以分计）")
    party_signed: bool = Field(False, description="当事人已签名")
    refusal_note: str = Field("", max_length=300, description="拒绝签名情况及见证人")
    variant: str = Field("", max_length=32, description="方式（如送达方式 direct、mail、lodged……）")
    av_records: list[uuid.UUID] = Field([], description="关联的音像记录标识（须为本机关的音像记录）")


class CaseStepIn(CaseStepFields):
    """记录一个办理环节（当前用户为记录人）。"""


class CaseStepRefOut(Schema):
    """一个办理环节：代码与名称。"""

    code: str = Field(..., description="环节代码")
    name: str = Field(..., description="环节名称")


class CaseBriefOut(Schema):
    """案件的当前状态。"""

    id: uuid.UUID = Field(..., description="案件标识")
    number: str = Field(..., description="案件编号")
    status: str = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态")
    step: str = Field(..., description="当前环节代码")
    step_name: str = Field(..., description="当前环节名称")
    record_count: int = Field(..., description="执法记录条数")
    next_steps: list[CaseStepRefOut] = Field(..., description="下一步可以办理的环节（各环节的要求见案件详情）")


class CaseRecordedOut(Schema):
    """已记录的环节及案件的新状态。"""

    record: CaseRecordOut = Field(..., description="新的执法记录")
    case: CaseBriefOut = Field(..., description="案件的新状态")


class CaseConflictIn(Schema):
    """申报回避（或登记当事人的回避申请）。"""

    officer: uuid.UUID = Field(..., description="须回避的人员的用户标识")
    reason: str = Field(..., max_length=2000, description="回避事由")
    by_party: bool = Field(False, description="是否当事人申请")


class CaseRecusalIn(Schema):
    """对回避申报作出决定（负责人；负责人的回避由集体讨论决定）。"""

    outcome: RecusalCode = Field(..., description="recused 决定回避，not_recused 决定不予回避")
    reasons: str = Field(..., max_length=2000, description="理由")
    collective: bool = Field(False, description="是否经负责人集体讨论决定")


class CaseOfficersIn(Schema):
    """增加承办人员。"""

    officers: list[uuid.UUID] = Field(..., min_length=1, description="增加的承办人员的用户标识")


class PushCaseIn(Schema):
    """其他办案系统推送的案件。人员、机构、事项均用本平台的标识；主办人员即登记人。"""

    external_id: str = Field(
        ..., min_length=1, max_length=120, pattern=r"^[^/\s]+$", description="推送方系统中的案件标识（不含“/”和空白）"
    )
    workflow: str = Field(
        ..., max_length=32, description="办理程序代码：penalty、penalty_simple、coercion、inspection、licence……"
    )
    unit: uuid.UUID = Field(..., description="承办机构标识（须属于令牌可推送的执法主体）")
    item: uuid.UUID | None = Field(None, description="执法事项标识")
    title: str = Field(..., max_length=200, description="案由")
    party_kind: PartyKindCode = Field(..., description="当事人类别")
    party_name: str = Field(..., max_length=200, description="当事人")
    source: SourceCode = Field(
        ...,
        description="案件来源：inspection 监督检查发现，complaint 投诉举报，referral 交办或移送，application 当事人申请，other 其他",
    )
    lead_officer: uuid.UUID = Field(..., description="主办人员的用户标识（该执法主体的在职执法人员）")
    officers: list[uuid.UUID] = Field([], description="其他承办人员的用户标识")
    region_code: str = Field("", max_length=12, description="执法区域代码")
    summary: str = Field("", max_length=5000, description="案情摘要")
    source_ref: str = Field("", max_length=120, description="来源编号")
    complainant_name: str = Field("", max_length=100, description="实名投诉举报人")
    party_id_number: str = Field("", max_length=40, description="证件号码或统一社会信用代码")
    party_address: str = Field("", max_length=300, description="当事人地址")
    party_phone: str = Field("", max_length=40, description="当事人联系电话")


class PushStepIn(CaseStepFields):
    """其他办案系统推送的办理环节记录。"""

    recorded_by: uuid.UUID | None = Field(
        None,
        description="记录人（以其名义记录）的用户标识：该执法主体的在职人员；须负责人审批的环节填写审批的负责人；不填为主办人员",
    )


class PushedCaseOut(Schema):
    """推送后案件的标识和状态。"""

    id: uuid.UUID = Field(..., description="本平台的案件标识")
    number: str = Field(..., description="案件编号")
    external_id: str = Field(..., description="推送方的案件标识")
    workflow: str = Field(..., description="办理程序代码")
    status: str = Field(..., description="状态代码")
    step: str = Field(..., description="当前环节代码")
    step_name: str = Field(..., description="当前环节名称")
    record_count: int = Field(..., description="执法记录条数")


class PushedRecordOut(Schema):
    """推送后记录的标识。"""

    id: uuid.UUID = Field(..., description="记录标识")
    seq: int = Field(..., description="序号")
    step: str = Field(..., description="环节代码")
    step_name: str = Field(..., description="环节名称")
    occurred_at: datetime = Field(..., description="发生时间")
    entry_hash: str = Field(..., description="全过程记录账本哈希")


class PushedStepOut(Schema):
    """推送的环节已记录。"""

    case: PushedCaseOut = Field(..., description="案件的新状态")
    record: PushedRecordOut = Field(..., description="新的执法记录")


ERRORS: dict[int, type[Schema]] = {400: CaseErrorsOut, 403: CaseErrorsOut, 404: CaseErrorsOut}
PUSH_ERRORS: dict[int, type[Schema]] = {
    400: CaseErrorsOut,
    401: CaseErrorsOut,
    403: CaseErrorsOut,
    404: CaseErrorsOut,
    409: CaseErrorsOut,
}

# --- helpers -------------------------------------------------------------------------------------------------------


def _person(user: Any) -> dict[str, Any]:
    return {"id": user.public_id, "name": user.full_name or user.username}


def _me(request: HttpRequest) -> User:
    """The logged-in staff user (django_auth has let only authenticated users through)."""
    return cast(User, request.user)


def _workflow_name(code: str) -> str:
    found = WORKFLOWS.get(code)
    return str(found.name) if found else code


def _case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return selectors.case_get_for_user(user=request.user, public_id=case_id)


def _users(ids: list[uuid.UUID], *, field_name: str) -> list[User]:
    """Users by public id, in the order given; a field error for each unknown id."""
    wanted = list(dict.fromkeys(ids))
    found = {u.public_id: u for u in User.objects.filter(public_id__in=wanted)}
    missing = [k for k in wanted if k not in found]
    if missing:
        raise ServiceError(
            [FieldError(field_name, "not_found", _("用户 %(id)s 不存在。") % {"id": k}) for k in missing]
        )
    return [found[k] for k in wanted]


def _av_records(case: Case, ids: list[uuid.UUID]) -> list[AVRecord]:
    wanted = list(dict.fromkeys(ids))
    found = {
        a.public_id: a
        for a in AVRecord.objects.filter(public_id__in=wanted, agency_id=case.agency_id).prefetch_related(
            "interruptions"
        )
    }
    missing = [k for k in wanted if k not in found]
    if missing:
        raise ServiceError(
            [
                FieldError("av_records", "not_found", _("音像记录 %(id)s 不存在或不属于本机关。") % {"id": k})
                for k in missing
            ]
        )
    return [found[k] for k in wanted]


def _record_out(case: Case, record: CaseRecord) -> dict[str, Any]:
    return {
        "id": record.public_id,
        "seq": record.seq,
        "step": record.step,
        "step_name": step_name(case.workflow, record.step),
        "variant": record.variant,
        "occurred_at": record.occurred_at,
        "place": record.place,
        "officers": record.officers,
        "certificates_shown": record.certificates_shown,
        "party_present": record.party_present,
        "rights_notified": record.rights_notified,
        "rights_how": record.rights_how,
        "content": record.content,
        "data": record.data,
        "party_signed": record.party_signed,
        "refusal_note": record.refusal_note,
        "corrects": record.corrects.public_id if record.corrects_id and record.corrects else None,
        "recorded_by": _person(record.recorded_by),
        "recorded_at": record.recorded_at,
        "entry_seq": record.entry_seq,
        "entry_hash": record.entry_hash,
        "av_records": [
            {"id": link.av_record.public_id, "title": link.av_record.title} for link in record.av_links.all()
        ],
        "documents": [
            {"id": d.public_id, "doc_type": d.doc_type, "number": d.number, "version": d.version}
            for d in record.documents.all()
        ],
    }


def _deadline_out(deadline: Any, now: datetime) -> dict[str, Any]:
    level = deadline.level
    if deadline.status == DeadlineStatus.OPEN:
        level = level_at(now=now, yellow=deadline.yellow_at, due=deadline.due_at)
    return {
        "id": deadline.public_id,
        "rule": deadline.rule.code,
        "name": deadline.rule.name,
        "basis": deadline.rule.basis,
        "start_event": deadline.start_event,
        "started_at": deadline.started_at,
        "due_at": deadline.due_at,
        "yellow_at": deadline.yellow_at,
        "status": deadline.status,
        "status_label": str(DeadlineStatus(deadline.status).label),
        "level": level,
        "level_label": str(Level(level).label),
        "completed_at": deadline.completed_at,
    }


def _next_steps(case: Case) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "name": s.name, "needs": s.needs, "approval": s.approval} for s in selectors.next_steps(case)
    ]


def _conflict_out(declaration: ConflictDeclaration) -> dict[str, Any]:
    decision = getattr(declaration, "decision", None)
    return {
        "id": declaration.public_id,
        "officer": _person(declaration.officer),
        "reason": declaration.reason,
        "by_party": declaration.by_party,
        "declared_by": _person(declaration.declared_by),
        "declared_at": declaration.declared_at,
        "decision": {
            "outcome": decision.outcome,
            "outcome_label": str(RecusalOutcome(decision.outcome).label),
            "collective": decision.collective,
            "reasons": decision.reasons,
            "decided_by": _person(decision.decided_by),
            "decided_at": decision.decided_at,
        }
        if decision is not None
        else None,
    }


def _item_out(item: EnforcementItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    latest = item.versions.order_by("-number").values_list("name", flat=True).first()
    return {"id": item.public_id, "code": item.code, "name": latest or item.code}


def _case_out(case: Case) -> dict[str, Any]:
    now = timezone.now()
    records = [_record_out(case, r) for r in selectors.case_records(case).select_related("corrects")]
    conflicts = (
        ConflictDeclaration.objects.filter(case=case)
        .select_related("officer", "declared_by", "decision", "decision__decided_by")
        .order_by("declared_at", "id")
    )
    return {
        "id": case.public_id,
        "number": case.number,
        "title": case.title,
        "workflow": case.workflow,
        "workflow_name": _workflow_name(case.workflow),
        "action_type": case.action_type,
        "action_type_label": str(ActionType(case.action_type).label),
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "step": case.step,
        "step_name": step_name(case.workflow, case.step),
        "agency": {"id": case.agency.public_id, "name": case.agency.name},
        "unit": {"id": case.unit.public_id, "name": case.unit.name},
        "item": _item_out(case.item),
        "region_code": case.region_code,
        "summary": case.summary,
        "source": case.source,
        "source_label": str(Source(case.source).label),
        "source_ref": case.source_ref,
        "complainant_name": case.complainant_name,
        "party_kind": case.party_kind,
        "party_name": case.party_name,
        "party_id_number": case.party_id_number,
        "party_address": case.party_address,
        "party_phone": case.party_phone,
        "lead_officer": _person(case.lead_officer),
        "officers": [_person(u) for u in case.officers.order_by("id")],
        "is_major": case.is_major,
        "major_reasons": case.major_reasons,
        "emergency": case.emergency,
        "fine_fen": case.fine_fen,
        "opened_at": case.opened_at,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "archived_at": case.archived_at,
        "created_at": case.created_at,
        "record_count": case.record_count,
        "external_system": case.external_system.name if case.external_system_id and case.external_system else None,
        "external_id": case.external_id,
        "records": records,
        "deadlines": [_deadline_out(d, now) for d in selectors.case_deadlines(case)],
        "next_steps": _next_steps(case),
        "conflicts": [_conflict_out(d) for d in conflicts],
    }


def _brief(case: Case) -> dict[str, Any]:
    return {
        "id": case.public_id,
        "number": case.number,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "step": case.step,
        "step_name": step_name(case.workflow, case.step),
        "record_count": case.record_count,
        # Codes and names only: the requirements (`selectors.next_steps`) cost queries per step; the detail has them.
        "next_steps": [
            {"code": code, "name": step_name(case.workflow, code)}
            for code in sorted(allowed_next(case.workflow, case.step))
            if code not in INTERNAL
        ],
    }


COUNT_CAP = 10_000
LIST_FIELDS = (
    "public_id",
    "number",
    "title",
    "workflow",
    "status",
    "step",
    "agency__public_id",
    "agency__name",
    "unit__public_id",
    "unit__name",
    "party_name",
    "lead_officer__full_name",
    "is_major",
    "fine_fen",
    "created_at",
    "decided_at",
    "closed_at",
    "external_system_id",
)


def _row(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": values["public_id"],
        "number": values["number"],
        "title": values["title"],
        "workflow": values["workflow"],
        "workflow_name": _workflow_name(values["workflow"]),
        "status": values["status"],
        "status_label": str(CaseStatus(values["status"]).label),
        "step": values["step"],
        "step_name": step_name(values["workflow"], values["step"]),
        "agency": {"id": values["agency__public_id"], "name": values["agency__name"]},
        "unit": {"id": values["unit__public_id"], "name": values["unit__name"]},
        "party_name": values["party_name"],
        "lead_officer": values["lead_officer__full_name"] or "",
        "is_major": values["is_major"],
        "fine_fen": values["fine_fen"],
        "created_at": values["created_at"],
        "decided_at": values["decided_at"],
        "closed_at": values["closed_at"],
        "external": values["external_system_id"] is not None,
    }


# --- staff endpoints ---------------------------------------------------------------------------------------------


@router.get(
    "/",
    response=CasePageOut,
    summary="案件列表",
    description="当前用户可见的案件（执法人员：本人主办或承办的；负责人：本机构或本机关的；监督人员：本辖区的），"
    "按登记时间倒序分页；可按状态、办理程序、执法主体、承办机构和关键词筛选。",
)
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    qs = selectors.cases_visible_to(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.workflow:
        qs = qs.filter(workflow=filters.workflow)
    if filters.agency:
        qs = qs.filter(agency__public_id=filters.agency)
    if filters.unit:
        qs = qs.filter(unit__public_id=filters.unit)
    if filters.q and filters.q.strip():
        words = filters.q.strip()
        qs = qs.filter(Q(title__icontains=words) | Q(number__icontains=words))
    # The total is counted up to COUNT_CAP: a capped count streams and stops early, where an exact count over a
    # county's cases costs a full pass of the scope filter; beyond the cap the page says "at least".
    counted = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    exact = counted <= COUNT_CAP
    count = min(counted, COUNT_CAP)
    size = filters.page_size
    start = (filters.page - 1) * size
    # Two steps: the ordered page of primary keys (a narrow sort), then only the listed columns of those rows.
    keys = list(qs.order_by("-created_at", "-id").values_list("pk", flat=True)[start : start + size + 1])
    found = {v["pk"]: v for v in Case.objects.filter(pk__in=keys[:size]).values("pk", *LIST_FIELDS)}
    return {
        "count": count,
        "count_exact": exact,
        "page": filters.page,
        "page_size": size,
        "pages": max(1, math.ceil(count / size)),
        "has_next": len(keys) > size,
        "items": [_row(found[k]) for k in keys[:size] if k in found],
    }


@router.post(
    "/",
    response={201: CaseOut, **ERRORS},
    summary="登记案件",
    description="登记一个案件（案件线索阶段），当前用户为主办人员；案件编号由本机关的案件编号规则生成，"
    "登记记入全过程记录。",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    unit = Unit.objects.select_related("agency", "agency__region").filter(public_id=payload.unit).first()
    if unit is None:
        raise ServiceError.single("unit", "not_found", _("承办机构不存在。"))
    item = None
    if payload.item is not None:
        item = EnforcementItem.objects.filter(public_id=payload.item).first()
        if item is None:
            raise ServiceError.single("item", "not_found", _("执法事项不存在。"))
    officers = _users(payload.officers, field_name="officers")
    data = payload.dict(exclude={"unit", "item", "officers", "party_kind", "source"})
    case = services.case_create(
        party_kind=payload.party_kind,
        source=payload.source,
        acting_user=_me(request),
        unit=unit,
        item=item,
        officers=officers,
        **data,
    )
    return Status(201, _case_out(_case(request, case.public_id)))


@router.get(
    "/{case_id}",
    response={200: CaseOut, 404: CaseErrorsOut},
    summary="案件详情",
    description="案件的基本情况、执法记录时间线、各期限及其预警颜色、下一步可办理的环节及其要求、回避申报及决定。",
)
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> Any:
    return _case_out(_case(request, case_id))


@router.post(
    "/{case_id}/records",
    response={201: CaseRecordedOut, **ERRORS},
    summary="记录办理环节",
    description="记录一个办理环节（立案、调查取证、告知、陈述申辩、决定、送达、执行、结案……）。"
    "按办理程序、执法人员资格、审批、音像记录、送达方式、裁量基准、法制审核等规则检查，"
    "不符合的一次列出全部理由，案件保持原状。",
)
def record_step(request: HttpRequest, case_id: uuid.UUID, payload: CaseStepIn) -> Any:
    case = _case(request, case_id)
    given = StepInput(
        occurred_at=payload.occurred_at,
        place=payload.place,
        officers=_users(payload.officers, field_name="officers"),
        certificates_shown=payload.certificates_shown,
        party_present=payload.party_present,
        rights_notified=list(payload.rights_notified),
        rights_how=payload.rights_how,
        content=payload.content,
        data=dict(payload.data),
        party_signed=payload.party_signed,
        refusal_note=payload.refusal_note,
        variant=payload.variant,
        av_records=_av_records(case, payload.av_records),
    )
    record = services.case_step_record(acting_user=_me(request), case=case, step=payload.step, given=given)
    fresh = (
        CaseRecord.objects.select_related("recorded_by", "corrects")
        .prefetch_related("av_links__av_record", "documents")
        .get(pk=record.pk)
    )
    return Status(201, {"record": _record_out(case, fresh), "case": _brief(case)})


@router.post(
    "/{case_id}/conflicts",
    response={201: CaseConflictOut, **ERRORS},
    summary="申报回避",
    description="执法人员申报与本案有利害关系，或登记当事人的回避申请；在负责人决定不予回避之前，该人员不能参与本案执法。",
)
def conflict_declare(request: HttpRequest, case_id: uuid.UUID, payload: CaseConflictIn) -> Any:
    case = _case(request, case_id)
    (officer,) = _users([payload.officer], field_name="officer")
    declaration = services.case_conflict_declare(
        acting_user=_me(request), case=case, officer=officer, reason=payload.reason, by_party=payload.by_party
    )
    return Status(201, _conflict_out(declaration))


@router.post(
    "/{case_id}/conflicts/{declaration_id}/decision",
    response={201: CaseConflictOut, **ERRORS},
    summary="作出回避决定",
    description="负责人对回避申报作出决定；负责人本人的回避由机关负责人集体讨论决定。决定回避的人员不再承办本案。",
)
def recusal_decide(request: HttpRequest, case_id: uuid.UUID, declaration_id: uuid.UUID, payload: CaseRecusalIn) -> Any:
    case = _case(request, case_id)
    declaration = (
        ConflictDeclaration.objects.select_related("case", "officer", "declared_by")
        .filter(case=case, public_id=declaration_id)
        .first()
    )
    if declaration is None:
        raise NotFound.single("declaration", "not_found", _("回避申报不存在。"))
    services.case_recusal_decide(
        acting_user=_me(request),
        declaration=declaration,
        outcome=payload.outcome,
        reasons=payload.reasons,
        collective=payload.collective,
    )
    fresh = ConflictDeclaration.objects.select_related(
        "officer", "declared_by", "decision", "decision__decided_by"
    ).get(pk=declaration.pk)
    return Status(201, _conflict_out(fresh))


@router.post(
    "/{case_id}/officers",
    response={200: list[CasePersonOut], **ERRORS},
    summary="增加承办人员",
    description="为案件增加本机关的承办人员；已申报回避或决定回避的人员不能分派。",
)
def officers_assign(request: HttpRequest, case_id: uuid.UUID, payload: CaseOfficersIn) -> Any:
    case = _case(request, case_id)
    services.case_officers_assign(
        acting_user=_me(request), case=case, officers=_users(payload.officers, field_name="officers")
    )
    return [_person(u) for u in case.officers.order_by("id")]


# --- pushes from other case systems -----------------------------------------------------------------------------

KEY_HELP = (
    "幂等键：每次推送唯一（如 UUID），网络重试时保持不变；同一键、同一内容返回首次的结果，同一键、不同内容返回 409。"
)


def _push_response(result: push.PushResult) -> HttpResponse:
    response = JsonResponse(result.body, status=result.status, json_dumps_params={"ensure_ascii": False})
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _fingerprint(request: HttpRequest) -> str:
    return push.request_sha256(method=request.method or "POST", path=request.path, body=request.body)


@router.post(
    "/push/cases",
    auth=client_bearer,
    response={201: PushedCaseOut, **PUSH_ERRORS},
    summary="推送案件（其他办案系统）",
    description="其他办案系统推送一个新案件（REC-14、PUB-12）。认证：Authorization: Bearer <接入令牌>；"
    "须带 Idempotency-Key 头。只能推送令牌限定的执法主体的案件（否则 403）；同一外部标识只能推送一次（否则 409）。"
    "主办人员须为该执法主体的在职执法人员，案件以其名义登记；推送记入全过程记录（case.pushed）。",
)
def push_case(
    request: HttpRequest,
    payload: PushCaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description=KEY_HELP),
) -> Any:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    data = push.CasePush(**payload.dict())
    result = push.case_push(
        client=client, idempotency_key=idempotency_key, fingerprint=_fingerprint(request), push=data
    )
    return _push_response(result)


@router.post(
    "/push/cases/{external_id}/records",
    auth=client_bearer,
    response={201: PushedStepOut, **PUSH_ERRORS},
    summary="推送办理环节（其他办案系统）",
    description="为本系统推送过的案件（按外部标识）推送一个办理环节记录，规则与工作人员记录相同；"
    "以 recorded_by（不填为主办人员）的名义记录，须负责人审批的环节应填写审批的负责人。"
    "作出的决定即时生成公示草稿（PUB-12）。认证与幂等同“推送案件”。",
)
def push_step(
    request: HttpRequest,
    external_id: str,
    payload: PushStepIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description=KEY_HELP),
) -> Any:
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    data = push.StepPush(**payload.dict())
    result = push.step_push(
        client=client,
        idempotency_key=idempotency_key,
        fingerprint=_fingerprint(request),
        external_id=external_id,
        push=data,
    )
    return _push_response(result)
