"""Forms of the evidence pages: field shapes and choices only; the rules live in services (REC-6, REC-13)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import Role
from sunlight.org.models import User
from sunlight.org.selectors import users_visible_to

from .choices import CUSTODIAN_ROLES, RetentionReason, Scene, StatementForm


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker (shown and read in Asia/Shanghai)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _when(label: Any, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), required=required)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}（{obj.username}）"


class AVRecordForm(forms.Form):
    """Registration of an AV recording (REC-6)."""

    title = forms.CharField(label=_("内容摘要"), max_length=200)
    scene = forms.ChoiceField(label=_("记录场景"), choices=Scene.choices)
    officer = OfficerChoiceField(
        label=_("执法人员"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("不选时登记在本人名下。"),
    )
    device_number = forms.CharField(label=_("执法记录仪编号"), max_length=60)
    recorded_from = _when(_("录制开始"))
    recorded_to = _when(_("录制结束"))
    place = forms.CharField(label=_("地点"), max_length=200)
    field_work = forms.BooleanField(label=_("外出执法（返回单位后24小时内上传）"), required=False)
    returned_at = _when(_("返回单位时间"), required=False)
    case_number = forms.CharField(label=_("案件编号"), max_length=80, required=False)
    case_step = forms.CharField(
        label=_("执法环节"), max_length=60, required=False, help_text=_("如：立案、调查取证、听证、送达。")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.is_superuser or user.role_codes & CUSTODIAN_ROLES:
            officers = users_visible_to(user).filter(role_grants__role=Role.OFFICER, is_active=True)
            self.fields["officer"].queryset = officers.order_by("full_name")  # type: ignore[attr-defined]
        else:
            del self.fields["officer"]


class InterruptionForm(forms.Form):
    """An interruption of a recording and its reason (REC-6)."""

    started_at = _when(_("中断开始"))
    ended_at = _when(_("恢复录制"))
    reason = forms.CharField(label=_("中断原因"), max_length=300)
    statement_form = forms.ChoiceField(label=_("说明方式"), choices=StatementForm.choices)


class RetentionFlagForm(forms.Form):
    """A long-term retention flag (REC-13)."""

    reason = forms.ChoiceField(label=_("长期保存事由"), choices=RetentionReason.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class RetentionLiftForm(forms.Form):
    """The end of a long-term retention flag."""

    reason = forms.CharField(label=_("解除理由"), max_length=300)
