"""The one write path of the case app: create a case, record its steps, declare and decide conflicts, number
documents (REC-1..16, DIS-2, DIS-4). Every service checks first and changes nothing when it refuses; the ledger entry
is written in the same transaction as the record and the case's new state.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.catalog.models import EnforcementItem
from sunlight.catalog.selectors import unit_holds_item
from sunlight.catalog.workflows import WORKFLOWS
from sunlight.core.deadlines import deadline_cancel, deadline_complete, deadline_extend, deadline_open
from sunlight.core.errors import FieldError, ServiceError
from sunlight.core.ids import is_valid_region_code
from sunlight.core.ledger import actor_label, ledger_append
from sunlight.core.models import DeadlineStatus
from sunlight.org.choices import Role
from sunlight.org.models import Agency, Unit, User
from sunlight.org.scope import deny

from . import checks
from .checks import StepInput, blank, local_day
from .choices import CaseStatus, PartyKind, RecusalOutcome, Source
from .models import Case, CaseRecord, ConflictDeclaration, DocumentCounter, NumberPattern, RecordAV, RecusalDecision
from .steps import EXTENSIONS, spec_for
from .workflow import INTERNAL, allowed_next, step_name

STAFF_ROLES = (Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER)


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _person(user: Any) -> dict[str, str]:
    return {"id": str(user.public_id), "name": user.full_name or user.username}


def may_handle(user: Any, case: Case) -> bool:
    """Staff of the case's agency with a handling role (officers, heads, legal reviewers), or a superuser."""
    if getattr(user, "is_superuser", False):
        return True
    return user.agency_id == case.agency_id and any(user.has_role(r) for r in STAFF_ROLES)


# --- case creation ----------------------------------------------------------------------------------------------


def case_create(
    *,
    acting_user: User,
    workflow: str,
    unit: Unit,
    title: str,
    party_kind: str,
    party_name: str,
    source: str,
    item: EnforcementItem | None = None,
    region_code: str = "",
    summary: str = "",
    source_ref: str = "",
    complainant_name: str = "",
    party_id_number: str = "",
    party_address: str = "",
    party_phone: str = "",
    officers: list[User] | None = None,
    external_system: Any = None,
    external_id: str = "",
    now: datetime | None = None,
) -> Case:
    """Register a case at the lead stage under a workflow, with its handling officers (the acting officer leads).

    Refused: an unknown workflow, an item that is not the unit's or not of the workflow's action type, a conflicted
    or foreign officer, missing party or title. The case number comes from the agency's "case" counter.
    """
    moment = now or timezone.now()
    agency: Agency = unit.agency
    if not (getattr(acting_user, "is_superuser", False) or acting_user.agency_id == agency.pk):
        raise deny(acting_user, action="case.create", target=str(agency.public_id))
    errors: list[FieldError] = []
    wf = WORKFLOWS.get(workflow)
    if wf is None:
        errors.append(FieldError("workflow", "invalid", _("办理程序无效。")))
    if blank(title):
        errors.append(FieldError("title", "required", _("请填写案由。")))
    if blank(party_name):
        errors.append(FieldError("party_name", "required", _("请填写当事人。")))
    if party_kind not in PartyKind.values:
        errors.append(FieldError("party_kind", "invalid", _("请选择当事人类别。")))
    if source not in Source.values:
        errors.append(FieldError("source", "invalid", _("请选择案件来源。")))
    region = region_code or agency.region.code
    if not is_valid_region_code(region):
        errors.append(FieldError("region_code", "invalid", _("执法区域代码格式不正确。")))
    if item is not None:
        if item.agency_id != agency.pk:
            errors.append(FieldError("item", "other_agency", _("执法事项不属于本机关。")))
        elif wf is not None and item.action_type != wf.action_type:
            errors.append(FieldError("item", "wrong_type", _("执法事项的行为类型与办理程序不一致。")))
        elif not unit_holds_item(unit=unit, item=item, on=local_day(moment)):
            errors.append(FieldError("item", "not_held", _("承办机构不承担该执法事项（DIS-3）。")))
    team = [acting_user, *(officers or [])]
    team = list({u.pk: u for u in team}.values())
    for member in team:
        if member.agency_id != agency.pk and not member.is_superuser:
            errors.append(FieldError("officers", "other_agency", _("%(n)s 不是本机关人员。") % {"n": member.full_name}))
    if errors:
        raise ServiceError(errors)
    assert wf is not None
    with transaction.atomic():
        number = document_number_next(agency=agency, doc_type="case", on=moment)
        case = Case.objects.create(
            number=number,
            workflow=workflow,
            action_type=wf.action_type,
            agency=agency,
            unit=unit,
            item=item,
            region_code=region,
            title=title.strip(),
            summary=summary,
            source=source,
            source_ref=source_ref,
            complainant_name=complainant_name.strip(),
            party_kind=party_kind,
            party_name=party_name.strip(),
            party_id_number=party_id_number.strip(),
            party_address=party_address,
            party_phone=party_phone,
            lead_officer=acting_user,
            created_by=acting_user,
            created_at=moment,
            external_system=external_system,
            external_id=external_id,
        )
        case.officers.set(team)
        ledger_append(
            stream=case.stream,
            kind="case.created",
            actor=actor_label(acting_user),
            payload={
                "case": str(case.public_id),
                "number": case.number,
                "workflow": workflow,
                "action_type": case.action_type,
                "agency": str(agency.public_id),
                "unit": str(unit.public_id),
                "item": str(item.public_id) if item else None,
                "region_code": region,
                "title": case.title,
                "source": source,
                "source_ref": source_ref,
                "complainant_named": bool(case.complainant_name),
                "party_kind": party_kind,
                "party_name": case.party_name,
                "officers": [_person(u) for u in team],
                "external_id": external_id or None,
            },
        )
    return case


# --- steps ------------------------------------------------------------------------------------------------------


def case_step_record(
    *,
    acting_user: User,
    case: Case,
    step: str,
    given: StepInput,
    internal: bool = False,
    now: datetime | None = None,
) -> CaseRecord:
    """Record one step of a case (REC-2) and move the case: checks the move against the workflow's table, the
    officers, the approval, the AV record (REC-5), the service mode (REC-7), the benchmark (DIS-2), the review gate
    (REV-2) and the step's own rules; then writes the record, its ledger entry, the AV links, the deadlines it starts
    and stops, and the case's new state in one transaction. A refusal lists every reason and changes nothing.
    """
    moment = now or timezone.now()
    archivist = internal and step == "archiving" and acting_user.agency_id == case.agency_id
    if not (may_handle(acting_user, case) or (archivist and acting_user.has_role(Role.ARCHIVIST))):
        raise deny(acting_user, action=f"case.step.{step}", target=str(case.public_id))
    if not isinstance(given.occurred_at, datetime) or timezone.is_naive(given.occurred_at):
        raise ServiceError([FieldError("occurred_at", "invalid", _("请填写带时区的记录时间。"))])
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        errors, facts = _step_errors(
            case=locked, step=step, given=given, acting_user=acting_user, internal=internal, now=moment
        )
        if errors:
            refused = ServiceError(errors)
        else:
            refused = None
            record = _write_record(
                case=locked, step=step, given=given, acting_user=acting_user, facts=facts, now=moment
            )
            _after(case=locked, step=step, record=record, given=given, acting_user=acting_user, facts=facts, now=moment)
    if refused is not None:
        if any(e.code == "review_required" for e in refused.errors):
            from sunlight.review.services import major_decision_refused

            major_decision_refused(acting_user=acting_user, case=case, reasons=[e.message for e in refused.errors])
        raise refused
    case.refresh_from_db()
    return record


def _step_errors(
    *, case: Case, step: str, given: StepInput, acting_user: User, internal: bool, now: datetime
) -> tuple[list[FieldError], dict[str, Any]]:
    """Every reason against recording `step` now, and the facts the checks worked out (benchmark, major)."""
    if case.status in {CaseStatus.ARCHIVED, CaseStatus.NOT_OPENED}:
        return [FieldError("step", "finished", _("案件已办结归档，不能再记录办理环节。"))], {}
    allowed = allowed_next(case.workflow, case.step)
    if step not in allowed or (step in INTERNAL and not internal):
        names = "、".join(step_name(case.workflow, s) for s in sorted(allowed) if s not in INTERNAL) or _("无")
        message = _("当前环节“%(now)s”之后不能进行“%(step)s”。可以进行：%(names)s。") % {
            "now": step_name(case.workflow, case.step),
            "step": step_name(case.workflow, step),
            "names": names,
        }
        return [FieldError("step", "not_allowed", message)], {}
    spec = spec_for(case.workflow, step)
    errors = checks.basic_errors(case=case, step=step, spec=spec, given=given, now=now)
    certificates: dict[int, str] = {}
    errors += checks.officer_errors(case=case, spec=spec, given=given, certificates=certificates)
    errors += checks.approval_errors(case=case, spec=spec, acting_user=acting_user)
    errors += checks.av_errors(case=case, step=step, given=given)
    facts: dict[str, Any] = {"certificates": certificates}
    key = f"{case.workflow}:{step}"
    if key in {"penalty:decision"}:
        more, decided = checks.decision_errors(case=case, given=given)
        facts.update(decided)
        errors += more
    elif key == "penalty_simple:onsite_decision":
        errors += checks.simple_errors(case=case, given=given)
    elif step == "service":
        errors += checks.service_errors(case=case, given=given)
    elif step == "hearing_notice":
        errors += checks.hearing_notice_errors(case=case, given=given)
    elif step in {"court_reminder", "court_application"}:
        errors += checks.court_errors(case=case, step=step, given=given)
    elif step == "extension":
        errors += checks.extension_errors(case=case, given=given)
    elif step == "not_opened":
        errors += checks.not_opened_errors(case=case, given=given)
    elif step == "closure":
        errors += checks.closure_errors(case=case)
    elif key == "coercion:post_approval" and not case.emergency:
        errors.append(FieldError("step", "not_emergency", _("本案系事先批准后实施，无须补办批准手续。")))
    elif key == "coercion:handling":
        errors += checks.coercion_handling_errors(case=case, given=given)
    elif step == "execution":
        paid = checks.as_int(given.data.get("paid_fen"))
        if paid is None or paid <= 0:
            errors.append(FieldError("paid_fen", "invalid", _("缴纳金额应为正整数（分）。")))
    return errors, facts


def _write_record(
    *, case: Case, step: str, given: StepInput, acting_user: User, facts: dict[str, Any], now: datetime
) -> CaseRecord:
    data = dict(given.data)
    if step == "execution":
        # The surcharge accrues until the fine itself is paid; later payments settle it without adding to it.
        paid_before, surcharge_before = checks.amount_due(case)
        payment = checks.last_deadline(case, "penalty.fine_payment")
        data["surcharge_fen"] = (
            surcharge_before
            if paid_before >= (case.fine_fen or 0)
            else checks.surcharge_fen(
                fine_fen=case.fine_fen or 0, due=payment.due_at if payment else None, paid_at=given.occurred_at
            )
        )
    if step == "acceptance":
        window = checks.last_deadline(case, "licence.missing_materials")
        data["deemed"] = bool(
            window
            and window.due_at
            and given.occurred_at > window.due_at
            and not checks.records_of(case, "missing_materials_notice")
        )
    if facts.get("benchmark"):
        data["benchmark_check"] = facts["benchmark"]
    if "major_reasons" in facts:
        data["major_reasons"] = facts["major_reasons"]
    known = facts.get("certificates") or {}
    officers = [
        {
            **_person(u),
            "certificate": known[u.pk] if u.pk in known else _certificate_number(u, local_day(given.occurred_at)),
        }
        for u in given.officers
    ]
    seq = case.record_count + 1
    public_id = uuid.uuid4()
    payload = {
        "case": str(case.public_id),
        "record": str(public_id),
        "seq": seq,
        "step": step,
        "step_name": step_name(case.workflow, step),
        "variant": given.variant or None,
        "occurred_at": _iso(given.occurred_at),
        "place": given.place,
        "officers": officers,
        "certificates_shown": given.certificates_shown,
        "party": case.party_name,
        "party_present": given.party_present,
        "rights_notified": list(given.rights_notified),
        "rights_how": given.rights_how,
        "content": given.content,
        "data": _canonical(data),
        "party_signed": given.party_signed,
        "refusal_note": given.refusal_note,
        "av_records": [str(a.public_id) for a in given.av_records],
    }
    entry = ledger_append(stream=case.stream, kind=f"case.step.{step}", actor=actor_label(acting_user), payload=payload)
    record = CaseRecord.objects.create(
        public_id=public_id,
        case=case,
        seq=seq,
        step=step,
        variant=given.variant,
        occurred_at=given.occurred_at,
        place=given.place,
        officers=officers,
        certificates_shown=given.certificates_shown,
        party_present=given.party_present,
        rights_notified=list(given.rights_notified),
        rights_how=given.rights_how,
        content=given.content,
        data=_canonical(data),
        party_signed=given.party_signed,
        refusal_note=given.refusal_note,
        recorded_by=acting_user,
        recorded_at=now,
        entry_seq=entry.seq,
        entry_hash=entry.entry_hash,
    )
    RecordAV.objects.bulk_create([RecordAV(record=record, av_record=a) for a in given.av_records])
    return record


def _canonical(value: Any) -> Any:
    """Data as the ledger accepts it: text, integers, booleans, lists and objects (no floats, no dates)."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return _iso(value)
    return str(value)


def _certificate_number(user: User, day: Any) -> str:
    from sunlight.registry.selectors import may_act

    found = may_act(user=user, region_code="", on=day).certificate
    return getattr(found, "number", "") if found is not None else ""


def _after(
    *,
    case: Case,
    step: str,
    record: CaseRecord,
    given: StepInput,
    acting_user: User,
    facts: dict[str, Any],
    now: datetime,
) -> None:
    """Deadlines the step stops and starts, and the case's new state (the projection of its records)."""
    spec = spec_for(case.workflow, step)
    for rule in spec.completes:
        running = checks.running(case, rule)
        if running is not None:
            deadline_complete(deadline=running, at=given.occurred_at, acting_user=acting_user)
    starts = list(spec.opens)
    for opening in starts:
        _open(case, opening.rule, given.occurred_at, opening.start_event, acting_user, now)
    updates: dict[str, Any] = {"record_count": record.seq}
    if step not in {"extension", "note"} or (case.workflow == "coercion" and step == "extension"):
        updates["step"] = step
    if step == "extension":
        rule, _most = EXTENSIONS[case.workflow]
        target = checks.running(case, rule)
        if target is not None:
            deadline_extend(
                deadline=target,
                amount=int(given.data["amount"]),
                reason=str(given.data.get("reasons", "")),
                acting_user=acting_user,
                now=now,
            )
    if step in {"initiation", "initiation_approval"}:
        updates["opened_at"] = given.occurred_at
    if step == "emergency_initiation" or step == "emergency_start":
        updates["emergency"] = True
    if step in {"decision", "onsite_decision", "no_penalty"}:
        updates["status"] = CaseStatus.DECIDED
        updates["decided_at"] = given.occurred_at
        fine = checks.as_int(given.data.get("fine_fen"))
        updates["fine_fen"] = fine if fine and "fine" in (given.data.get("kinds") or ["fine"]) else None
        if "major_reasons" in facts:
            updates["is_major"] = bool(facts["major_reasons"])
            updates["major_reasons"] = facts["major_reasons"]
    if case.workflow == "licence" and step == "decision":
        updates["status"] = CaseStatus.DECIDED
        updates["decided_at"] = given.occurred_at
        if str(given.data.get("granted")).lower() in {"true", "1", "yes"}:
            _open(case, "licence.issue", given.occurred_at, "licence decision", acting_user, now)
    if case.workflow == "licence" and step == "acceptance" and record.data.get("deemed"):
        application = case.records.filter(step="application").order_by("seq").first()
        if application is not None:
            latest = checks.running(case, "licence.decision")
            if latest is not None:
                deadline_cancel(
                    deadline=latest, reason=_("视为受理，期限自收到申请之日起计算"), acting_user=acting_user, now=now
                )
            _open(case, "licence.decision", application.occurred_at, "deemed accepted on receipt", acting_user, now)
    if step == "service":
        _after_service(case, given, acting_user, now)
    if step == "execution" and checks.settled(_with(case, updates)):
        payment = checks.running(case, "penalty.fine_payment")
        if payment is not None:
            deadline_complete(deadline=payment, at=given.occurred_at, acting_user=acting_user)
    if step == "closure":
        updates["status"] = CaseStatus.CLOSED
        updates["closed_at"] = given.occurred_at
        for deadline in _running_all(case):
            deadline_cancel(deadline=deadline, reason=_("案件已结案"), acting_user=acting_user, now=now)
        _open(case, "records.archiving", given.occurred_at, "case closed", acting_user, now)
    if step == "archiving":
        updates["status"] = CaseStatus.ARCHIVED
        updates["archived_at"] = given.occurred_at
    if step == "not_opened":
        updates["status"] = CaseStatus.NOT_OPENED
        updates["closed_at"] = given.occurred_at
    Case.objects.filter(pk=case.pk).update(**updates)
    for key, value in updates.items():
        setattr(case, key, value)
    if step in {"decision", "onsite_decision", "no_penalty", "result", "handling", "onsite_measure"} or (
        case.workflow == "licence" and step == "decision"
    ):
        from .publication import publish_draft

        publish_draft(case=case, record=record, acting_user=acting_user, now=now)


def _with(case: Case, updates: dict[str, Any]) -> Case:
    for key, value in updates.items():
        setattr(case, key, value)
    return case


def _running_all(case: Case) -> list[Any]:
    from sunlight.core.models import Deadline

    return list(
        Deadline.objects.filter(
            subject_type="case",
            subject_id=str(case.public_id),
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
        )
    )


def _after_service(case: Case, given: StepInput, acting_user: User, now: datetime) -> None:
    """Service of the decision stops the 7 WD clock; with a fine it starts the 15 CD payment period (REC-8)."""
    absent = checks.running(case, "penalty.service_absent")
    if absent is not None:
        deadline_complete(deadline=absent, at=given.occurred_at, acting_user=acting_user)
    if (
        case.workflow in {"penalty", "penalty_simple"}
        and case.fine_fen
        and checks.last_deadline(case, "penalty.fine_payment") is None
    ):
        _open(case, "penalty.fine_payment", given.occurred_at, "decision served", acting_user, now)


def _open(case: Case, rule: str, started_at: datetime, event: str, acting_user: User, now: datetime) -> None:
    deadline_open(
        rule_code=rule,
        subject_type="case",
        subject_id=str(case.public_id),
        subject_label=f"{case.number} {case.title}",
        started_at=started_at,
        start_event=event,
        agency=case.agency,
        unit=case.unit,
        responsible=case.lead_officer,
        region_code=case.region_code,
        acting_user=acting_user,
        now=now,
    )


def case_review_record(
    *, acting_user: User, case: Case, outcome: str, opinion: str, review_ref: str, at: datetime | None = None
) -> CaseRecord:
    """Write a legal-review result into the case (the review app calls this; REV-2, REV-6). `outcome` "approve"
    opens the gate for a major decision; anything else keeps it shut."""
    moment = at or timezone.now()
    given = StepInput(occurred_at=moment, content=opinion, data={"outcome": outcome, "review": review_ref})
    return case_step_record(
        acting_user=acting_user, case=case, step="legal_review", given=given, internal=True, now=moment
    )


# --- conflicts and recusal (DIS-4) ------------------------------------------------------------------------------


def case_conflict_declare(
    *, acting_user: User, case: Case, officer: User, reason: str, by_party: bool = False
) -> ConflictDeclaration:
    """An officer declares a conflict (or a party applies for an officer's recusal). From now on the officer cannot
    act in the case until the head decides that no recusal is needed."""
    if not may_handle(acting_user, case):
        raise deny(acting_user, action="case.conflict_declare", target=str(case.public_id))
    if blank(reason):
        raise ServiceError([FieldError("reason", "required", _("请写明回避事由。"))])
    if officer.agency_id != case.agency_id:
        raise ServiceError([FieldError("officer", "other_agency", _("该人员不是本机关人员。"))])
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            case=case, officer=officer, reason=reason.strip(), by_party=by_party, declared_by=acting_user
        )
        ledger_append(
            stream=case.stream,
            kind="case.conflict_declared",
            actor=actor_label(acting_user),
            payload={
                "case": str(case.public_id),
                "declaration": str(declaration.public_id),
                "officer": _person(officer),
                "reason": declaration.reason,
                "by_party": by_party,
            },
        )
    return declaration


def case_recusal_decide(
    *, acting_user: User, declaration: ConflictDeclaration, outcome: str, reasons: str, collective: bool = False
) -> RecusalDecision:
    """The head decides on a declared conflict; when the person concerned is a head, the leadership decides
    collectively (DIS-4, 行政处罚法 §43). A recused officer is taken off the case."""
    case = declaration.case
    errors: list[FieldError] = []
    concerned = declaration.officer
    head_concerned = concerned.has_role(Role.AGENCY_HEAD) or concerned.has_role(Role.UNIT_HEAD)
    is_head = acting_user.agency_id == case.agency_id and (
        acting_user.has_role(Role.AGENCY_HEAD) or acting_user.has_role(Role.UNIT_HEAD)
    )
    if not is_head or acting_user.pk == concerned.pk:
        raise deny(acting_user, action="case.recusal_decide", target=str(declaration.public_id))
    if head_concerned and not collective:
        errors.append(FieldError("collective", "required", _("负责人的回避，由机关负责人集体讨论决定。")))
    if outcome not in RecusalOutcome.values:
        errors.append(FieldError("outcome", "invalid", _("请选择是否回避。")))
    if blank(reasons):
        errors.append(FieldError("reasons", "required", _("请写明理由。")))
    if RecusalDecision.objects.filter(declaration=declaration).exists():
        errors.append(FieldError("outcome", "decided", _("该回避申请已经作出决定。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        decision = RecusalDecision.objects.create(
            declaration=declaration,
            outcome=outcome,
            collective=collective,
            reasons=reasons.strip(),
            decided_by=acting_user,
        )
        if outcome == RecusalOutcome.RECUSED:
            case.officers.remove(concerned)
        ledger_append(
            stream=case.stream,
            kind="case.recusal_decided",
            actor=actor_label(acting_user),
            payload={
                "case": str(case.public_id),
                "declaration": str(declaration.public_id),
                "officer": _person(concerned),
                "outcome": outcome,
                "collective": collective,
                "reasons": decision.reasons,
            },
        )
    return decision


def case_officers_assign(*, acting_user: User, case: Case, officers: list[User]) -> None:
    """Add officers to a case; a conflicted officer cannot be assigned (DIS-4)."""
    if not may_handle(acting_user, case):
        raise deny(acting_user, action="case.officers_assign", target=str(case.public_id))
    conflicted = checks.conflicted_officer_ids(case)
    errors = [
        FieldError("officers", "recused", _("%(n)s 已申报回避或已决定回避，不能分派。") % {"n": u.full_name})
        for u in officers
        if u.pk in conflicted
    ]
    errors += [
        FieldError("officers", "other_agency", _("%(n)s 不是本机关人员。") % {"n": u.full_name})
        for u in officers
        if u.agency_id != case.agency_id
    ]
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        case.officers.add(*officers)
        ledger_append(
            stream=case.stream,
            kind="case.officers_assigned",
            actor=actor_label(acting_user),
            payload={"case": str(case.public_id), "officers": [_person(u) for u in officers]},
        )


# --- document numbers (REC-15) -----------------------------------------------------------------------------------

TYPE_MARKS = {
    "case": "案",
    "penalty_decision": "罚",
    "penalty_notice": "告",
    "hearing_notice": "听",
    "seizure_decision": "强",
    "initiation_form": "立",
    "closure_form": "结",
    "service_receipt": "送",
    "onsite_record": "现",
    "inquiry_record": "询",
    "review_opinion": "审",
}


def document_number_next(*, agency: Agency, doc_type: str, on: datetime) -> str:
    """The next number of a document type for the agency's year, without gaps or duplicates under concurrent use:
    the counter row is locked (select_for_update) for the rest of the caller's transaction."""
    year = timezone.localtime(on).year
    with transaction.atomic():
        counter = (
            DocumentCounter.objects.select_for_update().filter(agency=agency, doc_type=doc_type, year=year).first()
        )
        if counter is None:
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(agency=agency, doc_type=doc_type, year=year, last=0)
            except IntegrityError:
                pass  # created by a concurrent allocation; lock it below
            counter = DocumentCounter.objects.select_for_update().get(agency=agency, doc_type=doc_type, year=year)
        counter.last += 1
        DocumentCounter.objects.filter(pk=counter.pk).update(last=counter.last)
    pattern = (
        NumberPattern.objects.filter(agency=agency, doc_type=doc_type).values_list("pattern", flat=True).first()
        or "{abbr}{type}〔{year}〕{n}号"
    )
    abbr = agency.short_name or agency.name
    return pattern.format(abbr=abbr, type=TYPE_MARKS.get(doc_type, ""), year=year, n=counter.last)
