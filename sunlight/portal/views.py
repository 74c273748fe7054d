"""The public portal (no login): home, the agency directory and ex-ante publicity (PUB-1) — officers with a valid
certificate, the enforcement item list with service guides and flowcharts, discretion benchmarks, random-inspection,
AV and major-decision lists, laws in force, announced changes, remedies and complaint channels — and the printable
post boards of the service windows (PUB-3).

Every page shows what is in force on the day it is asked for (`selectors.today()`); published changes appear on their
effective date. Ids in addresses are opaque UUIDs; anything malformed or unknown is a 404, never a server error.
"""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from sunlight.catalog.choices import CatalogKind
from sunlight.catalog.flowchart import render_svg
from sunlight.catalog.selectors import items_held_by
from sunlight.catalog.workflows import WORKFLOWS, step_choices, workflows_for
from sunlight.core.models import TreeHead
from sunlight.core.transparency import public_key_pem, public_keys
from sunlight.org.choices import Level
from sunlight.org.models import Agency
from sunlight.org.selectors import public_agencies

from . import selectors
from .forms import AgencyFilterForm, ItemFilterForm, LawFilterForm, OfficerSearchForm, cleaned
from .pdf import render_pdf

PER_PAGE = 30


def _page(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Any:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _charts(action_type: str) -> list[tuple[Any, str]]:
    """The flowcharts of an action type's procedures (SVG escaped by `render_svg`)."""
    return [(wf, mark_safe(render_svg(wf))) for wf in workflows_for(action_type)]  # noqa: S308


def _agency_filter(request: HttpRequest) -> tuple[AgencyFilterForm, dict[str, Any] | None]:
    form = AgencyFilterForm(request.GET)
    return form, cleaned(form)


# --- home and agencies ---------------------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    agencies = public_agencies()
    return render(
        request,
        "portal/home.html",
        {
            "agency_count": agencies.count(),
            "agencies": agencies[:12],
            "officer_form": OfficerSearchForm(),
            "section": "home",
        },
    )


@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    qs = public_agencies()
    q = request.GET.get("q", "").strip()[: selectors.QUERY_MAX_LENGTH]
    level = request.GET.get("level", "")
    if q:
        qs = qs.filter(name__icontains=q)
    if level in Level.values:
        qs = qs.filter(level=level)
    page = _page(request, qs)
    return render(
        request,
        "portal/agency_list.html",
        {"page": page, "q": q, "level": level, "levels": Level.choices, "section": "agencies"},
    )


@require_safe
def agency_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    agency = selectors.agency_get(public_id)
    if agency is None:
        raise Http404
    day = selectors.today()
    units = agency.units.filter(is_active=True)
    counts = (
        {}
        if agency.is_justice_bureau
        else {
            "items": selectors.published_items(agency=agency, on=day).count(),
            "benchmarks": selectors.published_benchmarks(agency=agency, on=day).count(),
            "inspections": selectors.published_inspection_items(agency=agency, on=day).count(),
            "av": selectors.published_av_items(agency=agency, on=day).count(),
            "major": selectors.published_major_rules(agency=agency, on=day).count(),
            "officers": selectors.officers_on_duty(day=day, agency=agency).count(),
            "changes": len(selectors.changes(day=day, agency=agency)),
        }
    )
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "units": units,
            "counts": counts,
            "supervisors": selectors.supervisors(),
            "today": day,
            "section": "agencies",
        },
    )


# --- officers (PUB-1) ----------------------------------------------------------------------------------------------


@require_safe
def officer_list(request: HttpRequest) -> HttpResponse:
    """执法人员查询: officers whose certificate is valid today, by name or certificate number, optionally of one agency.
    Expired, suspended and revoked certificates, cleared or transferred officers and auxiliaries never appear."""
    form = OfficerSearchForm(request.GET)
    values = cleaned(form)
    day = selectors.today()
    page = rows = None
    if values is not None:
        qs = selectors.officers_on_duty(day=day, query=values.get("q") or "", agency=values.get("agency"))
        page = _page(request, qs)
        rows = selectors.public_officers(page.object_list, day=day)
    return render(
        request,
        "portal/officer_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "searched": bool(values and (values.get("q") or values.get("agency"))),
            "today": day,
            "section": "officers",
        },
        status=200 if values is not None else 400,
    )


# --- enforcement items (PUB-1) -------------------------------------------------------------------------------------


@require_safe
def item_list(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET)
    values = cleaned(form)
    day = selectors.today()
    page = None
    upcoming: list[selectors.Change] = []
    if values is not None:
        agency = values.get("agency")
        qs = selectors.published_items(agency=agency, on=day).select_related("entry__agency")
        if values.get("action_type"):
            qs = qs.filter(entry__action_type=values["action_type"])
        if values.get("q"):
            qs = qs.filter(name__icontains=values["q"])
        page = _page(request, qs.order_by("entry__agency__region__code", "entry__agency__name", "entry__code"))
        upcoming = [
            c
            for c in selectors.changes(day=day, agency=agency, kind=CatalogKind.ITEM)
            if not values.get("action_type") or c.version.entry.action_type == values["action_type"]
        ]
    return render(
        request,
        "portal/item_list.html",
        {"form": form, "page": page, "upcoming": upcoming, "today": day, "section": "items"},
        status=200 if values is not None else 400,
    )


@require_safe
def item_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """An item's page: its particulars, discretion basis, service guide and the flowchart of its procedure."""
    day = selectors.today()
    found = selectors.item_get(public_id, day=day)
    if found is None:
        raise Http404
    item, version = found
    charts = _charts(item.action_type)
    return render(
        request,
        "portal/item_detail.html",
        {
            "item": item,
            "v": version,
            "benchmarks": selectors.item_benchmarks(item, day=day),
            "scheduled": selectors.item_scheduled(item, day=day),
            "charts": charts,
            "today": day,
            "section": "items",
        },
    )


# --- benchmarks, inspection, AV and major-decision lists ----------------------------------------------------------


@require_safe
def benchmark_list(request: HttpRequest) -> HttpResponse:
    form, values = _agency_filter(request)
    day = selectors.today()
    page = None
    upcoming: list[selectors.Change] = []
    if values is not None:
        qs = selectors.published_benchmarks(agency=values.get("agency"), on=day).select_related("entry__item")
        page = _page(request, qs.order_by("entry__agency__region__code", "entry__agency__name", "entry__code"))
        upcoming = selectors.changes(day=day, agency=values.get("agency"), kind=CatalogKind.BENCHMARK)
    return render(
        request,
        "portal/benchmark_list.html",
        {"form": form, "page": page, "upcoming": upcoming, "today": day, "section": "benchmarks"},
        status=200 if values is not None else 400,
    )


@require_safe
def benchmark_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    day = selectors.today()
    found = selectors.benchmark_get(public_id, day=day)
    if found is None:
        raise Http404
    benchmark, version = found
    item = selectors.item_get(benchmark.item.public_id, day=day) if benchmark.item else None
    return render(
        request,
        "portal/benchmark_detail.html",
        {
            "benchmark": benchmark,
            "v": version,
            "levels": selectors.benchmark_levels(version),
            "item": item[1] if item else None,
            "today": day,
            "section": "benchmarks",
        },
    )


def _catalog_list(
    request: HttpRequest,
    *,
    published: Any,
    kind: str,
    template: str,
    section: str,
    decorate: Any = None,
) -> HttpResponse:
    """A public catalog list: the published versions in force today for the agency filter, paginated in one order,
    with the announced changes of that kind; 400 on a bad filter."""
    form, values = _agency_filter(request)
    day = selectors.today()
    page = None
    upcoming: list[selectors.Change] = []
    if values is not None:
        qs = published(agency=values.get("agency"), on=day)
        page = _page(request, qs.order_by("entry__agency__region__code", "entry__agency__name", "entry__code"))
        if decorate is not None:
            decorate(page.object_list)
        upcoming = selectors.changes(day=day, agency=values.get("agency"), kind=kind)
    return render(
        request,
        template,
        {"form": form, "page": page, "upcoming": upcoming, "today": day, "section": section},
        status=200 if values is not None else 400,
    )


@require_safe
def inspection_list(request: HttpRequest) -> HttpResponse:
    """随机抽查事项清单 (RND-1): subject, basis, object, content, ratio, method, frequency."""
    return _catalog_list(
        request,
        published=selectors.published_inspection_items,
        kind=CatalogKind.INSPECTION,
        template="portal/inspection_list.html",
        section="inspections",
    )


def _label_steps(versions: Any) -> None:
    """Give each AV item version the name of its step (per action type)."""
    steps: dict[str, dict[str, str]] = {}
    for v in versions:
        if v.action_type not in steps:
            steps[v.action_type] = dict(step_choices(v.action_type))
        v.step_label = steps[v.action_type].get(v.step, v.step)


@require_safe
def av_list(request: HttpRequest) -> HttpResponse:
    """音像记录事项清单 (REC-5) with the legal floor that applies whatever the lists say."""
    return _catalog_list(
        request,
        published=selectors.published_av_items,
        kind=CatalogKind.AV,
        template="portal/av_list.html",
        section="av",
        decorate=_label_steps,
    )


@require_safe
def major_rule_list(request: HttpRequest) -> HttpResponse:
    """重大执法决定法制审核目录清单 (REV-1)."""
    return _catalog_list(
        request,
        published=selectors.published_major_rules,
        kind=CatalogKind.MAJOR_RULE,
        template="portal/major_rule_list.html",
        section="major",
    )


@require_safe
def change_list(request: HttpRequest) -> HttpResponse:
    """即将施行的变更: published versions announced to take effect later (PUB-2), with laws not yet in force."""
    form, values = _agency_filter(request)
    day = selectors.today()
    found = selectors.changes(day=day, agency=values.get("agency")) if values is not None else []
    return render(
        request,
        "portal/change_list.html",
        {
            "form": form,
            "changes": found,
            "laws": selectors.laws_upcoming(day=day) if values is not None and not values.get("agency") else [],
            "today": day,
            "section": "changes",
        },
        status=200 if values is not None else 400,
    )


# --- laws, flowcharts, remedies, complaint channels ----------------------------------------------------------------


@require_safe
def law_list(request: HttpRequest) -> HttpResponse:
    form = LawFilterForm(request.GET)
    values = cleaned(form)
    day = selectors.today()
    laws = selectors.laws_in_force(day=day, kind=values.get("kind") or None) if values is not None else []
    return render(
        request,
        "portal/law_list.html",
        {"form": form, "laws": laws, "upcoming": selectors.laws_upcoming(day=day), "today": day, "section": "laws"},
        status=200 if values is not None else 400,
    )


@require_safe
def law_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    day = selectors.today()
    law = selectors.law_get(public_id, day=day)
    if law is None:
        raise Http404
    return render(
        request,
        "portal/law_detail.html",
        {"law": law, "articles": selectors.law_articles(law, day=day), "today": day, "section": "laws"},
    )


@require_safe
def flowcharts(request: HttpRequest) -> HttpResponse:
    charts = [(wf, mark_safe(render_svg(wf))) for wf in WORKFLOWS.values()]  # noqa: S308  (escaped by render_svg)
    return render(request, "portal/flowcharts.html", {"charts": charts, "section": "flowcharts"})


@require_safe
def remedies(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/remedies.html", {"section": "remedies"})


@require_safe
def complaints(request: HttpRequest) -> HttpResponse:
    """投诉举报渠道: each agency's address and phone, and the justice bureau that supervises enforcement."""
    form, values = _agency_filter(request)
    agencies = public_agencies().filter(is_justice_bureau=False).select_related("supervisor")
    if values is not None and values.get("agency"):
        agencies = agencies.filter(pk=values["agency"].pk)
    return render(
        request,
        "portal/complaints.html",
        {
            "form": form,
            "agencies": agencies if values is not None else [],
            "supervisors": selectors.supervisors(),
            "section": "complaints",
        },
        status=200 if values is not None else 400,
    )


# --- post boards (PUB-3) -------------------------------------------------------------------------------------------


def _qr_data_uri(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=6)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@require_safe
def post_board(request: HttpRequest, public_id: str) -> HttpResponse:
    """岗位信息公示牌 (PUB-3): an A4 PDF per service window — the officers on duty there with their certificates, the
    unit's items and the complaint phones. `?unit=<id>` for one unit, none for every unit of the agency."""
    agency = selectors.agency_get(public_id)
    if agency is None:
        raise Http404
    if "unit" in request.GET:
        unit = selectors.unit_get(agency, request.GET["unit"])
        if unit is None:
            raise Http404
        units = [unit]
    else:
        units = list(agency.units.filter(is_active=True))
    day = selectors.today()
    lookup = request.build_absolute_uri(reverse("portal:officer_list")) + f"?agency={agency.public_id}"
    boards = [
        {
            "unit": unit,
            "officers": selectors.public_officers(selectors.officers_on_duty(day=day, unit=unit), day=day),
            "items": items_held_by(unit=unit, on=day),
        }
        for unit in units
    ]
    pdf = render_pdf(
        "portal/post_board.html",
        {
            "agency": agency,
            "boards": boards,
            "supervisor": _supervisor(agency),
            "lookup_url": lookup,
            "qr": _qr_data_uri(lookup),
            "today": day,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="post-board-{agency.public_id}.pdf"'
    return response


def _supervisor(agency: Agency) -> Agency | None:
    """The agency's enforcement supervisor, else the nearest justice bureau (None for a justice bureau itself)."""
    if agency.is_justice_bureau:
        return None
    if agency.supervisor is not None and agency.supervisor.is_active:
        return agency.supervisor
    return selectors.supervisors().first()


@require_safe
def transparency(request: HttpRequest) -> HttpResponse:
    """账本透明度 (REC-10): the signed tree heads, newest first, and the keys that signed them, for anyone to check."""
    page = _page(request, TreeHead.objects.order_by("-id"))
    keys = [{**k, "pem": public_key_pem(k["public_key"])} for k in public_keys()]
    return render(request, "portal/transparency.html", {"page": page, "keys": keys, "section": "transparency"})
