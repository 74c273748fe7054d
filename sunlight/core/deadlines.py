"""Deadline records (SYS-8): open, pause, resume, extend, complete, cancel, and the periodic warning tick.

Every function here is the one write path for its use case: keyword-only arguments, `transaction.atomic`,
the row locked with `select_for_update`, the allowed "from" states checked in `TRANSITIONS`, and a ledger
entry on the stream `deadline:<public id>` written in the same transaction. Bad input raises `DeadlineError`
and changes nothing. Due dates and warning times come from the one engine in `sunlight.core.calendar` (SYS-3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .calendar import Period, WorkCalendar, due_at, level_at, yellow_at
from .choices import DeadlineStatus, Level, Unit
from .errors import FieldError, ServiceError
from .ids import is_valid_region_code
from .ledger import actor_label, ledger_append
from .models import Deadline, DeadlineExtension, DeadlinePause, DeadlineRule

if TYPE_CHECKING:
    from sunlight.org.models import Agency, User
    from sunlight.org.models import Unit as OrgUnit


class DeadlineError(ServiceError):
    """A deadline operation refused its input or the move from the current state; nothing was changed."""

    def __init__(self, code: str, message: str, *, field: str = "") -> None:
        super().__init__([FieldError(field, code, str(message))])
        self.code = code
        self.message = str(message)


# The whole table of allowed moves: operation -> the states it may start from.
TRANSITIONS: dict[str, frozenset[str]] = {
    "pause": frozenset({DeadlineStatus.OPEN}),
    "resume": frozenset({DeadlineStatus.PAUSED}),
    "extend": frozenset({DeadlineStatus.OPEN, DeadlineStatus.PAUSED}),
    "complete": frozenset({DeadlineStatus.OPEN, DeadlineStatus.PAUSED}),
    "cancel": frozenset({DeadlineStatus.OPEN, DeadlineStatus.PAUSED}),
}

OPERATION_LABELS = {
    "pause": gettext_lazy("中止计时"),
    "resume": gettext_lazy("恢复计时"),
    "extend": gettext_lazy("延长期限"),
    "complete": gettext_lazy("办结"),
    "cancel": gettext_lazy("撤销"),
}


@dataclass(frozen=True)
class RuleDefinition:
    """One statutory or required period, as shipped; `rules_sync` turns it into a DeadlineRule row."""

    code: str
    requirement: str
    name: str
    basis: str
    unit: Unit
    amount: int
    starts: str = ""
    yellow_percent: int = 20
    yellow_min: int = 1


WD, CD, H, M = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS, Unit.MONTHS

# DOMAIN-RULES.md and REQUIREMENTS.md; `starts` names the event that starts each clock.
RULES: list[RuleDefinition] = [
    # 行政处罚法
    RuleDefinition(
        "penalty.case",
        "REC-1",
        "行政处罚案件办理期限",
        "《行政处罚法》第60条",
        CD,
        90,
        starts="case initiation",
    ),
    RuleDefinition(
        "penalty.hearing_request",
        "REC-1",
        "听证申请期限",
        "《行政处罚法》第64条",
        WD,
        5,
        starts="hearing-rights notice served",
    ),
    RuleDefinition(
        "penalty.hearing_notice",
        "REC-1",
        "听证通知（听证七日前送达）",
        "《行政处罚法》第64条",
        WD,
        7,
        starts="hearing notice served; the hearing is held after the due day",
    ),
    RuleDefinition(
        "penalty.service_absent",
        "REC-7",
        "当事人不在场时决定书送达",
        "《行政处罚法》第61条",
        WD,
        7,
        starts="decision date",
    ),
    RuleDefinition(
        "penalty.fine_payment",
        "REC-8",
        "罚款缴纳期限",
        "《行政处罚法》第67条",
        CD,
        15,
        starts="receipt of the decision",
    ),
    RuleDefinition(
        "penalty.evidence_preservation",
        "REC-1",
        "先行登记保存证据处理",
        "《行政处罚法》第56条",
        WD,
        7,
        starts="registration of the evidence",
    ),
    RuleDefinition(
        "penalty.emergency_initiation_approval",
        "REC-3",
        "紧急情况先行立案后补办审批",
        "阳光执法需求REC-3",
        H,
        24,
        starts="start of the case",
    ),
    # 行政强制法
    RuleDefinition(
        "coercion.on_the_spot_approval",
        "REC-3",
        "当场实施行政强制措施后补办批准手续",
        "《行政强制法》第19条",
        H,
        24,
        starts="measure taken",
    ),
    RuleDefinition(
        "coercion.seizure",
        "REC-1",
        "查封、扣押期限",
        "《行政强制法》第25条",
        CD,
        30,
        starts="sealing or seizure decision",
    ),
    RuleDefinition(
        "coercion.freeze_decision",
        "REC-1",
        "冻结决定书交付当事人",
        "《行政强制法》第31条",
        WD,
        3,
        starts="freezing",
    ),
    RuleDefinition(
        "coercion.freeze",
        "REC-1",
        "冻结期限",
        "《行政强制法》第32条",
        CD,
        30,
        starts="freezing",
    ),
    RuleDefinition(
        "coercion.substitute_reminder",
        "REC-8",
        "代履行前催告（代履行三日前）",
        "《行政强制法》第51条",
        WD,
        3,
        starts="reminder served",
    ),
    RuleDefinition(
        "coercion.court_reminder",
        "REC-8",
        "申请法院强制执行前催告",
        "《行政强制法》第54条",
        WD,
        10,
        starts="reminder served",
    ),
    RuleDefinition(
        "coercion.court_application",
        "REC-8",
        "申请人民法院强制执行",
        "《行政强制法》第53条",
        M,
        3,
        starts="end of the reconsideration/litigation period",
    ),
    # 行政许可法
    RuleDefinition(
        "licence.missing_materials",
        "REC-1",
        "一次性告知需补正的全部材料",
        "《行政许可法》第32条",
        WD,
        5,
        starts="application received",
    ),
    RuleDefinition(
        "licence.decision",
        "REC-1",
        "行政许可决定期限",
        "《行政许可法》第42条",
        WD,
        20,
        starts="application accepted",
    ),
    RuleDefinition(
        "licence.issue",
        "REC-1",
        "颁发、送达行政许可证件",
        "《行政许可法》第44条",
        WD,
        10,
        starts="decision",
    ),
    # Legal review of major decisions
    RuleDefinition(
        "review.legal_review",
        "REV-7",
        "法制审核期限",
        "重大执法决定法制审核制度",
        WD,
        3,
        starts="complete package received",
    ),
    RuleDefinition(
        "review.legal_review_urgent",
        "REV-7",
        "法制审核期限（紧急）",
        "重大执法决定法制审核制度",
        WD,
        1,
        starts="complete package received",
    ),
    # Publicity
    RuleDefinition(
        "publicity.licence_penalty_decision",
        "PUB-4",
        "行政许可、行政处罚决定公示",
        "国办发〔2018〕118号",
        WD,
        7,
        starts="decision date",
    ),
    RuleDefinition(
        "publicity.other_decision",
        "PUB-4",
        "其他行政执法决定公示",
        "国办发〔2018〕118号；《政府信息公开条例》第26条",
        WD,
        20,
        starts="decision date",
    ),
    RuleDefinition(
        "publicity.revocation_update",
        "PUB-6",
        "撤销、变更决定的公示更新",
        "《行政处罚法》第48条",
        WD,
        3,
        starts="revocation or change",
    ),
    RuleDefinition(
        "publicity.correction_request",
        "PUB-8",
        "公示纠错申请处理",
        "阳光执法需求PUB-8",
        WD,
        10,
        starts="request received",
    ),
    RuleDefinition(
        "publicity.correction_request_urgent",
        "PUB-8",
        "公示纠错申请处理（紧急）",
        "阳光执法需求PUB-8",
        WD,
        2,
        starts="request received",
    ),
    RuleDefinition(
        "publicity.catalog_update",
        "PUB-2",
        "法律法规或职责变化后更新公示事项",
        "阳光执法需求PUB-2",
        WD,
        20,
        starts="change of law or function flagged",
    ),
    RuleDefinition(
        "publicity.annual_report",
        "PUB-10",
        "年度行政执法数据统计报告公开",
        "《政府信息公开条例》第49条；国办发〔2018〕118号",
        CD,
        15,
        starts="24:00 of 31 Dec of the reported year (due 15 Jan; a local rule may set 10)",
    ),
    # Supervision, records, discretion
    RuleDefinition(
        "supervision.complaint_answer",
        "SUP-1",
        "投诉举报答复",
        "阳光执法需求SUP-1",
        WD,
        15,
        starts="complaint received",
    ),
    RuleDefinition(
        "records.av_upload",
        "REC-6",
        "音像记录上传存储",
        "阳光执法需求REC-6",
        H,
        24,
        starts="end of recording (return from a field trip)",
    ),
    RuleDefinition(
        "records.archiving",
        "REC-9",
        "案卷归档（结案后）",
        "阳光执法需求REC-9",
        CD,
        30,
        starts="case closed",
    ),
    RuleDefinition(
        "discretion.benchmark_filing",
        "DIS-5",
        "裁量基准年度评估并报司法局备案",
        "阳光执法需求DIS-5",
        M,
        11,
        starts="31 Dec of the previous year (due 30 Nov)",
    ),
    # Personnel and equipment (sunlight.registry opens these in `registry_tick`)
    RuleDefinition(
        "registry.training_person",
        "PER-3",
        "执法人员、辅助人员年度培训天数达标",
        "阳光执法需求PER-3（执法人员每年不少于5天，辅助人员不少于3天，可按执法主体配置）",
        M,
        12,
        starts="31 Dec of the previous year (due 31 Dec); completed when the year's days reach the target",
    ),
    RuleDefinition(
        "registry.training_agency",
        "PER-3",
        "执法主体年度业务培训次数达标",
        "阳光执法需求PER-3（每年至少开展两次，可按执法主体配置）",
        M,
        12,
        starts="31 Dec of the previous year (due 31 Dec); completed when the trainings held reach the target",
    ),
    RuleDefinition(
        "registry.body_camera_ratio",
        "REC-12",
        "执法记录仪配备不足整改",
        "阳光执法需求REC-12（至少每5名执法人员1台，可按执法主体配置）",
        CD,
        30,
        starts="ratio found below the minimum; completed when restored (yellow at once)",
        yellow_percent=100,
        yellow_min=31,
    ),
]


def rules_sync(*, rule_model: Any = None) -> int:
    """Create the DeadlineRule rows of RULES that are missing; existing (maybe edited) rows stay as they are.

    Idempotent; returns the number of rows created. A data migration passes its historical model as
    `rule_model`.
    """
    model = rule_model or DeadlineRule
    created = 0
    with transaction.atomic():
        existing = set(model.objects.values_list("code", flat=True))
        for rule in RULES:
            if rule.code in existing:
                continue
            model.objects.create(
                code=rule.code,
                requirement=rule.requirement,
                name=rule.name,
                basis=rule.basis,
                unit=str(rule.unit),
                amount=rule.amount,
                yellow_percent=rule.yellow_percent,
                yellow_min=rule.yellow_min,
            )
            created += 1
    return created


# Helpers ---------------------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _stream(deadline: Deadline) -> str:
    return f"deadline:{deadline.public_id}"


def _require_time(value: Any, field: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise DeadlineError("bad_time", gettext("时间必须是带时区的日期时间。"), field=field)
    return value


def _require_text(value: Any, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise DeadlineError("required", gettext("请填写原因。"), field=field)
    return text


def _lock(deadline: Deadline, operation: str) -> Deadline:
    locked = Deadline.objects.select_for_update().select_related("rule").get(pk=deadline.pk)
    if locked.status not in TRANSITIONS[operation]:
        raise DeadlineError(
            "bad_transition",
            gettext("该期限当前状态为“%(status)s”，不能%(operation)s。")
            % {"status": locked.get_status_display(), "operation": OPERATION_LABELS[operation]},
        )
    return locked


def _user_or_none(user: Any) -> Any:
    if getattr(user, "pk", None) is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def _resolve_region(region_code: str, agency: Agency | None) -> str:
    """The explicit code, else the agency's region, else settings.SUNLIGHT_DEFAULT_REGION, else nationwide."""
    code = region_code or (agency.region.code if agency is not None else "")
    code = code or settings.SUNLIGHT_DEFAULT_REGION
    if code and not is_valid_region_code(code):
        raise DeadlineError(
            "bad_region", gettext("区划代码“%(code)s”格式不正确。") % {"code": code}, field="region_code"
        )
    return code


@dataclass(frozen=True)
class _Schedule:
    due: datetime
    yellow: datetime
    unscheduled_years: Sequence[int]


def _schedule(deadline: Deadline, *, now: datetime) -> _Schedule:
    """Due and yellow times from start, base amount, extensions and pauses (an open pause ends at `now`)."""
    rule = deadline.rule
    extended = deadline.extensions.aggregate(total=Sum("amount"))["total"] or 0
    pauses = list(deadline.pauses.values_list("started_at", "ended_at"))
    calendar = WorkCalendar.load(deadline.region_code)
    unit = Unit(rule.unit)
    due = due_at(
        calendar,
        start=deadline.started_at,
        period=Period(deadline.amount - extended, unit),
        pauses=pauses,
        extensions=extended,
        now=now,
    )
    yellow = yellow_at(
        calendar,
        due=due,
        period_amount=deadline.amount,
        unit=unit,
        yellow_percent=rule.yellow_percent,
        yellow_min=rule.yellow_min,
        start=deadline.started_at,
    )
    return _Schedule(due, yellow, sorted(calendar.unscheduled_years))


def _apply_level(deadline: Deadline, *, now: datetime, actor: str) -> bool:
    """Set the level `now` calls for; write `deadline.level_changed` only when it changes (SYS-8)."""
    level = level_at(now=now, yellow=deadline.yellow_at, due=deadline.due_at)
    if level == deadline.level:
        return False
    previous = deadline.level
    deadline.level = level
    deadline.level_changed_at = now
    deadline.save(update_fields=["level", "level_changed_at"])
    ledger_append(
        stream=_stream(deadline),
        kind="deadline.level_changed",
        actor=actor,
        payload={"from": str(previous), "to": str(level), "at": _iso(now), "due_at": _iso(deadline.due_at)},
    )
    return True


def _refresh_caller(original: Deadline, locked: Deadline) -> Deadline:
    if original is not locked:
        original.refresh_from_db()
    return locked


# Services --------------------------------------------------------------------------------------------------


def deadline_open(
    *,
    rule_code: str,
    subject_type: str,
    subject_id: str,
    subject_label: str,
    started_at: datetime,
    start_event: str,
    agency: Agency | None = None,
    unit: OrgUnit | None = None,
    responsible: User | None = None,
    region_code: str = "",
    acting_user: User | None = None,
    now: datetime | None = None,
) -> Deadline:
    """Start a clock for a subject under a rule (SYS-3, SYS-8) and record `deadline.opened`.

    The region whose calendar applies is `region_code`, else the agency's region, else
    settings.SUNLIGHT_DEFAULT_REGION, else nationwide. The level starts at what `now` (default: the current
    time) calls for. The ledger payload lists any year counted without an official schedule.
    """
    _require_time(started_at, "started_at")
    if now is not None:
        _require_time(now, "now")
    required = (("subject_type", subject_type), ("subject_id", subject_id), ("start_event", start_event))
    for field, value in required:
        if not isinstance(value, str) or not value.strip():
            raise DeadlineError("required", gettext("缺少必填项。"), field=field)
    rule = DeadlineRule.objects.filter(code=rule_code).first()
    if rule is None:
        raise DeadlineError(
            "unknown_rule", gettext("期限规则“%(code)s”不存在。") % {"code": rule_code}, field="rule_code"
        )
    region = _resolve_region(region_code, agency)
    moment = now or timezone.now()
    with transaction.atomic():
        deadline = Deadline(
            rule=rule,
            subject_type=subject_type,
            subject_id=str(subject_id),
            subject_label=subject_label,
            agency=agency,
            unit=unit,
            responsible=responsible,
            region_code=region,
            start_event=start_event,
            started_at=started_at,
            amount=rule.amount,
        )
        calendar = WorkCalendar.load(region)
        period = Period(rule.amount, Unit(rule.unit))
        deadline.due_at = due_at(calendar, start=started_at, period=period)
        deadline.yellow_at = yellow_at(
            calendar,
            due=deadline.due_at,
            period_amount=rule.amount,
            unit=Unit(rule.unit),
            yellow_percent=rule.yellow_percent,
            yellow_min=rule.yellow_min,
            start=started_at,
        )
        deadline.level = level_at(now=moment, yellow=deadline.yellow_at, due=deadline.due_at)
        deadline.level_changed_at = moment
        deadline.save()
        ledger_append(
            stream=_stream(deadline),
            kind="deadline.opened",
            actor=actor_label(acting_user),
            payload={
                "rule": rule.code,
                "subject_type": deadline.subject_type,
                "subject_id": deadline.subject_id,
                "subject_label": deadline.subject_label,
                "start_event": start_event,
                "started_at": _iso(started_at),
                "unit": str(rule.unit),
                "amount": rule.amount,
                "region_code": region,
                "due_at": _iso(deadline.due_at),
                "yellow_at": _iso(deadline.yellow_at),
                "level": str(deadline.level),
                "unscheduled_years": sorted(calendar.unscheduled_years),
            },
        )
    return deadline


def deadline_pause(*, deadline: Deadline, at: datetime, reason: str, acting_user: User | None) -> Deadline:
    """Stop the clock at `at` (testing, expert opinion, hearing...) and record `deadline.paused`.

    The due time is recomputed on resume; while paused the warning level stays where it was.
    """
    _require_time(at, "at")
    text = _require_text(reason, "reason")
    with transaction.atomic():
        locked = _lock(deadline, "pause")
        earliest = locked.started_at
        for ended in locked.pauses.exclude(ended_at=None).values_list("ended_at", flat=True):
            if ended is not None and ended > earliest:
                earliest = ended
        if at < earliest:
            raise DeadlineError("bad_time", gettext("中止时间不能早于起算时间或上一次恢复计时的时间。"), field="at")
        DeadlinePause.objects.create(deadline=locked, started_at=at, reason=text)
        locked.status = DeadlineStatus.PAUSED
        locked.save(update_fields=["status"])
        ledger_append(
            stream=_stream(locked),
            kind="deadline.paused",
            actor=actor_label(acting_user),
            payload={"at": _iso(at), "reason": text},
        )
    return _refresh_caller(deadline, locked)


def _close_open_pause(locked: Deadline, at: datetime) -> DeadlinePause:
    pause = locked.pauses.filter(ended_at=None).order_by("-started_at", "-id").first()
    if pause is None:
        raise DeadlineError("bad_transition", gettext("没有正在中止的计时。"))
    if at < pause.started_at:
        raise DeadlineError("bad_time", gettext("恢复计时的时间不能早于中止时间。"), field="at")
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    return pause


def deadline_resume(
    *, deadline: Deadline, at: datetime, acting_user: User | None, now: datetime | None = None
) -> Deadline:
    """Restart a paused clock at `at`, recompute due and yellow times, record `deadline.resumed`.

    The level is then set for `now` (default: the current time), with `deadline.level_changed` if it changes.
    """
    _require_time(at, "at")
    moment = now or timezone.now()
    actor = actor_label(acting_user)
    with transaction.atomic():
        locked = _lock(deadline, "resume")
        pause = _close_open_pause(locked, at)
        schedule = _schedule(locked, now=at)
        locked.due_at, locked.yellow_at = schedule.due, schedule.yellow
        locked.status = DeadlineStatus.OPEN
        locked.save(update_fields=["due_at", "yellow_at", "status"])
        ledger_append(
            stream=_stream(locked),
            kind="deadline.resumed",
            actor=actor,
            payload={
                "at": _iso(at),
                "paused_at": _iso(pause.started_at),
                "due_at": _iso(locked.due_at),
                "yellow_at": _iso(locked.yellow_at),
                "unscheduled_years": list(schedule.unscheduled_years),
            },
        )
        _apply_level(locked, now=moment, actor=actor)
    return _refresh_caller(deadline, locked)


def deadline_extend(
    *, deadline: Deadline, amount: int, reason: str, acting_user: User | None, now: datetime | None = None
) -> Deadline:
    """Extend by `amount` in the rule's unit, approved by `acting_user`; record `deadline.extended`.

    Due and yellow times are recomputed (an open pause counts up to `now`); an open deadline's level is then
    set for `now` (default: the current time).
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DeadlineError("bad_amount", gettext("延长的期限必须是正整数。"), field="amount")
    text = _require_text(reason, "reason")
    moment = now or timezone.now()
    actor = actor_label(acting_user)
    with transaction.atomic():
        locked = _lock(deadline, "extend")
        DeadlineExtension.objects.create(
            deadline=locked, amount=amount, reason=text, approved_by=_user_or_none(acting_user), at=moment
        )
        locked.amount += amount
        schedule = _schedule(locked, now=moment)
        previous_due = locked.due_at
        locked.due_at, locked.yellow_at = schedule.due, schedule.yellow
        locked.save(update_fields=["amount", "due_at", "yellow_at"])
        ledger_append(
            stream=_stream(locked),
            kind="deadline.extended",
            actor=actor,
            payload={
                "amount": amount,
                "unit": str(locked.rule.unit),
                "total_amount": locked.amount,
                "reason": text,
                "previous_due_at": _iso(previous_due),
                "due_at": _iso(locked.due_at),
                "yellow_at": _iso(locked.yellow_at),
                "unscheduled_years": list(schedule.unscheduled_years),
            },
        )
        if locked.status == DeadlineStatus.OPEN:
            _apply_level(locked, now=moment, actor=actor)
    return _refresh_caller(deadline, locked)


def deadline_complete(*, deadline: Deadline, at: datetime, acting_user: User | None) -> Deadline:
    """Stop the clock for good at `at`: status met (before the due time) or late; record `deadline.completed`.

    A paused deadline's open pause is closed at `at` and its due time recomputed first.
    """
    _require_time(at, "at")
    with transaction.atomic():
        locked = _lock(deadline, "complete")
        if at < locked.started_at:
            raise DeadlineError("bad_time", gettext("办结时间不能早于起算时间。"), field="at")
        if locked.status == DeadlineStatus.PAUSED:
            _close_open_pause(locked, at)
            schedule = _schedule(locked, now=at)
            locked.due_at, locked.yellow_at = schedule.due, schedule.yellow
        locked.status = DeadlineStatus.MET if at < locked.due_at else DeadlineStatus.LATE
        locked.completed_at = at
        locked.save(update_fields=["due_at", "yellow_at", "status", "completed_at"])
        ledger_append(
            stream=_stream(locked),
            kind="deadline.completed",
            actor=actor_label(acting_user),
            payload={
                "at": _iso(at),
                "status": str(locked.status),
                "due_at": _iso(locked.due_at),
                "yellow_at": _iso(locked.yellow_at),
            },
        )
    return _refresh_caller(deadline, locked)


def deadline_cancel(
    *, deadline: Deadline, reason: str, acting_user: User | None, now: datetime | None = None
) -> Deadline:
    """Withdraw a deadline that no longer applies (e.g. the case ended); record `deadline.cancelled`.

    An open pause is closed at `now` (default: the current time).
    """
    text = _require_text(reason, "reason")
    moment = now or timezone.now()
    with transaction.atomic():
        locked = _lock(deadline, "cancel")
        if locked.status == DeadlineStatus.PAUSED:
            locked.pauses.filter(ended_at=None).update(ended_at=moment)
        locked.status = DeadlineStatus.CANCELLED
        locked.save(update_fields=["status"])
        ledger_append(
            stream=_stream(locked),
            kind="deadline.cancelled",
            actor=actor_label(acting_user),
            payload={"at": _iso(moment), "reason": text},
        )
    return _refresh_caller(deadline, locked)


def deadlines_tick(*, now: datetime) -> dict[str, int]:
    """Bring the warning level of every running (open) deadline up to date for `now` (SYS-8).

    Only deadlines whose stored level differs from what `now` calls for are touched, each in its own
    transaction, with one `deadline.level_changed` entry. Running it again with the same `now` finds nothing
    to do and writes nothing (idempotent). Paused deadlines keep their level: their clock stands still.
    Returns counts: open (running deadlines), changed, and to_green / to_yellow / to_red.
    """
    _require_time(now, "now")
    should_red = Q(due_at__lte=now) & ~Q(level=Level.RED)
    should_yellow = Q(yellow_at__lte=now, due_at__gt=now) & ~Q(level=Level.YELLOW)
    should_green = Q(yellow_at__gt=now, due_at__gt=now) & ~Q(level=Level.GREEN)
    running = Deadline.objects.filter(status=DeadlineStatus.OPEN)
    result = {"open": running.count(), "changed": 0, "to_green": 0, "to_yellow": 0, "to_red": 0}
    candidates = list(running.filter(should_red | should_yellow | should_green).values_list("pk", flat=True))
    for pk in candidates:
        with transaction.atomic():
            locked = Deadline.objects.select_for_update().filter(pk=pk, status=DeadlineStatus.OPEN).first()
            if locked is None:
                continue
            if _apply_level(locked, now=now, actor="system"):
                result["changed"] += 1
                result[f"to_{locked.level}"] += 1
    return result


def deadlines_recompute(*, region_code: str, first_day: date, last_day: date, now: datetime, actor: str) -> int:
    """Recompute running deadlines after the calendar changed for `region_code` ("" = nationwide) between two dates.

    A deadline is affected when its region lies inside the changed region and its clock runs across the changed
    days. Must run inside the caller's transaction (the calendar change and the recomputation commit together).
    Returns the number of deadlines whose schedule changed.
    """
    from .calendar import end_of_local_day, start_of_local_day
    from .ids import region_code_prefix

    running = Deadline.objects.filter(
        status=DeadlineStatus.OPEN,
        started_at__lt=end_of_local_day(last_day),
        due_at__gt=start_of_local_day(first_day),
    )
    if region_code:
        running = running.filter(region_code__startswith=region_code_prefix(region_code))
    return _recompute(running, now=now, actor=actor, reason="calendar_changed")


def deadlines_recompute_rule(*, rule: DeadlineRule, now: datetime, actor: str) -> int:
    """Recompute the warning times of a rule's running deadlines after its thresholds changed (SYS-8)."""
    return _recompute(
        Deadline.objects.filter(status=DeadlineStatus.OPEN, rule=rule), now=now, actor=actor, reason="rule_changed"
    )


def _recompute(running: Any, *, now: datetime, actor: str, reason: str) -> int:
    """Recompute each deadline's schedule; record `deadline.recomputed` (old and new due time) where it changed,
    then bring its level up to date. Paused deadlines are recomputed when they resume."""
    changed = 0
    for deadline in running.select_for_update().select_related("rule"):
        schedule = _schedule(deadline, now=now)
        if (schedule.due, schedule.yellow) == (deadline.due_at, deadline.yellow_at):
            continue
        previous = deadline.due_at
        deadline.due_at, deadline.yellow_at = schedule.due, schedule.yellow
        deadline.save(update_fields=["due_at", "yellow_at"])
        ledger_append(
            stream=_stream(deadline),
            kind="deadline.recomputed",
            actor=actor,
            payload={
                "reason": reason,
                "from_due_at": _iso(previous),
                "due_at": _iso(schedule.due),
                "yellow_at": _iso(schedule.yellow),
                "unscheduled_years": list(schedule.unscheduled_years),
            },
        )
        _apply_level(deadline, now=now, actor=actor)
        changed += 1
    return changed
