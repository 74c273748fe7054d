"""Catalog API (issue 4): laws, the five versioned catalogs, review transitions, the checks other systems need
(benchmark, major decision, AV requirement, unit holds item), workflows, and Excel import/export.

Content goes in and out in the snapshot shape of `versioning.snapshot`: citations as 《法律法规名称》第N条, amounts in
fen, multiples and percentages as decimal strings; units are given by their public id on input and named on output.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from sunlight.core.errors import FieldError, NotFound, ServiceError
from sunlight.org import selectors as org_selectors
from sunlight.org.choices import ActionType
from sunlight.org.models import Unit

from . import excel, selectors, services
from .choices import CatalogKind, Circumstance
from .excel import CellError, read_articles
from .flowchart import render_svg
from .models import EnforcementItem
from .rules import CaseFacts, LevelSpec, PenaltySpec, ProposedPenalty
from .versioning import current_version, version_snapshot
from .workflows import WORKFLOWS

router = Router(tags=["执法事项目录"], auth=django_auth)

KIND_SLUGS = {
    "items": CatalogKind.ITEM,
    "benchmarks": CatalogKind.BENCHMARK,
    "major-rules": CatalogKind.MAJOR_RULE,
    "inspections": CatalogKind.INSPECTION,
    "av-items": CatalogKind.AV,
}


def _kind(slug: str) -> str:
    if slug not in KIND_SLUGS:
        raise NotFound.single("kind", "not_found", _("目录类型不存在。"))
    return KIND_SLUGS[slug]


def _agency(request: HttpRequest, agency: uuid.UUID | None) -> Any:
    return selectors.agency_for_user(user=request.user, public_id=agency)


# --- schemas ------------------------------------------------------------------------------------------------------


class ArticleIO(Schema):
    number: int = Field(..., ge=1, le=9999)
    text: str = ""
    repealed: bool = False


class LawOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    title: str
    short_title: str
    kind: str
    issuer: str
    doc_number: str
    promulgated_on: dt.date | None
    effective_from: dt.date


class ArticleOut(Schema):
    number: int
    label: str
    citation: str
    text: str
    effective_from: dt.date


class AmendmentOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    kind: str
    label: str
    effective_from: dt.date


class LawDetailOut(LawOut):
    repealed_on: dt.date | None
    amendments: list[AmendmentOut]
    articles: list[ArticleOut]


class LawIn(Schema):
    title: str = Field(..., max_length=200)
    short_title: str = Field("", max_length=60)
    kind: str
    issuer: str = Field("", max_length=120)
    doc_number: str = Field("", max_length=120)
    promulgated_on: dt.date | None = None
    effective_from: dt.date
    articles: list[ArticleIO] = []


class AmendmentIn(Schema):
    kind: str
    label: str = Field(..., max_length=200)
    promulgated_on: dt.date | None = None
    effective_from: dt.date
    note: str = ""
    changes: list[ArticleIO] = []


class FlaggedOut(Schema):
    flags: int


class VersionOut(Schema):
    id: uuid.UUID
    number: int
    status: str
    effective_from: dt.date
    abolished: bool
    change_note: str
    published_at: dt.datetime | None
    content: dict[str, Any]


class EntryOut(Schema):
    id: uuid.UUID
    kind: str
    code: str
    agency: uuid.UUID
    action_type: str | None = None
    field: str | None = None
    item: uuid.UUID | None = None
    current: VersionOut | None
    versions: list[VersionOut] | None = None


class PenaltyIn(Schema):
    kind: str
    measure: str = ""
    min_fen: int | None = Field(None, ge=0)
    max_fen: int | None = Field(None, ge=0)
    min_multiple: Decimal | None = Field(None, ge=0)
    max_multiple: Decimal | None = Field(None, ge=0)
    band_basis: str = ""
    band_from_fen: int | None = Field(None, ge=0)
    band_below_fen: int | None = Field(None, ge=0)


class LevelIn(Schema):
    circumstance: str
    conditions: str = ""
    penalties: list[PenaltyIn] = []


class EntryIn(Schema):
    code: str = Field("", max_length=40, description="新增时必填")
    action_type: str | None = Field(None, description="执法事项：行为类型（新增时必填，不可修改）")
    field: str | None = Field(None, description="执法事项：执法类别（新增时必填，不可修改）")
    item: uuid.UUID | None = Field(None, description="裁量基准：对应的执法事项")
    effective_from: dt.date
    change_note: str = ""
    short_notice_reason: str = Field("", max_length=200)
    content: dict[str, Any] = Field(..., description="内容：条款写作《名称》第N条，机构用其标识，金额以分计")
    levels: list[LevelIn] = Field([], description="裁量基准的情节档次")


class TransitionIn(Schema):
    note: str = ""
    confidentiality_checked: bool = Field(False, description="发布时须为 true：已完成保密审查")


class ProposalIn(Schema):
    circumstance: Circumstance
    kinds: list[str] = []
    fine_fen: int = Field(0, ge=0)
    goods_value_fen: int | None = Field(None, ge=0)
    illegal_gains_fen: int | None = Field(None, ge=0)
    construction_cost_fen: int | None = Field(None, ge=0)
    on: dt.date | None = None


class CheckOut(Schema):
    within: bool
    reasons_required: bool
    circumstance: str
    version: int | None
    problems: list[str]
    allowed: list[str]
    summary: str


class FactsIn(Schema):
    action_type: ActionType
    fine_fen: int = Field(0, ge=0)
    confiscation_fen: int = Field(0, ge=0)
    revokes_licence: bool = False
    suspension: bool = False
    hearing_held: bool = False
    complex: bool = False
    public_interest: bool = False
    social_risk: bool = False
    third_party_rights: bool = False
    suspected_crime: bool = False
    party: str | None = None
    collective: bool = False
    on: dt.date | None = None


class ReasonOut(Schema):
    rule_code: str
    rule_title: str
    criterion: str
    version: int
    reason: str


class MajorOut(Schema):
    major: bool
    reasons: list[ReasonOut]


class AvOut(Schema):
    action_type: str
    step: str
    requirement: str | None


class HoldsOut(Schema):
    unit: uuid.UUID
    item: uuid.UUID
    on: dt.date
    holds: bool


class StepOut(Schema):
    code: str
    name: str
    condition: str
    deadline: str | None
    deadline_note: str
    av_floor: str | None
    variants: list[str]


class WorkflowOut(Schema):
    code: str
    action_type: str
    name: str
    basis: str
    steps: list[StepOut]


class FlagOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    entry_kind: str
    entry_id: uuid.UUID = Field(..., alias="entry_public_id")
    entry_label: str
    status: str
    law: str = Field(..., alias="amendment.law.title")
    amendment: str = Field(..., alias="amendment.label")
    due_at: dt.datetime | None = Field(None, alias="deadline.due_at")


class ImportOut(Schema):
    created: int
    revised: int
    unchanged: int


# --- helpers ------------------------------------------------------------------------------------------------------


def _version_out(kind: str, version: Any) -> dict[str, Any]:
    return {
        "id": version.public_id,
        "number": version.number,
        "status": version.status,
        "effective_from": version.effective_from,
        "abolished": version.abolished,
        "change_note": version.change_note,
        "published_at": version.published_at,
        "content": version_snapshot(kind, version),
    }


def _entry_out(kind: str, entry: Any, *, versions: bool = False) -> dict[str, Any]:
    current = current_version(kind, entry, on=timezone.localdate())
    data: dict[str, Any] = {
        "id": entry.public_id,
        "kind": kind,
        "code": entry.code,
        "agency": entry.agency.public_id,
        "current": _version_out(kind, current) if current else None,
    }
    if kind == CatalogKind.ITEM:
        data.update(action_type=entry.action_type, field=entry.field)
    if kind == CatalogKind.BENCHMARK:
        data["item"] = entry.item.public_id if entry.item_id else None
    if versions:
        data["versions"] = [_version_out(kind, v) for v in selectors.versions_of(kind, entry)]
    return data


def _unit(agency: Any, value: Any, field: str, errors: list[FieldError]) -> Unit | None:
    if value in (None, ""):
        return None
    public_id = _uuid(value)
    unit = Unit.objects.filter(agency=agency, public_id=public_id).first() if public_id else None
    if unit is None:
        errors.append(FieldError(f"content.{field}", "not_found", _("本执法主体没有该机构。")))
    return unit


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _decimal(value: Any, field: str, errors: list[FieldError]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        errors.append(FieldError(f"content.{field}", "invalid", _("应为数值。")))
        return None


def _resolve(kind: str, agency: Any, payload: EntryIn) -> dict[str, Any]:
    """The API's content (ids, citations, fen) → the services' content (objects); every unknown reference reported."""
    raw = dict(payload.content)
    errors: list[FieldError] = []
    content: dict[str, Any] = {k: v for k, v in raw.items() if isinstance(v, str | int | list | type(None))}
    if "articles" in raw or kind in (CatalogKind.ITEM, CatalogKind.BENCHMARK, CatalogKind.INSPECTION):
        citations = raw.get("articles") or []
        try:
            content["articles"] = read_articles("；".join(str(c) for c in citations))
        except CellError as exc:
            errors.append(FieldError("content.articles", "not_found", str(exc)))
    if kind == CatalogKind.ITEM:
        content["handling_unit"] = _unit(agency, raw.get("handling_unit"), "handling_unit", errors)
        content["approving_unit"] = _unit(agency, raw.get("approving_unit"), "approving_unit", errors)
        content["holding_units"] = [_unit(agency, u, "holding_units", errors) for u in raw.get("holding_units") or []]
    if kind == CatalogKind.INSPECTION:
        content["ratio_percent"] = _decimal(raw.get("ratio_percent"), "ratio_percent", errors)
    if kind == CatalogKind.BENCHMARK:
        content["levels"] = [
            LevelSpec(
                level.circumstance,
                level.conditions,
                tuple(PenaltySpec(**p.dict()) for p in level.penalties),
            )
            for level in payload.levels
        ]
    if errors:
        raise ServiceError(errors)
    return content


def _meta(payload: EntryIn) -> dict[str, Any]:
    return {
        "effective_from": payload.effective_from,
        "change_note": payload.change_note,
        "short_notice_reason": payload.short_notice_reason,
    }


# --- laws ---------------------------------------------------------------------------------------------------------


@router.get("/laws", response=list[LawOut], summary="法律法规")
def law_list(request: HttpRequest) -> Any:
    return selectors.laws()


def _law_detail(law: Any) -> dict[str, Any]:
    today = timezone.localdate()
    articles = []
    for article in law.articles.order_by("number"):
        text = article.text_on(max(today, law.effective_from))
        if text is not None and not text.repealed:
            articles.append(
                {
                    "number": article.number,
                    "label": article.label,
                    "citation": article.citation,
                    "text": text.text,
                    "effective_from": text.effective_from,
                }
            )
    return {
        **{f: getattr(law, f) for f in ("public_id", "title", "short_title", "kind", "issuer", "doc_number")},
        "promulgated_on": law.promulgated_on,
        "effective_from": law.effective_from,
        "repealed_on": law.repealed_on(),
        "amendments": list(law.amendments.all()),
        "articles": articles,
    }


@router.get("/laws/{law_id}", response=LawDetailOut, summary="法律法规详情（现行条文）")
def law_detail(request: HttpRequest, law_id: uuid.UUID) -> Any:
    return _law_detail(selectors.law_get(public_id=law_id))


@router.post("/laws", response={201: LawDetailOut}, summary="录入法律法规")
def law_create(request: HttpRequest, payload: LawIn) -> Any:
    data = payload.dict()
    data["articles"] = [(a["number"], a["text"]) for a in data["articles"]]
    return Status(201, _law_detail(services.law_create(acting_user=request.user, **data)))


@router.post("/laws/{law_id}/amendments", response={201: FlaggedOut}, summary="录入法律法规修改（标记引用事项待更新）")
def law_amend(request: HttpRequest, law_id: uuid.UUID, payload: AmendmentIn) -> Any:
    law = selectors.law_get(public_id=law_id)
    data = payload.dict()
    changes = [services.ArticleChange(c["number"], c["text"], c["repealed"]) for c in data.pop("changes")]
    amendment = services.law_amend(acting_user=request.user, law=law, changes=changes, **data)
    return Status(201, {"flags": amendment.flags.count()})


# --- checks -------------------------------------------------------------------------------------------------------


@router.post("/benchmarks/{entry_id}/check", response=CheckOut, summary="拟处罚与裁量基准比对（DIS-2）")
def benchmark_check(request: HttpRequest, entry_id: uuid.UUID, payload: ProposalIn) -> Any:
    benchmark = selectors.entry_get_for_user(user=request.user, kind=CatalogKind.BENCHMARK, public_id=entry_id)
    result = selectors.benchmark_check(
        benchmark=benchmark,
        circumstance=payload.circumstance,
        proposal=ProposedPenalty(
            kinds=tuple(payload.kinds),
            fine_fen=payload.fine_fen,
            goods_value_fen=payload.goods_value_fen,
            illegal_gains_fen=payload.illegal_gains_fen,
            construction_cost_fen=payload.construction_cost_fen,
        ),
        on=payload.on or timezone.localdate(),
    )
    return {
        "within": result.within,
        "reasons_required": result.reasons_required,
        "circumstance": result.circumstance,
        "version": result.version,
        "problems": result.problems,
        "allowed": result.allowed,
        "summary": result.summary,
    }


@router.post("/major-rules/evaluate", response=MajorOut, summary="重大执法决定认定（REV-1）")
def major_evaluate(request: HttpRequest, payload: FactsIn, agency: uuid.UUID | None = None) -> Any:
    org = _agency(request, agency)
    data = payload.dict()
    on = data.pop("on") or timezone.localdate()
    reasons = selectors.major_rules_met(agency=org, facts=CaseFacts(**data), on=on)
    return {"major": bool(reasons), "reasons": [r.__dict__ for r in reasons]}


@router.get("/av-requirement", response=AvOut, summary="执法环节的音像记录要求（REC-5）")
def av_requirement(
    request: HttpRequest, action_type: ActionType, step: str, agency: uuid.UUID | None = None, on: dt.date | None = None
) -> Any:
    org = _agency(request, agency)
    requirement = selectors.av_requirement(
        agency=org, action_type=action_type, step=step, on=on or timezone.localdate()
    )
    return {"action_type": action_type, "step": step, "requirement": requirement}


@router.get("/units/{unit_id}/holds/{item_id}", response=HoldsOut, summary="机构是否享有该执法事项的职权（DIS-3）")
def unit_holds(request: HttpRequest, unit_id: uuid.UUID, item_id: uuid.UUID, on: dt.date | None = None) -> Any:
    unit = org_selectors.unit_get_for_user(user=request.user, public_id=unit_id)
    item = selectors.entry_get_for_user(user=request.user, kind=CatalogKind.ITEM, public_id=item_id)
    day = on or timezone.localdate()
    assert isinstance(item, EnforcementItem)
    return {
        "unit": unit.public_id,
        "item": item.public_id,
        "on": day,
        "holds": selectors.unit_holds_item(unit=unit, item=item, on=day),
    }


@router.get("/workflows", response=list[WorkflowOut], summary="各类执法行为的办案流程")
def workflows(request: HttpRequest) -> Any:
    return [
        {
            "code": wf.code,
            "action_type": wf.action_type,
            "name": str(wf.name),
            "basis": str(wf.basis),
            "steps": [
                {
                    "code": s.code,
                    "name": str(s.name),
                    "condition": str(s.condition),
                    "deadline": s.deadline,
                    "deadline_note": str(s.deadline_note),
                    "av_floor": s.av_floor,
                    "variants": [f"{s.code}.{v.code}" for v in s.variants],
                }
                for s in wf.steps
            ],
        }
        for wf in WORKFLOWS.values()
    ]


@router.get("/workflows/{code}.svg", summary="流程图（SVG）")
def workflow_svg(request: HttpRequest, code: str) -> HttpResponse:
    workflow = WORKFLOWS.get(code)
    if workflow is None:
        raise NotFound.single("code", "not_found", _("流程不存在。"))
    return HttpResponse(render_svg(workflow), content_type="image/svg+xml; charset=utf-8")


@router.get("/flags", response=list[FlagOut], summary="法律法规修改后待更新的事项")
def flags(request: HttpRequest, agency: uuid.UUID | None = None) -> Any:
    return selectors.flags_for_user(request.user, agency=_agency(request, agency) if agency else None)


# --- import and export --------------------------------------------------------------------------------------------


@router.get("/export/{book}", summary="导出目录（Excel）")
def export(request: HttpRequest, book: str, agency: uuid.UUID | None = None, template: bool = False) -> HttpResponse:
    org = _agency(request, agency)
    data = excel.export_workbook(book=book, agency=org, template=template)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{book}.xlsx"'
    return response


@router.post("/import/{book}", response={200: ImportOut}, summary="导入目录（Excel，任一行有错则全部不导入）")
def import_book(
    request: HttpRequest,
    book: str,
    file: UploadedFile = File(...),  # noqa: B008  (django-ninja's way of declaring an upload)
    agency: uuid.UUID | None = None,
) -> Any:
    org = _agency(request, agency)
    result = excel.import_workbook(acting_user=request.user, book=book, agency=org, data=file.read())
    return {"created": result.created, "revised": result.revised, "unchanged": result.unchanged}


# --- versioned catalogs -------------------------------------------------------------------------------------------


@router.get("/{kind_slug}", response=list[EntryOut], summary="目录事项（含现行版本）")
def entry_list(request: HttpRequest, kind_slug: str, agency: uuid.UUID | None = None) -> Any:
    kind = _kind(kind_slug)
    org = _agency(request, agency)
    return [_entry_out(kind, e) for e in selectors.entries_for_user(request.user, kind, agency=org)]


@router.get("/{kind_slug}/{entry_id}", response=EntryOut, summary="目录事项详情（全部版本）")
def entry_detail(request: HttpRequest, kind_slug: str, entry_id: uuid.UUID) -> Any:
    kind = _kind(kind_slug)
    entry = selectors.entry_get_for_user(user=request.user, kind=kind, public_id=entry_id)
    return _entry_out(kind, entry, versions=True)


@router.post("/{kind_slug}", response={201: VersionOut}, summary="新增目录事项（第1版草稿）")
def entry_create(request: HttpRequest, kind_slug: str, payload: EntryIn, agency: uuid.UUID | None = None) -> Any:
    kind = _kind(kind_slug)
    org = _agency(request, agency)
    identity: dict[str, Any] = {}
    if kind == CatalogKind.ITEM:
        identity = {"action_type": payload.action_type, "field": payload.field}
    if kind == CatalogKind.BENCHMARK and payload.item:
        identity["item"] = selectors.entry_get_for_user(
            user=request.user, kind=CatalogKind.ITEM, public_id=payload.item
        )
    version = services.entry_create(
        acting_user=request.user,
        kind=kind,
        agency=org,
        code=payload.code,
        identity=identity,
        content=_resolve(kind, org, payload),
        meta=_meta(payload),
    )
    return Status(201, _version_out(kind, version))


@router.post("/{kind_slug}/{entry_id}/versions", response={201: VersionOut}, summary="起草新版本（或改写草稿）")
def version_draft(request: HttpRequest, kind_slug: str, entry_id: uuid.UUID, payload: EntryIn) -> Any:
    kind = _kind(kind_slug)
    entry = selectors.entry_get_for_user(user=request.user, kind=kind, public_id=entry_id)
    version = services.version_draft(
        acting_user=request.user,
        kind=kind,
        entry=entry,
        content=_resolve(kind, entry.agency, payload),
        meta=_meta(payload),
    )
    return Status(201, _version_out(kind, version))


@router.post(
    "/{kind_slug}/versions/{version_id}/{operation}",
    response=VersionOut,
    summary="版本流转：submit 提交审核、return 退回、publish 审核通过并发布、discard 作废",
)
def version_transition(
    request: HttpRequest, kind_slug: str, version_id: uuid.UUID, operation: str, payload: TransitionIn
) -> Any:
    kind = _kind(kind_slug)
    version = selectors.version_get_for_user(user=request.user, kind=kind, public_id=version_id)
    version = services.version_transition(
        acting_user=request.user,
        version=version,
        operation=operation,
        note=payload.note,
        confidentiality_checked=payload.confidentiality_checked,
    )
    return _version_out(kind, version)
