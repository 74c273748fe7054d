"""REC-6: a chunked, resumable (tus) upload becomes evidence only once both copies are written and verified;
the file is addressed by its SHA-256, which is in the ledger; the upload deadline is met."""

from __future__ import annotations

import pytest

from sunlight.core.choices import DeadlineStatus
from sunlight.core.models import LedgerEntry
from sunlight.evidence import uploads
from sunlight.evidence.choices import UploadStatus
from sunlight.evidence.models import AVFile, StoredFile, UploadSession, object_name_for
from sunlight.evidence.selectors import record_deadline

from .factories import TUS, logged_in, make_video, register, sha256, tus_create, tus_head, tus_patch, upload

pytestmark = pytest.mark.django_db


def test_options_announce_the_protocol_and_its_limits(county, settings):
    response = logged_in(county.officer).options(TUS)
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,checksum,expiration"  # no termination: nothing is deleted
    assert response["Tus-Checksum-Algorithm"] == "sha256"
    assert response["Tus-Max-Size"] == str(settings.SUNLIGHT_EVIDENCE_MAX_BYTES)


def test_chunked_upload_stores_two_verified_copies(county, evidence_stores, django_capture_on_commit_callbacks):
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(350_000)
    digest = sha256(data)

    with django_capture_on_commit_callbacks(execute=True):
        last = upload(client, record, data, chunk=100_000, sha256=digest)

    assert last["Upload-Offset"] == str(len(data))
    assert last["Sunlight-Evidence-Sha256"] == digest
    stored = StoredFile.objects.get(sha256=digest)
    assert (stored.size, stored.content_type) == (len(data), "video/mp4")
    assert sorted(stored.copies.values_list("store", flat=True)) == ["a", "b"]
    name = object_name_for(digest)
    assert (evidence_stores.a / name).read_bytes() == data
    assert (evidence_stores.b / name).read_bytes() == data
    av_file = AVFile.objects.get(record=record)
    assert (av_file.filename, av_file.uploaded_by) == ("现场.mp4", county.officer)
    entry = LedgerEntry.objects.get(kind="evidence.stored")
    assert entry.stream == f"evidence:{digest}"
    assert entry.payload["sha256"] == digest and entry.payload["size"] == len(data)
    assert entry.payload["record"] == str(record.public_id)
    assert {c["store"] for c in entry.payload["copies"]} == {"a", "b"}
    session = UploadSession.objects.get()
    assert (session.status, session.offset, session.result) == (UploadStatus.COMPLETED, len(data), av_file)
    assert not any(evidence_stores.uploads.iterdir()), "the partial file is removed once the evidence is stored"
    a, b = (evidence_stores.a / name).stat(), (evidence_stores.b / name).stat()
    assert a.st_ino != b.st_ino and a.st_nlink == 1 and b.st_nlink == 1, "two independent copies"
    assert record_deadline(record).status == DeadlineStatus.MET


def test_head_tells_where_to_resume_and_a_resumed_upload_is_hashed_whole(county):
    """A PATCH handled by another process (no cached hash state) re-hashes the partial file: same SHA-256."""
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(250_000)
    url = tus_create(client, record, length=len(data))["Location"]
    assert tus_patch(client, url, data[:120_000], offset=0).status_code == 204

    head = tus_head(client, url)
    assert head.status_code == 200
    assert (head["Upload-Offset"], head["Upload-Length"]) == ("120000", "250000")
    assert head["Cache-Control"].startswith("max-age=0") or "no-store" in head["Cache-Control"]
    assert "Upload-Expires" in head

    uploads._HASHERS.clear()  # as if the next request reached a freshly started server
    done = tus_patch(client, url, data[120_000:], offset=120_000)
    assert done.status_code == 204
    assert done["Sunlight-Evidence-Sha256"] == sha256(data)
    assert StoredFile.objects.get().sha256 == sha256(data)


def test_same_contents_uploaded_to_a_second_record_are_stored_once(county, evidence_stores):
    data = make_video(120_000)
    first, second = register(county.officer), register(county.officer, title="第二段")
    client = logged_in(county.officer)
    upload(client, first, data)
    upload(client, second, data)
    assert StoredFile.objects.count() == 1
    assert AVFile.objects.filter(file__sha256=sha256(data)).count() == 2
    entries = LedgerEntry.objects.filter(kind="evidence.stored").order_by("seq")
    assert [e.payload["new_contents"] for e in entries] == [True, False]
    assert record_deadline(second).status == DeadlineStatus.MET


def test_upload_without_checksums_in_one_request(county):
    record = register(county.officer)
    data = make_video(200_000)
    last = upload(logged_in(county.officer), record, data, chunk=len(data), checksums=False)
    assert last["Sunlight-Evidence-Sha256"] == sha256(data)
