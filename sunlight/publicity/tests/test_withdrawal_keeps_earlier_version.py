"""PUB-6: a revoked or changed decision is withdrawn or updated on the portal within 3 WD, with an explanation shown
publicly; every earlier version stays (append-only), internally."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, OperationalError, transaction
from django.db.utils import DatabaseError

from sunlight.core.errors import ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.publicity.choices import PublicationStatus, RevocationEvent, VersionReason
from sunlight.publicity.models import PublicationVersion, SearchEntry, Withdrawal
from sunlight.publicity.search import search
from sunlight.publicity.services import (
    publication_revoke_request,
    publication_update,
    publication_withdraw,
)
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db

EXPLANATION = "该决定已于2026年5月8日经行政复议被撤销，现撤回公示。"


def test_revocation_opens_three_working_days_and_withdrawal_completes_them(county, client):
    draft = make_draft(county, source_id="case-77")
    user = publisher(county)
    version = publish(draft, user)
    request = publication_revoke_request(
        source_type="case_record",
        source_id="case-77",
        event=RevocationEvent.REVOKED,
        reason="行政复议决定撤销",
        acting_user=None,
    )
    assert request is not None and request.deadline.rule.code == "publicity.revocation_update"
    assert request.deadline.status == "open"
    client.force_login(user)
    assert "行政复议决定撤销" in client.get("/workbench/publicity/").content.decode()  # in the queue, with its clock

    withdrawal = publication_withdraw(publication=draft, explanation=EXPLANATION, acting_user=user)
    draft.refresh_from_db()
    request.deadline.refresh_from_db()
    assert draft.status == PublicationStatus.WITHDRAWN
    assert request.deadline.status == "met"
    assert withdrawal.revocation == request
    assert LedgerEntry.objects.get(seq=withdrawal.ledger_seq).kind == "publicity.withdrawn"
    # The published version is still there, unchanged, with its hash.
    kept = PublicationVersion.objects.get(pk=version.pk)
    assert kept.record == version.record and kept.published_hash == version.published_hash
    # Off the portal's lists and search, with the explanation at the stable address.
    assert not SearchEntry.objects.exists()
    assert search("过期").total == 0
    page = client.get(f"/decisions/{draft.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and EXPLANATION in html
    assert version.record["body"] not in html
    assert client.get(f"/decisions/{draft.public_id}/record.json").status_code == 404


def test_update_is_a_new_version_with_a_public_explanation(county, client):
    draft = make_draft(county, source_id="case-78")
    user = publisher(county)
    first = publish(draft, user)
    request = publication_revoke_request(
        source_type="case_record",
        source_id="case-78",
        event=RevocationEvent.CHANGED,
        reason="罚款数额变更",
        acting_user=None,
    )
    fields = {"result": "没收违法所得并处罚款人民币3000元"}
    with pytest.raises(ServiceError) as caught:
        publication_update(publication=draft, fields=fields, explanation="", acting_user=user)
    assert caught.value.errors[0].field == "explanation"
    second = publication_update(
        publication=draft, fields=fields, explanation="经复议变更罚款数额为3000元。", acting_user=user
    )
    assert second.number == 2 and second.reason == VersionReason.UPDATE and second.revocation == request
    assert second.record["result"].endswith("3000元") and second.record["body"] == first.record["body"]
    request.deadline.refresh_from_db()
    assert request.deadline.status == "met"
    assert PublicationVersion.objects.get(pk=first.pk).record["result"].endswith("5000元")
    html = client.get(f"/decisions/{draft.public_id}/").content.decode()
    assert "经复议变更罚款数额为3000元。" in html and "3000元" in html
    assert search("3000元").total == 1 and search("5000元").total == 0
    with pytest.raises(ServiceError):
        publication_update(publication=draft, fields=fields, explanation="再次", acting_user=user)  # nothing changed


def test_nothing_to_do_for_a_decision_never_published(county):
    assert (
        publication_revoke_request(source_type="case_record", source_id="none", reason="撤销", acting_user=None) is None
    )
    draft = make_draft(county)
    publication_withdraw(publication=draft, explanation="立案错误，决定已撤销。", acting_user=publisher(county))
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.WITHDRAWN and draft.deadline.status == "cancelled"
    assert (
        publication_revoke_request(
            source_type=draft.source_type, source_id=draft.source_id, reason="撤销", acting_user=None
        )
        is None
    )


def test_versions_and_withdrawals_cannot_be_changed_or_deleted(county):
    draft = make_draft(county)
    user = publisher(county)
    publish(draft, user)
    publication_withdraw(publication=draft, explanation=EXPLANATION, acting_user=user)
    for queryset in (PublicationVersion.objects.all(), Withdrawal.objects.all()):
        with pytest.raises((IntegrityError, InternalError, OperationalError, DatabaseError)), transaction.atomic():
            queryset.update(ledger_seq=0)
        with pytest.raises((IntegrityError, InternalError, OperationalError, DatabaseError)), transaction.atomic():
            queryset.delete()
    assert PublicationVersion.objects.count() == 1 and Withdrawal.objects.count() == 1
