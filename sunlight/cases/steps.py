"""What each step needs before it can be recorded, and which clocks it starts and stops (REC-2, REC-5, REC-7, REC-8,
REC-16, DIS-2; DOMAIN-RULES.md).

A `StepSpec` says whether the step is field work (REC-2: at least two officers who may act, place, certificates
shown), whether it faces the party (party present, rights notified, signature or the recorded refusal), who must
approve it, which data fields it requires, and the deadlines it opens and completes. The checks that need the case's
history live in `checks.py`; `services.case_step_record` applies both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunlight.catalog.choices import PenaltyKind
from sunlight.org.choices import Role

Text = str | Promise

HEADS = frozenset({Role.UNIT_HEAD.value, Role.AGENCY_HEAD.value})
AGENCY_HEAD = frozenset({Role.AGENCY_HEAD.value})


@dataclass(frozen=True)
class Opens:
    """A deadline the step starts: the rule, and what starts it ("occurred": the step's time)."""

    rule: str
    start_event: str


@dataclass(frozen=True)
class StepSpec:
    """The requirements of one step."""

    field_work: bool = False
    party_facing: bool = False
    approval: frozenset[str] = frozenset()
    required: tuple[tuple[str, Text], ...] = ()
    reasons: bool = False
    opens: tuple[Opens, ...] = ()
    completes: tuple[str, ...] = ()
    rights: bool = False


REASONS = ("reasons", _("理由"))

# Keyed by step code; a workflow-specific spec is keyed "workflow:step" and wins over the generic one.
SPECS: dict[str, StepSpec] = {
    # --- penalty, general procedure ---
    "initiation": StepSpec(
        approval=HEADS,
        required=(("facts", _("违法事实摘要")),),
        opens=(Opens("penalty.case", "case initiation approved"),),
    ),
    "emergency_initiation": StepSpec(
        field_work=True,
        required=(("facts", _("违法事实摘要")), REASONS),
        opens=(Opens("penalty.emergency_initiation_approval", "emergency start"),),
    ),
    "initiation_approval": StepSpec(
        approval=HEADS,
        completes=("penalty.emergency_initiation_approval",),
        opens=(Opens("penalty.case", "case initiation approved (emergency start)"),),
    ),
    "not_opened": StepSpec(approval=HEADS, reasons=True),
    "investigation": StepSpec(field_work=True, party_facing=True),
    "evidence_preservation": StepSpec(
        field_work=True,
        party_facing=True,
        approval=HEADS,
        required=(("items", _("登记保存的物品")),),
        opens=(Opens("penalty.evidence_preservation", "evidence registered for preservation"),),
    ),
    "evidence_handling": StepSpec(
        approval=HEADS,
        required=(("handling", _("处理决定")),),
        completes=("penalty.evidence_preservation",),
    ),
    "notice": StepSpec(
        party_facing=True,
        rights=True,
        required=(("proposed", _("拟作出的处罚")),),
        opens=(Opens("penalty.hearing_request", "notice of facts and rights served"),),
    ),
    "statement": StepSpec(party_facing=True, required=(("statement", _("陈述、申辩内容")),)),
    "hearing_request": StepSpec(completes=("penalty.hearing_request",)),
    "hearing_notice": StepSpec(required=(("hearing_at", _("听证时间")),)),
    "hearing": StepSpec(field_work=True, party_facing=True, required=(("host", _("听证主持人")),)),
    "collective_discussion": StepSpec(
        approval=AGENCY_HEAD, required=(("participants", _("参加人员")), ("conclusion", _("讨论结论")))
    ),
    "decision": StepSpec(
        approval=HEADS,
        required=(("facts", _("违法事实")), ("basis", _("处罚依据")), ("kinds", _("处罚种类"))),
        completes=("penalty.case",),
        opens=(Opens("penalty.service_absent", "decision date"),),
    ),
    "no_penalty": StepSpec(
        approval=HEADS,
        reasons=True,
        required=(("basis", _("法律依据")),),
        completes=("penalty.case",),
    ),
    "close_without_action": StepSpec(approval=HEADS, reasons=True, completes=("penalty.case",)),
    "service": StepSpec(required=(("document", _("送达文书")), ("recipient", _("受送达人")))),
    "execution": StepSpec(required=(("paid_fen", _("缴纳金额（分）")),)),
    "court_reminder": StepSpec(
        party_facing=False,
        required=(("reminder", _("催告内容")),),
        opens=(Opens("coercion.court_reminder", "reminder served"),),
    ),
    "court_application": StepSpec(
        approval=HEADS,
        required=(("court", _("受理法院")),),
        completes=("coercion.court_reminder",),
    ),
    "extension": StepSpec(approval=AGENCY_HEAD, reasons=True, required=(("amount", _("延长期限")),)),
    "note": StepSpec(required=()),
    "closure": StepSpec(approval=HEADS, required=(("summary", _("结案情况")),), opens=()),
    # --- simple procedure ---
    "show_certificate": StepSpec(field_work=True, party_facing=True),
    "penalty_simple:notice": StepSpec(field_work=True, party_facing=True, rights=True),
    "onsite_decision": StepSpec(
        field_work=True,
        party_facing=True,
        rights=True,
        required=(("facts", _("违法事实")), ("basis", _("处罚依据")), ("kinds", _("处罚种类"))),
    ),
    "filing": StepSpec(required=()),
    # --- coercive measures ---
    "approval": StepSpec(approval=HEADS, required=(("measure", _("拟采取的强制措施")),)),
    "emergency_start": StepSpec(
        field_work=True,
        reasons=True,
        opens=(Opens("coercion.on_the_spot_approval", "measure started on the spot"),),
    ),
    "coercion:notice": StepSpec(field_work=True, party_facing=True, rights=True),
    "coercion:statement": StepSpec(field_work=True, party_facing=True, required=(("statement", _("陈述、申辩内容")),)),
    "onsite_measure": StepSpec(
        field_work=True,
        party_facing=True,
        required=(("measure", _("强制措施")), ("items", _("查封、扣押的场所、设施或者财物清单"))),
        opens=(Opens("coercion.seizure", "sealing or seizure"),),
    ),
    "post_approval": StepSpec(
        approval=HEADS,
        required=(("approved", _("是否批准")),),
        completes=("coercion.on_the_spot_approval",),
    ),
    "handling": StepSpec(required=(("handling", _("处理结果")),), completes=("coercion.seizure",)),
    # --- inspection ---
    "plan": StepSpec(required=(("plan", _("检查计划")),)),
    "onsite_inspection": StepSpec(field_work=True, party_facing=True, required=(("findings", _("检查情况")),)),
    "result": StepSpec(required=(("conclusion", _("检查结论")),)),
    "follow_up": StepSpec(required=(("follow_up", _("后续处理")),)),
    "publication": StepSpec(required=()),
    # --- licence ---
    "application": StepSpec(
        required=(("materials", _("申请材料")),),
        opens=(Opens("licence.missing_materials", "application received"),),
    ),
    "missing_materials_notice": StepSpec(
        required=(("missing", _("需要补正的全部内容")),), completes=("licence.missing_materials",)
    ),
    "supplement": StepSpec(required=(("materials", _("补正材料")),)),
    "acceptance": StepSpec(completes=("licence.missing_materials",), opens=(Opens("licence.decision", "accepted"),)),
    "rejection": StepSpec(approval=HEADS, reasons=True, completes=("licence.missing_materials",)),
    "examination": StepSpec(required=(("opinion", _("审查意见")),)),
    "site_check": StepSpec(field_work=True, party_facing=True, required=(("findings", _("核查情况")),)),
    "licence:hearing": StepSpec(required=(("host", _("听证主持人")),)),
    "licence:decision": StepSpec(
        approval=HEADS,
        required=(("granted", _("是否准予许可")), ("basis", _("依据"))),
        completes=("licence.decision",),
    ),
    "issue": StepSpec(required=(("licence_number", _("许可证件编号")),), completes=("licence.issue",)),
    "licence:service": StepSpec(required=(("document", _("送达文书")), ("recipient", _("受送达人")))),
    # --- internal ---
    "legal_review": StepSpec(required=(("outcome", _("审核意见")),)),
    "archiving": StepSpec(completes=("records.archiving",)),
}

DEFAULT = StepSpec()


def spec_for(workflow: str, step: str) -> StepSpec:
    """The spec of a step in a workflow (a workflow-specific entry first)."""
    return SPECS.get(f"{workflow}:{step}") or SPECS.get(step) or DEFAULT


# Rights notified at the notice steps (REC-2, PUB-3).
RIGHTS = {
    "statement": _("陈述权"),
    "defence": _("申辩权"),
    "hearing": _("要求听证的权利"),
    "reconsideration": _("申请行政复议的权利"),
    "litigation": _("提起行政诉讼的权利"),
    "recusal": _("申请回避的权利"),
}

# Service modes and the fields each needs (REC-7).
SERVICE_FIELDS: dict[str, tuple[tuple[str, Text], ...]] = {
    "direct": (("received_at", _("签收时间")),),
    "lodged": (("witness", _("见证人")), ("refusal", _("拒收情况"))),
    "mail": (("tracking_number", _("邮寄单号")), ("mailed_at", _("交寄时间"))),
    "entrusted": (("entrusted_to", _("受委托或转交机关")),),
    "electronic": (("address", _("电子送达地址")), ("consent", _("当事人签署的电子送达确认书"))),
    "public_notice": (("notice_place", _("公告张贴或刊登地点")), ("posted_at", _("公告时间"))),
}

# Kinds of penalty (行政处罚法 §9): the catalog's list, for the decision forms.
PENALTY_KINDS = dict(PenaltyKind.choices)

# On-the-spot penalties (行政处罚法 §51): up to 200 yuan for a person, 3,000 yuan for an organisation, or a warning.
SIMPLE_LIMIT_FEN = {"individual": 20_000, "organisation": 300_000}
SIMPLE_KINDS = frozenset({"warning", "fine"})

# Extension limits per workflow: (rule, most per extension in the rule's unit).
EXTENSIONS = {
    "penalty": ("penalty.case", 30),
    "licence": ("licence.decision", 10),
    "coercion": ("coercion.seizure", 30),
}

SURCHARGE_PER_DAY = 3  # percent of the fine a day, capped at the fine (行政处罚法 §72)
