"""Access to records (REC-11): request, decide, and use — every use and every refusal logged and in the ledger.

Owners (the officer who made the record, whoever registered it) use their own records freely. Anyone else needs an
approved request covering the action and the date: internal requests are approved by the head of the record's unit
(or the agency head), police, court, upper-level and party requests by the agency head.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.audit import audit, current_origin
from sunlight.core.errors import FieldError, Forbidden, ServiceError
from sunlight.core.ledger import actor_label

from .choices import APPROVER_ROLES, MAX_PERIOD_DAYS, Action, Decision, Outcome, RequesterKind
from .models import AccessDecision, AccessLog, AccessRequest
from .subjects import Subject

EXTERNAL = {RequesterKind.POLICE, RequesterKind.COURT, RequesterKind.UPPER_LEVEL, RequesterKind.PARTY}


def access_request_file(
    *,
    acting_user: Any,
    subject: Subject,
    requester_kind: str,
    reason: str,
    actions: list[str],
    valid_from: dt.date,
    valid_to: dt.date,
    requester_org: str = "",
) -> AccessRequest:
    """File a request to use a record's contents (reason, scope, period)."""
    errors: list[FieldError] = []
    if acting_user.pk in subject.owner_ids:
        errors.append(FieldError("__all__", "own_record", _("这是您本人的记录，无须申请调阅。")))
    if requester_kind not in RequesterKind.values:
        errors.append(FieldError("requester_kind", "invalid", _("申请方无效。")))
    elif requester_kind in EXTERNAL and not requester_org.strip():
        errors.append(FieldError("requester_org", "required", _("外部调阅须填写申请单位。")))
    if not reason.strip():
        errors.append(FieldError("reason", "required", _("请填写调阅事由。")))
    if not actions or any(a not in Action.values for a in actions):
        errors.append(FieldError("actions", "invalid", _("请选择调阅范围。")))
    if valid_to < valid_from:
        errors.append(FieldError("valid_to", "invalid", _("截止日期不能早于起始日期。")))
    elif (valid_to - valid_from).days > MAX_PERIOD_DAYS:
        errors.append(FieldError("valid_to", "too_long", _("调阅期限最长%(n)d天。") % {"n": MAX_PERIOD_DAYS}))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        request = AccessRequest.objects.create(
            subject_type=subject.type,
            subject_id=subject.id,
            subject_label=subject.label[:200],
            agency=subject.agency,
            unit=subject.unit,
            requester=acting_user,
            requester_kind=requester_kind,
            requester_org=requester_org.strip(),
            reason=reason.strip(),
            actions=sorted(set(actions)),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        audit(
            kind="access.requested",
            actor=acting_user,
            stream=subject.stream,
            payload={
                "request": str(request.public_id),
                "requester_kind": requester_kind,
                "requester_org": request.requester_org,
                "reason": request.reason,
                "actions": request.actions,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat(),
            },
        )
    return request


def may_decide(user: Any, request: AccessRequest) -> bool:
    """Whether the user is the right person to approve this request (REC-11)."""
    if not getattr(user, "is_authenticated", False) or user.pk == request.requester_id:
        return False
    roles = user.role_codes & APPROVER_ROLES.get(request.requester_kind, set())
    if not roles or user.agency_id != request.agency_id:
        return False
    if roles == {"unit_head"}:
        return request.unit_id is None or user.unit_id == request.unit_id
    return True


def access_request_decide(*, acting_user: Any, request: AccessRequest, decision: str, note: str) -> AccessDecision:
    """Approve or refuse a request, with reasons. Only the right approver, once."""
    from sunlight.org.scope import deny

    if not may_decide(acting_user, request):
        raise deny(acting_user, action="access.decide", target=str(request.public_id))
    errors: list[FieldError] = []
    if decision not in Decision.values:
        errors.append(FieldError("decision", "invalid", _("审批结果无效。")))
    if not note.strip():
        errors.append(FieldError("note", "required", _("请填写审批意见。")))
    if AccessDecision.objects.filter(request=request).exists():
        errors.append(FieldError("__all__", "decided", _("该申请已审批。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        AccessRequest.objects.select_for_update().get(pk=request.pk)
        made = AccessDecision.objects.create(
            request=request, decision=decision, approver=acting_user, note=note.strip()
        )
        audit(
            kind="access.approved" if decision == Decision.APPROVED else "access.refused_request",
            actor=acting_user,
            stream=f"{request.subject_type}:{request.subject_id}",
            payload={"request": str(request.public_id), "decision": decision, "note": made.note},
        )
    return made


def _grant(user: Any, subject: Subject, action: str, today: dt.date) -> AccessRequest | None:
    candidates = AccessRequest.objects.filter(
        subject_type=subject.type,
        subject_id=subject.id,
        requester=user,
        valid_from__lte=today,
        valid_to__gte=today,
        decision__decision=Decision.APPROVED,
    ).select_related("decision")
    return next((r for r in candidates if action in r.actions), None)


def access_use(
    *, user: Any, subject: Subject, action: str, target: str = "", now: dt.datetime | None = None
) -> AccessLog:
    """Check that the user may do `action` on the subject's contents now, and log it (REC-11).

    Allowed uses are logged with their basis; a refused attempt is logged (in its own transaction, so the record
    survives the refusal) and raises Forbidden.
    """
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    if action not in Action.values:
        raise ServiceError.single("action", "invalid", _("调阅方式无效。"))
    grant = None
    if getattr(user, "pk", None) in subject.owner_ids:
        basis = _("本人记录")
    else:
        grant = _grant(user, subject, action, today)
        basis = grant.reason if grant else _("无有效的调阅批准")
    outcome = Outcome.ALLOWED if (grant or user.pk in subject.owner_ids) else Outcome.REFUSED
    with transaction.atomic():
        entry = AccessLog.objects.create(
            subject_type=subject.type,
            subject_id=subject.id,
            subject_label=subject.label[:200],
            user=user,
            action=action,
            target=target[:200],
            outcome=outcome,
            basis=str(basis)[:300],
            request=grant,
            approver=grant.decision.approver if grant else None,
            ip=current_origin()["ip"],
            at=moment,
        )
        audit(
            kind="access.used" if outcome == Outcome.ALLOWED else "access.refused",
            actor=user,
            stream=subject.stream,
            payload={
                "action": action,
                "target": target,
                "basis": str(basis),
                "request": str(grant.public_id) if grant else None,
                "approver": actor_label(grant.decision.approver) if grant else None,
            },
        )
    if outcome == Outcome.REFUSED:
        raise Forbidden.single(
            "__all__", "access_not_approved", _("调阅须经批准：请先提交调阅申请，经负责人批准后在期限内使用。")
        )
    return entry
