"""Forms of the catalog workbench pages. They only parse input into the shapes the services take (content and meta
dictionaries); every rule is checked by the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sunlight.core.choices import Unit as PeriodUnit
from sunlight.org.choices import ActionType, EnforcementField
from sunlight.org.models import Unit

from .choices import (
    AmendmentKind,
    AvRequirement,
    BandBasis,
    CatalogKind,
    Circumstance,
    Criterion,
    LawKind,
    Measure,
    PartyKind,
    PenaltyKind,
)
from .excel import BOOK_LABELS, BOOKS, CellError, read_articles
from .models import Article, EnforcementItem
from .numerals import decimal_text, fen_to_yuan, parse_article_lines, yuan_to_fen
from .rules import LevelSpec, PenaltySpec
from .workflows import step_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})
BLANK: list[tuple[str, Any]] = [("", "—")]


def _yuan_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal(0), decimal_places=2, max_digits=14, help_text=help_text
    )


def _fen(value: Decimal | None) -> int | None:
    return None if value is None else yuan_to_fen(value)


class MetaForm(forms.Form):
    """The version fields every catalog form has."""

    effective_from = forms.DateField(label=gettext_lazy("生效日期"), widget=DATE)
    change_note = forms.CharField(label=gettext_lazy("修改说明"), required=False, widget=TEXTAREA)
    short_notice_reason = forms.CharField(
        label=gettext_lazy("不足一个月提前公告的理由"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("变更事项应至少提前一个月公告；因法律法规修改等确需提前生效的，请填写理由。"),
    )

    def meta(self) -> dict[str, Any]:
        """The version's effective date and notes."""
        return {k: self.cleaned_data.get(k) for k in ("effective_from", "change_note", "short_notice_reason")}


class CitationsField(forms.CharField):
    """Citations typed as 《法律法规名称》第N条, separated by 、 or ；, read into articles."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", TEXTAREA)
        kwargs.setdefault(
            "help_text", gettext_lazy("写作《法律法规全称》第N条，多条用顿号或分号分隔；条款须已录入“法律法规”。")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[Article]:
        text = super().clean(value)
        try:
            return read_articles(text)
        except CellError as exc:
            raise forms.ValidationError(str(exc)) from exc


def citations_text(articles: list[Article]) -> str:
    """Articles back into the text the field reads."""
    return "；".join(a.citation for a in articles)


class _AgencyForm(MetaForm):
    """A form for one agency's catalog; `creating` adds the code (and the identity) fields."""

    code = forms.CharField(label=gettext_lazy("编码"), max_length=40)

    def __init__(self, *args: Any, agency: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.creating = creating
        if not creating:
            for name in self.identity_fields():
                self.fields.pop(name, None)
        self.order_fields(["code", *self.identity_fields()])

    @classmethod
    def identity_fields(cls) -> tuple[str, ...]:
        return ("code",)

    def identity(self) -> dict[str, Any]:
        return {}

    def to_content(self) -> dict[str, Any]:
        """The version's content from the cleaned data: every concrete catalog form defines it (abstract here)."""
        raise NotImplementedError(f"{type(self).__name__} must define to_content()")

    @classmethod
    def initial_from(cls, content: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
        return {**content, **meta}


class ItemForm(_AgencyForm):
    """An enforcement item with its service guide."""

    action_type = forms.ChoiceField(label=gettext_lazy("行为类型"), choices=ActionType.choices)
    field = forms.ChoiceField(label=gettext_lazy("执法类别"), choices=EnforcementField.choices)
    name = forms.CharField(label=gettext_lazy("事项名称"), max_length=200)
    articles = CitationsField(label=gettext_lazy("依据条款"))
    basis_text = forms.CharField(label=gettext_lazy("依据说明"), required=False, widget=TEXTAREA)
    handling_unit = forms.ModelChoiceField(label=gettext_lazy("承办机构"), queryset=Unit.objects.none())
    approving_unit = forms.ModelChoiceField(
        label=gettext_lazy("审批机构"), queryset=Unit.objects.none(), required=False
    )
    holding_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("行使职权的机构"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("只有这些机构（及承办机构）能办理本事项的案件。"),
    )
    posts = forms.CharField(
        label=gettext_lazy("行使职权的岗位"),
        required=False,
        help_text=gettext_lazy("多个岗位用顿号分隔，如：执法岗、审核岗"),
    )
    time_limit_amount = forms.IntegerField(label=gettext_lazy("办理时限"), required=False, min_value=0)
    time_limit_unit = forms.ChoiceField(
        label=gettext_lazy("时限单位"), choices=BLANK + PeriodUnit.choices, required=False
    )
    time_limit_note = forms.CharField(label=gettext_lazy("时限说明"), required=False, max_length=200)
    guide_conditions = forms.CharField(label=gettext_lazy("办理条件"), required=False, widget=TEXTAREA)
    guide_materials = forms.CharField(label=gettext_lazy("申请材料"), required=False, widget=TEXTAREA)
    guide_fee = forms.CharField(label=gettext_lazy("收费标准"), required=False, max_length=200)
    guide_office_hours = forms.CharField(label=gettext_lazy("办公时间"), required=False, max_length=100)
    guide_address = forms.CharField(label=gettext_lazy("办理地点"), required=False, max_length=200)
    guide_phone = forms.CharField(label=gettext_lazy("咨询电话"), required=False, max_length=40)
    guide_supervision = forms.CharField(label=gettext_lazy("监督投诉渠道"), required=False, max_length=200)
    guide_remedies = forms.CharField(label=gettext_lazy("救济途径"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(agency=self.agency, is_active=True).order_by("id")
        for name in ("handling_unit", "approving_unit", "holding_units"):
            self.fields[name].queryset = units  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda u: u.name  # type: ignore[attr-defined]

    @classmethod
    def identity_fields(cls) -> tuple[str, ...]:
        return ("code", "action_type", "field")

    def identity(self) -> dict[str, Any]:
        return {"action_type": self.cleaned_data["action_type"], "field": self.cleaned_data["field"]}

    def to_content(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        content = {
            k: data.get(k) for k in self.fields if k not in ("code", "action_type", "field", *MetaForm.base_fields)
        }
        content["holding_units"] = list(data.get("holding_units") or [])
        content["posts"] = [
            p.strip() for p in str(data.get("posts") or "").replace("；", "、").split("、") if p.strip()
        ]
        return content

    @classmethod
    def initial_from(cls, content: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
        return {
            **content,
            **meta,
            "articles": citations_text(content.get("articles") or []),
            "posts": "、".join(content.get("posts") or []),
            "holding_units": [u.pk for u in content.get("holding_units") or []],
            "handling_unit": content["handling_unit"].pk if content.get("handling_unit") else None,
            "approving_unit": content["approving_unit"].pk if content.get("approving_unit") else None,
        }


class MajorRuleForm(_AgencyForm):
    """A rule of the major-decision catalog (REV-1)."""

    title = forms.CharField(label=gettext_lazy("标准"), max_length=200)
    criterion = forms.ChoiceField(label=gettext_lazy("判断依据"), choices=Criterion.choices)
    action_types = forms.MultipleChoiceField(
        label=gettext_lazy("适用行为类型"),
        choices=ActionType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("不选表示适用于各类行为；按行为类型认定的标准须选择。"),
    )
    amount = _yuan_field(
        gettext_lazy("金额标准（元）"), help_text=gettext_lazy("仅按罚款、没收金额认定的标准填写，达到即为重大。")
    )
    party = forms.ChoiceField(label=gettext_lazy("适用当事人"), choices=PartyKind.choices, initial=PartyKind.ANY)
    basis_text = forms.CharField(label=gettext_lazy("依据"), required=False, widget=TEXTAREA)

    def to_content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "criterion": data["criterion"],
            "action_types": list(data.get("action_types") or []),
            "amount_fen": _fen(data.get("amount")),
            "party": data.get("party") or PartyKind.ANY,
            "basis_text": data.get("basis_text") or "",
        }

    @classmethod
    def initial_from(cls, content: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
        amount = content.get("amount_fen")
        return {**content, **meta, "amount": fen_to_yuan(amount) if amount is not None else None}


class InspectionForm(_AgencyForm):
    """An entry of the random-inspection list (RND-1)."""

    name = forms.CharField(label=gettext_lazy("抽查事项"), max_length=200)
    subject = forms.CharField(label=gettext_lazy("抽查主体"), max_length=200)
    articles = CitationsField(label=gettext_lazy("依据条款"))
    basis_text = forms.CharField(label=gettext_lazy("依据说明"), required=False, widget=TEXTAREA)
    target = forms.CharField(label=gettext_lazy("抽查对象"), max_length=300)
    content = forms.CharField(label=gettext_lazy("抽查内容"), widget=TEXTAREA)
    ratio_percent = forms.DecimalField(label=gettext_lazy("抽查比例（%）"), max_digits=5, decimal_places=2)
    method = forms.CharField(label=gettext_lazy("抽查方式"), max_length=200)
    frequency = forms.CharField(label=gettext_lazy("抽查频次"), max_length=100)

    def to_content(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = (
            "name",
            "subject",
            "articles",
            "basis_text",
            "target",
            "content",
            "ratio_percent",
            "method",
            "frequency",
        )
        return {k: data.get(k) for k in keys}

    @classmethod
    def initial_from(cls, content: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
        return {**content, **meta, "articles": citations_text(content.get("articles") or [])}


class AvForm(_AgencyForm):
    """An entry of the AV item list (REC-5)."""

    action_type = forms.ChoiceField(label=gettext_lazy("行为类型"), choices=ActionType.choices)
    step = forms.ChoiceField(label=gettext_lazy("执法环节"), choices=step_choices())
    requirement = forms.ChoiceField(label=gettext_lazy("记录要求"), choices=AvRequirement.choices)
    scope = forms.CharField(label=gettext_lazy("适用情形"), max_length=300, required=False)
    basis_text = forms.CharField(label=gettext_lazy("依据"), required=False, widget=TEXTAREA)

    def to_content(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k) or "" for k in ("action_type", "step", "requirement", "scope", "basis_text")
        }


class BenchmarkForm(_AgencyForm):
    """A discretion benchmark: the violation, the conditions of each circumstance level, and penalty rows."""

    item = forms.ModelChoiceField(
        label=gettext_lazy("执法事项"), queryset=EnforcementItem.objects.none(), required=False
    )
    violation = forms.CharField(label=gettext_lazy("违法行为"), max_length=300)
    articles = CitationsField(label=gettext_lazy("依据条款"))
    basis_text = forms.CharField(label=gettext_lazy("依据说明"), required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            self.fields["item"].queryset = EnforcementItem.objects.filter(  # type: ignore[attr-defined]
                agency=self.agency, action_type=ActionType.PENALTY
            ).order_by("code")
        for value, label in Circumstance.choices:
            self.fields[f"conditions_{value}"] = forms.CharField(
                label=_("“%(c)s”档适用情形") % {"c": label}, required=False, widget=TEXTAREA
            )

    @classmethod
    def identity_fields(cls) -> tuple[str, ...]:
        return ("code", "item")

    def identity(self) -> dict[str, Any]:
        return {"item": self.cleaned_data.get("item")}

    def to_content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "violation": data["violation"],
            "articles": data.get("articles") or [],
            "basis_text": data.get("basis_text") or "",
        }

    @classmethod
    def initial_from(cls, content: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
        initial = {**content, **meta, "articles": citations_text(content.get("articles") or [])}
        for level in content.get("levels") or []:
            initial[f"conditions_{level.circumstance}"] = level.conditions
        return initial


class PenaltyRowForm(forms.Form):
    """One penalty row of a benchmark: the level it belongs to, the kind, the range and the band."""

    circumstance = forms.ChoiceField(
        label=gettext_lazy("情节档次"), choices=BLANK + Circumstance.choices, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("处罚种类"), choices=BLANK + PenaltyKind.choices, required=False)
    measure = forms.ChoiceField(label=gettext_lazy("幅度计算方式"), choices=BLANK + Measure.choices, required=False)
    low = forms.DecimalField(
        label=gettext_lazy("下限（元或倍）"), required=False, min_value=Decimal(0), decimal_places=3
    )
    high = forms.DecimalField(
        label=gettext_lazy("上限（元或倍）"), required=False, min_value=Decimal(0), decimal_places=3
    )
    band_basis = forms.ChoiceField(label=gettext_lazy("区间依据"), choices=BandBasis.choices, required=False)
    band_from = _yuan_field(gettext_lazy("区间下限（元，含）"))
    band_below = _yuan_field(gettext_lazy("区间上限（元，不含）"))

    def spec(self) -> tuple[str, PenaltySpec] | None:
        """(circumstance, penalty) or None for an empty row."""
        data = self.cleaned_data
        if not data.get("circumstance") or not data.get("kind"):
            return None
        measure = data.get("measure") or ""
        values: dict[str, Any] = {}
        try:
            if measure == Measure.FIXED:
                values = {"min_fen": _fen(data.get("low")), "max_fen": _fen(data.get("high"))}
            elif measure:
                values = {"min_multiple": data.get("low"), "max_multiple": data.get("high")}
            band_from, band_below = _fen(data.get("band_from")), _fen(data.get("band_below"))
        except ValueError as exc:
            raise forms.ValidationError(_("金额最多两位小数。")) from exc
        return data["circumstance"], PenaltySpec(
            kind=data["kind"],
            measure=measure,
            band_basis=data.get("band_basis") or "",
            band_from_fen=band_from,
            band_below_fen=band_below,
            **values,
        )

    @staticmethod
    def initial_from(circumstance: str, p: PenaltySpec) -> dict[str, Any]:
        row: dict[str, Any] = {
            "circumstance": circumstance,
            "kind": p.kind,
            "measure": p.measure,
            "band_basis": p.band_basis,
        }
        if p.measure == Measure.FIXED:
            row["low"] = fen_to_yuan(p.min_fen) if p.min_fen is not None else None
            row["high"] = fen_to_yuan(p.max_fen) if p.max_fen is not None else None
        elif p.measure:
            row["low"] = decimal_text(p.min_multiple) if p.min_multiple is not None else None
            row["high"] = decimal_text(p.max_multiple) if p.max_multiple is not None else None
        row["band_from"] = fen_to_yuan(p.band_from_fen) if p.band_from_fen is not None else None
        row["band_below"] = fen_to_yuan(p.band_below_fen) if p.band_below_fen is not None else None
        return row


PenaltyFormSet = forms.formset_factory(PenaltyRowForm, extra=3, max_num=60)


def benchmark_levels(form: BenchmarkForm, formset: Any) -> list[LevelSpec]:
    """The levels of a benchmark from its form (conditions) and its penalty rows, in circumstance order; a level is
    present when it has conditions or penalties."""
    rows: dict[str, list[PenaltySpec]] = {}
    for row_form in formset.forms:
        spec = row_form.spec() if row_form.is_valid() else None
        if spec is not None:
            rows.setdefault(spec[0], []).append(spec[1])
    levels = []
    for value in Circumstance.values:
        conditions = str(form.cleaned_data.get(f"conditions_{value}") or "").strip()
        if conditions or rows.get(value):
            levels.append(LevelSpec(value, conditions, tuple(rows.get(value, []))))
    return levels


FORMS: dict[str, type[_AgencyForm]] = {
    CatalogKind.ITEM: ItemForm,
    CatalogKind.BENCHMARK: BenchmarkForm,
    CatalogKind.MAJOR_RULE: MajorRuleForm,
    CatalogKind.INSPECTION: InspectionForm,
    CatalogKind.AV: AvForm,
}
# Service error fields that a form shows under another field.
ERROR_FIELDS = {"amount_fen": "amount"}


class AbolishForm(forms.Form):
    """Take an entry out of the catalog from a date (a new version marked abolished, reviewed like any other)."""

    effective_from = forms.DateField(label=gettext_lazy("取消生效日期"), widget=DATE)
    change_note = forms.CharField(label=gettext_lazy("取消理由"), widget=TEXTAREA)
    short_notice_reason = forms.CharField(
        label=gettext_lazy("不足一个月提前公告的理由"), required=False, max_length=200
    )


class NoteForm(forms.Form):
    """A reviewer's opinion (required when returning a version)."""

    note = forms.CharField(label=gettext_lazy("审核意见"), required=False, widget=TEXTAREA)


class LawForm(forms.Form):
    """A law with its articles, pasted one per line starting 第N条."""

    title = forms.CharField(label=gettext_lazy("名称"), max_length=200, help_text=gettext_lazy("全称，不加书名号"))
    short_title = forms.CharField(label=gettext_lazy("简称"), max_length=60, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("效力层级"), choices=LawKind.choices)
    issuer = forms.CharField(label=gettext_lazy("制定机关"), max_length=120, required=False)
    doc_number = forms.CharField(label=gettext_lazy("文号"), max_length=120, required=False)
    promulgated_on = forms.DateField(label=gettext_lazy("公布日期"), widget=DATE, required=False)
    effective_from = forms.DateField(label=gettext_lazy("施行日期"), widget=DATE)
    articles = forms.CharField(
        label=gettext_lazy("条文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("每条以“第N条”开头，可直接粘贴法律法规文本；不以“第N条”开头的行接续上一条。"),
    )

    def clean_articles(self) -> list[tuple[int, str]]:
        articles, problems = parse_article_lines(self.cleaned_data.get("articles") or "")
        if problems:
            raise forms.ValidationError(
                _("第%(n)d行不是以“第N条”开头：%(line)s") % {"n": problems[0][0], "line": problems[0][1][:40]}
            )
        return articles


class ArticlesForm(forms.Form):
    """Articles not yet entered, pasted one per line starting 第N条."""

    articles = LawForm.base_fields["articles"]

    def clean_articles(self) -> list[tuple[int, str]]:
        return LawForm.clean_articles(self)  # type: ignore[arg-type]


class AmendmentForm(forms.Form):
    """An amendment, revision or repeal; the changed articles pasted in their new wording (第N条 删除 deletes one)."""

    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=AmendmentKind.choices)
    label = forms.CharField(
        label=gettext_lazy("修改说明"), max_length=200, help_text=gettext_lazy("如：2021年4月29日第二次修正")
    )
    promulgated_on = forms.DateField(label=gettext_lazy("公布日期"), widget=DATE, required=False)
    effective_from = forms.DateField(label=gettext_lazy("施行日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("备注"), required=False, widget=TEXTAREA)
    changes = forms.CharField(
        label=gettext_lazy("修改后的条文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "只填修改、新增的条文，每条以“第N条”开头；删除的条文写“第N条 删除”。不填表示全文修订（所有条款视为变化）。"
        ),
    )

    def clean_changes(self) -> list[Any]:
        from .services import ArticleChange

        articles, problems = parse_article_lines(self.cleaned_data.get("changes") or "")
        if problems:
            raise forms.ValidationError(
                _("第%(n)d行不是以“第N条”开头：%(line)s") % {"n": problems[0][0], "line": problems[0][1][:40]}
            )
        return [
            ArticleChange(
                number=n,
                text="" if t.strip() in ("删除", "（删除）") else t,
                repealed=t.strip() in ("删除", "（删除）"),
            )
            for n, t in articles
        ]


class BenchmarkCheckForm(forms.Form):
    """A proposed penalty to check against a benchmark (DIS-2)."""

    circumstance = forms.ChoiceField(
        label=gettext_lazy("情节档次"), choices=Circumstance.choices, initial=Circumstance.ORDINARY
    )
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("拟处罚种类"),
        choices=PenaltyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fine = _yuan_field(gettext_lazy("拟罚款金额（元）"))
    goods_value = _yuan_field(gettext_lazy("货值金额（元）"))
    illegal_gains = _yuan_field(gettext_lazy("违法所得（元）"))
    construction_cost = _yuan_field(gettext_lazy("工程造价（元）"))

    def proposal(self) -> Any:
        from .rules import ProposedPenalty

        data = self.cleaned_data
        return ProposedPenalty(
            kinds=tuple(data.get("kinds") or ()),
            fine_fen=_fen(data.get("fine")) or 0,
            goods_value_fen=_fen(data.get("goods_value")),
            illegal_gains_fen=_fen(data.get("illegal_gains")),
            construction_cost_fen=_fen(data.get("construction_cost")),
        )


class CaseFactsForm(forms.Form):
    """The facts of a case, to see which major-decision rules it meets (REV-1)."""

    action_type = forms.ChoiceField(
        label=gettext_lazy("行为类型"), choices=ActionType.choices, initial=ActionType.PENALTY
    )
    party = forms.ChoiceField(
        label=gettext_lazy("当事人类别"), choices=[("", gettext_lazy("未确定")), *PartyKind.choices[1:]], required=False
    )
    fine = _yuan_field(gettext_lazy("拟罚款金额（元）"))
    confiscation = _yuan_field(gettext_lazy("拟没收金额（元）"))
    revokes_licence = forms.BooleanField(label=gettext_lazy("拟吊销许可证件"), required=False)
    suspension = forms.BooleanField(label=gettext_lazy("拟责令停产停业、责令关闭"), required=False)
    hearing_held = forms.BooleanField(label=gettext_lazy("经过听证程序"), required=False)
    complex = forms.BooleanField(label=gettext_lazy("疑难复杂、涉及多个法律关系"), required=False)
    public_interest = forms.BooleanField(label=gettext_lazy("涉及重大公共利益"), required=False)
    social_risk = forms.BooleanField(label=gettext_lazy("可能引发社会风险"), required=False)
    third_party_rights = forms.BooleanField(label=gettext_lazy("直接关系当事人或第三人重大权益"), required=False)
    suspected_crime = forms.BooleanField(label=gettext_lazy("涉嫌犯罪"), required=False)
    collective = forms.BooleanField(label=gettext_lazy("经集体讨论认定"), required=False)

    def facts(self) -> Any:
        from .rules import CaseFacts

        data = self.cleaned_data
        flags = (
            "revokes_licence",
            "suspension",
            "hearing_held",
            "complex",
            "public_interest",
            "social_risk",
            "third_party_rights",
            "suspected_crime",
            "collective",
        )
        return CaseFacts(
            action_type=data["action_type"],
            fine_fen=_fen(data.get("fine")) or 0,
            confiscation_fen=_fen(data.get("confiscation")) or 0,
            party=data.get("party") or None,
            **{f: bool(data.get(f)) for f in flags},
        )


class ImportForm(forms.Form):
    """An Excel file to import into a catalog."""

    book = forms.ChoiceField(label=gettext_lazy("目录"), choices=[(b, BOOK_LABELS[b]) for b in BOOKS])
    file = forms.FileField(label=gettext_lazy("Excel文件（.xlsx）"))


class FlagDismissForm(forms.Form):
    """Why an amended law needs no change to an entry."""

    note = forms.CharField(label=gettext_lazy("无需更新的理由"), widget=TEXTAREA)


class BenchmarkReviewForm(forms.Form):
    """The yearly benchmark review, filed with the justice bureau (DIS-5)."""

    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    filed_on = forms.DateField(label=gettext_lazy("报送司法局备案日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("评估情况"), widget=TEXTAREA)
