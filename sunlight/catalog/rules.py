"""Pure rule logic of the catalog, without the database: benchmark ranges and their check (DIS-1, DIS-2), and the
major-decision rules (REV-1). Selectors load the versions in force and call these; services and the Excel import
validate benchmark ranges with `benchmark_level_errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sunlight.org.choices import ActionType

from .choices import (
    CIRCUMSTANCE_RANK,
    BandBasis,
    Circumstance,
    Criterion,
    Measure,
    PartyKind,
    PenaltyKind,
)
from .numerals import decimal_text, multiple_of, yuan_text

__all__ = [
    "BenchmarkCheck",
    "CaseFacts",
    "LevelSpec",
    "MajorReason",
    "PenaltySpec",
    "ProposedPenalty",
    "RuleSpec",
    "benchmark_level_errors",
    "check_penalty",
    "describe_penalty",
    "rule_reason",
]

# --- benchmarks ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PenaltySpec:
    """A penalty a circumstance level allows, with its range (fines only) and the band of cases it applies to."""

    kind: str
    measure: str = ""
    min_fen: int | None = None
    max_fen: int | None = None
    min_multiple: Decimal | None = None
    max_multiple: Decimal | None = None
    band_basis: str = ""
    band_from_fen: int | None = None
    band_below_fen: int | None = None

    @property
    def is_fine(self) -> bool:
        return self.kind == PenaltyKind.FINE

    def range_key(self) -> tuple[str, str, str, int | None, int | None]:
        """Rows with the same key are compared across levels."""
        return (self.kind, self.measure, self.band_basis, self.band_from_fen, self.band_below_fen)

    def bounds(self) -> tuple[Decimal, Decimal] | None:
        """(low, high) of a fine's range in its own measure (fen or multiple), None for other kinds."""
        if not self.is_fine:
            return None
        if self.measure == Measure.FIXED:
            return (Decimal(self.min_fen or 0), Decimal(self.max_fen or 0))
        return (self.min_multiple or Decimal(0), self.max_multiple or Decimal(0))

    def band_contains(self, amount: int) -> bool:
        """True when a case's band amount falls in [band_from, band_below)."""
        if self.band_from_fen is not None and amount < self.band_from_fen:
            return False
        return not (self.band_below_fen is not None and amount >= self.band_below_fen)


@dataclass(frozen=True)
class LevelSpec:
    """A circumstance level: its conditions and the penalties it allows."""

    circumstance: str
    conditions: str = ""
    penalties: tuple[PenaltySpec, ...] = ()


BASE_LABELS = {
    Measure.GOODS_VALUE: _l("货值金额"),
    Measure.ILLEGAL_GAINS: _l("违法所得"),
    Measure.CONSTRUCTION_COST: _l("工程造价"),
}


def _band_text(p: PenaltySpec) -> str:
    if not p.band_basis:
        return ""
    basis = str(BandBasis(p.band_basis).label)
    if p.band_from_fen is not None and p.band_below_fen is not None:
        return _("%(basis)s%(low)s以上不足%(high)s的，") % {
            "basis": basis,
            "low": yuan_text(p.band_from_fen),
            "high": yuan_text(p.band_below_fen),
        }
    if p.band_below_fen is not None:
        return _("%(basis)s不足%(high)s的，") % {"basis": basis, "high": yuan_text(p.band_below_fen)}
    if p.band_from_fen is not None:
        return _("%(basis)s%(low)s以上的，") % {"basis": basis, "low": yuan_text(p.band_from_fen)}
    return ""


def describe_penalty(p: PenaltySpec) -> str:
    """A penalty and its range in words: 货值金额不足1万元的，罚款5万元以上6.5万元以下."""
    kind = str(PenaltyKind(p.kind).label) if p.kind in PenaltyKind.values else p.kind
    if not p.is_fine:
        return _band_text(p) + kind
    if p.measure == Measure.FIXED:
        amount = _("%(low)s以上%(high)s以下") % {"low": yuan_text(p.min_fen or 0), "high": yuan_text(p.max_fen or 0)}
        if not p.min_fen:
            amount = _("%(high)s以下") % {"high": yuan_text(p.max_fen or 0)}
    else:
        amount = _("%(base)s%(low)s倍以上%(high)s倍以下") % {
            "base": BASE_LABELS.get(Measure(p.measure), p.measure),
            "low": decimal_text(p.min_multiple or Decimal(0)),
            "high": decimal_text(p.max_multiple or Decimal(0)),
        }
    return f"{_band_text(p)}{kind}{amount}"


def benchmark_level_errors(levels: Sequence[LevelSpec]) -> list[tuple[int, int | None, str, str]]:
    """Problems with a benchmark's levels: (level index, penalty index or None, code, message).

    Checks: at least one level; each circumstance once; no penalty at the 不予处罚 level; every fine has a measure
    and a range with low ≤ high; bands are well formed and do not overlap for one kind within a level; and across
    levels, for the same kind, measure and band, a milder level's range lies wholly below a harsher one's (ranges may
    share an end point: 以上/以下 include it) — otherwise the ranges overlap or are in the wrong order.
    """
    errors: list[tuple[int, int | None, str, str]] = []
    if not levels:
        return [(0, None, "required", _("请至少设置一个情节档次。"))]
    seen: dict[str, int] = {}
    for li, level in enumerate(levels):
        if level.circumstance not in Circumstance.values:
            errors.append((li, None, "invalid", _("情节档次无效。")))
            continue
        if level.circumstance in seen:
            errors.append(
                (li, None, "duplicate", _("情节档次“%(c)s”重复。") % {"c": Circumstance(level.circumstance).label})
            )
        seen[level.circumstance] = li
        if level.circumstance == Circumstance.NO_PENALTY and level.penalties:
            errors.append((li, 0, "no_penalty", _("“不予处罚”档不能设置处罚种类。")))
        errors += [(li, pi, code, msg) for pi, code, msg in _penalty_errors(level.penalties)]
    if errors:
        return errors
    errors += _order_errors(levels)
    return errors


def _penalty_errors(penalties: Sequence[PenaltySpec]) -> list[tuple[int, str, str]]:
    errors: list[tuple[int, str, str]] = []
    for pi, p in enumerate(penalties):
        if p.kind not in PenaltyKind.values:
            errors.append((pi, "invalid", _("处罚种类无效。")))
            continue
        if p.band_basis and p.band_basis not in BandBasis.values:
            errors.append((pi, "invalid", _("区间依据无效。")))
        if not p.band_basis and (p.band_from_fen is not None or p.band_below_fen is not None):
            errors.append((pi, "band", _("填写了金额区间，请同时选择区间依据（货值金额、违法所得或工程造价）。")))
        if p.band_basis and p.band_from_fen is None and p.band_below_fen is None:
            errors.append((pi, "band", _("选择了区间依据，请填写区间的下限或上限。")))
        if p.band_from_fen is not None and p.band_below_fen is not None and p.band_from_fen >= p.band_below_fen:
            errors.append((pi, "band", _("金额区间的下限应小于上限。")))
        if not p.is_fine:
            if p.measure or p.min_fen is not None or p.max_fen is not None or p.min_multiple or p.max_multiple:
                errors.append((pi, "range", _("只有罚款填写幅度。")))
            continue
        if p.measure not in Measure.values:
            errors.append((pi, "measure", _("罚款须选择幅度计算方式。")))
            continue
        if p.measure == Measure.FIXED:
            if p.max_fen is None or p.min_multiple is not None or p.max_multiple is not None:
                errors.append((pi, "range", _("固定金额的罚款须填写金额上限（元），不填倍数。")))
            elif p.max_fen <= 0 or (p.min_fen or 0) > p.max_fen:
                errors.append((pi, "range", _("罚款幅度的下限不能大于上限，上限须大于零。")))
        else:
            if p.max_multiple is None or p.min_fen is not None or p.max_fen is not None:
                errors.append((pi, "range", _("按倍数计算的罚款须填写倍数上限，不填金额。")))
            elif p.max_multiple <= 0 or (p.min_multiple or Decimal(0)) > p.max_multiple:
                errors.append((pi, "range", _("罚款倍数的下限不能大于上限，上限须大于零。")))
    # Bands of one kind within a level must not overlap.
    for i, a in enumerate(penalties):
        for j in range(i + 1, len(penalties)):
            b = penalties[j]
            if a.kind == b.kind and a.measure == b.measure and _bands_overlap(a, b):
                errors.append((j, "overlap", _("同一档次中“%(k)s”的适用区间重叠。") % {"k": PenaltyKind(b.kind).label}))
    return errors


def _bands_overlap(a: PenaltySpec, b: PenaltySpec) -> bool:
    if a.band_basis != b.band_basis:
        return True  # two ways of choosing the range for one kind: ambiguous
    low_a = a.band_from_fen if a.band_from_fen is not None else -1
    low_b = b.band_from_fen if b.band_from_fen is not None else -1
    high_a = a.band_below_fen if a.band_below_fen is not None else 1 << 62
    high_b = b.band_below_fen if b.band_below_fen is not None else 1 << 62
    return low_a < high_b and low_b < high_a


def _order_errors(levels: Sequence[LevelSpec]) -> list[tuple[int, int | None, str, str]]:
    errors: list[tuple[int, int | None, str, str]] = []
    groups: dict[tuple[str, str, str, int | None, int | None], list[tuple[int, int, int, PenaltySpec]]] = {}
    for li, level in enumerate(levels):
        for pi, p in enumerate(level.penalties):
            if p.is_fine:
                groups.setdefault(p.range_key(), []).append((CIRCUMSTANCE_RANK[level.circumstance], li, pi, p))
    for rows in groups.values():
        rows.sort(key=lambda r: r[0])
        for (_r1, li1, _pi1, milder), (_r2, li2, pi2, harsher) in pairwise(rows):
            _low_mild, high_mild = milder.bounds() or (Decimal(0), Decimal(0))
            low_harsh, _high = harsher.bounds() or (Decimal(0), Decimal(0))
            if high_mild > low_harsh:
                errors.append(
                    (
                        li2,
                        pi2,
                        "overlap",
                        _(
                            "“%(harsh)s”档的罚款幅度与“%(mild)s”档重叠或顺序颠倒（较轻档次的上限不能高于较重档次的下限）。"
                        )
                        % {
                            "harsh": Circumstance(levels[li2].circumstance).label,
                            "mild": Circumstance(levels[li1].circumstance).label,
                        },
                    )
                )
    return errors


@dataclass(frozen=True)
class ProposedPenalty:
    """A penalty proposed in a case: its kinds, the fine in fen, and the case's base amounts (fen) where known."""

    kinds: tuple[str, ...] = ()
    fine_fen: int = 0
    goods_value_fen: int | None = None
    illegal_gains_fen: int | None = None
    construction_cost_fen: int | None = None

    def base(self, basis: str) -> int | None:
        """The case's amount for a measure or band basis."""
        return {
            "goods_value": self.goods_value_fen,
            "illegal_gains": self.illegal_gains_fen,
            "construction_cost": self.construction_cost_fen,
        }.get(basis)


@dataclass(frozen=True)
class BenchmarkCheck:
    """The answer of the benchmark check (DIS-2): within the benchmark or not, and when not, reasons are required."""

    within: bool
    circumstance: str
    allowed: list[str]
    problems: list[str]
    version: int | None = None
    conditions: str = ""

    @property
    def reasons_required(self) -> bool:
        """A penalty outside the benchmark for its circumstance needs explicit reasons (DIS-2)."""
        return not self.within

    @property
    def summary(self) -> str:
        """One sentence for the page."""
        if self.within:
            return _("拟处罚在裁量基准“%(c)s”档范围内。") % {"c": Circumstance(self.circumstance).label}
        return _("拟处罚超出裁量基准“%(c)s”档范围，须在决定中说明理由。") % {"c": Circumstance(self.circumstance).label}


def check_penalty(
    levels: Sequence[LevelSpec], *, circumstance: str, proposal: ProposedPenalty, version: int | None = None
) -> BenchmarkCheck:
    """Check a proposed penalty against the level of its circumstance (DIS-2).

    Within means: every proposed kind is one the level allows (a kind may be limited to a band of goods value or
    gains, which must then be known), and a proposed fine lies within one of the level's fine ranges that apply to the
    case (multiples are taken of the case's base amount, rounded to the fen). 不予处罚 is within only when nothing is
    proposed.
    """
    level = next((lv for lv in levels if lv.circumstance == circumstance), None)
    label = Circumstance(circumstance).label if circumstance in Circumstance.values else circumstance
    if level is None:
        return BenchmarkCheck(False, circumstance, [], [_("裁量基准没有“%(c)s”档。") % {"c": label}], version=version)
    allowed = [describe_penalty(p) for p in level.penalties] or [_("不予处罚")]
    problems: list[str] = []
    kinds = list(dict.fromkeys(proposal.kinds))
    if proposal.fine_fen and PenaltyKind.FINE not in kinds:
        kinds.append(PenaltyKind.FINE)
    if circumstance == Circumstance.NO_PENALTY:
        if kinds:
            problems.append(_("该情节档次为不予处罚，不应作出处罚。"))
        return BenchmarkCheck(not problems, circumstance, allowed, problems, version, level.conditions)
    for kind in kinds:
        kind_label = PenaltyKind(kind).label if kind in PenaltyKind.values else kind
        candidates = [p for p in level.penalties if p.kind == kind]
        if not candidates:
            problems.append(_("“%(c)s”档不包括处罚种类“%(k)s”。") % {"c": label, "k": kind_label})
            continue
        applicable, unknown = _applicable(candidates, proposal)
        if not applicable:
            problems.append(unknown or _("本案不在“%(k)s”的适用区间内。") % {"k": kind_label})
            continue
        if kind == PenaltyKind.FINE:
            problems += _fine_problems(applicable, proposal)
    return BenchmarkCheck(not problems, circumstance, allowed, problems, version, level.conditions)


def _applicable(candidates: list[PenaltySpec], proposal: ProposedPenalty) -> tuple[list[PenaltySpec], str]:
    applicable: list[PenaltySpec] = []
    unknown = ""
    for p in candidates:
        if not p.band_basis:
            applicable.append(p)
            continue
        amount = proposal.base(p.band_basis)
        if amount is None:
            unknown = _("请填写%(basis)s，以确定适用的幅度。") % {"basis": BandBasis(p.band_basis).label}
            continue
        if p.band_contains(amount):
            applicable.append(p)
    return applicable, unknown


def _fine_problems(ranges: list[PenaltySpec], proposal: ProposedPenalty) -> list[str]:
    bounds: list[tuple[int, int]] = []
    missing = ""
    for p in ranges:
        if p.measure == Measure.FIXED:
            bounds.append((p.min_fen or 0, p.max_fen or 0))
            continue
        base = proposal.base(p.measure)
        if base is None:
            missing = _("请填写%(base)s，以计算罚款幅度。") % {"base": BASE_LABELS[Measure(p.measure)]}
            continue
        bounds.append(
            (multiple_of(base, p.min_multiple or Decimal(0)), multiple_of(base, p.max_multiple or Decimal(0)))
        )
    if not bounds:
        return [missing]
    if any(low <= proposal.fine_fen <= high for low, high in bounds):
        return []
    spans = "、".join(f"{yuan_text(low)}至{yuan_text(high)}" for low, high in bounds)
    return [_("罚款%(fine)s不在基准幅度（%(spans)s）内。") % {"fine": yuan_text(proposal.fine_fen), "spans": spans}]


# --- major decisions (REV-1) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What the major-decision catalog looks at in a case (REV-1). Amounts in fen. `party` is PartyKind.INDIVIDUAL or
    ORGANISATION; None when not known, in which case a threshold for either kind of party applies (the safer side:
    a major case wrongly left unreviewed is the worse mistake)."""

    action_type: str
    fine_fen: int = 0
    confiscation_fen: int = 0
    revokes_licence: bool = False
    suspension: bool = False
    hearing_held: bool = False
    complex: bool = False
    public_interest: bool = False
    social_risk: bool = False
    third_party_rights: bool = False
    suspected_crime: bool = False
    party: str | None = None
    collective: bool = False


@dataclass(frozen=True)
class MajorReason:
    """One rule a case meets, and why in words."""

    rule_code: str
    rule_title: str
    criterion: str
    version: int
    reason: str


@dataclass(frozen=True)
class RuleSpec:
    """A major-decision rule as it is in force."""

    code: str
    title: str
    criterion: str
    version: int = 1
    action_types: tuple[str, ...] = ()
    amount_fen: int | None = None
    party: str = PartyKind.ANY


_FLAG_CRITERIA = {
    Criterion.LICENCE_REVOCATION: ("revokes_licence", _l("拟吊销许可证件")),
    Criterion.SUSPENSION: ("suspension", _l("拟责令停产停业或责令关闭")),
    Criterion.HEARING_HELD: ("hearing_held", _l("案件经过听证程序")),
    Criterion.COMPLEX: ("complex", _l("案件情况疑难复杂、涉及多个法律关系")),
    Criterion.PUBLIC_INTEREST: ("public_interest", _l("案件涉及重大公共利益")),
    Criterion.SOCIAL_RISK: ("social_risk", _l("案件可能造成重大社会影响或引发社会风险")),
    Criterion.THIRD_PARTY_RIGHTS: ("third_party_rights", _l("案件直接关系当事人或第三人重大权益")),
    Criterion.SUSPECTED_CRIME: ("suspected_crime", _l("案件涉嫌犯罪，需要移送司法机关")),
    Criterion.COLLECTIVE: ("collective", _l("经机关负责人集体讨论认定为重大执法决定")),
}


def _action_label(code: str) -> str:
    return str(ActionType(code).label) if code in ActionType.values else code


def rule_reason(rule: RuleSpec, facts: CaseFacts) -> str | None:
    """The reason in words when the case meets the rule, else None."""
    if rule.action_types and facts.action_type not in rule.action_types:
        return None
    quoted = f"“{rule.title}”"
    if rule.criterion == Criterion.ACTION_TYPE:
        return _("行为类型为%(type)s，属于重大执法决定目录%(rule)s。") % {
            "type": _action_label(facts.action_type),
            "rule": quoted,
        }
    if rule.criterion in (Criterion.FINE_AT_LEAST, Criterion.CONFISCATION_AT_LEAST):
        if rule.amount_fen is None:
            return None
        if rule.party != PartyKind.ANY and facts.party is not None and facts.party != rule.party:
            return None
        amount = facts.fine_fen if rule.criterion == Criterion.FINE_AT_LEAST else facts.confiscation_fen
        if amount < rule.amount_fen:
            return None
        what = _("罚款") if rule.criterion == Criterion.FINE_AT_LEAST else _("没收违法所得和非法财物")
        who = "" if rule.party == PartyKind.ANY else _("对%(p)s") % {"p": PartyKind(rule.party).label}
        unknown = (
            _("（当事人类别未确定，按从严标准认定）") if rule.party != PartyKind.ANY and facts.party is None else ""
        )
        return _("拟%(what)s%(amount)s，达到%(rule)s的标准（%(who)s%(threshold)s以上）%(unknown)s。") % {
            "what": what,
            "amount": yuan_text(amount),
            "rule": quoted,
            "who": who,
            "threshold": yuan_text(rule.amount_fen),
            "unknown": unknown,
        }
    flag = _FLAG_CRITERIA.get(Criterion(rule.criterion)) if rule.criterion in Criterion.values else None
    if flag is None or not getattr(facts, flag[0]):
        return None
    return _("%(fact)s，属于重大执法决定目录%(rule)s。") % {"fact": flag[1], "rule": quoted}


def rules_met(rules: Iterable[RuleSpec], facts: CaseFacts) -> list[MajorReason]:
    """Every rule the case meets, in rule-code order, each with its reason."""
    met = []
    for rule in sorted(rules, key=lambda r: r.code):
        reason = rule_reason(rule, facts)
        if reason is not None:
            met.append(MajorReason(rule.code, rule.title, rule.criterion, rule.version, reason))
    return met
