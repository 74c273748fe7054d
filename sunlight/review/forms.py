"""Forms of the legal-review pages: the submission with its draft decision (money typed in yuan, converted to fen
exactly with Decimal), and one small form per review action. Forms only read what was typed; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sunlight.cases.forms import MAJOR_FLAGS, fen_to_yuan, yuan_to_fen
from sunlight.cases.models import Case
from sunlight.cases.steps import PENALTY_KINDS
from sunlight.catalog.choices import CatalogKind, Circumstance
from sunlight.org.models import User

from .choices import Outcome

MONEY = (
    ("fine", _("罚款金额（元）")),
    ("goods_value", _("货值金额（元）")),
    ("illegal_gains", _("违法所得（元）")),
    ("confiscation", _("没收违法所得、非法财物价值（元）")),
)
UPLOAD_MAX_BYTES = 50 * 1024 * 1024
UPLOAD_MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files (optional), each at most UPLOAD_MAX_BYTES."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > UPLOAD_MAX_FILES:
            raise forms.ValidationError(_("一次最多上传%(n)d个文件。") % {"n": UPLOAD_MAX_FILES})
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            if upload.size > UPLOAD_MAX_BYTES:
                raise forms.ValidationError(
                    _("文件“%(n)s”超过%(m)dMB。") % {"n": upload.name, "m": UPLOAD_MAX_BYTES // 1024 // 1024}
                )
        return cleaned


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


def _long(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def benchmark_choices(case: Case) -> list[tuple[str, str]]:
    """The agency's benchmarks in force, those of the case's item first."""
    from sunlight.catalog.versioning import current_versions

    versions = list(
        current_versions(CatalogKind.BENCHMARK, on=timezone.localdate(), agency=case.agency).select_related("entry")
    )
    versions.sort(key=lambda v: (v.entry.item_id != case.item_id, v.entry.code))
    return [("", str(_("不适用裁量基准")))] + [
        (str(v.entry.public_id), f"{v.entry.code} {v.violation}") for v in versions
    ]


class SubmitForm(forms.Form):
    """The draft decision submitted for legal review (REV-3): facts, basis, kinds, amounts, benchmark, circumstance,
    discretion reasons, the facts that make a decision major, urgency and optional uploads."""

    facts = _long(_("违法事实"), required=True, rows=4)
    basis = _long(_("法律依据"), required=True, rows=2)
    kinds = forms.MultipleChoiceField(
        label=_("处罚种类"), choices=list(PENALTY_KINDS.items()), widget=forms.CheckboxSelectMultiple, required=False
    )
    fine_yuan = _yuan(MONEY[0][1], help_text=_("按元填写，可到分。"))
    goods_value_yuan = _yuan(MONEY[1][1], help_text=_("裁量基准按货值金额分档或计算倍数的填写。"))
    illegal_gains_yuan = _yuan(MONEY[2][1])
    confiscation_yuan = _yuan(MONEY[3][1])
    benchmark = forms.ChoiceField(label=_("裁量基准"), required=False)
    circumstance = forms.ChoiceField(
        label=_("情节档次"), choices=[("", _("请选择")), *Circumstance.choices], required=False
    )
    discretion_reasons = _long(_("裁量理由"), help_text=_("拟作出的处罚超出裁量基准的，须书面说明理由。"))
    urgent = forms.BooleanField(label=_("紧急（法制审核在1个工作日内完成）"), required=False)
    uploads = MultipleFileField(
        label=_("其他材料（可选）"), help_text=_("可多选；预览后须重新选择文件。每个文件不超过50MB。")
    )

    def __init__(self, data: Any = None, files: Any = None, *, case: Case, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.case = case
        self.fields["benchmark"].choices = benchmark_choices(case)  # type: ignore[attr-defined]
        for key, label in MAJOR_FLAGS:
            self.fields[key] = forms.BooleanField(label=label, required=False)
        self.order_fields(
            [
                "facts",
                "basis",
                "kinds",
                *[f"{name}_yuan" for name, _label in MONEY],
                "benchmark",
                "circumstance",
                "discretion_reasons",
                *[k for k, _label in MAJOR_FLAGS],
                "urgent",
                "uploads",
            ]
        )

    @staticmethod
    def initial_from(draft: dict[str, Any]) -> dict[str, Any]:
        """A stored draft (fen) as the form's initial values (yuan), for a resubmission."""
        initial: dict[str, Any] = {
            key: draft.get(key)
            for key in ("facts", "basis", "kinds", "benchmark", "circumstance", "discretion_reasons")
        }
        for name, _label in MONEY:
            initial[f"{name}_yuan"] = fen_to_yuan(draft.get(f"{name}_fen"))
        for key, _label in MAJOR_FLAGS:
            initial[key] = bool(draft.get(key))
        return {k: v for k, v in initial.items() if v not in (None, "", [])}

    def draft(self) -> dict[str, Any]:
        """The draft decision as the service takes it (amounts in fen); call after is_valid."""
        c = self.cleaned_data
        out: dict[str, Any] = {
            "facts": (c.get("facts") or "").strip(),
            "basis": (c.get("basis") or "").strip(),
            "kinds": list(c.get("kinds") or []),
        }
        for name, _label in MONEY:
            fen = yuan_to_fen(c.get(f"{name}_yuan"))
            if fen is not None:
                out[f"{name}_fen"] = fen
        for key in ("benchmark", "circumstance", "discretion_reasons"):
            if c.get(key):
                out[key] = c[key].strip() if isinstance(c[key], str) else c[key]
        for key, _label in MAJOR_FLAGS:
            if c.get(key):
                out[key] = True
        return out


class UnitDecisionForm(forms.Form):
    """The handling unit head's first-level review (REV-12)."""

    decision = forms.ChoiceField(
        label=_("初审结论"),
        choices=[("pass", _("通过，报送法制审核机构")), ("return", _("退回承办人员"))],
        widget=forms.RadioSelect,
    )
    reasons = _long(_("意见或退回理由"), help_text=_("退回须写明理由。"))

    def call(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {"passed": c["decision"] == "pass", "reasons": c.get("reasons") or ""}


class CompletenessForm(forms.Form):
    """The legal department checks the package: complete (accept) or one notice listing everything missing
    (REV-4). The button pressed says which."""

    missing = _long(
        _("缺少的材料"),
        rows=4,
        help_text=_("每行一项，一次列明全部缺少的材料；材料齐全的不填，点“材料齐全，接收审核”。"),
    )
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("notice", "notice")], widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        if c.get("decision") == "notice" and not _lines(c.get("missing") or ""):
            self.add_error("missing", _("请逐项列明缺少的材料（每行一项）。"))
        return c

    def call(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {"missing": _lines(c.get("missing") or "") if c["decision"] == "notice" else []}


class SupplementForm(forms.Form):
    """The handling unit supplies what the notice listed, once (REV-4)."""

    items = _long(_("补正的材料"), rows=4, help_text=_("每行一项，对应告知书列明的缺少材料。"))
    uploads = MultipleFileField(label=_("上传补正材料（可选）"))

    def call(self) -> dict[str, Any]:
        return {"items": _lines(self.cleaned_data.get("items") or "")}


class AssignForm(forms.Form):
    """Assign a reviewer of the legal department."""

    reviewer: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("审核人员"), queryset=User.objects.none(), empty_label=_("请选择")
    )

    def __init__(self, *args: Any, reviewers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]
        self.fields["reviewer"].label_from_instance = lambda u: u.full_name or u.username  # type: ignore[attr-defined]

    def call(self) -> dict[str, Any]:
        return {"reviewer": self.cleaned_data["reviewer"]}


class ReasonForm(forms.Form):
    """A reason (pause, extension)."""

    reason = _long(_("原因"), rows=2)

    def call(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data.get("reason") or ""}


class PauseForm(ReasonForm):
    reason = _long(
        _("中止计时的原因"), rows=2, help_text=_("如：征求专家意见、核实有关情况（REV-7，不计入审核期限）。")
    )


class ExtendForm(ReasonForm):
    reason = _long(_("延长理由"), rows=2, help_text=_("案情复杂的，经机关负责人批准可延长2个工作日，只能延长一次。"))


class ResumeForm(forms.Form):
    note = _long(_("说明"), rows=2, help_text=_("如：专家意见已返回。"))

    def call(self) -> dict[str, Any]:
        return {"note": self.cleaned_data.get("note") or ""}


class CounselForm(forms.Form):
    """Outside counsel's written opinion (REV-9)."""

    counsel = forms.CharField(label=_("法律顾问或公职律师"), max_length=100, required=False)
    opinion = _long(_("书面意见"), rows=3)

    def call(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {"counsel": c.get("counsel") or "", "opinion": c.get("opinion") or ""}


class OpinionForm(forms.Form):
    """The legal department's opinion with reasons (REV-6)."""

    outcome = forms.ChoiceField(label=_("审核意见"), choices=Outcome.choices, widget=forms.RadioSelect, required=False)
    reasons = _long(_("理由"), rows=4)

    def call(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {"outcome": c.get("outcome") or "", "reasons": c.get("reasons") or ""}


class DisagreeForm(forms.Form):
    """The handling unit disagrees with the opinion: expert panel (REV-10)."""

    reasons = _long(_("分歧意见"), rows=3)

    def call(self) -> dict[str, Any]:
        return {"reasons": self.cleaned_data.get("reasons") or ""}


class PanelForm(forms.Form):
    """The expert panel's opinion (REV-10)."""

    experts = forms.CharField(label=_("论证专家"), max_length=200, required=False)
    opinion = _long(_("论证意见"), rows=3)
    agreed = forms.ChoiceField(
        label=_("论证结果"),
        choices=[
            ("yes", _("分歧已解决，由法制审核机构出具审核意见")),
            ("no", _("分歧未解决，提交机关负责人集体讨论")),
        ],
        widget=forms.RadioSelect,
    )

    def call(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {"experts": c.get("experts") or "", "opinion": c.get("opinion") or "", "agreed": c["agreed"] == "yes"}


class CollectiveForm(forms.Form):
    """The leadership's collective decision (REV-10)."""

    outcome = forms.ChoiceField(label=_("决定"), choices=Outcome.choices, widget=forms.RadioSelect, required=False)
    participants = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    reasons = _long(_("讨论结论及理由"), rows=3)

    def call(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "outcome": c.get("outcome") or "",
            "participants": c.get("participants") or "",
            "reasons": c.get("reasons") or "",
        }


class QueueFilterForm(forms.Form):
    """The queue's filters."""

    status = forms.ChoiceField(label=_("状态"), required=False)
    mine = forms.BooleanField(label=_("只看指派给我的"), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .choices import ReviewStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("待办（未办结）")), *ReviewStatus.choices]  # type: ignore[attr-defined]
