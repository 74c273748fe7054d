"""Forms of the publicity pages. They only collect input: every check that matters is in the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import ActionType
from sunlight.org.models import Agency, Region
from sunlight.org.selectors import public_agencies

from .choices import (
    EVIDENCE_MAX_FILES,
    PUBLIC_FIELDS,
    QUERY_MAX_CHARS,
    CorrectionOutcome,
    PublicationKind,
    SortOrder,
)
from .search import Filters

_TEXTAREA_ROWS = {"body": 12, "basis": 3, "result": 3}


def _text_fields(initial: dict[str, str] | None = None) -> dict[str, forms.Field]:
    """One field per published field (title and party on one line, the rest as text areas)."""
    fields: dict[str, forms.Field] = {}
    for name, label in PUBLIC_FIELDS:
        widget: forms.Widget = (
            forms.Textarea(attrs={"rows": _TEXTAREA_ROWS[name]}) if name in _TEXTAREA_ROWS else forms.TextInput()
        )
        fields[name] = forms.CharField(
            label=label, required=name in ("title", "party", "body"), strip=False, widget=widget
        )
        if initial and name in initial:
            fields[name].initial = initial[name]
    return fields


class ConfirmForm(forms.Form):
    """The confirmer's text (prefilled with the automatic redaction), the side-by-side token and the consent."""

    review_token = forms.CharField(widget=forms.HiddenInput, required=False)
    consent_full = forms.BooleanField(label=_("经当事人同意全文公开（不隐去个人信息）"), required=False)
    consent_note = forms.CharField(
        label=_("同意公开的依据"),
        required=False,
        max_length=500,
        help_text=_("如：当事人2026年3月5日书面同意书（已归入案卷）。"),
    )

    def __init__(self, *args: Any, texts: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text_fields = _text_fields(texts)
        ordered = {**text_fields, **self.fields}
        self.fields = ordered

    def texts(self) -> dict[str, str]:
        """The published fields as submitted (raw: the service cleans and checks them)."""
        return {name: self.data.get(name, "") for name, _label in PUBLIC_FIELDS}


class UpdateForm(ConfirmForm):
    """A changed text with the public explanation (PUB-6)."""

    explanation = forms.CharField(
        label=_("更新说明（向社会公开）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class WithdrawForm(forms.Form):
    """The public explanation of a withdrawal (PUB-6)."""

    explanation = forms.CharField(
        label=_("撤回说明（向社会公开）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("如：该决定已于2026年5月8日被依法撤销，现撤回公示。"),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class CorrectionForm(forms.Form):
    """A public correction request (PUB-8)."""

    name = forms.CharField(label=_("申请人姓名或名称"), max_length=100)
    contact = forms.CharField(label=_("联系方式（电话或电子邮箱）"), max_length=100)
    request = forms.CharField(
        label=_("需要更正的内容和理由"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    urgent = forms.BooleanField(label=_("不及时更正将造成难以弥补的损害，申请紧急处理（2个工作日内）"), required=False)
    urgent_reason = forms.CharField(
        label=_("紧急理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    evidence = MultipleFileField(
        label=_("证据材料"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，最多%(n)d个文件，每个不超过10MB。") % {"n": EVIDENCE_MAX_FILES},
    )


class CorrectionDecideForm(ConfirmForm):
    """The answer to a correction request; when upheld, the corrected text."""

    outcome = forms.ChoiceField(label=_("处理结果"), choices=CorrectionOutcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("理由（答复申请人，予以更正的同时作为更正说明公开）"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("review_token", "consent_full", "consent_note"):
            self.fields.pop(name)
        for name, _label in PUBLIC_FIELDS:
            self.fields[name].required = False
        order = ["outcome", "reasons", *(name for name, _label in PUBLIC_FIELDS)]
        self.fields = {name: self.fields[name] for name in order}


# --- public search parameters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    """What a public search asked for, read leniently: an unknown or malformed value is ignored, never an error."""

    q: str
    filters: Filters
    agency_id: str
    region_code: str
    sort: str
    page: int

    def querystring(self, **changes: Any) -> str:
        """The query string of this search (for pagination and export links), with some values changed."""
        values = {
            "q": self.q,
            "agency": self.agency_id,
            "action_type": self.filters.action_type or "",
            "kind": self.filters.kind or "",
            "region": self.region_code,
            "date_from": self.filters.date_from.isoformat() if self.filters.date_from else "",
            "date_to": self.filters.date_to.isoformat() if self.filters.date_to else "",
            "sort": self.sort if self.sort != SortOrder.NEWEST else "",
        }
        values.update({k: str(v) for k, v in changes.items()})
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value:
                query[key] = value
        return query.urlencode()


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None


def search_params(data: QueryDict | dict[str, Any]) -> SearchParams:
    """Search parameters from a query string (the portal's form, the API, the exports)."""

    def get(key: str) -> str:
        value = data.get(key, "")
        return value[:200] if isinstance(value, str) else ""

    q = get("q")[:QUERY_MAX_CHARS]
    agency: Agency | None = None
    agency_id = get("agency")
    if agency_id:
        try:
            agency = public_agencies().filter(public_id=agency_id).first()
        except (ValueError, TypeError, forms.ValidationError):
            agency = None
    region_code = get("region")
    region: Region | None = Region.objects.filter(code=region_code).first() if region_code.isdigit() else None
    action_type = get("action_type")
    kind = get("kind")
    sort = get("sort") or SortOrder.NEWEST
    try:
        page = max(1, int(get("page") or 1))
    except ValueError:
        page = 1
    filters = Filters(
        agency=agency,
        action_type=action_type if action_type in ActionType.values else None,
        kind=kind if kind in PublicationKind.values else None,
        region=region,
        date_from=_date(get("date_from")),
        date_to=_date(get("date_to")),
    )
    return SearchParams(
        q=q,
        filters=filters,
        agency_id=str(agency.public_id) if agency else "",
        region_code=region.code if region else "",
        sort=sort if sort in SortOrder.values else SortOrder.NEWEST,
        page=page,
    )
