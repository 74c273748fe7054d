"""Constants of the publicity app: what is published, its states, and the periods that govern it (PUB-4..PUB-9)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import ActionType


class PublicationKind(models.TextChoices):
    """What an ex-post publication is about (PUB-4)."""

    DECISION = "decision", _("执法决定")
    INSPECTION_RESULT = "inspection_result", _("检查结果")
    EXECUTION = "execution", _("执行情况")


class PublicationStatus(models.TextChoices):
    """Life of a publication: a draft until a person confirms it; then public until withdrawn or expired (PUB-7)."""

    DRAFT = "draft", _("待确认")
    PUBLISHED = "published", _("已公示")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("公示期满")


class VersionReason(models.TextChoices):
    """Why a version was published: the first publication, an update after a change (PUB-6), a correction (PUB-8)."""

    INITIAL = "initial", _("首次公示")
    UPDATE = "update", _("变更更新")
    CORRECTION = "correction", _("纠错更正")


class RevocationEvent(models.TextChoices):
    """What happened to the decision behind a publication (PUB-6; 行政处罚法 第48条)."""

    REVOKED = "revoked", _("决定被撤销")
    CHANGED = "changed", _("决定被变更")
    VOIDED = "voided", _("决定被确认无效")


class CorrectionOutcome(models.TextChoices):
    """The decision on a correction request (PUB-8)."""

    UPHELD = "upheld", _("予以更正")
    REJECTED = "rejected", _("不予更正")


class SortOrder(models.TextChoices):
    """How search results are ordered."""

    NEWEST = "-decided_on", _("决定日期（新到旧）")
    OLDEST = "decided_on", _("决定日期（旧到新）")
    RECENTLY_PUBLISHED = "-published_at", _("公示时间（新到旧）")


# The fields of a decision that are published, in display order, with their labels.
PUBLIC_FIELDS: tuple[tuple[str, Any], ...] = (
    ("title", _("标题")),
    ("party", _("当事人")),
    ("body", _("主要内容")),
    ("basis", _("执法依据")),
    ("result", _("处理结果")),
)
FIELD_NAMES = tuple(name for name, _label in PUBLIC_FIELDS)

# Licence and penalty decisions are public within 7 working days of the decision, other decisions within 20 (PUB-4).
FAST_ACTION_TYPES = frozenset({ActionType.LICENCE, ActionType.PENALTY})
RULE_FAST = "publicity.licence_penalty_decision"
RULE_OTHER = "publicity.other_decision"
RULE_REVOCATION = "publicity.revocation_update"
RULE_CORRECTION = "publicity.correction_request"
RULE_CORRECTION_URGENT = "publicity.correction_request_urgent"

# Ex-post entries stay public for five years after their first publication, then leave the portal (PUB-7).
RETENTION_MONTHS = 60

# Limits on what the public may send: a search is capped, never refused (PUB-9); a correction request is bounded.
QUERY_MAX_CHARS = 100
QUERY_MAX_TERMS = 5
PAGE_SIZE = 20
MAX_PAGE = 500
COUNT_CAP = 10_000
EXPORT_MAX_ROWS = 100_000
EVIDENCE_MAX_FILES = 5
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
