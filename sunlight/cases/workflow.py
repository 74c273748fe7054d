"""The allowed moves of every case workflow, in one table (REC-1; DESIGN.md: named transitions, one table).

`MOVES[workflow][step]` is the set of steps that may be recorded after `step` (the last step recorded; a new case
stands at "lead"). The workflows and their step names come from `sunlight.catalog.workflows` (which draws the public
flowcharts); this table adds the procedural steps the flowcharts fold into one box (emergency start and its approval,
the hearing request and notice, the missing-materials notice, extensions, court enforcement, not opening, not
penalising, closing without action). Steps in `ANYTIME` may be recorded in any open state without moving the case.
Steps in `INTERNAL` are written only by their own service (legal review results, archiving), never from a step form.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunlight.catalog.workflows import WORKFLOWS

LEAD = "lead"

MOVES: dict[str, dict[str, frozenset[str]]] = {
    "penalty": {
        LEAD: frozenset({"initiation", "emergency_initiation", "not_opened"}),
        "emergency_initiation": frozenset({"initiation_approval"}),
        "initiation": frozenset({"investigation"}),
        "initiation_approval": frozenset({"investigation"}),
        "investigation": frozenset(
            {"investigation", "evidence_preservation", "notice", "no_penalty", "close_without_action"}
        ),
        "evidence_preservation": frozenset({"evidence_handling"}),
        "evidence_handling": frozenset({"investigation", "notice"}),
        "notice": frozenset({"statement", "hearing_request", "legal_review", "collective_discussion", "decision"}),
        "statement": frozenset({"statement", "hearing_request", "legal_review", "collective_discussion", "decision"}),
        "hearing_request": frozenset({"hearing_notice"}),
        "hearing_notice": frozenset({"hearing"}),
        "hearing": frozenset({"legal_review", "collective_discussion", "decision"}),
        "legal_review": frozenset({"legal_review", "collective_discussion", "decision", "investigation"}),
        "collective_discussion": frozenset({"legal_review", "decision"}),
        "decision": frozenset({"service"}),
        "no_penalty": frozenset({"service"}),
        "service": frozenset({"service", "execution", "court_reminder", "closure"}),
        "execution": frozenset({"execution", "court_reminder", "closure"}),
        "court_reminder": frozenset({"court_application", "execution"}),
        "court_application": frozenset({"execution", "closure"}),
        "close_without_action": frozenset({"closure"}),
        "closure": frozenset({"archiving"}),
        "archiving": frozenset(),
        "not_opened": frozenset(),
    },
    "penalty_simple": {
        LEAD: frozenset({"show_certificate"}),
        "show_certificate": frozenset({"notice"}),
        "notice": frozenset({"statement", "onsite_decision"}),
        "statement": frozenset({"statement", "onsite_decision"}),
        "onsite_decision": frozenset({"service"}),
        "service": frozenset({"filing"}),
        "filing": frozenset({"execution", "closure"}),
        "execution": frozenset({"execution", "closure"}),
        "closure": frozenset({"archiving"}),
        "archiving": frozenset(),
    },
    "coercion": {
        LEAD: frozenset({"approval", "emergency_start"}),
        "approval": frozenset({"show_certificate"}),
        "emergency_start": frozenset({"show_certificate"}),
        "show_certificate": frozenset({"notice"}),
        "notice": frozenset({"statement", "onsite_measure"}),
        "statement": frozenset({"onsite_measure"}),
        "onsite_measure": frozenset({"service", "post_approval"}),
        "service": frozenset({"post_approval", "extension", "handling"}),
        "post_approval": frozenset({"service", "extension", "handling"}),
        "extension": frozenset({"handling"}),
        "handling": frozenset({"closure"}),
        "closure": frozenset({"archiving"}),
        "archiving": frozenset(),
    },
    "inspection": {
        LEAD: frozenset({"plan"}),
        "plan": frozenset({"show_certificate"}),
        "show_certificate": frozenset({"onsite_inspection"}),
        "onsite_inspection": frozenset({"onsite_inspection", "result"}),
        "result": frozenset({"follow_up", "publication", "closure"}),
        "follow_up": frozenset({"publication", "closure"}),
        "publication": frozenset({"closure"}),
        "closure": frozenset({"archiving"}),
        "archiving": frozenset(),
    },
    "licence": {
        LEAD: frozenset({"application"}),
        "application": frozenset({"missing_materials_notice", "acceptance", "rejection"}),
        "missing_materials_notice": frozenset({"supplement"}),
        "supplement": frozenset({"acceptance", "rejection"}),
        "acceptance": frozenset({"examination"}),
        "examination": frozenset({"site_check", "hearing", "legal_review", "decision"}),
        "site_check": frozenset({"hearing", "legal_review", "decision"}),
        "hearing": frozenset({"legal_review", "decision"}),
        "legal_review": frozenset({"legal_review", "decision", "examination"}),
        "decision": frozenset({"issue", "service"}),
        "issue": frozenset({"closure"}),
        "service": frozenset({"closure"}),
        "rejection": frozenset({"closure"}),
        "closure": frozenset({"archiving"}),
        "archiving": frozenset(),
    },
}

# Recorded in any open state without changing the step reached (extensions, notes of recusal, supplementary records).
ANYTIME: dict[str, frozenset[str]] = {
    "penalty": frozenset({"extension", "note"}),
    "penalty_simple": frozenset({"note"}),
    "coercion": frozenset({"note"}),
    "inspection": frozenset({"note"}),
    "licence": frozenset({"extension", "note"}),
}

INTERNAL = frozenset({"legal_review", "archiving"})

# Names of the procedural steps that the catalog's flowcharts fold into one box.
EXTRA_NAMES: dict[str, str | Promise] = {
    LEAD: _("案件线索"),
    "emergency_initiation": _("紧急情况先行调查"),
    "initiation_approval": _("补办立案审批"),
    "not_opened": _("不予立案"),
    "evidence_handling": _("先行登记保存证据的处理"),
    "hearing_request": _("听证申请"),
    "hearing_notice": _("听证通知"),
    "no_penalty": _("不予行政处罚决定"),
    "close_without_action": _("撤销案件（终止调查）"),
    "court_reminder": _("催告"),
    "court_application": _("申请人民法院强制执行"),
    "extension": _("延长期限"),
    "note": _("补充记录"),
    "emergency_start": _("情况紧急当场实施"),
    "post_approval": _("补办批准手续"),
    "missing_materials_notice": _("一次性告知补正材料"),
    "supplement": _("申请人补正材料"),
    "rejection": _("不予受理"),
    "acceptance": _("受理"),
    "closure": _("结案"),
}


def _linear(code: str) -> dict[str, frozenset[str]]:
    """Moves for a workflow without its own table: each step leads to the next steps up to the first required one."""
    steps = [s for s in WORKFLOWS[code].steps if s.code not in INTERNAL or s.code == "archiving"]
    moves: dict[str, frozenset[str]] = {}
    previous = [LEAD]
    for index, _step in enumerate(steps):
        following: set[str] = set()
        for later in steps[index:]:
            following.add(later.code)
            if not later.optional:
                break
        for before in previous:
            moves[before] = frozenset(following)
        previous = [steps[index].code]
    moves[steps[-1].code] = frozenset()
    return moves


for _code in WORKFLOWS:
    if _code not in MOVES:
        MOVES[_code] = _linear(_code)
        ANYTIME[_code] = frozenset({"note"})


def allowed_next(workflow: str, step: str) -> frozenset[str]:
    """What may be recorded after `step` in `workflow` (moves plus the anytime steps)."""
    return MOVES.get(workflow, {}).get(step, frozenset()) | ANYTIME.get(workflow, frozenset())


def step_name(workflow: str, step: str) -> str:
    """The Chinese name of a step (the catalog's name for the workflow's own steps)."""
    found = WORKFLOWS[workflow].step(step) if workflow in WORKFLOWS else None
    if found is not None and step not in {"closure", "acceptance"}:
        return str(found.name)
    return str(EXTRA_NAMES.get(step, step))


def terminal(workflow: str, step: str) -> bool:
    """True when nothing may follow `step`."""
    return not MOVES.get(workflow, {}).get(step)
