"""Annual statistics reports on the portal (/annual-reports/, PDF) and in the workbench (review and publish,
correct), and the supervisor's timeliness monitoring page (PUB-10, PUB-11)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.workbench.views import guarded

from . import monitoring
from . import report as reports
from .models_report import AnnualReport, AnnualReportStatus
from .permissions import can_publish


def _errors_on(form: forms.Form, error: ServiceError) -> None:
    if isinstance(error, Forbidden | NotFound):
        raise error
    visible = {f.name for f in form.visible_fields()}
    for item in error.errors:
        form.add_error(item.field if item.field in visible else None, item.message)


def _context(report: AnnualReport, statistics: dict[str, Any]) -> dict[str, Any]:
    return {
        "report": report,
        "s": statistics,
        "charts": reports.charts_for(statistics),
        "fines": reports.yuan(statistics["penalties"]["fines_fen"]),
        "due": reports.due_date(report.year),
    }


# --- public ---------------------------------------------------------------------------------------------------------


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Published annual reports, newest year first."""
    return render(
        request, "publicity/report/public_list.html", {"reports": reports.published_reports(), "section": "reports"}
    )


@require_GET
def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One published report (the version in force, or ?version=n) with its charts."""
    try:
        report, version = reports.public_version(public_id, request.GET.get("version"))
    except NotFound:
        return render(request, "publicity/report/public_missing.html", status=404)
    context = _context(report, version.statistics)
    context.update(
        {
            "version": version,
            "history": report.versions.order_by("number"),
            "is_current": version.pk == report.current_version_id,
            "section": "reports",
        }
    )
    return render(request, "publicity/report/public_detail.html", context)


@require_GET
def report_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The published report as a PDF download."""
    try:
        report, version = reports.public_version(public_id, request.GET.get("version"))
    except NotFound:
        return render(request, "publicity/report/public_missing.html", status=404)
    response = HttpResponse(reports.pdf_bytes(report, version), content_type="application/pdf")
    filename = f"annual-report-{report.year}-{report.public_id}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- workbench ------------------------------------------------------------------------------------------------------


class GenerateForm(forms.Form):
    agency = forms.ChoiceField(label=gettext_lazy("执法主体"))
    year = forms.IntegerField(label=gettext_lazy("报告年度"), min_value=2000)

    def __init__(self, data: Any = None, *, agencies: list[Any], year: int, prefix: str = "") -> None:
        super().__init__(data, initial={"year": year}, prefix=prefix or None)
        self.agencies = {str(a.public_id): a for a in agencies}
        choice = self.fields["agency"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(k, a.name) for k, a in self.agencies.items()]


class PublishForm(forms.Form):
    statistics_token = forms.CharField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=gettext_lazy("报告说明（可选，随报告公开）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=reports.SUMMARY_MAX,
    )


class CorrectForm(forms.Form):
    explanation = forms.CharField(
        label=gettext_lazy("更正说明（随更正版本公开）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    summary = forms.CharField(
        label=gettext_lazy("报告说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=reports.SUMMARY_MAX,
    )


@guarded
def staff_list(request: HttpRequest) -> HttpResponse:
    """Reports of the user's agencies with their deadlines; a publisher may generate a finished year's draft."""
    from sunlight.org.selectors import agencies_visible_to

    publishable = [a for a in agencies_visible_to(request.user).filter(is_active=True) if can_publish(request.user, a)]
    form = GenerateForm(
        request.POST or None, agencies=publishable, year=timezone.localdate().year - 1, prefix="generate"
    )
    if request.method == "POST" and publishable and form.is_valid():
        agency = form.agencies[form.cleaned_data["agency"]]
        try:
            report = reports.annual_report_generate(
                agency=agency,
                year=form.cleaned_data["year"],
                acting_user=request.user,  # type: ignore[arg-type]
            )
        except ServiceError as exc:
            _errors_on(form, exc)
        else:
            messages.success(request, _("已生成年度报告草稿，请核对统计数据后发布。"))
            return redirect("annual_report:staff_detail", public_id=report.public_id)
    return render(
        request,
        "publicity/report/staff_list.html",
        {
            "reports": reports.reports_for_user(request.user),
            "form": form if publishable else None,
            "may_monitor": monitoring.may_monitor(request.user),
        },
        status=400 if form.errors else 200,
    )


@guarded
def staff_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A report: the draft snapshot to review and publish, or the published versions and the correction form."""
    report = reports.report_get_for_user(user=request.user, public_id=public_id)
    allowed = can_publish(request.user, report.agency)
    publish_form = PublishForm(
        request.POST if request.POST.get("action") == "publish" else None,
        initial={"statistics_token": report.statistics_hash, "summary": report.summary},
    )
    correct_form = CorrectForm(
        request.POST if request.POST.get("action") == "correct" else None, initial={"summary": report.summary}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        user: Any = request.user
        try:
            if action == "refresh":
                reports.annual_report_refresh(report=report, acting_user=user)
                messages.success(request, _("已按最新数据重新统计。"))
                return redirect("annual_report:staff_detail", public_id=report.public_id)
            if action == "publish" and publish_form.is_valid():
                version = reports.annual_report_publish(
                    report=report,
                    statistics_token=publish_form.cleaned_data["statistics_token"],
                    summary=publish_form.cleaned_data["summary"],
                    acting_user=user,
                )
                messages.success(request, _("年度报告已公开（第%(n)d版）。") % {"n": version.number})
                return redirect("annual_report:staff_detail", public_id=report.public_id)
            if action == "correct" and correct_form.is_valid():
                version = reports.annual_report_correct(
                    report=report,
                    explanation=correct_form.cleaned_data["explanation"],
                    summary=correct_form.cleaned_data["summary"],
                    acting_user=user,
                )
                messages.success(request, _("已发布更正版本（第%(n)d版）。") % {"n": version.number})
                return redirect("annual_report:staff_detail", public_id=report.public_id)
        except ServiceError as exc:
            _errors_on(correct_form if action == "correct" else publish_form, exc)
    preview = report.statistics
    if report.status == AnnualReportStatus.PUBLISHED and allowed:
        preview = reports.compute_statistics(report.agency, report.year)
    context = _context(report, preview)
    context.update(
        {
            "can_publish": allowed,
            "publish_form": publish_form,
            "correct_form": correct_form,
            "versions": report.versions.order_by("number"),
        }
    )
    failed = publish_form.errors or correct_form.errors
    return render(request, "publicity/report/staff_detail.html", context, status=400 if failed else 200)


@guarded
def monitoring_page(request: HttpRequest) -> HttpResponse:
    """Per agency of the supervisor's region: completeness, timeliness, accuracy, monthly update, who publishes."""
    now = timezone.now()
    current = timezone.localdate(now).year
    try:
        year = int(request.GET.get("year") or current)
    except ValueError:
        year = current
    year = min(max(year, 2000), current)
    rows = monitoring.monitoring_rows(user=request.user, year=year, now=now)
    return render(
        request,
        "publicity/report/monitoring.html",
        {"rows": rows, "year": year, "years": list(range(current, current - 5, -1))},
    )
