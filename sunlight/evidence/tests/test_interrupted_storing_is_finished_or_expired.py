"""REC-6 crash safety: when storing fails or the server dies between writing the copies and registering them, the
upload stays resumable and `sunlight evidence tidy` finishes it; abandoned uploads expire and leave no file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sunlight.core.choices import DeadlineStatus
from sunlight.evidence import storage
from sunlight.evidence.choices import UploadStatus
from sunlight.evidence.models import StoredFile, UploadSession
from sunlight.evidence.selectors import record_deadline
from sunlight.evidence.uploads import uploads_tidy

from .factories import logged_in, make_video, register, sha256, tus_create, tus_head, tus_patch

pytestmark = pytest.mark.django_db


def test_a_store_that_fails_leaves_no_evidence_and_the_client_retries(county, monkeypatch):
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(150_000)
    url = tus_create(client, record, length=len(data))["Location"]
    real_put = storage.DirectoryStore.put_verified

    def failing_put(self, name, source):
        if self.key == "b":
            raise storage.StoreError("disk full")
        return real_put(self, name, source)

    monkeypatch.setattr(storage.DirectoryStore, "put_verified", failing_put)
    response = tus_patch(client, url, data, offset=0)
    assert response.status_code == 503 and "存储暂时不可用" in response.content.decode()
    assert not StoredFile.objects.exists()
    offset = int(tus_head(client, url)["Upload-Offset"])
    assert offset == max(0, len(data) - storage.BLOCK)  # all but the last block acknowledged: resend only that

    monkeypatch.setattr(storage.DirectoryStore, "put_verified", real_put)
    done = tus_patch(client, url, data[offset:], offset=offset)
    assert done.status_code == 204 and StoredFile.objects.get().sha256 == sha256(data)


def test_tidy_finishes_an_upload_whose_server_died_while_storing(county, monkeypatch, evidence_stores):
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(120_000)
    url = tus_create(client, record, length=len(data))["Location"]

    class Killed(BaseException):
        """Stands for SIGKILL between writing the copies and the registering transaction."""

    from sunlight.evidence import uploads

    monkeypatch.setattr(uploads, "_stored_file", lambda *a, **k: (_ for _ in ()).throw(Killed()))
    monkeypatch.setattr(uploads, "_release", lambda *a: None)  # a killed process runs no `finally`
    with pytest.raises(Killed):
        tus_patch(client, url, data, offset=0)
    monkeypatch.undo()
    session = UploadSession.objects.get()
    assert session.status == UploadStatus.STORING and not StoredFile.objects.exists()
    assert record_deadline(record).status == DeadlineStatus.OPEN

    assert uploads_tidy()["recovered"] == 0  # the lease of the dead request has not run out yet
    UploadSession.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    call_command("evidence", "tidy")
    session.refresh_from_db()
    assert session.status == UploadStatus.COMPLETED
    assert StoredFile.objects.get().sha256 == sha256(data)
    assert record_deadline(record).status == DeadlineStatus.MET


def test_abandoned_uploads_expire_and_leave_no_partial_file(county, settings, evidence_stores):
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(100_000)
    url = tus_create(client, record, length=len(data))["Location"]
    tus_patch(client, url, data[:40_000], offset=0)
    assert len(list(evidence_stores.uploads.glob("*.part"))) == 1
    later = timezone.now() + timedelta(hours=settings.SUNLIGHT_EVIDENCE_UPLOAD_EXPIRY_HOURS + 1)
    assert uploads_tidy(now=later)["expired"] == 1
    assert UploadSession.objects.get().status == UploadStatus.EXPIRED
    assert not list(evidence_stores.uploads.glob("*.part"))
    gone = tus_patch(client, url, data[40_000:], offset=40_000)
    assert gone.status_code == 410 and "已过期" in gone.content.decode()


def test_tidy_removes_temporary_files_of_copies_that_never_finished(county, evidence_stores):
    import os
    import time

    leftover = evidence_stores.b / "sha256" / "ab" / "cd" / ".abcd.0123.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a copy")
    fresh = leftover.with_name(".abcd.4567.part")
    fresh.write_bytes(b"a copy being written right now")
    hour_ago = time.time() - 3700
    os.utime(leftover, (hour_ago, hour_ago))
    assert uploads_tidy()["removed"] == 1
    assert not leftover.exists() and fresh.exists()
