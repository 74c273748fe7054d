"""Reads of legal reviews: the reviewer's queue, the department dashboard, the staffing monitor (REV-11), scoped to
who asks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound
from sunlight.core.models import Deadline
from sunlight.org.choices import Role
from sunlight.org.models import Agency, User
from sunlight.org.scope import scope_q

from .choices import OPEN_STATUSES, ReviewStatus
from .models import AccountabilityRecord, Review, ReviewPolicy


def reviews_visible_to(user: Any) -> QuerySet[Review]:
    """Reviews in the user's scope (by the case's agency and unit), plus the ones the user submitted or reviews."""
    if not getattr(user, "is_authenticated", False):
        return Review.objects.none()
    q = scope_q(user, agency="agency", unit="case__unit", owner="submitted_by") | Q(reviewer=user)
    return Review.objects.filter(q).select_related("case", "agency", "reviewer", "submitted_by")


def review_get_for_user(*, user: Any, public_id: uuid.UUID | str) -> Review:
    """One review the user may see, or NotFound."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound.single("review", "not_found", _("审核记录不存在。")) from None
    found = reviews_visible_to(user).filter(public_id=key).first()
    if found is None:
        raise NotFound.single("review", "not_found", _("审核记录不存在。"))
    return found


def review_queue(user: Any, *, status: str | None = None, mine: bool = False) -> QuerySet[Review]:
    """Open reviews first, the oldest first; `mine` keeps those assigned to the user."""
    qs = reviews_visible_to(user)
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN_STATUSES)
    if mine:
        qs = qs.filter(reviewer=user)
    return qs.order_by("submitted_at", "id")


def review_clocks(reviews: list[Review]) -> dict[str, Deadline]:
    """The review deadline of each review (by review public id), in one query."""
    ids = [str(r.public_id) for r in reviews]
    return {d.subject_id: d for d in Deadline.objects.filter(subject_type="review", subject_id__in=ids).order_by("id")}


@dataclass(frozen=True)
class Dashboard:
    """The legal department's figures."""

    open_count: int
    by_status: dict[str, int]
    by_outcome: dict[str, int]
    by_reviewer: list[tuple[str, int]]
    average_hours: float | None
    levels: dict[str, int]
    accountability: int


def dashboard(user: Any) -> Dashboard:
    """Workload, due dates by colour, average time from acceptance to opinion, outcomes."""
    qs = reviews_visible_to(user)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_outcome = dict(qs.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    by_reviewer = [
        (name or _("未指派"), n)
        for name, n in qs.filter(status__in=OPEN_STATUSES)
        .values_list("reviewer__full_name")
        .annotate(n=Count("id"))
        .values_list("reviewer__full_name", "n")
    ]
    done = qs.filter(accepted_at__isnull=False, decided_at__isnull=False).values_list("accepted_at", "decided_at")
    spans = [b - a for a, b in done[:1000] if a is not None and b is not None]
    average = sum(spans, timedelta()).total_seconds() / 3600 / len(spans) if spans else None
    ids = [str(p) for p in qs.filter(status__in=OPEN_STATUSES).values_list("public_id", flat=True)[:5000]]
    levels = dict(
        Deadline.objects.filter(subject_type="review", subject_id__in=ids, status__in=["open", "paused"])
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    agencies = qs.values("agency")
    return Dashboard(
        open_count=sum(n for s, n in by_status.items() if s in OPEN_STATUSES),
        by_status={str(ReviewStatus(s).label): n for s, n in by_status.items()},
        by_outcome=by_outcome,
        by_reviewer=by_reviewer,
        average_hours=round(average, 1) if average is not None else None,
        levels=levels,
        accountability=AccountabilityRecord.objects.filter(agency__in=agencies).count(),
    )


@dataclass(frozen=True)
class Staffing:
    """REV-11: an agency's reviewers against its officers."""

    agency: Agency
    officers: int
    reviewers: int
    needed: int
    short: bool


def staffing(agencies: QuerySet[Agency] | list[Agency]) -> list[Staffing]:
    """Reviewers at least the configured percentage of officers (default 5 %) and at least the minimum (default 2)."""
    from sunlight.registry.selectors import active_officers

    rows = list(agencies)
    policies = {p.agency_id: p for p in ReviewPolicy.objects.filter(agency__in=rows)}
    officer_counts = dict(
        active_officers([a.pk for a in rows]).values_list("agency").annotate(n=Count("id")).values_list("agency", "n")
    )
    reviewer_counts = dict(
        User.objects.filter(agency__in=rows, is_active=True, role_grants__role=Role.LEGAL_REVIEWER)
        .values_list("agency")
        .annotate(n=Count("id", distinct=True))
        .values_list("agency", "n")
    )
    out = []
    for agency in rows:
        policy = policies.get(agency.pk) or ReviewPolicy(agency=agency)
        officers = officer_counts.get(agency.pk, 0)
        by_percent = -(-officers * policy.min_percent // 100)  # ceiling
        needed = max(policy.min_count, by_percent)
        reviewers = reviewer_counts.get(agency.pk, 0)
        out.append(
            Staffing(agency=agency, officers=officers, reviewers=reviewers, needed=needed, short=reviewers < needed)
        )
    return out


# --- pages and API (issue 6) -------------------------------------------------------------------------------------

OPINION_DOC_TYPE = "review_opinion"


def case_clock(case: Any) -> Deadline | None:
    """The case's own running deadline (the one a submission must precede by 10 WD, REV-3), or None."""
    from .services import CASE_CLOCKS

    return (
        Deadline.objects.filter(
            subject_type="case",
            subject_id=str(case.public_id),
            rule__code__in=CASE_CLOCKS,
            status__in=["open", "paused"],
        )
        .select_related("rule")
        .order_by("due_at")
        .first()
    )


@dataclass(frozen=True)
class Preview:
    """What a submission would be, computed without writing anything (REV-1, REV-3, REV-5)."""

    draft: dict[str, Any]
    package: list[dict[str, Any]]
    major_reasons: list[dict[str, Any]]
    voluntary: bool
    late: bool
    case_deadline: Deadline | None
    prechecks: list[dict[str, Any]]


def submission_preview(*, case: Any, draft: dict[str, Any], uploads: list[dict[str, str]] | None = None) -> Preview:
    """The package the case's records and the draft assemble to, whether the case is major (voluntary otherwise),
    whether the submission would be late, and the pre-checks: exactly what `review_submit` would store now."""
    from django.utils import timezone

    from sunlight.cases import checks as case_checks

    from .prechecks import as_dicts, precheck_case
    from .services import _draft_with_check, _late, _package

    moment = timezone.now()
    full = _draft_with_check(case, draft, moment)
    reasons = case_checks.classify(
        case,
        fine_fen=case_checks.as_int(full.get("fine_fen")) or 0,
        kinds=list(full.get("kinds") or []),
        extra=full,
        on=moment,
    )
    return Preview(
        draft=full,
        package=_package(case, full, uploads or []),
        major_reasons=reasons,
        voluntary=not reasons,
        late=_late(case, moment),
        case_deadline=case_clock(case),
        prechecks=as_dicts(precheck_case(case=case, draft=full, on=timezone.localdate(moment))),
    )


def case_reviews(user: Any, case: Any) -> QuerySet[Review]:
    """The reviews of a case the user may see, latest first."""
    return reviews_visible_to(user).filter(case=case).order_by("-submitted_at", "-id")


def review_documents(review: Review) -> QuerySet[Any]:
    """The review opinion documents (法制审核意见书, REV-8) of a review, in the order they were made."""
    from sunlight.cases.models import CaseDocument

    return (
        CaseDocument.objects.filter(case_id=review.case_id, doc_type=OPINION_DOC_TYPE, number=review.number)
        .select_related("docx", "pdf", "generated_by")
        .order_by("version", "id")
    )


def agency_reviewers(agency: Any) -> QuerySet[User]:
    """The active legal reviewers of an agency (for assignment)."""
    return (
        User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.LEGAL_REVIEWER)
        .distinct()
        .order_by("full_name", "username")
    )


def review_levels(user: Any, *, limit: int = 50) -> tuple[dict[str, int], list[tuple[Review, Deadline, str]]]:
    """The running clocks of the open reviews the user may see, by warning colour as of now (an open clock's colour
    is computed, a paused one keeps its colour), and the yellow and red ones, most urgent first."""
    from django.utils import timezone

    from sunlight.core.calendar import level_at

    now = timezone.now()
    ids = [
        str(p) for p in reviews_visible_to(user).filter(status__in=OPEN_STATUSES).values_list("public_id", flat=True)
    ]
    counts = {"green": 0, "yellow": 0, "red": 0}
    flagged: list[tuple[Deadline, str]] = []
    for start in range(0, len(ids), 1000):
        clocks = Deadline.objects.filter(
            subject_type="review", subject_id__in=ids[start : start + 1000], status__in=["open", "paused"]
        )
        for clock in clocks:
            level = str(clock.level)
            if clock.status == "open":
                level = str(level_at(now=now, yellow=clock.yellow_at, due=clock.due_at))
            counts[level] = counts.get(level, 0) + 1
            if level in {"yellow", "red"}:
                flagged.append((clock, level))
    rank = {"red": 0, "yellow": 1}
    flagged.sort(key=lambda row: (rank[row[1]], row[0].due_at))
    flagged = flagged[:limit]
    reviews = {
        str(r.public_id): r
        for r in Review.objects.filter(public_id__in=[c.subject_id for c, _l in flagged]).select_related(
            "case", "reviewer"
        )
    }
    return counts, [(reviews[c.subject_id], c, level) for c, level in flagged if c.subject_id in reviews]


def review_clocks_for_display(reviews: list[Review]) -> dict[str, Deadline]:
    """`review_clocks` with each clock's rule (its unit is shown next to the due date), in one query."""
    ids = [str(r.public_id) for r in reviews]
    return {
        d.subject_id: d
        for d in Deadline.objects.filter(subject_type="review", subject_id__in=ids)
        .select_related("rule")
        .order_by("id")
    }
