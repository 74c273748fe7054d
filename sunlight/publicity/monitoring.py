"""Timeliness monitoring of publication (PUB-11) for the justice supervisor: per agency in their region, over a
period, completeness, timeliness and accuracy scores with their raw counts, the monthly update check and the
people responsible for publishing (谁执法谁公示).

- Completeness: decision records that must yield a publication (the case steps that call `publish_draft`) against
  the drafts created for them.
- Timeliness: publication deadlines (subject type `publicity.publication`) completed on time against those
  completed late or still open past their due time; clocks still running in time are not counted yet.
- Accuracy: publications first published in the period against those of them corrected (an upheld correction
  request) or withdrawn after a correction request.
- Monthly update: a published catalog version or a publication version of the agency in the last month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sunlight.core.calendar import local_date, shift_months, start_of_local_day
from sunlight.core.choices import DeadlineStatus
from sunlight.core.models import Deadline
from sunlight.org.choices import Role
from sunlight.org.scope import deny

from .choices import CorrectionOutcome
from .models import CorrectionDecision, Publication, PublicationVersion, Withdrawal
from .permissions import PUBLISH_CAPABILITY, PUBLISHER_ROLES

SUBJECT_PUBLICATION = "publicity.publication"  # services.SUBJECT_PUBLICATION
SOURCE_CASE_RECORD = "case_record"  # cases.publication.publish_draft
# The case steps whose record yields a publication draft (cases.services, `publish_draft`).
PUBLISHING_STEPS = ("decision", "onsite_decision", "no_penalty", "result", "handling", "onsite_measure")


@dataclass(frozen=True)
class Score:
    """A ratio shown as a percentage with its raw counts; `percent` is None when there is nothing to measure."""

    good: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if self.total == 0 else round(100 * self.good / self.total)


@dataclass
class AgencyRow:
    """One agency's line on the monitoring page."""

    agency: Any
    completeness: Score
    timeliness: Score
    pending: int
    accuracy: Score
    corrected: int
    updated_last_month: bool
    last_update: datetime | None
    responsible: list[Any] = field(default_factory=list)


def may_monitor(user: Any) -> bool:
    """Justice supervisors (region scope) and superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.has_role(Role.JUSTICE_SUPERVISOR))


def require_monitor(user: Any) -> None:
    """Raise Forbidden (audited) unless `may_monitor`."""
    if not may_monitor(user):
        raise deny(user, action="publicity.monitor")


def responsible_people(agency: Any) -> list[Any]:
    """The active users who may publish for the agency: its heads, legal reviewers and `publicity.publish` holders."""
    from sunlight.org.choices import ROLE_CAPABILITIES
    from sunlight.org.models import User

    roles = set(PUBLISHER_ROLES) | {r for r, caps in ROLE_CAPABILITIES.items() if PUBLISH_CAPABILITY in caps}
    return list(
        User.objects.filter(agency=agency, is_active=True, role_grants__role__in=list(roles))
        .distinct()
        .prefetch_related("role_grants")
        .order_by("full_name", "username")
    )


def _completeness(agency: Any, start: datetime, end: datetime) -> Score:
    from sunlight.cases.models import CaseRecord

    ids = [
        str(pid)
        for pid in CaseRecord.objects.filter(
            case__agency=agency, step__in=PUBLISHING_STEPS, occurred_at__gte=start, occurred_at__lt=end
        ).values_list("public_id", flat=True)
    ]
    drafts = Publication.objects.filter(source_type=SOURCE_CASE_RECORD, source_id__in=ids).count() if ids else 0
    return Score(good=drafts, total=len(ids))


def _timeliness(agency: Any, start: datetime, end: datetime, now: datetime) -> tuple[Score, int]:
    clocks = Deadline.objects.filter(
        subject_type=SUBJECT_PUBLICATION, agency=agency, started_at__gte=start, started_at__lt=end
    )
    met = clocks.filter(status=DeadlineStatus.MET).count()
    late = clocks.filter(status=DeadlineStatus.LATE).count()
    running = clocks.filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED])
    overdue = running.filter(due_at__lte=now).count()
    pending = running.filter(due_at__gt=now).count()
    return Score(good=met, total=met + late + overdue), pending


def _accuracy(agency: Any, start: datetime, end: datetime) -> tuple[Score, int]:
    published = Publication.objects.filter(agency=agency, first_published_at__gte=start, first_published_at__lt=end)
    total = published.count()
    corrected = set(
        CorrectionDecision.objects.filter(
            request__publication__in=published, outcome=CorrectionOutcome.UPHELD
        ).values_list("request__publication_id", flat=True)
    )
    for withdrawal in Withdrawal.objects.filter(publication__in=published).select_related("publication"):
        if withdrawal.publication.corrections.filter(received_at__lte=withdrawal.withdrawn_at).exists():
            corrected.add(withdrawal.publication_id)
    return Score(good=total - len(corrected), total=total), len(corrected)


def _last_update(agency: Any) -> datetime | None:
    """The latest published catalog version, publication version or withdrawal of the agency."""
    from sunlight.catalog.models import (
        AvItemVersion,
        BenchmarkVersion,
        InspectionItemVersion,
        ItemVersion,
        MajorRuleVersion,
    )

    moments: list[datetime] = []
    for model in (ItemVersion, BenchmarkVersion, MajorRuleVersion, InspectionItemVersion, AvItemVersion):
        latest = (
            model.objects.filter(entry__agency=agency, published_at__isnull=False)
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        if latest is not None:
            moments.append(latest)
    latest_version = (
        PublicationVersion.objects.filter(publication__agency=agency)
        .order_by("-confirmed_at")
        .values_list("confirmed_at", flat=True)
        .first()
    )
    if latest_version is not None:
        moments.append(latest_version)
    withdrawn = (
        Withdrawal.objects.filter(publication__agency=agency)
        .order_by("-withdrawn_at")
        .values_list("withdrawn_at", flat=True)
        .first()
    )
    if withdrawn is not None:
        moments.append(withdrawn)
    return max(moments) if moments else None


def period_bounds(year: int, now: datetime) -> tuple[datetime, datetime]:
    """1 January of `year` to the next 1 January, or to now for the current year."""
    start = start_of_local_day(date(year, 1, 1))
    end = start_of_local_day(date(year + 1, 1, 1))
    return start, min(end, now)


def monitoring_rows(*, user: Any, year: int | None = None, now: datetime | None = None) -> list[AgencyRow]:
    """The monitoring lines of the agencies within the supervisor's region (PUB-11)."""
    from sunlight.org.selectors import agencies_visible_to

    require_monitor(user)
    moment = now or timezone.now()
    start, end = period_bounds(year or local_date(moment).year, moment)
    month_ago = start_of_local_day(shift_months(local_date(moment), -1))
    rows = []
    agencies = agencies_visible_to(user).filter(is_active=True).exclude(Q(is_justice_bureau=True)).order_by("name")
    for agency in agencies:
        timeliness, pending = _timeliness(agency, start, end, moment)
        accuracy, corrected = _accuracy(agency, start, end)
        last = _last_update(agency)
        rows.append(
            AgencyRow(
                agency=agency,
                completeness=_completeness(agency, start, end),
                timeliness=timeliness,
                pending=pending,
                accuracy=accuracy,
                corrected=corrected,
                updated_last_month=last is not None and last >= month_ago,
                last_update=last,
                responsible=responsible_people(agency),
            )
        )
    return rows
