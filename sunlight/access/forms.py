"""Access forms: field shapes only; the rules live in access.services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Action, Decision, RequesterKind


class AccessRequestForm(forms.Form):
    requester_kind = forms.ChoiceField(label=_("申请方"), choices=RequesterKind.choices)
    requester_org = forms.CharField(
        label=_("申请单位"),
        max_length=100,
        required=False,
        help_text=_("公安机关、人民法院、上级机关或当事人调阅时填写。"),
    )
    reason = forms.CharField(label=_("调阅事由"), max_length=300)
    actions = forms.MultipleChoiceField(
        label=_("调阅范围"), choices=Action.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(
        label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}), initial=dt.date.today
    )
    valid_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("审批意见"), max_length=300)
