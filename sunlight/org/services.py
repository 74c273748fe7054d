"""Writes to the organisation: regions, agencies, units, users, roles, role policies (SYS-1, SYS-2, SYS-6).

Every service checks the acting user's capability and scope before it opens its transaction (so that a refusal is
audited and survives), validates everything before it writes, and records the change in the ledger in the same
transaction. A refused or invalid call changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.errors import FieldError, ServiceError
from sunlight.core.ids import is_valid_region_code, is_valid_uscc

from .choices import AgencyKind, Capability, Level, Role, Scope
from .models import Agency, PasswordHistory, Region, RoleGrant, RolePolicy, Unit, User
from .scope import deny, effective_scope, require_capability

AGENCY_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "kind",
    "level",
    "region",
    "is_justice_bureau",
    "supervisor",
    "legal_basis",
    "duties",
    "address",
    "phone",
    "office_hours",
    "is_active",
)
UNIT_FIELDS = ("name", "is_legal_department", "phone", "is_active")
USER_FIELDS = ("full_name", "phone", "agency", "unit", "region", "is_active")
_LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP]


def _plain(value: Any) -> Any:
    if isinstance(value, Region):
        return value.code
    if isinstance(value, Agency | Unit | User):
        return str(value.public_id)
    return value


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


def _region_in_scope(user: Any, region: Region | None) -> bool:
    if effective_scope(user) == Scope.ALL:
        return True
    home = user.home_region
    return bool(region and home and region.code.startswith(home.scope_prefix))


def _require_region(user: Any, region: Region | None, *, action: str) -> None:
    if not _region_in_scope(user, region):
        raise deny(user, action=action, target=region.code if region else "")


def _require_account_control(acting_user: Any, target: User, *, action: str) -> None:
    """Only a superuser may change, reset or unlock a superuser's account; others by region."""
    if target.is_superuser and not acting_user.is_superuser:
        raise deny(acting_user, action=action, target=str(target.public_id))
    _require_region(acting_user, _user_region(target), action=action)


def _others(qs: Any, instance: Any) -> Any:
    """The queryset without the instance being edited (all of it when creating)."""
    return qs.exclude(pk=instance.pk) if instance is not None else qs


def _user_region(user: User) -> Region | None:
    """The region an account belongs to: its agency's, else its own."""
    return user.agency.region if user.agency is not None else user.region


def _apply(locked: Any, fields: tuple[str, ...], data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields on a locked row, save it, and return {field: [before, after]} for the ledger."""
    before = _snapshot(locked, fields)
    for field in fields:
        if field in data:
            value = data[field]
            setattr(locked, field, value.strip() if isinstance(value, str) and field in _STRIPPED else value)
    locked.save()
    return _diff(before, _snapshot(locked, fields))


_STRIPPED = {"name", "full_name", "credit_code", "short_name"}


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ServiceError(errors)


# --- regions -------------------------------------------------------------------------------------------------------


def region_create(*, acting_user: Any, code: str, name: str, level: str, parent: Region | None) -> Region:
    """Add an administrative division below one the administrator manages."""
    require_capability(acting_user, Capability.MANAGE_ORG, target=code)
    if effective_scope(acting_user) != Scope.ALL:
        _require_region(acting_user, parent, action="region.create")
    errors: list[FieldError] = []
    code = code.strip()
    if not is_valid_region_code(code):
        errors.append(FieldError("code", "invalid", _("区划代码应为6位（县级及以上）或9位（乡镇）数字。")))
    elif Region.objects.filter(code=code).exists():
        errors.append(FieldError("code", "duplicate", _("区划代码已存在。")))
    if not name.strip():
        errors.append(FieldError("name", "required", _("请填写名称。")))
    if level not in Level.values:
        errors.append(FieldError("level", "invalid", _("层级无效。")))
    elif parent is None and level != Level.PROVINCE:
        errors.append(FieldError("parent", "required", _("省级以下区划须选择上级区划。")))
    elif parent is not None and _LEVEL_ORDER.index(Level(level)) <= _LEVEL_ORDER.index(Level(parent.level)):
        errors.append(FieldError("level", "invalid", _("下级区划的层级必须低于上级区划。")))
    if parent is not None and is_valid_region_code(code) and not code.startswith(parent.scope_prefix):
        errors.append(FieldError("code", "mismatch", _("区划代码与上级区划不符。")))
    _raise_if(errors)
    with transaction.atomic():
        region = Region.objects.create(code=code, name=name.strip(), level=level, parent=parent)
        audit(
            kind="org.region_created",
            actor=acting_user,
            stream=f"region:{code}",
            payload={"code": code, "name": region.name, "level": level, "parent": parent.code if parent else None},
        )
    return region


# --- agencies ------------------------------------------------------------------------------------------------------


def _validate_agency(data: dict[str, Any], *, instance: Agency | None) -> list[FieldError]:
    errors: list[FieldError] = []
    if not str(data.get("name", "")).strip():
        errors.append(FieldError("name", "required", _("请填写执法主体名称。")))
    code = str(data.get("credit_code", "")).strip().upper()
    if not is_valid_uscc(code):
        errors.append(FieldError("credit_code", "invalid", _("统一社会信用代码格式或校验位不正确。")))
    elif _others(Agency.objects.filter(credit_code=code), instance).exists():
        errors.append(FieldError("credit_code", "duplicate", _("该统一社会信用代码已被其他执法主体使用。")))
    if data.get("level") not in Level.values:
        errors.append(FieldError("level", "invalid", _("层级无效。")))
    if data.get("kind", AgencyKind.ADMINISTRATIVE) not in AgencyKind.values:
        errors.append(FieldError("kind", "invalid", _("主体类别无效。")))
    if not isinstance(data.get("region"), Region):
        errors.append(FieldError("region", "required", _("请选择所在区划。")))
    supervisor = data.get("supervisor")
    if supervisor is not None and not supervisor.is_justice_bureau:
        errors.append(FieldError("supervisor", "invalid", _("执法监督机关应为司法行政部门。")))
    if supervisor is not None and instance is not None and supervisor.pk == instance.pk:
        errors.append(FieldError("supervisor", "invalid", _("执法主体不能监督自身。")))
    return errors


def agency_create(*, acting_user: Any, data: dict[str, Any]) -> Agency:
    """Register an enforcement body (执法主体) in a region the administrator manages."""
    require_capability(acting_user, Capability.MANAGE_ORG, target="agency")
    _require_region(acting_user, data.get("region"), action="agency.create")
    _raise_if(_validate_agency(data, instance=None))
    values = {f: data[f] for f in AGENCY_FIELDS if f in data}
    values["credit_code"] = str(values["credit_code"]).strip().upper()
    with transaction.atomic():
        agency = Agency.objects.create(**values)
        audit(
            kind="org.agency_created",
            actor=acting_user,
            stream=f"agency:{agency.public_id}",
            payload={"agency": str(agency.public_id), "after": _snapshot(agency, AGENCY_FIELDS)},
        )
    return agency


def agency_update(*, acting_user: Any, agency: Agency, data: dict[str, Any]) -> Agency:
    """Change an agency's public particulars; the before and after values go to the ledger."""
    require_capability(acting_user, Capability.MANAGE_ORG, target=str(agency.public_id))
    _require_region(acting_user, agency.region, action="agency.update")
    merged = {**_snapshot_objects(agency, AGENCY_FIELDS), **data}
    _require_region(acting_user, merged.get("region"), action="agency.update")
    _raise_if(_validate_agency(merged, instance=agency))
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        if "credit_code" in data:
            data = {**data, "credit_code": str(data["credit_code"]).upper()}
        changed = _apply(locked, AGENCY_FIELDS, data)
        audit(
            kind="org.agency_updated",
            actor=acting_user,
            stream=f"agency:{locked.public_id}",
            payload={"agency": str(locked.public_id), "changed": changed},
        )
    return locked


def _snapshot_objects(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


# --- units ---------------------------------------------------------------------------------------------------------


def _validate_unit(agency: Agency, name: str, *, instance: Unit | None) -> list[FieldError]:
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(FieldError("name", "required", _("请填写机构名称。")))
    elif _others(Unit.objects.filter(agency=agency, name=name.strip()), instance).exists():
        errors.append(FieldError("name", "duplicate", _("本执法主体已有同名机构。")))
    return errors


def unit_create(*, acting_user: Any, agency: Agency, data: dict[str, Any]) -> Unit:
    """Add an internal unit (承办机构) to an agency."""
    require_capability(acting_user, Capability.MANAGE_ORG, target=str(agency.public_id))
    _require_region(acting_user, agency.region, action="unit.create")
    _raise_if(_validate_unit(agency, str(data.get("name", "")), instance=None))
    values = {f: data[f] for f in UNIT_FIELDS if f in data}
    values["name"] = values["name"].strip()
    with transaction.atomic():
        unit = Unit.objects.create(agency=agency, **values)
        audit(
            kind="org.unit_created",
            actor=acting_user,
            stream=f"agency:{agency.public_id}",
            payload={"unit": str(unit.public_id), "after": _snapshot(unit, UNIT_FIELDS)},
        )
    return unit


def unit_update(*, acting_user: Any, unit: Unit, data: dict[str, Any]) -> Unit:
    """Change a unit's particulars."""
    require_capability(acting_user, Capability.MANAGE_ORG, target=str(unit.public_id))
    _require_region(acting_user, unit.agency.region, action="unit.update")
    _raise_if(_validate_unit(unit.agency, str(data.get("name", unit.name)), instance=unit))
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        changed = _apply(locked, UNIT_FIELDS, data)
        audit(
            kind="org.unit_updated",
            actor=acting_user,
            stream=f"agency:{locked.agency.public_id}",
            payload={"unit": str(locked.public_id), "changed": changed},
        )
    return locked


# --- users ---------------------------------------------------------------------------------------------------------


def _validate_placement(acting_user: Any, data: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    agency, unit, region = data.get("agency"), data.get("unit"), data.get("region")
    if unit is not None and (agency is None or unit.agency_id != agency.pk):
        errors.append(FieldError("unit", "mismatch", _("承办机构不属于所选执法主体。")))
    if agency is None and region is None:
        errors.append(FieldError("agency", "required", _("请选择执法主体，或为监督人员选择所属区划。")))
    if not str(data.get("full_name", "")).strip():
        errors.append(FieldError("full_name", "required", _("请填写姓名。")))
    target_region = agency.region if agency is not None else region
    if target_region is not None and not _region_in_scope(acting_user, target_region):
        errors.append(FieldError("agency", "out_of_scope", _("只能在您管理的区划内设置用户。")))
    return errors


def _validate_roles(roles: list[str], data: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    unknown = [r for r in roles if r not in Role.values]
    if unknown or not roles:
        errors.append(FieldError("roles", "invalid", _("请至少选择一个有效角色。")))
    if Role.OFFICER in roles and Role.AUXILIARY in roles:
        errors.append(FieldError("roles", "conflict", _("辅助人员不能同时是执法人员。")))
    staff_roles = {Role.OFFICER, Role.AUXILIARY, Role.UNIT_HEAD, Role.LEGAL_REVIEWER, Role.AGENCY_HEAD, Role.ARCHIVIST}
    if staff_roles.intersection(roles) and data.get("agency") is None:
        errors.append(FieldError("agency", "required", _("执法机关工作人员须选择执法主体。")))
    return errors


def password_errors(password: str, user: User | None, *, field: str = "password") -> list[FieldError]:
    """The password policy's objections (SYS-6: length, character classes, history, similarity), per message."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [FieldError(field, "weak", str(m)) for m in exc.messages]
    return []


def password_store(*, user: User, password: str | None, must_change: bool) -> None:
    """Hash and save a password (None: unusable) and remember it for the reuse rule. Inside the caller's transaction."""
    user.set_password(password)
    user.must_change_password = must_change
    user.password_changed_at = timezone.now() if password is not None else None
    user.save()
    if password is not None:
        PasswordHistory.objects.create(user=user, password=user.password)


def user_create(
    *, acting_user: Any, username: str, password: str | None, roles: list[str], data: dict[str, Any]
) -> User:
    """Open an account with an initial password that must be changed at the first login.

    Without a password the account cannot log in until an administrator sets one (user_reset_password).
    """
    require_capability(acting_user, Capability.MANAGE_USERS, target=username)
    username = username.strip()
    errors: list[FieldError] = []
    if not username:
        errors.append(FieldError("username", "required", _("请填写用户名。")))
    elif User.objects.filter(username__iexact=username).exists():
        errors.append(FieldError("username", "duplicate", _("用户名已存在。")))
    errors += _validate_placement(acting_user, data)
    errors += _validate_roles(roles, data)
    if password is not None:
        errors += password_errors(password, User(username=username, full_name=data.get("full_name", "")))
    _raise_if(errors)
    with transaction.atomic():
        user = User(username=username, **{f: data[f] for f in USER_FIELDS if f in data})
        password_store(user=user, password=password, must_change=True)
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=r, granted_by=acting_user) for r in sorted(set(roles)))
        audit(
            kind="org.user_created",
            actor=acting_user,
            stream=f"user:{user.public_id}",
            payload={
                "user": str(user.public_id),
                "username": username,
                "roles": sorted(set(roles)),
                "after": _snapshot(user, USER_FIELDS),
            },
        )
    return user


def user_update(*, acting_user: Any, user: User, data: dict[str, Any], roles: list[str] | None = None) -> User:
    """Change an account's particulars and, when given, its roles (each change in the ledger)."""
    require_capability(acting_user, Capability.MANAGE_USERS, target=str(user.public_id))
    _require_account_control(acting_user, user, action="user.update")
    merged = {**_snapshot_objects(user, USER_FIELDS), **data}
    errors = _validate_placement(acting_user, merged)
    if roles is not None:
        errors += _validate_roles(roles, merged)
        if user.pk == acting_user.pk and Role.ADMIN in user.role_codes and Role.ADMIN not in roles:
            errors.append(FieldError("roles", "self_demotion", _("不能取消自己的系统管理员角色。")))
    if data.get("is_active") is False and user.pk == acting_user.pk:
        errors.append(FieldError("is_active", "self_disable", _("不能停用自己的账户。")))
    _raise_if(errors)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        payload: dict[str, Any] = {"user": str(locked.public_id), "changed": _apply(locked, USER_FIELDS, data)}
        if roles is not None:
            old = set(locked.role_grants.values_list("role", flat=True))
            new = set(roles)
            locked.role_grants.filter(role__in=old - new).delete()
            RoleGrant.objects.bulk_create(
                RoleGrant(user=locked, role=r, granted_by=acting_user) for r in sorted(new - old)
            )
            payload["roles_added"], payload["roles_removed"] = sorted(new - old), sorted(old - new)
            locked.forget_roles()
        audit(kind="org.user_updated", actor=acting_user, stream=f"user:{locked.public_id}", payload=payload)
    return locked


def user_reset_password(*, acting_user: Any, user: User, password: str) -> None:
    """Set a new initial password (to be changed at next login) and lift any lockout."""
    require_capability(acting_user, Capability.MANAGE_USERS, target=str(user.public_id))
    _require_account_control(acting_user, user, action="user.reset_password")
    _raise_if(password_errors(password, user))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.failed_logins = 0
        locked.locked_until = None
        password_store(user=locked, password=password, must_change=True)
        audit(
            kind="org.user_password_reset",
            actor=acting_user,
            stream=f"user:{locked.public_id}",
            payload={"user": str(locked.public_id)},
        )


def user_unlock(*, acting_user: Any, user: User) -> None:
    """Lift a lockout before it runs out."""
    require_capability(acting_user, Capability.MANAGE_USERS, target=str(user.public_id))
    _require_account_control(acting_user, user, action="user.unlock")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        audit(
            kind="org.user_unlocked",
            actor=acting_user,
            stream=f"user:{user.public_id}",
            payload={"user": str(user.public_id)},
        )


def role_policy_set(*, acting_user: Any, role: str, require_otp: bool) -> RolePolicy:
    """Require (or stop requiring) a TOTP second factor for everyone holding a role."""
    require_capability(acting_user, Capability.MANAGE_USERS, target=f"role:{role}")
    if effective_scope(acting_user) != Scope.ALL:
        raise deny(acting_user, action="role_policy.set", target=role)
    if role not in Role.values:
        raise ServiceError.single("role", "invalid", _("角色无效。"))
    with transaction.atomic():
        policy, _created = RolePolicy.objects.select_for_update().get_or_create(role=role)
        before = policy.require_otp
        policy.require_otp = require_otp
        policy.save()
        audit(
            kind="org.role_policy_set",
            actor=acting_user,
            stream="security",
            payload={"role": role, "require_otp": [before, require_otp]},
        )
    return policy
