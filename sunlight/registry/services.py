"""Writes to the registry: officers, certificates, annual reviews, sanctions, auxiliaries, training, per-agency
targets, body cameras, and the periodic `registry_tick` (PER-1..3, PER-6, REC-12).

Every service checks the acting user's role and the agency's place in their scope first (a refusal is audited and
changes nothing), collects every problem with the input into one `ServiceError` with Chinese messages, and only then
writes the change and its ledger entry in one transaction. Certificate states move only along
`choices.CERTIFICATE_TRANSITIONS`, on a locked row, with a new status-history row each time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.audit import audit
from sunlight.core.calendar import end_of_local_day, local_date, start_of_local_day
from sunlight.core.choices import DeadlineStatus
from sunlight.core.deadlines import deadline_cancel, deadline_complete, deadline_open
from sunlight.core.errors import FieldError, ServiceError
from sunlight.core.ids import is_valid_region_code
from sunlight.core.models import Deadline
from sunlight.org.choices import EnforcementField, Role
from sunlight.org.models import Agency, Region, Unit, User
from sunlight.org.scope import deny

from . import selectors
from .access import holds, require
from .choices import (
    CAMERA_APPROVERS,
    CAMERA_MANAGERS,
    CERTIFICATE_MANAGERS,
    CERTIFICATE_OPERATION_LABELS,
    CERTIFICATE_SANCTIONS,
    CERTIFICATE_TRANSITIONS,
    PERSONNEL_MANAGERS,
    POLICY_MANAGERS,
    RULE_AGENCY_TRAINING,
    RULE_CAMERA_RATIO,
    RULE_PERSON_TRAINING,
    SUBJECT_AGENCY_TRAINING,
    SUBJECT_CAMERA_RATIO,
    SUBJECT_PERSON_TRAINING,
    CameraStatus,
    CertificateStatus,
    CheckResult,
    EstablishmentKind,
    SanctionKind,
)
from .models import (
    AnnualReview,
    Auxiliary,
    BodyCamera,
    CameraCheck,
    CameraFault,
    CameraLoan,
    Certificate,
    CertificateStatusChange,
    Officer,
    RegistryPolicy,
    Sanction,
    TrainingPlan,
    TrainingRecord,
)

_NUMBER_RE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff\-]{4,40}$")
HALF = Decimal("0.5")
# Ledger kinds of the certificate moves: registry.certificate_<event>.
TRANSITION_EVENTS = {"suspend": "suspended", "reinstate": "reinstated", "revoke": "revoked", "expire": "expired"}


# --- helpers -------------------------------------------------------------------------------------------------------


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ServiceError(errors)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _today(now: datetime | None) -> date:
    return local_date(_now(now))


def _text(value: Any, field: str, message: str, errors: list[FieldError], *, max_length: int) -> str:
    """A required, stripped text; a field error when it is empty or too long."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors.append(FieldError(field, "required", message))
    elif len(text) > max_length:
        errors.append(FieldError(field, "too_long", _("内容过长（最多 %(n)d 个字）。") % {"n": max_length}))
    return text


def _optional_text(value: Any, field: str, errors: list[FieldError], *, max_length: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > max_length:
        errors.append(FieldError(field, "too_long", _("内容过长（最多 %(n)d 个字）。") % {"n": max_length}))
    return text


def _date(value: Any, field: str, message: str, errors: list[FieldError]) -> date | None:
    """A required date (not a datetime)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        errors.append(FieldError(field, "required", message))
        return None
    return value


def _not_future(day: date | None, field: str, today: date, errors: list[FieldError]) -> None:
    if day is not None and day > today:
        errors.append(FieldError(field, "future", _("日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()}))


def _days(value: Any, field: str, errors: list[FieldError], *, maximum: int) -> Decimal:
    """A positive number of days in steps of half a day, at most `maximum`."""
    try:
        days = Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except InvalidOperation:
        days = None
    if days is None or not days.is_finite():
        errors.append(FieldError(field, "required", _("请填写天数。")))
        return Decimal(0)
    if days <= 0 or days > maximum or days % HALF != 0:
        errors.append(
            FieldError(field, "invalid", _("天数应为 0.5 的整数倍，且在 0.5 到 %(max)d 之间。") % {"max": maximum})
        )
    return days


def _name(user: Any) -> str:
    return str(user.full_name or user.username) if user is not None else ""


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _id(obj: Any) -> str:
    return str(obj.public_id) if obj is not None else ""


def _officer_stream(officer: Officer) -> str:
    return f"officer:{officer.public_id}"


def _is_auxiliary(user: User) -> bool:
    return user.has_role(Role.AUXILIARY) or Auxiliary.objects.filter(user=user, left_on__isnull=True).exists()


def _user_is_inactive_or_elsewhere(user: User, agency: Agency, field: str, errors: list[FieldError]) -> None:
    if not user.is_active:
        errors.append(FieldError(field, "inactive", _("该人员的账户已停用。")))
    if user.agency_id != agency.pk:
        errors.append(FieldError(field, "mismatch", _("该人员不属于“%(agency)s”。") % {"agency": agency.name}))


# --- officers (PER-1) ----------------------------------------------------------------------------------------------


def _validate_exam(data: dict[str, Any], today: date, errors: list[FieldError]) -> None:
    score, exam_date, passed = data.get("exam_score"), data.get("exam_date"), bool(data.get("exam_passed"))
    if score is not None:
        try:
            value = Decimal(str(score))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.1")):
            errors.append(FieldError("exam_score", "invalid", _("考试成绩应在 0 到 100 之间，最多一位小数。")))
    if exam_date is not None:
        _not_future(_date(exam_date, "exam_date", _("考试日期格式不正确。"), errors), "exam_date", today, errors)
    if passed and (score is None or exam_date is None):
        errors.append(FieldError("exam_passed", "incomplete", _("考试合格须同时填写考试成绩和考试日期。")))


def _score(value: Any) -> Decimal | None:
    """An exam score as stored (one decimal place); validated before."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


OFFICER_FIELDS = ("unit", "post", "establishment_kind", "establishment_proof", "exam_score", "exam_date", "exam_passed")


def _officer_snapshot(officer: Officer) -> dict[str, Any]:
    return {
        "unit": _id(officer.unit),
        "post": officer.post,
        "establishment_kind": officer.establishment_kind,
        "establishment_proof": officer.establishment_proof,
        "exam_score": str(officer.exam_score) if officer.exam_score is not None else None,
        "exam_date": _iso(officer.exam_date),
        "exam_passed": officer.exam_passed,
    }


def _validate_officer_data(data: dict[str, Any], agency: Agency, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    unit = data.get("unit")
    if not isinstance(unit, Unit):
        errors.append(FieldError("unit", "required", _("请选择承办机构。")))
    elif unit.agency_id != agency.pk:
        errors.append(FieldError("unit", "mismatch", _("承办机构不属于该执法主体。")))
    _text(data.get("post"), "post", _("请填写岗位或职务。"), errors, max_length=60)
    if data.get("establishment_kind") not in EstablishmentKind.values:
        errors.append(FieldError("establishment_kind", "required", _("请选择编制类别。")))
    _optional_text(data.get("establishment_proof"), "establishment_proof", errors, max_length=200)
    _validate_exam(data, today, errors)
    return errors


def officer_register(*, acting_user: Any, user: User, data: dict[str, Any], now: datetime | None = None) -> Officer:
    """Register a person with the 执法人员 role as an officer of their agency (PER-1): post, establishment, exam.

    `data` holds unit, post, establishment_kind, establishment_proof, exam_score, exam_date, exam_passed. The
    establishment proof and a passed exam may follow later (`officer_update`); a certificate needs both.
    """
    agency = user.agency
    if agency is None:
        if not holds(acting_user, PERSONNEL_MANAGERS):
            raise deny(acting_user, action="registry.officer_register", target=_id(user))
        raise ServiceError.single("user", "no_agency", _("该人员不属于任何执法主体。"))
    require(acting_user, PERSONNEL_MANAGERS, agency=agency, action="registry.officer_register", target=_id(user))
    today = _today(now)
    errors: list[FieldError] = []
    if not user.is_active:
        errors.append(FieldError("user", "inactive", _("该人员的账户已停用。")))
    if _is_auxiliary(user):
        errors.append(FieldError("user", "auxiliary", _("辅助人员不能登记为执法人员。")))
    elif not user.has_role(Role.OFFICER):
        errors.append(FieldError("user", "not_officer", _("该用户没有“执法人员”角色，请先在用户管理中授予。")))
    if Officer.objects.filter(user=user, cleared_on__isnull=True).exists():
        errors.append(FieldError("user", "duplicate", _("该人员已登记为执法人员。")))
    errors += _validate_officer_data(data, agency, today)
    _raise_if(errors)
    with transaction.atomic():
        officer = Officer.objects.create(
            user=user,
            agency=agency,
            unit=data["unit"],
            post=data["post"].strip(),
            establishment_kind=str(data["establishment_kind"]),
            establishment_proof=(data.get("establishment_proof") or "").strip(),
            exam_score=_score(data.get("exam_score")),
            exam_date=data.get("exam_date"),
            exam_passed=bool(data.get("exam_passed")),
            registered_at=_now(now),
            registered_by=acting_user,
        )
        audit(
            kind="registry.officer_registered",
            actor=acting_user,
            stream=_officer_stream(officer),
            payload={
                "officer": str(officer.public_id),
                "user": str(user.public_id),
                "agency": str(agency.public_id),
                "after": _officer_snapshot(officer),
            },
        )
    return officer


def officer_update(*, acting_user: Any, officer: Officer, data: dict[str, Any], now: datetime | None = None) -> Officer:
    """Change an officer's unit, post, establishment proof or exam record (e.g. after a retake); before and after
    values go to the ledger."""
    require(
        acting_user, PERSONNEL_MANAGERS, agency=officer.agency, action="registry.officer_update", target=_id(officer)
    )
    merged = {
        **{f: getattr(officer, f) for f in OFFICER_FIELDS},
        **{k: v for k, v in data.items() if k in OFFICER_FIELDS},
    }
    errors = _validate_officer_data(merged, officer.agency, _today(now))
    if officer.cleared_on is not None:
        errors.append(FieldError("__all__", "cleared", _("该人员已清理出执法队伍，不能修改。")))
    _raise_if(errors)
    with transaction.atomic():
        locked = Officer.objects.select_for_update().get(pk=officer.pk)
        if locked.cleared_on is not None:
            raise ServiceError.single("__all__", "cleared", _("该人员已清理出执法队伍，不能修改。"))
        before = _officer_snapshot(locked)
        for field in OFFICER_FIELDS:
            value = merged[field]
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        locked.exam_passed = bool(merged["exam_passed"])
        locked.exam_score = _score(merged["exam_score"])
        locked.save()
        after = _officer_snapshot(locked)
        audit(
            kind="registry.officer_updated",
            actor=acting_user,
            stream=_officer_stream(locked),
            payload={
                "officer": str(locked.public_id),
                "changed": {k: [before[k], after[k]] for k in after if before[k] != after[k]},
            },
        )
    return locked


def officer_clear(*, acting_user: Any, officer: Officer, reason: str, now: datetime | None = None) -> Officer:
    """Clear an officer out of the enforcement ranks (清理, PER-1): every certificate still held is revoked and the
    person's running training deadlines are withdrawn, in one transaction."""
    require(
        acting_user, PERSONNEL_MANAGERS, agency=officer.agency, action="registry.officer_clear", target=_id(officer)
    )
    errors: list[FieldError] = []
    text = _text(reason, "reason", _("请填写清理原因。"), errors, max_length=200)
    if officer.cleared_on is not None:
        errors.append(FieldError("__all__", "cleared", _("该人员已于 %(d)s 清理。") % {"d": officer.cleared_on}))
    _raise_if(errors)
    moment, today = _now(now), _today(now)
    with transaction.atomic():
        locked = Officer.objects.select_for_update().get(pk=officer.pk)
        if locked.cleared_on is not None:
            raise ServiceError.single("__all__", "cleared", _("该人员已于 %(d)s 清理。") % {"d": locked.cleared_on})
        locked.cleared_on, locked.cleared_reason = today, text
        locked.save(update_fields=["cleared_on", "cleared_reason"])
        revoked = []
        for certificate in locked.certificates.exclude(status=CertificateStatus.REVOKED):
            _transition(
                certificate,
                "revoke",
                acting_user=acting_user,
                reason=_("清理出执法队伍：%(reason)s") % {"reason": text},
                effective_on=today,
            )
            revoked.append(certificate.number)
        audit(
            kind="registry.officer_cleared",
            actor=acting_user,
            stream=_officer_stream(locked),
            payload={"officer": str(locked.public_id), "reason": text, "on": today.isoformat(), "revoked": revoked},
        )
        _cancel_person_deadlines(locked.user, reason=_("人员已清理出执法队伍。"), acting_user=acting_user, now=moment)
    return locked


# --- certificates (PER-1) ------------------------------------------------------------------------------------------


def _certificate_payload(certificate: Certificate) -> dict[str, Any]:
    return {
        "certificate": str(certificate.public_id),
        "number": certificate.number,
        "issuing_authority": certificate.issuing_authority,
        "categories": list(certificate.categories),
        "regions": list(certificate.regions),
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
    }


def _validate_categories(categories: Iterable[str], errors: list[FieldError]) -> list[str]:
    values = [str(c) for c in categories]
    if not values:
        errors.append(FieldError("categories", "required", _("请至少选择一个执法类别。")))
    elif any(v not in EnforcementField.values for v in values):
        errors.append(FieldError("categories", "invalid", _("执法类别无效。")))
    elif len(set(values)) != len(values):
        errors.append(FieldError("categories", "duplicate", _("执法类别重复。")))
    return values


def _validate_regions(regions: Iterable[str], errors: list[FieldError]) -> list[str]:
    codes = [str(r).strip() for r in regions if str(r).strip()]
    if not codes:
        errors.append(FieldError("regions", "required", _("请填写执法区域（区划代码）。")))
        return codes
    bad = [c for c in codes if not is_valid_region_code(c)]
    if bad:
        errors.append(
            FieldError("regions", "invalid", _("区划代码格式不正确：%(codes)s。") % {"codes": "、".join(bad)})
        )
        return codes
    unknown = sorted(set(codes) - set(Region.objects.filter(code__in=codes).values_list("code", flat=True)))
    if unknown:
        errors.append(
            FieldError("regions", "unknown", _("区划代码不存在：%(codes)s。") % {"codes": "、".join(unknown)})
        )
    if len(set(codes)) != len(codes):
        errors.append(FieldError("regions", "duplicate", _("执法区域重复。")))
    return codes


def _lock_current_officer(officer: Officer) -> Officer:
    """Lock an officer's row for a change that needs them still on the registry (inside the caller's transaction)."""
    locked = Officer.objects.select_for_update().get(pk=officer.pk)
    if locked.cleared_on is not None:
        raise ServiceError.single("__all__", "cleared", _("该人员已清理出执法队伍。"))
    return locked


def officer_blockers(officer: Officer) -> list[FieldError]:
    """Why an officer cannot be given a certificate now (PER-1: exam and establishment proof first)."""
    errors: list[FieldError] = []
    if officer.cleared_on is not None:
        errors.append(FieldError("__all__", "cleared", _("该人员已清理出执法队伍。")))
    if not officer.user.is_active:
        errors.append(FieldError("__all__", "inactive", _("该人员的账户已停用。")))
    if officer.is_transferred:
        errors.append(FieldError("__all__", "transferred", _("该人员已调离登记的执法主体，须在新单位重新登记。")))
    if not officer.exam_passed:
        errors.append(FieldError("__all__", "no_exam", _("该人员尚未通过执法资格考试，不能发证。")))
    if not officer.establishment_proof.strip():
        errors.append(FieldError("__all__", "no_establishment", _("该人员没有编制证明，不能发证。")))
    return errors


def certificate_issue(
    *,
    acting_user: Any,
    officer: Officer,
    number: str,
    issuing_authority: str,
    categories: Iterable[str],
    regions: Iterable[str],
    issued_on: date,
    expires_on: date,
    now: datetime | None = None,
) -> Certificate:
    """Issue an enforcement certificate to an officer who passed the exam and has establishment proof (PER-1).

    The first row of its status history says "valid from the issue date"; the ledger records the particulars.
    """
    require(
        acting_user,
        CERTIFICATE_MANAGERS,
        agency=officer.agency,
        action="registry.certificate_issue",
        target=_id(officer),
    )
    today = _today(now)
    errors = officer_blockers(officer)
    number = _text(number, "number", _("请填写证件编号。"), errors, max_length=40)
    if number and not _NUMBER_RE.match(number):
        errors.append(FieldError("number", "invalid", _("证件编号只能包含数字、字母、汉字和连字符，4 到 40 位。")))
    elif number and Certificate.objects.filter(number=number).exists():
        errors.append(FieldError("number", "duplicate", _("证件编号 %(n)s 已被使用。") % {"n": number}))
    authority = _text(issuing_authority, "issuing_authority", _("请填写发证机关。"), errors, max_length=100)
    category_values = _validate_categories([str(c) for c in categories], errors)
    region_codes = _validate_regions(regions, errors)
    start = _date(issued_on, "issued_on", _("请填写发证日期。"), errors)
    end = _date(expires_on, "expires_on", _("请填写有效期截止日期。"), errors)
    _not_future(start, "issued_on", today, errors)
    if start and end and end <= start:
        errors.append(FieldError("expires_on", "before_issue", _("有效期截止日期应晚于发证日期。")))
    elif end and end < today:
        errors.append(FieldError("expires_on", "past", _("有效期截止日期已过，不能发放已过期的证件。")))
    if start and officer.exam_date and start < officer.exam_date:
        errors.append(FieldError("issued_on", "before_exam", _("发证日期不能早于考试日期。")))
    _raise_if(errors)
    assert start is not None and end is not None
    with transaction.atomic():
        _lock_current_officer(officer)
        certificate = Certificate.objects.create(
            officer=officer,
            number=number,
            issuing_authority=authority,
            categories=category_values,
            regions=region_codes,
            issued_on=start,
            expires_on=end,
            status=CertificateStatus.VALID,
            status_since=start,
            issued_by=acting_user,
        )
        CertificateStatusChange.objects.create(
            certificate=certificate,
            from_status="",
            to_status=CertificateStatus.VALID,
            effective_on=start,
            reason=_("发证"),
            actor=acting_user,
        )
        audit(
            kind="registry.certificate_issued",
            actor=acting_user,
            stream=_officer_stream(officer),
            payload={"officer": str(officer.public_id), **_certificate_payload(certificate)},
        )
    return certificate


def _transition(
    certificate: Certificate,
    operation: str,
    *,
    acting_user: Any,
    reason: str,
    effective_on: date,
    sanction: Sanction | None = None,
) -> Certificate:
    """Move a certificate along CERTIFICATE_TRANSITIONS on a locked row: history row, projection, ledger entry.

    Runs inside the caller's transaction.
    """
    allowed, target = CERTIFICATE_TRANSITIONS[operation]
    locked = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
    if locked.status not in allowed:
        raise ServiceError.single(
            "__all__",
            "bad_transition",
            _("执法证 %(n)s 当前状态为“%(s)s”，不能%(op)s。")
            % {"n": locked.number, "s": locked.get_status_display(), "op": CERTIFICATE_OPERATION_LABELS[operation]},
        )
    previous = locked.status
    CertificateStatusChange.objects.create(
        certificate=locked,
        from_status=previous,
        to_status=target,
        effective_on=effective_on,
        reason=reason,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        sanction=sanction,
    )
    locked.status, locked.status_since = target, effective_on
    locked.save(update_fields=["status", "status_since"])
    audit(
        kind=f"registry.certificate_{TRANSITION_EVENTS[operation]}",
        actor=acting_user,
        stream=_officer_stream(locked.officer),
        payload={
            "certificate": str(locked.public_id),
            "number": locked.number,
            "from_status": previous,
            "to_status": target,
            "effective_on": effective_on.isoformat(),
            "reason": reason,
            "sanction": _id(sanction),
        },
    )
    if certificate is not locked:
        certificate.status, certificate.status_since = locked.status, locked.status_since
    return locked


def _certificate_change(
    operation: str, *, acting_user: Any, certificate: Certificate, reason: str, now: datetime | None
) -> Certificate:
    officer = certificate.officer
    require(
        acting_user,
        CERTIFICATE_MANAGERS,
        agency=officer.agency,
        action=f"registry.certificate_{operation}",
        target=str(certificate.public_id),
    )
    errors: list[FieldError] = []
    text = _text(reason, "reason", _("请填写原因。"), errors, max_length=200)
    today = _today(now)
    if operation in ("suspend", "reinstate") and today > certificate.expires_on:
        errors.append(
            FieldError(
                "__all__",
                "expired",
                _("执法证已超过有效期（至 %(d)s），不能%(op)s。")
                % {"d": certificate.expires_on, "op": CERTIFICATE_OPERATION_LABELS[operation]},
            )
        )
    _raise_if(errors)
    with transaction.atomic():
        return _transition(certificate, operation, acting_user=acting_user, reason=text, effective_on=today)


def certificate_suspend(
    *, acting_user: Any, certificate: Certificate, reason: str, now: datetime | None = None
) -> Certificate:
    """Suspend (暂扣) a valid certificate from today; its holder may not act until it is reinstated."""
    return _certificate_change("suspend", acting_user=acting_user, certificate=certificate, reason=reason, now=now)


def certificate_reinstate(
    *, acting_user: Any, certificate: Certificate, reason: str, now: datetime | None = None
) -> Certificate:
    """Return (发还) a suspended certificate that has not reached its expiry date."""
    return _certificate_change("reinstate", acting_user=acting_user, certificate=certificate, reason=reason, now=now)


def certificate_revoke(
    *, acting_user: Any, certificate: Certificate, reason: str, now: datetime | None = None
) -> Certificate:
    """Revoke (注销) a certificate for good."""
    return _certificate_change("revoke", acting_user=acting_user, certificate=certificate, reason=reason, now=now)


def certificate_review(
    *,
    acting_user: Any,
    certificate: Certificate,
    year: int,
    passed: bool,
    note: str = "",
    now: datetime | None = None,
) -> AnnualReview:
    """Record the annual review (年审) of a certificate for a year; a failed review suspends it (PER-1)."""
    require(
        acting_user,
        CERTIFICATE_MANAGERS,
        agency=certificate.officer.agency,
        action="registry.certificate_review",
        target=str(certificate.public_id),
    )
    today = _today(now)
    errors: list[FieldError] = []
    if isinstance(year, bool) or not isinstance(year, int) or not certificate.issued_on.year <= year <= today.year:
        errors.append(
            FieldError(
                "year",
                "invalid",
                _("年审年度应在 %(a)d 到 %(b)d 之间。") % {"a": certificate.issued_on.year, "b": today.year},
            )
        )
    elif AnnualReview.objects.filter(certificate=certificate, year=year).exists():
        errors.append(FieldError("year", "duplicate", _("该证件 %(y)d 年度已年审。") % {"y": year}))
    if (
        certificate.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED)
        or today > certificate.expires_on
    ):
        errors.append(FieldError("__all__", "not_reviewable", _("只有有效期内未注销的证件才能年审。")))
    text = _optional_text(note, "note", errors, max_length=200)
    if not passed and not text:
        errors.append(FieldError("note", "required", _("年审不合格须说明原因。")))
    _raise_if(errors)
    with transaction.atomic():
        review = AnnualReview.objects.create(
            certificate=certificate, year=year, passed=bool(passed), reviewed_on=today, reviewer=acting_user, note=text
        )
        audit(
            kind="registry.certificate_reviewed",
            actor=acting_user,
            stream=_officer_stream(certificate.officer),
            payload={
                "certificate": str(certificate.public_id),
                "number": certificate.number,
                "year": year,
                "passed": bool(passed),
                "note": text,
            },
        )
        if not passed and certificate.status == CertificateStatus.VALID:
            _transition(
                certificate,
                "suspend",
                acting_user=acting_user,
                reason=_("%(y)d 年度年审不合格：%(note)s") % {"y": year, "note": text},
                effective_on=today,
            )
    return review


def certificates_expire(*, now: datetime) -> int:
    """Record the expiry of every valid or suspended certificate past its date (system act, one ledger entry each).

    Idempotent: an expired certificate is not touched again. Returns the number expired now.
    """
    today = local_date(now)
    due = Certificate.objects.filter(
        status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED], expires_on__lt=today
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            certificate = Certificate.objects.select_for_update().get(pk=pk)
            if certificate.status not in CERTIFICATE_TRANSITIONS["expire"][0] or certificate.expires_on >= today:
                continue
            _transition(
                certificate,
                "expire",
                acting_user=None,
                reason=_("有效期届满（至 %(d)s）") % {"d": certificate.expires_on.isoformat()},
                effective_on=certificate.expires_on + timedelta(days=1),
            )
            count += 1
    return count


# --- sanctions (PER-6) ---------------------------------------------------------------------------------------------


def sanction_record(
    *,
    acting_user: Any,
    officer: Officer,
    kind: str,
    reason: str,
    decided_on: date,
    document_no: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    now: datetime | None = None,
) -> Sanction:
    """Record a measure against an officer (PER-6) and apply its effect in the same transaction:
    suspension suspends every valid certificate, revocation revokes every certificate not yet revoked,
    off-post training bars the officer from acting between its dates; criticism is recorded only."""
    kind = str(kind)
    roles = CERTIFICATE_MANAGERS if kind in CERTIFICATE_SANCTIONS else PERSONNEL_MANAGERS | CERTIFICATE_MANAGERS
    require(acting_user, roles, agency=officer.agency, action=f"registry.sanction_{kind}", target=_id(officer))
    today = _today(now)
    errors: list[FieldError] = []
    if kind not in SanctionKind.values:
        errors.append(FieldError("kind", "invalid", _("请选择处理方式。")))
    text = _text(reason, "reason", _("请填写事由。"), errors, max_length=2000)
    number = _optional_text(document_no, "document_no", errors, max_length=60)
    decided = _date(decided_on, "decided_on", _("请填写决定日期。"), errors)
    _not_future(decided, "decided_on", today, errors)
    if officer.cleared_on is not None:
        errors.append(FieldError("__all__", "cleared", _("该人员已清理出执法队伍。")))
    certificates = list(officer.certificates.all())
    if kind == SanctionKind.OFF_POST_TRAINING:
        start = _date(starts_on, "starts_on", _("请填写离岗培训开始日期。"), errors)
        end = _date(ends_on, "ends_on", _("请填写离岗培训结束日期。"), errors)
        if start and end and end < start:
            errors.append(FieldError("ends_on", "before_start", _("结束日期不能早于开始日期。")))
    else:
        starts_on = ends_on = None
    if kind == SanctionKind.SUSPENSION and not any(
        c.status == CertificateStatus.VALID and c.expires_on >= today for c in certificates
    ):
        errors.append(FieldError("kind", "nothing_to_suspend", _("该人员没有可暂扣的有效执法证。")))
    if kind == SanctionKind.REVOCATION and not any(c.status != CertificateStatus.REVOKED for c in certificates):
        errors.append(FieldError("kind", "nothing_to_revoke", _("该人员没有可注销的执法证。")))
    _raise_if(errors)
    assert decided is not None
    with transaction.atomic():
        _lock_current_officer(officer)
        sanction = Sanction.objects.create(
            officer=officer,
            kind=kind,
            reason=text,
            document_no=number,
            decided_on=decided,
            starts_on=starts_on,
            ends_on=ends_on,
            decided_by=acting_user,
        )
        label = SanctionKind(kind).label
        operation = {SanctionKind.SUSPENSION: "suspend", SanctionKind.REVOCATION: "revoke"}.get(SanctionKind(kind))
        affected = []
        for certificate in certificates:
            if operation is None or certificate.status not in CERTIFICATE_TRANSITIONS[operation][0]:
                continue
            if operation == "suspend" and certificate.expires_on < today:
                continue
            _transition(
                certificate,
                operation,
                acting_user=acting_user,
                reason=f"{label}：{text}"[:200],
                effective_on=today,
                sanction=sanction,
            )
            affected.append(certificate.number)
        audit(
            kind="registry.sanction_recorded",
            actor=acting_user,
            stream=_officer_stream(officer),
            payload={
                "sanction": str(sanction.public_id),
                "officer": str(officer.public_id),
                "kind": kind,
                "reason": text,
                "document_no": number,
                "decided_on": decided.isoformat(),
                "starts_on": _iso(starts_on),
                "ends_on": _iso(ends_on),
                "certificates": affected,
            },
        )
    return sanction


# --- auxiliaries (PER-2) -------------------------------------------------------------------------------------------


def auxiliary_register(
    *,
    acting_user: Any,
    user: User,
    unit: Unit,
    post: str,
    duties: str,
    hired_on: date,
    now: datetime | None = None,
) -> Auxiliary:
    """Register an auxiliary (辅助人员) with their duties (PER-2). They never hold a certificate or act as officers."""
    agency = unit.agency
    require(acting_user, PERSONNEL_MANAGERS, agency=agency, action="registry.auxiliary_register", target=_id(user))
    today = _today(now)
    errors: list[FieldError] = []
    _user_is_inactive_or_elsewhere(user, agency, "user", errors)
    if user.has_role(Role.OFFICER) or Officer.objects.filter(user=user, cleared_on__isnull=True).exists():
        errors.append(FieldError("user", "officer", _("执法人员不能登记为辅助人员。")))
    elif not user.has_role(Role.AUXILIARY):
        errors.append(FieldError("user", "not_auxiliary", _("该用户没有“辅助人员”角色，请先在用户管理中授予。")))
    if Auxiliary.objects.filter(user=user, left_on__isnull=True).exists():
        errors.append(FieldError("user", "duplicate", _("该人员已登记为辅助人员。")))
    post_text = _text(post, "post", _("请填写岗位。"), errors, max_length=60)
    duties_text = _text(duties, "duties", _("请填写职责。"), errors, max_length=2000)
    hired = _date(hired_on, "hired_on", _("请填写聘用日期。"), errors)
    _not_future(hired, "hired_on", today, errors)
    _raise_if(errors)
    assert hired is not None
    with transaction.atomic():
        auxiliary = Auxiliary.objects.create(
            user=user,
            agency=agency,
            unit=unit,
            post=post_text,
            duties=duties_text,
            hired_on=hired,
            registered_by=acting_user,
            registered_at=_now(now),
        )
        audit(
            kind="registry.auxiliary_registered",
            actor=acting_user,
            stream=f"auxiliary:{auxiliary.public_id}",
            payload={
                "auxiliary": str(auxiliary.public_id),
                "user": str(user.public_id),
                "agency": str(agency.public_id),
                "unit": str(unit.public_id),
                "post": post_text,
                "duties": duties_text,
                "hired_on": _iso(hired),
            },
        )
    return auxiliary


def auxiliary_update(*, acting_user: Any, auxiliary: Auxiliary, post: str, duties: str) -> Auxiliary:
    """Change an auxiliary's post and duties; before and after go to the ledger."""
    require(
        acting_user,
        PERSONNEL_MANAGERS,
        agency=auxiliary.agency,
        action="registry.auxiliary_update",
        target=_id(auxiliary),
    )
    errors: list[FieldError] = []
    post_text = _text(post, "post", _("请填写岗位。"), errors, max_length=60)
    duties_text = _text(duties, "duties", _("请填写职责。"), errors, max_length=2000)
    if auxiliary.left_on is not None:
        errors.append(FieldError("__all__", "left", _("该辅助人员已离岗。")))
    _raise_if(errors)
    with transaction.atomic():
        locked = Auxiliary.objects.select_for_update().get(pk=auxiliary.pk)
        if locked.left_on is not None:
            raise ServiceError.single("__all__", "left", _("该辅助人员已离岗。"))
        before = {"post": locked.post, "duties": locked.duties}
        locked.post, locked.duties = post_text, duties_text
        locked.save(update_fields=["post", "duties"])
        audit(
            kind="registry.auxiliary_updated",
            actor=acting_user,
            stream=f"auxiliary:{locked.public_id}",
            payload={
                "auxiliary": str(locked.public_id),
                "before": before,
                "after": {"post": post_text, "duties": duties_text},
            },
        )
    return locked


def auxiliary_leave(*, acting_user: Any, auxiliary: Auxiliary, reason: str, now: datetime | None = None) -> Auxiliary:
    """An auxiliary leaves (离岗) today; their running training deadlines are withdrawn."""
    require(
        acting_user,
        PERSONNEL_MANAGERS,
        agency=auxiliary.agency,
        action="registry.auxiliary_leave",
        target=_id(auxiliary),
    )
    errors: list[FieldError] = []
    text = _text(reason, "reason", _("请填写离岗原因。"), errors, max_length=200)
    if auxiliary.left_on is not None:
        errors.append(FieldError("__all__", "left", _("该辅助人员已离岗。")))
    _raise_if(errors)
    today = _today(now)
    with transaction.atomic():
        locked = Auxiliary.objects.select_for_update().get(pk=auxiliary.pk)
        if locked.left_on is not None:
            raise ServiceError.single("__all__", "left", _("该辅助人员已离岗。"))
        locked.left_on, locked.left_reason = today, text
        locked.save(update_fields=["left_on", "left_reason"])
        audit(
            kind="registry.auxiliary_left",
            actor=acting_user,
            stream=f"auxiliary:{locked.public_id}",
            payload={"auxiliary": str(locked.public_id), "on": today.isoformat(), "reason": text},
        )
        _cancel_person_deadlines(locked.user, reason=_("辅助人员已离岗。"), acting_user=acting_user, now=_now(now))
    return locked


# --- per-agency targets --------------------------------------------------------------------------------------------


def registry_policy_set(
    *,
    acting_user: Any,
    agency: Agency,
    officers_per_camera: int,
    officer_training_days: Decimal,
    auxiliary_training_days: Decimal,
    agency_trainings_per_year: int,
    now: datetime | None = None,
) -> RegistryPolicy:
    """Set an agency's own targets where the seeds differ (e.g. 2 officers per camera in 001; PER-3, REC-12)."""
    require(acting_user, POLICY_MANAGERS, agency=agency, action="registry.policy_set", target=str(agency.public_id))
    errors: list[FieldError] = []
    if (
        isinstance(officers_per_camera, bool)
        or not isinstance(officers_per_camera, int)
        or not 1 <= officers_per_camera <= 50
    ):
        errors.append(
            FieldError("officers_per_camera", "invalid", _("每台执法记录仪对应的执法人员数应在 1 到 50 之间。"))
        )
    officer_days = _days(officer_training_days, "officer_training_days", errors, maximum=60)
    auxiliary_days = _days(auxiliary_training_days, "auxiliary_training_days", errors, maximum=60)
    if (
        isinstance(agency_trainings_per_year, bool)
        or not isinstance(agency_trainings_per_year, int)
        or not 1 <= agency_trainings_per_year <= 24
    ):
        errors.append(FieldError("agency_trainings_per_year", "invalid", _("年度业务培训次数应在 1 到 24 之间。")))
    _raise_if(errors)
    with transaction.atomic():
        policy, _created = RegistryPolicy.objects.select_for_update().get_or_create(agency=agency)
        before = selectors.policy_payload(policy)
        policy.officers_per_camera = officers_per_camera
        policy.officer_training_days = officer_days
        policy.auxiliary_training_days = auxiliary_days
        policy.agency_trainings_per_year = agency_trainings_per_year
        policy.updated_at, policy.updated_by = _now(now), acting_user
        policy.save()
        audit(
            kind="registry.policy_set",
            actor=acting_user,
            stream=f"agency:{agency.public_id}",
            payload={"agency": str(agency.public_id), "before": before, "after": selectors.policy_payload(policy)},
        )
    return policy


# --- training (PER-3) ----------------------------------------------------------------------------------------------


def training_plan_create(
    *,
    acting_user: Any,
    agency: Agency,
    title: str,
    planned_on: date,
    days: Decimal,
    content: str = "",
    location: str = "",
    now: datetime | None = None,
) -> TrainingPlan:
    """Plan one training of an agency (培训计划); it counts towards the agency's trainings once held."""
    require(
        acting_user,
        PERSONNEL_MANAGERS,
        agency=agency,
        action="registry.training_plan_create",
        target=str(agency.public_id),
    )
    today = _today(now)
    errors: list[FieldError] = []
    title_text = _text(title, "title", _("请填写培训主题。"), errors, max_length=100)
    content_text = _optional_text(content, "content", errors, max_length=2000)
    location_text = _optional_text(location, "location", errors, max_length=100)
    planned = _date(planned_on, "planned_on", _("请填写计划日期。"), errors)
    if planned and not today.year - 1 <= planned.year <= today.year + 1:
        errors.append(FieldError("planned_on", "out_of_range", _("计划日期应在上一年度到下一年度之间。")))
    amount = _days(days, "days", errors, maximum=30)
    _raise_if(errors)
    assert planned is not None
    with transaction.atomic():
        plan = TrainingPlan.objects.create(
            agency=agency,
            title=title_text,
            content=content_text,
            planned_on=planned,
            days=amount,
            location=location_text,
            created_by=acting_user,
            created_at=_now(now),
        )
        audit(
            kind="registry.training_planned",
            actor=acting_user,
            stream=f"training:{agency.public_id}",
            payload={
                "plan": str(plan.public_id),
                "agency": str(agency.public_id),
                "title": title_text,
                "planned_on": _iso(planned),
                "days": str(amount),
                "location": location_text,
            },
        )
    return plan


def _trainees_of(user_ids: list[int]) -> dict[int, Officer | Auxiliary]:
    """{user pk: current officer or auxiliary record} for the given people (two queries)."""
    found: dict[int, Officer | Auxiliary] = {
        a.user_id: a
        for a in Auxiliary.objects.filter(user_id__in=user_ids, left_on__isnull=True).select_related("agency", "unit")
    }
    found.update(
        (o.user_id, o)
        for o in Officer.objects.filter(user_id__in=user_ids, cleared_on__isnull=True).select_related("agency", "unit")
    )
    return found


def _trainee(user: User) -> Officer | Auxiliary | None:
    """The current officer or auxiliary record of a person, if any."""
    return _trainees_of([user.pk]).get(user.pk)


def training_plan_hold(
    *,
    acting_user: Any,
    plan: TrainingPlan,
    held_on: date,
    attendees: Iterable[User],
    now: datetime | None = None,
) -> list[TrainingRecord]:
    """Record that a planned training took place and who attended: one training record per attendee (PER-3).

    The agency's and each attendee's yearly deadline are completed when their target is now met.
    """
    require(
        acting_user,
        PERSONNEL_MANAGERS,
        agency=plan.agency,
        action="registry.training_plan_hold",
        target=str(plan.public_id),
    )
    today = _today(now)
    errors: list[FieldError] = []
    if plan.held_on is not None:
        errors.append(FieldError("__all__", "held", _("该培训已于 %(d)s 举办并登记。") % {"d": plan.held_on}))
    held = _date(held_on, "held_on", _("请填写举办日期。"), errors)
    _not_future(held, "held_on", today, errors)
    people = list({u.pk: u for u in attendees}.values())
    if not people:
        errors.append(FieldError("attendees", "required", _("请选择参加培训的人员。")))
    current = _trainees_of([p.pk for p in people])
    trainees: list[tuple[User, Officer | Auxiliary]] = []
    for person in people:
        record = current.get(person.pk)
        if record is None or record.agency_id != plan.agency_id:
            errors.append(
                FieldError(
                    "attendees",
                    "not_staff",
                    _("%(name)s 不是本执法主体在册的执法人员或辅助人员。") % {"name": _name(person)},
                )
            )
        else:
            trainees.append((person, record))
    _raise_if(errors)
    assert held is not None
    moment = _now(now)
    with transaction.atomic():
        locked = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.held_on is not None:
            raise ServiceError.single("__all__", "held", _("该培训已举办并登记。"))
        locked.held_on = held
        locked.save(update_fields=["held_on"])
        records = TrainingRecord.objects.bulk_create(
            TrainingRecord(
                person=person,
                agency=locked.agency,
                unit=record.unit,
                plan=locked,
                topic=locked.title,
                trained_on=held,
                days=locked.days,
                organiser=locked.agency.name,
                recorded_by=acting_user,
                recorded_at=moment,
            )
            for person, record in trainees
        )
        audit(
            kind="registry.training_held",
            actor=acting_user,
            stream=f"training:{locked.agency.public_id}",
            payload={
                "plan": str(locked.public_id),
                "held_on": held.isoformat(),
                "days": str(locked.days),
                "attendees": sorted(str(p.public_id) for p, _r in trainees),
            },
        )
        running = Deadline.objects.filter(
            subject_type=SUBJECT_PERSON_TRAINING,
            subject_id__in=[_person_subject(person, held.year) for person, _r in trainees],
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
        ).values_list("subject_id", flat=True)
        waiting = set(running)
        for person, _record in trainees:
            if _person_subject(person, held.year) in waiting:
                _complete_person_if_met(person, held, acting_user=acting_user, now=moment)
        _complete_agency_if_met(locked.agency, held, acting_user=acting_user, now=moment)
    if plan is not locked:
        plan.held_on = locked.held_on
    return records


def training_record_add(
    *,
    acting_user: Any,
    person: User,
    topic: str,
    trained_on: date,
    days: Decimal,
    organiser: str = "",
    now: datetime | None = None,
) -> TrainingRecord:
    """Record a training a person attended outside the agency's own plans (e.g. a provincial online course)."""
    trainee = _trainee(person)
    agency = trainee.agency if trainee is not None else person.agency
    require(
        acting_user, PERSONNEL_MANAGERS, agency=agency, action="registry.training_record_add", target=_id(person) or ""
    )
    today = _today(now)
    errors: list[FieldError] = []
    if trainee is None:
        errors.append(FieldError("person", "not_staff", _("只能为在册的执法人员或辅助人员登记培训。")))
    topic_text = _text(topic, "topic", _("请填写培训主题。"), errors, max_length=100)
    organiser_text = _optional_text(organiser, "organiser", errors, max_length=100)
    day = _date(trained_on, "trained_on", _("请填写培训日期。"), errors)
    _not_future(day, "trained_on", today, errors)
    if day and day.year < today.year - 1:
        errors.append(FieldError("trained_on", "too_old", _("只能补登本年度和上一年度的培训。")))
    amount = _days(days, "days", errors, maximum=30)
    _raise_if(errors)
    assert trainee is not None and day is not None
    moment = _now(now)
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            person=person,
            agency=trainee.agency,
            unit=trainee.unit,
            topic=topic_text,
            trained_on=day,
            days=amount,
            organiser=organiser_text,
            recorded_by=acting_user,
            recorded_at=moment,
        )
        audit(
            kind="registry.training_recorded",
            actor=acting_user,
            stream=f"training:{trainee.agency.public_id}",
            payload={
                "record": str(record.public_id),
                "person": str(person.public_id),
                "topic": topic_text,
                "trained_on": day.isoformat(),
                "days": str(amount),
                "organiser": organiser_text,
            },
        )
        _complete_person_if_met(person, day, acting_user=acting_user, now=moment)
    return record


# --- training deadlines (PER-3 warnings, SYS-8) --------------------------------------------------------------------


def _year_start(year: int) -> datetime:
    """The start of a yearly clock: 31 Dec of the year before (the start day is not counted), so that a 12-month
    period ends at 24:00 on 31 Dec of `year` (or the next working day when that is a rest day)."""
    return start_of_local_day(date(year - 1, 12, 31))


def _person_subject(user: User, year: int) -> str:
    return f"{user.public_id}:{year}"


def _agency_subject(agency: Agency, year: int) -> str:
    return f"{agency.public_id}:{year}"


def _running(subject_type: str, subject_id: str) -> Deadline | None:
    return (
        Deadline.objects.filter(
            subject_type=subject_type,
            subject_id=subject_id,
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
        )
        .order_by("-id")
        .first()
    )


def _completion_moment(day: date, deadline: Deadline, now: datetime) -> datetime:
    """When a target was met: the end of the day of the training that met it, never later than now."""
    return max(min(end_of_local_day(day), now), deadline.started_at)


def _complete_person_if_met(person: User, day: date, *, acting_user: Any, now: datetime) -> None:
    deadline = _running(SUBJECT_PERSON_TRAINING, _person_subject(person, day.year))
    if deadline is None:
        return
    trainee = _trainee(person)
    if trainee is None:
        return
    target = selectors.training_target(trainee)
    if selectors.person_training_days(person, day.year) >= target:
        deadline_complete(deadline=deadline, at=_completion_moment(day, deadline, now), acting_user=acting_user)


def _complete_agency_if_met(agency: Agency, day: date, *, acting_user: Any, now: datetime) -> None:
    deadline = _running(SUBJECT_AGENCY_TRAINING, _agency_subject(agency, day.year))
    if deadline is None:
        return
    if selectors.agency_trainings_held(agency, day.year) >= selectors.policy_for(agency).agency_trainings_per_year:
        deadline_complete(deadline=deadline, at=_completion_moment(day, deadline, now), acting_user=acting_user)


def _cancel_person_deadlines(user: User, *, reason: str, acting_user: Any, now: datetime) -> None:
    running = Deadline.objects.filter(
        subject_type=SUBJECT_PERSON_TRAINING,
        subject_id__startswith=f"{user.public_id}:",
        status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
    )
    for deadline in running:
        deadline_cancel(deadline=deadline, reason=reason, acting_user=acting_user, now=now)


def agency_head(agency: Agency) -> User | None:
    """Who answers for an agency-wide warning: its first active 机关负责人, if any."""
    return User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.AGENCY_HEAD).order_by("id").first()


def training_deadlines_sync(*, now: datetime) -> dict[str, int]:
    """Bring the yearly training deadlines of `now`'s year up to date (PER-3 warnings; run by `registry_tick`).

    * Each current officer and auxiliary short of their target gets a deadline due 31 Dec (responsible: the person);
      each agency with officers short of its trainings gets one too (responsible: the agency head). A deadline is
      opened once a year per subject; a target already met needs none.
    * A running deadline whose target is met is completed (e.g. after the policy lowered the target).
    * Deadlines of people who left are cancelled; a year's unmet deadline stays red through the following year and
      is cancelled after that, so that the warnings show the last completed year and the current one.
    """
    year = local_date(now).year
    result = {"opened": 0, "completed": 0, "cancelled": 0}
    totals = selectors.training_totals_by_person(year)
    trainees = selectors.current_trainees()
    policies = selectors.policies_by_agency({t.agency_id for t in trainees})
    known = _deadlines_of_year(SUBJECT_PERSON_TRAINING, year)
    for trainee in trainees:
        person, subject = trainee.user, _person_subject(trainee.user, year)
        if not person.is_active:
            continue
        policy = policies[trainee.agency_id]
        target = policy.officer_training_days if isinstance(trainee, Officer) else policy.auxiliary_training_days
        done = totals.get(person.pk, Decimal(0))
        running = known.get(subject)
        if running is not None and done >= target:
            deadline_complete(deadline=running, at=max(now, running.started_at), acting_user=None)
            result["completed"] += 1
        elif subject not in known and done < target:
            kind = _("执法人员") if isinstance(trainee, Officer) else _("辅助人员")
            deadline_open(
                rule_code=RULE_PERSON_TRAINING,
                subject_type=SUBJECT_PERSON_TRAINING,
                subject_id=subject,
                subject_label=_("%(kind)s %(name)s（%(agency)s）%(year)d 年度培训不少于 %(days)s 天")
                % {
                    "kind": kind,
                    "name": _name(person),
                    "agency": trainee.agency.short_name or trainee.agency.name,
                    "year": year,
                    "days": _plain_days(target),
                },
                started_at=_year_start(year),
                start_event=_("%(year)d 年度开始") % {"year": year},
                agency=trainee.agency,
                unit=trainee.unit,
                responsible=person,
                now=now,
            )
            result["opened"] += 1
    held = selectors.agency_trainings_held_by_agency(year)
    known = _deadlines_of_year(SUBJECT_AGENCY_TRAINING, year)
    agencies = list(Agency.objects.filter(pk__in=Officer.objects.filter(cleared_on__isnull=True).values("agency_id")))
    policies = selectors.policies_by_agency({a.pk for a in agencies})
    for agency in agencies:
        subject = _agency_subject(agency, year)
        target_count = policies[agency.pk].agency_trainings_per_year
        running = known.get(subject)
        count = held.get(agency.pk, 0)
        if running is not None and count >= target_count:
            deadline_complete(deadline=running, at=max(now, running.started_at), acting_user=None)
            result["completed"] += 1
        elif subject not in known and count < target_count:
            deadline_open(
                rule_code=RULE_AGENCY_TRAINING,
                subject_type=SUBJECT_AGENCY_TRAINING,
                subject_id=subject,
                subject_label=_("%(agency)s %(year)d 年度执法人员业务培训不少于 %(n)d 次")
                % {"agency": agency.name, "year": year, "n": target_count},
                started_at=_year_start(year),
                start_event=_("%(year)d 年度开始") % {"year": year},
                agency=agency,
                responsible=agency_head(agency),
                now=now,
            )
            result["opened"] += 1
    result["cancelled"] = _cancel_stale_training_deadlines(year, {t.user.public_id for t in trainees}, now=now)
    return result


def _deadlines_of_year(subject_type: str, year: int) -> dict[str, Deadline | None]:
    """{subject id: its running deadline, or None when it has only finished ones} for a year's subjects."""
    found: dict[str, Deadline | None] = {}
    for deadline in Deadline.objects.filter(subject_type=subject_type, subject_id__endswith=f":{year}").order_by("id"):
        running = deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED)
        found[deadline.subject_id] = deadline if running else found.get(deadline.subject_id)
    return found


def _cancel_stale_training_deadlines(year: int, current: set[Any], *, now: datetime) -> int:
    """Cancel running training deadlines of people no longer on the registry, and of years before last year."""
    people = {str(public_id) for public_id in current}
    count = 0
    running = Deadline.objects.filter(
        subject_type__in=[SUBJECT_PERSON_TRAINING, SUBJECT_AGENCY_TRAINING],
        status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
    )
    for deadline in running:
        owner, _sep, subject_year = deadline.subject_id.partition(":")
        stale_year = subject_year.isdigit() and int(subject_year) < year - 1
        gone = deadline.subject_type == SUBJECT_PERSON_TRAINING and owner not in people
        if stale_year or gone:
            reason = (
                _("人员已不在册。")
                if gone
                else _("%(y)s 年度培训未达标，已记录；次年年末起不再预警。") % {"y": subject_year}
            )
            deadline_cancel(deadline=deadline, reason=reason, acting_user=None, now=now)
            count += 1
    return count


def _plain_days(days: Decimal) -> str:
    return str(days.normalize()) if days == days.to_integral_value() else str(days)


# --- body cameras (REC-12) -----------------------------------------------------------------------------------------


def _camera_stream(camera: BodyCamera) -> str:
    return f"camera:{camera.public_id}"


def _require_camera(acting_user: Any, camera: BodyCamera, action: str) -> None:
    """Camera managers of the agency, or the camera's own administrator."""
    if (
        getattr(acting_user, "pk", None) is not None
        and acting_user.pk == camera.administrator_id
        and acting_user.is_active
    ):
        return
    require(acting_user, CAMERA_MANAGERS, agency=camera.agency, action=action, target=camera.number)


def _validate_administrator(user: Any, agency: Agency, errors: list[FieldError]) -> None:
    if not isinstance(user, User):
        errors.append(FieldError("administrator", "required", _("请选择管理员。")))
        return
    _user_is_inactive_or_elsewhere(user, agency, "administrator", errors)


def camera_register(
    *,
    acting_user: Any,
    number: str,
    unit: Unit,
    administrator: User,
    model_name: str = "",
    serial_no: str = "",
    acquired_on: date | None = None,
    now: datetime | None = None,
) -> BodyCamera:
    """Register a body camera with its number, unit and administrator (REC-12)."""
    agency = unit.agency
    require(acting_user, CAMERA_MANAGERS, agency=agency, action="registry.camera_register", target=str(number))
    today = _today(now)
    errors: list[FieldError] = []
    number = _text(number, "number", _("请填写设备编号。"), errors, max_length=40)
    if number and not _NUMBER_RE.match(number):
        errors.append(FieldError("number", "invalid", _("设备编号只能包含数字、字母、汉字和连字符，4 到 40 位。")))
    elif number and BodyCamera.objects.filter(number=number).exists():
        errors.append(FieldError("number", "duplicate", _("设备编号 %(n)s 已登记。") % {"n": number}))
    _validate_administrator(administrator, agency, errors)
    model_text = _optional_text(model_name, "model_name", errors, max_length=60)
    serial_text = _optional_text(serial_no, "serial_no", errors, max_length=60)
    if acquired_on is not None:
        _not_future(_date(acquired_on, "acquired_on", _("购置日期格式不正确。"), errors), "acquired_on", today, errors)
    _raise_if(errors)
    with transaction.atomic():
        camera = BodyCamera.objects.create(
            number=number,
            agency=agency,
            unit=unit,
            administrator=administrator,
            administrator_since=today,
            model_name=model_text,
            serial_no=serial_text,
            acquired_on=acquired_on,
            registered_at=_now(now),
            registered_by=acting_user,
        )
        audit(
            kind="registry.camera_registered",
            actor=acting_user,
            stream=_camera_stream(camera),
            payload={
                "camera": str(camera.public_id),
                "number": number,
                "agency": str(agency.public_id),
                "unit": str(unit.public_id),
                "administrator": str(administrator.public_id),
                "model": model_text,
                "serial_no": serial_text,
                "acquired_on": _iso(acquired_on),
            },
        )
    return camera


def camera_set_administrator(
    *, acting_user: Any, camera: BodyCamera, administrator: User, now: datetime | None = None
) -> BodyCamera:
    """Hand a camera to another administrator (管理员名册 follows)."""
    require(
        acting_user, CAMERA_MANAGERS, agency=camera.agency, action="registry.camera_administrator", target=camera.number
    )
    errors: list[FieldError] = []
    _validate_administrator(administrator, camera.agency, errors)
    if isinstance(administrator, User) and administrator.pk == camera.administrator_id:
        errors.append(FieldError("administrator", "unchanged", _("该人员已是这台设备的管理员。")))
    _raise_if(errors)
    with transaction.atomic():
        locked = BodyCamera.objects.select_for_update().get(pk=camera.pk)
        previous = locked.administrator
        locked.administrator, locked.administrator_since = administrator, _today(now)
        locked.save(update_fields=["administrator", "administrator_since"])
        audit(
            kind="registry.camera_administrator_set",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={
                "camera": str(locked.public_id),
                "previous": str(previous.public_id),
                "administrator": str(administrator.public_id),
            },
        )
    return locked


def _lock_camera(camera: BodyCamera, allowed: Iterable[str], action_label: str) -> BodyCamera:
    locked = BodyCamera.objects.select_for_update().get(pk=camera.pk)
    if locked.status not in allowed:
        raise ServiceError.single(
            "__all__",
            "bad_state",
            _("执法记录仪 %(n)s 当前状态为“%(s)s”，不能%(op)s。")
            % {"n": locked.number, "s": locked.get_status_display(), "op": action_label},
        )
    return locked


def _moment_not_future(value: datetime | None, field: str, now: datetime, errors: list[FieldError]) -> datetime:
    moment = value or now
    if moment.tzinfo is None:
        errors.append(FieldError(field, "naive", _("时间必须带时区。")))
        return now
    if moment > now + timedelta(minutes=5):
        errors.append(FieldError(field, "future", _("时间不能晚于现在。")))
    return moment


def camera_checkout(
    *,
    acting_user: Any,
    camera: BodyCamera,
    user: User,
    approver: User,
    purpose: str,
    at: datetime | None = None,
    now: datetime | None = None,
) -> CameraLoan:
    """Hand out a camera (领用) to an officer or auxiliary of its agency, approved by their unit or agency head."""
    _require_camera(acting_user, camera, "registry.camera_checkout")
    moment = _now(now)
    errors: list[FieldError] = []
    if camera.status != CameraStatus.IN_STOCK:
        errors.append(
            FieldError(
                "__all__",
                "bad_state",
                _("执法记录仪 %(n)s 当前状态为“%(s)s”，不能领用。")
                % {"n": camera.number, "s": camera.get_status_display()},
            )
        )
    _user_is_inactive_or_elsewhere(user, camera.agency, "user", errors)
    if _trainee(user) is None:
        errors.append(FieldError("user", "not_staff", _("使用人须为本单位在册的执法人员或辅助人员。")))
    if not isinstance(approver, User) or not (
        holds(approver, CAMERA_APPROVERS) and approver.agency_id == camera.agency_id
    ):
        errors.append(FieldError("approver", "not_head", _("批准人须为本单位的承办机构负责人或机关负责人。")))
    elif approver.pk == user.pk:
        errors.append(FieldError("approver", "self", _("使用人不能批准自己领用。")))
    text = _text(purpose, "purpose", _("请填写用途。"), errors, max_length=200)
    when = _moment_not_future(at, "at", moment, errors)
    _raise_if(errors)
    with transaction.atomic():
        locked = _lock_camera(camera, [CameraStatus.IN_STOCK], _("领用"))
        loan = CameraLoan.objects.create(
            camera=locked,
            user=user,
            approver=approver,
            purpose=text,
            checked_out_at=when,
            checked_out_by=acting_user,
        )
        locked.status = CameraStatus.CHECKED_OUT
        locked.save(update_fields=["status"])
        audit(
            kind="registry.camera_checked_out",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={
                "camera": str(locked.public_id),
                "number": locked.number,
                "user": str(user.public_id),
                "approver": str(approver.public_id),
                "purpose": text,
                "at": when.isoformat(),
            },
        )
    camera.status = locked.status
    return loan


def camera_return(
    *,
    acting_user: Any,
    camera: BodyCamera,
    at: datetime | None = None,
    note: str = "",
    fault: str = "",
    now: datetime | None = None,
) -> CameraLoan:
    """Take a camera back (交回); a fault noticed on return puts it out of service until repaired."""
    _require_camera(acting_user, camera, "registry.camera_return")
    moment = _now(now)
    errors: list[FieldError] = []
    loan = camera.loans.filter(returned_at__isnull=True).first()
    if loan is None:
        errors.append(FieldError("__all__", "not_out", _("执法记录仪 %(n)s 未被领用。") % {"n": camera.number}))
    when = _moment_not_future(at, "at", moment, errors)
    if loan is not None and when < loan.checked_out_at:
        errors.append(FieldError("at", "before_checkout", _("交回时间不能早于领用时间。")))
    note_text = _optional_text(note, "note", errors, max_length=200)
    fault_text = _optional_text(fault, "fault", errors, max_length=200)
    _raise_if(errors)
    assert loan is not None
    with transaction.atomic():
        locked = _lock_camera(camera, [CameraStatus.CHECKED_OUT], _("交回"))
        loan = CameraLoan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise ServiceError.single("__all__", "returned", _("该次领用已登记交回。"))
        loan.returned_at, loan.received_by, loan.return_note = when, acting_user, note_text
        loan.save(update_fields=["returned_at", "received_by", "return_note"])
        locked.status = CameraStatus.FAULTY if fault_text else CameraStatus.IN_STOCK
        locked.save(update_fields=["status"])
        if fault_text:
            CameraFault.objects.create(
                camera=locked, reported_on=local_date(when), reported_by=acting_user, description=fault_text
            )
        audit(
            kind="registry.camera_returned",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={
                "camera": str(locked.public_id),
                "number": locked.number,
                "user": str(loan.user.public_id),
                "at": when.isoformat(),
                "note": note_text,
                "fault": fault_text,
            },
        )
    camera.status = locked.status
    return loan


def camera_check(
    *,
    acting_user: Any,
    camera: BodyCamera,
    checked_on: date,
    result: str,
    note: str = "",
    now: datetime | None = None,
) -> CameraCheck:
    """Record a periodic check (定期核查) of a camera in store; a fault takes it out of service until repaired."""
    _require_camera(acting_user, camera, "registry.camera_check")
    today = _today(now)
    result = str(result)
    errors: list[FieldError] = []
    day = _date(checked_on, "checked_on", _("请填写核查日期。"), errors)
    _not_future(day, "checked_on", today, errors)
    if result not in CheckResult.values:
        errors.append(FieldError("result", "invalid", _("请选择核查结果。")))
    text = _optional_text(note, "note", errors, max_length=200)
    if result == CheckResult.FAULT and not text:
        errors.append(FieldError("note", "required", _("发现故障须说明故障情况。")))
    _raise_if(errors)
    assert day is not None
    with transaction.atomic():
        locked = _lock_camera(camera, [CameraStatus.IN_STOCK, CameraStatus.FAULTY], _("核查"))
        check = CameraCheck.objects.create(
            camera=locked, checked_on=day, checked_by=acting_user, result=result, note=text
        )
        if locked.last_checked_on is None or day > locked.last_checked_on:
            locked.last_checked_on = day
        if result == CheckResult.FAULT:
            CameraFault.objects.create(camera=locked, reported_on=day, reported_by=acting_user, description=text)
            locked.status = CameraStatus.FAULTY
        locked.save(update_fields=["last_checked_on", "status"])
        audit(
            kind="registry.camera_checked",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={
                "camera": str(locked.public_id),
                "number": locked.number,
                "on": day.isoformat(),
                "result": result,
                "note": text,
            },
        )
    camera.status, camera.last_checked_on = locked.status, locked.last_checked_on
    return check


def camera_fault_report(
    *, acting_user: Any, camera: BodyCamera, description: str, now: datetime | None = None
) -> CameraFault:
    """Report a fault of a camera in store (a camera out on loan is reported when it is returned)."""
    _require_camera(acting_user, camera, "registry.camera_fault")
    errors: list[FieldError] = []
    text = _text(description, "description", _("请填写故障情况。"), errors, max_length=200)
    _raise_if(errors)
    with transaction.atomic():
        locked = _lock_camera(camera, [CameraStatus.IN_STOCK, CameraStatus.FAULTY], _("报告故障"))
        fault = CameraFault.objects.create(
            camera=locked, reported_on=_today(now), reported_by=acting_user, description=text
        )
        locked.status = CameraStatus.FAULTY
        locked.save(update_fields=["status"])
        audit(
            kind="registry.camera_fault_reported",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={"camera": str(locked.public_id), "number": locked.number, "description": text},
        )
    camera.status = locked.status
    return fault


def camera_fault_resolve(
    *, acting_user: Any, fault: CameraFault, resolution: str, now: datetime | None = None
) -> CameraFault:
    """Close a fault (维修完成); the camera returns to store when no fault remains open."""
    camera = fault.camera
    _require_camera(acting_user, camera, "registry.camera_fault_resolve")
    errors: list[FieldError] = []
    text = _text(resolution, "resolution", _("请填写处理结果。"), errors, max_length=200)
    if fault.resolved_on is not None:
        errors.append(FieldError("__all__", "resolved", _("该故障已处理。")))
    _raise_if(errors)
    with transaction.atomic():
        locked = _lock_camera(camera, [CameraStatus.FAULTY], _("修复"))
        row = CameraFault.objects.select_for_update().get(pk=fault.pk)
        row.resolved_on, row.resolution, row.resolved_by = _today(now), text, acting_user
        row.save(update_fields=["resolved_on", "resolution", "resolved_by"])
        if not locked.faults.filter(resolved_on__isnull=True).exists():
            locked.status = CameraStatus.IN_STOCK
            locked.save(update_fields=["status"])
        audit(
            kind="registry.camera_fault_resolved",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={
                "camera": str(locked.public_id),
                "number": locked.number,
                "fault": row.description,
                "resolution": text,
            },
        )
    return row


def camera_scrap(*, acting_user: Any, camera: BodyCamera, reason: str, now: datetime | None = None) -> BodyCamera:
    """Take a camera out of the inventory for good (报废); it no longer counts towards the ratio."""
    require(acting_user, CAMERA_MANAGERS, agency=camera.agency, action="registry.camera_scrap", target=camera.number)
    errors: list[FieldError] = []
    text = _text(reason, "reason", _("请填写报废原因。"), errors, max_length=200)
    _raise_if(errors)
    with transaction.atomic():
        locked = _lock_camera(camera, [CameraStatus.IN_STOCK, CameraStatus.FAULTY], _("报废"))
        locked.status = CameraStatus.SCRAPPED
        locked.save(update_fields=["status"])
        audit(
            kind="registry.camera_scrapped",
            actor=acting_user,
            stream=_camera_stream(locked),
            payload={
                "camera": str(locked.public_id),
                "number": locked.number,
                "reason": text,
                "on": _today(now).isoformat(),
            },
        )
    camera.status = locked.status
    return locked


def camera_ratio_sync(*, now: datetime) -> dict[str, int]:
    """Open a rectification deadline (30 days, yellow at once) for each agency whose camera ratio falls below its
    minimum, and complete it once the ratio is restored (REC-12; run by `registry_tick`)."""
    result = {"opened": 0, "completed": 0}
    for row in selectors.camera_ratios():
        running = (
            Deadline.objects.filter(
                subject_type=SUBJECT_CAMERA_RATIO,
                subject_id__startswith=f"{row.agency.public_id}:",
                status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED],
            )
            .order_by("-id")
            .first()
        )
        if row.short and running is None:
            deadline_open(
                rule_code=RULE_CAMERA_RATIO,
                subject_type=SUBJECT_CAMERA_RATIO,
                subject_id=f"{row.agency.public_id}:{local_date(now).isoformat()}",
                subject_label=_(
                    "%(agency)s 执法记录仪配备不足：执法人员 %(o)d 名，可用设备 %(c)d 台，应不少于 %(r)d 台"
                )
                % {"agency": row.agency.name, "o": row.officers, "c": row.cameras, "r": row.required},
                started_at=now,
                start_event=_("发现执法记录仪配备低于 %(n)d:1") % {"n": row.officers_per_camera},
                agency=row.agency,
                responsible=agency_head(row.agency),
                now=now,
            )
            result["opened"] += 1
        elif not row.short and running is not None:
            deadline_complete(deadline=running, at=max(now, running.started_at), acting_user=None)
            result["completed"] += 1
    return result


# --- the periodic tick ---------------------------------------------------------------------------------------------


def registry_tick(*, now: datetime) -> dict[str, int]:
    """The registry's part of `sunlight tick` (idempotent: a second run with the same `now` writes nothing).

    Expires certificates past their date, keeps the yearly training deadlines and the camera-ratio deadlines in
    step with the records. Returns counts of what changed.
    """
    expired = certificates_expire(now=now)
    training = training_deadlines_sync(now=now)
    ratio = camera_ratio_sync(now=now)
    return {
        "certificates_expired": expired,
        "training_opened": training["opened"],
        "training_completed": training["completed"],
        "training_cancelled": training["cancelled"],
        "ratio_opened": ratio["opened"],
        "ratio_completed": ratio["completed"],
    }
