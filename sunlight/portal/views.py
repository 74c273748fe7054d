"""The public portal shell (no login): home and the agency directory (PUB-1 grows here in the publicity issue)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sunlight.core.models import TreeHead
from sunlight.core.transparency import public_key_pem, public_keys
from sunlight.org.choices import Level
from sunlight.org.selectors import public_agencies


def home(request: HttpRequest) -> HttpResponse:
    agencies = public_agencies()
    return render(request, "portal/home.html", {"agency_count": agencies.count(), "agencies": agencies[:12]})


def agency_list(request: HttpRequest) -> HttpResponse:
    qs = public_agencies()
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if q:
        qs = qs.filter(name__icontains=q)
    if level in Level.values:
        qs = qs.filter(level=level)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "portal/agency_list.html", {"page": page, "q": q, "level": level, "levels": Level.choices})


def agency_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    agency = public_agencies().filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    units = agency.units.filter(is_active=True)
    return render(request, "portal/agency_detail.html", {"agency": agency, "units": units})


def transparency(request: HttpRequest) -> HttpResponse:
    """账本透明度 (REC-10): the signed tree heads, newest first, and the keys that signed them, for anyone to check."""
    page = Paginator(TreeHead.objects.order_by("-id"), 30).get_page(request.GET.get("page"))
    keys = [{**k, "pem": public_key_pem(k["public_key"])} for k in public_keys()]
    return render(request, "portal/transparency.html", {"page": page, "keys": keys})
