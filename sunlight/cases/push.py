"""Pushes from other case systems (REC-14, PUB-12, SYS-5): create a case, record a step of a case the system created.

Contract (the API in `api.py` is a thin layer over this module):

* Authentication: a bearer token issued by an administrator (`tokens.py`); the client may push only for the agencies
  it was issued for. A push for another agency is refused with 403 (and audited as `permission.denied`).
* Idempotency: every push carries an `Idempotency-Key` (1-200 characters, unique per client). The first push with a
  key runs and its answer (status and body) is stored in a `PushReceipt` with the SHA-256 of the request (method,
  path and the canonical JSON of the body). A later push with the same key and the same request gets the stored
  answer again, with nothing done; the same key with another request is refused with 409. Refusals decided after
  authentication (400, 403, 404, 409 for a duplicate external id) are stored and replayed the same way, so a retry
  never turns a refusal into an effect; a corrected push needs a new key. Pushes of one client are serialised (the
  client row is locked for the push's transaction), so two concurrent pushes with one key run once.
* Who acts: a pushed case or step is recorded on behalf of a person of the agency, named by the push — the case's
  `lead_officer` (who then leads the case, as `case_create` makes its acting user the lead) and, for a step,
  `recorded_by` (default: the case's lead officer; for steps that need a head's approval, the head who approved it
  in the source system). Every person named (lead officer, recorded_by, officers) must be an active user of the
  case's agency with a handling role; AV records must be the agency's. The domain services apply every rule they
  apply to staff (workflow moves, two certified officers, approvals, AV, deadlines...), and their ledger entries
  name that person as actor. Next to them, in the same transaction, the push writes `case.pushed` on the case's
  stream with the actor `api_client:<public id>`, the client's name and the request's origin in the payload.
  Refused pushes write `case.push_refused` (on the case's stream when the case is known, else on the client's
  stream); a reused key (409) has no receipt of its own and is recorded by that entry only. Replays write nothing.
* Decisions pushed go through `case_step_record`, which creates their publication drafts at once (PUB-12).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.catalog.models import EnforcementItem
from sunlight.core.audit import SECURITY_STREAM, audit
from sunlight.core.errors import FieldError, Forbidden, NotFound, ServiceError
from sunlight.evidence.models import AVRecord
from sunlight.org.models import Agency, Unit, User

from .checks import StepInput
from .models import ApiClient, Case, CaseRecord, PushReceipt
from .services import STAFF_ROLES, case_create, case_step_record
from .tokens import Unauthenticated, client_actor, client_stream
from .workflow import step_name

KEY_MAX = 200
OP_CASE = "case.create"
OP_STEP = "case.step"


class Conflict(ServiceError):
    """The push contradicts an earlier one (a reused idempotency key, an external id already pushed)."""

    status = 409


@dataclass(frozen=True)
class PushResult:
    """The answer to a push: HTTP status, JSON body, and whether it is a stored answer given again."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass
class CasePush:
    """A case as another system pushes it (people, unit and item by their Sunlight public ids)."""

    external_id: str
    workflow: str
    unit: uuid.UUID
    title: str
    party_kind: str
    party_name: str
    source: str
    lead_officer: uuid.UUID
    officers: list[uuid.UUID] = field(default_factory=list)
    item: uuid.UUID | None = None
    region_code: str = ""
    summary: str = ""
    source_ref: str = ""
    complainant_name: str = ""
    party_id_number: str = ""
    party_address: str = ""
    party_phone: str = ""


@dataclass
class StepPush:
    """A step record as another system pushes it (see `checks.StepInput`; people and AV records by public id)."""

    step: str
    occurred_at: datetime
    recorded_by: uuid.UUID | None = None
    officers: list[uuid.UUID] = field(default_factory=list)
    av_records: list[uuid.UUID] = field(default_factory=list)
    place: str = ""
    certificates_shown: bool = False
    party_present: bool = False
    rights_notified: list[str] = field(default_factory=list)
    rights_how: str = ""
    content: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    party_signed: bool = False
    refusal_note: str = ""
    variant: str = ""


# --- request fingerprint and key -----------------------------------------------------------------------------------


def request_sha256(*, method: str, path: str, body: bytes) -> str:
    """The fingerprint of a push: SHA-256 over the method, the path and the body as canonical JSON (keys sorted, no
    spaces), so that the same content sent with other spacing or key order counts as the same request."""
    try:
        parsed = json.loads(body or b"null")
    except ValueError:
        canonical = bytes(body)
    else:
        canonical = json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = f"{method.upper()} {path}\n".encode()
    return hashlib.sha256(head + canonical).hexdigest()


def _check_key(key: str | None) -> str:
    if key is None or not key.strip():
        raise ServiceError.single(
            "Idempotency-Key", "required", _("请在 Idempotency-Key 头中提供幂等键（每次推送唯一，重试时保持不变）。")
        )
    clean = key.strip()
    if len(clean) > KEY_MAX or not clean.isprintable():
        raise ServiceError.single("Idempotency-Key", "invalid", _("幂等键应为不超过%(n)d个可见字符。") % {"n": KEY_MAX})
    return clean


# --- the two pushes ---------------------------------------------------------------------------------------------


def case_push(
    *, client: ApiClient, idempotency_key: str | None, fingerprint: str, push: CasePush, now: datetime | None = None
) -> PushResult:
    """Create a case pushed by another system (once per idempotency key); 201 with the case's identifiers."""

    def work() -> tuple[Case, int, dict[str, Any], dict[str, Any]]:
        case = _create(client, push, now)
        return case, 201, case_body(case), {"external_id": push.external_id}

    return _idempotent(
        client=client,
        key=idempotency_key,
        fingerprint=fingerprint,
        operation=OP_CASE,
        external_id=push.external_id,
        work=work,
    )


def step_push(
    *,
    client: ApiClient,
    idempotency_key: str | None,
    fingerprint: str,
    external_id: str,
    push: StepPush,
    now: datetime | None = None,
) -> PushResult:
    """Record a step of a case the system pushed earlier (found by its external id); 201 with the record."""

    def work() -> tuple[Case, int, dict[str, Any], dict[str, Any]]:
        case, record = _record(client, external_id, push, now)
        body = {"case": case_body(case), "record": record_body(case, record)}
        return case, 201, body, {"external_id": external_id, "record": str(record.public_id), "step": record.step}

    return _idempotent(
        client=client,
        key=idempotency_key,
        fingerprint=fingerprint,
        operation=OP_STEP,
        external_id=external_id,
        work=work,
    )


def case_body(case: Case) -> dict[str, Any]:
    """What a push answers about a case (JSON-ready)."""
    return {
        "id": str(case.public_id),
        "number": case.number,
        "external_id": case.external_id,
        "workflow": case.workflow,
        "status": str(case.status),
        "step": case.step,
        "step_name": step_name(case.workflow, case.step),
        "record_count": case.record_count,
    }


def record_body(case: Case, record: CaseRecord) -> dict[str, Any]:
    """What a push answers about a record (JSON-ready)."""
    return {
        "id": str(record.public_id),
        "seq": record.seq,
        "step": record.step,
        "step_name": step_name(case.workflow, record.step),
        "occurred_at": timezone.localtime(record.occurred_at).isoformat(),
        "entry_hash": record.entry_hash,
    }


# --- the work -------------------------------------------------------------------------------------------------------


def _in_scope(client: ApiClient, agency: Agency) -> None:
    if not client.agencies.filter(pk=agency.pk).exists():
        raise Forbidden.single(
            "__all__", "agency_not_allowed", _("该接入系统无权推送“%(n)s”的案件。") % {"n": agency.name}
        )


def _staff(agency: Agency, ids: list[uuid.UUID], *, field_name: str) -> list[User]:
    """The named people, in order: active users of the agency with a handling role; FieldError otherwise."""
    wanted = list(dict.fromkeys(ids))
    found = {u.public_id: u for u in User.objects.filter(public_id__in=wanted, agency=agency, is_active=True)}
    errors = []
    for key in wanted:
        user = found.get(key)
        if user is None or not any(user.has_role(r) for r in STAFF_ROLES):
            errors.append(
                FieldError(
                    field_name,
                    "not_staff",
                    _("人员 %(id)s 不是“%(a)s”的在职执法人员或负责人。") % {"id": key, "a": agency.name},
                )
            )
    if errors:
        raise ServiceError(errors)
    return [found[k] for k in wanted]


def _create(client: ApiClient, push: CasePush, now: datetime | None) -> Case:
    unit = Unit.objects.select_related("agency", "agency__region").filter(public_id=push.unit).first()
    if unit is None:
        raise ServiceError.single("unit", "not_found", _("承办机构不存在。"))
    _in_scope(client, unit.agency)
    if Case.objects.filter(external_system=client, external_id=push.external_id).exists():
        raise Conflict.single(
            "external_id",
            "duplicate",
            _("该外部标识的案件已经推送过；请推送其办理环节，或为新案件使用新的外部标识。"),
        )
    lead = _staff(unit.agency, [push.lead_officer], field_name="lead_officer")[0]
    officers = _staff(unit.agency, push.officers, field_name="officers")
    item = None
    if push.item is not None:
        item = EnforcementItem.objects.filter(public_id=push.item, agency=unit.agency).first()
        if item is None:
            raise ServiceError.single("item", "not_found", _("执法事项不存在或不属于该执法主体。"))
    return case_create(
        acting_user=lead,
        workflow=push.workflow,
        unit=unit,
        title=push.title,
        party_kind=push.party_kind,
        party_name=push.party_name,
        source=push.source,
        item=item,
        region_code=push.region_code,
        summary=push.summary,
        source_ref=push.source_ref,
        complainant_name=push.complainant_name,
        party_id_number=push.party_id_number,
        party_address=push.party_address,
        party_phone=push.party_phone,
        officers=officers,
        external_system=client,
        external_id=push.external_id,
        now=now,
    )


def _pushed_case(client: ApiClient, external_id: str) -> Case | None:
    return (
        Case.objects.select_related("agency", "unit", "lead_officer")
        .filter(external_system=client, external_id=external_id)
        .first()
    )


def _record(client: ApiClient, external_id: str, push: StepPush, now: datetime | None) -> tuple[Case, CaseRecord]:
    case = _pushed_case(client, external_id)
    if case is None:
        raise NotFound.single("external_id", "not_found", _("本系统没有推送过该外部标识的案件。"))
    _in_scope(client, case.agency)
    if push.recorded_by is not None:
        actor = _staff(case.agency, [push.recorded_by], field_name="recorded_by")[0]
    else:
        actor = _staff(case.agency, [case.lead_officer.public_id], field_name="recorded_by")[0]
    officers = _staff(case.agency, push.officers, field_name="officers")
    wanted = list(dict.fromkeys(push.av_records))
    found = {
        a.public_id: a
        for a in AVRecord.objects.filter(public_id__in=wanted, agency=case.agency).prefetch_related("interruptions")
    }
    missing = [k for k in wanted if k not in found]
    if missing:
        raise ServiceError(
            [
                FieldError("av_records", "not_found", _("音像记录 %(id)s 不存在或不属于该执法主体。") % {"id": k})
                for k in missing
            ]
        )
    given = StepInput(
        occurred_at=push.occurred_at,
        place=push.place,
        officers=officers,
        certificates_shown=push.certificates_shown,
        party_present=push.party_present,
        rights_notified=list(push.rights_notified),
        rights_how=push.rights_how,
        content=push.content,
        data=dict(push.data),
        party_signed=push.party_signed,
        refusal_note=push.refusal_note,
        variant=push.variant,
        av_records=[found[k] for k in wanted],
    )
    record = case_step_record(acting_user=actor, case=case, step=push.step, given=given, now=now)
    return case, record


# --- idempotency ------------------------------------------------------------------------------------------------

Work = Callable[[], tuple[Case, int, dict[str, Any], dict[str, Any]]]


def _stored(client: ApiClient, key: str, fingerprint: str) -> PushResult | None:
    """The stored answer for the key, None when the key is new; Conflict when it was used for another request."""
    receipt = PushReceipt.objects.filter(client=client, idempotency_key=key).first()
    if receipt is None:
        return None
    if receipt.request_sha256 != fingerprint:
        raise Conflict.single(
            "Idempotency-Key",
            "key_reused",
            _("该幂等键已用于内容不同的推送；新的推送请使用新的幂等键。"),
        )
    return PushResult(status=receipt.status_code, body=receipt.response, replayed=True)


def _lock(client: ApiClient) -> None:
    """Serialise the client's pushes for this transaction, and refuse a token revoked meanwhile."""
    locked = ApiClient.objects.select_for_update().only("id", "revoked_at").get(pk=client.pk)
    if locked.revoked_at is not None:
        raise Unauthenticated.single("__all__", "token_revoked", _("接入令牌已吊销。"))


def _client_ref(client: ApiClient) -> dict[str, str]:
    return {"id": str(client.public_id), "name": client.name}


def _idempotent(
    *, client: ApiClient, key: str | None, fingerprint: str, operation: str, external_id: str, work: Work
) -> PushResult:
    clean = _check_key(key)
    try:
        replay = _stored(client, clean, fingerprint)
    except Conflict as exc:
        _record_key_conflict(client=client, key=clean, fingerprint=fingerprint, operation=operation, exc=exc)
        raise
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            _lock(client)
            replay = _stored(client, clean, fingerprint)
            if replay is not None:
                return replay
            case, status, body, facts = work()
            PushReceipt.objects.create(
                client=client,
                idempotency_key=clean,
                request_sha256=fingerprint,
                status_code=status,
                response=body,
                case=case,
            )
            audit(
                kind="case.pushed",
                actor=None,
                actor_text=client_actor(client),
                stream=case.stream,
                payload={
                    "client": _client_ref(client),
                    "operation": operation,
                    "idempotency_key": clean,
                    "request_sha256": fingerprint,
                    "case": str(case.public_id),
                    "status": status,
                    **facts,
                },
            )
            return PushResult(status=status, body=body)
    except Unauthenticated:
        raise
    except Conflict as exc:
        if exc.errors and exc.errors[0].code == "key_reused":  # another request took the key meanwhile
            _record_key_conflict(client=client, key=clean, fingerprint=fingerprint, operation=operation, exc=exc)
            raise
        return _refused(client, clean, fingerprint, operation, external_id, exc)
    except ServiceError as exc:
        return _refused(client, clean, fingerprint, operation, external_id, exc)
    except IntegrityError:
        # A concurrent push with the same key won the race (possible on databases without row locks).
        replay = _stored(client, clean, fingerprint)
        if replay is None:
            raise
        return replay


def _refused(
    client: ApiClient, key: str, fingerprint: str, operation: str, external_id: str, exc: ServiceError
) -> PushResult:
    """Store a refusal as the key's answer and record it (permission refusals also in the security stream)."""
    body = {"errors": exc.as_dicts()}
    with transaction.atomic():
        _lock(client)
        replay = _stored(client, key, fingerprint)
        if replay is not None:
            return replay
        case = _pushed_case(client, external_id) if operation == OP_STEP else None
        PushReceipt.objects.create(
            client=client,
            idempotency_key=key,
            request_sha256=fingerprint,
            status_code=exc.status,
            response=body,
            case=case,
        )
        payload = {
            "client": _client_ref(client),
            "operation": operation,
            "idempotency_key": key,
            "request_sha256": fingerprint,
            "external_id": external_id,
            "case": str(case.public_id) if case else None,
            "status": exc.status,
            "errors": body["errors"],
        }
        audit(
            kind="case.push_refused",
            actor=None,
            actor_text=client_actor(client),
            stream=case.stream if case else client_stream(client),
            payload=payload,
        )
        if isinstance(exc, Forbidden):
            audit(
                kind="permission.denied",
                actor=None,
                actor_text=client_actor(client),
                stream=SECURITY_STREAM,
                payload={"action": f"push.{operation}", "target": external_id, "client": _client_ref(client)},
            )
    return PushResult(status=exc.status, body=body)


def _record_key_conflict(*, client: ApiClient, key: str, fingerprint: str, operation: str, exc: Conflict) -> None:
    """A reused key has no receipt of its own (the key's receipt stays the first push's): the ledger records it."""
    with transaction.atomic():
        audit(
            kind="case.push_refused",
            actor=None,
            actor_text=client_actor(client),
            stream=client_stream(client),
            payload={
                "client": _client_ref(client),
                "operation": operation,
                "idempotency_key": key,
                "request_sha256": fingerprint,
                "status": exc.status,
                "errors": exc.as_dicts(),
            },
        )
