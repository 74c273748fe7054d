"""Regions, agencies (执法主体), units (承办机构), users and their roles (SYS-1, SYS-2, SYS-6)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.core.ids import region_code_prefix

from .choices import ROLE_CAPABILITIES, ROLE_SCOPE, AgencyKind, Level, Role, Scope


class Region(models.Model):
    """An administrative division identified by its national code (GB/T 2260, GB/T 10114 for townships)."""

    code = models.CharField(_("区划代码"), max_length=9, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        """Every region inside this one has a code that starts with this prefix."""
        return region_code_prefix(self.code)

    def full_name(self) -> str:
        """Name with the names of its ancestors, e.g. 安徽省阜阳市临泉县."""
        names = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Agency(models.Model):
    """An enforcement body (执法主体): the legal person in whose name decisions are made."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("主体类别"), max_length=16, choices=AgencyKind.choices, default=AgencyKind.ADMINISTRATIVE)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="agencies")
    is_justice_bureau = models.BooleanField(_("司法行政部门（执法监督机关）"), default=False)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("执法监督机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
    )
    legal_basis = models.TextField(_("执法依据（职权来源）"), blank=True)
    duties = models.TextField(_("主要职责"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An internal unit of an agency (承办机构, e.g. 执法大队, 法制科)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("名称"), max_length=100)
    is_legal_department = models.BooleanField(_("法制审核机构"), default=False)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name_in_agency")]
        verbose_name = _("承办机构")
        verbose_name_plural = _("承办机构")

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name}·{self.name}"


class User(AbstractUser):
    """A person who logs in. Belongs to one agency and unit (staff) or to a region (supervisors, liaisons)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("执法主体"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    must_change_password = models.BooleanField(_("须修改初始密码"), default=True)
    failed_logins = models.PositiveIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_codes(self) -> set[str]:
        """The codes of every role granted to this user (cached on the instance)."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = set(self.role_grants.values_list("role", flat=True)) if self.pk else set()
            self._role_codes = cached
        return cached

    def forget_roles(self) -> None:
        """Drop the cached roles after a change."""
        self.__dict__.pop("_role_codes", None)

    def has_role(self, role: str) -> bool:
        """True when the user holds the role."""
        return role in self.role_codes

    def has_capability(self, capability: str) -> bool:
        """True when any of the user's roles grants the capability."""
        return any(capability in ROLE_CAPABILITIES.get(role, set()) for role in self.role_codes)

    @property
    def scope(self) -> Scope:
        """The widest data scope among the user's roles (OWN when the user has none)."""
        scopes = [ROLE_SCOPE[Role(role)] for role in self.role_codes if role in ROLE_SCOPE]
        return max(scopes, default=Scope.OWN)

    @property
    def home_region(self) -> Region | None:
        """The region a REGION-scoped user oversees: their own, else their agency's."""
        if self.region_id:
            return self.region
        if self.agency_id and self.agency:
            return self.agency.region
        return None

    def role_labels(self) -> list[str]:
        """Human-readable role names, in the order of Role."""
        return [str(label) for value, label in Role.choices if value in self.role_codes]

    def is_locked(self, *, now: datetime | None = None) -> bool:
        """True while a lockout is in force."""
        moment = now or timezone.now()
        return bool(self.locked_until and self.locked_until > moment)


class RoleGrant(models.Model):
    """One role held by one user. A person may hold several (a unit head is often also an officer)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class RolePolicy(models.Model):
    """Security policy per role: whether a TOTP second factor is required to log in (SYS-6)."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, unique=True)
    require_otp = models.BooleanField(_("须使用动态口令"), default=False)

    class Meta:
        verbose_name = _("角色安全策略")
        verbose_name_plural = _("角色安全策略")

    def __str__(self) -> str:
        return self.get_role_display()


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so that the last five cannot be reused (SYS-6)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"
