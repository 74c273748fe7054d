"""Writes to the catalog (issue 4): laws and amendments, catalog entries and their versions, review and publication,
flags raised by amended laws, the yearly benchmark review.

Every service checks permission first (a refusal is audited and survives), validates everything before it writes
(all errors in one ServiceError), and records the change in the ledger in the same transaction. Published versions and
law texts are never changed: a change is a new version (or an amendment with new article texts).

Review workflow (PUB-2), one table for every catalog: a version is drafted, submitted to legal review, then published
(or returned to draft with the reviewer's note); a draft may be discarded. At most one version of an entry is open
(draft or under review) at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sunlight.core.audit import audit
from sunlight.core.calendar import shift_months, start_of_local_day
from sunlight.core.errors import FieldError, NotFound, ServiceError

from . import permissions
from .choices import AmendmentKind, CatalogKind, FlagStatus, LawKind, VersionStatus
from .models import Article, ArticleText, BenchmarkReview, CatalogFlag, Law, LawAmendment
from .validation import content_errors, identity_errors
from .versioning import (
    SPECS,
    current_versions,
    kind_of,
    latest_version,
    open_version,
    save_content,
    scheduled_versions,
    snapshot,
    spec_for,
    version_snapshot,
    version_title,
)

# The whole table of allowed moves: operation -> (from states, to state).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({VersionStatus.DRAFT}), VersionStatus.IN_REVIEW),
    "return": (frozenset({VersionStatus.IN_REVIEW}), VersionStatus.DRAFT),
    "publish": (frozenset({VersionStatus.IN_REVIEW}), VersionStatus.PUBLISHED),
    "discard": (frozenset({VersionStatus.DRAFT}), VersionStatus.DISCARDED),
}
OPERATION_LABELS = {
    "submit": gettext_lazy("提交法制审核"),
    "return": gettext_lazy("退回修改"),
    "publish": gettext_lazy("审核通过并发布"),
    "discard": gettext_lazy("作废"),
}
REVIEW_OPERATIONS = frozenset({"return", "publish"})
BENCHMARK_REVIEW_SUBJECT = "catalog.benchmark_review"


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ServiceError(errors)


def _moment(now: datetime | None) -> datetime:
    return now or timezone.now()


def _today(now: datetime | None) -> date:
    return timezone.localdate(_moment(now))


def _stream(kind: str, entry: Any) -> str:
    return f"catalog:{kind}:{entry.public_id}"


# --- laws ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleChange:
    """The new wording of one article in an amendment (an unknown number adds the article; `repealed` deletes it)."""

    number: int
    text: str = ""
    repealed: bool = False


def _article_rows_errors(articles: list[tuple[int, str]], field: str = "articles") -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[int] = set()
    for number, text in articles:
        if number in seen:
            errors.append(FieldError(field, "duplicate", _("第%(n)d条重复。") % {"n": number}))
        seen.add(number)
        if not str(text).strip():
            errors.append(FieldError(field, "required", _("第%(n)d条没有条文内容。") % {"n": number}))
    return errors


def law_create(
    *,
    acting_user: Any,
    title: str,
    kind: str,
    effective_from: date | None,
    short_title: str = "",
    issuer: str = "",
    doc_number: str = "",
    promulgated_on: date | None = None,
    articles: list[tuple[int, str]] | None = None,
) -> Law:
    """Record a law, regulation, rule or normative document with its articles as in force from `effective_from`."""
    permissions.require_law_edit(acting_user, target=title)
    title = (title or "").strip().strip("《》")
    errors: list[FieldError] = []
    if not title:
        errors.append(FieldError("title", "required", _("请填写名称。")))
    elif Law.objects.filter(title=title).exists():
        errors.append(FieldError("title", "duplicate", _("《%(t)s》已录入。") % {"t": title}))
    if kind not in LawKind.values:
        errors.append(FieldError("kind", "invalid", _("请选择效力层级。")))
    if not isinstance(effective_from, date):
        errors.append(FieldError("effective_from", "required", _("请填写施行日期。")))
    errors += _article_rows_errors(articles or [])
    _raise_if(errors)
    assert isinstance(effective_from, date)
    with transaction.atomic():
        law = Law.objects.create(
            title=title,
            short_title=short_title.strip(),
            kind=kind,
            issuer=issuer.strip(),
            doc_number=doc_number.strip(),
            promulgated_on=promulgated_on,
            effective_from=effective_from,
            created_by=_user(acting_user),
        )
        _add_articles(law, articles or [], effective_from=effective_from, amendment=None)
        audit(
            kind="catalog.law_created",
            actor=acting_user,
            stream=f"law:{law.public_id}",
            payload={
                "law": str(law.public_id),
                "title": title,
                "kind": kind,
                "effective_from": effective_from.isoformat(),
                "articles": {str(n): t for n, t in sorted(articles or [])},
            },
        )
    return law


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) and getattr(acting_user, "is_authenticated", False) else None


def _add_articles(
    law: Law, articles: list[tuple[int, str]], *, effective_from: date, amendment: LawAmendment | None
) -> None:
    for number, text in articles:
        article, _created = Article.objects.get_or_create(law=law, number=number)
        ArticleText.objects.create(
            article=article, text=text.strip(), effective_from=effective_from, amendment=amendment
        )


def law_articles_add(*, acting_user: Any, law: Law, articles: list[tuple[int, str]]) -> Law:
    """Complete a law with articles not yet entered (their original wording, in force from the law's date)."""
    permissions.require_law_edit(acting_user, target=str(law.public_id))
    errors = _article_rows_errors(articles)
    existing = set(law.articles.filter(number__in=[n for n, _t in articles]).values_list("number", flat=True))
    for number in sorted(existing):
        errors.append(
            FieldError("articles", "exists", _("第%(n)d条已录入；修改条文请录入法律法规修改。") % {"n": number})
        )
    if not articles:
        errors.append(FieldError("articles", "required", _("请至少填写一条。")))
    _raise_if(errors)
    with transaction.atomic():
        _add_articles(law, articles, effective_from=law.effective_from, amendment=None)
        audit(
            kind="catalog.law_amended",
            actor=acting_user,
            stream=f"law:{law.public_id}",
            payload={"law": str(law.public_id), "added": {str(n): t for n, t in sorted(articles)}, "completion": True},
        )
    return law


def law_amend(
    *,
    acting_user: Any,
    law: Law,
    kind: str,
    label: str,
    effective_from: date | None,
    promulgated_on: date | None = None,
    note: str = "",
    changes: list[ArticleChange] | None = None,
    now: datetime | None = None,
) -> LawAmendment:
    """Record an amendment, revision or repeal of a law and flag every catalog entry that cites it (PUB-2).

    The articles named in `changes` get their new wording (or are deleted) from `effective_from`; an amendment that
    names no article (a revision of the whole law, or a repeal) touches every article. Each entry in force or
    scheduled that cites a touched article is flagged, and a 20-working-day clock (`publicity.catalog_update`) starts
    for it; publishing a new version of the entry (or a reviewer's finding that nothing needs to change) stops it.
    """
    permissions.require_law_edit(acting_user, target=str(law.public_id))
    changes = list(changes or [])
    errors: list[FieldError] = []
    if kind not in AmendmentKind.values:
        errors.append(FieldError("kind", "invalid", _("请选择修改类型。")))
    if not (label or "").strip():
        errors.append(FieldError("label", "required", _("请填写修改说明（如“2021年4月29日第二次修正”）。")))
    if not isinstance(effective_from, date):
        errors.append(FieldError("effective_from", "required", _("请填写施行日期。")))
    elif effective_from < law.effective_from:
        errors.append(FieldError("effective_from", "invalid", _("修改的施行日期不能早于法律法规的施行日期。")))
    if law.repealed_on() is not None:
        errors.append(FieldError("kind", "repealed", _("该法律法规已废止。")))
    if kind == AmendmentKind.REPEAL and changes:
        errors.append(FieldError("changes", "invalid", _("废止不需要填写条文。")))
    errors += _article_rows_errors([(c.number, c.text or ("-" if c.repealed else "")) for c in changes], "changes")
    _raise_if(errors)
    assert isinstance(effective_from, date)
    moment = _moment(now)
    with transaction.atomic():
        amendment = LawAmendment.objects.create(
            law=law,
            kind=kind,
            label=label.strip(),
            promulgated_on=promulgated_on,
            effective_from=effective_from,
            note=note.strip(),
            created_by=_user(acting_user),
        )
        for change in changes:
            article, _created = Article.objects.get_or_create(law=law, number=change.number)
            ArticleText.objects.create(
                article=article,
                text="" if change.repealed else change.text.strip(),
                repealed=change.repealed,
                effective_from=effective_from,
                amendment=amendment,
            )
        touched = (
            Article.objects.filter(law=law, number__in=[c.number for c in changes])
            if changes
            else Article.objects.filter(law=law)
        )
        audit(
            kind="catalog.law_amended",
            actor=acting_user,
            stream=f"law:{law.public_id}",
            payload={
                "law": str(law.public_id),
                "amendment": str(amendment.public_id),
                "kind": kind,
                "label": amendment.label,
                "effective_from": effective_from.isoformat(),
                "changes": [{"number": c.number, "text": c.text, "repealed": c.repealed} for c in changes],
            },
        )
        _flag_citing_entries(amendment, list(touched), acting_user=acting_user, now=moment)
    return amendment


def _flag_citing_entries(amendment: LawAmendment, articles: list[Article], *, acting_user: Any, now: datetime) -> int:
    """Flag each entry whose version in force or scheduled cites a touched article, and start its clock."""
    from sunlight.core.deadlines import deadline_open

    today = timezone.localdate(now)
    count = 0
    for spec in SPECS.values():
        if "articles" not in spec.m2m_fields:
            continue
        versions = list(current_versions(spec.kind, on=today).filter(articles__in=articles).distinct())
        versions += list(scheduled_versions(spec.kind, on=today).filter(articles__in=articles).distinct())
        seen: set[int] = set()
        for version in versions:
            entry = version.entry
            if entry.pk in seen:
                continue
            seen.add(entry.pk)
            label = f"{entry.code} {version_title(spec.kind, version)}"[:300]
            deadline = deadline_open(
                rule_code="publicity.catalog_update",
                subject_type=f"catalog.{spec.kind}",
                subject_id=str(entry.public_id),
                subject_label=_("%(entry)s（%(law)s%(label)s）")
                % {
                    "entry": label,
                    "law": amendment.law,
                    "label": amendment.label,
                },
                started_at=now,
                start_event=_("法律法规修改，目录事项待更新"),
                agency=entry.agency,
                unit=getattr(version, "handling_unit", None),
                acting_user=_user(acting_user),
                now=now,
            )
            flag = CatalogFlag.objects.create(
                agency=entry.agency,
                entry_kind=spec.kind,
                entry_public_id=entry.public_id,
                entry_label=label,
                amendment=amendment,
                deadline=deadline,
                opened_at=now,
            )
            audit(
                kind="catalog.flag_opened",
                actor=acting_user,
                stream=_stream(spec.kind, entry),
                payload={
                    "flag": str(flag.public_id),
                    "amendment": str(amendment.public_id),
                    "deadline": str(deadline.public_id),
                },
            )
            count += 1
    return count


def flag_dismiss(*, acting_user: Any, flag: CatalogFlag, note: str, now: datetime | None = None) -> CatalogFlag:
    """A legal reviewer finds that the amendment needs no change to the entry; the clock stops (recorded)."""
    permissions.require_review(acting_user, flag.agency, target=str(flag.public_id))
    if not (note or "").strip():
        raise ServiceError.single("note", "required", _("请说明无需更新的理由。"))
    with transaction.atomic():
        locked = CatalogFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != FlagStatus.OPEN:
            raise ServiceError.single("__all__", "bad_transition", _("该事项已处理。"))
        _resolve_flag(locked, FlagStatus.DISMISSED, note.strip(), acting_user=acting_user, now=_moment(now))
    return locked


def _resolve_flag(flag: CatalogFlag, status: str, note: str, *, acting_user: Any, now: datetime) -> None:
    from sunlight.core.deadlines import deadline_complete
    from sunlight.core.models import Deadline

    flag.status = status
    flag.resolved_at = now
    flag.resolved_by = _user(acting_user)
    flag.resolution_note = note[:300]
    flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    if flag.deadline_id:
        deadline = Deadline.objects.get(pk=flag.deadline_id)
        if deadline.status in ("open", "paused"):
            deadline_complete(deadline=deadline, at=max(now, deadline.started_at), acting_user=_user(acting_user))
    audit(
        kind="catalog.flag_resolved",
        actor=acting_user,
        stream=f"catalog:{flag.entry_kind}:{flag.entry_public_id}",
        payload={"flag": str(flag.public_id), "status": status, "note": note},
    )


# --- entries and versions ------------------------------------------------------------------------------------------


def _meta(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "effective_from": meta.get("effective_from"),
        "change_note": str(meta.get("change_note") or "").strip(),
        "short_notice_reason": str(meta.get("short_notice_reason") or "").strip()[:200],
        "abolished": bool(meta.get("abolished")),
    }


def _clean_content(kind: str, content: dict[str, Any]) -> dict[str, Any]:
    spec = spec_for(kind)
    clean = dict(content)
    for name in spec.scalar_fields:
        value = clean.get(name)
        if isinstance(value, str):
            clean[name] = value.strip()
    if kind == CatalogKind.ITEM:
        clean["posts"] = [p.strip() for p in clean.get("posts") or [] if isinstance(p, str) and p.strip()]
        clean["time_limit_unit"] = clean.get("time_limit_unit") or ""
    if kind == CatalogKind.MAJOR_RULE:
        clean["action_types"] = sorted(set(clean.get("action_types") or []))
        clean["party"] = clean.get("party") or "any"
    for name in spec.scalar_fields:
        if clean.get(name) is None and name not in _NULLABLE:
            clean[name] = ""
    return clean


_NULLABLE = {"handling_unit", "approving_unit", "time_limit_amount", "amount_fen", "ratio_percent"}


def entry_create(
    *,
    acting_user: Any,
    kind: str,
    agency: Any,
    code: str,
    content: dict[str, Any],
    meta: dict[str, Any],
    identity: dict[str, Any] | None = None,
) -> Any:
    """Add an entry to an agency's catalog with its first version, as a draft. Returns the draft version."""
    spec = spec_for(kind)
    permissions.require_edit(acting_user, kind, agency)
    identity = dict(identity or {})
    content, meta = _clean_content(kind, content), _meta(meta)
    errors = identity_errors(kind, agency, code, identity)
    errors += content_errors(kind, agency, content, meta)
    _raise_if(errors)
    with transaction.atomic():
        fields: dict[str, Any] = {}
        if kind == CatalogKind.ITEM:
            fields = {"action_type": identity["action_type"], "field": identity["field"]}
        elif kind == CatalogKind.BENCHMARK:
            fields = {"item": identity.get("item")}
        entry = spec.entry_model.objects.create(
            agency=agency, code=code.strip(), created_by=_user(acting_user), **fields
        )
        audit(
            kind="catalog.entry_created",
            actor=acting_user,
            stream=_stream(kind, entry),
            payload={
                "kind": kind,
                "entry": str(entry.public_id),
                "agency": str(agency.public_id),
                "code": entry.code,
                **{k: (str(v.public_id) if hasattr(v, "public_id") else v) for k, v in fields.items()},
            },
        )
        version = _new_version(kind, entry, content, meta, acting_user=acting_user, number=1)
    return version


def _new_version(
    kind: str, entry: Any, content: dict[str, Any], meta: dict[str, Any], *, acting_user: Any, number: int
) -> Any:
    spec = spec_for(kind)
    version = spec.version_model(entry=entry, number=number, created_by=_user(acting_user), **meta)
    save_content(kind, version, content)
    audit(
        kind="catalog.version_drafted",
        actor=acting_user,
        stream=_stream(kind, entry),
        payload={"version": str(version.public_id), "number": number, "content": version_snapshot(kind, version)},
    )
    return version


def version_draft(*, acting_user: Any, kind: str, entry: Any, content: dict[str, Any], meta: dict[str, Any]) -> Any:
    """Start a new version of an entry (or rewrite its existing draft); published versions stay as they are.

    Refused while a version is under review. Returns the draft.
    """
    permissions.require_edit(acting_user, kind, entry.agency, target=str(entry.public_id))
    content, meta = _clean_content(kind, content), _meta(meta)
    _raise_if(content_errors(kind, entry.agency, content, meta))
    spec = spec_for(kind)
    with transaction.atomic():
        spec.entry_model.objects.select_for_update().get(pk=entry.pk)
        pending = open_version(kind, entry)
        if pending is not None and pending.status == VersionStatus.IN_REVIEW:
            raise ServiceError.single(
                "__all__", "in_review", _("第%(n)d版正在法制审核中，审核结束后才能修改。") % {"n": pending.number}
            )
        if pending is not None:
            for name, value in meta.items():
                setattr(pending, name, value)
            save_content(kind, pending, content)
            audit(
                kind="catalog.version_drafted",
                actor=acting_user,
                stream=_stream(kind, entry),
                payload={
                    "version": str(pending.public_id),
                    "number": pending.number,
                    "content": version_snapshot(kind, pending),
                    "rewritten": True,
                },
            )
            return pending
        last = spec.version_model.objects.filter(entry=entry).order_by("-number").first()
        return _new_version(
            kind, entry, content, meta, acting_user=acting_user, number=(last.number + 1) if last else 1
        )


def content_unchanged(kind: str, entry: Any, content: dict[str, Any], meta: dict[str, Any]) -> bool:
    """True when the entry's newest version already says exactly this (used by the import to skip rows)."""
    latest = latest_version(kind, entry)
    if latest is None:
        return False
    wanted = snapshot(kind, _clean_content(kind, content))
    have = snapshot(kind, _content(kind, latest))
    clean_meta = _meta(meta)
    return (
        wanted == have
        and latest.effective_from == clean_meta["effective_from"]
        and latest.abolished == clean_meta["abolished"]
    )


def _content(kind: str, version: Any) -> dict[str, Any]:
    from .versioning import content_of

    return content_of(kind, version)


def _lock_version(version: Any, operation: str) -> Any:
    locked = type(version).objects.select_for_update().select_related("entry", "entry__agency").get(pk=version.pk)
    allowed, _target = TRANSITIONS[operation]
    if locked.status not in allowed:
        raise ServiceError.single(
            "__all__",
            "bad_transition",
            _("第%(n)d版当前状态为“%(status)s”，不能%(op)s。")
            % {"n": locked.number, "status": locked.get_status_display(), "op": OPERATION_LABELS[operation]},
        )
    return locked


def _transition(
    *,
    acting_user: Any,
    version: Any,
    operation: str,
    note: str = "",
    confidentiality_checked: bool = False,
    now: datetime | None = None,
) -> Any:
    kind = kind_of(version)
    agency = version.entry.agency
    if operation in REVIEW_OPERATIONS:
        permissions.require_review(acting_user, agency, target=str(version.public_id))
    else:
        permissions.require_edit(acting_user, kind, agency, target=str(version.public_id))
    moment = _moment(now)
    today = timezone.localdate(moment)
    with transaction.atomic():
        locked = _lock_version(version, operation)
        errors: list[FieldError] = []
        if operation in ("submit", "publish"):
            errors += content_errors(kind, agency, _content(kind, locked), {"effective_from": locked.effective_from})
            if locked.effective_from < today:
                errors.append(
                    FieldError("effective_from", "past", _("生效日期不能早于今天；请修改生效日期后重新提交。"))
                )
            errors += _notice_errors(kind, locked, today)
        if operation == "return" and not note.strip():
            errors.append(FieldError("note", "required", _("退回时请填写审核意见。")))
        if operation == "publish" and not confidentiality_checked:
            errors.append(
                FieldError(
                    "confidentiality_checked",
                    "required",
                    _("发布前须确认已完成保密审查（不含国家秘密、商业秘密和个人隐私）。"),
                )
            )
        _raise_if(errors)
        target = TRANSITIONS[operation][1]
        previous = locked.status
        locked.status = target
        if operation == "submit":
            locked.submitted_by, locked.submitted_at = _user(acting_user), moment
        if operation in REVIEW_OPERATIONS:
            locked.reviewed_by, locked.reviewed_at, locked.review_note = _user(acting_user), moment, note.strip()
        if operation == "publish":
            locked.published_at = moment
            locked.confidentiality_checked = True
        locked.save()
        audit(
            kind={
                "submit": "catalog.version_submitted",
                "return": "catalog.version_returned",
                "publish": "catalog.version_published",
                "discard": "catalog.version_discarded",
            }[operation],
            actor=acting_user,
            stream=_stream(kind, locked.entry),
            payload={
                "version": str(locked.public_id),
                "number": locked.number,
                "from": previous,
                "to": target,
                "note": note.strip(),
                "effective_from": locked.effective_from.isoformat(),
                **(
                    {"content": version_snapshot(kind, locked), "confidentiality_checked": True}
                    if operation == "publish"
                    else {}
                ),
            },
        )
        if operation == "publish":
            for flag in CatalogFlag.objects.select_for_update().filter(
                entry_kind=kind, entry_public_id=locked.entry.public_id, status=FlagStatus.OPEN
            ):
                _resolve_flag(
                    flag,
                    FlagStatus.UPDATED,
                    _("已发布第%(n)d版") % {"n": locked.number},
                    acting_user=acting_user,
                    now=moment,
                )
            if kind == CatalogKind.BENCHMARK:
                _open_review_deadline(agency, now=moment, acting_user=acting_user)
    if version is not locked:
        version.refresh_from_db()
    return locked


def _notice_errors(kind: str, version: Any, today: date) -> list[FieldError]:
    """PUB-2: a change to a published entry is announced a month before it takes effect, or the reason is given."""
    spec = spec_for(kind)
    has_published = (
        spec.version_model.objects.filter(entry=version.entry, status=VersionStatus.PUBLISHED)
        .exclude(pk=version.pk)
        .exists()
    )
    if has_published and version.effective_from < shift_months(today, 1) and not version.short_notice_reason:
        return [
            FieldError(
                "short_notice_reason",
                "short_notice",
                _("变更应至少提前一个月公告（生效日期不早于%(d)s）；确需提前生效的，请填写理由。")
                % {"d": shift_months(today, 1).isoformat()},
            )
        ]
    return []


def version_submit(*, acting_user: Any, version: Any, now: datetime | None = None) -> Any:
    """Send a draft to legal review (its content is validated again)."""
    return _transition(acting_user=acting_user, version=version, operation="submit", now=now)


def version_return(*, acting_user: Any, version: Any, note: str, now: datetime | None = None) -> Any:
    """Legal review sends a version back to draft with its opinion."""
    return _transition(acting_user=acting_user, version=version, operation="return", note=note, now=now)


def version_publish(
    *, acting_user: Any, version: Any, confidentiality_checked: bool, note: str = "", now: datetime | None = None
) -> Any:
    """Legal review approves and publishes a version; it takes effect on its effective date (scheduled until then).

    The reviewer confirms the confidentiality check (PUB-2: no state secret, trade secret or personal privacy in the
    published text). Open flags of the entry are resolved; a published benchmark starts its agency's yearly review
    clock.
    """
    return _transition(
        acting_user=acting_user,
        version=version,
        operation="publish",
        note=note,
        confidentiality_checked=confidentiality_checked,
        now=now,
    )


def version_discard(*, acting_user: Any, version: Any, now: datetime | None = None) -> Any:
    """Abandon a draft (it stays on record as discarded)."""
    return _transition(acting_user=acting_user, version=version, operation="discard", now=now)


def version_transition(
    *,
    acting_user: Any,
    version: Any,
    operation: str,
    note: str = "",
    confidentiality_checked: bool = False,
    now: datetime | None = None,
) -> Any:
    """One of the named transitions by name (for views and the API)."""
    if operation not in TRANSITIONS:
        raise NotFound.single("operation", "not_found", _("操作不存在。"))
    return _transition(
        acting_user=acting_user,
        version=version,
        operation=operation,
        note=note,
        confidentiality_checked=confidentiality_checked,
        now=now,
    )


# --- yearly benchmark review (DIS-5) -------------------------------------------------------------------------------


def review_year(today: date) -> int:
    """The year whose review is running: this year until the end of November, then next year."""
    return today.year if today.month < 12 else today.year + 1


def _open_review_deadline(agency: Any, *, now: datetime, acting_user: Any = None) -> bool:
    """Start the yearly benchmark review clock (rule discretion.benchmark_filing: 11 months from 31 Dec of the
    previous year, i.e. due 30 Nov) for an agency, once per year; nothing when already started or filed."""
    from sunlight.core.deadlines import deadline_open
    from sunlight.core.models import Deadline

    year = review_year(timezone.localdate(now))
    subject_id = f"{agency.public_id}:{year}"
    if Deadline.objects.filter(subject_type=BENCHMARK_REVIEW_SUBJECT, subject_id=subject_id).exists():
        return False
    if BenchmarkReview.objects.filter(agency=agency, year=year).exists():
        return False
    legal = agency.units.filter(is_legal_department=True, is_active=True).order_by("id").first()
    deadline_open(
        rule_code="discretion.benchmark_filing",
        subject_type=BENCHMARK_REVIEW_SUBJECT,
        subject_id=subject_id,
        subject_label=_("%(agency)s %(year)d年度裁量基准评估及备案") % {"agency": agency.name, "year": year},
        started_at=start_of_local_day(date(year - 1, 12, 31)),
        start_event=_("上一年度12月31日"),
        agency=agency,
        unit=legal,
        acting_user=_user(acting_user),
        now=now,
    )
    return True


def benchmark_review_deadlines_open(*, now: datetime | None = None) -> int:
    """Start this year's review clock for every agency that has benchmarks in force (idempotent; for `sunlight
    tick`). Returns the number of clocks started."""
    from sunlight.org.models import Agency

    moment = _moment(now)
    today = timezone.localdate(moment)
    agency_ids = set(current_versions(CatalogKind.BENCHMARK, on=today).values_list("entry__agency_id", flat=True))
    started = 0
    for agency in Agency.objects.filter(pk__in=agency_ids).order_by("pk"):
        with transaction.atomic():
            started += int(_open_review_deadline(agency, now=moment))
    return started


def benchmark_review_file(
    *,
    acting_user: Any,
    agency: Any,
    year: int,
    note: str,
    filed_on: date | None = None,
    now: datetime | None = None,
) -> BenchmarkReview:
    """Record that the year's benchmark review was done and filed with the justice bureau (DIS-5); stops the clock."""
    from sunlight.core.deadlines import deadline_complete
    from sunlight.core.models import Deadline

    permissions.require_review(acting_user, agency)
    moment = _moment(now)
    filed = filed_on or timezone.localdate(moment)
    errors: list[FieldError] = []
    if not (note or "").strip():
        errors.append(FieldError("note", "required", _("请填写评估情况。")))
    if BenchmarkReview.objects.filter(agency=agency, year=year).exists():
        errors.append(FieldError("year", "duplicate", _("%(y)d年度的评估已备案。") % {"y": year}))
    _raise_if(errors)
    with transaction.atomic():
        review = BenchmarkReview.objects.create(
            agency=agency, year=year, filed_on=filed, note=note.strip(), filed_by=_user(acting_user)
        )
        deadline = (
            Deadline.objects.filter(
                subject_type=BENCHMARK_REVIEW_SUBJECT,
                subject_id=f"{agency.public_id}:{year}",
                status__in=["open", "paused"],
            )
            .order_by("pk")
            .first()
        )
        if deadline is not None:
            deadline_complete(deadline=deadline, at=max(moment, deadline.started_at), acting_user=_user(acting_user))
        audit(
            kind="catalog.benchmark_review_filed",
            actor=acting_user,
            stream=f"agency:{agency.public_id}",
            payload={
                "agency": str(agency.public_id),
                "year": year,
                "filed_on": filed.isoformat(),
                "note": note.strip(),
            },
        )
    return review
