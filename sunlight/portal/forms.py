"""The portal's search and filter forms (GET, no login). Every field is optional and bounded: text is cut off at 40
characters by validation (a longer query is an error, never a server error), agencies are chosen by their opaque id
among the active ones, and choices are checked against their lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sunlight.catalog.choices import LawKind
from sunlight.org.choices import ActionType
from sunlight.org.selectors import public_agencies

from .selectors import QUERY_MAX_LENGTH


class AgencyChoiceField(forms.ModelChoiceField):
    """An active agency chosen by its public id; shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _agency_field(*, with_justice: bool = False) -> AgencyChoiceField:
    qs = public_agencies() if with_justice else public_agencies().filter(is_justice_bureau=False)
    return AgencyChoiceField(
        queryset=qs, to_field_name="public_id", required=False, label=_("执法主体"), empty_label=_("全部执法主体")
    )


class AgencyFilterForm(forms.Form):
    """Lists that can be narrowed to one agency."""

    agency = _agency_field()  # the queryset is copied, and so evaluated afresh, for every form


class OfficerSearchForm(AgencyFilterForm):
    """Officer lookup by name or certificate number (PUB-1)."""

    q = forms.CharField(
        label=_("姓名或执法证号"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        strip=True,
        help_text=_("输入姓名或执法证号的全部或一部分。"),
    )

    field_order = ["q", "agency"]


class ItemFilterForm(AgencyFilterForm):
    """The enforcement item list by agency, action type and name."""

    action_type = forms.ChoiceField(
        label=_("行为类型"), choices=[("", _("全部行为类型")), *ActionType.choices], required=False
    )
    q = forms.CharField(label=_("事项名称"), max_length=QUERY_MAX_LENGTH, required=False, strip=True)

    field_order = ["q", "agency", "action_type"]


class LawFilterForm(forms.Form):
    """Laws and normative documents by rank."""

    kind = forms.ChoiceField(label=_("效力层级"), choices=[("", _("全部")), *LawKind.choices], required=False)


def cleaned(form: forms.Form) -> dict[str, Any] | None:
    """The form's values when every field is valid, else None (the page then shows the errors and no results)."""
    return form.cleaned_data if form.is_valid() else None
