"""Ex-post publication (事后公开) of enforcement decisions: drafts, confirmed versions, withdrawals, corrections.

Legally significant rows are append-only (database triggers from `sunlight.core.protect`): the source as received,
every confirmed version, every revocation request, withdrawal, correction request, its evidence and its decision.
A correction or an update is a new version; nothing published is ever changed or removed. `Publication` is the
current-state projection (status, the version in force), and `SearchEntry` the public search index: one row per
publication while it is on the portal, built from the published (redacted) text only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import ActionType

from .choices import CorrectionOutcome, PublicationKind, PublicationStatus, RevocationEvent, VersionReason
from .fields import BigramCodesField


class Publication(models.Model):
    """One decision, inspection result or execution to be published; its status and the version in force (PUB-4).

    Created as a draft by `publication_draft_create` when a case system records a decision; the source reference
    (source_type, source_id, kind) is unique, so a second push returns the same publication.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source_type = models.CharField(_("来源类型"), max_length=40)
    source_id = models.CharField(_("来源标识"), max_length=64)
    kind = models.CharField(_("公示类别"), max_length=20, choices=PublicationKind.choices)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="publications"
    )
    action_type = models.CharField(_("行为类型"), max_length=20, choices=ActionType.choices)
    region_code = models.CharField(_("区划代码"), max_length=9, blank=True)
    label = models.CharField(_("标题（已隐名）"), max_length=300)
    document_number = models.CharField(_("文书编号"), max_length=100, blank=True)
    decided_on = models.DateField(_("决定日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.ForeignKey(
        "core.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("公示期限")
    )
    current_version = models.ForeignKey(
        "PublicationVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_published_at = models.DateTimeField(_("首次公示时间"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("最近公示时间"), null=True, blank=True)
    expires_on = models.DateField(_("公示期满日"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    expired_at = models.DateTimeField(_("下线时间"), null=True, blank=True)
    changed_at = models.DateTimeField(_("公开状态变化时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "kind"], name="publicity_unique_source")
        ]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["changed_at", "public_id"]),
        ]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.label

    @property
    def stream(self) -> str:
        """The ledger stream of this publication."""
        return f"publication:{self.public_id}"


class PublicationSource(models.Model):
    """The decision as the case system sent it, unredacted: internal only, never shown on the portal (PUB-5).

    `original_hash` is the SHA-256 of the canonical JSON of these fields; every version records it. `proposal` is the
    automatic redaction made when the draft was created: per field, the redacted text and its changes.
    """

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="source")
    title = models.CharField(_("标题"), max_length=300)
    party_name = models.CharField(_("当事人"), max_length=200)
    party_is_person = models.BooleanField(_("当事人为自然人"))
    persons = models.JSONField(_("涉及的自然人"), default=list)
    body = models.TextField(_("主要内容"))
    basis = models.TextField(_("执法依据"), blank=True)
    result = models.TextField(_("处理结果"), blank=True)
    original_hash = models.CharField(_("原文哈希"), max_length=64)
    proposal = models.JSONField(_("自动隐名结果"), default=dict)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公示来源")
        verbose_name_plural = _("公示来源")

    def __str__(self) -> str:
        return self.title


class PublicationVersion(models.Model):
    """One confirmed, published text (PUB-5): the record exactly as published, its hash and its ledger entry.

    `record` is the published record; its canonical JSON hashes to `published_hash`, which the ledger entry
    `ledger_seq` carries. `changes` lists, per field, what the automatic redaction changed and whether the confirmer
    edited the text. Publishing in full with the person's consent is recorded (`consent_full`, `consent_note`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    reason = models.CharField(_("原因"), max_length=12, choices=VersionReason.choices)
    record = models.JSONField(_("公示内容"))
    changes = models.JSONField(_("隐名处理"), default=dict)
    original_hash = models.CharField(_("原文哈希"), max_length=64)
    published_hash = models.CharField(_("公示内容哈希"), max_length=64)
    consent_full = models.BooleanField(_("经当事人同意全文公开"), default=False)
    consent_note = models.CharField(_("同意公开的依据"), max_length=500, blank=True)
    explanation = models.TextField(_("更新说明"), blank=True)
    revocation = models.ForeignKey(
        "RevocationRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    correction = models.ForeignKey(
        "CorrectionRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="versions"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认并公示时间"))
    ledger_seq = models.BigIntegerField(_("账本记录序号"))
    ledger_entry_hash = models.CharField(_("账本记录哈希"), max_length=64)

    class Meta:
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="publicity_version_unique")]
        verbose_name = _("公示版本")
        verbose_name_plural = _("公示版本")

    def __str__(self) -> str:
        return f"{self.publication} v{self.number}"

    def field(self, name: str) -> str:
        """One published field (title, party, body, basis, result)."""
        value = self.record.get(name, "")
        return value if isinstance(value, str) else ""


class RevocationRequest(models.Model):
    """A decision was revoked, changed or declared void: the publication must be withdrawn or updated within 3 WD.

    Created by `publication_revoke_request` (called by the case system); opens `publicity.revocation_update`.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="revocations")
    event = models.CharField(_("事由"), max_length=10, choices=RevocationEvent.choices)
    reason = models.TextField(_("说明"))
    requested_at = models.DateTimeField(_("发生时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.ForeignKey("core.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("撤销变更通知")
        verbose_name_plural = _("撤销变更通知")

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {self.publication}"


class Withdrawal(models.Model):
    """The withdrawal of a publication from the portal, with the explanation shown in its place (PUB-6)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="withdrawals")
    explanation = models.TextField(_("撤回说明"))
    revocation = models.ForeignKey(
        RevocationRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="withdrawals"
    )
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"))
    ledger_seq = models.BigIntegerField(_("账本记录序号"))
    ledger_entry_hash = models.CharField(_("账本记录哈希"), max_length=64)

    class Meta:
        ordering = ["withdrawn_at", "id"]
        verbose_name = _("撤回")
        verbose_name_plural = _("撤回")

    def __str__(self) -> str:
        return self.explanation[:40]


class CorrectionRequest(models.Model):
    """A request from the public to correct a published entry, with evidence (PUB-8).

    Decided within 10 WD, or 2 WD when the requester shows that a delay would cause irreparable harm. The requester's
    name and contact are internal only.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="corrections")
    name = models.CharField(_("申请人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    request = models.TextField(_("更正请求"))
    urgent = models.BooleanField(_("紧急"), default=False)
    urgent_reason = models.TextField(_("紧急理由"), blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    deadline = models.ForeignKey("core.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("纠错申请")
        verbose_name_plural = _("纠错申请")

    def __str__(self) -> str:
        return f"{self.publication}: {self.request[:30]}"

    @property
    def stream(self) -> str:
        """The ledger stream of this request."""
        return f"correction:{self.public_id}"


class CorrectionEvidence(models.Model):
    """A file sent with a correction request, held in the evidence store by its SHA-256."""

    request = models.ForeignKey(CorrectionRequest, on_delete=models.PROTECT, related_name="evidence")
    file = models.ForeignKey("evidence.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("文件名"), max_length=255)

    class Meta:
        ordering = ["id"]
        verbose_name = _("纠错证据")
        verbose_name_plural = _("纠错证据")

    def __str__(self) -> str:
        return self.filename


class CorrectionDecision(models.Model):
    """The answer to a correction request, with reasons; an upheld request points at the corrected version."""

    request = models.OneToOneField(CorrectionRequest, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("处理结果"), max_length=10, choices=CorrectionOutcome.choices)
    reasons = models.TextField(_("理由"))
    version = models.ForeignKey(PublicationVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"))

    class Meta:
        verbose_name = _("纠错处理")
        verbose_name_plural = _("纠错处理")

    def __str__(self) -> str:
        return self.get_outcome_display()


class SearchEntry(models.Model):
    """The public search index: one row per publication while it is on the portal (PUB-9).

    Built from the version in force (redacted text only) and removed when the publication is withdrawn or expires.
    `text` is the searchable text (NFKC, whitespace collapsed). On PostgreSQL `bigrams` holds the codes of its
    two-character substrings for two-character queries (ADR 0009) and a pg_trgm GIN index serves longer ones; on
    SQLite an FTS5 trigram table (`publicity_fts`, external content over this table) does.
    """

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, related_name="search_entry")
    public_id = models.UUIDField(unique=True)
    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+")
    agency_name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=9, blank=True)
    kind = models.CharField(max_length=20, choices=PublicationKind.choices)
    action_type = models.CharField(max_length=20, choices=ActionType.choices)
    decided_on = models.DateField()
    published_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=300)
    party = models.CharField(max_length=200, blank=True)
    document_number = models.CharField(max_length=100, blank=True)
    result = models.TextField(blank=True)
    text = models.TextField()
    bigrams = BigramCodesField(models.IntegerField(), null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "-decided_on", "-id"], name="publicity_se_agency_date"),
            models.Index(fields=["-decided_on", "-id"], name="publicity_se_date"),
            models.Index(fields=["action_type", "-decided_on"], name="publicity_se_action_date"),
            models.Index(fields=["region_code", "-decided_on"], name="publicity_se_region_date"),
            models.Index(fields=["-published_at", "-id"], name="publicity_se_published"),
        ]

    def __str__(self) -> str:
        return self.title


class DecisionPage(models.Model):
    """A public decision page as rendered, with the state of the publication it showed (PUB-9; ADR 0009).

    A cache shared by every process and server, not a record: `publicity/page_cache.py` reads it in the same query as
    the publication's state and serves it only while that state is still the same, renders the page otherwise and
    writes the new rendering over the old one. It holds only what the portal shows (the redacted text), and can be
    emptied at any time: the next request renders the page again. `rendering` says for which code (a fingerprint of the
    application's files), language and address prefix the page was rendered; `title` and `text` are the decision's
    title and text, which the process frames with the portal's header and footer.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="+")
    rendering = models.CharField(max_length=32)
    state = models.CharField(max_length=32)
    title = models.TextField()
    text = models.TextField()
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "rendering"], name="publicity_decision_page_once")
        ]

    def __str__(self) -> str:
        return self.title


from .models_report import *  # noqa: E402, F403  (annual reports, PUB-10/11)
