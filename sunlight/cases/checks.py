"""The checks a step needs from the case's history (REC-2, REC-5, REC-7, REC-8, REC-16, DIS-2, DIS-4, REV-2).

Each check returns `FieldError`s in Chinese and changes nothing; `services.case_step_record` runs them all, and
refuses the step with every reason at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.catalog.models import Benchmark
from sunlight.catalog.rules import CaseFacts, ProposedPenalty
from sunlight.catalog.selectors import av_requirement, benchmark_check, major_rules_met
from sunlight.core.calendar import Period, WorkCalendar, due_at
from sunlight.core.choices import Unit
from sunlight.core.errors import FieldError
from sunlight.core.models import Deadline, DeadlineStatus
from sunlight.registry.selectors import acting_pair_check

from .choices import PartyKind
from .models import Case, CaseRecord, ConflictDeclaration
from .steps import (
    EXTENSIONS,
    RIGHTS,
    SERVICE_FIELDS,
    SIMPLE_KINDS,
    SIMPLE_LIMIT_FEN,
    SURCHARGE_PER_DAY,
    StepSpec,
)


@dataclass
class StepInput:
    """What a user (or another system) gives for a step."""

    occurred_at: datetime
    place: str = ""
    officers: list[Any] = field(default_factory=list)
    certificates_shown: bool = False
    party_present: bool = False
    rights_notified: list[str] = field(default_factory=list)
    rights_how: str = ""
    content: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    party_signed: bool = False
    refusal_note: str = ""
    variant: str = ""
    av_records: list[Any] = field(default_factory=list)


def local_day(moment: datetime) -> Any:
    """The Asia/Shanghai date of a moment."""
    return timezone.localtime(moment).date()


def blank(value: Any) -> bool:
    """True for a missing value (None, empty or whitespace text, empty list); False and 0 are values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return False


def running(case: Case, rule: str) -> Deadline | None:
    """The case's running (open or paused) deadline under `rule`."""
    return (
        Deadline.objects.filter(
            subject_type="case",
            subject_id=str(case.public_id),
            rule__code=rule,
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
        )
        .order_by("-id")
        .first()
    )


def last_deadline(case: Case, rule: str) -> Deadline | None:
    """The case's latest deadline under `rule`, whatever its status."""
    return (
        Deadline.objects.filter(subject_type="case", subject_id=str(case.public_id), rule__code=rule)
        .order_by("-id")
        .first()
    )


def records_of(case: Case, step: str) -> list[CaseRecord]:
    """The case's records of a step, oldest first."""
    return list(case.records.filter(step=step).order_by("seq"))


def as_int(value: Any) -> int | None:
    """An integer from a form or JSON value, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


# --- generic checks ---------------------------------------------------------------------------------------------


def basic_errors(*, case: Case, step: str, spec: StepSpec, given: StepInput, now: datetime) -> list[FieldError]:
    """Time, required data, reasons, party-facing and rights checks."""
    errors: list[FieldError] = []
    if given.occurred_at > now + timedelta(minutes=10):
        errors.append(FieldError("occurred_at", "future", _("记录时间不能晚于当前时间。")))
    if case.created_at and given.occurred_at < case.created_at - timedelta(days=366):
        errors.append(FieldError("occurred_at", "too_early", _("记录时间早于案件登记时间一年以上，请核对。")))
    for key, label in spec.required:
        if blank(given.data.get(key)):
            errors.append(FieldError(key, "required", _("请填写“%(label)s”。") % {"label": label}))
    if spec.reasons and blank(given.data.get("reasons")):
        errors.append(FieldError("reasons", "required", _("请写明理由。")))
    if spec.field_work and blank(given.place):
        errors.append(FieldError("place", "required", _("请填写执法地点。")))
    if spec.field_work and not given.certificates_shown:
        errors.append(
            FieldError(
                "certificates_shown", "required", _("执法人员应当主动出示执法证件（《行政处罚法》第五十五条）。")
            )
        )
    if spec.party_facing and given.party_present and not given.party_signed and blank(given.refusal_note):
        errors.append(
            FieldError(
                "party_signed", "signature", _("当事人在场的，应当由当事人签名；拒绝签名的，请记录拒签情况和见证人。")
            )
        )
    if spec.rights:
        unknown = [r for r in given.rights_notified if r not in RIGHTS]
        if not given.rights_notified or unknown:
            errors.append(FieldError("rights_notified", "required", _("请选择已告知当事人的权利。")))
        if blank(given.rights_how):
            errors.append(FieldError("rights_how", "required", _("请填写权利告知方式（口头、书面等）。")))
    return errors


def officer_errors(
    *, case: Case, spec: StepSpec, given: StepInput, certificates: dict[int, str] | None = None
) -> list[FieldError]:
    """REC-2, DIS-4: at least two officers who may act on the item in the region on the day, none of them recused.
    The certificate each officer acts under is put in `certificates` (user pk → number) for the record."""
    errors: list[FieldError] = []
    if not spec.field_work:
        return errors
    conflicted = conflicted_officer_ids(case)
    for user in given.officers:
        if user.pk in conflicted:
            errors.append(
                FieldError(
                    "officers",
                    "recused",
                    _("%(name)s 已申报回避或已决定回避，不能参与本案执法。")
                    % {"name": user.full_name or user.username},
                )
            )
    check = acting_pair_check(
        users=given.officers, item=case.item, region_code=case.region_code, on=local_day(given.occurred_at)
    )
    errors.extend(FieldError("officers", "not_eligible", str(reason)) for reason in check.reasons)
    if certificates is not None:
        for user, eligibility in check.results:
            certificates[user.pk] = getattr(eligibility.certificate, "number", "") if eligibility.certificate else ""
    return errors


def conflicted_officer_ids(case: Case) -> set[int]:
    """Officers with a declared conflict not (yet) decided against recusal (DIS-4)."""
    out: set[int] = set()
    for declaration in ConflictDeclaration.objects.filter(case=case).select_related("decision"):
        decision = getattr(declaration, "decision", None)
        if decision is None or decision.outcome == "recused":
            out.add(declaration.officer_id)
    return out


def approval_errors(*, case: Case, spec: StepSpec, acting_user: Any) -> list[FieldError]:
    """Steps that need a head's approval are recorded by a head of the case's agency."""
    if not spec.approval:
        return []
    if acting_user.agency_id == case.agency_id and any(acting_user.has_role(r) for r in spec.approval):
        return []
    return [FieldError("acting_user", "approval", _("该环节须由本机关负责人（或承办机构负责人）审批。"))]


def av_errors(*, case: Case, step: str, given: StepInput) -> list[FieldError]:
    """REC-5: a step the AV list (or the law) marks continuous needs a linked AV record, in this agency, covering the
    step's time, with every interruption explained."""
    code = f"{step}.{given.variant}" if given.variant else step
    need = av_requirement(agency=case.agency, action_type=case.action_type, step=code, on=local_day(given.occurred_at))
    errors: list[FieldError] = []
    for record in given.av_records:
        if record.agency_id != case.agency_id:
            errors.append(
                FieldError("av_records", "other_agency", _("音像记录“%(t)s”不属于本机关。") % {"t": record.title})
            )
        for gap in record.interruptions.all():
            if blank(getattr(gap, "reason", "")):
                errors.append(FieldError("av_records", "interruption", _("音像记录中断未说明理由。")))
    if need == "continuous" and not given.av_records:
        errors.append(
            FieldError(
                "av_records",
                "av_required",
                _("该环节须全程音像记录，请先关联音像记录后再提交（REC-5）。"),
            )
        )
    return errors


# --- step-specific checks ---------------------------------------------------------------------------------------


def decision_errors(*, case: Case, given: StepInput) -> tuple[list[FieldError], dict[str, Any]]:
    """DIS-2 benchmark, REV-2 gate, notice before decision, hearing window. Returns errors and facts to record."""
    errors: list[FieldError] = []
    facts: dict[str, Any] = {}
    data = given.data
    kinds = list(data.get("kinds") or [])
    fine = as_int(data.get("fine_fen")) or 0
    if "fine" in kinds and fine <= 0:
        errors.append(FieldError("fine_fen", "required", _("处罚种类含罚款的，请填写罚款金额。")))
    if not records_of(case, "notice"):
        errors.append(
            FieldError(
                "step", "notice_missing", _("作出处罚决定前，应当告知当事人拟作出的处罚及其权利（第四十四条）。")
            )
        )
    window = running(case, "penalty.hearing_request")
    waived = any(r.data.get("waived_hearing") for r in records_of(case, "statement"))
    if window is not None and window.due_at and given.occurred_at < window.due_at and not waived:
        errors.append(
            FieldError(
                "step",
                "hearing_window",
                _("听证申请期限（告知后5个工作日）尚未届满，当事人也未放弃听证，不能作出决定。"),
            )
        )
    if records_of(case, "hearing_request") and not records_of(case, "hearing"):
        errors.append(FieldError("step", "hearing_pending", _("当事人已申请听证，听证结束前不能作出决定。")))
    benchmark_errors, facts["benchmark"] = _benchmark(
        case=case, data=data, fine=fine, kinds=kinds, on=given.occurred_at
    )
    errors.extend(benchmark_errors)
    reasons = classify(case, fine_fen=fine, kinds=kinds, extra=data, on=given.occurred_at)
    facts["major_reasons"] = reasons
    if reasons and not review_passed(case):
        errors.append(
            FieldError(
                "step",
                "review_required",
                _("本案属于重大执法决定（%(why)s），未经法制审核或审核未通过，不得作出决定（REV-2）。")
                % {"why": "；".join(r["title"] for r in reasons)},
            )
        )
    return errors, facts


def _benchmark(
    *, case: Case, data: dict[str, Any], fine: int, kinds: list[str], on: datetime
) -> tuple[list[FieldError], dict[str, Any] | None]:
    """DIS-2: check against the benchmark chosen; outside it, written reasons are required."""
    chosen = data.get("benchmark")
    if blank(chosen):
        return [], None
    benchmark = Benchmark.objects.filter(public_id=str(chosen), agency=case.agency).first()
    if benchmark is None:
        return [FieldError("benchmark", "unknown", _("裁量基准不存在或不属于本机关。"))], None
    proposal = ProposedPenalty(
        kinds=tuple(kinds),
        fine_fen=fine,
        goods_value_fen=as_int(data.get("goods_value_fen")),
        illegal_gains_fen=as_int(data.get("illegal_gains_fen")),
    )
    result = benchmark_check(
        benchmark=benchmark, circumstance=str(data.get("circumstance") or ""), proposal=proposal, on=local_day(on)
    )
    facts = {
        "benchmark": str(benchmark.public_id),
        "version": result.version,
        "within": result.within,
        "problems": [str(p) for p in result.problems],
        "allowed": [str(a) for a in result.allowed],
    }
    if not result.within and blank(data.get("discretion_reasons")):
        message = _("拟作出的处罚超出裁量基准（%(p)s），须书面说明理由（DIS-2）。") % {
            "p": "；".join(str(p) for p in result.problems)
        }
        return [FieldError("discretion_reasons", "outside_benchmark", message)], facts
    return [], facts


def classify(
    case: Case, *, fine_fen: int, kinds: list[str], extra: dict[str, Any], on: datetime
) -> list[dict[str, Any]]:
    """REV-1: the major-decision rules the case meets, with reasons in words (empty: not major)."""
    facts = CaseFacts(
        action_type=case.action_type,
        fine_fen=fine_fen,
        confiscation_fen=as_int(extra.get("confiscation_fen")) or 0,
        revokes_licence="revoke_licence" in kinds,
        suspension=bool({"suspend_business", "closure"} & set(kinds)),
        hearing_held=case.records.filter(step="hearing").exists(),
        complex=bool(extra.get("complex")),
        public_interest=bool(extra.get("public_interest")),
        social_risk=bool(extra.get("social_risk")),
        third_party_rights=bool(extra.get("third_party_rights")),
        suspected_crime=bool(extra.get("suspected_crime")),
        party="individual" if case.party_kind == PartyKind.INDIVIDUAL else "organisation",
    )
    return [
        {"rule": r.rule_code, "title": str(r.rule_title), "reason": str(getattr(r, "reason", ""))}
        for r in major_rules_met(agency=case.agency, facts=facts, on=local_day(on))
    ]


def review_passed(case: Case) -> bool:
    """REV-2: the latest legal-review result of the case is an approval (written by the review service)."""
    latest = case.records.filter(step="legal_review").order_by("-seq").first()
    return latest is not None and latest.data.get("outcome") == "approve"


def simple_errors(*, case: Case, given: StepInput) -> list[FieldError]:
    """行政处罚法 §51: on the spot only a warning or a fine up to 200 / 3,000 yuan."""
    kinds = set(given.data.get("kinds") or [])
    fine = as_int(given.data.get("fine_fen")) or 0
    errors: list[FieldError] = []
    if kinds - SIMPLE_KINDS:
        errors.append(FieldError("kinds", "not_simple", _("简易程序只能当场给予警告或者罚款。")))
    limit = SIMPLE_LIMIT_FEN[case.party_kind]
    if fine > limit:
        errors.append(
            FieldError(
                "fine_fen",
                "over_limit",
                _("简易程序罚款不得超过%(yuan)d元（《行政处罚法》第五十一条），请适用普通程序。")
                % {"yuan": limit // 100},
            )
        )
    return errors


def service_errors(*, case: Case, given: StepInput) -> list[FieldError]:
    """REC-7: the mode and the fields it needs; a posted notice needs a photo or video."""
    mode = given.variant
    if mode not in SERVICE_FIELDS:
        return [FieldError("variant", "required", _("请选择送达方式。"))]
    errors = [
        FieldError(key, "required", _("%(mode)s须填写“%(label)s”。") % {"mode": _service_label(mode), "label": label})
        for key, label in SERVICE_FIELDS[mode]
        if blank(given.data.get(key))
    ]
    if mode == "public_notice" and not given.av_records:
        errors.append(FieldError("av_records", "photo_required", _("公告送达须附张贴现场的照片或视频。")))
    return errors


def _service_label(mode: str) -> str:
    from .choices import ServiceMode

    return str(ServiceMode(mode).label)


def hearing_notice_errors(*, case: Case, given: StepInput) -> list[FieldError]:
    """行政处罚法 §64: the party is notified at least 7 working days before the hearing."""
    hearing_at = parse_time(given.data.get("hearing_at"))
    if hearing_at is None:
        return [FieldError("hearing_at", "invalid", _("听证时间格式不正确。"))]
    calendar = WorkCalendar.load(case.region_code)
    earliest = due_at(calendar, start=given.occurred_at, period=Period(7, Unit.WORKING_DAYS))
    if hearing_at < earliest:
        return [
            FieldError(
                "hearing_at",
                "too_soon",
                _("听证通知应当在举行听证的7个工作日前送达，听证时间最早为%(d)s。")
                % {"d": timezone.localtime(earliest).strftime("%Y-%m-%d")},
            )
        ]
    return []


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO text (local time when no offset is given)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def surcharge_fen(*, fine_fen: int, due: datetime | None, paid_at: datetime) -> int:
    """行政处罚法 §72: 3% of the fine for each day late, capped at the fine."""
    if due is None or paid_at <= due:
        return 0
    days = (local_day(paid_at) - local_day(due)).days
    return min(fine_fen, fine_fen * SURCHARGE_PER_DAY * max(days, 0) // 100)


def amount_due(case: Case) -> tuple[int, int]:
    """(paid so far, surcharge so far) from the execution records."""
    paid = 0
    surcharge = 0
    for record in records_of(case, "execution"):
        paid += as_int(record.data.get("paid_fen")) or 0
        surcharge = max(surcharge, as_int(record.data.get("surcharge_fen")) or 0)
    return paid, surcharge


def settled(case: Case) -> bool:
    """The fine and any surcharge are paid (or there is no fine)."""
    if not case.fine_fen:
        return True
    paid, surcharge = amount_due(case)
    return paid >= case.fine_fen + surcharge


def closure_errors(*, case: Case) -> list[FieldError]:
    """A penalty case closes when the fine is paid or court enforcement was applied for."""
    if case.workflow == "penalty" and case.fine_fen and not settled(case) and not records_of(case, "court_application"):
        return [FieldError("step", "unpaid", _("罚款尚未缴清，也未申请人民法院强制执行，不能结案。"))]
    if case.workflow == "coercion" and case.emergency and not records_of(case, "post_approval"):
        return [FieldError("step", "approval_missing", _("当场实施的强制措施尚未补办批准手续。"))]
    return []


def court_errors(*, case: Case, step: str, given: StepInput) -> list[FieldError]:
    """Reminder only after the payment period passed unpaid; the application 10 WD after the reminder (§54)."""
    if step == "court_reminder":
        payment = last_deadline(case, "penalty.fine_payment")
        if payment is None or payment.due_at is None or given.occurred_at < payment.due_at or settled(case):
            return [FieldError("step", "not_due", _("缴纳期限届满且当事人未履行的，才能催告。"))]
        return []
    reminder = last_deadline(case, "coercion.court_reminder")
    if reminder is None or reminder.due_at is None or given.occurred_at < reminder.due_at:
        return [
            FieldError("step", "too_early", _("催告书送达10个工作日后当事人仍未履行的，才能申请人民法院强制执行。"))
        ]
    return []


def extension_errors(*, case: Case, given: StepInput) -> list[FieldError]:
    """Extensions within the workflow's limit; a second extension of a penalty case needs collective discussion."""
    rule, most = EXTENSIONS.get(case.workflow, ("", 0))
    amount = as_int(given.data.get("amount"))
    if not rule:
        return [FieldError("step", "not_allowed", _("该程序没有可延长的期限。"))]
    errors: list[FieldError] = []
    if amount is None or amount <= 0 or amount > most:
        errors.append(FieldError("amount", "invalid", _("延长期限应为1至%(n)d。") % {"n": most}))
    if running(case, rule) is None:
        errors.append(FieldError("step", "no_deadline", _("没有正在计算的期限可以延长。")))
    earlier = records_of(case, "extension")
    if earlier and not (case.workflow == "penalty" and given.data.get("collective")):
        errors.append(FieldError("step", "once", _("期限只能延长一次；处罚案件再次延长须经集体讨论决定。")))
    return errors


def not_opened_errors(*, case: Case, given: StepInput) -> list[FieldError]:
    """REC-4: a named complainant whose report leads to no case is told so, and the notice recorded."""
    if case.complainant_name and blank(given.data.get("complainant_notice")):
        return [
            FieldError(
                "complainant_notice", "required", _("实名投诉举报未立案的，应当告知投诉举报人，请记录告知情况。")
            )
        ]
    return []


def coercion_handling_errors(*, case: Case, given: StepInput) -> list[FieldError]:
    """行政强制法 §19: refused approval of an on-the-spot measure means release at once."""
    refused = [
        r for r in records_of(case, "post_approval") if str(r.data.get("approved")).lower() in {"false", "0", "no"}
    ]
    if refused and given.data.get("handling") != "release":
        return [FieldError("handling", "must_release", _("补办批准手续未获批准的，应当立即解除强制措施。"))]
    if case.emergency and not records_of(case, "post_approval"):
        return [FieldError("step", "approval_missing", _("当场实施的强制措施须先补办批准手续。"))]
    return []
