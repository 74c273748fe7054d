"""Organisation API: who am I, regions, agencies, units, users (SYS-1, SYS-2, SYS-5). Reads go through selectors."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from sunlight.core.errors import ServiceError

from . import selectors, services
from .choices import AgencyKind, Capability, Level
from .models import Agency, User
from .scope import effective_scope, require_capability

router = Router(tags=["组织机构"], auth=django_auth)


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None = Field(None, alias="parent.code")


class AgencyOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    name: str
    short_name: str
    credit_code: str
    kind: str
    level: str
    region: str = Field(..., alias="region.code")
    is_justice_bureau: bool
    supervisor: uuid.UUID | None = Field(None, alias="supervisor.public_id")
    legal_basis: str
    duties: str
    address: str
    phone: str
    office_hours: str
    is_active: bool


class AgencyIn(Schema):
    name: str = Field(..., max_length=100)
    short_name: str = Field("", max_length=40)
    credit_code: str = Field(..., max_length=18)
    kind: AgencyKind = AgencyKind.ADMINISTRATIVE
    level: Level
    region: str = Field(..., description="区划代码")
    is_justice_bureau: bool = False
    supervisor: uuid.UUID | None = None
    legal_basis: str = ""
    duties: str = ""
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    office_hours: str = Field("", max_length=100)
    is_active: bool = True


class AgencyPatch(Schema):
    name: str | None = Field(None, max_length=100)
    short_name: str | None = Field(None, max_length=40)
    credit_code: str | None = Field(None, max_length=18)
    level: Level | None = None
    region: str | None = None
    legal_basis: str | None = None
    duties: str | None = None
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=40)
    office_hours: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class UnitOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    agency: uuid.UUID = Field(..., alias="agency.public_id")
    name: str
    is_legal_department: bool
    phone: str
    is_active: bool


class UnitIn(Schema):
    name: str = Field(..., max_length=100)
    is_legal_department: bool = False
    phone: str = Field("", max_length=40)
    is_active: bool = True


class UserOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    username: str
    full_name: str
    agency: uuid.UUID | None = Field(None, alias="agency.public_id")
    unit: uuid.UUID | None = Field(None, alias="unit.public_id")
    region: str | None = Field(None, alias="region.code")
    roles: list[str]
    is_active: bool

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(obj.role_codes)


class MeOut(UserOut):
    scope: str
    capabilities: list[str]

    @staticmethod
    def resolve_scope(obj: User) -> str:
        return effective_scope(obj).name.lower()

    @staticmethod
    def resolve_capabilities(obj: User) -> list[str]:
        return sorted(c for c in Capability.values if obj.is_superuser or obj.has_capability(c))


def _resolve_agency_refs(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the API's codes and ids into objects, with a field error for each unknown one."""
    if data.get("region") is not None:
        data["region"] = selectors.region_get(code=data["region"])
    if data.get("supervisor") is not None:
        supervisor = Agency.objects.filter(public_id=data["supervisor"], is_justice_bureau=True).first()
        if supervisor is None:
            raise ServiceError.single("supervisor", "not_found", _("执法监督机关不存在。"))
        data["supervisor"] = supervisor
    return data


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> Any:
    return request.user


@router.get("/regions", response=list[RegionOut], summary="可见的行政区划")
def region_list(request: HttpRequest) -> Any:
    return selectors.regions_visible_to(request.user)


@router.get("/agencies", response=list[AgencyOut], summary="可见的执法主体")
def agency_list(request: HttpRequest) -> Any:
    return selectors.agencies_visible_to(request.user)


@router.post("/agencies", response={201: AgencyOut}, summary="新增执法主体")
def agency_create(request: HttpRequest, payload: AgencyIn) -> Any:
    data = _resolve_agency_refs(payload.dict())
    return Status(201, services.agency_create(acting_user=request.user, data=data))


@router.get("/agencies/{agency_id}", response=AgencyOut, summary="执法主体详情")
def agency_detail(request: HttpRequest, agency_id: uuid.UUID) -> Any:
    return selectors.agency_get_for_user(user=request.user, public_id=agency_id)


@router.patch("/agencies/{agency_id}", response=AgencyOut, summary="修改执法主体")
def agency_update(request: HttpRequest, agency_id: uuid.UUID, payload: AgencyPatch) -> Any:
    agency = selectors.agency_get_for_user(user=request.user, public_id=agency_id)
    data = _resolve_agency_refs(payload.dict(exclude_unset=True))
    return services.agency_update(acting_user=request.user, agency=agency, data=data)


@router.get("/agencies/{agency_id}/units", response=list[UnitOut], summary="承办机构")
def unit_list(request: HttpRequest, agency_id: uuid.UUID) -> Any:
    agency = selectors.agency_get_for_user(user=request.user, public_id=agency_id)
    return selectors.units_visible_to(request.user).filter(agency=agency)


@router.post("/agencies/{agency_id}/units", response={201: UnitOut}, summary="新增承办机构")
def unit_create(request: HttpRequest, agency_id: uuid.UUID, payload: UnitIn) -> Any:
    agency = selectors.agency_get_for_user(user=request.user, public_id=agency_id)
    return Status(201, services.unit_create(acting_user=request.user, agency=agency, data=payload.dict()))


@router.get("/users", response=list[UserOut], summary="可见的用户")
def user_list(request: HttpRequest) -> Any:
    require_capability(request.user, Capability.MANAGE_USERS, target="users")
    return selectors.users_visible_to(request.user)
