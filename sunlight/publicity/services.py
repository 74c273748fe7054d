"""Writes of the publicity app: drafts from decisions, confirmation and publication, withdrawal and update,
retention, correction requests (PUB-4..PUB-8, PUB-12).

Every service checks first (capability, state, input: all errors collected into one ServiceError), then writes the
change and its ledger entry in one transaction. Published text is never changed: an update or a correction is a
new `PublicationVersion`, a withdrawal a `Withdrawal` row; the tables are append-only in the database as well.
Ledger payloads carry hashes and identifiers, never the personal data of a decision or of a requester.

The contract with the case system (PUB-4, PUB-12): `publication_draft_create(...)` when a decision is recorded
(idempotent on source_type, source_id, kind) and `publication_revoke_request(...)` when it is revoked or changed.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sunlight.core.calendar import local_date, shift_months, start_of_local_day
from sunlight.core.choices import DeadlineStatus
from sunlight.core.deadlines import deadline_cancel, deadline_complete, deadline_open
from sunlight.core.errors import FieldError, ServiceError
from sunlight.core.ids import is_valid_region_code
from sunlight.core.ledger import actor_label, at_text, ledger_append, sha256_hex
from sunlight.core.models import Deadline
from sunlight.org.choices import ActionType

from . import records
from .choices import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_MAX_FILES,
    EVIDENCE_TYPES,
    FAST_ACTION_TYPES,
    FIELD_NAMES,
    PUBLIC_FIELDS,
    RETENTION_MONTHS,
    RULE_CORRECTION,
    RULE_CORRECTION_URGENT,
    RULE_FAST,
    RULE_OTHER,
    RULE_REVOCATION,
    CorrectionOutcome,
    PublicationKind,
    PublicationStatus,
    RevocationEvent,
    VersionReason,
)
from .models import (
    CorrectionDecision,
    CorrectionEvidence,
    CorrectionRequest,
    Publication,
    PublicationSource,
    PublicationVersion,
    RevocationRequest,
    Withdrawal,
)
from .permissions import require_publish
from .search import index_publication, unindex_publication

if TYPE_CHECKING:
    from sunlight.evidence.models import StoredFile
    from sunlight.org.models import Agency, User

SUBJECT_PUBLICATION = "publicity.publication"
SUBJECT_REVOCATION = "publicity.revocation"
SUBJECT_CORRECTION = "publicity.correction"

FIELD_LIMITS = {"title": 300, "party": 200, "body": 20_000, "basis": 5_000, "result": 5_000}
CHANGE_LABELS = {
    "id_number": gettext_lazy("身份证号码"),
    "mobile": gettext_lazy("手机号码"),
    "landline": gettext_lazy("固定电话"),
    "bank_card": gettext_lazy("银行卡号"),
    "email": gettext_lazy("电子邮箱"),
    "address": gettext_lazy("详细地址"),
    "person": gettext_lazy("自然人姓名"),
}
LEDGER_KINDS = {
    VersionReason.INITIAL: "publicity.published",
    VersionReason.UPDATE: "publicity.updated",
    VersionReason.CORRECTION: "publicity.corrected",
}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else at_text(moment)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _field_label(name: str) -> str:
    return str(dict(PUBLIC_FIELDS).get(name, name))


# --- drafts (PUB-4, PUB-12) ----------------------------------------------------------------------------------------


def rule_for(*, kind: str, action_type: str) -> str:
    """The publication period: 7 WD for licence and penalty decisions, 20 WD for everything else (PUB-4)."""
    if kind == PublicationKind.DECISION and action_type in FAST_ACTION_TYPES:
        return RULE_FAST
    return RULE_OTHER


def publication_draft_create(
    *,
    source_type: str,
    source_id: str,
    agency: Agency,
    action_type: str,
    kind: str,
    title: str,
    party_name: str,
    party_is_person: bool,
    persons: Sequence[str],
    body: str,
    basis: str,
    result: str,
    document_number: str,
    decided_on: date,
    region_code: str = "",
    acting_user: User | None,
    now: datetime | None = None,
) -> Publication:
    """A decision yields a publication draft at once (PUB-4), with its deadline and an automatic redaction.

    Idempotent on (source_type, source_id, kind): a second call returns the existing publication unchanged. The
    deadline runs from the decision date: 7 WD for licence and penalty decisions, 20 WD otherwise. The automatic
    redaction (natural persons of the case; the party's name kept when it is not a person; the agency kept) is
    stored with the source as the proposal a person confirms. Runs in the caller's transaction when there is one.
    Records `publicity.draft_created`.
    """
    moment = now or timezone.now()
    source_type, source_id = _text(source_type), _text(str(source_id))
    existing = Publication.objects.filter(source_type=source_type, source_id=source_id, kind=kind).first()
    if existing is not None:
        return existing
    errors: list[FieldError] = []
    if not source_type or len(source_type) > 40:
        errors.append(FieldError("source_type", "invalid", _("来源类型不能为空，且不超过40个字符。")))
    if not source_id or len(source_id) > 64:
        errors.append(FieldError("source_id", "invalid", _("来源标识不能为空，且不超过64个字符。")))
    if kind not in PublicationKind.values:
        errors.append(FieldError("kind", "invalid", _("公示类别无效。")))
    if action_type not in ActionType.values:
        errors.append(FieldError("action_type", "invalid", _("行为类型无效。")))
    if agency is None or getattr(agency, "pk", None) is None:
        errors.append(FieldError("agency", "required", _("请指定执法主体。")))
    fields = records.original_fields(
        title=_text(title), party_name=_text(party_name), body=body or "", basis=basis or "", result=result or ""
    )
    for name in ("title", "party", "body"):
        if not fields[name].strip():
            errors.append(FieldError(name, "required", _("缺少%(field)s。") % {"field": _field_label(name)}))
    for name, limit in FIELD_LIMITS.items():
        if len(fields[name]) > limit:
            errors.append(
                FieldError(
                    name, "too_long", _("%(field)s超过%(n)d个字符。") % {"field": _field_label(name), "n": limit}
                )
            )
    if len(_text(document_number)) > 100:
        errors.append(FieldError("document_number", "too_long", _("文书编号超过100个字符。")))
    if not isinstance(decided_on, date) or isinstance(decided_on, datetime):
        errors.append(FieldError("decided_on", "invalid", _("决定日期应为日期。")))
    elif decided_on > local_date(moment):
        errors.append(FieldError("decided_on", "future", _("决定日期不能晚于今天。")))
    region = _text(region_code) or (agency.region.code if agency is not None and agency.pk else "")
    if region and not is_valid_region_code(region):
        errors.append(FieldError("region_code", "invalid", _("区划代码格式不正确。")))
    if errors:
        raise ServiceError(errors)

    people = [p for p in (persons or ()) if isinstance(p, str)]
    context = records.context_for(
        party_name=fields["party"], party_is_person=bool(party_is_person), persons=people, agency_name=agency.name
    )
    proposal = records.propose(fields, context, party_is_person=bool(party_is_person))
    digest = records.original_hash(fields, persons=list(context.persons), party_is_person=bool(party_is_person))
    label = proposal["title"].text.strip()[:300] or _("（无标题）")
    public_id = uuid.uuid4()
    rule = rule_for(kind=kind, action_type=action_type)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                public_id=public_id,
                source_type=source_type,
                source_id=source_id,
                kind=kind,
                agency=agency,
                action_type=action_type,
                region_code=region,
                label=label,
                document_number=_text(document_number),
                decided_on=decided_on,
                created_at=moment,
                created_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
            PublicationSource.objects.create(
                publication=publication,
                title=fields["title"],
                party_name=fields["party"],
                party_is_person=bool(party_is_person),
                persons=list(context.persons),
                body=fields["body"],
                basis=fields["basis"],
                result=fields["result"],
                original_hash=digest,
                received_at=moment,
                proposal=records.proposal_json(proposal),
            )
            deadline = deadline_open(
                rule_code=rule,
                subject_type=SUBJECT_PUBLICATION,
                subject_id=str(public_id),
                subject_label=f"{publication.document_number} {label}".strip()[:200],
                started_at=start_of_local_day(decided_on),
                start_event=_("作出决定（%(date)s）") % {"date": decided_on.isoformat()},
                agency=agency,
                region_code=region,
                acting_user=acting_user,
                now=moment,
            )
            publication.deadline = deadline
            publication.save(update_fields=["deadline"])
            ledger_append(
                stream=publication.stream,
                kind="publicity.draft_created",
                actor=actor_label(acting_user),
                payload={
                    "publication": str(public_id),
                    "source_type": source_type,
                    "source_id": source_id,
                    "kind": kind,
                    "action_type": action_type,
                    "agency": str(agency.public_id),
                    "document_number": publication.document_number,
                    "decided_on": decided_on.isoformat(),
                    "original_hash": digest,
                    "automatic_changes": sum(len(r.changes) for r in proposal.values()),
                    "deadline": str(deadline.public_id),
                    "rule": rule,
                },
            )
    except IntegrityError:
        # The same decision pushed twice at the same moment: the other push created it.
        existing = Publication.objects.filter(source_type=source_type, source_id=source_id, kind=kind).first()
        if existing is None:
            raise
        return existing
    return publication


# --- confirmation and publication (PUB-5) ---------------------------------------------------------------------------


def context_of(publication: Publication) -> records.RedactionContext:
    """The redaction context of a publication's source."""
    source = publication.source
    return records.context_for(
        party_name=source.party_name,
        party_is_person=source.party_is_person,
        persons=list(source.persons or []),
        agency_name=publication.agency.name,
    )


def review_token_of(publication: Publication) -> str:
    """The token the confirmation screen carries (see records.review_token)."""
    source = publication.source
    return records.review_token(original=source.original_hash, proposal=source.proposal)


def _clean_fields(
    fields: Mapping[str, Any] | None, fallback: Mapping[str, str]
) -> tuple[dict[str, str], list[FieldError]]:
    """The fields to publish: the confirmer's text, or the fallback for a field not given."""
    errors: list[FieldError] = []
    clean: dict[str, str] = {}
    given = fields or {}
    for name in FIELD_NAMES:
        value = given.get(name, fallback.get(name, ""))
        if not isinstance(value, str):
            errors.append(FieldError(name, "invalid", _("%(field)s应为文本。") % {"field": _field_label(name)}))
            continue
        value = value.replace("\r\n", "\n").replace("\x00", "")
        if name in ("title", "party"):
            value = " ".join(value.split())
        clean[name] = value
        if name in ("title", "party", "body") and not value.strip():
            errors.append(FieldError(name, "required", _("请填写%(field)s。") % {"field": _field_label(name)}))
        if len(value) > FIELD_LIMITS[name]:
            errors.append(
                FieldError(
                    name,
                    "too_long",
                    _("%(field)s不超过%(n)d个字符。") % {"field": _field_label(name), "n": FIELD_LIMITS[name]},
                )
            )
    return clean, errors


def _privacy_errors(
    fields: Mapping[str, str], context: records.RedactionContext, *, party_is_person: bool
) -> list[FieldError]:
    """One error per field that still holds personal data the engine detects (PUB-5), in Chinese, listing what."""
    errors = []
    for name, changes in records.remaining_personal_data(fields, context, party_is_person=party_is_person).items():
        counts: dict[str, int] = {}
        for change in changes:
            counts[change.kind] = counts.get(change.kind, 0) + 1
        what = "、".join(
            _("%(what)s %(n)d 处") % {"what": CHANGE_LABELS.get(kind, kind), "n": n} for kind, n in counts.items()
        )
        errors.append(
            FieldError(
                name,
                "personal_data",
                _(
                    "“%(field)s”中仍有未隐去的个人信息（%(what)s），请隐去后再发布；经当事人同意全文公开的，请勾选并说明依据。"
                )
                % {"field": _field_label(name), "what": what},
            )
        )
    return errors


def _lock(publication: Publication, allowed: set[str], action: str) -> Publication:
    locked = Publication.objects.select_for_update().select_related("agency", "agency__region").get(pk=publication.pk)
    if locked.status not in allowed:
        raise ServiceError.single(
            "__all__",
            "bad_state",
            _("该公示当前状态为“%(status)s”，不能%(action)s。")
            % {"status": locked.get_status_display(), "action": action},
        )
    return locked


def _publish_version(
    *,
    locked: Publication,
    fields: Mapping[str, str],
    reason: str,
    explanation: str,
    consent_full: bool,
    consent_note: str,
    changes: Mapping[str, Any],
    acting_user: User,
    moment: datetime,
    revocation: RevocationRequest | None = None,
    correction: CorrectionRequest | None = None,
) -> PublicationVersion:
    """Write one version, its ledger entry, the projection and the search entry (inside the caller's transaction)."""
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    number = last + 1
    agency = locked.agency
    record = records.build_record(
        public_id=str(locked.public_id),
        number=number,
        reason=reason,
        kind=locked.kind,
        action_type=locked.action_type,
        agency_name=agency.name,
        agency_credit_code=agency.credit_code,
        region_code=locked.region_code,
        document_number=locked.document_number,
        decided_on=locked.decided_on,
        fields=fields,
        explanation=explanation,
        published_at=moment,
    )
    published_hash = records.record_hash(record)
    entry = ledger_append(
        stream=locked.stream,
        kind=LEDGER_KINDS[VersionReason(reason)],
        actor=actor_label(acting_user),
        # Public on the verify page, so nothing derived from the unredacted text: a hash of the original would let
        # anyone test guesses of a redacted name against it.
        payload={
            "publication": str(locked.public_id),
            "version": number,
            "reason": reason,
            "published_hash": published_hash,
            "consent_full": consent_full,
        },
    )
    version = PublicationVersion.objects.create(
        publication=locked,
        number=number,
        reason=reason,
        record=record,
        changes=dict(changes),
        original_hash=locked.source.original_hash,
        published_hash=published_hash,
        consent_full=consent_full,
        consent_note=consent_note,
        explanation=explanation,
        revocation=revocation,
        correction=correction,
        confirmed_by=acting_user,
        confirmed_at=moment,
        ledger_seq=entry.seq,
        ledger_entry_hash=entry.entry_hash,
    )
    locked.status = PublicationStatus.PUBLISHED
    locked.current_version = version
    locked.label = fields["title"][:300]
    if locked.first_published_at is None:
        locked.first_published_at = moment
        locked.expires_on = shift_months(local_date(moment), RETENTION_MONTHS)
    locked.last_published_at = moment
    locked.changed_at = moment
    locked.save(
        update_fields=[
            "status",
            "current_version",
            "label",
            "first_published_at",
            "expires_on",
            "last_published_at",
            "changed_at",
        ]
    )
    index_publication(locked, version)
    return version


def _changes_record(
    fields: Mapping[str, str], proposal: Mapping[str, Any], *, base: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Per field: the automatic changes that were proposed, and whether the confirmer's text differs from the
    proposal (or from `base`, the text in force, for updates)."""
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        proposed = proposal.get(name, {})
        reference = (base or {}).get(name, proposed.get("text", "")) if base else proposed.get("text", "")
        out[name] = {"automatic": proposed.get("changes", []), "edited": fields.get(name, "") != reference}
    return out


def publication_confirm(
    *,
    publication: Publication,
    review_token: str,
    fields: Mapping[str, Any] | None = None,
    consent_full: bool = False,
    consent_note: str = "",
    acting_user: User,
    now: datetime | None = None,
) -> PublicationVersion:
    """A person confirms the redacted text and publishes it (PUB-4, PUB-5); records `publicity.published`.

    `review_token` must be the token of the side-by-side comparison the confirmer was shown (`review_token_of`):
    a stale or missing one is refused. `fields` is the text to publish (title, party, body, basis, result; a missing
    field keeps the automatic proposal); it is checked again by the redaction engine and refused while personal
    data remains, unless the person consented to publication in full (`consent_full`, with `consent_note`). The
    publication deadline is completed (met or late), the ledger entry carries the hash of the published record, and
    the decision is on the portal and in search at once (PUB-12).
    """
    moment = now or timezone.now()
    require_publish(acting_user, publication.agency, target=str(publication.public_id))
    with transaction.atomic():
        locked = _lock(publication, {PublicationStatus.DRAFT}, _("确认发布"))
        source = locked.source
        errors: list[FieldError] = []
        if not review_token or review_token != review_token_of(locked):
            errors.append(
                FieldError(
                    "review_token",
                    "not_reviewed",
                    _("请在对照页面核对原文与隐名处理结果后再确认（页面已过期时请刷新）。"),
                )
            )
        proposed = {name: source.proposal.get(name, {}).get("text", "") for name in FIELD_NAMES}
        clean, field_errors = _clean_fields(fields, proposed)
        errors += field_errors
        note = _text(consent_note)
        if consent_full and not note:
            errors.append(FieldError("consent_note", "required", _("全文公开须说明当事人同意的依据（如书面同意书）。")))
        if len(note) > 500:
            errors.append(FieldError("consent_note", "too_long", _("同意公开的依据不超过500个字符。")))
        if not field_errors and not consent_full:
            errors += _privacy_errors(clean, context_of(locked), party_is_person=source.party_is_person)
        if errors:
            raise ServiceError(errors)
        version = _publish_version(
            locked=locked,
            fields=clean,
            reason=VersionReason.INITIAL,
            explanation="",
            consent_full=bool(consent_full),
            consent_note=note,
            changes=_changes_record(clean, source.proposal),
            acting_user=acting_user,
            moment=moment,
        )
        deadline = locked.deadline
        if deadline is not None and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
            deadline_complete(deadline=deadline, at=max(moment, deadline.started_at), acting_user=acting_user)
    _refresh(publication, locked)
    return version


def _refresh(original: Publication, locked: Publication) -> None:
    if original is not locked:
        original.refresh_from_db()


# --- revocation, withdrawal, update (PUB-6) ------------------------------------------------------------------------


def publication_revoke_request(
    *,
    source_type: str,
    source_id: str,
    kind: str = PublicationKind.DECISION,
    event: str = RevocationEvent.REVOKED,
    reason: str,
    acting_user: User | None,
    now: datetime | None = None,
) -> RevocationRequest | None:
    """The decision behind a publication was revoked, changed or declared void: open the 3-WD clock to withdraw or
    update it (PUB-6; 行政处罚法 第48条). Called by the case system; records `publicity.revocation_requested`.

    Returns None when there is nothing on or headed for the portal (no publication for that source, or one already
    withdrawn or expired), so that the caller's own change is never blocked by the portal.
    """
    moment = now or timezone.now()
    errors: list[FieldError] = []
    if event not in RevocationEvent.values:
        errors.append(FieldError("event", "invalid", _("事由无效。")))
    text = _text(reason)
    if not text:
        errors.append(FieldError("reason", "required", _("请说明撤销或变更的情况。")))
    if errors:
        raise ServiceError(errors)
    publication = (
        Publication.objects.select_related("agency", "agency__region")
        .filter(source_type=_text(source_type), source_id=_text(str(source_id)), kind=kind)
        .first()
    )
    if publication is None or publication.status in (PublicationStatus.WITHDRAWN, PublicationStatus.EXPIRED):
        return None
    public_id = uuid.uuid4()
    with transaction.atomic():
        deadline = deadline_open(
            rule_code=RULE_REVOCATION,
            subject_type=SUBJECT_REVOCATION,
            subject_id=str(public_id),
            subject_label=f"{publication.document_number} {publication.label}".strip()[:200],
            started_at=moment,
            start_event=str(RevocationEvent(event).label),
            agency=publication.agency,
            region_code=publication.region_code,
            acting_user=acting_user,
            now=moment,
        )
        request = RevocationRequest.objects.create(
            public_id=public_id,
            publication=publication,
            event=event,
            reason=text[:5000],
            requested_at=moment,
            requested_by=acting_user if getattr(acting_user, "pk", None) else None,
            deadline=deadline,
        )
        ledger_append(
            stream=publication.stream,
            kind="publicity.revocation_requested",
            actor=actor_label(acting_user),
            payload={
                "publication": str(publication.public_id),
                "revocation": str(public_id),
                "event": event,
                "deadline": str(deadline.public_id),
            },
        )
    return request


def _complete_revocations(locked: Publication, *, moment: datetime, acting_user: User) -> list[str]:
    """Complete the open revocation deadlines of a publication (it has been withdrawn or updated)."""
    done = []
    for request in locked.revocations.select_related("deadline"):
        deadline = request.deadline
        if deadline is not None and deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
            deadline_complete(deadline=deadline, at=max(moment, deadline.started_at), acting_user=acting_user)
            done.append(str(request.public_id))
    return done


def _open_revocation(locked: Publication) -> RevocationRequest | None:
    for request in locked.revocations.select_related("deadline").order_by("-requested_at"):
        if request.deadline is not None and request.deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
            return request
    return None


def publication_withdraw(
    *, publication: Publication, explanation: str, acting_user: User, now: datetime | None = None
) -> Withdrawal:
    """Take a publication off the portal with a public explanation (PUB-6); records `publicity.withdrawn`.

    The decision page then shows only the withdrawal notice; every earlier version stays, internally. A draft can
    be withdrawn too (its publication deadline is cancelled). Open revocation deadlines are completed.
    """
    moment = now or timezone.now()
    require_publish(acting_user, publication.agency, target=str(publication.public_id))
    text = _text(explanation)
    errors: list[FieldError] = []
    if not text:
        errors.append(FieldError("explanation", "required", _("请填写撤回说明，说明将向社会公开。")))
    elif len(text) > 2000:
        errors.append(FieldError("explanation", "too_long", _("撤回说明不超过2000个字符。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked = _lock(publication, {PublicationStatus.DRAFT, PublicationStatus.PUBLISHED}, _("撤回"))
        was = locked.status
        revocation = _open_revocation(locked)
        unindex_publication(locked)
        entry = ledger_append(
            stream=locked.stream,
            kind="publicity.withdrawn",
            actor=actor_label(acting_user),
            payload={
                "publication": str(locked.public_id),
                "from": str(was),
                "explanation_hash": sha256_hex(text.encode("utf-8")),
                "revocation": str(revocation.public_id) if revocation else None,
            },
        )
        withdrawal = Withdrawal.objects.create(
            publication=locked,
            explanation=text,
            revocation=revocation,
            withdrawn_by=acting_user,
            withdrawn_at=moment,
            ledger_seq=entry.seq,
            ledger_entry_hash=entry.entry_hash,
        )
        locked.status = PublicationStatus.WITHDRAWN
        locked.withdrawn_at = moment
        if was == PublicationStatus.PUBLISHED:
            locked.changed_at = moment  # the exchange export tells the upper-level platform (PUB-12)
        locked.save(update_fields=["status", "withdrawn_at", "changed_at"])
        if was == PublicationStatus.DRAFT and locked.deadline_id is not None:
            deadline = Deadline.objects.get(pk=locked.deadline_id)
            if deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
                deadline_cancel(
                    deadline=deadline,
                    reason=_("公示草稿已撤回：%(text)s") % {"text": text[:100]},
                    acting_user=acting_user,
                    now=moment,
                )
        _complete_revocations(locked, moment=moment, acting_user=acting_user)
    _refresh(publication, locked)
    return withdrawal


def publication_update(
    *,
    publication: Publication,
    fields: Mapping[str, Any],
    explanation: str,
    consent_full: bool = False,
    consent_note: str = "",
    acting_user: User,
    now: datetime | None = None,
) -> PublicationVersion:
    """Publish a changed text with a public explanation (PUB-6): a new version; the earlier ones stay, internally.

    The text is checked for personal data as on confirmation. Open revocation deadlines are completed. Records
    `publicity.updated`.
    """
    moment = now or timezone.now()
    require_publish(acting_user, publication.agency, target=str(publication.public_id))
    with transaction.atomic():
        locked = _lock(publication, {PublicationStatus.PUBLISHED}, _("更新"))
        current = locked.current_version
        assert current is not None
        base = {name: current.field(name) for name in FIELD_NAMES}
        clean, errors = _clean_fields(fields, base)
        text = _text(explanation)
        if not text:
            errors.append(FieldError("explanation", "required", _("请填写更新说明，说明将向社会公开。")))
        elif len(text) > 2000:
            errors.append(FieldError("explanation", "too_long", _("更新说明不超过2000个字符。")))
        note = _text(consent_note)
        if consent_full and not note:
            errors.append(FieldError("consent_note", "required", _("全文公开须说明当事人同意的依据（如书面同意书）。")))
        if clean == base and not errors:
            errors.append(FieldError("__all__", "unchanged", _("内容没有变化；如需下线请使用“撤回”。")))
        if not errors and not consent_full:
            errors += _privacy_errors(clean, context_of(locked), party_is_person=locked.source.party_is_person)
        if errors:
            raise ServiceError(errors)
        version = _publish_version(
            locked=locked,
            fields=clean,
            reason=VersionReason.UPDATE,
            explanation=text,
            consent_full=bool(consent_full),
            consent_note=note,
            changes=_changes_record(clean, locked.source.proposal, base=base),
            acting_user=acting_user,
            moment=moment,
            revocation=_open_revocation(locked),
        )
        _complete_revocations(locked, moment=moment, acting_user=acting_user)
    _refresh(publication, locked)
    return version


# --- retention (PUB-7) ---------------------------------------------------------------------------------------------


def publicity_tick(*, now: datetime) -> dict[str, int]:
    """Take entries off the portal five years after their first publication (PUB-7); they stay internally.

    Idempotent: each expiry in its own transaction with `publicity.expired`; a second run finds nothing to do.
    """
    today = local_date(now)
    due = list(
        Publication.objects.filter(status=PublicationStatus.PUBLISHED, expires_on__lte=today).values_list(
            "pk", flat=True
        )
    )
    expired = 0
    for pk in due:
        with transaction.atomic():
            locked = Publication.objects.select_for_update().filter(pk=pk, status=PublicationStatus.PUBLISHED).first()
            if locked is None or locked.expires_on is None or locked.expires_on > today:
                continue
            unindex_publication(locked)
            locked.status = PublicationStatus.EXPIRED
            locked.expired_at = now
            locked.changed_at = now
            locked.save(update_fields=["status", "expired_at", "changed_at"])
            ledger_append(
                stream=locked.stream,
                kind="publicity.expired",
                actor="system",
                payload={
                    "publication": str(locked.public_id),
                    "first_published_at": _iso(locked.first_published_at),
                    "expires_on": locked.expires_on.isoformat(),
                },
            )
            expired += 1
    return {"expired": expired}


# --- correction requests (PUB-8) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceUpload:
    """A file sent with a correction request."""

    filename: str
    content: bytes


def _sniff(extension: str, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    return False


def _evidence_errors(files: Sequence[EvidenceUpload]) -> list[FieldError]:
    errors = []
    if len(files) > EVIDENCE_MAX_FILES:
        errors.append(FieldError("evidence", "too_many", _("证据材料最多%(n)d个文件。") % {"n": EVIDENCE_MAX_FILES}))
    for upload in files:
        name = upload.filename or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in EVIDENCE_TYPES:
            errors.append(
                FieldError("evidence", "bad_type", _("“%(name)s”：仅接受 PDF、JPG、PNG 文件。") % {"name": name[:80]})
            )
        elif len(upload.content) > EVIDENCE_MAX_BYTES:
            errors.append(FieldError("evidence", "too_large", _("“%(name)s”超过10MB。") % {"name": name[:80]}))
        elif not upload.content or not _sniff(extension, upload.content[:16]):
            errors.append(
                FieldError("evidence", "bad_content", _("“%(name)s”的内容与文件类型不符。") % {"name": name[:80]})
            )
    return errors


def _store_bytes(content: bytes) -> tuple[str, int, dict[str, tuple[str, str]]]:
    """Write the bytes to every evidence store that lacks them and verify each copy (outside any transaction).

    Returns the SHA-256, the size and, per store written, (location, object name).
    """
    from sunlight.evidence.models import StoredFile, object_name_for
    from sunlight.evidence.storage import StoreError, stores, upload_dir

    sha256 = hashlib.sha256(content).hexdigest()
    size = len(content)
    existing = StoredFile.objects.filter(sha256=sha256).first()
    registered = set(existing.copies.values_list("store", flat=True)) if existing else set()
    name = object_name_for(sha256)
    written: dict[str, tuple[str, str]] = {}
    targets = {key: store for key, store in stores().items() if key not in registered}
    if targets:
        with tempfile.NamedTemporaryFile(dir=upload_dir(), prefix=".correction-", delete=True) as tmp:
            tmp.write(content)
            tmp.flush()
            for key, store in targets.items():
                try:
                    digest = store.put_verified(name, Path(tmp.name))
                except StoreError as exc:
                    error = ServiceError.single("evidence", "store_unavailable", _("文件存储暂时不可用，请稍后重试。"))
                    error.status = 503
                    raise error from exc
                if digest != (sha256, size):
                    error = ServiceError.single("evidence", "store_mismatch", _("文件存储校验失败，请稍后重试。"))
                    error.status = 503
                    raise error
                written[key] = (store.location[:300], name)
    return sha256, size, written


def _register_file(
    sha256: str, size: int, content_type: str, written: Mapping[str, tuple[str, str]], moment: datetime, request_id: str
) -> StoredFile:
    """The StoredFile row for stored bytes and a row per new copy, with `evidence.stored` (inside a transaction)."""
    from sunlight.core.audit import audit
    from sunlight.evidence.models import StoredCopy, StoredFile

    stored = StoredFile.objects.filter(sha256=sha256).first()
    new = stored is None
    if stored is None:
        stored = StoredFile.objects.create(sha256=sha256, size=size, content_type=content_type, stored_at=moment)
    have = set(stored.copies.values_list("store", flat=True))
    for key, (location, name) in written.items():
        if key not in have:
            StoredCopy.objects.create(file=stored, store=key, location=location, name=name, verified_at=moment)
    audit(
        kind="evidence.stored",
        actor=None,
        actor_text="public",
        stream=stored.stream,
        payload={
            "sha256": sha256,
            "size": size,
            "content_type": content_type,
            "purpose": "publicity.correction",
            "correction": request_id,
            "new_contents": new,
            "copies": sorted(written),
        },
    )
    return stored


def correction_request_submit(
    *,
    publication: Publication,
    name: str,
    contact: str,
    request: str,
    urgent: bool = False,
    urgent_reason: str = "",
    files: Sequence[EvidenceUpload] = (),
    now: datetime | None = None,
) -> CorrectionRequest:
    """A member of the public asks for a published entry to be corrected, with evidence (PUB-8).

    Opens `publicity.correction_request` (10 WD) or, when a delay would cause irreparable harm,
    `publicity.correction_request_urgent` (2 WD). Evidence files go to the evidence store, addressed by SHA-256.
    Records `publicity.correction_received` (no name or contact in the ledger: only a hash of the request).
    """
    moment = now or timezone.now()
    errors: list[FieldError] = []
    clean_name, clean_contact, text, why = _text(name), _text(contact), _text(request), _text(urgent_reason)
    if publication.status != PublicationStatus.PUBLISHED:
        errors.append(FieldError("__all__", "not_published", _("该信息不在公示中，不能申请更正。")))
    if not clean_name:
        errors.append(FieldError("name", "required", _("请填写申请人姓名或名称。")))
    elif len(clean_name) > 100:
        errors.append(FieldError("name", "too_long", _("申请人不超过100个字符。")))
    if not clean_contact:
        errors.append(FieldError("contact", "required", _("请填写联系方式（电话或电子邮箱）。")))
    elif len(clean_contact) > 100:
        errors.append(FieldError("contact", "too_long", _("联系方式不超过100个字符。")))
    if not text:
        errors.append(FieldError("request", "required", _("请说明需要更正的内容和理由。")))
    elif len(text) > 5000:
        errors.append(FieldError("request", "too_long", _("更正请求不超过5000个字符。")))
    if urgent and not why:
        errors.append(
            FieldError("urgent_reason", "required", _("申请紧急处理的，请说明不及时更正将造成的难以弥补的损害。"))
        )
    elif len(why) > 2000:
        errors.append(FieldError("urgent_reason", "too_long", _("紧急理由不超过2000个字符。")))
    uploads = list(files)
    errors += _evidence_errors(uploads)
    if errors:
        raise ServiceError(errors)
    stored = [(upload, *_store_bytes(upload.content)) for upload in uploads]
    public_id = uuid.uuid4()
    rule = RULE_CORRECTION_URGENT if urgent else RULE_CORRECTION
    with transaction.atomic():
        deadline = deadline_open(
            rule_code=rule,
            subject_type=SUBJECT_CORRECTION,
            subject_id=str(public_id),
            subject_label=f"{publication.document_number} {publication.label}".strip()[:200],
            started_at=moment,
            start_event=_("收到纠错申请"),
            agency=publication.agency,
            region_code=publication.region_code,
            acting_user=None,
            now=moment,
        )
        correction = CorrectionRequest.objects.create(
            public_id=public_id,
            publication=publication,
            name=clean_name,
            contact=clean_contact,
            request=text,
            urgent=bool(urgent),
            urgent_reason=why if urgent else "",
            received_at=moment,
            deadline=deadline,
        )
        hashes = []
        for upload, sha256, size, written in stored:
            extension = upload.filename.rsplit(".", 1)[-1].lower()
            file = _register_file(sha256, size, EVIDENCE_TYPES[extension], written, moment, str(public_id))
            CorrectionEvidence.objects.create(request=correction, file=file, filename=upload.filename[-255:])
            hashes.append(sha256)
        ledger_append(
            stream=correction.stream,
            kind="publicity.correction_received",
            actor="public",
            payload={
                "correction": str(public_id),
                "publication": str(publication.public_id),
                "urgent": bool(urgent),
                "request_hash": sha256_hex(text.encode("utf-8")),
                "evidence": hashes,
                "deadline": str(deadline.public_id),
                "rule": rule,
            },
        )
    return correction


def correction_decide(
    *,
    correction: CorrectionRequest,
    outcome: str,
    reasons: str,
    fields: Mapping[str, Any] | None = None,
    acting_user: User,
    now: datetime | None = None,
) -> CorrectionDecision:
    """Answer a correction request with reasons (PUB-8); records `publicity.correction_decided`.

    Upheld: `fields` is the corrected text, published at once as a new version whose public explanation is the
    reasons (checked for personal data like any version). Rejected: the entry stays as it is. The request's
    deadline is completed (met or late).
    """
    moment = now or timezone.now()
    publication = correction.publication
    require_publish(acting_user, publication.agency, target=str(correction.public_id))
    errors: list[FieldError] = []
    text = _text(reasons)
    if outcome not in CorrectionOutcome.values:
        errors.append(FieldError("outcome", "invalid", _("请选择处理结果。")))
    if not text:
        errors.append(FieldError("reasons", "required", _("请填写处理理由。")))
    elif len(text) > 2000:
        errors.append(FieldError("reasons", "too_long", _("处理理由不超过2000个字符。")))
    if errors:
        raise ServiceError(errors)
    with transaction.atomic():
        locked_request = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if CorrectionDecision.objects.filter(request=locked_request).exists():
            raise ServiceError.single("__all__", "decided", _("该纠错申请已处理。"))
        version = None
        if outcome == CorrectionOutcome.UPHELD:
            locked = _lock(publication, {PublicationStatus.PUBLISHED}, _("更正"))
            current = locked.current_version
            assert current is not None
            base = {name: current.field(name) for name in FIELD_NAMES}
            clean, field_errors = _clean_fields(fields, base)
            if not field_errors and clean == base:
                field_errors.append(FieldError("__all__", "unchanged", _("予以更正的，请修改公示内容。")))
            if not field_errors:
                field_errors += _privacy_errors(
                    clean, context_of(locked), party_is_person=locked.source.party_is_person
                )
            if field_errors:
                raise ServiceError(field_errors)
            version = _publish_version(
                locked=locked,
                fields=clean,
                reason=VersionReason.CORRECTION,
                explanation=text,
                consent_full=False,
                consent_note="",
                changes=_changes_record(clean, locked.source.proposal, base=base),
                acting_user=acting_user,
                moment=moment,
                correction=locked_request,
            )
        ledger_append(
            stream=locked_request.stream,
            kind="publicity.correction_decided",
            actor=actor_label(acting_user),
            payload={
                "correction": str(locked_request.public_id),
                "publication": str(publication.public_id),
                "outcome": outcome,
                "reasons_hash": sha256_hex(text.encode("utf-8")),
                "version": version.number if version else None,
            },
        )
        decision = CorrectionDecision.objects.create(
            request=locked_request,
            outcome=outcome,
            reasons=text,
            version=version,
            decided_by=acting_user,
            decided_at=moment,
        )
        if locked_request.deadline_id is not None:
            deadline = Deadline.objects.get(pk=locked_request.deadline_id)
            if deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
                deadline_complete(deadline=deadline, at=max(moment, deadline.started_at), acting_user=acting_user)
    if version is not None:
        publication.refresh_from_db()
    return decision
