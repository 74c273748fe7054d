"""PUB-2, issue 4: every change to a catalog entry is a new version that goes from draft through legal review to
published, with an effective date; published versions are never changed; the version in force follows the dates."""

from __future__ import annotations

import pytest

from sunlight.catalog import services
from sunlight.catalog.choices import CatalogKind, VersionStatus
from sunlight.catalog.models import ItemVersion
from sunlight.catalog.services import TRANSITIONS
from sunlight.catalog.versioning import content_of, current_version, scheduled_versions
from sunlight.core.calendar import shift_months
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry

from .factories import days, item_content, new_item, noon, today

pytestmark = pytest.mark.django_db


def test_an_item_goes_from_draft_to_review_to_published_and_each_step_is_recorded(catalog):
    draft = new_item(catalog, published=False)
    assert draft.status == VersionStatus.DRAFT and draft.number == 1
    assert current_version(CatalogKind.ITEM, draft.entry, on=today()) is None
    services.version_submit(acting_user=catalog.editor, version=draft)
    assert draft.status == VersionStatus.IN_REVIEW and draft.submitted_by == catalog.editor
    services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=draft, note="依据准确")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.reviewed_by == catalog.reviewer and draft.published_at
    assert current_version(CatalogKind.ITEM, draft.entry, on=today()) == draft
    kinds = list(
        LedgerEntry.objects.filter(stream=f"catalog:item:{draft.entry.public_id}").values_list("kind", flat=True)
    )
    assert kinds == [
        "catalog.entry_created",
        "catalog.version_drafted",
        "catalog.version_submitted",
        "catalog.version_published",
    ]
    published = LedgerEntry.objects.get(kind="catalog.version_published", stream__endswith=str(draft.entry.public_id))
    assert published.payload["content"]["articles"] == ["《中华人民共和国食品安全法》第一百二十二条"]


def test_a_change_is_a_new_version_and_the_old_one_stays_as_it_was(catalog):
    v1 = new_item(catalog)
    content = content_of(CatalogKind.ITEM, v1)
    content["name"] = "对未取得食品经营许可从事食品经营活动的处罚（修订）"
    content["holding_units"] = [catalog.field_unit, catalog.other_unit]
    later = shift_months(today(), 2)
    v2 = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=content,
        meta={"effective_from": later, "change_note": "增加城关所"},
    )
    assert v2.number == 2 and v2.pk != v1.pk
    services.version_submit(acting_user=catalog.editor, version=v2)
    services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=v2)
    v1.refresh_from_db()
    assert v1.name == "对未取得食品经营许可从事食品经营活动的行政处罚"
    assert list(v1.holding_units.all()) == [catalog.field_unit]
    # Until its date the old version is in force and the new one is announced (scheduled); from then on, the new one.
    assert current_version(CatalogKind.ITEM, v1.entry, on=today()) == v1
    assert list(scheduled_versions(CatalogKind.ITEM, on=today())) == [v2]
    assert current_version(CatalogKind.ITEM, v1.entry, on=later) == v2
    assert list(scheduled_versions(CatalogKind.ITEM, on=later)) == []
    assert ItemVersion.objects.filter(entry=v1.entry).count() == 2


def test_a_later_decision_prevails_over_an_earlier_scheduled_one(catalog):
    v1 = new_item(catalog)
    far, near = shift_months(today(), 4), shift_months(today(), 2)
    versions = []
    for effective, name in ((far, "远期版本"), (near, "近期版本")):
        draft = services.version_draft(
            acting_user=catalog.editor,
            kind=CatalogKind.ITEM,
            entry=v1.entry,
            content=item_content(catalog, name=name),
            meta={"effective_from": effective},
        )
        services.version_submit(acting_user=catalog.editor, version=draft)
        versions.append(
            services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=draft)
        )
    _v2, v3 = versions
    assert current_version(CatalogKind.ITEM, v1.entry, on=far) == v3  # v2 never takes effect
    assert list(scheduled_versions(CatalogKind.ITEM, on=today())) == [v3]


def test_a_change_is_announced_a_month_ahead_unless_a_reason_is_given(catalog):
    v1 = new_item(catalog)
    soon = today() + days(7)
    draft = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=item_content(catalog, name="新名称"),
        meta={"effective_from": soon},
    )
    with pytest.raises(ServiceError) as refused:
        services.version_submit(acting_user=catalog.editor, version=draft)
    assert refused.value.errors[0].code == "short_notice"
    services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=item_content(catalog, name="新名称"),
        meta={"effective_from": soon, "short_notice_reason": "上位法修改，须同步施行"},
    )
    draft.refresh_from_db()
    services.version_submit(acting_user=catalog.editor, version=draft)
    services.version_publish(confidentiality_checked=True, acting_user=catalog.reviewer, version=draft)
    assert draft.short_notice_reason == "上位法修改，须同步施行"


def test_no_version_takes_effect_before_it_is_published(catalog):
    draft = new_item(catalog, published=False, effective=today() - days(3))
    with pytest.raises(ServiceError) as refused:
        services.version_submit(acting_user=catalog.editor, version=draft)
    assert refused.value.errors[0].code == "past"


def test_the_transition_table_refuses_moves_from_the_wrong_state(catalog):
    assert TRANSITIONS["publish"][0] == {VersionStatus.IN_REVIEW}
    v1 = new_item(catalog)
    for operation in ("submit", "publish", "return", "discard"):
        with pytest.raises(ServiceError) as refused:
            services.version_transition(acting_user=catalog.reviewer, version=v1, operation=operation, note="x")
        assert refused.value.errors[0].code == "bad_transition"
    v1.refresh_from_db()
    assert v1.status == VersionStatus.PUBLISHED


def test_a_returned_version_goes_back_to_draft_with_the_opinion_and_one_version_is_open_at_a_time(catalog):
    v1 = new_item(catalog, published=False)
    services.version_submit(acting_user=catalog.editor, version=v1)
    with pytest.raises(ServiceError) as busy:
        services.version_draft(
            acting_user=catalog.editor,
            kind=CatalogKind.ITEM,
            entry=v1.entry,
            content=item_content(catalog),
            meta={"effective_from": today()},
        )
    assert busy.value.errors[0].code == "in_review"
    with pytest.raises(ServiceError):
        services.version_return(acting_user=catalog.reviewer, version=v1, note="  ")
    services.version_return(acting_user=catalog.reviewer, version=v1, note="依据条款不完整")
    assert v1.status == VersionStatus.DRAFT and v1.review_note == "依据条款不完整"
    rewritten = services.version_draft(
        acting_user=catalog.editor,
        kind=CatalogKind.ITEM,
        entry=v1.entry,
        content=item_content(catalog, articles=[catalog.article(catalog.food, 122), catalog.article(catalog.food, 35)]),
        meta={"effective_from": today()},
    )
    assert rewritten.pk == v1.pk  # a draft is rewritten, not multiplied
    services.version_discard(acting_user=catalog.editor, version=rewritten)
    assert rewritten.status == VersionStatus.DISCARDED


def test_who_may_draft_and_who_may_publish(catalog, county):
    with pytest.raises(Forbidden):
        services.entry_create(
            acting_user=catalog.officer,
            kind=CatalogKind.ITEM,
            agency=catalog.agency,
            code="X-1",
            identity={"action_type": "penalty", "field": "market"},
            content=item_content(catalog),
            meta={"effective_from": today()},
        )
    draft = new_item(catalog, published=False)
    services.version_submit(acting_user=catalog.editor, version=draft)
    for user in (catalog.editor, catalog.officer, catalog.outsider, county.agency_head):
        with pytest.raises(Forbidden):
            services.version_publish(confidentiality_checked=True, acting_user=user, version=draft)
    assert LedgerEntry.objects.filter(kind="permission.denied", payload__action="catalog.review").count() == 4
    services.version_publish(
        confidentiality_checked=True, acting_user=catalog.reviewer, version=draft, now=noon(today())
    )


def test_bad_content_is_refused_with_every_problem_at_once(catalog, county):
    with pytest.raises(ServiceError) as refused:
        services.entry_create(
            acting_user=catalog.editor,
            kind=CatalogKind.ITEM,
            agency=catalog.agency,
            code="",
            identity={"action_type": "nonsense", "field": "market"},
            content=item_content(catalog, name="", handling_unit=county.other_unit, time_limit_unit=""),
            meta={"effective_from": None},
        )
    fields = {e.field for e in refused.value.errors}
    assert {"code", "action_type", "name", "handling_unit", "time_limit_amount", "effective_from"} <= fields
