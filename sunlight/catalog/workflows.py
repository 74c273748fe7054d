"""The step lists of every enforcement procedure, in one place (REC-1, PUB-1 flowcharts, REC-5 AV floor).

This module is the source of truth for case workflows: the flowcharts on the workbench and the portal are drawn from
it (`sunlight.catalog.flowchart`), the AV item list names its steps, and the case app (a later issue) imports it to
decide which steps a case goes through. Nothing here touches the database.

A step's `code` is stable (it is stored in AV items and, later, in case records). A step with `condition` is taken only
when the condition holds (drawn dashed). `av_floor` is the recording that the law requires whatever an agency's AV
list says (REC-5: coercive measures and lodged service on continuous video); an agency's list may only add to it.
`deadline` names a rule in `sunlight.core.deadlines.RULES` whose clock the step starts or must meet.
`variants` are the modes of a step (service by direct delivery, lodging, mail...): an AV item may name a variant as
`step.variant` (e.g. `service.lodged`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import ActionType

from .choices import AvRequirement

Text = str | Promise  # plain or lazily translated text


@dataclass(frozen=True)
class Variant:
    """One mode of a step."""

    code: str
    name: Text
    av_floor: str | None = None


@dataclass(frozen=True)
class Step:
    """One step of a procedure."""

    code: str
    name: Text
    condition: Text = ""
    deadline: str | None = None
    deadline_note: Text = ""
    av_floor: str | None = None
    variants: tuple[Variant, ...] = ()

    @property
    def optional(self) -> bool:
        """True when the step is taken only under its condition."""
        return bool(self.condition)


@dataclass(frozen=True)
class Workflow:
    """A procedure: its code, the action type it belongs to, and its steps in order."""

    code: str
    action_type: str
    name: Text
    steps: tuple[Step, ...]
    basis: Text = ""
    notes: tuple[Text, ...] = field(default=())

    def step(self, code: str) -> Step | None:
        """The step with this code (a `step.variant` code finds its step), or None."""
        base = code.split(".", 1)[0]
        return next((s for s in self.steps if s.code == base), None)


CONTINUOUS = AvRequirement.CONTINUOUS.value
APPROPRIATE = AvRequirement.APPROPRIATE.value

SERVICE_VARIANTS = (
    Variant("direct", _("直接送达")),
    Variant("lodged", _("留置送达"), av_floor=CONTINUOUS),
    Variant("mail", _("邮寄送达")),
    Variant("entrusted", _("委托、转交送达")),
    Variant("electronic", _("电子送达")),
    Variant("public_notice", _("公告送达")),
)


def _service(deadline: str | None = None, note: Text = "") -> Step:
    return Step("service", _("送达"), deadline=deadline, deadline_note=note, variants=SERVICE_VARIANTS)


LEGAL_REVIEW = Step(
    "legal_review",
    _("法制审核"),
    condition=_("属于重大执法决定"),
    deadline="review.legal_review",
    deadline_note=_("收到齐全材料后3个工作日"),
)
ARCHIVING = Step("archiving", _("立卷归档"), deadline="records.archiving", deadline_note=_("结案后30日内"))

WORKFLOWS: dict[str, Workflow] = {
    wf.code: wf
    for wf in (
        Workflow(
            "penalty",
            ActionType.PENALTY,
            _("行政处罚（普通程序）"),
            (
                Step("initiation", _("立案"), deadline="penalty.case", deadline_note=_("立案之日起90日内作出决定")),
                Step("investigation", _("调查取证"), av_floor=None),
                Step(
                    "evidence_preservation",
                    _("先行登记保存证据"),
                    condition=_("证据可能灭失或以后难以取得"),
                    deadline="penalty.evidence_preservation",
                    deadline_note=_("7个工作日内作出处理决定"),
                ),
                Step("notice", _("告知拟作出的处罚及陈述、申辩、听证权利")),
                Step("statement", _("陈述、申辩"), condition=_("当事人提出陈述、申辩")),
                Step(
                    "hearing",
                    _("听证"),
                    condition=_("当事人申请听证"),
                    deadline="penalty.hearing_request",
                    deadline_note=_("告知后5个工作日内申请；听证7个工作日前通知"),
                ),
                LEGAL_REVIEW,
                Step("collective_discussion", _("集体讨论"), condition=_("情节复杂或者重大违法行为给予行政处罚")),
                Step("decision", _("作出处罚决定")),
                _service(deadline="penalty.service_absent", note=_("当事人不在场的，7个工作日内送达")),
                Step(
                    "execution",
                    _("执行"),
                    deadline="penalty.fine_payment",
                    deadline_note=_("收到决定书之日起15日内缴纳罚款"),
                ),
                Step("closure", _("结案")),
                ARCHIVING,
            ),
            basis=_("《中华人民共和国行政处罚法》第五章第三节"),
        ),
        Workflow(
            "penalty_simple",
            ActionType.PENALTY,
            _("行政处罚（简易程序）"),
            (
                Step("show_certificate", _("出示执法证件"), av_floor=APPROPRIATE),
                Step("notice", _("告知违法事实、处罚理由和依据及陈述、申辩权利")),
                Step("statement", _("听取陈述、申辩"), condition=_("当事人提出陈述、申辩")),
                Step("onsite_decision", _("当场作出处罚决定"), av_floor=APPROPRIATE),
                _service(),
                Step("filing", _("报所属行政机关备案")),
                Step("execution", _("执行")),
                ARCHIVING,
            ),
            basis=_("《中华人民共和国行政处罚法》第五十一条、第五十二条"),
            notes=(
                _(
                    "适用于违法事实确凿并有法定依据，对公民处200元以下、对法人或其他组织处3000元以下罚款或者警告的情形。"
                ),
            ),
        ),
        Workflow(
            "licence",
            ActionType.LICENCE,
            _("行政许可"),
            (
                Step("application", _("申请")),
                Step(
                    "acceptance",
                    _("受理（一次性告知补正材料）"),
                    deadline="licence.missing_materials",
                    deadline_note=_("材料不齐的，当场或5个工作日内一次性告知"),
                ),
                Step("examination", _("审查")),
                Step("site_check", _("现场核查"), condition=_("需要对实质内容进行核实"), av_floor=APPROPRIATE),
                Step("hearing", _("听证"), condition=_("依法需要听证或申请人、利害关系人申请")),
                LEGAL_REVIEW,
                Step(
                    "decision",
                    _("作出许可决定"),
                    deadline="licence.decision",
                    deadline_note=_("受理之日起20个工作日内"),
                ),
                Step(
                    "issue",
                    _("颁发、送达许可证件"),
                    deadline="licence.issue",
                    deadline_note=_("决定之日起10个工作日内"),
                ),
                ARCHIVING,
            ),
            basis=_("《中华人民共和国行政许可法》第四章"),
        ),
        Workflow(
            "coercion",
            ActionType.COERCION,
            _("行政强制措施"),
            (
                Step(
                    "approval",
                    _("报经行政机关负责人批准"),
                    deadline="coercion.on_the_spot_approval",
                    deadline_note=_("情况紧急当场实施的，24小时内补办批准手续"),
                ),
                Step("show_certificate", _("出示执法证件、通知当事人到场"), av_floor=CONTINUOUS),
                Step("notice", _("告知理由、依据及当事人依法享有的权利、救济途径"), av_floor=CONTINUOUS),
                Step("statement", _("听取陈述和申辩"), av_floor=CONTINUOUS),
                Step("onsite_measure", _("实施查封、扣押等强制措施并制作现场笔录"), av_floor=CONTINUOUS),
                _service(deadline="coercion.seizure", note=_("查封、扣押期限不超过30日，延长不超过30日")),
                Step("handling", _("解除强制措施或依法处理")),
                Step("closure", _("结案")),
                ARCHIVING,
            ),
            basis=_("《中华人民共和国行政强制法》第十八条至第二十八条"),
        ),
        Workflow(
            "inspection",
            ActionType.INSPECTION,
            _("行政检查"),
            (
                Step("plan", _("制定检查计划（双随机抽取）")),
                Step("show_certificate", _("出示执法证件"), av_floor=APPROPRIATE),
                Step("onsite_inspection", _("实施检查并制作检查记录"), av_floor=APPROPRIATE),
                Step("result", _("形成检查结果")),
                Step("follow_up", _("发现违法行为的依法处理"), condition=_("检查发现违法行为")),
                Step(
                    "publication",
                    _("检查结果公示"),
                    deadline="publicity.other_decision",
                    deadline_note=_("20个工作日内"),
                ),
                ARCHIVING,
            ),
            basis=_("《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》"),
        ),
        Workflow(
            "confirmation",
            ActionType.CONFIRMATION,
            _("行政确认"),
            (
                Step("application", _("申请")),
                Step("acceptance", _("受理")),
                Step("examination", _("审查")),
                Step("decision", _("作出确认决定")),
                _service(),
                ARCHIVING,
            ),
        ),
        Workflow(
            "expropriation",
            ActionType.EXPROPRIATION,
            _("行政征收征用"),
            (
                Step("initiation", _("启动")),
                Step("investigation", _("调查、评估"), av_floor=APPROPRIATE),
                Step("notice", _("告知、公告")),
                Step("hearing", _("听证"), condition=_("依法需要听证或当事人申请")),
                LEGAL_REVIEW,
                Step("decision", _("作出决定")),
                _service(),
                Step("execution", _("执行、补偿"), av_floor=CONTINUOUS),
                ARCHIVING,
            ),
        ),
        Workflow(
            "other",
            ActionType.OTHER,
            _("其他行政执法行为"),
            (
                Step("initiation", _("启动")),
                Step("handling", _("办理")),
                LEGAL_REVIEW,
                Step("decision", _("作出决定")),
                _service(),
                ARCHIVING,
            ),
        ),
    )
}


def workflows_for(action_type: str) -> list[Workflow]:
    """The procedures of an action type (penalty has the general and the simple procedure)."""
    return [wf for wf in WORKFLOWS.values() if wf.action_type == action_type]


def step_choices(action_type: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of every step and step variant, for forms and import validation; deduplicated by code."""
    seen: dict[str, str] = {}
    for wf in WORKFLOWS.values():
        if action_type and wf.action_type != action_type:
            continue
        for step in wf.steps:
            seen.setdefault(step.code, str(step.name))
            for variant in step.variants:
                seen.setdefault(f"{step.code}.{variant.code}", f"{step.name}（{variant.name}）")
    return list(seen.items())


def is_known_step(action_type: str, step: str) -> bool:
    """True when `step` (or `step.variant`) is a step of one of the action type's procedures."""
    return step in dict(step_choices(action_type))


def av_floor(action_type: str, step: str) -> str | None:
    """The recording the law requires for a step whatever the agency's list says (the strongest over procedures)."""
    from .choices import AV_STRENGTH

    best: str | None = None
    base, _sep, variant_code = step.partition(".")
    for wf in workflows_for(action_type):
        found = wf.step(base)
        if found is None:
            continue
        candidates = [found.av_floor]
        if variant_code:
            candidates += [v.av_floor for v in found.variants if v.code == variant_code]
        for candidate in candidates:
            if AV_STRENGTH[candidate] > AV_STRENGTH[best]:
                best = candidate
    return best
