"""Workbench forms: field shapes and choices limited to what the user may see; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sunlight.core.choices import DayKind
from sunlight.org.choices import AgencyKind, Level, Role
from sunlight.org.models import Agency, Region
from sunlight.org.selectors import agencies_visible_to, regions_visible_to, units_visible_to


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class RegionForm(forms.Form):
    code = forms.CharField(label=_("区划代码"), max_length=9, help_text=_("县级及以上6位，乡镇9位。"))
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices)
    parent = RegionChoiceField(label=_("上级区划"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = regions_visible_to(user)  # type: ignore[attr-defined]


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), min_length=18, max_length=18)
    kind = forms.ChoiceField(label=_("主体类别"), choices=AgencyKind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices)
    region = RegionChoiceField(label=_("所在区划"), queryset=Region.objects.none())
    is_justice_bureau = forms.BooleanField(label=_("司法行政部门（执法监督机关）"), required=False)
    supervisor = forms.ModelChoiceField(label=_("执法监督机关"), queryset=Agency.objects.none(), required=False)
    legal_basis = forms.CharField(
        label=_("执法依据（职权来源）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    duties = forms.CharField(label=_("主要职责"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    address = forms.CharField(label=_("办公地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    office_hours = forms.CharField(label=_("办公时间"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user)  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = Agency.objects.filter(is_justice_bureau=True)  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=100)
    is_legal_department = forms.BooleanField(label=_("法制审核机构"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)


class UserBaseForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=Agency.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("承办机构"), queryset=Agency.objects.none(), required=False)
    region = RegionChoiceField(label=_("所属区划（监督人员）"), queryset=Region.objects.none(), required=False)
    roles = forms.MultipleChoiceField(label=_("角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_visible_to(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_visible_to(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions_visible_to(user)  # type: ignore[attr-defined]


class UserCreateForm(UserBaseForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("用户首次登录时须修改。"),
    )
    field_order = ["username", "password", "full_name", "phone", "agency", "unit", "region", "roles"]


class UserEditForm(UserBaseForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("新的初始密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class CalendarOverrideForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(label=_("名称或依据"), max_length=100)
    region = RegionChoiceField(
        label=_("适用区划"), queryset=Region.objects.none(), required=False, empty_label=_("全国（国务院统一安排）")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user)  # type: ignore[attr-defined]


class CalendarImportForm(forms.Form):
    lines = forms.CharField(
        label=_("放假和调休安排"),
        strip=False,  # keep the user's line numbers for the per-line errors
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "2027-01-01 休 元旦\n2027-02-06~2027-02-13 休 春节\n2027-02-14 班 春节调休",
            }
        ),
        help_text=_("每行一天或一段：日期（或 起始日~结束日） 休/班/恢复 名称。"),
    )
    region = RegionChoiceField(
        label=_("适用区划"), queryset=Region.objects.none(), required=False, empty_label=_("全国（国务院统一安排）")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_visible_to(user)  # type: ignore[attr-defined]


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("依据（如国务院办公厅通知文号）"), max_length=200)


class DeadlineRuleForm(forms.Form):
    yellow_percent = forms.IntegerField(label=_("剩余比例预警（%）"), min_value=0, max_value=100)
    yellow_min = forms.IntegerField(
        label=_("至少提前"), min_value=0, max_value=365, help_text=_("与期限同一计时单位；按月计算的期限按工作日。")
    )


class RolePolicyForm(forms.Form):
    require_otp_roles = forms.MultipleChoiceField(
        label=_("登录须使用动态口令的角色"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
