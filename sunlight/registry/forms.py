"""Registry forms: field shapes and choices limited to what the user may see; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.org.choices import EnforcementField
from sunlight.org.models import Agency, Unit, User
from sunlight.org.selectors import agencies_visible_to, units_visible_to

from . import selectors
from .access import holds
from .choices import CAMERA_APPROVERS, CheckResult, EstablishmentKind, SanctionKind
from .models import Auxiliary, Officer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    """A person shown as 姓名（用户名，执法主体）."""

    def label_from_instance(self, obj: Any) -> str:
        agency = obj.agency.short_name or obj.agency.name if obj.agency_id else ""
        return f"{obj.full_name}（{obj.username}{'，' + agency if agency else ''}）"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}（{obj.username}）"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


# --- officers and certificates -------------------------------------------------------------------------------------


class OfficerForm(forms.Form):
    unit = UnitChoiceField(label=_("承办机构"), queryset=Unit.objects.none())
    post = forms.CharField(label=_("岗位/职务"), max_length=60)
    establishment_kind = forms.ChoiceField(label=_("编制类别"), choices=EstablishmentKind.choices)
    establishment_proof = forms.CharField(
        label=_("编制证明"),
        max_length=200,
        required=False,
        help_text=_("编制证明文件的文号或说明；没有编制证明不能发证。"),
    )
    exam_score = forms.DecimalField(label=_("考试成绩"), max_digits=4, decimal_places=1, required=False)
    exam_date = _date_field(_("考试日期"), required=False)
    exam_passed = forms.BooleanField(label=_("执法资格考试合格"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]


class OfficerRegisterForm(OfficerForm):
    person = PersonChoiceField(
        label=_("人员"),
        queryset=User.objects.none(),
        help_text=_("列出本辖区内有“执法人员”角色、尚未登记的账户；新人员请先在用户管理中开设账户。"),
    )
    field_order = ["person", "unit"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].queryset = selectors.registrable_users(user)  # type: ignore[attr-defined]


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("证件编号"), max_length=40)
    issuing_authority = forms.CharField(label=_("发证机关"), max_length=100)
    categories = forms.MultipleChoiceField(
        label=_("执法类别"), choices=EnforcementField.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.CharField(
        label=_("执法区域"),
        max_length=200,
        help_text=_("区划代码，如 341221（临泉县）；多个用逗号或空格分隔。执法区域包括该区划及其下级区划。"),
    )
    issued_on = _date_field(_("发证日期"))
    expires_on = _date_field(_("有效期至"))

    def region_codes(self) -> list[str]:
        return [c for c in self.cleaned_data["regions"].replace("，", ",").replace(",", " ").split() if c]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("年审年度"), min_value=2000, max_value=2100)
    result = forms.ChoiceField(
        label=_("年审结果"),
        choices=[("passed", _("合格")), ("failed", _("不合格（暂扣执法证）"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("处理方式"), choices=SanctionKind.choices)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 3}))
    document_no = forms.CharField(label=_("决定文号"), max_length=60, required=False)
    decided_on = _date_field(_("决定日期"))
    starts_on = _date_field(_("离岗培训开始日期"), required=False)
    ends_on = _date_field(_("离岗培训结束日期"), required=False)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(v, label) for v, label in SanctionKind.choices if v in kinds]  # type: ignore[attr-defined]


class EligibilityForm(forms.Form):
    """The 「执法资格核验」 box: category, region and date to ask `may_act` about."""

    field = forms.ChoiceField(
        label=_("执法类别"), choices=[("", _("不限")), *list(EnforcementField.choices)], required=False
    )
    region = forms.CharField(label=_("执法区域代码"), max_length=9)
    on = _date_field(_("核验日期"))


# --- auxiliaries ---------------------------------------------------------------------------------------------------


class AuxiliaryForm(forms.Form):
    post = forms.CharField(label=_("岗位"), max_length=60)
    duties = forms.CharField(
        label=_("职责"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("辅助人员在执法人员指挥下从事辅助性工作，不得单独执法，不得在执法文书上以执法人员身份签名。"),
    )


class AuxiliaryRegisterForm(AuxiliaryForm):
    person = PersonChoiceField(label=_("人员"), queryset=User.objects.none())
    unit = UnitChoiceField(label=_("承办机构"), queryset=Unit.objects.none())
    hired_on = _date_field(_("聘用日期"))
    field_order = ["person", "unit", "post", "duties", "hired_on"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.registrable_auxiliaries(user)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]


# --- training ------------------------------------------------------------------------------------------------------


class TrainingPlanForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("执法主体"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("培训主题"), max_length=100)
    planned_on = _date_field(_("计划日期"))
    days = forms.DecimalField(label=_("天数"), max_digits=4, decimal_places=1, min_value=0)
    location = forms.CharField(label=_("地点"), max_length=100, required=False)
    content = forms.CharField(label=_("培训内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]


def trainee_users(agencies: Any) -> Any:
    """Accounts with a current officer or auxiliary record in the given agencies."""
    officers = Officer.objects.filter(cleared_on__isnull=True, agency__in=agencies).values("user_id")
    auxiliaries = Auxiliary.objects.filter(left_on__isnull=True, agency__in=agencies).values("user_id")
    return User.objects.filter(Q(pk__in=officers) | Q(pk__in=auxiliaries)).select_related("agency").order_by("username")


class TrainingHoldForm(forms.Form):
    held_on = _date_field(_("举办日期"))
    attendees = PeopleChoiceField(
        label=_("参加人员"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = trainee_users(Agency.objects.filter(pk=agency.pk))  # type: ignore[attr-defined]


class TrainingRecordForm(forms.Form):
    person = PersonChoiceField(label=_("人员"), queryset=User.objects.none())
    topic = forms.CharField(label=_("培训主题"), max_length=100)
    trained_on = _date_field(_("培训日期"))
    days = forms.DecimalField(label=_("天数"), max_digits=4, decimal_places=1, min_value=0)
    organiser = forms.CharField(label=_("组织单位"), max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = trainee_users(agencies_visible_to(user))  # type: ignore[attr-defined]


class PolicyForm(forms.Form):
    officers_per_camera = forms.IntegerField(
        label=_("每台执法记录仪最多对应执法人员数"),
        min_value=1,
        max_value=50,
        help_text=_("默认 5（每5名执法人员至少1台）；要求执法人员与记录仪 2:1 配备的填 2。"),
    )
    officer_training_days = forms.DecimalField(label=_("执法人员年度培训天数"), max_digits=4, decimal_places=1)
    auxiliary_training_days = forms.DecimalField(label=_("辅助人员年度培训天数"), max_digits=4, decimal_places=1)
    agency_trainings_per_year = forms.IntegerField(label=_("执法主体年度业务培训次数"), min_value=1, max_value=24)


# --- body cameras --------------------------------------------------------------------------------------------------


def agency_staff(agency: Agency) -> Any:
    return User.objects.filter(agency=agency, is_active=True).order_by("username")


class CameraForm(forms.Form):
    number = forms.CharField(label=_("设备编号"), max_length=40)
    unit = UnitChoiceField(label=_("使用机构"), queryset=Unit.objects.none())
    administrator = PersonChoiceField(label=_("管理员"), queryset=User.objects.none())
    model_name = forms.CharField(label=_("品牌型号"), max_length=60, required=False)
    serial_no = forms.CharField(label=_("出厂序列号"), max_length=60, required=False)
    acquired_on = _date_field(_("购置日期"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = agencies_visible_to(user)
        self.fields["unit"].queryset = units_visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["administrator"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency__in=agencies, is_active=True
        ).select_related("agency")


class CheckoutForm(forms.Form):
    user = PersonChoiceField(label=_("使用人"), queryset=User.objects.none())
    approver = PersonChoiceField(label=_("批准人"), queryset=User.objects.none())
    purpose = forms.CharField(label=_("用途"), max_length=200)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = trainee_users(Agency.objects.filter(pk=agency.pk))  # type: ignore[attr-defined]
        approvers = [u.pk for u in agency_staff(agency) if holds(u, CAMERA_APPROVERS)]
        self.fields["approver"].queryset = User.objects.filter(pk__in=approvers).select_related("agency")  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("交回备注"), max_length=200, required=False)
    fault = forms.CharField(label=_("发现的故障"), max_length=200, required=False, help_text=_("设备正常则不填。"))


class CheckForm(forms.Form):
    checked_on = _date_field(_("核查日期"), initial=timezone.localdate)
    result = forms.ChoiceField(label=_("核查结果"), choices=CheckResult.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class FaultForm(forms.Form):
    description = forms.CharField(label=_("故障情况"), max_length=200)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("处理结果"), max_length=200)


class AdministratorForm(forms.Form):
    administrator = PersonChoiceField(label=_("新管理员"), queryset=User.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["administrator"].queryset = agency_staff(agency).select_related("agency")  # type: ignore[attr-defined]
