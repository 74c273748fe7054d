"""The power catalog (issue 4): laws and articles, enforcement items, discretion benchmarks, major-decision rules,
random-inspection items, AV items and service guides.

Every catalog entry is an identity row (agency, code, and what never changes: for an item its action type and
enforcement field) plus numbered versions. A version is drafted, goes to legal review and is published with an
effective date (PUB-2); published versions are never changed or deleted, and the version in force on a day is the
highest-numbered published version whose effective date has come. Laws change through amendment rows and new article
texts; nothing legally significant is updated in place.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.core.choices import Unit as PeriodUnit
from sunlight.org.choices import ActionType, EnforcementField

from .choices import (
    AmendmentKind,
    AvRequirement,
    BandBasis,
    Circumstance,
    Criterion,
    FlagStatus,
    LawKind,
    Measure,
    PartyKind,
    PenaltyKind,
    VersionStatus,
)
from .numerals import article_label

# --- laws ----------------------------------------------------------------------------------------------------------


class Law(models.Model):
    """A law, regulation, rule or normative document (法律法规规章及规范性文件), nationwide or local."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("名称"), max_length=200, unique=True)
    short_title = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("效力层级"), max_length=24, choices=LawKind.choices)
    issuer = models.CharField(_("制定机关"), max_length=120, blank=True)
    doc_number = models.CharField(_("文号"), max_length=120, blank=True)
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")

    def __str__(self) -> str:
        return f"《{self.title}》"

    def repealed_on(self) -> date | None:
        """The date a repeal took effect, if any."""
        repeal = self.amendments.filter(kind=AmendmentKind.REPEAL).order_by("effective_from").first()
        return repeal.effective_from if repeal else None

    def in_force(self, on: date) -> bool:
        """True when the law is in force on a day."""
        repealed = self.repealed_on()
        return self.effective_from <= on and (repealed is None or on < repealed)


class LawAmendment(models.Model):
    """One amendment, revision or repeal of a law, with the articles it touched (empty: the whole law)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(_("类型"), max_length=16, choices=AmendmentKind.choices)
    label = models.CharField(_("修改说明"), max_length=200)
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"))
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["law", "effective_from", "id"]
        verbose_name = _("法律法规修改")
        verbose_name_plural = _("法律法规修改")

    def __str__(self) -> str:
        return f"{self.law} {self.label}"


class Article(models.Model):
    """An article of a law, identified by its number; its wording lives in ArticleText rows."""

    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="articles")
    number = models.PositiveIntegerField(_("条"))

    class Meta:
        ordering = ["law__title", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="catalog_article_unique")]
        verbose_name = _("条款")
        verbose_name_plural = _("条款")

    def __str__(self) -> str:
        return f"《{self.law.title}》{self.label}"

    @property
    def label(self) -> str:
        """第一百二十二条."""
        return article_label(self.number)

    @property
    def citation(self) -> str:
        """《中华人民共和国食品安全法》第一百二十二条 — the form used in exports and imports."""
        return f"《{self.law.title}》{self.label}"

    def text_on(self, on: date) -> ArticleText | None:
        """The wording in force on a day (None before the article existed)."""
        return self.texts.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()


class ArticleText(models.Model):
    """The wording of an article from a date on (original text, or the text after an amendment)."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="texts")
    text = models.TextField(_("条文"), blank=True)
    repealed = models.BooleanField(_("已删除"), default=False)
    effective_from = models.DateField(_("施行日期"))
    amendment = models.ForeignKey(
        LawAmendment, null=True, blank=True, on_delete=models.PROTECT, related_name="article_texts"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["article", "effective_from", "id"]

    def __str__(self) -> str:
        return f"{self.article} ({self.effective_from})"


# --- versioned catalog entries -------------------------------------------------------------------------------------


class Entry(models.Model):
    """What every catalog entry has: an opaque id, its agency and its code (unique in the agency)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("org.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("编码"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    versions: Any

    class Meta:
        abstract = True
        ordering = ["agency", "code"]

    def __str__(self) -> str:
        return self.code


class Version(models.Model):
    """What every version has: its number, review state, effective date and who did what when (PUB-2)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField(_("生效日期"))
    abolished = models.BooleanField(_("取消该事项"), default=False)
    change_note = models.TextField(_("修改说明"), blank=True)
    short_notice_reason = models.CharField(_("不足一个月提前公告的理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    confidentiality_checked = models.BooleanField(_("已进行保密审查"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    entry: Any
    entry_id: int

    class Meta:
        abstract = True
        ordering = ["entry", "number"]

    def __str__(self) -> str:
        return f"{self.entry} v{self.number}"


class EnforcementItem(Entry):
    """An enforcement power (执法事项) of an agency. Its action type and field never change: another type or field is
    another power with another code."""

    action_type = models.CharField(_("行为类型"), max_length=16, choices=ActionType.choices)
    field = models.CharField(_("执法类别"), max_length=24, choices=EnforcementField.choices)

    class Meta(Entry.Meta):
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="catalog_item_code_unique")]
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项")


class ItemVersion(Version):
    """One version of an enforcement item: its particulars, who holds the power (DIS-3) and its service guide."""

    entry = models.ForeignKey(EnforcementItem, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField(_("事项名称"), max_length=200)
    articles = models.ManyToManyField(Article, verbose_name=_("依据条款"), blank=True, related_name="item_versions")
    basis_text = models.TextField(_("依据说明"), blank=True)
    handling_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="+"
    )
    approving_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("审批机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holding_units = models.ManyToManyField("org.Unit", verbose_name=_("行使职权的机构"), blank=True, related_name="+")
    posts = models.JSONField(_("行使职权的岗位"), default=list, blank=True)
    time_limit_amount = models.PositiveIntegerField(_("办理时限"), null=True, blank=True)
    time_limit_unit = models.CharField(_("时限单位"), max_length=2, choices=PeriodUnit.choices, blank=True)
    time_limit_note = models.CharField(_("时限说明"), max_length=200, blank=True)
    guide_conditions = models.TextField(_("办理条件"), blank=True)
    guide_materials = models.TextField(_("申请材料"), blank=True)
    guide_fee = models.CharField(_("收费标准"), max_length=200, blank=True)
    guide_office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    guide_address = models.CharField(_("办理地点"), max_length=200, blank=True)
    guide_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    guide_supervision = models.CharField(_("监督投诉渠道"), max_length=200, blank=True)
    guide_remedies = models.TextField(_("救济途径"), blank=True)

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="catalog_itemversion_unique")]


class Benchmark(Entry):
    """A discretion benchmark (裁量基准) for one violation (DIS-1), tied to the item whose penalty it measures."""

    item = models.ForeignKey(
        EnforcementItem,
        verbose_name=_("执法事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benchmarks",
    )

    class Meta(Entry.Meta):
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="catalog_benchmark_code_unique")]
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")


class BenchmarkVersion(Version):
    """One version of a benchmark: the violation, its basis and the ranges per circumstance."""

    entry = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="versions")
    violation = models.CharField(_("违法行为"), max_length=300)
    articles = models.ManyToManyField(
        Article, verbose_name=_("依据条款"), blank=True, related_name="benchmark_versions"
    )
    basis_text = models.TextField(_("依据说明"), blank=True)

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="catalog_benchmarkversion_unique")]


class BenchmarkLevel(models.Model):
    """One circumstance level of a benchmark version, with its conditions (适用情形)."""

    version = models.ForeignKey(BenchmarkVersion, on_delete=models.CASCADE, related_name="levels")
    circumstance = models.CharField(_("情节档次"), max_length=16, choices=Circumstance.choices)
    conditions = models.TextField(_("适用情形"), blank=True)

    class Meta:
        ordering = ["version", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "circumstance"], name="catalog_level_unique")]

    def __str__(self) -> str:
        return self.get_circumstance_display()


class BenchmarkPenalty(models.Model):
    """A penalty a level allows, with its range: fixed amounts in fen, or multiples of a base amount; optionally only
    for cases whose goods value (or illegal gains...) lies in a band [band_from_fen, band_below_fen)."""

    level = models.ForeignKey(BenchmarkLevel, on_delete=models.CASCADE, related_name="penalties")
    kind = models.CharField(_("处罚种类"), max_length=24, choices=PenaltyKind.choices)
    measure = models.CharField(_("幅度计算方式"), max_length=20, choices=Measure.choices, blank=True)
    min_fen = models.BigIntegerField(_("下限（分）"), null=True, blank=True)
    max_fen = models.BigIntegerField(_("上限（分）"), null=True, blank=True)
    min_multiple = models.DecimalField(_("下限（倍）"), max_digits=8, decimal_places=3, null=True, blank=True)
    max_multiple = models.DecimalField(_("上限（倍）"), max_digits=8, decimal_places=3, null=True, blank=True)
    band_basis = models.CharField(_("区间依据"), max_length=20, choices=BandBasis.choices, blank=True)
    band_from_fen = models.BigIntegerField(_("区间下限（分，含）"), null=True, blank=True)
    band_below_fen = models.BigIntegerField(_("区间上限（分，不含）"), null=True, blank=True)

    class Meta:
        ordering = ["level", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class MajorRule(Entry):
    """A rule of an agency's major-decision catalog (重大执法决定目录清单, REV-1)."""

    class Meta(Entry.Meta):
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="catalog_majorrule_code_unique")]
        verbose_name = _("重大执法决定标准")
        verbose_name_plural = _("重大执法决定标准")


class MajorRuleVersion(Version):
    """One version of a major-decision rule: what it looks at and its threshold."""

    entry = models.ForeignKey(MajorRule, on_delete=models.PROTECT, related_name="versions")
    title = models.CharField(_("标准"), max_length=200)
    criterion = models.CharField(_("判断依据"), max_length=24, choices=Criterion.choices)
    action_types = models.JSONField(_("适用行为类型"), default=list, blank=True)
    amount_fen = models.BigIntegerField(_("金额标准（分）"), null=True, blank=True)
    party = models.CharField(_("适用当事人"), max_length=16, choices=PartyKind.choices, default=PartyKind.ANY)
    basis_text = models.TextField(_("依据"), blank=True)

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="catalog_majorruleversion_unique")]


class InspectionItem(Entry):
    """An entry of the random-inspection item list (随机抽查事项清单, RND-1)."""

    class Meta(Entry.Meta):
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="catalog_inspection_code_unique")]
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项")


class InspectionItemVersion(Version):
    """One version of a random-inspection item: subject, basis, object, content, ratio, method, frequency."""

    entry = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField(_("抽查事项"), max_length=200)
    subject = models.CharField(_("抽查主体"), max_length=200)
    articles = models.ManyToManyField(
        Article, verbose_name=_("依据条款"), blank=True, related_name="inspection_versions"
    )
    basis_text = models.TextField(_("依据说明"), blank=True)
    target = models.CharField(_("抽查对象"), max_length=300)
    content = models.TextField(_("抽查内容"))
    ratio_percent = models.DecimalField(_("抽查比例（%）"), max_digits=5, decimal_places=2)
    method = models.CharField(_("抽查方式"), max_length=200)
    frequency = models.CharField(_("抽查频次"), max_length=100)

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="catalog_inspectionversion_unique")]


class AvItem(Entry):
    """An entry of the AV item list (音像记录事项清单, REC-5)."""

    class Meta(Entry.Meta):
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="catalog_avitem_code_unique")]
        verbose_name = _("音像记录事项")
        verbose_name_plural = _("音像记录事项")


class AvItemVersion(Version):
    """One version of an AV item: which step of which action type, and how it must be recorded."""

    entry = models.ForeignKey(AvItem, on_delete=models.PROTECT, related_name="versions")
    action_type = models.CharField(_("行为类型"), max_length=16, choices=ActionType.choices)
    step = models.CharField(_("执法环节"), max_length=60)
    requirement = models.CharField(_("记录要求"), max_length=16, choices=AvRequirement.choices)
    scope = models.CharField(_("适用情形"), max_length=300, blank=True)
    basis_text = models.TextField(_("依据"), blank=True)

    class Meta(Version.Meta):
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="catalog_avversion_unique")]


# --- flags and reviews ---------------------------------------------------------------------------------------------


class CatalogFlag(models.Model):
    """An entry that cites an amended law and must be updated within 20 working days (PUB-2 dynamic adjustment)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    entry_kind = models.CharField(max_length=16)
    entry_public_id = models.UUIDField()
    entry_label = models.CharField(_("事项"), max_length=300)
    amendment = models.ForeignKey(LawAmendment, on_delete=models.PROTECT, related_name="flags")
    deadline = models.ForeignKey("core.Deadline", null=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["entry_kind", "entry_public_id", "status"])]

    def __str__(self) -> str:
        return f"{self.entry_label} ← {self.amendment}"


class BenchmarkReview(models.Model):
    """The yearly review of an agency's benchmarks, filed with the justice bureau (DIS-5)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    filed_on = models.DateField(_("备案日期"))
    note = models.TextField(_("评估情况"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="catalog_benchmark_review_unique")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
