"""Annual enforcement statistics reports (年度行政执法数据统计报告, PUB-10): statistics, services, charts, reads.

The statistics are computed from the data of the reported year (officers and certificates, cases and their
decision records, legal reviews, publications) into a JSON snapshot. `annual_report_tick` makes a draft per agency in
January for the previous year and opens the `publicity.annual_report` deadline so that warnings come before the
configured date (settings.SUNLIGHT_ANNUAL_REPORT_DUE, "MM-DD" of the following year, default "01-15"). A person who
may publish for the agency (permissions.can_publish: the agency head, a legal reviewer, a `publicity.publish`
holder) reviews the snapshot, may add a written summary and publishes it; publishing completes the deadline. A
published version is never changed: a correction recomputes the statistics and publishes a new version with a
public explanation. Nothing here carries personal data: only counts and sums.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sunlight.core.calendar import local_date, start_of_local_day
from sunlight.core.choices import DeadlineStatus
from sunlight.core.deadlines import deadline_complete, deadline_open
from sunlight.core.errors import FieldError, NotFound, ServiceError
from sunlight.core.ledger import actor_label, canonical_json, ledger_append, sha256_hex
from sunlight.core.models import Deadline
from sunlight.org.choices import ActionType

from .choices import PublicationKind
from .models_report import AnnualReport, AnnualReportStatus, AnnualReportVersion
from .permissions import require_publish

if TYPE_CHECKING:
    from sunlight.org.models import Agency, User

RULE_ANNUAL_REPORT = "publicity.annual_report"
SUBJECT_ANNUAL_REPORT = "publicity.annual_report"
SCHEMA = 1
SUMMARY_MAX = 5000
_DUE_PATTERN = re.compile(r"^(\d{2})-(\d{2})$")
_TRUE = {"true", "1", "yes"}


# --- dates ----------------------------------------------------------------------------------------------------------


def due_date(year: int) -> date:
    """The day by which the report of `year` must be public: SUNLIGHT_ANNUAL_REPORT_DUE ("MM-DD") of year + 1."""
    raw = str(getattr(settings, "SUNLIGHT_ANNUAL_REPORT_DUE", "01-15") or "01-15").strip()
    match = _DUE_PATTERN.match(raw)
    try:
        if match is None:
            raise ValueError(raw)
        return date(year + 1, int(match.group(1)), int(match.group(2)))
    except ValueError as exc:
        raise ImproperlyConfigured(f"SUNLIGHT_ANNUAL_REPORT_DUE must be MM-DD (e.g. 01-15), got {raw!r}") from exc


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """00:00 of 1 January and of the next 1 January, Asia/Shanghai time (aware UTC)."""
    return start_of_local_day(date(year, 1, 1)), start_of_local_day(date(year + 1, 1, 1))


# --- statistics -----------------------------------------------------------------------------------------------------

PENALTY_STEPS = ("decision", "onsite_decision", "no_penalty")


def _rows(counts: Counter[str], labels: dict[str, str]) -> list[dict[str, Any]]:
    """[{code, label, count}] in the order of `labels`, then any unknown code; zero rows left out."""
    rows = [{"code": code, "label": label, "count": counts[code]} for code, label in labels.items() if counts[code]]
    rows += [{"code": c, "label": c, "count": n} for c, n in sorted(counts.items()) if c not in labels and n]
    return rows


def _officers(agency: Agency, year: int) -> dict[str, int]:
    from sunlight.registry.choices import CertificateStatus
    from sunlight.registry.models import Officer
    from sunlight.registry.selectors import active_officers

    year_end = date(year, 12, 31)
    _start, end = year_bounds(year)
    registered = (
        Officer.objects.filter(agency=agency, registered_at__lt=end)
        .filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=year_end))
        .prefetch_related("certificates__history")
    )
    certified = sum(
        1
        for officer in registered
        if any(c.status_on(year_end) == CertificateStatus.VALID for c in officer.certificates.all())
    )
    return {"certified_at_year_end": certified, "active": active_officers([agency.pk]).count()}


def _latest_records(agency: Agency, steps: Iterable[str], **case_filter: Any) -> list[Any]:
    """The last record per case among `steps` (a correction is a later record of the same step)."""
    from sunlight.cases.models import CaseRecord

    latest: dict[int, Any] = {}
    records = (
        CaseRecord.objects.filter(case__agency=agency, step__in=list(steps), **case_filter)
        .select_related("case")
        .order_by("case_id", "seq")
    )
    for record in records:
        latest[record.case_id] = record
    return list(latest.values())


def _in_year(moment: datetime | None, year: int) -> bool:
    return moment is not None and local_date(moment).year == year


def compute_statistics(agency: Agency, year: int, *, now: datetime | None = None) -> dict[str, Any]:
    """The statistics of one agency for one year, as a JSON snapshot (integers and texts only; money in fen)."""
    from sunlight.cases.checks import as_int
    from sunlight.cases.steps import PENALTY_KINDS
    from sunlight.review.choices import Outcome
    from sunlight.review.models import Review

    from .models import Publication

    moment = now or timezone.now()
    start, end = year_bounds(year)

    # Licences: the last licence decision of each case decided in the year, by result.
    licences = Counter[str]()
    for record in _latest_records(agency, ["decision"], case__workflow="licence"):
        if _in_year(record.occurred_at, year):
            granted = str(record.data.get("granted")).lower() in _TRUE
            licences["granted" if granted else "refused"] += 1

    # Penalties: the last decision of each penalty case decided in the year, by kind; fines in fen.
    by_kind = Counter[str]()
    penalised = not_penalised = fines = 0
    for record in _latest_records(agency, PENALTY_STEPS, case__action_type=ActionType.PENALTY):
        if not _in_year(record.occurred_at, year):
            continue
        if record.step == "no_penalty":
            not_penalised += 1
            continue
        penalised += 1
        kinds = [str(k) for k in (record.data.get("kinds") or [])]
        for kind in kinds:
            by_kind[kind] += 1
        fine = as_int(record.data.get("fine_fen"))
        if fine and fine > 0 and "fine" in (kinds or ["fine"]):
            fines += fine

    from sunlight.cases.models import CaseRecord

    def cases_with(step: str, action_type: str) -> int:
        return (
            CaseRecord.objects.filter(
                case__agency=agency,
                case__action_type=action_type,
                step=step,
                occurred_at__gte=start,
                occurred_at__lt=end,
            )
            .values("case_id")
            .distinct()
            .count()
        )

    outcomes = Counter[str](
        Review.objects.filter(agency=agency, decided_at__gte=start, decided_at__lt=end)
        .exclude(outcome="")
        .values_list("outcome", flat=True)
    )
    publications = Counter[str](
        Publication.objects.filter(
            agency=agency, first_published_at__gte=start, first_published_at__lt=end
        ).values_list("kind", flat=True)
    )
    return {
        "schema": SCHEMA,
        "year": year,
        "agency": {
            "name": agency.name,
            "credit_code": agency.credit_code,
            "region": agency.region.name,
            "region_code": agency.region.code,
        },
        "period": {"from": date(year, 1, 1).isoformat(), "to": date(year, 12, 31).isoformat()},
        "computed_at": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"),
        "officers": _officers(agency, year),
        "licences": {
            "total": licences["granted"] + licences["refused"],
            "granted": licences["granted"],
            "refused": licences["refused"],
        },
        "penalties": {
            "total": penalised,
            "not_penalised": not_penalised,
            "by_kind": _rows(by_kind, {str(k): str(v) for k, v in PENALTY_KINDS.items()}),
            "fines_fen": fines,
        },
        "coercion": {"total": cases_with("onsite_measure", ActionType.COERCION)},
        "inspections": {"total": cases_with("result", ActionType.INSPECTION)},
        "reviews": {
            "total": sum(outcomes.values()),
            "by_outcome": _rows(outcomes, {str(k): str(v) for k, v in Outcome.choices}),
        },
        # No supervision app yet: the pages say 暂无数据来源 rather than print a number.
        "complaints": {"available": False, "total": None},
        "publications": {
            "total": sum(publications.values()),
            "by_kind": _rows(publications, {str(k): str(v) for k, v in PublicationKind.choices}),
        },
    }


def statistics_hash(statistics: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot (the token the publish form carries)."""
    return sha256_hex(canonical_json(statistics))


def yuan(fen: int | None) -> str:
    """Fen as 「1,234.50」 yuan."""
    value = int(fen or 0)
    return f"{value // 100:,}.{value % 100:02d}"


# --- services -------------------------------------------------------------------------------------------------------


def _open_deadline(report: AnnualReport, *, acting_user: User | None, now: datetime) -> Deadline:
    """The `publicity.annual_report` clock, set so that it falls due at the end of the configured day."""
    from sunlight.core.models import DeadlineRule

    due = due_date(report.year)
    rule = DeadlineRule.objects.get(code=RULE_ANNUAL_REPORT)
    # Calendar days: the start day is not counted and the period ends at 24:00 of its last day (core.calendar).
    start_day = due - timedelta(days=rule.amount)
    return deadline_open(
        rule_code=RULE_ANNUAL_REPORT,
        subject_type=SUBJECT_ANNUAL_REPORT,
        subject_id=str(report.public_id),
        subject_label=(_("%(year)s年度行政执法数据统计报告") % {"year": report.year})[:200],
        started_at=start_of_local_day(start_day),
        start_event=_("报告年度结束，须于%(due)s前公开") % {"due": due.isoformat()},
        agency=report.agency,
        acting_user=acting_user,
        now=now,
    )


def annual_report_generate(
    *, agency: Agency, year: int, acting_user: User | None = None, now: datetime | None = None
) -> AnnualReport:
    """The draft report of an agency for a year, with its statistics snapshot and deadline (PUB-10).

    Idempotent: an existing report of that agency and year is returned unchanged. Only a finished year can be
    reported. A person generating it must be able to publish for the agency; the tick generates as the system.
    Records `publicity.annual_report_generated`.
    """
    moment = now or timezone.now()
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing
    if acting_user is not None:
        require_publish(acting_user, agency, target=f"{agency.public_id}:{year}")
    if not isinstance(year, int) or year < 2000 or year >= local_date(moment).year:
        raise ServiceError.single("year", "invalid", _("只能为已经结束的年度生成统计报告。"))
    statistics = compute_statistics(agency, year, now=moment)
    digest = statistics_hash(statistics)
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                agency=agency,
                year=year,
                statistics=statistics,
                statistics_hash=digest,
                computed_at=moment,
                created_at=moment,
                created_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
            report.deadline = _open_deadline(report, acting_user=acting_user, now=moment)
            report.save(update_fields=["deadline"])
            ledger_append(
                stream=report.stream,
                kind="publicity.annual_report_generated",
                actor=actor_label(acting_user),
                payload={
                    "report": str(report.public_id),
                    "agency": str(agency.public_id),
                    "year": year,
                    "statistics_hash": digest,
                    "deadline": str(report.deadline.public_id),
                },
            )
    except IntegrityError:
        existing = AnnualReport.objects.filter(agency=agency, year=year).first()
        if existing is None:
            raise
        return existing
    return report


def _lock(report: AnnualReport, status: str, action: str) -> AnnualReport:
    locked = AnnualReport.objects.select_for_update().select_related("agency", "agency__region").get(pk=report.pk)
    if locked.status != status:
        raise ServiceError.single(
            "__all__",
            "bad_state",
            _("该报告当前状态为“%(status)s”，不能%(action)s。")
            % {"status": locked.get_status_display(), "action": action},
        )
    return locked


def annual_report_refresh(*, report: AnnualReport, acting_user: User, now: datetime | None = None) -> AnnualReport:
    """Recompute the draft's statistics from the data (e.g. after late entries); records
    `publicity.annual_report_refreshed`."""
    moment = now or timezone.now()
    require_publish(acting_user, report.agency, target=str(report.public_id))
    statistics = compute_statistics(report.agency, report.year, now=moment)
    with transaction.atomic():
        locked = _lock(report, AnnualReportStatus.DRAFT, _("重新统计"))
        locked.statistics = statistics
        locked.statistics_hash = statistics_hash(statistics)
        locked.computed_at = moment
        locked.save(update_fields=["statistics", "statistics_hash", "computed_at"])
        ledger_append(
            stream=locked.stream,
            kind="publicity.annual_report_refreshed",
            actor=actor_label(acting_user),
            payload={"report": str(locked.public_id), "statistics_hash": locked.statistics_hash},
        )
    report.refresh_from_db()
    return locked


def _clean_text(value: Any, field: str, label: str, *, required: bool) -> tuple[str, list[FieldError]]:
    text = value.replace("\r\n", "\n").replace("\x00", "").strip() if isinstance(value, str) else ""
    if required and not text:
        return text, [FieldError(field, "required", _("请填写%(label)s。") % {"label": label})]
    if len(text) > SUMMARY_MAX:
        return text, [
            FieldError(field, "too_long", _("%(label)s不超过%(n)d个字符。") % {"label": label, "n": SUMMARY_MAX})
        ]
    return text, []


def _write_version(
    locked: AnnualReport,
    *,
    statistics: dict[str, Any],
    summary: str,
    explanation: str,
    acting_user: User,
    moment: datetime,
) -> AnnualReportVersion:
    number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    content_hash = sha256_hex(
        canonical_json(
            {
                "report": str(locked.public_id),
                "number": number,
                "statistics": statistics,
                "summary": summary,
                "explanation": explanation,
            }
        )
    )
    entry = ledger_append(
        stream=locked.stream,
        kind="publicity.annual_report_published" if number == 1 else "publicity.annual_report_corrected",
        actor=actor_label(acting_user),
        payload={
            "report": str(locked.public_id),
            "agency": str(locked.agency.public_id),
            "year": locked.year,
            "version": number,
            "content_hash": content_hash,
        },
    )
    version = AnnualReportVersion.objects.create(
        report=locked,
        number=number,
        statistics=statistics,
        summary=summary,
        explanation=explanation,
        content_hash=content_hash,
        published_by=acting_user,
        published_at=moment,
        ledger_seq=entry.seq,
        ledger_entry_hash=entry.entry_hash,
    )
    locked.status = AnnualReportStatus.PUBLISHED
    locked.current_version = version
    locked.statistics = statistics
    locked.statistics_hash = statistics_hash(statistics)
    locked.summary = summary
    locked.first_published_at = locked.first_published_at or moment
    locked.last_published_at = moment
    locked.save(
        update_fields=[
            "status",
            "current_version",
            "statistics",
            "statistics_hash",
            "summary",
            "first_published_at",
            "last_published_at",
        ]
    )
    return version


def annual_report_publish(
    *,
    report: AnnualReport,
    statistics_token: str,
    summary: str = "",
    acting_user: User,
    now: datetime | None = None,
) -> AnnualReportVersion:
    """Publish the reviewed draft with the reviewer's summary (PUB-10); completes the deadline (met or late).

    `statistics_token` is the hash of the snapshot the reviewer was shown: a stale one (the draft was recomputed
    since) is refused. Records `publicity.annual_report_published`.
    """
    moment = now or timezone.now()
    require_publish(acting_user, report.agency, target=str(report.public_id))
    text, errors = _clean_text(summary, "summary", _("报告说明"), required=False)
    with transaction.atomic():
        locked = _lock(report, AnnualReportStatus.DRAFT, _("发布"))
        if not statistics_token or statistics_token != locked.statistics_hash:
            errors.append(
                FieldError("statistics_token", "stale", _("统计数据已更新，请核对最新数据后再发布（请刷新页面）。"))
            )
        if errors:
            raise ServiceError(errors)
        version = _write_version(
            locked, statistics=locked.statistics, summary=text, explanation="", acting_user=acting_user, moment=moment
        )
        if locked.deadline_id is not None:
            deadline = Deadline.objects.get(pk=locked.deadline_id)
            if deadline.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED):
                deadline_complete(deadline=deadline, at=max(moment, deadline.started_at), acting_user=acting_user)
    report.refresh_from_db()
    return version


def annual_report_correct(
    *,
    report: AnnualReport,
    explanation: str,
    summary: str | None = None,
    acting_user: User,
    now: datetime | None = None,
) -> AnnualReportVersion:
    """Publish a corrected version: the statistics recomputed from the data now, with a public explanation.

    The earlier versions stay public as they were. Records `publicity.annual_report_corrected`.
    """
    moment = now or timezone.now()
    require_publish(acting_user, report.agency, target=str(report.public_id))
    why, errors = _clean_text(explanation, "explanation", _("更正说明"), required=True)
    statistics = compute_statistics(report.agency, report.year, now=moment)
    with transaction.atomic():
        locked = _lock(report, AnnualReportStatus.PUBLISHED, _("更正"))
        text, more = _clean_text(
            locked.summary if summary is None else summary, "summary", _("报告说明"), required=False
        )
        errors += more
        if errors:
            raise ServiceError(errors)
        version = _write_version(
            locked, statistics=statistics, summary=text, explanation=why, acting_user=acting_user, moment=moment
        )
    report.refresh_from_db()
    return version


def annual_report_tick(*, now: datetime) -> dict[str, int]:
    """In January, the previous year's draft for every active agency, with its deadline (idempotent)."""
    from sunlight.org.models import Agency

    today = local_date(now)
    if today.month != 1:
        return {"generated": 0}
    year = today.year - 1
    _start, end = year_bounds(year)
    have = set(AnnualReport.objects.filter(year=year).values_list("agency_id", flat=True))
    generated = 0
    for agency in Agency.objects.filter(is_active=True, is_justice_bureau=False, created_at__lt=end).select_related(
        "region"
    ):
        if agency.pk in have:
            continue
        annual_report_generate(agency=agency, year=year, acting_user=None, now=now)
        generated += 1
    return {"generated": generated}


# --- reads ----------------------------------------------------------------------------------------------------------


def published_reports() -> QuerySet[AnnualReport]:
    """Reports on the portal, newest year first."""
    return (
        AnnualReport.objects.filter(status=AnnualReportStatus.PUBLISHED)
        .select_related("agency", "current_version")
        .order_by("-year", "agency__name")
    )


def public_version(public_id: Any, number: Any = None) -> tuple[AnnualReport, AnnualReportVersion]:
    """A published report and the version asked for (the one in force by default), or NotFound."""
    report = published_reports().filter(public_id=public_id).first()
    if report is None or report.current_version is None:
        raise NotFound.single("__all__", "not_found", _("该年度报告不存在或尚未公开。"))
    if number in (None, ""):
        return report, report.current_version
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = -1
    version = report.versions.filter(number=wanted).first()
    if version is None:
        raise NotFound.single("version", "not_found", _("该版本不存在。"))
    return report, version


def reports_for_user(user: Any) -> QuerySet[AnnualReport]:
    """Reports of the agencies within the user's scope (their own agency for agency staff)."""
    from sunlight.org.selectors import agencies_visible_to

    return (
        AnnualReport.objects.filter(agency__in=agencies_visible_to(user))
        .select_related("agency", "deadline", "current_version")
        .order_by("-year", "agency__name")
    )


def report_get_for_user(*, user: Any, public_id: Any) -> AnnualReport:
    """One report the user may see, or NotFound."""
    report = reports_for_user(user).filter(public_id=public_id).first()
    if report is None:
        raise NotFound.single("__all__", "not_found", _("年度报告不存在或您无权查看。"))
    return report


# --- charts ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One bar chart of a report: its title and the server-drawn SVG."""

    title: str
    svg: SafeString
    rows: Sequence[tuple[str, int]]


def bar_chart_svg(title: str, rows: Sequence[tuple[str, int]], *, width: int = 640) -> SafeString:
    """A horizontal bar chart as inline SVG (no script): one bar per row with its label and value."""
    label_w, value_w, row_h, top = 190, 70, 30, 8
    bar_area = width - label_w - value_w
    peak = max((value for _label, value in rows), default=0) or 1
    height = top * 2 + row_h * max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" style="max-width:100%;height:auto" '
        f'font-family="Noto Sans CJK SC, Noto Serif CJK SC, sans-serif" font-size="14">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        parts.append(f'<text x="0" y="{top + 20}" fill="#555">{escape(_("本年度无数据"))}</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        length = round(bar_area * value / peak) if value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end" fill="#222">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{max(length, 1)}" height="{row_h - 10}" fill="#c0392b"/>'
            f'<text x="{label_w + length + 6}" y="{y + 20}" fill="#222">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped; numbers are ints


def charts_for(statistics: dict[str, Any]) -> list[Chart]:
    """The charts of a report: the acts by type, penalties by kind, licences by result, reviews by outcome,
    publications by kind."""
    s = statistics

    def chart(title: str, rows: Sequence[tuple[str, int]]) -> Chart:
        return Chart(title=title, svg=bar_chart_svg(title, rows), rows=rows)

    return [
        chart(
            _("各类行政执法行为数量"),
            [
                (_("行政许可"), s["licences"]["total"]),
                (_("行政处罚"), s["penalties"]["total"]),
                (_("行政强制措施"), s["coercion"]["total"]),
                (_("行政检查"), s["inspections"]["total"]),
            ],
        ),
        chart(_("行政处罚（按处罚种类）"), [(r["label"], r["count"]) for r in s["penalties"]["by_kind"]]),
        chart(
            _("行政许可（按结果）"),
            [(_("准予许可"), s["licences"]["granted"]), (_("不予许可"), s["licences"]["refused"])],
        ),
        chart(_("重大执法决定法制审核（按审核意见）"), [(r["label"], r["count"]) for r in s["reviews"]["by_outcome"]]),
        chart(_("公示信息（按类别）"), [(r["label"], r["count"]) for r in s["publications"]["by_kind"]]),
    ]


def pdf_bytes(report: AnnualReport, version: AnnualReportVersion) -> bytes:
    """The published version as a PDF (WeasyPrint; the CJK fonts installed on the machine)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "publicity/report/pdf.html",
        {
            "report": report,
            "version": version,
            "s": version.statistics,
            "charts": charts_for(version.statistics),
            "fines": yuan(version.statistics["penalties"]["fines_fen"]),
        },
    )
    return bytes(HTML(string=html).write_pdf())
