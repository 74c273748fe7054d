"""REC-10: evidence rows cannot be changed or removed, not even by code that tries; upload sessions can."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from sunlight.evidence.models import AVFile, AVRecord, Interruption, StoredCopy, StoredFile, UploadSession

from .factories import logged_in, make_video, register, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [AVRecord, Interruption, StoredFile, StoredCopy, AVFile])
def test_update_and_delete_are_refused(county, model):
    now = timezone.now()
    interruption = {
        "started_at": now - timedelta(hours=1, minutes=20),
        "ended_at": now - timedelta(hours=1, minutes=15),
        "reason": "电池耗尽，更换电池",
        "statement_form": "spoken",
    }
    record = register(county.officer, interruptions=[interruption])
    upload(logged_in(county.officer), record, make_video(30_000))
    row = model.objects.first()
    assert row is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(id=row.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_upload_sessions_are_not_evidence_and_may_change(county):
    record = register(county.officer)
    upload(logged_in(county.officer), record, make_video(30_000))
    assert UploadSession.objects.update(error="x") == 1
