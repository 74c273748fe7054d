"""Cases and their records (REC-1..16).

`Case` is the current state of a case: a projection of its records and ledger entries (DESIGN.md, The ledger), kept
by the services in `services.py` in the same transaction as the record that moves it. Everything legally significant
(records, AV links, conflict declarations, recusal decisions, documents, archives, pushes) is append-only: a database
trigger refuses UPDATE and DELETE (migration 0002), and a correction is a new record pointing at the one it corrects.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import ActionType

from .choices import CaseStatus, DocumentType, PartyKind, RecusalOutcome, Source


class Case(models.Model):
    """One enforcement case (案件) of an agency under one workflow (penalty, simple penalty, coercion, inspection,
    licence...). `step` is the last step recorded; `status` the overall state."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("案件编号"), max_length=80, unique=True)
    workflow = models.CharField(_("办理程序"), max_length=32)
    action_type = models.CharField(_("行为类型"), max_length=16, choices=ActionType.choices)
    agency = models.ForeignKey("org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey("org.Unit", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="cases")
    item = models.ForeignKey(
        "catalog.EnforcementItem",
        verbose_name=_("执法事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    region_code = models.CharField(_("执法区域代码"), max_length=12)
    title = models.CharField(_("案由"), max_length=200)
    summary = models.TextField(_("案情摘要"), blank=True)
    source = models.CharField(_("案件来源"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(_("来源编号"), max_length=120, blank=True)
    complainant_name = models.CharField(_("实名投诉举报人"), max_length=100, blank=True)
    party_kind = models.CharField(_("当事人类别"), max_length=16, choices=PartyKind.choices)
    party_name = models.CharField(_("当事人"), max_length=200)
    party_id_number = models.CharField(_("证件号码或统一社会信用代码"), max_length=40, blank=True)
    party_address = models.CharField(_("当事人地址"), max_length=300, blank=True)
    party_phone = models.CharField(_("当事人联系电话"), max_length=40, blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("主办人员"), on_delete=models.PROTECT, related_name="led_cases"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人员"), related_name="assigned_cases", blank=True
    )
    step = models.CharField(_("当前环节"), max_length=40, default="lead")
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    is_major = models.BooleanField(_("重大执法决定"), default=False)
    major_reasons = models.JSONField(_("重大执法决定理由"), default=list, blank=True)
    emergency = models.BooleanField(_("紧急情况先行实施"), default=False)
    fine_fen = models.BigIntegerField(_("罚款金额（分）"), null=True, blank=True)
    opened_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    external_system = models.ForeignKey(
        "cases.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    external_id = models.CharField(_("外部系统案件标识"), max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="cases_case_newest_idx"),
            models.Index(fields=["agency", "status", "-created_at"]),
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["lead_officer", "-created_at"]),
            models.Index(fields=["region_code", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_system", "external_id"],
                condition=models.Q(external_system__isnull=False),
                name="cases_case_external_unique",
            )
        ]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def stream(self) -> str:
        """The ledger stream of the case."""
        return f"case:{self.public_id}"


class CaseRecord(models.Model):
    """One record of a case step (REC-2): what was done, when, where, by whom, with the party, the rights notified,
    the content, signatures or the refusal to sign; `data` holds the step's own fields. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="records")
    seq = models.PositiveIntegerField(_("序号"))
    step = models.CharField(_("环节"), max_length=40)
    variant = models.CharField(_("方式"), max_length=32, blank=True)
    occurred_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    officers = models.JSONField(_("执法人员"), default=list, blank=True)
    certificates_shown = models.BooleanField(_("已出示执法证件"), default=False)
    party_present = models.BooleanField(_("当事人在场"), default=False)
    rights_notified = models.JSONField(_("告知的权利"), default=list, blank=True)
    rights_how = models.CharField(_("告知方式"), max_length=100, blank=True)
    content = models.TextField(_("内容"), blank=True)
    data = models.JSONField(_("环节数据"), default=dict, blank=True)
    party_signed = models.BooleanField(_("当事人已签名"), default=False)
    refusal_note = models.CharField(_("拒绝签名情况"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("更正的记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    entry_seq = models.BigIntegerField(_("账本序号"), default=0)
    entry_hash = models.CharField(_("账本哈希"), max_length=64, blank=True)

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="cases_record_seq_unique")]
        verbose_name = _("执法记录")
        verbose_name_plural = _("执法记录")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.step}"


class RecordAV(models.Model):
    """An AV record (or photo) linked to a case record (REC-5). Append-only."""

    record = models.ForeignKey(CaseRecord, on_delete=models.PROTECT, related_name="av_links")
    av_record = models.ForeignKey("evidence.AVRecord", on_delete=models.PROTECT, related_name="case_links")
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "av_record"], name="cases_record_av_unique")]

    def __str__(self) -> str:
        return f"{self.record_id}:{self.av_record_id}"


class ConflictDeclaration(models.Model):
    """An officer's declared conflict of interest in a case, or a party's recusal application (DIS-4). Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conflicts")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts")
    reason = models.TextField(_("回避事由"))
    by_party = models.BooleanField(_("当事人申请"), default=False)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case_id}:{self.officer_id}"


class RecusalDecision(models.Model):
    """The decision on a declaration: by the head, or collectively by the leadership when a head is concerned."""

    declaration = models.OneToOneField(ConflictDeclaration, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("决定"), max_length=16, choices=RecusalOutcome.choices)
    collective = models.BooleanField(_("集体讨论决定"), default=False)
    reasons = models.TextField(_("理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.declaration_id}:{self.outcome}"


class DocumentCounter(models.Model):
    """The last number given to a document type of an agency in a year (locked while allocating, REC-15)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=32)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_type", "year"], name="cases_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.doc_type}:{self.year}:{self.last}"


class NumberPattern(models.Model):
    """An agency's numbering pattern for a document type (REC-15), e.g. "临市监罚〔{year}〕{n}号". Placeholders:
    {year}, {n} (the running number of the year), {abbr} (the agency's short name). Without a row the default
    "{abbr}{type}〔{year}〕{n}号" applies, with the type's one-character mark from `services.TYPE_MARKS`."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=32)
    pattern = models.CharField(_("编号格式"), max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "doc_type"], name="cases_pattern_unique")]

    def __str__(self) -> str:
        return self.pattern


class CaseDocument(models.Model):
    """A generated document (REC-15) with its number and the stored DOCX and PDF. Append-only: a regenerated
    document is a new row with a higher version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    record = models.ForeignKey(CaseRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(_("文书种类"), max_length=32, choices=DocumentType.choices)
    number = models.CharField(_("文书编号"), max_length=80, blank=True)
    version = models.PositiveIntegerField(default=1)
    docx = models.ForeignKey("evidence.StoredFile", on_delete=models.PROTECT, related_name="+")
    pdf = models.ForeignKey("evidence.StoredFile", on_delete=models.PROTECT, related_name="+")
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "generated_at", "id"]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.number}"


class CaseArchive(models.Model):
    """The formed case file (卷宗, REC-9): a ZIP of every record, document and AV file with a manifest. Append-only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="archives")
    bundle = models.ForeignKey("evidence.StoredFile", on_delete=models.PROTECT, related_name="+")
    manifest_sha256 = models.CharField(max_length=64)
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    formed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.case_id}:{self.manifest_sha256}"


class ApiClient(models.Model):
    """Another case system allowed to push cases and records (REC-14, PUB-12): a token an administrator issues,
    scoped to agencies, revocable. Only the token's SHA-256 is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("系统名称"), max_length=120)
    token_sha256 = models.CharField(max_length=64, unique=True)
    agencies = models.ManyToManyField("org.Agency", verbose_name=_("可推送的执法主体"), related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class PushReceipt(models.Model):
    """One push from another system, by its idempotency key: a repeat returns the stored answer. Append-only."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="pushes")
    idempotency_key = models.CharField(max_length=200)
    request_sha256 = models.CharField(max_length=64)
    status_code = models.PositiveIntegerField()
    response = models.JSONField(default=dict)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="cases_push_idempotency_unique")
        ]

    def __str__(self) -> str:
        return self.idempotency_key


APPEND_ONLY_TABLES = (
    "cases_caserecord",
    "cases_recordav",
    "cases_conflictdeclaration",
    "cases_recusaldecision",
    "cases_casedocument",
    "cases_casearchive",
    "cases_pushreceipt",
)
