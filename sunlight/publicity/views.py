"""Public pages of ex-post publication (no login): search, decision pages, proofs, open data, correction requests.

Nothing here reads the unredacted source: pages render the version in force or the search index. Drafts are 404;
a withdrawn decision shows only its withdrawal notice; an expired one answers 410 with a notice (PUB-6, PUB-7).
Published decisions appear at once (PUB-12): no page here may be cached by browsers or proxies, and each request
reads the publication's state from the database. The server keeps a decision's rendered page with the state it
showed, and serves it only while the publication is still in that state (page_cache).
"""

from __future__ import annotations

import csv
import functools
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO, StringIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sunlight.core.errors import NotFound, ServiceError
from sunlight.org.choices import ActionType
from sunlight.org.selectors import public_agencies

from . import page_cache, records, selectors
from .choices import EXPORT_MAX_ROWS, PublicationKind, PublicationStatus, SortOrder
from .forms import CorrectionForm, search_params
from .models import Publication
from .search import export_rows, search
from .services import EvidenceUpload, correction_request_submit


def _public(public_id: str) -> Any:
    try:
        return selectors.public_publication(public_id)
    except NotFound as exc:
        raise Http404 from exc


@lru_cache(maxsize=2048)
def qr_svg(data: str) -> bytes:
    """A QR code as SVG (drawn here: no outside service). About 10 ms of pure Python, so it is its own cacheable
    address rather than part of the decision page."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=6,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
        mask_pattern=0,
    )
    code.add_data(data)
    code.make(fit=True)
    buffer = BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


@never_cache
def decision_list(request: HttpRequest) -> HttpResponse:
    """行政执法决定公示: search with filters (agency, action type, kind, region, dates), newest decision first."""
    params = search_params(request.GET)
    f = params.filters
    page = search(
        params.q,
        agency=f.agency,
        action_type=f.action_type,
        kind=f.kind,
        region=f.region,
        date_from=f.date_from,
        date_to=f.date_to,
        sort=params.sort,
        page=params.page,
    )
    return render(
        request,
        "publicity/decision_list.html",
        {
            "params": params,
            "page": page,
            "agencies": public_agencies(),
            "action_types": ActionType.choices,
            "kinds": PublicationKind.choices,
            "sorts": SortOrder.choices,
            "export_query": params.querystring(),
            "previous_query": params.querystring(page=page.page - 1),
            "next_query": params.querystring(page=page.page + 1),
        },
    )


# What `never_cache` sets, written out once: on the portal's most requested page, Django's parsing and rewriting of
# the Cache-Control header cost as much as the rest of the view's Python (the test pins the two as equal).
NEVER_CACHE_CONTROL = "max-age=0, no-cache, no-store, must-revalidate, private"


def never_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`never_cache` for a view whose responses set no caching headers of their own (PUB-6, PUB-9: a withdrawal or an
    update must show at once, so no browser or proxy may keep a decision page)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers["Expires"] = http_date()
        response.headers["Cache-Control"] = NEVER_CACHE_CONTROL
        return response

    return wrapped


@never_cached
def decision_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One decision at its stable address; a withdrawal notice once withdrawn; 410 once its five years are over.

    The publication's status, version in force and displayed fields are read on every request, with the page stored
    for it (one query), so a withdrawal, an update or an expiry shows at once; the stored page is served when it was
    rendered for exactly that state (page_cache), and the page is rendered and stored otherwise."""
    key = page_cache.rendering()
    try:
        publication, stored = selectors.public_decision_page(public_id, rendering=key)
    except NotFound as exc:
        raise Http404 from exc
    context: dict[str, Any] = {"publication": publication}
    if publication.status == PublicationStatus.EXPIRED:
        return render(request, "publicity/decision_gone.html", context, status=410)
    if publication.status == PublicationStatus.WITHDRAWN:
        context["withdrawal"] = selectors.latest_withdrawal(publication)
        context["verify_url"] = reverse("publicity:decision_verify", args=[publication.public_id])
        return render(request, "publicity/decision_withdrawn.html", context)
    page = page_cache.decision_page(
        publication=publication, stored=stored, render=lambda: _decision_text(publication), key=key
    )
    return HttpResponse(page)


def _decision_text(publication: Any) -> tuple[str, str]:
    """A published decision's title and text (its version in force and, once updated, the history of its versions),
    rendered without the request so that it can be served to everyone (page_cache)."""
    version = publication.current_version
    context = {
        "publication": publication,
        "version": version,
        "action_type": _display("action_type", publication.action_type),
        "kind": _display("kind", publication.kind),
        "texts": [
            (name, label, text)
            for name, label, text in selectors.public_fields(version)
            if name not in ("title", "party") and text
        ],
        "history": selectors.public_history(publication) if version.number > 1 else [version],
        "urls": decision_urls(publication.public_id),
        "dates": {
            "decided_on": _day(publication.decided_on),
            "first_published_at": _day(publication.first_published_at),
            "expires_on": _day(publication.expires_on),
        },
    }
    return version.field("title"), render_to_string("publicity/partials/decision.html", context)


def _day(value: date | None) -> str:
    """What `{{ value|date:"Y年n月j日" }}` shows (for a moment: its day in the current time zone), without the general
    date formatter, which costs more than the rest of the line."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year:04d}年{value.month}月{value.day}日"


@lru_cache(maxsize=4)
def _choices(name: str) -> dict[Any, Any]:
    return dict(Publication._meta.get_field(name).flatchoices)  # type: ignore[union-attr]


def _display(name: str, value: Any) -> str:
    """What `publication.get_<name>_display()` gives, without rebuilding the field's choices on every call."""
    return str(_choices(name).get(value, value))


_ANY_ID = uuid.UUID(int=0)
DECISION_URL_NAMES = ("decision_verify", "decision_qr", "decision_record", "correction_new")


@lru_cache(maxsize=16)
def _url_patterns(script_prefix: str, urlconf: Any) -> dict[str, str]:
    return {name: reverse(f"publicity:{name}", args=[_ANY_ID]) for name in DECISION_URL_NAMES}


def decision_urls(public_id: uuid.UUID) -> dict[str, str]:
    """The addresses of a decision's pages, as `reverse()` gives them: reversed once per process (and address prefix)
    for a placeholder id, then filled in."""
    placeholder, actual = str(_ANY_ID), str(public_id)
    patterns = _url_patterns(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return {name: url.replace(placeholder, actual) for name, url in patterns.items()}


def decision_qr(request: HttpRequest, public_id: str) -> HttpResponse:
    """The QR code of a decision's verify address (the address never changes, so browsers may keep it a day)."""
    publication = _public(public_id)
    if publication.status == PublicationStatus.EXPIRED:
        raise Http404
    url = request.build_absolute_uri(reverse("publicity:decision_verify", args=[publication.public_id]))
    response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def decision_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """The proof behind a decision (item 6): its hash, its ledger entry and the inclusion proof."""
    publication = _public(public_id)
    if publication.status == PublicationStatus.EXPIRED:
        return render(request, "publicity/decision_gone.html", {"publication": publication}, status=410)
    return render(request, "publicity/decision_verify.html", {"v": selectors.verification(publication)})


@never_cache
def decision_record(request: HttpRequest, public_id: str) -> HttpResponse:
    """The exact bytes whose SHA-256 is the published hash (canonical JSON of the version in force)."""
    publication = _public(public_id)
    try:
        version = selectors.current_record(publication)
    except NotFound as exc:
        raise Http404 from exc
    response = HttpResponse(records.record_bytes(version.record), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{publication.public_id}-v{version.number}.json"'
    return response


# --- open data -----------------------------------------------------------------------------------------------------

CSV_HEADER = [
    "标识",
    "链接",
    "标题",
    "当事人",
    "执法主体",
    "行为类型",
    "公示类别",
    "文书编号",
    "决定日期",
    "公示时间",
    "处理结果",
    "版本",
]
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _export_params(request: HttpRequest) -> Any:
    params = search_params(request.GET)
    return params, export_rows(params.q, params.filters, params.sort, EXPORT_MAX_ROWS)


@never_cache
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The matching decisions as CSV (UTF-8 with BOM for spreadsheet programs), streamed."""
    _params, rows = _export_params(request)
    base = request.build_absolute_uri("/")[:-1]

    def lines() -> Iterator[str]:
        buffer = StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(CSV_HEADER)
        for entry in rows:
            writer.writerow(
                [
                    _cell(x)
                    for x in (
                        entry.public_id,
                        base + reverse("publicity:decision_detail", args=[entry.public_id]),
                        entry.title,
                        entry.party,
                        entry.agency_name,
                        entry.get_action_type_display(),
                        entry.get_kind_display(),
                        entry.document_number,
                        entry.decided_on.isoformat(),
                        timezone.localtime(entry.published_at).isoformat(),
                        entry.result,
                        entry.version,
                    )
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="decisions.csv"'
    return response


def export_item(entry: Any, base: str) -> dict[str, Any]:
    """One decision in the JSON export (published, redacted data only)."""
    return {
        "id": str(entry.public_id),
        "url": base + reverse("publicity:decision_detail", args=[entry.public_id]),
        "title": entry.title,
        "party": entry.party,
        "agency": entry.agency_name,
        "action_type": entry.action_type,
        "kind": entry.kind,
        "document_number": entry.document_number,
        "decided_on": entry.decided_on.isoformat(),
        "published_at": entry.published_at.isoformat(),
        "result": entry.result,
        "version": entry.version,
    }


@never_cache
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    """The matching decisions as a JSON document `{"format", "generated_at", "items": [...]}`, streamed."""
    _params, rows = _export_params(request)
    base = request.build_absolute_uri("/")[:-1]
    encoder = json.JSONEncoder(ensure_ascii=False)

    def chunks() -> Iterator[str]:
        head = {"format": "sunlight.decisions.v1", "generated_at": timezone.now()}
        yield json.dumps(head, cls=DjangoJSONEncoder, ensure_ascii=False)[:-1] + ', "items": ['
        first = True
        for entry in rows:
            yield ("" if first else ",") + encoder.encode(export_item(entry, base))
            first = False
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")


# --- correction requests (PUB-8) -----------------------------------------------------------------------------------


def correction_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """The public correction form of a published decision, with evidence upload."""
    publication = _public(public_id)
    if publication.status != PublicationStatus.PUBLISHED:
        raise Http404
    form = CorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [EvidenceUpload(filename=f.name, content=f.read()) for f in data.get("evidence") or []]
        try:
            correction = correction_request_submit(
                publication=publication,
                name=data["name"],
                contact=data["contact"],
                request=data["request"],
                urgent=data["urgent"],
                urgent_reason=data["urgent_reason"],
                files=files,
            )
        except ServiceError as exc:
            for item in exc.errors:
                form.add_error(item.field if item.field in form.fields else None, item.message)
        else:
            messages.success(request, _("纠错申请已提交。请保存本页地址，以便查看处理结果。"))
            return redirect("publicity:correction_status", public_id=correction.public_id)
    return render(
        request,
        "publicity/correction_form.html",
        {"publication": publication, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
def correction_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """Where a requester follows their request (the address is the receipt; it shows no personal data)."""
    try:
        correction = selectors.correction_public(public_id)
    except NotFound as exc:
        raise Http404 from exc
    decision = getattr(correction, "decision", None)
    return render(request, "publicity/correction_status.html", {"c": correction, "decision": decision})
