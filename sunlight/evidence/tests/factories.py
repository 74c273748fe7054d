"""Test data for the evidence app: AV records through the service, media bytes, and a small tus client."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from sunlight.evidence.choices import Scene
from sunlight.evidence.models import AVRecord
from sunlight.evidence.services import InterruptionIn, av_record_register

TUS = "/workbench/evidence/tus/"
OFFSET_TYPE = "application/offset+octet-stream"


def make_video(size: int = 300_000, *, seed: bytes = b"") -> bytes:
    """Bytes that look like an MP4 (an ftyp box first) followed by random data."""
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    body = os.urandom(max(0, size - len(head) - len(seed)))
    return (head + seed + body)[:size]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def register(officer: Any, *, ended_hours_ago: float = 1, acting_user: Any = None, **kwargs: Any) -> AVRecord:
    """An AV record of `officer` whose recording ended `ended_hours_ago` hours ago (30 minutes long)."""
    end = timezone.now() - timedelta(hours=ended_hours_ago)
    values: dict[str, Any] = {
        "title": "现场检查某超市食品经营情况",
        "scene": Scene.ON_SITE,
        "device_number": "DSJ-3412-001",
        "recorded_from": end - timedelta(minutes=30),
        "recorded_to": end,
        "place": "临泉县城关街道人民路88号",
    }
    values.update(kwargs)
    if "interruptions" in values:
        values["interruptions"] = [InterruptionIn(**i) if isinstance(i, dict) else i for i in values["interruptions"]]
    return av_record_register(acting_user=acting_user or officer, officer=officer, **values)


def logged_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def tus_create(client: Client, record: AVRecord, *, length: int, filename: str = "现场.mp4", **extra: str) -> Any:
    meta = metadata(record=str(record.public_id), filename=filename, filetype="video/mp4", **extra)
    headers = {"Tus-Resumable": "1.0.0", "Upload-Length": str(length), "Upload-Metadata": meta}
    return client.generic("POST", TUS, b"", headers=headers)


def tus_patch(
    client: Client, url: str, data: bytes, *, offset: int, checksum: bytes | None = None, **headers: str
) -> Any:
    values = {"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset), **headers}
    if checksum is not None:
        values["Upload-Checksum"] = "sha256 " + base64.b64encode(checksum).decode()
    return client.generic("PATCH", url, data, content_type=OFFSET_TYPE, headers=values)


def tus_head(client: Client, url: str) -> Any:
    return client.head(url, headers={"Tus-Resumable": "1.0.0"})


def upload(
    client: Client, record: AVRecord, data: bytes, *, chunk: int = 100_000, checksums: bool = True, **extra: str
) -> Any:
    """Create an upload and send `data` in chunks (each with its sha256 checksum); return the last response."""
    created = tus_create(client, record, length=len(data), **extra)
    assert created.status_code == 201, created.content.decode()
    url = created["Location"]
    response = created
    for offset in range(0, len(data), chunk):
        part = data[offset : offset + chunk]
        response = tus_patch(
            client, url, part, offset=offset, checksum=hashlib.sha256(part).digest() if checksums else None
        )
        assert response.status_code == 204, response.content.decode()
    return response


@contextmanager
def triggers_dropped(*tables: str) -> Iterator[None]:
    """Remove the append-only triggers for a moment, as an attacker with database access could (tests of detection)."""
    from django.db import connection

    from sunlight.core.protect import create_sql, drop_sql

    with connection.cursor() as cursor:
        for table in tables:
            for statement in drop_sql(connection.vendor, table):
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                for statement in create_sql(connection.vendor, table):
                    cursor.execute(statement)
