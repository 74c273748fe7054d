"""Validation of catalog content, shared by the services, the forms and the Excel import (all errors at once).

Every function returns a list of `FieldError(field, code, message)`; field names are the content keys (benchmark
ranges as `levels.<i>.penalties.<j>`), so that a form, the API and the import can each place them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sunlight.core.choices import Unit as PeriodUnit
from sunlight.core.errors import FieldError
from sunlight.org.choices import ActionType, EnforcementField

from .choices import AMOUNT_CRITERIA, AV_STRENGTH, AvRequirement, CatalogKind, Criterion, PartyKind, PenaltyKind
from .models import Article
from .rules import LevelSpec, benchmark_level_errors
from .workflows import av_floor, is_known_step

MAX_CODE = 40


def _required(content: dict[str, Any], fields: dict[str, str]) -> list[FieldError]:
    errors = []
    for name, label in fields.items():
        value = content.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(FieldError(name, "required", _("请填写%(label)s。") % {"label": label}))
    return errors


def article_errors(articles: list[Article], *, on: date | None, field: str = "articles") -> list[FieldError]:
    """Every cited article must be in force on the version's effective date (its law in force, its text not
    deleted)."""
    errors: list[FieldError] = []
    if on is None:
        return errors
    for article in articles:
        text = article.text_on(on)
        if not article.law.in_force(on) or text is None or text.repealed:
            errors.append(
                FieldError(
                    field,
                    "not_in_force",
                    _("%(citation)s在%(date)s未施行或已删除。")
                    % {"citation": article.citation, "date": on.isoformat()},
                )
            )
    return errors


def meta_errors(meta: dict[str, Any]) -> list[FieldError]:
    """The version's effective date must be given."""
    if not isinstance(meta.get("effective_from"), date):
        return [FieldError("effective_from", "required", _("请填写生效日期。"))]
    return []


def identity_errors(kind: str, agency: Any, code: str, identity: dict[str, Any]) -> list[FieldError]:
    """A new entry's code (unique in the agency) and, for items, its action type and field; for benchmarks, its item."""
    from .versioning import spec_for

    errors: list[FieldError] = []
    code = (code or "").strip()
    if not code:
        errors.append(FieldError("code", "required", _("请填写编码。")))
    elif len(code) > MAX_CODE:
        errors.append(FieldError("code", "too_long", _("编码不能超过40个字符。")))
    elif spec_for(kind).entry_model.objects.filter(agency=agency, code=code).exists():
        errors.append(FieldError("code", "duplicate", _("本执法主体已有编码为“%(code)s”的事项。") % {"code": code}))
    if kind == CatalogKind.ITEM:
        if identity.get("action_type") not in ActionType.values:
            errors.append(FieldError("action_type", "invalid", _("请选择行为类型。")))
        if identity.get("field") not in EnforcementField.values:
            errors.append(FieldError("field", "invalid", _("请选择执法类别。")))
    if kind == CatalogKind.BENCHMARK:
        item = identity.get("item")
        if item is not None and (item.agency_id != agency.pk or item.action_type != ActionType.PENALTY):
            errors.append(FieldError("item", "invalid", _("裁量基准应对应本执法主体的行政处罚事项。")))
    return errors


def content_errors(kind: str, agency: Any, content: dict[str, Any], meta: dict[str, Any]) -> list[FieldError]:
    """Everything wrong with a version's content for an agency."""
    on = meta.get("effective_from") if isinstance(meta.get("effective_from"), date) else None
    errors = meta_errors(meta)
    if kind == CatalogKind.ITEM:
        errors += _item_errors(agency, content, on)
    elif kind == CatalogKind.BENCHMARK:
        errors += _benchmark_errors(content, on)
    elif kind == CatalogKind.MAJOR_RULE:
        errors += _major_rule_errors(content)
    elif kind == CatalogKind.INSPECTION:
        errors += _inspection_errors(content, on)
    elif kind == CatalogKind.AV:
        errors += _av_errors(content)
    return errors


def _item_errors(agency: Any, content: dict[str, Any], on: date | None) -> list[FieldError]:
    errors = _required(content, {"name": _("事项名称"), "handling_unit": _("承办机构")})
    for name in ("handling_unit", "approving_unit"):
        unit = content.get(name)
        if unit is not None and unit.agency_id != agency.pk:
            errors.append(FieldError(name, "invalid", _("机构“%(unit)s”不属于本执法主体。") % {"unit": unit.name}))
    for unit in content.get("holding_units") or []:
        if unit.agency_id != agency.pk:
            errors.append(
                FieldError("holding_units", "invalid", _("机构“%(unit)s”不属于本执法主体。") % {"unit": unit.name})
            )
    amount, unit_code = content.get("time_limit_amount"), content.get("time_limit_unit") or ""
    if (amount is None) != (not unit_code):
        errors.append(FieldError("time_limit_amount", "incomplete", _("办理时限和时限单位须同时填写。")))
    elif unit_code and unit_code not in PeriodUnit.values:
        errors.append(FieldError("time_limit_unit", "invalid", _("时限单位无效。")))
    posts = content.get("posts") or []
    if not isinstance(posts, list) or not all(isinstance(p, str) and p.strip() for p in posts):
        errors.append(FieldError("posts", "invalid", _("岗位名称不能为空。")))
    errors += article_errors(content.get("articles") or [], on=on)
    return errors


def _benchmark_errors(content: dict[str, Any], on: date | None) -> list[FieldError]:
    errors = _required(content, {"violation": _("违法行为")})
    levels: list[LevelSpec] = content.get("levels") or []
    for li, pi, code, message in benchmark_level_errors(levels):
        field = f"levels.{li}" if pi is None else f"levels.{li}.penalties.{pi}"
        errors.append(FieldError(field, code, message))
    errors += article_errors(content.get("articles") or [], on=on)
    return errors


def _major_rule_errors(content: dict[str, Any]) -> list[FieldError]:
    errors = _required(content, {"title": _("标准")})
    criterion = content.get("criterion")
    types = content.get("action_types") or []
    if criterion not in Criterion.values:
        errors.append(FieldError("criterion", "invalid", _("请选择判断依据。")))
    if not isinstance(types, list) or any(t not in ActionType.values for t in types):
        errors.append(FieldError("action_types", "invalid", _("适用行为类型无效。")))
    elif criterion == Criterion.ACTION_TYPE and not types:
        errors.append(FieldError("action_types", "required", _("按行为类型认定的标准须选择行为类型。")))
    amount = content.get("amount_fen")
    if criterion in AMOUNT_CRITERIA:
        if amount is None or amount <= 0:
            errors.append(FieldError("amount_fen", "required", _("金额标准须填写大于零的金额。")))
    elif amount is not None:
        errors.append(FieldError("amount_fen", "not_applicable", _("只有按金额认定的标准填写金额。")))
    party = content.get("party") or PartyKind.ANY
    if party not in PartyKind.values:
        errors.append(FieldError("party", "invalid", _("适用当事人无效。")))
    elif party != PartyKind.ANY and criterion not in AMOUNT_CRITERIA:
        errors.append(FieldError("party", "not_applicable", _("只有按金额认定的标准区分当事人。")))
    return errors


def _inspection_errors(content: dict[str, Any], on: date | None) -> list[FieldError]:
    errors = _required(
        content,
        {
            "name": _("抽查事项"),
            "subject": _("抽查主体"),
            "target": _("抽查对象"),
            "content": _("抽查内容"),
            "method": _("抽查方式"),
            "frequency": _("抽查频次"),
        },
    )
    ratio = content.get("ratio_percent")
    if not isinstance(ratio, Decimal) or not Decimal(0) < ratio <= Decimal(100):
        errors.append(FieldError("ratio_percent", "invalid", _("抽查比例应大于0且不超过100（%）。")))
    if not content.get("articles") and not str(content.get("basis_text") or "").strip():
        errors.append(FieldError("articles", "required", _("请填写抽查依据（条款或依据说明）。")))
    errors += article_errors(content.get("articles") or [], on=on)
    return errors


def _av_errors(content: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    action_type, step, requirement = content.get("action_type"), content.get("step") or "", content.get("requirement")
    if action_type not in ActionType.values:
        errors.append(FieldError("action_type", "invalid", _("请选择行为类型。")))
    elif not is_known_step(action_type, step):
        errors.append(FieldError("step", "invalid", _("“%(step)s”不是该行为类型的执法环节。") % {"step": step}))
    if requirement not in AvRequirement.values:
        errors.append(FieldError("requirement", "invalid", _("请选择记录要求。")))
    elif action_type in ActionType.values and is_known_step(action_type, step):
        floor = av_floor(action_type, step)
        if floor is not None and AV_STRENGTH[floor] > AV_STRENGTH[requirement]:
            errors.append(
                FieldError(
                    "requirement",
                    "below_floor",
                    _("法定要求为“%(floor)s”，清单不能降低要求。") % {"floor": AvRequirement(floor).label},
                )
            )
    return errors


def penalty_kind_label(kind: str) -> str:
    """The Chinese name of a penalty kind (the code when unknown)."""
    return str(PenaltyKind(kind).label) if kind in PenaltyKind.values else kind
