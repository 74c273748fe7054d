"""REV-5 with DIS-3 and REC-5: a pre-check run reads the item's versions, the AV items and the cited articles once
(`ItemVersionsInForce`, `av_items_by_day`, `cited_articles`), and still answers for each day with what was in force
that day — when the item moves to another unit, an AV item starts or is relaxed, or a cited article is deleted between
the records' days. The answers are what the one-day reads say (`may_act`, `av_requirement`, `Article.text_on`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from sunlight.cases.models import Case, CaseRecord, RecordAV
from sunlight.cases.steps import spec_for
from sunlight.cases.tests.factories import Desk, av_record
from sunlight.catalog import services as catalog_services
from sunlight.catalog.choices import AmendmentKind, AvRequirement, CatalogKind
from sunlight.catalog.selectors import av_requirement
from sunlight.catalog.tests.factories import item_content, noon
from sunlight.catalog.versioning import current_version
from sunlight.core.calendar import LOCAL_TZ
from sunlight.org.choices import ActionType
from sunlight.org.models import User
from sunlight.registry.selectors import may_act
from sunlight.review.prechecks import Check, precheck_case
from sunlight.review.tests.factories import MAJOR_DRAFT

# Three past days; the catalog changes from the second and again on the third.
DAYS = [timezone.localdate() - timedelta(days=k) for k in (6, 4, 2)]


def at(day: date, minute: int = 0) -> datetime:
    return datetime.combine(day, time(9), tzinfo=LOCAL_TZ) + timedelta(minutes=minute)


def published(desk: Desk, version: Any, *, on: date) -> Any:
    """Submit and publish a version as if on `on` (a short-notice change, with its reason)."""
    c = desk.c
    catalog_services.version_submit(acting_user=c.editor, version=version, now=noon(on))
    return catalog_services.version_publish(
        confidentiality_checked=True, acting_user=c.reviewer, version=version, now=noon(on)
    )


def item_moves_to_the_other_unit(desk: Desk, *, on: date) -> None:
    """A new version of the desk's item, in force from `on`: handled by the other unit only, citing 食品安全法 §35."""
    c = desk.c
    content = item_content(
        c, handling_unit=c.other_unit, holding_units=[c.other_unit], articles=[c.article(c.food, 35)]
    )
    meta = {"effective_from": on, "short_notice_reason": "职能调整", "change_note": "改由城关所办理"}
    draft = catalog_services.version_draft(
        acting_user=c.editor, kind=CatalogKind.ITEM, entry=desk.item, content=content, meta=meta
    )
    published(desk, draft, on=on)


def av_item(desk: Desk, requirement: str, *, on: date, entry: Any = None) -> Any:
    """The AV item for penalty investigations (a first version, or a new one of `entry`), in force from `on`."""
    c = desk.c
    content = {
        "action_type": ActionType.PENALTY,
        "step": "investigation",
        "requirement": requirement,
        "scope": "",
        "basis_text": "",
    }
    meta = {"effective_from": on, "short_notice_reason": "专项整治", "change_note": "调整"}
    if entry is None:
        version = catalog_services.entry_create(
            acting_user=c.editor, kind=CatalogKind.AV, agency=c.agency, code="AV-INV", content=content, meta=meta
        )
    else:
        version = catalog_services.version_draft(
            acting_user=c.editor, kind=CatalogKind.AV, entry=entry, content=content, meta=meta
        )
    return published(desk, version, on=on)


def case_over_the_days(desk: Desk) -> Case:
    """A penalty case: the initiation, then on each day two investigations by the desk's pair (the first of each day
    with a linked AV record), and the notice on the last day."""
    case = desk.start()
    seq = CaseRecord.objects.filter(case=case).count()
    pair = [{"id": str(p.public_id), "name": p.full_name} for p in (desk.officer, desk.partner)]

    def add(step: str, moment: datetime, officers: list[dict[str, str]], **more: Any) -> CaseRecord:
        nonlocal seq
        seq += 1
        return CaseRecord.objects.create(
            case=case, seq=seq, step=step, occurred_at=moment, officers=officers, recorded_by=desk.officer, **more
        )

    add("initiation", at(DAYS[0]), [])
    for day in DAYS:
        filmed = add("investigation", at(day, 10), pair)
        RecordAV.objects.create(record=filmed, av_record=av_record(desk, at(day, 10), title=f"现场视频{day}"))
        add("investigation", at(day, 20), pair)
    add("notice", at(DAYS[-1], 40), pair, rights_notified=["statement", "defence", "hearing"])
    return case


def checks(case: Case, on: date) -> dict[str, Check]:
    return {c.point: c for c in precheck_case(case=case, draft=MAJOR_DRAFT, on=on)}


def test_the_unit_must_hold_the_item_on_each_day_of_the_records_and_on_the_decision_day(desk):
    case = case_over_the_days(desk)  # opened while the unit held the item
    item_moves_to_the_other_unit(desk, on=DAYS[1])
    people = {str(u.public_id): u for u in User.objects.all()}
    expected: list[str] = []
    for record in case.records.order_by("seq"):
        if spec_for(case.workflow, record.step).field_work:
            for person in record.officers:
                answer = may_act(
                    user=people[person["id"]], item=case.item, region_code=case.region_code, on=record.occurred_at
                )
                expected += answer.reasons
    before, after = checks(case, DAYS[0]), checks(case, DAYS[-1])
    assert [f.split("：", 1)[1] for f in after["officers"].findings] == expected
    held = [f for f in after["officers"].findings if "不承担该执法事项" in f]
    assert held and not any(str(DAYS[0]) in f for f in held)  # the first day's records were under the old version
    assert all(any(str(day) in f for f in held) for day in DAYS[1:])
    assert before["competence"].ok and not after["competence"].ok
    assert any("不承担执法事项" in f for f in after["competence"].findings)
    # The law check reads the version in force on the decision day: its articles, not the first version's.
    first = current_version(CatalogKind.ITEM, desk.item, on=DAYS[0])
    assert before["law"].evidence == [a.citation for a in first.articles.all()]
    assert after["law"].evidence == [desk.c.article(desk.c.food, 35).citation]


def test_each_record_needs_the_av_record_the_items_in_force_that_day_ask_for(desk):
    entry = av_item(desk, AvRequirement.CONTINUOUS, on=DAYS[1]).entry
    av_item(desk, AvRequirement.APPROPRIATE, on=DAYS[2], entry=entry)  # relaxed again on the last day
    case = case_over_the_days(desk)
    found = checks(case, DAYS[-1])["evidence"]
    expected = [
        record.seq
        for record in case.records.order_by("seq")
        if not record.av_links.exists()
        and av_requirement(
            agency=case.agency,
            action_type=case.action_type,
            step=record.step,
            on=timezone.localdate(record.occurred_at),
        )
        == "continuous"
    ]
    assert len(expected) == 1  # the second investigation of the second day only
    assert [int(f.split(" ", 1)[0].lstrip("#")) for f in found.findings] == expected
    assert len(found.evidence) == len(DAYS)  # each linked AV record is shown


def test_a_cited_article_deleted_by_an_amendment_fails_the_law_check_from_that_day(desk):
    c = desk.c
    case = case_over_the_days(desk)
    catalog_services.law_amend(
        acting_user=c.admin,
        law=c.food,
        kind=AmendmentKind.AMEND,
        label="修正",
        effective_from=DAYS[1],
        changes=[catalog_services.ArticleChange(number=122, repealed=True)],
    )
    cited = c.article(c.food, 122)
    assert cited.text_on(DAYS[0]) is not None and cited.text_on(DAYS[1]).repealed
    assert checks(case, DAYS[0])["law"].ok
    after = checks(case, DAYS[1])["law"]
    assert not after.ok and after.findings == [f"{cited.citation} 在 {DAYS[1].isoformat()} 不再有效。"]


def test_a_repealed_law_fails_the_law_check_from_the_repeal(desk):
    c = desk.c
    case = case_over_the_days(desk)
    catalog_services.law_amend(
        acting_user=c.admin, law=c.food, kind=AmendmentKind.REPEAL, label="废止", effective_from=DAYS[2]
    )
    assert checks(case, DAYS[1])["law"].ok
    assert not checks(case, DAYS[2])["law"].ok
