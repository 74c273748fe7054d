"""Constants of the org app: levels, roles, data scopes and capabilities (SYS-1, SYS-2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Administrative level of a region or an agency (SYS-1)."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class AgencyKind(models.TextChoices):
    """Legal kind of an enforcement body (执法主体)."""

    ADMINISTRATIVE = "administrative", _("行政机关")
    AUTHORISED = "authorised", _("法律法规授权组织")
    ENTRUSTED = "entrusted", _("受委托组织")


class ActionType(models.TextChoices):
    """Kind of enforcement act (行为类型, DESIGN.md glossary)."""

    LICENCE = "licence", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    EXPROPRIATION = "expropriation", _("行政征收征用")
    OTHER = "other", _("其他行政行为")


class EnforcementField(models.TextChoices):
    """Enforcement category (执法类别) shared by certificates and enforcement items."""

    MARKET = "market", _("市场监管")
    URBAN = "urban", _("城市管理")
    ENVIRONMENT = "environment", _("生态环境")
    TRANSPORT = "transport", _("交通运输")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    HEALTH = "health", _("卫生健康")
    EMERGENCY = "emergency", _("应急管理")
    AGRICULTURE = "agriculture", _("农业农村")
    CULTURE = "culture", _("文化旅游")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    COMPREHENSIVE = "comprehensive", _("综合行政执法")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    """The roles of SYS-2 plus the system administrator who manages accounts and organisations."""

    ADMIN = "admin", _("系统管理员")
    OFFICER = "officer", _("执法人员")
    AUXILIARY = "auxiliary", _("辅助人员")
    UNIT_HEAD = "unit_head", _("承办机构负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    AGENCY_HEAD = "agency_head", _("机关负责人")
    ARCHIVIST = "archivist", _("案卷/音像管理员")
    JUSTICE_SUPERVISOR = "justice_supervisor", _("司法局监督人员")
    EXTERNAL_SUPERVISOR = "external_supervisor", _("行政执法监督员")
    LIAISON = "liaison", _("人大/纪委/检察院联络员")


class Scope(models.IntegerChoices):
    """How far a user's view reaches, narrowest first (SYS-1 data scope)."""

    OWN = 1, _("本人")
    UNIT = 2, _("本机构")
    AGENCY = 3, _("本执法主体")
    REGION = 4, _("本辖区")
    ALL = 5, _("全部")


class Capability(models.TextChoices):
    """What a role may do beyond reading within its scope. Checked in services and selectors."""

    MANAGE_ORG = "org.manage", _("管理区划、执法主体和机构")
    MANAGE_USERS = "users.manage", _("管理用户和角色")
    MANAGE_CALENDAR = "calendar.manage", _("管理工作日历")
    VIEW_AUDIT = "audit.view", _("查看安全审计记录")
    VIEW_ROLLUP = "warnings.rollup", _("查看预警汇总")
    VIEW_ORG = "org.view", _("查看组织机构")


ROLE_SCOPE: dict[str, Scope] = {
    Role.ADMIN: Scope.REGION,
    Role.OFFICER: Scope.OWN,
    Role.AUXILIARY: Scope.OWN,
    Role.UNIT_HEAD: Scope.UNIT,
    Role.LEGAL_REVIEWER: Scope.AGENCY,
    Role.AGENCY_HEAD: Scope.AGENCY,
    Role.ARCHIVIST: Scope.AGENCY,
    Role.JUSTICE_SUPERVISOR: Scope.REGION,
    Role.EXTERNAL_SUPERVISOR: Scope.REGION,
    Role.LIAISON: Scope.REGION,
}

_STAFF = {Capability.VIEW_ORG}
ROLE_CAPABILITIES: dict[str, set[str]] = {
    Role.ADMIN: {
        *_STAFF,
        Capability.MANAGE_ORG,
        Capability.MANAGE_USERS,
        Capability.MANAGE_CALENDAR,
        Capability.VIEW_AUDIT,
        Capability.VIEW_ROLLUP,
    },
    Role.OFFICER: set(_STAFF),
    Role.AUXILIARY: set(_STAFF),
    Role.UNIT_HEAD: {*_STAFF, Capability.VIEW_ROLLUP},
    Role.LEGAL_REVIEWER: {*_STAFF, Capability.VIEW_ROLLUP},
    Role.AGENCY_HEAD: {*_STAFF, Capability.VIEW_ROLLUP},
    Role.ARCHIVIST: set(_STAFF),
    Role.JUSTICE_SUPERVISOR: {*_STAFF, Capability.VIEW_ROLLUP, Capability.VIEW_AUDIT},
    Role.EXTERNAL_SUPERVISOR: set(_STAFF),
    Role.LIAISON: {*_STAFF, Capability.VIEW_ROLLUP},
}
