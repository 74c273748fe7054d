"""PUB-7: ex-post entries stay public five years after their first publication, then leave the portal; they stay
internally (`publicity_tick`, run by `sunlight tick`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from sunlight.core.models import LedgerEntry
from sunlight.publicity.choices import PublicationStatus
from sunlight.publicity.models import PublicationVersion, SearchEntry
from sunlight.publicity.search import search
from sunlight.publicity.services import publication_update, publicity_tick
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 on 5 March 2026 in Asia/Shanghai


def test_an_entry_leaves_the_portal_five_years_after_publication(county, client):
    draft = make_draft(county)
    user = publisher(county)
    publish(draft, user, now=PUBLISHED)
    # A later update does not restart the five years.
    publication_update(
        publication=draft,
        fields={"result": "罚款人民币3000元"},
        explanation="变更罚款数额。",
        acting_user=user,
        now=datetime(2027, 1, 4, 2, 0, tzinfo=UTC),
    )
    draft.refresh_from_db()
    assert draft.expires_on.isoformat() == "2031-03-05"

    assert publicity_tick(now=datetime(2031, 3, 4, 15, 59, tzinfo=UTC)) == {"expired": 0}  # 23:59 on 4 March
    assert search("过期").total == 1
    assert publicity_tick(now=datetime(2031, 3, 4, 16, 0, tzinfo=UTC)) == {"expired": 1}  # 00:00 on 5 March
    assert publicity_tick(now=datetime(2031, 3, 4, 16, 0, tzinfo=UTC)) == {"expired": 0}  # idempotent

    draft.refresh_from_db()
    assert draft.status == PublicationStatus.EXPIRED
    assert not SearchEntry.objects.exists() and search("过期").total == 0
    assert LedgerEntry.objects.filter(kind="publicity.expired", stream=draft.stream).count() == 1
    page = client.get(f"/decisions/{draft.public_id}/")
    assert page.status_code == 410 and "公示期满" in page.content.decode()
    assert client.get(f"/decisions/{draft.public_id}/verify").status_code == 410
    # Kept internally: every version, and the staff queue lists it as expired.
    assert PublicationVersion.objects.filter(publication=draft).count() == 2
    client.force_login(user)
    assert draft.label in client.get("/workbench/publicity/?status=expired").content.decode()


def test_sunlight_tick_runs_the_retention(county):
    draft = make_draft(county)
    publish(draft, publisher(county), now=datetime(2020, 1, 2, 2, 0, tzinfo=UTC))
    call_command("tick")
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.EXPIRED
