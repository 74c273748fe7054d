"""Reads of the registry: scoped lists and details, the clean-up list, training totals, camera ratios and roster,
and `may_act` — whether a person may act as an enforcement officer on an item, in a region, on a date (PER-1, PER-2,
DIS-3) — with `acting_pair_check` for the two officers every act needs (行政处罚法 §42), and `MayActBatch` /
`may_act_many` for the same answers to many questions at once (a case's records) with a fixed number of queries.

Lists that depend on who asks apply `scope_q`; an object outside the scope is `NotFound`. `may_act`,
`acting_pair_check` and `body_camera_get` answer for any caller: they are the checks other workflows build on.
"""

from __future__ import annotations

import importlib.util
import math
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound
from sunlight.core.ids import is_valid_region_code, region_code_prefix
from sunlight.org.choices import EnforcementField, Role
from sunlight.org.models import Agency, Region, RoleGrant, User
from sunlight.org.scope import scope_q
from sunlight.org.selectors import agencies_visible_to, users_visible_to

from .choices import (
    CAMERA_CHECK_INTERVAL_DAYS,
    EXPIRING_SOON_DAYS,
    USABLE_CAMERA_STATES,
    CertificateStatus,
    SanctionKind,
)
from .models import (
    Auxiliary,
    BodyCamera,
    Certificate,
    Officer,
    RegistryPolicy,
    TrainingPlan,
    TrainingRecord,
    field_labels,
)


def _one(qs: QuerySet[Any], public_id: uuid.UUID | str, *, field_name: str, message: str) -> Any:
    try:
        return qs.get(public_id=public_id)
    except (qs.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound.single(field_name, "not_found", message) from exc


def _certificates_with_history() -> Prefetch[Any]:
    return Prefetch(
        "certificates", queryset=Certificate.objects.prefetch_related("history").order_by("-issued_on", "-id")
    )


def _local_today() -> date:
    return timezone.localdate()


# --- officers and certificates -------------------------------------------------------------------------------------


def officers_visible_to(user: Any) -> QuerySet[Officer]:
    """Officer records within the user's scope (an officer sees their own), with certificates and sanctions."""
    return (
        Officer.objects.filter(scope_q(user, agency="agency", unit="unit", owner="user"))
        .select_related("user", "user__agency", "agency", "unit")
        .prefetch_related(_certificates_with_history(), "sanctions")
    )


def officer_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Officer:
    """One officer record the user may see, or NotFound."""
    return _one(officers_visible_to(user), public_id, field_name="officer", message=_("执法人员不存在或您无权查看。"))


def certificate_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Certificate:
    """One certificate of an officer the user may see, or NotFound."""
    qs = Certificate.objects.filter(officer__in=officers_visible_to(user)).select_related(
        "officer", "officer__agency", "officer__user"
    )
    return _one(qs, public_id, field_name="certificate", message=_("执法证不存在或您无权查看。"))


def current_officer(user: Any) -> Officer | None:
    """The person's officer record that has not been cleared, with certificates, history and sanctions."""
    if getattr(user, "pk", None) is None:
        return None
    return (
        Officer.objects.filter(user=user, cleared_on__isnull=True)
        .select_related("user", "agency", "unit")
        .prefetch_related(_certificates_with_history(), "sanctions")
        .first()
    )


def registrable_users(user: Any) -> QuerySet[User]:
    """Accounts the user could register as officers: active, with the 执法人员 role, in an agency within scope,
    not yet registered and not auxiliaries."""
    return (
        User.objects.filter(is_active=True, agency__in=agencies_visible_to(user), role_grants__role=Role.OFFICER)
        .exclude(pk__in=Officer.objects.filter(cleared_on__isnull=True).values("user_id"))
        .exclude(pk__in=Auxiliary.objects.filter(left_on__isnull=True).values("user_id"))
        .exclude(role_grants__role=Role.AUXILIARY)
        .select_related("agency", "unit")
        .distinct()
        .order_by("agency__name", "username")
    )


def checkable_users(user: Any) -> QuerySet[User]:
    """People whose eligibility the user may check: everyone in their scope, and colleagues of their own agency
    (an officer pairs up with a colleague before an act)."""
    q = Q(pk__in=users_visible_to(user).values("pk"))
    if getattr(user, "agency_id", None):
        q |= Q(agency_id=user.agency_id)
    return User.objects.filter(q)


def expiring_soon(certificate: Certificate, today: date) -> bool:
    """A valid certificate within EXPIRING_SOON_DAYS of its expiry date."""
    return (
        certificate.status == CertificateStatus.VALID
        and 0 <= (certificate.expires_on - today).days <= EXPIRING_SOON_DAYS
    )


# --- may_act (PER-1, PER-2, DIS-3) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may act as an enforcement officer, and if not, every reason why (in Chinese).

    `certificate` is the certificate that allows the act, or (when refused) the officer's most recent one.
    """

    ok: bool
    reasons: list[str] = field(default_factory=list)
    certificate: Certificate | None = None


def _unit_holds_item_check() -> Callable[..., bool] | None:
    """`sunlight.catalog.selectors.unit_holds_item` when the catalog provides it (DIS-3), else None."""
    if importlib.util.find_spec("sunlight.catalog.selectors") is None:
        return None
    from sunlight.catalog import selectors as catalog_selectors

    return getattr(catalog_selectors, "unit_holds_item", None)


def _as_date(on: date | datetime) -> date:
    if isinstance(on, datetime):
        return timezone.localdate(on)
    if not isinstance(on, date):
        raise TypeError("on must be a date")
    return on


def _status_since(certificate: Certificate, day: date, status: str) -> date:
    since = certificate.issued_on
    for change in sorted(certificate.history.all(), key=lambda c: (c.effective_on, c.pk)):
        if change.effective_on > day:
            break
        if change.to_status == status:
            since = change.effective_on
    return since


def _region_label(code: str, names: Mapping[str, str]) -> str:
    return f"{names[code]}（{code}）" if code in names else code


def certificate_problems(
    certificate: Certificate, *, day: date, field_value: str | None, region_code: str, names: Mapping[str, str]
) -> list[str]:
    """Why this certificate does not cover an act on `day` in `region_code` in `field_value` (empty: it does)."""
    number = certificate.number
    problems: list[str] = []
    status = certificate.status_on(day)
    if status == "":
        problems.append(
            _("执法证 %(n)s 的发证日期为 %(issued)s，%(day)s 尚未发证。")
            % {"n": number, "issued": certificate.issued_on.isoformat(), "day": day.isoformat()}
        )
    elif status == CertificateStatus.EXPIRED:
        problems.append(
            _("执法证 %(n)s 的有效期至 %(end)s，%(day)s 已过期。")
            % {"n": number, "end": certificate.expires_on.isoformat(), "day": day.isoformat()}
        )
    elif status == CertificateStatus.SUSPENDED:
        problems.append(
            _("执法证 %(n)s 自 %(since)s 起被暂扣。")
            % {"n": number, "since": _status_since(certificate, day, status).isoformat()}
        )
    elif status == CertificateStatus.REVOKED:
        problems.append(
            _("执法证 %(n)s 已于 %(since)s 注销。")
            % {"n": number, "since": _status_since(certificate, day, status).isoformat()}
        )
    if field_value and field_value not in certificate.categories:
        problems.append(
            _("执法证 %(n)s 的执法类别为“%(have)s”，不包括“%(want)s”。")
            % {"n": number, "have": "、".join(certificate.field_labels()), "want": field_labels([field_value])[0]}
        )
    if is_valid_region_code(region_code) and not any(
        region_code.startswith(region_code_prefix(code)) for code in certificate.regions
    ):
        problems.append(
            _("执法证 %(n)s 的执法区域为“%(have)s”，不包括%(want)s。")
            % {
                "n": number,
                "have": "、".join(_region_label(c, names) for c in certificate.regions),
                "want": _region_label(region_code, names),
            }
        )
    return problems


class HoldsItem(Protocol):
    """A DIS-3 answer with the signature of the catalog's `unit_holds_item`: may the unit handle the item that day?"""

    def __call__(self, *, unit: Any, item: Any, on: date) -> bool: ...


class _Lookups(Protocol):
    """What the `may_act` rule reads: about the person, the catalog (DIS-3) and region names. `_Queries` reads each
    from the database when the rule asks (one `may_act` call); `MayActBatch` answers from rows loaded once for many
    questions. Both feed the same rule, `_eligibility`."""

    def is_auxiliary(self, user: Any) -> bool: ...

    def current_officer(self, user: Any) -> Officer | None: ...

    def last_cleared(self, user: Any) -> Officer | None: ...

    def unit_holds_item(self, *, unit: Any, item: Any, day: date) -> bool: ...

    def region_names(self, codes: set[str]) -> Mapping[str, str]: ...


class _Queries:
    """The lookups of one `may_act` call, each a query when the rule needs it."""

    def is_auxiliary(self, user: Any) -> bool:
        return user.has_role(Role.AUXILIARY) or Auxiliary.objects.filter(user=user, left_on__isnull=True).exists()

    def current_officer(self, user: Any) -> Officer | None:
        return current_officer(user)

    def last_cleared(self, user: Any) -> Officer | None:
        return Officer.objects.filter(user=user, cleared_on__isnull=False).order_by("-cleared_on", "-id").first()

    def unit_holds_item(self, *, unit: Any, item: Any, day: date) -> bool:
        """The catalog's DIS-3 answer; True (nothing to check) when the catalog does not provide it."""
        holds_item = _unit_holds_item_check()
        return holds_item is None or holds_item(unit=unit, item=item, on=day)

    def region_names(self, codes: set[str]) -> dict[str, str]:
        return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _person_problems(user: Any, officer: Officer | None, day: date, *, lookups: _Lookups) -> list[str]:
    name = user.full_name or user.username
    problems = [] if user.is_active else [_("%(name)s 的账户已停用。") % {"name": name}]
    if officer is None:
        cleared = lookups.last_cleared(user)
        if cleared is not None and cleared.cleared_on is not None:
            problems.append(
                _("%(name)s 已于 %(d)s 清理出执法队伍（%(reason)s）。")
                % {"name": name, "d": cleared.cleared_on.isoformat(), "reason": cleared.cleared_reason}
            )
        else:
            problems.append(_("%(name)s 不是登记在册的执法人员。") % {"name": name})
        return problems
    if officer.is_transferred:
        problems.append(
            _("%(name)s 已调离“%(agency)s”，须在现单位重新登记并领取执法证。")
            % {"name": name, "agency": officer.agency.name}
        )
    for sanction in officer.sanctions.all():
        if (
            sanction.kind == SanctionKind.OFF_POST_TRAINING
            and sanction.starts_on is not None
            and sanction.ends_on is not None
            and sanction.starts_on <= day <= sanction.ends_on
        ):
            problems.append(
                _("%(name)s %(a)s 至 %(b)s 离岗培训，期间不得从事执法活动。")
                % {"name": name, "a": sanction.starts_on.isoformat(), "b": sanction.ends_on.isoformat()}
            )
    return problems


def may_act(
    *,
    user: Any,
    item: Any = None,
    field: str | None = None,
    region_code: str,
    on: date,
) -> Eligibility:
    """May `user` act as an enforcement officer on `item` (or in enforcement category `field`) in the region
    `region_code` on the date `on`? Returns every reason against, in Chinese (PER-1, PER-2, DIS-3).

    * Auxiliaries (role or registry record) never may; nor people without a current officer record.
    * The person must be active, still in the agency that registered them, and not in off-post training on `on`.
    * Some certificate must be valid on `on` (issued, not expired, not suspended or revoked by then), cover the
      category (`item.field` when an item is given, else `field`; None skips the check) and the region (a
      certificate region covers every code that starts with its prefix).
    * With an item, the officer's unit must hold it on `on` when `sunlight.catalog.selectors.unit_holds_item`
      exists (DIS-3); without that function this check is skipped.

    For many questions in one run (each officer of each record of a case), `MayActBatch` gives the same answers
    with a fixed number of queries.
    """
    return _eligibility(
        user=user, item=item, field=field, region_code=region_code, day=_as_date(on), lookups=_Queries()
    )


def _eligibility(
    *, user: Any, item: Any, field: str | None, region_code: str, day: date, lookups: _Lookups
) -> Eligibility:
    """The rule of `may_act` (see there), reading through `lookups`."""
    if user is None or getattr(user, "pk", None) is None:
        return Eligibility(False, [_("未指定执法人员。")], None)
    name = user.full_name or user.username
    if lookups.is_auxiliary(user):
        return Eligibility(
            False, [_("%(name)s 是辅助人员，不能作为执法人员实施执法或在执法文书上签名。") % {"name": name}], None
        )
    officer = lookups.current_officer(user)
    reasons = _person_problems(user, officer, day, lookups=lookups)
    if officer is None:
        return Eligibility(False, reasons, None)
    wanted = getattr(item, "field", None) if item is not None else field
    if wanted and wanted not in EnforcementField.values:
        reasons.append(_("执法类别“%(f)s”无效。") % {"f": wanted})
        wanted = None
    if not is_valid_region_code(region_code or ""):
        reasons.append(_("执法区域代码“%(code)s”格式不正确。") % {"code": region_code})
    if item is not None and not lookups.unit_holds_item(unit=officer.unit, item=item, day=day):
        reasons.append(_("%(unit)s 不承担该执法事项，不能办理。") % {"unit": officer.unit})
    certificates = list(officer.certificates.all())
    if not certificates:
        reasons.append(_("%(name)s 尚未取得行政执法证。") % {"name": name})
        return Eligibility(False, reasons, None)
    codes = {region_code, *(c for cert in certificates for c in cert.regions)}
    names = lookups.region_names(codes)
    problems = [
        (cert, certificate_problems(cert, day=day, field_value=wanted, region_code=region_code or "", names=names))
        for cert in certificates
    ]
    good = [cert for cert, found in problems if not found]
    if good:
        return Eligibility(not reasons, reasons, good[0])
    for _cert, found in problems:
        reasons.extend(found)
    return Eligibility(False, reasons, certificates[0])


class _OnFirstUse(Mapping[str, str]):
    """A mapping read from `load` when first looked into."""

    def __init__(self, load: Callable[[], Mapping[str, str]]) -> None:
        self._load = load
        self._read: Mapping[str, str] | None = None

    def _mapping(self) -> Mapping[str, str]:
        if self._read is None:
            self._read = self._load()
        return self._read

    def __getitem__(self, key: str) -> str:
        return self._mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


def _is_auxiliary() -> Q:
    """Accounts of auxiliaries, as `may_act` tells them: the 辅助人员 role or a current auxiliary record."""
    return Q(Exists(RoleGrant.objects.filter(user=OuterRef("pk"), role=Role.AUXILIARY))) | Q(
        Exists(Auxiliary.objects.filter(user=OuterRef("pk"), left_on__isnull=True))
    )


def _object_key(obj: Any) -> Any:
    """A dictionary key for an item or unit: a saved model instance by its model and pk, anything else by identity
    (the batch keeps a reference, so the identity is not reused while it lives)."""
    pk = getattr(obj, "pk", None)
    return (type(obj), pk) if isinstance(obj, Model) and pk is not None else id(obj)


class MayActBatch:
    """`may_act` for many questions in one run — e.g. every officer of every field-work record of a case — with the
    same answers and a number of queries that does not grow with the questions.

    It applies the rule of `may_act` (`_eligibility`) to rows read once: the people's auxiliary status, their
    current officer records with certificates, status history and sanctions, their last cleared records, and the
    region names the certificates mention; the catalog's DIS-3 answer once per (unit, item, day); and it answers
    each distinct (person, item, category, region, day) question once. People not named up front are loaded (in one
    go) when first asked about. The rows, roles included, are read from the database when the batch first needs them
    and not again: use one batch per run, not across writes.

    `unit_holds_item`, when given, answers DIS-3 instead of the catalog's function of that name (with the same
    keyword arguments `unit`, `item`, `on`): a run that reads the catalog itself (the pre-checks'
    `ItemVersionsInForce`) passes its own, so that the item is read once for the batch and the run's other checks.
    """

    def __init__(self, *, users: Iterable[Any] = (), unit_holds_item: HoldsItem | None = None) -> None:
        self.people: dict[str, User] = {}
        self._waiting: set[Any] = set()
        self._loaded: set[Any] = set()
        self._auxiliaries: set[Any] = set()
        self._auxiliaries_known: set[Any] = set()
        self._officers: dict[Any, Officer] = {}
        self._cleared: dict[Any, Officer] = {}
        self._names: dict[str, str] = {}
        self._named: set[str] = set()
        self._codes: set[str] = set()
        self._holds: dict[tuple[Any, Any, date], bool] = {}
        self._answers: dict[tuple[Any, ...], Eligibility] = {}
        self._kept: list[Any] = []
        self._holds_item = unit_holds_item
        self._add(users)

    @classmethod
    def for_public_ids(cls, *, public_ids: Iterable[str], unit_holds_item: HoldsItem | None = None) -> MayActBatch:
        """A batch for the people with these public ids (as case records name them): `people` maps each id found to
        the account, read in one query together with whether the person is an auxiliary. `unit_holds_item`: as for
        the constructor."""
        batch = cls(unit_holds_item=unit_holds_item)
        ids = set(public_ids)
        if ids:
            for user in User.objects.filter(public_id__in=ids).annotate(registry_is_auxiliary=_is_auxiliary()):
                batch.people[str(user.public_id)] = user
                batch._auxiliaries_known.add(user.pk)
                if user.registry_is_auxiliary:
                    batch._auxiliaries.add(user.pk)
            batch._add(batch.people.values())
        return batch

    def may_act(
        self, *, user: Any, item: Any = None, field: str | None = None, region_code: str, on: date
    ) -> Eligibility:
        """What `may_act` answers for the same arguments (the same object for a question asked again)."""
        day = _as_date(on)
        if user is None or getattr(user, "pk", None) is None:
            return _eligibility(user=user, item=item, field=field, region_code=region_code, day=day, lookups=self)
        key = (user.pk, None if item is None else _object_key(item), field, region_code, day)
        answer = self._answers.get(key)
        if answer is None:
            self._add([user])
            if item is not None:
                self._kept.append(item)
            answer = _eligibility(user=user, item=item, field=field, region_code=region_code, day=day, lookups=self)
            self._answers[key] = answer
        return answer

    # --- the lookups the rule reads (`_Lookups`) ---

    def is_auxiliary(self, user: Any) -> bool:
        self._load()
        return user.pk in self._auxiliaries

    def current_officer(self, user: Any) -> Officer | None:
        self._load()
        return self._officers.get(user.pk)

    def last_cleared(self, user: Any) -> Officer | None:
        self._load()
        return self._cleared.get(user.pk)

    def unit_holds_item(self, *, unit: Any, item: Any, day: date) -> bool:
        key = (_object_key(unit), _object_key(item), day)
        if key not in self._holds:
            self._kept.append(unit)
            if self._holds_item is None:
                self._holds[key] = _Queries().unit_holds_item(unit=unit, item=item, day=day)
            else:
                self._holds[key] = self._holds_item(unit=unit, item=item, on=day)
        return self._holds[key]

    def region_names(self, codes: set[str]) -> Mapping[str, str]:
        """The names, read when a reason first needs one (a certificate that covers the region needs none)."""
        return _OnFirstUse(lambda: self._region_names(codes))

    def _region_names(self, codes: set[str]) -> dict[str, str]:
        missing = (codes | self._codes) - self._named
        if missing:
            self._names.update(Region.objects.filter(code__in=missing).values_list("code", "name"))
            self._named |= missing
        self._codes.clear()
        return self._names

    # --- loading ---

    def _add(self, users: Iterable[Any]) -> None:
        for user in users:
            pk = getattr(user, "pk", None)
            if pk is not None and pk not in self._loaded:
                self._waiting.add(pk)

    def _load(self) -> None:
        """Read the rows of the people named since the last load, a fixed number of queries for all of them."""
        if not self._waiting:
            return
        pks = list(self._waiting)
        self._waiting.clear()
        self._loaded.update(pks)
        unknown = [pk for pk in pks if pk not in self._auxiliaries_known]
        if unknown:
            auxiliaries = User.objects.filter(_is_auxiliary(), pk__in=unknown).order_by().values_list("pk", flat=True)
            self._auxiliaries.update(auxiliaries)
            self._auxiliaries_known.update(unknown)
        officers = (
            Officer.objects.filter(user_id__in=pks, cleared_on__isnull=True)
            .select_related("user", "agency", "unit__agency")  # the unit's name in a reason includes its agency's
            .prefetch_related(_certificates_with_history(), "sanctions")
            .order_by()  # at most one current record a person
        )
        for officer in officers:
            self._officers[officer.user_id] = officer
            self._codes.update(code for cert in officer.certificates.all() for code in cert.regions)
        others = [pk for pk in pks if pk not in self._officers]
        if others:
            cleared = Officer.objects.filter(user_id__in=others, cleared_on__isnull=False)
            for officer in cleared.order_by("user_id", "-cleared_on", "-id"):
                self._cleared.setdefault(officer.user_id, officer)


@dataclass(frozen=True)
class ActQuestion:
    """One `may_act` question, for `may_act_many`."""

    user: Any
    region_code: str
    on: date
    item: Any = None
    field: str | None = None


def may_act_many(*, questions: Iterable[ActQuestion]) -> list[Eligibility]:
    """`may_act`'s answer to each question, in order, from one `MayActBatch` (a fixed number of queries)."""
    asked = list(questions)
    batch = MayActBatch(users=[q.user for q in asked])
    return [batch.may_act(user=q.user, item=q.item, field=q.field, region_code=q.region_code, on=q.on) for q in asked]


@dataclass(frozen=True)
class PairCheck:
    """Whether a set of people may act together: everyone listed may act and there are at least two (§42)."""

    ok: bool
    reasons: list[str]
    results: list[tuple[Any, Eligibility]]


def acting_pair_check(
    *, users: Iterable[Any], item: Any = None, field: str | None = None, region_code: str, on: date
) -> PairCheck:
    """Check the officers named for an act: each must pass `may_act`, and at least two distinct ones must be named
    (行政处罚法 §42; 行政强制法 §18). Reasons name the person they concern."""
    people = list({u.pk: u for u in users if u is not None}.values())
    results = [(u, may_act(user=u, item=item, field=field, region_code=region_code, on=on)) for u in people]
    reasons = [f"{u.full_name or u.username}：{r}" for u, e in results for r in e.reasons]
    eligible = [u for u, e in results if e.ok]
    if len(eligible) < 2:
        reasons.append(
            _("具备执法资格的执法人员不足两名（现有 %(n)d 名），不得实施执法（《行政处罚法》第四十二条）。")
            % {"n": len(eligible)}
        )
    return PairCheck(ok=len(eligible) >= 2 and len(eligible) == len(results), reasons=reasons, results=results)


# --- clean-up list (PER-1) -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanupEntry:
    """An officer who should be cleared out of the enforcement ranks, with the reasons."""

    officer: Officer
    reasons: list[str]


def cleanup_reasons(officer: Officer, day: date) -> list[str]:
    """Why an officer belongs on the clean-up list (清理名单) on `day`: expired, transferred, inactive, sanctioned."""
    reasons: list[str] = []
    if officer.is_transferred:
        now_at = officer.user.agency.name if officer.user.agency else _("无执法主体")
        reasons.append(_("已调离（现属：%(agency)s）") % {"agency": now_at})
    if not officer.user.is_active:
        reasons.append(_("账户已停用"))
    certificates = list(officer.certificates.all())
    statuses = [c.status_on(day) for c in certificates]
    if CertificateStatus.VALID not in statuses and CertificateStatus.SUSPENDED not in statuses:
        expired = [c for c, s in zip(certificates, statuses, strict=True) if s == CertificateStatus.EXPIRED]
        if expired:
            reasons.append(
                _("执法证已过期（%(n)s，有效期至 %(d)s）") % {"n": expired[0].number, "d": expired[0].expires_on}
            )
    sanctions = list(officer.sanctions.all())
    if any(s.kind == SanctionKind.REVOCATION for s in sanctions):
        reasons.append(_("受到取消执法资格处理"))
    elif any(s.kind == SanctionKind.SUSPENSION for s in sanctions) and CertificateStatus.SUSPENDED in statuses:
        reasons.append(_("受到暂扣执法证处理"))
    return reasons


def cleanup_list(*, user: Any, on: date | None = None) -> list[CleanupEntry]:
    """Officers within the user's scope that have not been cleared and should be (PER-1; 000, 002)."""
    day = on or _local_today()
    entries = []
    for officer in officers_visible_to(user).filter(cleared_on__isnull=True):
        reasons = cleanup_reasons(officer, day)
        if reasons:
            entries.append(CleanupEntry(officer, reasons))
    return entries


# --- auxiliaries (PER-2) -------------------------------------------------------------------------------------------


def auxiliaries_visible_to(user: Any) -> QuerySet[Auxiliary]:
    """Auxiliary records within the user's scope."""
    return Auxiliary.objects.filter(scope_q(user, agency="agency", unit="unit", owner="user")).select_related(
        "user", "agency", "unit"
    )


def auxiliary_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Auxiliary:
    """One auxiliary record the user may see, or NotFound."""
    return _one(
        auxiliaries_visible_to(user), public_id, field_name="auxiliary", message=_("辅助人员不存在或您无权查看。")
    )


def registrable_auxiliaries(user: Any) -> QuerySet[User]:
    """Accounts with the 辅助人员 role in agencies within scope that are not registered yet."""
    return (
        User.objects.filter(is_active=True, agency__in=agencies_visible_to(user), role_grants__role=Role.AUXILIARY)
        .exclude(pk__in=Auxiliary.objects.filter(left_on__isnull=True).values("user_id"))
        .select_related("agency", "unit")
        .distinct()
        .order_by("agency__name", "username")
    )


# --- per-agency targets --------------------------------------------------------------------------------------------


def policy_for(agency: Agency) -> RegistryPolicy:
    """The agency's targets: its own row, or an unsaved row with the defaults."""
    return RegistryPolicy.objects.filter(agency=agency).first() or RegistryPolicy(agency=agency)


def policy_payload(policy: RegistryPolicy) -> dict[str, Any]:
    """The targets as ledger-safe values."""
    return {
        "officers_per_camera": policy.officers_per_camera,
        "officer_training_days": str(policy.officer_training_days),
        "auxiliary_training_days": str(policy.auxiliary_training_days),
        "agency_trainings_per_year": policy.agency_trainings_per_year,
    }


def policies_by_agency(agency_ids: Iterable[int]) -> dict[int, RegistryPolicy]:
    """{agency pk: its policy, or an unsaved row with the defaults} in one query."""
    ids = list(agency_ids)
    rows = {p.agency_id: p for p in RegistryPolicy.objects.filter(agency_id__in=ids)}
    return {pk: rows.get(pk) or RegistryPolicy(agency_id=pk) for pk in ids}


# --- training (PER-3) ----------------------------------------------------------------------------------------------


def current_trainees() -> list[Officer | Auxiliary]:
    """Everyone with a training target: officers not cleared and auxiliaries who have not left."""
    officers: list[Officer | Auxiliary] = list(
        Officer.objects.filter(cleared_on__isnull=True).select_related("user", "agency", "unit")
    )
    auxiliaries = list(Auxiliary.objects.filter(left_on__isnull=True).select_related("user", "agency", "unit"))
    return officers + auxiliaries


def training_target(trainee: Officer | Auxiliary) -> Decimal:
    """Days a year the person must train under their agency's policy (officers 5, auxiliaries 3 by default)."""
    policy = policy_for(trainee.agency)
    return policy.officer_training_days if isinstance(trainee, Officer) else policy.auxiliary_training_days


def person_training_days(person: Any, year: int) -> Decimal:
    """Days of training recorded for a person in a calendar year."""
    total = TrainingRecord.objects.filter(person=person, trained_on__year=year).aggregate(t=Sum("days"))["t"]
    return total or Decimal(0)


def training_totals_by_person(year: int) -> dict[int, Decimal]:
    """{user pk: days} for a calendar year."""
    rows = TrainingRecord.objects.filter(trained_on__year=year).values("person").annotate(t=Sum("days"))
    return {r["person"]: r["t"] for r in rows}


def agency_trainings_held(agency: Agency, year: int) -> int:
    """Trainings the agency held in a year."""
    return TrainingPlan.objects.filter(agency=agency, held_on__year=year).count()


def agency_trainings_held_by_agency(year: int) -> dict[int, int]:
    """{agency pk: trainings held} for a year."""
    rows = TrainingPlan.objects.filter(held_on__year=year).values("agency").annotate(n=Count("id"))
    return {r["agency"]: r["n"] for r in rows}


def training_plans_visible_to(user: Any) -> QuerySet[TrainingPlan]:
    """Plans of the agencies within the user's scope, and of the user's own agency."""
    q = Q(agency__in=agencies_visible_to(user))
    if getattr(user, "agency_id", None):
        q |= Q(agency_id=user.agency_id)
    return TrainingPlan.objects.filter(q).select_related("agency").annotate(attendees=Count("records"))


def training_plan_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> TrainingPlan:
    """One plan the user may see, or NotFound."""
    return _one(
        training_plans_visible_to(user), public_id, field_name="plan", message=_("培训计划不存在或您无权查看。")
    )


def training_records_visible_to(user: Any) -> QuerySet[TrainingRecord]:
    """Training records within the user's scope (a person sees their own)."""
    return TrainingRecord.objects.filter(scope_q(user, agency="agency", unit="unit", owner="person")).select_related(
        "person", "agency", "plan"
    )


@dataclass(frozen=True)
class PersonTraining:
    """One person's training in a year against their target."""

    record: Officer | Auxiliary
    kind: str
    days: Decimal
    target: Decimal

    @property
    def met(self) -> bool:
        return self.days >= self.target

    @property
    def shortfall(self) -> Decimal:
        return max(self.target - self.days, Decimal(0))


@dataclass(frozen=True)
class AgencyTraining:
    """An agency's trainings in a year against its target, with how many of its people fall short."""

    agency: Agency
    held: int
    target: int
    people: int
    short: int

    @property
    def met(self) -> bool:
        return self.held >= self.target


def training_overview(*, user: Any, year: int) -> tuple[list[PersonTraining], list[AgencyTraining]]:
    """Yearly totals per person and per agency within the user's scope (PER-3)."""
    totals = training_totals_by_person(year)
    officers = Officer.objects.filter(cleared_on__isnull=True).filter(
        scope_q(user, agency="agency", unit="unit", owner="user")
    )
    auxiliaries = Auxiliary.objects.filter(left_on__isnull=True).filter(
        scope_q(user, agency="agency", unit="unit", owner="user")
    )
    records: list[Officer | Auxiliary] = [
        *officers.select_related("user", "agency", "unit"),
        *auxiliaries.select_related("user", "agency", "unit"),
    ]
    policies = policies_by_agency({r.agency_id for r in records})
    people = []
    for record in records:
        policy = policies[record.agency_id]
        is_officer = isinstance(record, Officer)
        target = policy.officer_training_days if is_officer else policy.auxiliary_training_days
        people.append(
            PersonTraining(
                record=record,
                kind=_("执法人员") if is_officer else _("辅助人员"),
                days=totals.get(record.user_id, Decimal(0)),
                target=target,
            )
        )
    people.sort(key=lambda p: (p.record.agency.name, p.met, p.record.user.username))
    held = agency_trainings_held_by_agency(year)
    agencies = []
    for agency_id in sorted({p.record.agency_id for p in people}):
        mine = [p for p in people if p.record.agency_id == agency_id]
        agency = mine[0].record.agency
        policy = policies[agency_id]
        agencies.append(
            AgencyTraining(
                agency=agency,
                held=held.get(agency_id, 0),
                target=policy.agency_trainings_per_year,
                people=len(mine),
                short=sum(1 for p in mine if not p.met),
            )
        )
    agencies.sort(key=lambda a: a.agency.name)
    return people, agencies


# --- body cameras (REC-12) -----------------------------------------------------------------------------------------


def cameras_visible_to(user: Any) -> QuerySet[BodyCamera]:
    """Cameras of the agencies within the user's scope; below agency scope, the unit's and those one administers."""
    return BodyCamera.objects.filter(scope_q(user, agency="agency", unit="unit", owner="administrator")).select_related(
        "agency", "unit", "administrator"
    )


def camera_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> BodyCamera:
    """One camera the user may see, or NotFound."""
    return _one(cameras_visible_to(user), public_id, field_name="camera", message=_("执法记录仪不存在或您无权查看。"))


def body_camera_get(*, number: str) -> BodyCamera:
    """A camera by its device number, for the records that cite it (REC-6, REC-12); NotFound when unknown."""
    camera = BodyCamera.objects.select_related("agency", "unit", "administrator").filter(number=number).first()
    if camera is None:
        raise NotFound.single("number", "not_found", _("执法记录仪 %(n)s 未登记。") % {"n": number})
    return camera


def check_overdue(camera: BodyCamera, today: date) -> bool:
    """A camera in service whose last periodic check is older than CAMERA_CHECK_INTERVAL_DAYS (or never done)."""
    if camera.status not in USABLE_CAMERA_STATES:
        return False
    return camera.last_checked_on is None or (today - camera.last_checked_on).days > CAMERA_CHECK_INTERVAL_DAYS


@dataclass(frozen=True)
class RosterEntry:
    """One line of the camera administrator roster (管理员名册)."""

    administrator: User
    agency: Agency
    cameras: int
    since: date


def camera_administrators(user: Any) -> list[RosterEntry]:
    """The administrators of the cameras within the user's scope: how many each manages and since when."""
    rows: dict[tuple[int, int], RosterEntry] = {}
    for camera in cameras_visible_to(user).exclude(status="scrapped").select_related("administrator__unit"):
        key = (camera.administrator_id, camera.agency_id)
        entry = rows.get(key)
        if entry is None:
            rows[key] = RosterEntry(camera.administrator, camera.agency, 1, camera.administrator_since)
        else:
            rows[key] = RosterEntry(
                entry.administrator, entry.agency, entry.cameras + 1, min(entry.since, camera.administrator_since)
            )
    return sorted(rows.values(), key=lambda e: (e.agency.name, e.administrator.username))


@dataclass(frozen=True)
class RatioRow:
    """An agency's officers against its usable cameras and the minimum its policy asks for (REC-12)."""

    agency: Agency
    officers: int
    cameras: int
    officers_per_camera: int

    @property
    def required(self) -> int:
        return math.ceil(self.officers / self.officers_per_camera) if self.officers else 0

    @property
    def short(self) -> bool:
        return self.cameras < self.required

    @property
    def ratio(self) -> str:
        """Officers per usable camera, as 「n:1」 with one decimal ("—" without cameras)."""
        if not self.cameras:
            return "—"
        return f"{Decimal(self.officers) / Decimal(self.cameras):.1f}:1"


def active_officers(agency_ids: Iterable[int] | None = None) -> QuerySet[Officer]:
    """Officers who count towards ratios: not cleared, account active, still in the agency that registered them."""
    qs = Officer.objects.filter(cleared_on__isnull=True, user__is_active=True, user__agency_id=F("agency_id"))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return qs


def camera_ratios(user: Any = None) -> list[RatioRow]:
    """Ratio rows for the agencies within the user's scope (all agencies when user is None) that have officers or
    cameras."""
    agencies = agencies_visible_to(user) if user is not None else Agency.objects.all()
    officer_counts = dict(
        active_officers()
        .filter(agency__in=agencies)
        .values("agency")
        .annotate(n=Count("id"))
        .values_list("agency", "n")
    )
    camera_counts = dict(
        BodyCamera.objects.filter(agency__in=agencies, status__in=USABLE_CAMERA_STATES)
        .values("agency")
        .annotate(n=Count("id"))
        .values_list("agency", "n")
    )
    ids = set(officer_counts) | set(camera_counts)
    policies = policies_by_agency(ids)
    rows = []
    for agency in Agency.objects.filter(pk__in=ids).select_related("region"):
        policy = policies[agency.pk]
        rows.append(
            RatioRow(
                agency=agency,
                officers=officer_counts.get(agency.pk, 0),
                cameras=camera_counts.get(agency.pk, 0),
                officers_per_camera=policy.officers_per_camera,
            )
        )
    return sorted(rows, key=lambda r: (not r.short, r.agency.name))
