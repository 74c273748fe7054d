"""Constants of the registry: certificate states, sanctions, establishment kinds, camera states, who may do what,
and the default targets an agency may change (PER-1..6, REC-12)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import Role


class CertificateStatus(models.TextChoices):
    """State of an enforcement certificate (执法证, PER-1). The current one is a projection of the status history."""

    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("已注销")
    EXPIRED = "expired", _("已过期")


# The whole table of allowed certificate moves: operation -> (states it may start from, state it leads to).
CERTIFICATE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "suspend": (frozenset({CertificateStatus.VALID}), CertificateStatus.SUSPENDED),
    "reinstate": (frozenset({CertificateStatus.SUSPENDED}), CertificateStatus.VALID),
    "revoke": (
        frozenset({CertificateStatus.VALID, CertificateStatus.SUSPENDED, CertificateStatus.EXPIRED}),
        CertificateStatus.REVOKED,
    ),
    "expire": (frozenset({CertificateStatus.VALID, CertificateStatus.SUSPENDED}), CertificateStatus.EXPIRED),
}

CERTIFICATE_OPERATION_LABELS = {
    "suspend": _("暂扣"),
    "reinstate": _("发还"),
    "revoke": _("注销"),
    "expire": _("到期失效"),
}


class EstablishmentKind(models.TextChoices):
    """The staffing establishment (编制) an officer holds; a certificate needs one, with proof (PER-1, 002)."""

    ADMINISTRATIVE = "administrative", _("行政编制")
    CIVIL_SERVICE_MANAGED = "civil_service_managed", _("参照公务员法管理事业编制")
    PUBLIC_INSTITUTION = "public_institution", _("事业编制")


class SanctionKind(models.TextChoices):
    """Measures against an officer's improper enforcement (PER-6; 000, 003)."""

    CRITICISM = "criticism", _("批评教育")
    OFF_POST_TRAINING = "off_post_training", _("离岗培训")
    SUSPENSION = "suspension", _("暂扣执法证")
    REVOCATION = "revocation", _("取消执法资格（注销执法证）")


# Sanctions that act on the certificate, and therefore belong to the certificate authority.
CERTIFICATE_SANCTIONS = frozenset({SanctionKind.SUSPENSION, SanctionKind.REVOCATION})


class CameraStatus(models.TextChoices):
    """State of a body camera (执法记录仪, REC-12)."""

    IN_STOCK = "in_stock", _("在库")
    CHECKED_OUT = "checked_out", _("已领用")
    FAULTY = "faulty", _("故障维修")
    SCRAPPED = "scrapped", _("已报废")


# Cameras that count towards an agency's ratio: the ones that can record today or are recording.
USABLE_CAMERA_STATES = (CameraStatus.IN_STOCK, CameraStatus.CHECKED_OUT)


class CheckResult(models.TextChoices):
    """Outcome of a periodic camera check (定期核查)."""

    NORMAL = "normal", _("正常")
    FAULT = "fault", _("故障")


# Who may do what (SYS-2). The registry keeps its own role sets rather than widening org's capabilities.
PERSONNEL_MANAGERS = frozenset({Role.ADMIN, Role.AGENCY_HEAD})  # officers, auxiliaries, training, light sanctions
CERTIFICATE_MANAGERS = frozenset({Role.ADMIN, Role.JUSTICE_SUPERVISOR})  # certificates, reviews, certificate sanctions
CAMERA_MANAGERS = frozenset({Role.ADMIN, Role.AGENCY_HEAD, Role.ARCHIVIST})  # body cameras (besides each administrator)
POLICY_MANAGERS = frozenset({Role.ADMIN, Role.JUSTICE_SUPERVISOR})  # per-agency targets
CAMERA_APPROVERS = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD})  # may approve a checkout (003: 部门负责人批准)

# Defaults of the per-agency policy (REQUIREMENTS PER-3, REC-12); an agency's RegistryPolicy row overrides them.
DEFAULT_OFFICERS_PER_CAMERA = 5  # at least 1 camera per 5 officers (001 asks 2:1)
DEFAULT_OFFICER_TRAINING_DAYS = Decimal(5)  # 002
DEFAULT_AUXILIARY_TRAINING_DAYS = Decimal(3)  # 002
DEFAULT_AGENCY_TRAININGS_PER_YEAR = 2  # 000

EXPIRING_SOON_DAYS = 30  # a certificate within this many days of its expiry is flagged on the pages
CAMERA_CHECK_INTERVAL_DAYS = 30  # a camera not checked for longer is flagged as overdue for its periodic check

# Deadline rules (sunlight.core.deadlines.RULES) and the subjects of the deadlines the registry opens.
RULE_PERSON_TRAINING = "registry.training_person"
RULE_AGENCY_TRAINING = "registry.training_agency"
RULE_CAMERA_RATIO = "registry.body_camera_ratio"
SUBJECT_PERSON_TRAINING = "registry.training_person"
SUBJECT_AGENCY_TRAINING = "registry.training_agency"
SUBJECT_CAMERA_RATIO = "registry.body_camera_ratio"
