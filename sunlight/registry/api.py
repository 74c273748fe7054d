"""Registry API under /api/v1/registry/: officers, certificates, sanctions, auxiliaries, training, body cameras and
the eligibility check `may-act` (PER-1..3, PER-6, REC-12). Reads go through selectors, writes through services."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from sunlight.core.errors import NotFound
from sunlight.org import selectors as org_selectors
from sunlight.org.choices import Capability, EnforcementField
from sunlight.org.models import User
from sunlight.org.scope import require_capability

from . import selectors, services
from .choices import CameraStatus, CheckResult, EstablishmentKind, SanctionKind
from .models import Certificate, Officer

router = Router(tags=["执法人员与执法记录仪"], auth=django_auth)


# --- schemas -------------------------------------------------------------------------------------------------------


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    effective_on: date
    at: datetime
    reason: str


class CertificateOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    officer: uuid.UUID = Field(..., alias="officer.public_id")
    number: str
    issuing_authority: str
    categories: list[str]
    regions: list[str]
    issued_on: date
    expires_on: date
    status: str
    status_since: date
    history: list[StatusChangeOut]

    @staticmethod
    def resolve_history(obj: Certificate) -> list[Any]:
        return list(obj.history.all())


class SanctionOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    kind: str
    reason: str
    document_no: str
    decided_on: date
    starts_on: date | None
    ends_on: date | None


class OfficerOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    user: uuid.UUID = Field(..., alias="user.public_id")
    full_name: str = Field(..., alias="user.full_name")
    username: str = Field(..., alias="user.username")
    agency: uuid.UUID = Field(..., alias="agency.public_id")
    unit: uuid.UUID = Field(..., alias="unit.public_id")
    post: str
    establishment_kind: str
    establishment_proof: str
    exam_score: Decimal | None
    exam_date: date | None
    exam_passed: bool
    cleared_on: date | None
    certificates: list[CertificateOut]

    @staticmethod
    def resolve_certificates(obj: Officer) -> list[Any]:
        return list(obj.certificates.all())


class OfficerDetailOut(OfficerOut):
    sanctions: list[SanctionOut]

    @staticmethod
    def resolve_sanctions(obj: Officer) -> list[Any]:
        return list(obj.sanctions.all())


class OfficerIn(Schema):
    user: uuid.UUID
    unit: uuid.UUID
    post: str = Field(..., max_length=60)
    establishment_kind: EstablishmentKind
    establishment_proof: str = Field("", max_length=200)
    exam_score: Decimal | None = None
    exam_date: date | None = None
    exam_passed: bool = False


class CertificateIn(Schema):
    number: str = Field(..., max_length=40)
    issuing_authority: str = Field(..., max_length=100)
    categories: list[EnforcementField]
    regions: list[str]
    issued_on: date
    expires_on: date


class ReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class ReviewIn(Schema):
    year: int
    passed: bool
    note: str = Field("", max_length=200)


class ReviewOut(Schema):
    certificate: uuid.UUID = Field(..., alias="certificate.public_id")
    year: int
    passed: bool
    reviewed_on: date
    note: str


class SanctionIn(Schema):
    kind: SanctionKind
    reason: str = Field(..., max_length=2000)
    decided_on: date
    document_no: str = Field("", max_length=60)
    starts_on: date | None = None
    ends_on: date | None = None


class CleanupOut(Schema):
    officer: uuid.UUID
    full_name: str
    agency: str
    reasons: list[str]


class AuxiliaryOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    user: uuid.UUID = Field(..., alias="user.public_id")
    full_name: str = Field(..., alias="user.full_name")
    agency: uuid.UUID = Field(..., alias="agency.public_id")
    unit: uuid.UUID = Field(..., alias="unit.public_id")
    post: str
    duties: str
    hired_on: date
    left_on: date | None


class AuxiliaryIn(Schema):
    user: uuid.UUID
    unit: uuid.UUID
    post: str = Field(..., max_length=60)
    duties: str = Field(..., max_length=2000)
    hired_on: date


class PlanOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    agency: uuid.UUID = Field(..., alias="agency.public_id")
    title: str
    content: str
    planned_on: date
    days: Decimal
    location: str
    held_on: date | None


class PlanIn(Schema):
    agency: uuid.UUID
    title: str = Field(..., max_length=100)
    planned_on: date
    days: Decimal
    content: str = Field("", max_length=2000)
    location: str = Field("", max_length=100)


class HeldIn(Schema):
    held_on: date
    attendees: list[uuid.UUID]


class RecordIn(Schema):
    person: uuid.UUID
    topic: str = Field(..., max_length=100)
    trained_on: date
    days: Decimal
    organiser: str = Field("", max_length=100)


class RecordOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    person: uuid.UUID = Field(..., alias="person.public_id")
    topic: str
    trained_on: date
    days: Decimal


class PersonTotalOut(Schema):
    user: uuid.UUID
    full_name: str
    kind: str
    agency: uuid.UUID
    days: Decimal
    target: Decimal
    met: bool


class AgencyTotalOut(Schema):
    agency: uuid.UUID
    name: str
    held: int
    target: int
    people: int
    short: int
    met: bool


class TotalsOut(Schema):
    year: int
    people: list[PersonTotalOut]
    agencies: list[AgencyTotalOut]


class CameraOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    number: str
    agency: uuid.UUID = Field(..., alias="agency.public_id")
    unit: uuid.UUID = Field(..., alias="unit.public_id")
    administrator: uuid.UUID = Field(..., alias="administrator.public_id")
    administrator_name: str = Field(..., alias="administrator.full_name")
    model_name: str
    serial_no: str
    status: CameraStatus
    last_checked_on: date | None


class CameraIn(Schema):
    number: str = Field(..., max_length=40)
    unit: uuid.UUID
    administrator: uuid.UUID
    model_name: str = Field("", max_length=60)
    serial_no: str = Field("", max_length=60)
    acquired_on: date | None = None


class CheckoutIn(Schema):
    user: uuid.UUID
    approver: uuid.UUID
    purpose: str = Field(..., max_length=200)
    at: datetime | None = None


class LoanOut(Schema):
    camera: str = Field(..., alias="camera.number")
    user: uuid.UUID = Field(..., alias="user.public_id")
    approver: uuid.UUID = Field(..., alias="approver.public_id")
    purpose: str
    checked_out_at: datetime
    returned_at: datetime | None


class ReturnIn(Schema):
    at: datetime | None = None
    note: str = Field("", max_length=200)
    fault: str = Field("", max_length=200)


class CheckIn(Schema):
    checked_on: date
    result: CheckResult
    note: str = Field("", max_length=200)


class CheckOut(Schema):
    camera: str = Field(..., alias="camera.number")
    checked_on: date
    result: str
    note: str


class RatioOut(Schema):
    agency: uuid.UUID
    name: str
    officers: int
    cameras: int
    officers_per_camera: int
    required: int
    short: bool


class EligibilityOut(Schema):
    ok: bool
    reasons: list[str]
    certificate: str | None
    certificate_id: uuid.UUID | None


# --- helpers -------------------------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    require_capability(request.user, Capability.VIEW_ORG, target="registry")


def _user(request: HttpRequest, public_id: uuid.UUID, field: str = "user") -> User:
    """An account within the caller's scope, or a field error (404) naming the field."""
    try:
        return org_selectors.user_get_for_user(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise NotFound.single(field, "not_found", _("人员不存在或您无权查看。")) from exc


def _unit(request: HttpRequest, public_id: uuid.UUID) -> Any:
    return org_selectors.unit_get_for_user(user=request.user, public_id=public_id)


def _camera(request: HttpRequest, number: str) -> Any:
    camera = selectors.cameras_visible_to(request.user).filter(number=number).first()
    if camera is None:
        raise NotFound.single("number", "not_found", _("执法记录仪不存在或您无权查看。"))
    return camera


# --- officers and certificates -------------------------------------------------------------------------------------


@router.get("/officers", response=list[OfficerOut], summary="执法人员名录")
def officer_list(request: HttpRequest) -> Any:
    _staff(request)
    return selectors.officers_visible_to(request.user).filter(cleared_on__isnull=True)


@router.post("/officers", response={201: OfficerDetailOut}, summary="登记执法人员")
def officer_register(request: HttpRequest, payload: OfficerIn) -> Any:
    data = payload.dict()
    person = _user(request, data.pop("user"))
    data["unit"] = _unit(request, data["unit"])
    officer = services.officer_register(acting_user=request.user, user=person, data=data)
    return Status(201, selectors.officer_get_for_user(user=request.user, public_id=officer.public_id))


@router.get("/officers/{officer_id}", response=OfficerDetailOut, summary="执法人员详情（执法证、状态记录、处理）")
def officer_detail(request: HttpRequest, officer_id: uuid.UUID) -> Any:
    return selectors.officer_get_for_user(user=request.user, public_id=officer_id)


@router.post("/officers/{officer_id}/certificates", response={201: CertificateOut}, summary="发放行政执法证")
def certificate_issue(request: HttpRequest, officer_id: uuid.UUID, payload: CertificateIn) -> Any:
    officer = selectors.officer_get_for_user(user=request.user, public_id=officer_id)
    certificate = services.certificate_issue(acting_user=request.user, officer=officer, **payload.dict())
    return Status(201, selectors.certificate_get_for_user(user=request.user, public_id=certificate.public_id))


@router.get("/certificates/{certificate_id}", response=CertificateOut, summary="执法证详情")
def certificate_detail(request: HttpRequest, certificate_id: uuid.UUID) -> Any:
    return selectors.certificate_get_for_user(user=request.user, public_id=certificate_id)


_CERTIFICATE_SERVICES = {
    "suspend": services.certificate_suspend,
    "reinstate": services.certificate_reinstate,
    "revoke": services.certificate_revoke,
}


def _certificate_change(request: HttpRequest, certificate_id: uuid.UUID, operation: str, reason: str) -> Any:
    certificate = selectors.certificate_get_for_user(user=request.user, public_id=certificate_id)
    _CERTIFICATE_SERVICES[operation](acting_user=request.user, certificate=certificate, reason=reason)
    return selectors.certificate_get_for_user(user=request.user, public_id=certificate_id)


@router.post("/certificates/{certificate_id}/suspend", response=CertificateOut, summary="暂扣执法证")
def certificate_suspend(request: HttpRequest, certificate_id: uuid.UUID, payload: ReasonIn) -> Any:
    return _certificate_change(request, certificate_id, "suspend", payload.reason)


@router.post("/certificates/{certificate_id}/reinstate", response=CertificateOut, summary="发还执法证")
def certificate_reinstate(request: HttpRequest, certificate_id: uuid.UUID, payload: ReasonIn) -> Any:
    return _certificate_change(request, certificate_id, "reinstate", payload.reason)


@router.post("/certificates/{certificate_id}/revoke", response=CertificateOut, summary="注销执法证")
def certificate_revoke(request: HttpRequest, certificate_id: uuid.UUID, payload: ReasonIn) -> Any:
    return _certificate_change(request, certificate_id, "revoke", payload.reason)


@router.post("/certificates/{certificate_id}/reviews", response={201: ReviewOut}, summary="执法证年审")
def certificate_review(request: HttpRequest, certificate_id: uuid.UUID, payload: ReviewIn) -> Any:
    certificate = selectors.certificate_get_for_user(user=request.user, public_id=certificate_id)
    return Status(201, services.certificate_review(acting_user=request.user, certificate=certificate, **payload.dict()))


@router.post("/officers/{officer_id}/sanctions", response={201: SanctionOut}, summary="记录处理决定")
def sanction_record(request: HttpRequest, officer_id: uuid.UUID, payload: SanctionIn) -> Any:
    officer = selectors.officer_get_for_user(user=request.user, public_id=officer_id)
    return Status(201, services.sanction_record(acting_user=request.user, officer=officer, **payload.dict()))


@router.post("/officers/{officer_id}/clear", response=OfficerDetailOut, summary="清理出执法队伍")
def officer_clear(request: HttpRequest, officer_id: uuid.UUID, payload: ReasonIn) -> Any:
    officer = selectors.officer_get_for_user(user=request.user, public_id=officer_id)
    services.officer_clear(acting_user=request.user, officer=officer, reason=payload.reason)
    return selectors.officer_get_for_user(user=request.user, public_id=officer_id)


@router.get("/cleanup", response=list[CleanupOut], summary="清理名单")
def cleanup_list(request: HttpRequest) -> Any:
    _staff(request)
    return [
        {
            "officer": e.officer.public_id,
            "full_name": e.officer.user.full_name,
            "agency": e.officer.agency.name,
            "reasons": e.reasons,
        }
        for e in selectors.cleanup_list(user=request.user)
    ]


@router.get("/may-act", response=EligibilityOut, summary="执法资格核验（may_act）")
def may_act(
    request: HttpRequest,
    user: uuid.UUID,
    region: str,
    field: EnforcementField | None = None,
    on: date | None = None,
) -> Any:
    """Whether a person may act as an enforcement officer in a category and region on a date (default today)."""
    _staff(request)
    person = selectors.checkable_users(request.user).filter(public_id=user).first()
    if person is None:
        raise NotFound.single("user", "not_found", _("人员不存在或您无权查看。"))
    result = selectors.may_act(user=person, field=field, region_code=region, on=on or timezone.localdate())
    return {
        "ok": result.ok,
        "reasons": result.reasons,
        "certificate": result.certificate.number if result.certificate else None,
        "certificate_id": result.certificate.public_id if result.certificate else None,
    }


# --- auxiliaries ---------------------------------------------------------------------------------------------------


@router.get("/auxiliaries", response=list[AuxiliaryOut], summary="辅助人员名录")
def auxiliary_list(request: HttpRequest) -> Any:
    _staff(request)
    return selectors.auxiliaries_visible_to(request.user).filter(left_on__isnull=True)


@router.post("/auxiliaries", response={201: AuxiliaryOut}, summary="登记辅助人员")
def auxiliary_register(request: HttpRequest, payload: AuxiliaryIn) -> Any:
    data = payload.dict()
    person = _user(request, data.pop("user"))
    unit = _unit(request, data.pop("unit"))
    return Status(201, services.auxiliary_register(acting_user=request.user, user=person, unit=unit, **data))


# --- training ------------------------------------------------------------------------------------------------------


@router.get("/training/plans", response=list[PlanOut], summary="培训计划")
def plan_list(request: HttpRequest, year: int | None = None) -> Any:
    _staff(request)
    return selectors.training_plans_visible_to(request.user).filter(planned_on__year=year or timezone.localdate().year)


@router.post("/training/plans", response={201: PlanOut}, summary="新增培训计划")
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    data = payload.dict()
    agency = org_selectors.agency_get_for_user(user=request.user, public_id=data.pop("agency"))
    return Status(201, services.training_plan_create(acting_user=request.user, agency=agency, **data))


@router.post("/training/plans/{plan_id}/held", response={201: list[RecordOut]}, summary="登记培训举办情况和参加人员")
def plan_hold(request: HttpRequest, plan_id: uuid.UUID, payload: HeldIn) -> Any:
    plan = selectors.training_plan_get_for_user(user=request.user, public_id=plan_id)
    attendees = [_user(request, pid, "attendees") for pid in payload.attendees]
    records = services.training_plan_hold(
        acting_user=request.user, plan=plan, held_on=payload.held_on, attendees=attendees
    )
    return Status(201, records)


@router.post("/training/records", response={201: RecordOut}, summary="登记培训记录")
def record_add(request: HttpRequest, payload: RecordIn) -> Any:
    data = payload.dict()
    person = _user(request, data.pop("person"), "person")
    return Status(201, services.training_record_add(acting_user=request.user, person=person, **data))


@router.get("/training/totals", response=TotalsOut, summary="年度培训统计（人员、执法主体）")
def training_totals(request: HttpRequest, year: int | None = None) -> Any:
    _staff(request)
    year = year or timezone.localdate().year
    people, agencies = selectors.training_overview(user=request.user, year=year)
    return {
        "year": year,
        "people": [
            {
                "user": p.record.user.public_id,
                "full_name": p.record.user.full_name,
                "kind": "officer" if isinstance(p.record, Officer) else "auxiliary",
                "agency": p.record.agency.public_id,
                "days": p.days,
                "target": p.target,
                "met": p.met,
            }
            for p in people
        ],
        "agencies": [
            {
                "agency": a.agency.public_id,
                "name": a.agency.name,
                "held": a.held,
                "target": a.target,
                "people": a.people,
                "short": a.short,
                "met": a.met,
            }
            for a in agencies
        ],
    }


# --- body cameras --------------------------------------------------------------------------------------------------


@router.get("/cameras", response=list[CameraOut], summary="执法记录仪台账")
def camera_list(request: HttpRequest) -> Any:
    _staff(request)
    return selectors.cameras_visible_to(request.user)


@router.post("/cameras", response={201: CameraOut}, summary="登记执法记录仪")
def camera_register(request: HttpRequest, payload: CameraIn) -> Any:
    data = payload.dict()
    unit = _unit(request, data.pop("unit"))
    administrator = _user(request, data.pop("administrator"), "administrator")
    return Status(
        201, services.camera_register(acting_user=request.user, unit=unit, administrator=administrator, **data)
    )


@router.get("/cameras-ratio", response=list[RatioOut], summary="执法记录仪配备比例")
def camera_ratio(request: HttpRequest) -> Any:
    _staff(request)
    return [
        {
            "agency": r.agency.public_id,
            "name": r.agency.name,
            "officers": r.officers,
            "cameras": r.cameras,
            "officers_per_camera": r.officers_per_camera,
            "required": r.required,
            "short": r.short,
        }
        for r in selectors.camera_ratios(request.user)
    ]


@router.get("/cameras/{number}", response=CameraOut, summary="执法记录仪详情（按设备编号）")
def camera_detail(request: HttpRequest, number: str) -> Any:
    return _camera(request, number)


@router.post("/cameras/{number}/checkout", response={201: LoanOut}, summary="领用执法记录仪")
def camera_checkout(request: HttpRequest, number: str, payload: CheckoutIn) -> Any:
    camera = _camera(request, number)
    user = _user(request, payload.user)
    approver = _user(request, payload.approver, "approver")
    loan = services.camera_checkout(
        acting_user=request.user, camera=camera, user=user, approver=approver, purpose=payload.purpose, at=payload.at
    )
    return Status(201, loan)


@router.post("/cameras/{number}/return", response=LoanOut, summary="交回执法记录仪")
def camera_return(request: HttpRequest, number: str, payload: ReturnIn) -> Any:
    camera = _camera(request, number)
    return services.camera_return(acting_user=request.user, camera=camera, **payload.dict())


@router.post("/cameras/{number}/checks", response={201: CheckOut}, summary="记录定期核查")
def camera_check(request: HttpRequest, number: str, payload: CheckIn) -> Any:
    camera = _camera(request, number)
    return Status(201, services.camera_check(acting_user=request.user, camera=camera, **payload.dict()))
