"""REC-6 bad input: each refusal has a clear Chinese message and the tus status, and a partial or refused upload
never becomes evidence."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest

from sunlight.core.models import LedgerEntry
from sunlight.evidence.choices import UploadStatus
from sunlight.evidence.models import AVFile, StoredFile, UploadSession
from sunlight.evidence.uploads import UploadError, upload_receive

from .factories import (
    OFFSET_TYPE,
    TUS,
    logged_in,
    make_video,
    metadata,
    register,
    sha256,
    tus_create,
    tus_head,
    tus_patch,
)

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode("utf-8")


def no_evidence() -> bool:
    return not StoredFile.objects.exists() and not AVFile.objects.exists()


@pytest.fixture
def started(county):
    """An upload of 200,000 bytes with the first 50,000 received."""
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(200_000)
    url = tus_create(client, record, length=len(data))["Location"]
    assert tus_patch(client, url, data[:50_000], offset=0).status_code == 204
    return client, url, data


def test_wrong_offset_is_409_and_names_the_offset_to_resume_from(started):
    client, url, data = started
    response = tus_patch(client, url, data[60_000:70_000], offset=60_000)
    assert response.status_code == 409
    assert response["Tus-Resumable"] == "1.0.0"
    assert response["Sunlight-Error"] == "offset_mismatch"
    assert "请从 50000 字节处续传" in body(response)
    assert tus_head(client, url)["Upload-Offset"] == "50000"


def test_checksum_mismatch_is_460_and_the_chunk_is_discarded(started):
    client, url, data = started
    wrong = hashlib.sha256(b"something else").digest()
    response = tus_patch(client, url, data[50_000:100_000], offset=50_000, checksum=wrong)
    assert response.status_code == 460
    assert "校验失败" in body(response) and "50000" in body(response)
    assert tus_head(client, url)["Upload-Offset"] == "50000"
    # the same chunk sent correctly is accepted: the upload goes on from where it was
    rest = data[50_000:]
    assert tus_patch(client, url, rest, offset=50_000, checksum=hashlib.sha256(rest).digest()).status_code == 204
    assert StoredFile.objects.get().sha256 == sha256(data)


def test_unsupported_checksum_algorithm_is_400(started):
    client, url, data = started
    response = tus_patch(client, url, data[50_000:60_000], offset=50_000, **{"Upload-Checksum": "md5 AAAA"})
    assert response.status_code == 400 and "仅支持 sha256" in body(response)


def test_file_over_the_configured_size_is_413(county, settings):
    settings.SUNLIGHT_EVIDENCE_MAX_BYTES = 100_000
    response = tus_create(logged_in(county.officer), register(county.officer), length=100_001)
    assert response.status_code == 413
    assert "超过允许的上限" in body(response)
    assert not UploadSession.objects.exists()


def test_more_bytes_than_declared_is_413(started):
    client, url, data = started
    response = tus_patch(client, url, data[50_000:] + b"extra", offset=50_000)
    assert response.status_code == 413 and "超出声明的文件大小" in body(response)
    assert tus_head(client, url)["Upload-Offset"] == "50000"


def test_type_not_allowed_is_415(county):
    response = tus_create(logged_in(county.officer), register(county.officer), length=1000, filename="说明.exe")
    assert response.status_code == 415
    assert "不允许上传“.exe”类型的文件" in body(response)
    assert not UploadSession.objects.exists()


def test_content_that_is_not_what_its_name_says_is_415_and_ends_the_upload(county):
    record = register(county.officer)
    client = logged_in(county.officer)
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00" + make_video(100_000)[12:]  # an executable, named .mp4
    url = tus_create(client, record, length=len(data))["Location"]
    response = tus_patch(client, url, data[:60_000], offset=0)
    assert response.status_code == 415
    assert "文件内容与其类型（.mp4）不符" in body(response)
    assert UploadSession.objects.get().status == UploadStatus.FAILED
    assert tus_patch(client, url, data[60_000:], offset=60_000).status_code == 410
    assert tus_head(client, url).status_code == 410
    assert no_evidence()
    assert LedgerEntry.objects.get(kind="evidence.upload_rejected").payload["code"] == "bad_content"


def test_whole_file_hash_mismatch_is_460_and_never_becomes_evidence(county):
    record = register(county.officer)
    client = logged_in(county.officer)
    data = make_video(150_000)
    url = tus_create(client, record, length=len(data), sha256="0" * 64)["Location"]
    assert tus_patch(client, url, data[:100_000], offset=0).status_code == 204
    response = tus_patch(client, url, data[100_000:], offset=100_000)
    assert response.status_code == 460
    assert "与上传前声明的" in body(response) and sha256(data) in body(response)
    assert no_evidence()
    assert UploadSession.objects.get().status == UploadStatus.FAILED
    rejected = LedgerEntry.objects.get(kind="evidence.upload_rejected")
    assert (rejected.payload["code"], rejected.payload["sha256"]) == ("hash_mismatch", sha256(data))


def test_truncated_body_is_400_over_http(started):
    client, url, data = started
    short = client.generic(
        "PATCH",
        url,
        data[50_000:60_000],
        content_type=OFFSET_TYPE,
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "50000", "Content-Length": "30000"},
    )
    assert short.status_code == 400 and "数据不完整：本次应收 30000 字节" in body(short)
    assert no_evidence()


def test_truncated_body_keeps_what_arrived_unless_a_checksum_was_promised(county):
    """A connection that breaks mid-chunk: the bytes that arrived are kept, unless the chunk carried a checksum
    (then it cannot be verified and is dropped whole)."""
    record = register(county.officer)
    data = make_video(200_000)
    client = logged_in(county.officer)
    url = tus_create(client, record, length=len(data))["Location"]
    upload_id = url.rstrip("/").rsplit("/", 1)[-1]

    def send(offset: int, part: bytes, declared: int, checksum: str = ""):
        with pytest.raises(UploadError) as refused:
            upload_receive(
                acting_user=county.officer,
                upload_id=upload_id,
                offset=offset,
                body=io.BytesIO(part),
                content_length=declared,
                checksum=checksum,
            )
        return refused.value

    error = send(0, data[:10_000], 30_000)
    assert (error.status, error.code) == (400, "truncated")
    assert "已保存至 10000 字节" in error.message
    assert tus_head(client, url)["Upload-Offset"] == "10000"

    promised = "sha256 " + base64.b64encode(hashlib.sha256(data[10_000:40_000]).digest()).decode()
    error = send(10_000, data[10_000:20_000], 30_000, promised)
    assert (error.status, error.code) == (400, "truncated")
    assert "该数据块已丢弃" in error.message
    assert tus_head(client, url)["Upload-Offset"] == "10000"

    assert tus_patch(client, url, data[10_000:], offset=10_000).status_code == 204
    assert StoredFile.objects.get().sha256 == sha256(data)


def test_protocol_errors(started, county):
    client, url, _data = started
    assert (
        client.generic("PATCH", url, b"x", content_type=OFFSET_TYPE, headers={"Upload-Offset": "50000"}).status_code
        == 412
    )
    wrong_type = client.generic(
        "PATCH",
        url,
        b"x",
        content_type="application/json",
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "50000"},
    )
    assert wrong_type.status_code == 415 and "application/offset+octet-stream" in body(wrong_type)
    no_offset = client.generic("PATCH", url, b"x", content_type=OFFSET_TYPE, headers={"Tus-Resumable": "1.0.0"})
    assert no_offset.status_code == 400 and "Upload-Offset" in body(no_offset)
    delete = client.delete(url, headers={"Tus-Resumable": "1.0.0"})
    assert delete.status_code == 405 and "不可删除" in body(delete)
    no_length = client.generic(
        "POST", TUS, b"", headers={"Tus-Resumable": "1.0.0", "Upload-Metadata": metadata(filename="a.mp4")}
    )
    assert no_length.status_code == 400 and "record" in body(no_length)


def test_uploads_are_private_to_whoever_started_them(started, county):
    _client, url, data = started
    other = logged_in(county.officer_b)
    assert tus_head(other, url).status_code == 404
    assert tus_patch(other, url, data[50_000:60_000], offset=50_000).status_code == 404
    from django.test import Client

    anonymous = tus_patch(Client(), url, data[50_000:60_000], offset=50_000)
    assert anonymous.status_code == 401 and "请先登录" in body(anonymous)


def test_upload_to_a_record_outside_scope_is_404(county):
    record = register(county.other_officer)
    response = tus_create(logged_in(county.officer), record, length=1000)
    assert response.status_code == 404 and "音像记录不存在或您无权查看" in body(response)


def test_patch_needs_the_csrf_token_like_every_unsafe_request(county):
    record = register(county.officer)
    client = logged_in(county.officer, enforce_csrf_checks=True)
    client.get("/workbench/")
    token = client.cookies["csrftoken"].value
    data = make_video(1000)
    refused = client.generic(
        "POST",
        TUS,
        b"",
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "1000",
            "Upload-Metadata": metadata(record=str(record.public_id), filename="a.mp4"),
        },
    )
    assert refused.status_code == 403
    created = client.generic(
        "POST",
        TUS,
        b"",
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "1000",
            "Upload-Metadata": metadata(record=str(record.public_id), filename="a.mp4"),
            "X-CSRFToken": token,
        },
    )
    assert created.status_code == 201
    assert tus_patch(client, created["Location"], data, offset=0).status_code == 403
    assert tus_patch(client, created["Location"], data, offset=0, **{"X-CSRFToken": token}).status_code == 204
