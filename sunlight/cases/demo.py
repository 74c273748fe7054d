"""Demo cases for the demo county (REC-1): a penalty case under investigation, a decided penalty case and a seizure
whose 30-day clock is running, all at 临泉县市场监督管理局 and handled by the demo accounts `officer` and `unithead`
(both certified officers of the 综合行政执法大队, which holds the items used).

Everything goes through the services, so the demo leaves the same ledger trail as real use. Every step is dated in the
three hours before the load, in order (the catalog's demo items are in force from the day before it).
Loading twice changes nothing: each case is looked up by its source reference (`演示-N`) first.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from sunlight.org.models import Agency, User

from .checks import StepInput
from .models import Case
from .publication import publication_of
from .services import case_create, case_step_record

PLACE = "临泉县城关街道人民路88号"


def moments_before(*, now: datetime, count: int, span: timedelta, margin: timedelta) -> list[datetime]:
    """`count` moments evenly spaced from `span` before `now`, in order, all at least `margin` before it: the dates of
    the demo cases' steps and of the browser tests' seed cases (REC-1).

    There is no floor at midnight: the catalog's demo entries are in force from the day before the load
    (`CATALOG_LEAD`), so the moments fall within them even when `now` is just after midnight.
    """
    start = now - span
    gap = (now - margin - start) / max(count, 1)
    return [start + gap * index for index in range(count)]


def _clock(now: datetime, steps: int) -> Iterator[datetime]:
    """`steps` moments over the three hours before `now`, all at least a minute before it."""
    return iter(moments_before(now=now, count=steps, span=timedelta(hours=3), margin=timedelta(minutes=1)))


def _scjg() -> Agency | None:
    from sunlight.org.demo import AGENCIES, credit_code

    for index, spec in enumerate(AGENCIES, start=1):
        if spec.slug == "scjg":
            return Agency.objects.filter(credit_code=credit_code(index)).first()
    return None


def _item(agency: Agency, code: str) -> Any:
    from sunlight.catalog.models import EnforcementItem

    return EnforcementItem.objects.filter(agency=agency, code=code).first()


def _benchmark(agency: Agency, code: str) -> Any:
    from sunlight.catalog.models import Benchmark

    return Benchmark.objects.filter(agency=agency, code=code).first()


def _av(officer: User, case: Case, step: str, at: datetime, title: str) -> Any:
    from sunlight.evidence.services import av_record_register

    return av_record_register(
        acting_user=officer,
        title=title,
        scene="coercion" if case.action_type == "coercion" else "on_site",
        device_number="DSJ-LQ-0107",
        recorded_from=at - timedelta(minutes=20),
        recorded_to=min(at + timedelta(minutes=2), timezone.now()),
        place=PLACE,
        case_number=case.number,
        case_step=step,
    )


def load_cases_demo(*, now: datetime | None = None) -> int:
    """Load (or complete) the demo cases; returns how many cases were created."""
    moment = now or timezone.now()
    agency = _scjg()
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="unithead").first()
    if agency is None or officer is None or head is None or officer.unit is None:
        return 0
    unit = officer.unit
    team = [officer, head]
    created = 0

    def field(at: datetime, **over: Any) -> StepInput:
        values: dict[str, Any] = {
            "occurred_at": at,
            "place": PLACE,
            "officers": team,
            "certificates_shown": True,
            "party_present": True,
            "party_signed": True,
        }
        values.update(over)
        return StepInput(**values)

    def record(case: Case, step: str, given: StepInput, by: User = officer) -> None:
        case_step_record(acting_user=by, case=case, step=step, given=given, now=moment)

    # 1. A penalty case from a named complaint, under investigation.
    if not Case.objects.filter(agency=agency, source_ref="演示-1").exists():
        times = _clock(moment, 4)
        case = case_create(
            acting_user=officer,
            workflow="penalty",
            unit=unit,
            item=_item(agency, "SC-CF-002"),
            title="销售商品未明码标价",
            summary="群众投诉某超市生鲜区多种商品未标示价格，结账时价格高于货架口头报价。",
            source="complaint",
            source_ref="演示-1",
            complainant_name="李某",
            party_kind="organisation",
            party_name="临泉县惠民超市有限公司",
            party_address=PLACE,
            officers=[head],
            now=next(times),
        )
        at = next(times)
        record(case, "initiation", StepInput(occurred_at=at, data={"facts": "生鲜区12种商品未明码标价。"}), by=head)
        at = next(times)
        av = _av(officer, case, "调查取证", at, "惠民超市现场检查执法记录仪视频")
        record(
            case,
            "investigation",
            field(at, content="现场检查生鲜区，拍照记录未标价商品12种，询问现场负责人。", av_records=[av]),
        )
        created += 1

    # 2. A decided penalty case: 60,000 yuan, within the benchmark, not a major decision.
    if not Case.objects.filter(agency=agency, source_ref="演示-2").exists():
        times = _clock(moment, 7)
        case = case_create(
            acting_user=officer,
            workflow="penalty",
            unit=unit,
            item=_item(agency, "SC-CF-001"),
            title="未取得食品经营许可从事食品经营活动",
            summary="日常检查发现当事人未取得食品经营许可证，在经营场所从事餐饮服务。",
            source="inspection",
            source_ref="演示-2",
            party_kind="organisation",
            party_name="临泉县好味道餐饮有限公司",
            party_address="临泉县城关街道长安路16号",
            officers=[head],
            now=next(times),
        )
        record(case, "initiation", StepInput(occurred_at=next(times), data={"facts": "无证从事餐饮服务。"}), by=head)
        record(case, "investigation", field(next(times), content="现场检查经营场所，提取营业流水，制作询问笔录。"))
        record(
            case,
            "notice",
            field(
                next(times),
                rights_notified=["statement", "defence", "hearing", "reconsideration", "litigation"],
                rights_how="书面告知（送达行政处罚事先告知书）",
                data={"proposed": "罚款人民币陆万元"},
            ),
        )
        record(
            case,
            "statement",
            field(next(times), content="当事人表示无异议。", data={"statement": "无异议", "waived_hearing": True}),
        )
        benchmark = _benchmark(agency, "BM-SP-122")
        data: dict[str, Any] = {
            "facts": "当事人未取得食品经营许可从事餐饮服务，货值金额5000元。",
            "basis": "《中华人民共和国食品安全法》第一百二十二条第一款",
            "kinds": ["fine"],
            "fine_fen": 6_000_000,
            "goods_value_fen": 500_000,
        }
        if benchmark is not None:
            data.update({"benchmark": str(benchmark.public_id), "circumstance": "lighter"})
        record(case, "decision", StepInput(occurred_at=next(times), data=data), by=head)
        created += 1

    # 3. A seizure on the spot with continuous AV recording; the 30-day clock is running.
    if not Case.objects.filter(agency=agency, source_ref="演示-3").exists():
        times = _clock(moment, 5)
        case = case_create(
            acting_user=officer,
            workflow="coercion",
            unit=unit,
            item=_item(agency, "SC-QZ-001"),
            title="涉嫌销售超过保质期的食品",
            source="inspection",
            source_ref="演示-3",
            party_kind="individual",
            party_name="张某（临泉县张记食品批发部经营者）",
            party_address="临泉县城关街道建设路9号",
            officers=[head],
            now=next(times),
        )
        record(case, "approval", StepInput(occurred_at=next(times), data={"measure": "扣押"}), by=head)
        at = next(times)
        av = _av(officer, case, "实施查封、扣押", at, "张记食品批发部扣押现场执法记录仪视频")
        record(case, "show_certificate", field(at, av_records=[av]))
        at = next(times)
        record(
            case,
            "notice",
            field(
                at,
                rights_notified=["statement", "defence", "reconsideration", "litigation"],
                rights_how="口头告知并送达告知书",
                av_records=[av],
            ),
        )
        record(
            case,
            "onsite_measure",
            field(
                next(times),
                content="当场扣押超过保质期的奶粉20箱，开具扣押清单，当事人签字确认。",
                data={"measure": "扣押", "items": "超过保质期的婴幼儿配方奶粉20箱"},
                av_records=[av],
            ),
        )
        created += 1

    # 4. An on-the-spot fine to a person (simple procedure), published on the portal after the legal reviewer
    #    confirmed the redacted text: the public portal has a decision to find, redacted, with its verification page.
    if not Case.objects.filter(agency=agency, source_ref="演示-4").exists():
        times = _clock(moment, 5)
        case = case_create(
            acting_user=officer,
            workflow="penalty_simple",
            unit=unit,
            item=_item(agency, "SC-CF-002"),
            title="集贸市场摊位销售商品未明码标价",
            summary="巡查发现集贸市场摊位销售蔬菜未标示价格。",
            source="inspection",
            source_ref="演示-4",
            party_kind="individual",
            party_name="王建国",
            party_address="临泉县城关街道人民路88号农贸市场12号摊位",
            officers=[head],
            now=next(times),
        )
        rights = {"rights_notified": ["statement", "defence"], "rights_how": "口头告知并记入现场笔录"}
        record(case, "show_certificate", field(next(times)))
        record(case, "notice", field(next(times), **rights))
        decision = field(
            next(times),
            content="当事人当场表示认可，签字确认。",
            data={
                "facts": "当事人在农贸市场12号摊位销售蔬菜，未按规定明码标价。",
                "basis": "《中华人民共和国价格法》第十三条、第四十二条",
                "kinds": ["fine"],
                "fine_fen": 10_000,
            },
            **rights,
        )
        record(case, "onsite_decision", decision)
        _publish_demo_decision(case)
        created += 1
    return created


def _publish_demo_decision(case: Case) -> None:
    """The legal reviewer confirms the decision's proposed redaction, as a person would in 信息公示 (PUB-4, PUB-5)."""
    from sunlight.publicity.services import publication_confirm, review_token_of

    reviewer = User.objects.filter(username="reviewer").first()
    decided = case.records.filter(step="onsite_decision").first()
    if reviewer is None or decided is None:
        return
    publication = publication_of(decided)
    if publication is not None:
        publication_confirm(publication=publication, review_token=review_token_of(publication), acting_user=reviewer)
