"""Issue 4, PUB-2: laws keep their articles, validity and amendments; an amendment of a cited article flags every entry
that cites it and starts a 20-working-day clock to update it, which a new published version (or a reviewer's finding
that nothing needs to change) stops."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import AmendmentKind, CatalogKind, FlagStatus
from sunlight.catalog.models import CatalogFlag
from sunlight.catalog.services import ArticleChange
from sunlight.catalog.versioning import content_of
from sunlight.core.calendar import WorkCalendar, end_of_local_day
from sunlight.core.errors import Forbidden, ServiceError

from .factories import item_content, new_benchmark, new_item, noon, today

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)  # 20 working days later: Monday 30 March 2026 (no holiday in between)


def amend(catalog, changes, *, kind=AmendmentKind.AMEND, law=None, now=None):
    return services.law_amend(
        acting_user=catalog.admin,
        law=law or catalog.food,
        kind=kind,
        label="2026年第三次修正",
        effective_from=today(),
        changes=changes,
        now=now,
    )


def test_articles_keep_their_wording_through_amendments(catalog):
    article = catalog.article(catalog.food, 122)
    before = article.text_on(today())
    amend(
        catalog,
        [
            ArticleChange(122, "新的第一百二十二条"),
            ArticleChange(35, "", repealed=True),
            ArticleChange(200, "新增条文"),
        ],
    )
    assert article.text_on(today()).text == "新的第一百二十二条"
    assert article.text_on(date(2020, 1, 1)) == before  # the old wording stays, dated
    assert catalog.article(catalog.food, 35).text_on(today()).repealed
    assert catalog.article(catalog.food, 200).text_on(today()).text == "新增条文"
    assert catalog.food.amendments.count() == 1


def test_an_amended_article_flags_citing_entries_with_a_20_working_day_deadline(catalog):
    item = new_item(catalog).entry
    benchmark = new_benchmark(catalog).entry
    unrelated = new_item(catalog, "SC-CF-002", articles=[catalog.article(catalog.price, 42)]).entry
    amend(catalog, [ArticleChange(122, "新的第一百二十二条")], now=noon(MONDAY))
    flags = {f.entry_public_id: f for f in CatalogFlag.objects.all()}
    assert set(flags) == {item.public_id, benchmark.public_id}
    assert unrelated.public_id not in flags
    deadline = flags[item.public_id].deadline
    assert deadline.rule.code == "publicity.catalog_update" and deadline.rule.amount == 20
    assert deadline.due_at == end_of_local_day(WorkCalendar.load(deadline.region_code).add_workdays(MONDAY, 20))
    assert deadline.due_at == end_of_local_day(date(2026, 3, 30))
    assert deadline.agency == catalog.agency and deadline.unit == catalog.field_unit
    assert "中华人民共和国食品安全法" in deadline.subject_label


def test_an_amendment_that_names_no_article_touches_the_whole_law_and_a_repeal_too(catalog):
    new_item(catalog, articles=[catalog.article(catalog.food, 35)])
    amend(catalog, [], kind=AmendmentKind.REVISE)
    assert CatalogFlag.objects.count() == 1
    amend(catalog, [], kind=AmendmentKind.REPEAL)
    assert CatalogFlag.objects.count() == 2
    assert catalog.food.repealed_on() == today()
    with pytest.raises(ServiceError):
        amend(catalog, [], kind=AmendmentKind.AMEND)  # a repealed law is not amended


def test_publishing_a_new_version_resolves_the_flag_and_stops_the_clock(catalog):
    v1 = new_item(catalog)
    amend(catalog, [ArticleChange(122, "新的第一百二十二条")])
    flag = CatalogFlag.objects.get()
    content = content_of(CatalogKind.ITEM, v1)
    draft = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=content,
        meta={"effective_from": today(), "short_notice_reason": "上位法已修改", "change_note": "按新法更新"},
    )
    services.version_submit(acting_user=catalog.editor, version=draft)
    services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=draft)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.UPDATED and flag.resolved_by == catalog.reviewer
    flag.deadline.refresh_from_db()
    assert flag.deadline.status == "met"


def test_a_reviewer_may_find_that_nothing_needs_to_change(catalog):
    new_item(catalog)
    amend(catalog, [ArticleChange(122, "仅文字调整")])
    flag = CatalogFlag.objects.get()
    with pytest.raises(Forbidden):
        services.flag_dismiss(acting_user=catalog.editor, flag=flag, note="无实质变化")
    with pytest.raises(ServiceError):
        services.flag_dismiss(acting_user=catalog.reviewer, flag=flag, note="")
    services.flag_dismiss(acting_user=catalog.reviewer, flag=flag, note="仅文字调整，事项内容无需变化")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert flag.deadline.status == "met"


def test_a_deleted_article_cannot_be_cited_by_new_versions(catalog):
    amend(catalog, [ArticleChange(35, "", repealed=True)])
    with pytest.raises(ServiceError) as refused:
        new_item(catalog, articles=[catalog.article(catalog.food, 35)], published=False)
    assert refused.value.errors[0].code == "not_in_force"


def test_laws_are_validated_and_only_legal_staff_record_them(catalog):
    with pytest.raises(ServiceError) as refused:
        services.law_create(
            acting_user=catalog.admin,
            title="中华人民共和国食品安全法",
            kind="nonsense",
            effective_from=None,
            articles=[(1, "甲"), (1, "乙"), (2, " ")],
        )
    assert {e.code for e in refused.value.errors} == {"duplicate", "invalid", "required"}
    with pytest.raises(Forbidden):
        services.law_create(acting_user=catalog.editor, title="某条例", kind="law", effective_from=today())
    law = services.law_create(
        acting_user=catalog.reviewer, title="《某条例》", kind="admin_regulation", effective_from=today()
    )
    assert law.title == "某条例"
    services.law_articles_add(acting_user=catalog.reviewer, law=law, articles=[(1, "第一条内容")])
    with pytest.raises(ServiceError):
        services.law_articles_add(acting_user=catalog.reviewer, law=law, articles=[(1, "改写")])
    assert item_content(catalog)["name"]
