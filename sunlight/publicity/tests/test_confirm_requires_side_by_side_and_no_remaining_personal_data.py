"""PUB-5: a person confirms the automatic redaction on a side-by-side screen before anything is published; text that
still holds personal data is refused unless the person consented to publication in full (recorded)."""

from __future__ import annotations

import pytest

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.ledger import canonical_json, sha256_hex
from sunlight.core.models import LedgerEntry
from sunlight.publicity.choices import PublicationStatus
from sunlight.publicity.models import PublicationVersion, SearchEntry
from sunlight.publicity.services import publication_confirm, review_token_of
from sunlight.publicity.tests.factories import ID_NUMBER, MOBILE, PERSON, make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def _proposal(draft):
    return {name: value["text"] for name, value in draft.source.proposal.items()}


def test_confirming_without_the_side_by_side_token_is_refused(county):
    draft = make_draft(county)
    user = publisher(county)
    for token in ("", "0" * 64):
        with pytest.raises(ServiceError) as caught:
            publication_confirm(publication=draft, review_token=token, acting_user=user)
        assert [e.field for e in caught.value.errors] == ["review_token"]
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    assert not PublicationVersion.objects.exists() and not SearchEntry.objects.exists()


def test_text_that_still_names_the_person_or_holds_an_id_number_is_refused(county):
    draft = make_draft(county)
    user = publisher(county)
    fields = _proposal(draft)
    fields["body"] = fields["body"] + f"（身份证号码{ID_NUMBER}，电话{MOBILE}）"
    fields["party"] = PERSON
    with pytest.raises(ServiceError) as caught:
        publication_confirm(publication=draft, review_token=review_token_of(draft), fields=fields, acting_user=user)
    errors = {e.field: e for e in caught.value.errors}
    assert set(errors) == {"body", "party"}
    assert errors["body"].code == "personal_data"
    assert "身份证号码 1 处" in errors["body"].message and "手机号码 1 处" in errors["body"].message
    assert "自然人姓名" in errors["party"].message
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT


def test_consent_to_publish_in_full_is_recorded(county):
    draft = make_draft(county)
    user = publisher(county)
    fields = _proposal(draft)
    fields["party"] = PERSON
    with pytest.raises(ServiceError) as caught:
        publication_confirm(
            publication=draft, review_token=review_token_of(draft), fields=fields, consent_full=True, acting_user=user
        )
    assert [e.field for e in caught.value.errors] == ["consent_note"]
    version = publication_confirm(
        publication=draft,
        review_token=review_token_of(draft),
        fields=fields,
        consent_full=True,
        consent_note="当事人2026年3月5日书面同意全文公开",
        acting_user=user,
    )
    assert version.consent_full and version.consent_note.startswith("当事人")
    assert version.record["party"] == PERSON
    assert LedgerEntry.objects.get(kind="publicity.published").payload["consent_full"] is True


def test_only_the_agencys_publishers_confirm(county):
    draft = make_draft(county)
    for user in (county.officer, county.unit_head, county.other_officer, county.supervisor):
        with pytest.raises(Forbidden):
            publication_confirm(publication=draft, review_token=review_token_of(draft), acting_user=user)
    assert LedgerEntry.objects.filter(kind="permission.denied").count() == 4
    assert publish(draft, county.agency_head).number == 1  # the agency head publishes too


def test_publishing_completes_the_deadline_and_records_the_hash(county):
    draft = make_draft(county)
    user = publisher(county)
    fields = _proposal(draft)
    fields["body"] = fields["body"].replace("小吃店", "小吃店（已核实）")  # the confirmer may edit the text
    version = publication_confirm(
        publication=draft, review_token=review_token_of(draft), fields=fields, acting_user=user
    )
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED and draft.current_version == version
    assert draft.deadline.status in ("met", "late") and draft.deadline.completed_at == version.confirmed_at
    assert version.record["body"] == fields["body"]
    assert version.changes["body"]["edited"] is True and version.changes["title"]["edited"] is False
    assert version.changes["body"]["automatic"]  # what the engine changed is kept with the version
    assert version.published_hash == sha256_hex(canonical_json(version.record))
    entry = LedgerEntry.objects.get(seq=version.ledger_seq)
    assert entry.kind == "publicity.published" and entry.payload["published_hash"] == version.published_hash
    assert "original_hash" not in entry.payload  # public on the verify page: nothing derived from the original
    assert SearchEntry.objects.get(publication=draft).version == 1
    with pytest.raises(ServiceError):
        publish(draft, user)  # no longer a draft


def test_the_confirmation_screen_shows_both_texts_and_explains_refusals_in_chinese(county, client):
    draft = make_draft(county)
    client.force_login(publisher(county))
    page = client.get(f"/workbench/publicity/{draft.public_id}/confirm/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="original-body"' in html and 'data-testid="redacted-body"' in html
    assert f'<mark class="redaction redaction-id_number">{ID_NUMBER}</mark>' in html
    assert '<mark class="redaction redaction-person">张某</mark>' in html
    assert html.count('class="redaction redaction-') >= 10
    token = review_token_of(draft)
    assert token in html
    posted = {**_proposal(draft), "review_token": token}
    posted["body"] += f"身份证号{ID_NUMBER}"
    refused = client.post(f"/workbench/publicity/{draft.public_id}/confirm/", posted)
    assert refused.status_code == 400
    assert "“主要内容”中仍有未隐去的个人信息（身份证号码 1 处）" in refused.content.decode()
    posted["body"] = _proposal(draft)["body"]
    done = client.post(f"/workbench/publicity/{draft.public_id}/confirm/", posted)
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED


def test_a_stale_screen_is_refused_on_the_page(county, client):
    draft = make_draft(county)
    client.force_login(publisher(county))
    posted = {**_proposal(draft), "review_token": "stale"}
    refused = client.post(f"/workbench/publicity/{draft.public_id}/confirm/", posted)
    assert refused.status_code == 400
    assert "请在对照页面核对原文与隐名处理结果后再确认" in refused.content.decode()
