"""The search index is a projection of the versions in force: `sunlight publicity_reindex` rebuilds it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from sunlight.publicity.models import SearchEntry
from sunlight.publicity.search import search
from sunlight.publicity.services import publication_withdraw
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def test_reindex_restores_exactly_the_published_entries(county, capsys):
    user = publisher(county)
    kept, withdrawn = make_draft(county, title="保留的过期食品案"), make_draft(county, title="撤回的过期食品案")
    publish(kept, user)
    publish(withdrawn, user)
    publication_withdraw(publication=withdrawn, explanation="撤销。", acting_user=user)
    make_draft(county, title="草稿过期食品案")
    SearchEntry.objects.all().delete()  # a restore without the index (the FTS5 rows stay stale on SQLite)
    call_command("publicity_reindex")
    assert "1 条公示" in capsys.readouterr().out
    assert [h.title for h in search("过期食品").hits] == ["保留的过期食品案"]
    assert [h.title for h in search("过期").hits] == ["保留的过期食品案"]
    call_command("publicity_reindex")  # idempotent
    assert SearchEntry.objects.count() == 1
