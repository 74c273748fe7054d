"""Constants of the catalog app: law kinds, version states, circumstances, penalty kinds, major-decision criteria,
AV requirements (issue 4; DIS-1, DIS-3, REV-1, REC-5, RND-1, PUB-1, PUB-2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LawKind(models.TextChoices):
    """Rank of a legal source (法律、行政法规、地方性法规、规章、规范性文件)."""

    LAW = "law", _("法律")
    ADMIN_REGULATION = "admin_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    DEPARTMENT_RULE = "department_rule", _("部门规章")
    LOCAL_RULE = "local_rule", _("地方政府规章")
    NORMATIVE = "normative", _("规范性文件")


class AmendmentKind(models.TextChoices):
    """What an amendment does to a law."""

    AMEND = "amend", _("修正")
    REVISE = "revise", _("修订")
    REPEAL = "repeal", _("废止")


class VersionStatus(models.TextChoices):
    """Life of one version of a catalog entry (PUB-2: collect, legal review, publish)."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("法制审核中")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已作废")


class CatalogKind(models.TextChoices):
    """The catalogs that go through review and publication (one code per entry model)."""

    ITEM = "item", _("执法事项")
    BENCHMARK = "benchmark", _("裁量基准")
    MAJOR_RULE = "major_rule", _("重大执法决定标准")
    INSPECTION = "inspection", _("随机抽查事项")
    AV = "av", _("音像记录事项")


class Circumstance(models.TextChoices):
    """Circumstance levels of a discretion benchmark (DIS-1), mildest first."""

    NO_PENALTY = "no_penalty", _("不予处罚")
    MITIGATED = "mitigated", _("减轻处罚")
    LIGHTER = "lighter", _("从轻处罚")
    ORDINARY = "ordinary", _("一般处罚")
    HEAVIER = "heavier", _("从重处罚")


# Order of severity: a milder level's range must lie below a harsher level's range.
CIRCUMSTANCE_RANK: dict[str, int] = {
    Circumstance.NO_PENALTY: 0,
    Circumstance.MITIGATED: 1,
    Circumstance.LIGHTER: 2,
    Circumstance.ORDINARY: 3,
    Circumstance.HEAVIER: 4,
}


class PenaltyKind(models.TextChoices):
    """Kinds of administrative penalty (《行政处罚法》第九条)."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_ACTIVITY = "restrict_activity", _("限制开展生产经营活动")
    SUSPEND_BUSINESS = "suspend_business", _("责令停产停业")
    CLOSURE = "closure", _("责令关闭")
    RESTRICT_EMPLOYMENT = "restrict_employment", _("限制从业")
    OTHER = "other", _("其他行政处罚")


class Measure(models.TextChoices):
    """How a fine's range is stated: fixed amounts, or multiples of a base amount of the case."""

    FIXED = "fixed", _("固定金额")
    GOODS_VALUE = "goods_value", _("货值金额的倍数")
    ILLEGAL_GAINS = "illegal_gains", _("违法所得的倍数")
    CONSTRUCTION_COST = "construction_cost", _("工程造价的倍数")


class BandBasis(models.TextChoices):
    """The amount that selects which range applies (e.g. goods value below 10,000 yuan)."""

    NONE = "", _("不区分")
    GOODS_VALUE = "goods_value", _("货值金额")
    ILLEGAL_GAINS = "illegal_gains", _("违法所得")
    CONSTRUCTION_COST = "construction_cost", _("工程造价")


class Criterion(models.TextChoices):
    """What a major-decision rule looks at (REV-1)."""

    ACTION_TYPE = "action_type", _("行为类型")
    FINE_AT_LEAST = "fine_at_least", _("罚款金额达到标准")
    CONFISCATION_AT_LEAST = "confiscation_at_least", _("没收金额达到标准")
    LICENCE_REVOCATION = "licence_revocation", _("吊销许可证件")
    SUSPENSION = "suspension", _("责令停产停业、责令关闭")
    HEARING_HELD = "hearing_held", _("经过听证程序")
    COMPLEX = "complex", _("案件情况疑难复杂、涉及多个法律关系")
    PUBLIC_INTEREST = "public_interest", _("涉及重大公共利益")
    SOCIAL_RISK = "social_risk", _("可能造成重大社会影响或引发社会风险")
    THIRD_PARTY_RIGHTS = "third_party_rights", _("直接关系当事人或第三人重大权益")
    SUSPECTED_CRIME = "suspected_crime", _("涉嫌犯罪需移送司法机关")
    COLLECTIVE = "collective", _("经集体讨论决定的其他情形")


AMOUNT_CRITERIA = frozenset({Criterion.FINE_AT_LEAST, Criterion.CONFISCATION_AT_LEAST})


class PartyKind(models.TextChoices):
    """Which parties an amount threshold applies to."""

    ANY = "any", _("不区分")
    INDIVIDUAL = "individual", _("公民")
    ORGANISATION = "organisation", _("法人或其他组织")


class AvRequirement(models.TextChoices):
    """How a step must be recorded on audio-video (REC-5)."""

    CONTINUOUS = "continuous", _("全程音像记录")
    APPROPRIATE = "appropriate", _("根据情况音像记录")


AV_STRENGTH: dict[str | None, int] = {None: 0, "appropriate": 1, "continuous": 2}


def strongest_av(*requirements: str | None) -> str | None:
    """The strongest AV requirement among those given (None when none is)."""
    best: str | None = None
    for requirement in requirements:
        if AV_STRENGTH[requirement] > AV_STRENGTH[best]:
            best = requirement
    return best


class FlagStatus(models.TextChoices):
    """A catalog entry flagged by a change of law (PUB-2 dynamic adjustment)."""

    OPEN = "open", _("待更新")
    UPDATED = "updated", _("已更新")
    DISMISSED = "dismissed", _("经审核无需更新")


# Chinese names of the ledger kinds this app writes (for the audit and record pages).
LEDGER_KINDS = {
    "catalog.law_created": _("新增法律法规"),
    "catalog.law_amended": _("录入法律法规修改"),
    "catalog.entry_created": _("新增目录事项"),
    "catalog.version_drafted": _("起草目录新版本"),
    "catalog.version_submitted": _("提交法制审核"),
    "catalog.version_returned": _("审核退回"),
    "catalog.version_published": _("审核通过并发布"),
    "catalog.version_discarded": _("作废草稿"),
    "catalog.flag_opened": _("法律修改待更新事项"),
    "catalog.flag_resolved": _("待更新事项已处理"),
    "catalog.benchmark_review_filed": _("裁量基准年度评估备案"),
    "catalog.imported": _("Excel导入目录"),
}
