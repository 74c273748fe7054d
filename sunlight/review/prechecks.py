"""Automatic pre-checks of a case before legal review (REV-5), each with the evidence shown to the reviewer.

Every check reads what the case recorded and returns a `Check`: its point (competence, officers, evidence,
procedure, law, discretion, documents, crime), whether it passed, what was found, and the records it looked at.
They only read; `precheck_case` runs them all with one pass over the records, read once with what the checks
derive from each (label, local day, linked AV records). The number of queries grows neither with the records, nor
with the officers, nor with the days the records fall on: eligibility comes from one `MayActBatch` per run (people
read once, one answer per distinct person and day); the case's item is read once per run (`ItemVersionsInForce`)
for competence, the law and DIS-3 on every record's day; the AV items are read once for all the days
(`av_items_by_day`); and whether the cited articles are in force is one query (`cited_articles`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.cases.checks import as_int
from sunlight.cases.models import Case
from sunlight.cases.steps import spec_for
from sunlight.cases.workflow import step_name
from sunlight.catalog.choices import strongest_av
from sunlight.catalog.selectors import ItemVersionsInForce, av_items_by_day, cited_articles
from sunlight.catalog.workflows import av_floor
from sunlight.core.models import Deadline
from sunlight.registry.selectors import MayActBatch

# Heavier penalties that must be offered a hearing (行政处罚法 §63); fines from these amounts (fen), by party kind.
HEARING_KINDS = frozenset(
    {"revoke_licence", "lower_qualification", "suspend_business", "closure", "restrict_activity", "restrict_employment"}
)
HEARING_FINE_FEN = {"individual": 1_000_000, "organisation": 10_000_000}

# Amounts that suggest a transfer to the judicial organs (行刑衔接): e.g. 刑法 §140 sales of fake or inferior goods
# from 5万元; the reviewer confirms. Keys are the draft's amount fields (fen).
CRIME_THRESHOLDS_FEN = {"goods_value_fen": 5_000_000, "illegal_gains_fen": 5_000_000}


@dataclass
class Check:
    """One review point and what the system found."""

    point: str
    title: str
    ok: bool
    findings: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


class RecordRow(NamedTuple):
    """A case record as the checks read it: the fields they use, its local day, how findings name it, and the
    titles of the AV records linked to it. A check that needs another field adds it here. Records with the same
    officers (or rights) share one decoded list: the checks only read them."""

    pk: int
    seq: int
    step: str
    variant: str
    officers: list[dict[str, Any]]
    rights_notified: list[str]
    day: date
    label: str
    av_titles: list[str]


def case_records(case: Case) -> list[RecordRow]:
    """The case's records in order, read once for all the checks: one query whatever their number, each record's
    linked AV records joined to it (a record comes once per link, in the order the links were made).

    The officers and rights are read as JSON text and each distinct text decoded once: a case's records mostly name
    the same officers, and decoding them record by record was a good part of the run's time."""
    zone = timezone.get_current_timezone()
    names: dict[str, str] = {}
    decoded: dict[str, Any] = {}
    rows: list[RecordRow] = []
    read = (
        case.records.order_by("seq", "av_links__pk")
        .annotate(officers_json=Cast("officers", TextField()), rights_json=Cast("rights_notified", TextField()))
        .values_list(
            "pk", "seq", "step", "variant", "officers_json", "rights_json", "occurred_at", "av_links__av_record__title"
        )
    )
    for pk, seq, step, variant, people, rights, occurred_at, av_title in read:
        if rows and rows[-1].pk == pk:  # the same record again, with its next AV record
            rows[-1].av_titles.append(av_title)
            continue
        for text in (people, rights):
            if text not in decoded:
                decoded[text] = json.loads(text)
        local = timezone.localtime(occurred_at, zone)
        if step not in names:
            names[step] = step_name(case.workflow, step)
        label = f"#{seq} {names[step]} {local:%Y-%m-%d %H:%M}"
        titles = [] if av_title is None else [av_title]
        rows.append(RecordRow(pk, seq, step, variant, decoded[people], decoded[rights], local.date(), label, titles))
    return rows


def precheck_case(*, case: Case, draft: dict[str, Any], on: date | None = None) -> list[Check]:
    """Run every pre-check on the case and the draft decision (REV-5). The item's versions are read once for the
    checks that need the one in force on some day (competence, officers, law)."""
    day = on or timezone.localdate()
    records = case_records(case)
    items = ItemVersionsInForce()
    return [
        competence(case, day, items=items),
        officers(case, records, items=items),
        evidence(case, records),
        procedure(case, records, draft),
        law(case, day, items=items),
        discretion(case, draft),
        documents(case, records),
        crime(draft),
    ]


def as_dicts(checks: list[Check]) -> list[dict[str, Any]]:
    """Checks as JSON-ready dicts (for the review's stored pre-check)."""
    return [asdict(c) for c in checks]


def competence(case: Case, day: date, *, items: ItemVersionsInForce) -> Check:
    """The item is held by the handling unit on the day (DIS-3, from the run's `items`), and the case's region is the
    agency's."""
    title = _("职权（主体资格和管辖）")
    findings: list[str] = []
    if case.item is None:
        findings.append(_("案件未关联执法事项，无法核对职权。"))
    elif not items.unit_holds_item(unit=case.unit, item=case.item, on=day):
        findings.append(_("%(unit)s 不承担执法事项“%(item)s”。") % {"unit": case.unit, "item": case.item.code})
    if not case.region_code.startswith(case.agency.region.scope_prefix):
        findings.append(_("案件发生地 %(r)s 不在本机关辖区内。") % {"r": case.region_code})
    return Check("competence", title, not findings, findings or [_("承办机构依法承担该执法事项，案件在辖区内。")])


def officers(case: Case, records: list[RecordRow], *, items: ItemVersionsInForce) -> Check:
    """Every acting officer could act on each field-work step's date (certificate, category, region, item)."""
    title = _("执法人员资格")
    findings: list[str] = []
    looked: list[str] = []
    # `may_act`'s answers (PER-1, PER-2, DIS-3): the people read once, each distinct question (person, day) answered
    # once, the unit holding the item on each day from the run's `items`.
    acting = MayActBatch.for_public_ids(
        public_ids={o["id"] for r in records for o in r.officers}, unit_holds_item=items.unit_holds_item
    )
    # The loop runs once per record and officer (hundreds of times for a big case): what each step is and what
    # each (person, day) gets are looked up once, the rest of the times from these dictionaries.
    field_work: dict[str, bool] = {}
    reasons_of: dict[tuple[str, date], list[str]] = {}
    for record in records:
        if record.step not in field_work:
            field_work[record.step] = spec_for(case.workflow, record.step).field_work
        if not field_work[record.step]:
            continue
        looked.append(record.label)
        for person in record.officers:
            asked = (person["id"], record.day)
            if asked not in reasons_of:
                reasons_of[asked] = acting.may_act(
                    user=acting.people.get(person["id"]), item=case.item, region_code=case.region_code, on=record.day
                ).reasons
            findings += [f"{record.label}：{reason}" for reason in reasons_of[asked]]
        if len(record.officers) < 2:
            findings.append(_("%(r)s：执法人员不足两名。") % {"r": record.label})
    return Check("officers", title, not findings, findings or [_("各现场环节均有两名以上具备资格的执法人员。")], looked)


def evidence(case: Case, records: list[RecordRow]) -> Check:
    """Investigation was recorded; every step that needs continuous AV has its AV record."""
    title = _("事实和证据")
    findings: list[str] = []
    looked: list[str] = []
    if case.workflow == "penalty" and not any(r.step == "investigation" for r in records):
        findings.append(_("没有调查取证记录。"))
    # REC-5: the agency's AV items in force on each record's day, read once for all the days.
    tables = av_items_by_day(agency=case.agency, action_type=case.action_type, days={r.day for r in records})
    floors: dict[str, str | None] = {}  # step code → what the law requires (pure; once per code)
    for record in records:
        table = tables[record.day]
        code = f"{record.step}.{record.variant}" if record.variant else record.step
        if code not in floors:
            floors[code] = av_floor(case.action_type, code)
        need = strongest_av(floors[code], table.get(code), table.get(record.step))
        looked += [f"{record.label}：{av_title}" for av_title in record.av_titles]
        if need == "continuous" and not record.av_titles:
            findings.append(_("%(r)s：应当全程音像记录，未关联音像记录。") % {"r": record.label})
    return Check("evidence", title, not findings, findings or [_("调查取证记录和应有的音像记录齐全。")], looked)


def hearing_eligible(case: Case, draft: dict[str, Any]) -> bool:
    """行政处罚法 §63: heavier penalties and large fines carry the right to a hearing."""
    kinds = set(draft.get("kinds") or [])
    fine = as_int(draft.get("fine_fen")) or 0
    return bool(kinds & HEARING_KINDS) or fine >= HEARING_FINE_FEN.get(case.party_kind, 0)


def procedure(case: Case, records: list[RecordRow], draft: dict[str, Any]) -> Check:
    """The notice was given with the rights; a hearing was offered when eligible; no deadline was missed."""
    title = _("程序")
    findings: list[str] = []
    notices = [r for r in records if r.step == "notice"]
    if case.workflow == "penalty" and not notices:
        findings.append(_("未告知拟作出的处罚及当事人的权利（第四十四条）。"))
    if hearing_eligible(case, draft) and notices and not any("hearing" in r.rights_notified for r in notices):
        findings.append(_("拟作出的处罚属于听证范围，告知时未告知听证权利（第六十三条）。"))
    steps = [r.step for r in records]
    if "initiation" not in steps and "initiation_approval" not in steps and case.workflow == "penalty":
        findings.append(_("没有立案审批记录。"))
    late = Deadline.objects.filter(subject_type="case", subject_id=str(case.public_id), status="late")
    findings += [_("期限“%(r)s”逾期完成。") % {"r": name} for name in late.values_list("rule__name", flat=True)]
    return Check(
        "procedure",
        title,
        not findings,
        findings or [_("立案、告知、听证告知等程序完整，未发现逾期。")],
        [r.label for r in notices],
    )


def law(case: Case, day: date, *, items: ItemVersionsInForce) -> Check:
    """The articles the item cites (in its version in force on the decision day, from the run's `items`) are in force
    on that day."""
    title = _("适用法律依据")
    if case.item is None:
        return Check("law", title, False, [_("案件未关联执法事项，无法核对法律依据。")])
    version = items.version_on(item=case.item, on=day)
    if version is None:
        return Check("law", title, False, [_("执法事项在该日期没有施行的版本。")])
    cited = cited_articles(version=version, on=day)
    findings = [
        _("%(a)s 在 %(d)s 不再有效。") % {"a": article.citation, "d": day.isoformat()}
        for article in cited
        if not article.in_force
    ]
    return Check("law", title, not findings, findings or [_("所引条款在决定日均有效。")], [a.citation for a in cited])


def discretion(case: Case, draft: dict[str, Any]) -> Check:
    """The penalty is within the benchmark, or the reasons are written (DIS-2)."""
    title = _("行政裁量")
    check = draft.get("benchmark_check")
    if not check:
        if draft.get("benchmark"):
            return Check("discretion", title, False, [_("尚未对照裁量基准核对。")])
        return Check("discretion", title, True, [_("未选择裁量基准（该事项无基准或不适用）。")])
    if check.get("within"):
        return Check("discretion", title, True, [_("拟处罚在裁量基准范围内。")], list(check.get("allowed") or []))
    if draft.get("discretion_reasons"):
        return Check(
            "discretion",
            title,
            True,
            [_("超出裁量基准，已说明理由：%(r)s") % {"r": draft["discretion_reasons"]}],
            list(check.get("problems") or []),
        )
    return Check(
        "discretion",
        title,
        False,
        [_("拟处罚超出裁量基准且未说明理由：%(p)s") % {"p": "；".join(check.get("problems") or [])}],
    )


def documents(case: Case, records: list[RecordRow]) -> Check:
    """The documents the steps so far require are generated."""
    title = _("执法文书")
    have = set(case.documents.order_by().values_list("doc_type", flat=True))
    needed: list[tuple[str, str]] = []
    steps = {r.step for r in records}
    if "initiation" in steps or "initiation_approval" in steps:
        needed.append(("initiation_form", _("立案审批表")))
    if "notice" in steps and case.workflow == "penalty":
        needed.append(("penalty_notice", _("行政处罚事先告知书")))
    if "hearing_notice" in steps:
        needed.append(("hearing_notice", _("听证通知书")))
    findings = [_("缺少%(d)s。") % {"d": label} for code, label in needed if code not in have]
    return Check("documents", title, not findings, findings or [_("应当制作的文书均已生成。")], sorted(have))


def crime(draft: dict[str, Any]) -> Check:
    """Amounts over the thresholds, or a flag, suggest a transfer to the judicial organs (行刑衔接)."""
    title = _("涉嫌犯罪移送")
    findings = [
        _("%(k)s达到%(v)d元，可能涉嫌犯罪，应当考虑移送司法机关。")
        % {"k": _("货值金额") if key == "goods_value_fen" else _("违法所得"), "v": limit // 100}
        for key, limit in CRIME_THRESHOLDS_FEN.items()
        if (as_int(draft.get(key)) or 0) >= limit
    ]
    if draft.get("suspected_crime"):
        findings.append(_("承办机构认为涉嫌犯罪。"))
    return Check("crime", title, not findings, findings or [_("未发现涉嫌犯罪需要移送的情形。")])
