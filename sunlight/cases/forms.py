"""Forms of the case pages: field shapes and choices limited to the user's agency; the rules live in the services.

The step form is generated from the step's spec (REC-2 fields, the step's required data, the service mode's fields,
the decision's penalty, benchmark and discretion fields, the AV records) and turns what was typed into a `StepInput`.
Money is typed in yuan and converted to fen exactly (Decimal, never float).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.catalog.choices import CatalogKind, Circumstance
from sunlight.catalog.models import EnforcementItem
from sunlight.catalog.selectors import items_held_by
from sunlight.catalog.versioning import current_versions
from sunlight.catalog.workflows import WORKFLOWS
from sunlight.core.models import DeadlineRule
from sunlight.evidence.forms import DateTimeLocalInput
from sunlight.evidence.models import AVRecord
from sunlight.org.choices import Role
from sunlight.org.models import Agency, Region, Unit, User

from .checks import StepInput
from .choices import DocumentType, PartyKind, RecusalOutcome, ServiceMode, Source
from .models import Case, CaseRecord
from .steps import EXTENSIONS, PENALTY_KINDS, RIGHTS, SERVICE_FIELDS, spec_for
from .workflow import step_name

# --- shared field shapes -----------------------------------------------------------------------------------------


def local_now_text() -> str:
    """Now, as the browser's date-and-time picker shows it (Asia/Shanghai, to the minute)."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def yuan_to_fen(value: Decimal | None) -> int | None:
    """An amount in yuan (at most two decimals) as integer fen, exactly; None stays None."""
    if value is None:
        return None
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError("more than two decimals")
    return int(fen)


def fen_to_yuan(value: Any) -> Decimal | None:
    """Integer fen as yuan for a form's initial value."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return Decimal(value) / 100


def _when(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), required=required, help_text=help_text)


def _yuan(label: Any, *, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def _text(label: Any, *, long: bool = False, help_text: Any = "", max_length: int | None = None) -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput()
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text, max_length=max_length)


UNIT_WORDS = {"h": _("小时"), "CD": _("日"), "WD": _("个工作日"), "M": _("个月")}
YES_NO = [("", _("请选择")), ("true", _("是")), ("false", _("否"))]


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, required=False, coerce=lambda v: v == "true", empty_value=None
    )


class PeopleField(forms.ModelMultipleChoiceField):
    """People as 姓名（用户名）, ticked in a list (big touch targets on a phone)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class AVField(forms.ModelMultipleChoiceField):
    """AV records as 内容摘要 · 录制时间 · 执法人员."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        start = timezone.localtime(obj.recorded_from)
        end = timezone.localtime(obj.recorded_to)
        return f"{obj.title} · {start:%m-%d %H:%M}–{end:%H:%M} · {obj.officer.full_name}"


def agency_officers(agency: Agency | None) -> QuerySet[User]:
    """The active people of an agency who hold the officer role (unit heads who are also officers included)."""
    if agency is None:
        return User.objects.none()
    return (
        User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.OFFICER)
        .distinct()
        .order_by("username")
    )


# --- the case list's filters -------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """Filters of the case list (all optional)."""

    q = forms.CharField(label=_("案件编号、案由或当事人"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    workflow = forms.ChoiceField(label=_("办理程序"), required=False)
    mine = forms.BooleanField(label=_("只看我承办的"), required=False)
    level = forms.ChoiceField(
        label=_("期限预警"),
        required=False,
        choices=[("", _("全部")), ("yellow", _("黄色预警")), ("red", _("红色预警"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .choices import CaseStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("全部状态")), *CaseStatus.choices]  # type: ignore[attr-defined]
        self.fields["workflow"].choices = [  # type: ignore[attr-defined]
            ("", _("全部程序")),
            *[(code, wf.name) for code, wf in WORKFLOWS.items()],
        ]


# --- case registration (立案登记) --------------------------------------------------------------------------------


class CaseCreateForm(forms.Form):
    """A new case at the lead stage: workflow, handling unit and item, party, source and the handling officers."""

    workflow = forms.ChoiceField(label=_("办理程序"))
    unit = UnitField(label=_("承办机构"), queryset=Unit.objects.none(), to_field_name="public_id")
    item = forms.ChoiceField(
        label=_("执法事项"),
        required=False,
        help_text=_("列出所选承办机构承担的执法事项（DIS-3）；更换承办机构后列表随之更新。"),
    )
    title = forms.CharField(label=_("案由"), max_length=200, required=False)
    summary = _text(_("案情摘要"), long=True)
    source = forms.ChoiceField(label=_("案件来源"), choices=Source.choices)
    source_ref = _text(_("来源编号"), max_length=120, help_text=_("投诉举报、移送文件或申请的编号（可不填）。"))
    complainant_name = _text(
        _("实名投诉举报人"), max_length=100, help_text=_("投诉举报来源的，填写实名投诉举报人姓名；匿名的不填。")
    )
    party_kind = forms.ChoiceField(label=_("当事人类别"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("当事人"), max_length=200, required=False)
    party_id_number = _text(_("证件号码或统一社会信用代码"), max_length=40)
    party_address = _text(_("当事人地址"), max_length=300)
    party_phone = _text(_("当事人联系电话"), max_length=40)
    region_code = forms.ChoiceField(label=_("执法区域"), required=False)
    officers = PeopleField(
        label=_("承办人员"),
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text=_("您是主办人员；另选至少一名具备执法资格的执法人员共同承办。"),
    )

    def __init__(self, *args: Any, user: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = user.agency
        units = Unit.objects.filter(agency=agency, is_active=True).order_by("id") if agency else Unit.objects.none()
        self.fields["workflow"].choices = [(code, wf.name) for code, wf in WORKFLOWS.items()]  # type: ignore[attr-defined]
        unit_field = self.fields["unit"]
        unit_field.queryset = units  # type: ignore[attr-defined]
        unit_field.widget.attrs.update(
            {"hx-trigger": "change", "hx-target": "#item-field", "hx-select": "#item-field", "hx-swap": "outerHTML"}
        )
        chosen = unit or self._chosen_unit(units) or (user.unit if user.unit_id and user.unit in units else None)
        if chosen is None:
            chosen = units.first()
        if chosen is not None and not self.is_bound:
            self.initial.setdefault("unit", chosen.public_id)
        self.items: dict[str, EnforcementItem] = {}
        choices: list[tuple[str, str]] = [("", str(_("不选（暂未确定执法事项）")))]
        if chosen is not None:
            for version in items_held_by(unit=chosen):
                entry = version.entry
                self.items[str(entry.public_id)] = entry
                choices.append((str(entry.public_id), f"{version.name}（{entry.get_action_type_display()}）"))
        self.fields["item"].choices = choices  # type: ignore[attr-defined]
        regions: list[tuple[str, str]] = []
        if agency is not None:
            top = agency.region
            regions = [(top.code, top.name)] + [
                (r.code, f"{top.name}{r.name}")
                for r in Region.objects.filter(code__startswith=top.code).exclude(code=top.code).order_by("code")
            ]
        self.fields["region_code"].choices = regions  # type: ignore[attr-defined]
        self.fields["officers"].queryset = agency_officers(agency).exclude(pk=user.pk)  # type: ignore[attr-defined]
        for name in ("title", "party_name"):  # required by the service, which says so in its own words
            self.fields[name].required_mark = True  # type: ignore[attr-defined]

    def _chosen_unit(self, units: QuerySet[Unit]) -> Unit | None:
        key = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        try:
            wanted = uuid.UUID(str(key)) if key else None
        except ValueError:
            wanted = None
        return units.filter(public_id=wanted).first() if wanted else None

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `services.case_create` from the cleaned data."""
        data = self.cleaned_data
        return {
            "workflow": data["workflow"],
            "unit": data["unit"],
            "item": self.items.get(data.get("item") or ""),
            "title": data.get("title") or "",
            "summary": data.get("summary") or "",
            "source": data["source"],
            "source_ref": data.get("source_ref") or "",
            "complainant_name": data.get("complainant_name") or "",
            "party_kind": data["party_kind"],
            "party_name": data.get("party_name") or "",
            "party_id_number": data.get("party_id_number") or "",
            "party_address": data.get("party_address") or "",
            "party_phone": data.get("party_phone") or "",
            "region_code": data.get("region_code") or "",
            "officers": list(data.get("officers") or []),
        }


# --- step forms (REC-2) ------------------------------------------------------------------------------------------

LONG_TEXT = {
    "facts",
    "reasons",
    "items",
    "proposed",
    "statement",
    "participants",
    "conclusion",
    "basis",
    "reminder",
    "summary",
    "plan",
    "findings",
    "follow_up",
    "opinion",
    "materials",
    "missing",
    "complainant_notice",
    "discretion_reasons",
    "refusal",
}
TIME_KEYS = {"hearing_at", "received_at", "mailed_at", "posted_at"}
YES_NO_KEYS = {"approved", "granted"}
MONEY_KEYS = {"paid_fen": _("缴纳金额（元）")}

COERCION_HANDLING = [
    ("", _("请选择")),
    ("release", _("解除查封、扣押")),
    ("confiscate", _("依法没收")),
    ("destroy", _("依法销毁")),
    ("transfer", _("移送有关机关处理")),
]

# Facts that make a decision major (REV-1) besides the amounts and kinds; the classification reads them from data.
MAJOR_FLAGS = [
    ("complex", _("案件情况疑难复杂、涉及多个法律关系")),
    ("public_interest", _("涉及重大公共利益")),
    ("social_risk", _("可能造成重大社会影响或者引发社会风险")),
    ("third_party_rights", _("直接关系当事人或者第三人重大权益")),
    ("suspected_crime", _("涉嫌犯罪、需要移送司法机关")),
]
DECISION_STEPS = {"penalty:decision", "penalty_simple:onsite_decision"}
# Service errors name the data key; the form field of a money amount is in yuan.
FIELD_ALIASES = {
    "fine_fen": "fine_yuan",
    "paid_fen": "paid_yuan",
    "goods_value_fen": "goods_value_yuan",
    "illegal_gains_fen": "illegal_gains_yuan",
    "confiscation_fen": "confiscation_yuan",
    "surcharge_fen": "paid_yuan",
}


@dataclass
class FieldGroup:
    """A fieldset of the step form: its legend, its fields, and (for the service modes) the mode it belongs to."""

    legend: str
    fields: list[Any]
    mode: str = ""
    note: str = ""


def _benchmark_choices(case: Case) -> list[tuple[str, str]]:
    """The agency's benchmarks in force, those of the case's item first."""
    versions = list(
        current_versions(CatalogKind.BENCHMARK, on=timezone.localdate(), agency=case.agency).select_related("entry")
    )
    versions.sort(key=lambda v: (v.entry.item_id != case.item_id, v.entry.code))
    return [("", str(_("不适用裁量基准")))] + [
        (str(v.entry.public_id), f"{v.entry.code} {v.violation}") for v in versions
    ]


def av_records_for(*, user: Any, case: Case, extra: list[str] | None = None) -> QuerySet[AVRecord]:
    """The AV records a step of the case may link: the user's visible records of the agency from the last 60 days,
    and every record registered for this case (by its number)."""
    from sunlight.evidence.selectors import records_visible_to

    since = timezone.now() - timedelta(days=60)
    visible = records_visible_to(user).filter(agency=case.agency, recorded_to__gte=since).values_list("pk", flat=True)
    keys = set(visible[:200])
    keys |= set(AVRecord.objects.filter(agency=case.agency, case_number=case.number).values_list("pk", flat=True))
    if extra:
        keys |= set(
            records_visible_to(user).filter(agency=case.agency, public_id__in=extra).values_list("pk", flat=True)
        )
    return AVRecord.objects.filter(pk__in=keys).select_related("officer").order_by("-recorded_to", "-id")


class StepForm(forms.Form):
    """One step's record, its fields generated from the step spec (REC-2, REC-5, REC-7, DIS-2)."""

    def __init__(
        self, data: Any = None, *, case: Case, step: str, user: Any, av_extra: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.case = case
        self.step = step
        self.key = f"{case.workflow}:{step}"
        self.spec = spec = spec_for(case.workflow, step)
        self.step_label = step_name(case.workflow, step)
        self.groups: list[FieldGroup] = []
        self.data_keys: list[str] = []
        f = self.fields

        # When and where.
        f["occurred_at"] = _when(_("时间"), required=True)
        self.initial.setdefault("occurred_at", local_now_text())
        f["place"] = _text(
            _("地点"), max_length=200, help_text=_("现场执法的，填写执法地点。") if spec.field_work else ""
        )
        f["place"].required_mark = spec.field_work  # type: ignore[attr-defined]
        self._group(_("时间和地点"), ["occurred_at", "place"])

        # Officers, certificates and the party (REC-2, PUB-3).
        if spec.field_work or spec.party_facing:
            team = Case.officers.through.objects.filter(case=case, user=OuterRef("pk"))
            f["officers"] = PeopleField(
                label=_("执法人员"),
                queryset=agency_officers(case.agency).annotate(on_case=Exists(team)).order_by("-on_case", "username"),
                to_field_name="public_id",
                required=False,
                help_text=_("至少两名具备执法资格的执法人员（《行政处罚法》第四十二条）。"),
            )
            self.initial.setdefault("officers", [u.public_id for u in case.officers.all()])
            f["certificates_shown"] = forms.BooleanField(label=_("已出示执法证件"), required=False)
            self._group(_("执法人员"), ["officers", "certificates_shown"])
        if spec.party_facing:
            f["party_present"] = forms.BooleanField(label=_("当事人在场"), required=False)
            f["party_signed"] = forms.BooleanField(label=_("当事人已签名"), required=False)
            f["refusal_note"] = _text(
                _("拒绝签名情况"), max_length=300, help_text=_("当事人拒绝签名的，记录拒签情况和见证人。")
            )
            self._group(_("当事人：%(p)s") % {"p": case.party_name}, ["party_present", "party_signed", "refusal_note"])
        if spec.rights:
            f["rights_notified"] = forms.MultipleChoiceField(
                label=_("已告知的权利"),
                choices=[(k, v) for k, v in RIGHTS.items()],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            f["rights_how"] = _text(_("告知方式"), max_length=100, help_text=_("口头告知、书面告知（送达告知书）等。"))
            self._group(_("权利告知"), ["rights_notified", "rights_how"])

        # The step's own content and data.
        f["content"] = _text(_("记录内容"), long=True)
        names = ["content"]
        for key, label in spec.required:
            names += self._data_field(key, label, required=True)
        for key, label in self._extras():
            names += self._data_field(key, label, required=False)
        if spec.reasons and "reasons" not in names:
            names += self._data_field("reasons", _("理由"), required=True)
        self._group(self.step_label, names)

        if step == "service":
            self._service_fields()
        if self.key in DECISION_STEPS:
            self._decision_fields()

        # AV records (REC-5).
        f["av_records"] = AVField(
            label=_("关联的音像记录、照片"),
            queryset=av_records_for(user=user, case=case, extra=av_extra),
            to_field_name="public_id",
            required=False,
        )
        if av_extra:
            self.initial.setdefault("av_records", av_extra)
        self._group(_("音像记录"), ["av_records"])

    # -- building ---------------------------------------------------------------------------------------------

    def _group(self, legend: Any, names: list[str], *, mode: str = "", note: Any = "") -> None:
        self.groups.append(FieldGroup(str(legend), names, mode=mode, note=str(note)))

    def _extras(self) -> list[tuple[str, Any]]:
        """Optional data a step may carry beyond its required fields."""
        extras: list[tuple[str, Any]] = []
        if self.key == "penalty:statement":
            extras.append(("waived_hearing", _("当事人明确放弃听证")))
        if self.step == "extension" and self.case.workflow == "penalty":
            extras.append(("collective", _("经机关负责人集体讨论决定")))
        if self.step == "not_opened" and self.case.complainant_name:
            extras.append(("complainant_notice", _("告知实名投诉举报人的情况")))
        return extras

    def _data_field(self, key: str, label: Any, *, required: bool) -> list[str]:
        """Add the form field of a data key; returns the form field names added."""
        f = self.fields
        if key in self.data_keys:
            return []
        self.data_keys.append(key)
        if key == "kinds":
            f[key] = forms.MultipleChoiceField(
                label=label,
                choices=list(PENALTY_KINDS.items()),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        elif key in MONEY_KEYS:
            name = FIELD_ALIASES[key]
            f[name] = _yuan(MONEY_KEYS[key])
            f[name].required_mark = required  # type: ignore[attr-defined]
            return [name]
        elif key == "amount":
            rule = EXTENSIONS.get(self.case.workflow, ("", 0))
            found = DeadlineRule.objects.filter(code=rule[0]).first()
            unit = str(UNIT_WORDS.get(found.unit, "")) if found is not None else ""
            f[key] = forms.IntegerField(
                label=_("延长期限（%(unit)s）") % {"unit": unit} if unit else label,
                required=False,
                min_value=1,
                help_text=_("最多延长%(n)d%(unit)s。") % {"n": rule[1], "unit": unit} if rule[1] else "",
            )
        elif key in TIME_KEYS:
            f[key] = _when(label)
        elif key in YES_NO_KEYS:
            f[key] = _yes_no(label)
        elif key == "handling" and self.case.workflow == "coercion":
            f[key] = forms.ChoiceField(label=label, choices=COERCION_HANDLING, required=False)
        elif key in {"waived_hearing", "collective"}:
            f[key] = forms.BooleanField(label=label, required=False)
        else:
            f[key] = _text(label, long=key in LONG_TEXT)
        f[key].required_mark = required  # type: ignore[attr-defined]
        return [key]

    def _service_fields(self) -> None:
        """REC-7: the mode, and each mode's own fields (only the chosen mode's are checked)."""
        self.fields["variant"] = forms.ChoiceField(
            label=_("送达方式"), choices=[("", _("请选择")), *ServiceMode.choices], required=False
        )
        self.fields["variant"].required_mark = True  # type: ignore[attr-defined]
        self.fields["variant"].widget.attrs["data-service-mode"] = "1"
        self._group(_("送达方式"), ["variant"])
        for mode, fields in SERVICE_FIELDS.items():
            names: list[str] = []
            for key, label in fields:
                names += self._data_field(key, label, required=True)
            note = _("须附张贴现场的照片或视频。") if mode == "public_notice" else ""
            if mode == "lodged":
                note = _("留置送达须全程录像。")
            self._group(ServiceMode(mode).label, names, mode=mode, note=note)

    def _decision_fields(self) -> None:
        """DIS-2, REV-1: the fine in yuan, the base amounts, the benchmark and circumstance, the discretion reasons,
        and the facts that make a decision major."""
        f = self.fields
        f["fine_yuan"] = _yuan(_("罚款金额（元）"), help_text=_("处罚种类含罚款的必填；按元填写，可到分。"))
        f["goods_value_yuan"] = _yuan(_("货值金额（元）"), help_text=_("裁量基准按货值金额分档或计算倍数的填写。"))
        f["illegal_gains_yuan"] = _yuan(_("违法所得（元）"))
        f["confiscation_yuan"] = _yuan(_("没收违法所得、非法财物价值（元）"))
        f["benchmark"] = forms.ChoiceField(label=_("裁量基准"), choices=_benchmark_choices(self.case), required=False)
        f["circumstance"] = forms.ChoiceField(
            label=_("情节档次"), choices=[("", _("请选择")), *Circumstance.choices], required=False
        )
        f["discretion_reasons"] = _text(
            _("裁量理由"), long=True, help_text=_("拟作出的处罚超出裁量基准的，须书面说明理由（DIS-2）。")
        )
        f["document_number"] = _text(_("决定书文号"), max_length=80)
        money = ["fine_yuan", "goods_value_yuan", "illegal_gains_yuan", "confiscation_yuan"]
        self._group(_("罚款与裁量"), [*money, "benchmark", "circumstance", "discretion_reasons", "document_number"])
        for key, label in MAJOR_FLAGS:
            f[key] = forms.BooleanField(label=label, required=False)
        self._group(
            _("重大执法决定情形"),
            [k for k, _label in MAJOR_FLAGS],
            note=_("金额、吊销许可证件、责令停产停业、经过听证等情形由系统按本机关目录自动判断；其他情形请勾选。"),
        )

    # -- reading ----------------------------------------------------------------------------------------------

    def bound_groups(self) -> list[dict[str, Any]]:
        """The groups with bound fields, for the template."""
        return [
            {"legend": g.legend, "fields": [self[name] for name in g.fields], "mode": g.mode, "note": g.note}
            for g in self.groups
            if g.fields
        ]

    def step_input(self) -> StepInput:
        """What was typed, as the service's input (call after is_valid)."""
        c = self.cleaned_data
        data: dict[str, Any] = {}
        for key in self.data_keys:
            if key in MONEY_KEYS:
                value: Any = yuan_to_fen(c.get(FIELD_ALIASES[key]))
            elif key in TIME_KEYS:
                moment = c.get(key)
                value = timezone.localtime(moment).isoformat() if isinstance(moment, datetime) else None
            else:
                value = c.get(key)
            if value is None or value == "" or value == [] or value is False:
                continue
            data[key] = value
        if self.key in DECISION_STEPS:
            for name in ("fine", "goods_value", "illegal_gains", "confiscation"):
                fen = yuan_to_fen(c.get(f"{name}_yuan"))
                if fen is not None:
                    data[f"{name}_fen"] = fen
            for key in ("benchmark", "circumstance", "discretion_reasons", "document_number"):
                if c.get(key):
                    data[key] = c[key]
            for key, _label in MAJOR_FLAGS:
                if c.get(key):
                    data[key] = True
        variant = c.get("variant") or ""
        if self.step == "service" and variant in SERVICE_FIELDS:
            wanted = {k for k, _label in SERVICE_FIELDS[variant]}
            others = {k for fields in SERVICE_FIELDS.values() for k, _label in fields} - wanted
            data = {k: v for k, v in data.items() if k not in others}
        return StepInput(
            occurred_at=c["occurred_at"],
            place=c.get("place") or "",
            officers=list(c.get("officers") or []),
            certificates_shown=bool(c.get("certificates_shown")),
            party_present=bool(c.get("party_present")),
            rights_notified=list(c.get("rights_notified") or []),
            rights_how=c.get("rights_how") or "",
            content=c.get("content") or "",
            data=data,
            party_signed=bool(c.get("party_signed")),
            refusal_note=c.get("refusal_note") or "",
            variant=variant,
            av_records=list(c.get("av_records") or []),
        )

    def field_for(self, service_field: str) -> str | None:
        """The form field a service error names, or None (the error then shows above the form)."""
        name = FIELD_ALIASES.get(service_field, service_field)
        return name if name in self.fields else None


# --- conflicts and recusal (DIS-4) --------------------------------------------------------------------------------


class ConflictForm(forms.Form):
    """A declared conflict of an officer in the case, or a party's application for recusal."""

    officer = PersonField(label=_("需回避的人员"), queryset=User.objects.none(), to_field_name="public_id")
    reason = forms.CharField(label=_("回避事由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    by_party = forms.BooleanField(label=_("当事人申请回避"), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(Q(pk__in=case.officers.values("pk")) | Q(pk=case.lead_officer_id))
        people = people | User.objects.filter(
            agency=case.agency,
            is_active=True,
            role_grants__role__in=[Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER],
        )
        self.fields["officer"].queryset = people.distinct().order_by("username")  # type: ignore[attr-defined]


class RecusalForm(forms.Form):
    """The head's decision on a declared conflict."""

    outcome = forms.ChoiceField(label=_("决定"), choices=RecusalOutcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    collective = forms.BooleanField(label=_("经机关负责人集体讨论决定"), required=False)


class AssignForm(forms.Form):
    """More officers for the case (a conflicted officer cannot be assigned)."""

    officers = PeopleField(label=_("增加承办人员"), queryset=User.objects.none(), to_field_name="public_id")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = agency_officers(case.agency).exclude(  # type: ignore[attr-defined]
            pk__in=case.officers.values("pk")
        )


# --- documents (REC-15) -------------------------------------------------------------------------------------------


class DocumentForm(forms.Form):
    """Generate a standard document from the case data, optionally for one record."""

    doc_type = forms.ChoiceField(label=_("文书种类"), choices=DocumentType.choices)
    record = forms.ChoiceField(label=_("依据的办理记录"), required=False)

    def __init__(self, *args: Any, case: Case, records: list[CaseRecord], **kwargs: Any) -> None:
        from .documents import SOURCES

        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in DocumentType.choices
            if value in SOURCES and (not SOURCES[value].workflows or case.workflow in SOURCES[value].workflows)
        ]
        self.records = {str(r.public_id): r for r in records}
        self.fields["record"].choices = [("", _("整个案件"))] + [  # type: ignore[attr-defined]
            (
                str(r.public_id),
                f"{r.seq}. {step_name(case.workflow, r.step)} {timezone.localtime(r.occurred_at):%Y-%m-%d}",
            )
            for r in records
        ]


# --- push tokens (SYS-5) ------------------------------------------------------------------------------------------


class ApiClientForm(forms.Form):
    """A new token for another case system, limited to some agencies."""

    name = forms.CharField(label=_("系统名称"), max_length=120, required=False)
    agencies = forms.ModelMultipleChoiceField(
        label=_("可推送的执法主体"),
        queryset=Agency.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from sunlight.org.selectors import agencies_visible_to

        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies_visible_to(user).filter(  # type: ignore[attr-defined]
            is_justice_bureau=False
        )
