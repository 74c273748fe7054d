"""The one write path of legal review (REV-2..13): submit, first-level decision, completeness, supplement, assign,
pause and resume, extend, counsel opinions, the opinion, panel and collective decision, accountability.

Each service checks first (every reason at once, nothing changed on refusal), then writes the event, its ledger entry,
the deadline change and the review's new state in one transaction. The opinion is written into the case
(`case_review_record`), which is what opens or keeps shut the gate on a major decision (REV-2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.cases import checks as case_checks
from sunlight.cases.checks import blank
from sunlight.cases.choices import CaseStatus
from sunlight.cases.models import Case
from sunlight.cases.services import case_review_record, document_number_next, may_handle
from sunlight.core.calendar import Period, WorkCalendar, due_at
from sunlight.core.choices import Unit
from sunlight.core.deadlines import deadline_complete, deadline_extend, deadline_open, deadline_pause, deadline_resume
from sunlight.core.errors import FieldError, ServiceError
from sunlight.core.ledger import actor_label, ledger_append
from sunlight.core.models import Deadline, DeadlineStatus
from sunlight.org.choices import Role
from sunlight.org.models import User
from sunlight.org.scope import deny

from .choices import OPEN_STATUSES, Accountability, Outcome, PackagePart, ReviewStatus
from .models import AccountabilityRecord, Review, ReviewEvent
from .prechecks import as_dicts, precheck_case

CASE_CLOCKS = ("penalty.case", "licence.decision", "coercion.seizure")


def _person(user: Any) -> dict[str, str]:
    return {"id": str(user.public_id), "name": user.full_name or user.username}


def is_reviewer(user: Any, agency_id: int) -> bool:
    """A legal reviewer of the agency (the legal department's staff)."""
    return user.agency_id == agency_id and user.has_role(Role.LEGAL_REVIEWER)


def is_head(user: Any, agency_id: int) -> bool:
    """The agency head (机关负责人)."""
    return user.agency_id == agency_id and user.has_role(Role.AGENCY_HEAD)


def _event(review: Review, kind: str, actor: User, data: dict[str, Any], at: datetime) -> ReviewEvent:
    """Append an event and its ledger entry (inside the caller's transaction)."""
    seq = review.event_count + 1
    entry = ledger_append(
        stream=review.stream,
        kind=f"review.{kind}",
        actor=actor_label(actor),
        payload={"review": str(review.public_id), "case": str(review.case.public_id), "seq": seq, **data},
    )
    event = ReviewEvent.objects.create(
        review=review, seq=seq, kind=kind, actor=actor, at=at, data=data, entry_seq=entry.seq
    )
    review.event_count = seq
    return event


def _save(review: Review, **changes: Any) -> None:
    changes["event_count"] = review.event_count
    Review.objects.filter(pk=review.pk).update(**changes)
    for key, value in changes.items():
        setattr(review, key, value)


def _lock(review: Review, allowed: set[str], action: str) -> Review:
    locked = Review.objects.select_for_update().select_related("case", "agency").get(pk=review.pk)
    if locked.status not in allowed:
        raise ServiceError(
            [
                FieldError(
                    "status",
                    "not_allowed",
                    _("审核当前状态为“%(s)s”，不能%(a)s。") % {"s": ReviewStatus(locked.status).label, "a": action},
                )
            ]
        )
    return locked


def accountability_record(
    *,
    kind: str,
    agency: Any,
    person: Any,
    note: str,
    case: Case | None = None,
    review: Review | None = None,
    recorded_by: Any = None,
) -> AccountabilityRecord:
    """Record an accountability fact (REV-13) with its ledger entry, in the caller's transaction."""
    record = AccountabilityRecord.objects.create(
        kind=kind, agency=agency, case=case, review=review, person=person, note=note, recorded_by=recorded_by
    )
    ledger_append(
        stream=f"agency:{agency.public_id}",
        kind="review.accountability",
        actor=actor_label(recorded_by) if recorded_by else "system",
        payload={
            "record": str(record.public_id),
            "kind": kind,
            "person": _person(person),
            "case": str(case.public_id) if case else None,
            "review": str(review.public_id) if review else None,
            "note": note,
        },
    )
    return record


# --- submission (REV-3) -----------------------------------------------------------------------------------------


def _package(case: Case, draft: dict[str, Any], uploads: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The submission package assembled from the case's records (REV-3)."""
    parts: dict[str, list[str]] = {p: [] for p in PackagePart.values}
    for record in case.records.order_by("seq").prefetch_related("av_links__av_record"):
        label = f"#{record.seq} {record.step} {timezone.localtime(record.occurred_at):%Y-%m-%d}"
        if record.step in {"lead", "initiation", "emergency_initiation", "initiation_approval"}:
            parts[PackagePart.SOURCE].append(label)
        if record.officers:
            parts[PackagePart.OFFICERS] += [f"{o['name']} {o.get('certificate', '')}".strip() for o in record.officers]
        if record.step in {
            "investigation",
            "evidence_preservation",
            "onsite_measure",
            "site_check",
            "onsite_inspection",
        }:
            parts[PackagePart.EVIDENCE].append(label)
        parts[PackagePart.EVIDENCE] += [f"{label} 音像记录：{link.av_record.title}" for link in record.av_links.all()]
        if record.step in {"hearing_request", "hearing_notice", "hearing"}:
            parts[PackagePart.HEARING].append(label)
        parts[PackagePart.PROCEDURE].append(label)
    if draft.get("facts") or draft.get("basis"):
        parts[PackagePart.DRAFT].append(f"{draft.get('facts', '')}｜{draft.get('basis', '')}")
    check = draft.get("benchmark_check")
    if draft.get("discretion_reasons"):
        parts[PackagePart.DISCRETION].append(_("超出裁量基准的理由：%(r)s") % {"r": draft["discretion_reasons"]})
    elif check:
        parts[PackagePart.DISCRETION].append(
            _("在裁量基准范围内")
            if check.get("within")
            else _("超出裁量基准，未说明理由：%(p)s") % {"p": "；".join(check.get("problems") or [])}
        )
    parts[PackagePart.UPLOAD] += [f"{u.get('name', '')} {u.get('sha256', '')}".strip() for u in uploads]
    parts[PackagePart.OFFICERS] = sorted(set(parts[PackagePart.OFFICERS]))
    return [{"part": p, "items": items} for p, items in parts.items()]


def _draft_with_check(case: Case, draft: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The draft decision with its benchmark check, as the decision step would compute it."""
    from sunlight.cases.checks import _benchmark  # the same check the decision step runs (DIS-2)

    kinds = list(draft.get("kinds") or [])
    fine = case_checks.as_int(draft.get("fine_fen")) or 0
    _errors, result = _benchmark(case=case, data=draft, fine=fine, kinds=kinds, on=at)
    out = dict(draft)
    if result is not None:
        out["benchmark_check"] = result
    return out


def review_submit(
    *,
    acting_user: User,
    case: Case,
    draft: dict[str, Any],
    urgent: bool = False,
    uploads: list[dict[str, str]] | None = None,
    now: datetime | None = None,
) -> Review:
    """The handling unit submits a case for legal review with its draft decision (REV-3). A case that is not major is
    accepted as a voluntary submission; a submission later than 10 WD before the case's own deadline is marked late
    and recorded for accountability (REV-13). Refused: a case already under review, a decided or closed case, a
    draft without facts or basis."""
    moment = now or timezone.now()
    if not may_handle(acting_user, case) or (
        acting_user.has_role(Role.LEGAL_REVIEWER) and not acting_user.has_role(Role.OFFICER)
    ):
        raise deny(acting_user, action="review.submit", target=str(case.public_id))
    errors: list[FieldError] = []
    if case.status != CaseStatus.OPEN:
        errors.append(FieldError("case", "not_open", _("案件已作出决定或已办结，不能报送法制审核。")))
    if Review.objects.filter(case=case, status__in=OPEN_STATUSES).exists():
        errors.append(FieldError("case", "under_review", _("该案件正在审核中，不能重复报送。")))
    for key, label in (("facts", _("违法事实")), ("basis", _("法律依据"))):
        if blank(draft.get(key)):
            errors.append(FieldError(key, "required", _("请填写拟作出决定的“%(l)s”。") % {"l": label}))
    if errors:
        raise ServiceError(errors)
    full = _draft_with_check(case, draft, moment)
    kinds = list(full.get("kinds") or [])
    reasons = case_checks.classify(
        case, fine_fen=case_checks.as_int(full.get("fine_fen")) or 0, kinds=kinds, extra=full, on=moment
    )
    late = _late(case, moment)
    with transaction.atomic():
        review = Review.objects.create(
            number=document_number_next(agency=case.agency, doc_type="review_opinion", on=moment),
            case=case,
            agency=case.agency,
            voluntary=not reasons,
            urgent=urgent,
            late=late,
            major_reasons=reasons,
            package=_package(case, full, uploads or []),
            draft=full,
            prechecks=as_dicts(precheck_case(case=case, draft=full, on=timezone.localdate(moment))),
            submitted_by=acting_user,
            submitted_at=moment,
        )
        _event(
            review,
            "submitted",
            acting_user,
            {"voluntary": not reasons, "urgent": urgent, "late": late, "major_reasons": reasons},
            moment,
        )
        _save(review)
        if late:
            accountability_record(
                kind=Accountability.LATE,
                agency=case.agency,
                person=acting_user,
                case=case,
                review=review,
                note=_("报送时距案件办理期限不足10个工作日。"),
            )
    return review


def _late(case: Case, at: datetime) -> bool:
    """REV-3: submitted later than 10 working days before the case's own deadline."""
    clock = (
        Deadline.objects.filter(
            subject_type="case",
            subject_id=str(case.public_id),
            rule__code__in=CASE_CLOCKS,
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
        )
        .order_by("due_at")
        .first()
    )
    if clock is None or clock.due_at is None:
        return False
    return due_at(WorkCalendar.load(case.region_code), start=at, period=Period(10, Unit.WORKING_DAYS)) > clock.due_at


# --- first level (REV-12) ---------------------------------------------------------------------------------------


def review_unit_decide(
    *, acting_user: User, review: Review, passed: bool, reasons: str = "", now: datetime | None = None
) -> Review:
    """The handling unit's head reviews first: passes the package to the legal department, or returns it."""
    moment = now or timezone.now()
    case = review.case
    if not (acting_user.unit_id == case.unit_id and acting_user.has_role(Role.UNIT_HEAD)):
        raise deny(acting_user, action="review.unit_decide", target=str(review.public_id))
    if not passed and blank(reasons):
        raise ServiceError([FieldError("reasons", "required", _("退回须写明理由。"))])
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.UNIT_REVIEW}, _("初审"))
        _event(locked, "unit_passed" if passed else "unit_returned", acting_user, {"reasons": reasons}, moment)
        _save(locked, status=ReviewStatus.SUBMITTED if passed else ReviewStatus.RETURNED)
    return locked


# --- completeness (REV-4) and the clock (REV-7) -----------------------------------------------------------------


def _require_reviewer(user: User, review: Review, action: str) -> None:
    if not is_reviewer(user, review.agency_id):
        raise deny(user, action=action, target=str(review.public_id))
    if _conflicted(user, review):
        raise ServiceError([FieldError("reviewer", "recused", _("审核人员是本案承办人员或已申报回避，不能审核本案。"))])


def _conflicted(user: User, review: Review) -> bool:
    """A reviewer never reviews a case they handled, or in which they declared a conflict."""
    case = review.case
    me = str(user.public_id)
    acted = any(any(o.get("id") == me for o in r.officers) for r in case.records.all())
    return (
        acted
        or case.lead_officer_id == user.pk
        or case.officers.filter(pk=user.pk).exists()
        or case.conflicts.filter(officer=user).exists()
    )


def review_completeness(
    *, acting_user: User, review: Review, missing: list[str], now: datetime | None = None
) -> Review:
    """The legal department checks the package: complete → accepted, the clock starts (3 WD, 1 WD when urgent);
    incomplete → one notice listing everything missing. After a supplement, still incomplete → not accepted, and the
    submitter is recorded for accountability."""
    moment = now or timezone.now()
    _require_reviewer(acting_user, review, "review.completeness")
    items = [m.strip() for m in missing if m and m.strip()]
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.SUBMITTED, ReviewStatus.SUPPLEMENTED}, _("审查材料是否齐全"))
        if items and locked.status == ReviewStatus.SUBMITTED:
            _event(locked, "completeness_notice", acting_user, {"missing": items}, moment)
            _save(locked, status=ReviewStatus.INCOMPLETE, missing=items)
        elif items:
            _event(locked, "not_accepted", acting_user, {"missing": items}, moment)
            _save(locked, status=ReviewStatus.NOT_ACCEPTED)
            accountability_record(
                kind=Accountability.INCOMPLETE,
                agency=locked.agency,
                person=locked.submitted_by,
                case=locked.case,
                review=locked,
                note="；".join(items),
                recorded_by=acting_user,
            )
        else:
            _event(locked, "accepted", acting_user, {"urgent": locked.urgent}, moment)
            _save(locked, status=ReviewStatus.ACCEPTED, accepted_at=moment, reviewer=acting_user)
            deadline_open(
                rule_code="review.legal_review_urgent" if locked.urgent else "review.legal_review",
                subject_type="review",
                subject_id=str(locked.public_id),
                subject_label=f"{locked.number} {locked.case.title}",
                started_at=moment,
                start_event="complete package received",
                agency=locked.agency,
                responsible=acting_user,
                region_code=locked.case.region_code,
                acting_user=acting_user,
                now=moment,
            )
    return locked


def review_supplement(
    *,
    acting_user: User,
    review: Review,
    items: list[str],
    uploads: list[dict[str, str]] | None = None,
    now: datetime | None = None,
) -> Review:
    """The handling unit supplies what the notice listed (once)."""
    moment = now or timezone.now()
    if not may_handle(acting_user, review.case):
        raise deny(acting_user, action="review.supplement", target=str(review.public_id))
    given = [i.strip() for i in items if i and i.strip()]
    if not given and not uploads:
        raise ServiceError([FieldError("items", "required", _("请列明补正的材料。"))])
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.INCOMPLETE}, _("补正材料"))
        names = [u.get("name", "") for u in uploads or []]
        package = [*locked.package, {"part": "supplement", "items": [*given, *names]}]
        _event(locked, "supplemented", acting_user, {"items": given, "uploads": uploads or []}, moment)
        _save(locked, status=ReviewStatus.SUPPLEMENTED, package=package)
    return locked


def review_assign(*, acting_user: User, review: Review, reviewer: User, now: datetime | None = None) -> Review:
    """Assign a reviewer of the legal department, never one of the case's officers or a declared conflict."""
    moment = now or timezone.now()
    if not (is_reviewer(acting_user, review.agency_id) or is_head(acting_user, review.agency_id)):
        raise deny(acting_user, action="review.assign", target=str(review.public_id))
    if not is_reviewer(reviewer, review.agency_id):
        raise ServiceError([FieldError("reviewer", "not_reviewer", _("被指派人员不是本机关法制审核人员。"))])
    if _conflicted(reviewer, review):
        raise ServiceError([FieldError("reviewer", "recused", _("审核人员是本案承办人员或已申报回避，不能审核本案。"))])
    with transaction.atomic():
        locked = _lock(review, set(OPEN_STATUSES), _("指派审核人员"))
        _event(locked, "assigned", acting_user, {"reviewer": _person(reviewer)}, moment)
        _save(locked, reviewer=reviewer)
    return locked


def _clock(review: Review) -> Deadline | None:
    return (
        Deadline.objects.filter(subject_type="review", subject_id=str(review.public_id))
        .exclude(status__in=[DeadlineStatus.MET, DeadlineStatus.LATE, DeadlineStatus.CANCELLED])
        .first()
    )


def review_pause(*, acting_user: User, review: Review, reason: str, now: datetime | None = None) -> Review:
    """Stop the clock while an expert opinion or a fact check is out (REV-7)."""
    moment = now or timezone.now()
    _require_reviewer(acting_user, review, "review.pause")
    if blank(reason):
        raise ServiceError([FieldError("reason", "required", _("请写明中止计时的原因（专家论证、核实有关情况等）。"))])
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.ACCEPTED}, _("中止计时"))
        clock = _clock(locked)
        if clock is not None:
            deadline_pause(deadline=clock, at=moment, reason=reason, acting_user=acting_user)
        _event(locked, "paused", acting_user, {"reason": reason}, moment)
        _save(locked, status=ReviewStatus.PAUSED)
    return locked


def review_resume(*, acting_user: User, review: Review, note: str = "", now: datetime | None = None) -> Review:
    """Restart the clock when the opinion or the check returns."""
    moment = now or timezone.now()
    _require_reviewer(acting_user, review, "review.resume")
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.PAUSED}, _("恢复计时"))
        clock = _clock(locked)
        if clock is not None:
            deadline_resume(deadline=clock, at=moment, acting_user=acting_user)
        _event(locked, "resumed", acting_user, {"note": note}, moment)
        _save(locked, status=ReviewStatus.ACCEPTED)
    return locked


def review_extend(*, acting_user: User, review: Review, reason: str, now: datetime | None = None) -> Review:
    """+2 WD for a complex case, approved by the agency head, once (REV-7)."""
    moment = now or timezone.now()
    if not is_head(acting_user, review.agency_id):
        raise deny(acting_user, action="review.extend", target=str(review.public_id))
    errors: list[FieldError] = []
    if blank(reason):
        errors.append(FieldError("reason", "required", _("请写明延长理由。")))
    if review.events.filter(kind="extended").exists():
        errors.append(FieldError("reason", "once", _("审核期限只能延长一次。")))
    if review.urgent:
        errors.append(FieldError("reason", "urgent", _("紧急审核不能延长期限。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.ACCEPTED, ReviewStatus.PAUSED}, _("延长期限"))
        clock = _clock(locked)
        if clock is not None:
            deadline_extend(deadline=clock, amount=2, reason=reason, acting_user=acting_user, now=moment)
        _event(locked, "extended", acting_user, {"amount": 2, "reason": reason}, moment)
        _save(locked)
    return locked


def review_counsel_opinion(
    *, acting_user: User, review: Review, counsel: str, opinion: str, now: datetime | None = None
) -> Review:
    """Outside counsel's written opinion, added by the legal department (REV-9)."""
    moment = now or timezone.now()
    _require_reviewer(acting_user, review, "review.counsel_opinion")
    if blank(counsel) or blank(opinion):
        raise ServiceError([FieldError("opinion", "required", _("请填写法律顾问或公职律师姓名及书面意见。"))])
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.ACCEPTED, ReviewStatus.PAUSED, ReviewStatus.PANEL}, _("添加法律顾问意见"))
        _event(locked, "counsel_opinion", acting_user, {"counsel": counsel, "opinion": opinion}, moment)
        _save(locked)
    return locked


# --- the opinion (REV-6, REV-8, REV-10) -------------------------------------------------------------------------


def review_opinion(
    *, acting_user: User, review: Review, outcome: str, reasons: str, now: datetime | None = None
) -> Review:
    """The legal department's opinion with reasons. It is written into the case (the REV-2 gate); anything but
    approval returns the case to the unit, which may resubmit. The review history stays."""
    moment = now or timezone.now()
    _require_reviewer(acting_user, review, "review.opinion")
    errors: list[FieldError] = []
    if outcome not in Outcome.values:
        errors.append(FieldError("outcome", "invalid", _("请选择审核意见。")))
    if blank(reasons):
        errors.append(FieldError("reasons", "required", _("审核意见须写明理由。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.ACCEPTED, ReviewStatus.PANEL, ReviewStatus.COLLECTIVE}, _("出具审核意见"))
        _finish(locked, acting_user, outcome, reasons, moment, kind="opinion")
    return locked


def _finish(review: Review, actor: User, outcome: str, reasons: str, at: datetime, *, kind: str) -> None:
    clock = _clock(review)
    if clock is not None:
        deadline_complete(deadline=clock, at=at, acting_user=actor)
    _event(review, kind, actor, {"outcome": outcome, "reasons": reasons}, at)
    status = ReviewStatus.APPROVED if outcome == Outcome.APPROVE else ReviewStatus.RETURNED
    _save(review, status=status, outcome=outcome, decided_at=at)
    record = case_review_record(
        acting_user=actor, case=review.case, outcome=outcome, opinion=reasons, review_ref=review.number, at=at
    )
    from .documents import review_opinion_document_generate  # REV-8: the opinion document, in both copies

    review_opinion_document_generate(acting_user=actor, review=review, record=record, now=at)


def review_disagree(*, acting_user: User, review: Review, reasons: str, now: datetime | None = None) -> Review:
    """The unit disagrees with the legal department: the matter goes to an expert panel (REV-10)."""
    moment = now or timezone.now()
    if not may_handle(acting_user, review.case) and not is_reviewer(acting_user, review.agency_id):
        raise deny(acting_user, action="review.disagree", target=str(review.public_id))
    if blank(reasons):
        raise ServiceError([FieldError("reasons", "required", _("请写明分歧意见。"))])
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.ACCEPTED, ReviewStatus.RETURNED}, _("提交专家论证"))
        _event(locked, "panel_requested", acting_user, {"reasons": reasons}, moment)
        _save(locked, status=ReviewStatus.PANEL)
    return locked


def review_panel_opinion(
    *, acting_user: User, review: Review, experts: str, opinion: str, agreed: bool, now: datetime | None = None
) -> Review:
    """The expert panel's opinion: when it resolves the disagreement, the legal department gives its opinion;
    otherwise the leadership decides collectively (REV-10)."""
    moment = now or timezone.now()
    _require_reviewer(acting_user, review, "review.panel_opinion")
    if blank(experts) or blank(opinion):
        raise ServiceError([FieldError("opinion", "required", _("请填写论证专家和论证意见。"))])
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.PANEL}, _("记录专家论证意见"))
        _event(locked, "panel_opinion", acting_user, {"experts": experts, "opinion": opinion, "agreed": agreed}, moment)
        _save(locked, status=ReviewStatus.PANEL if agreed else ReviewStatus.COLLECTIVE)
    return locked


def review_collective_decide(
    *, acting_user: User, review: Review, outcome: str, participants: str, reasons: str, now: datetime | None = None
) -> Review:
    """The leadership's collective discussion settles the opinion (REV-10)."""
    moment = now or timezone.now()
    if not is_head(acting_user, review.agency_id):
        raise deny(acting_user, action="review.collective_decide", target=str(review.public_id))
    errors = []
    if outcome not in Outcome.values:
        errors.append(FieldError("outcome", "invalid", _("请选择审核意见。")))
    if blank(participants) or blank(reasons):
        errors.append(FieldError("reasons", "required", _("请填写参加人员和讨论结论。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = _lock(review, {ReviewStatus.COLLECTIVE}, _("集体讨论决定"))
        _finish(
            locked, acting_user, outcome, f"{reasons}（集体讨论：{participants}）", moment, kind="collective_decision"
        )
    return locked


def major_decision_refused(*, acting_user: User, case: Case, reasons: list[str]) -> None:
    """REV-13: a head tried to decide a major case without a passed review; recorded in its own transaction (the
    refused decision itself changes nothing)."""
    with transaction.atomic():
        accountability_record(
            kind=Accountability.WITHOUT_REVIEW,
            agency=case.agency,
            person=acting_user,
            case=case,
            note="；".join(reasons),
            recorded_by=acting_user,
        )
