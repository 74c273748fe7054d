"""SYS-5, REC-6, REC-13: the evidence API registers records and reads them with files, copies, interruptions,
retention and audit trail, within the caller's scope; errors come as {errors: [{field, code, message}]}."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

from .factories import logged_in, make_video, register, sha256, upload

pytestmark = pytest.mark.django_db

API = "/api/v1/evidence"


def body(county, **changes):
    end = timezone.now() - timedelta(hours=2)
    data = {
        "title": "扣押现场",
        "scene": "coercion",
        "device_number": "DSJ-0099",
        "recorded_from": (end - timedelta(minutes=40)).isoformat(),
        "recorded_to": end.isoformat(),
        "place": "临泉县某仓库",
        "interruptions": [
            {
                "started_at": (end - timedelta(minutes=20)).isoformat(),
                "ended_at": (end - timedelta(minutes=18)).isoformat(),
                "reason": "当事人情绪激动，暂停录制并口头说明",
                "statement_form": "spoken",
            }
        ],
    }
    data.update(changes)
    return data


def test_register_and_read_a_record(county):
    client = logged_in(county.officer)
    created = client.post(f"{API}/records", body(county), content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["officer"] == str(county.officer.public_id)
    assert data["upload_deadline"]["status"] == "open"
    assert data["upload_url"] == "/workbench/evidence/tus/"
    assert data["archive_state"] == "active"
    assert data["interruptions"][0]["statement_form"] == "spoken"

    from sunlight.evidence.models import AVRecord

    record = AVRecord.objects.get()
    content = make_video(40_000)
    upload(client, record, content)
    detail = client.get(f"{API}/records/{data['id']}").json()
    (file,) = detail["files"]
    assert file["sha256"] == sha256(content) and file["size"] == len(content)
    assert [c["store"] for c in file["copies"]] == ["a", "b"]
    assert all(c["status"] == "ok" for c in file["copies"])
    assert detail["upload_deadline"]["status"] == "met"
    ledger = client.get(f"{API}/records/{data['id']}/ledger").json()
    kinds = [e["kind"] for e in ledger]
    assert kinds[0] == "evidence.record_registered" and "evidence.stored" in kinds
    assert next(e for e in ledger if e["kind"] == "evidence.stored")["payload"]["sha256"] == sha256(content)
    assert client.get(f"{API}/records").json()[0]["id"] == data["id"]


def test_errors_are_structured_and_in_chinese(county):
    client = logged_in(county.officer)
    bad = client.post(
        f"{API}/records", body(county, recorded_to=body(county)["recorded_from"]), content_type="application/json"
    )
    assert bad.status_code == 400
    assert {"field": "recorded_to", "code": "order", "message": "录制结束时间应晚于开始时间。"} in bad.json()["errors"]
    invalid = client.post(f"{API}/records", {"title": "x"}, content_type="application/json")
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["message"] == "此项为必填项。"
    assert Client().get(f"{API}/records").status_code == 401


def test_scope_and_retention_flags(county):
    record = register(county.officer_b)
    assert logged_in(county.officer).get(f"{API}/records/{record.public_id}").status_code == 404
    archivist = staff(Role.ARCHIVIST, unit=county.unit_b, username="archivist_api")
    client = logged_in(archivist)
    flag = client.post(
        f"{API}/records/{record.public_id}/retention-flags",
        {"reason": "reconsideration"},
        content_type="application/json",
    )
    assert flag.status_code == 201 and flag.json()["lifted"] is False
    assert client.get(f"{API}/records/{record.public_id}").json()["archive_state"] == "long_term"
    lifted = client.post(
        f"{API}/records/{record.public_id}/retention-flags/{flag.json()['id']}/lift",
        {"reason": "复议决定已作出"},
        content_type="application/json",
    )
    assert lifted.status_code == 200 and lifted.json()["lift_reason"] == "复议决定已作出"
    refused = logged_in(county.officer_b).post(
        f"{API}/records/{record.public_id}/retention-flags", {"reason": "dispute"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "forbidden"


def test_interruptions_and_config(county, settings):
    record = register(county.officer)
    client = logged_in(county.officer)
    added = client.post(
        f"{API}/records/{record.public_id}/interruptions",
        {
            "started_at": (record.recorded_from + timedelta(minutes=1)).isoformat(),
            "ended_at": (record.recorded_from + timedelta(minutes=3)).isoformat(),
            "reason": "信号干扰",
            "statement_form": "written",
        },
        content_type="application/json",
    )
    assert added.status_code == 201
    config = client.get(f"{API}/config").json()
    assert (
        config["tus_endpoint"] == "/workbench/evidence/tus/"
        and config["max_bytes"] == settings.SUNLIGHT_EVIDENCE_MAX_BYTES
    )
    assert "mp4" in config["allowed_types"]


def test_custodian_registers_for_an_officer_by_id(county):
    client = logged_in(county.unit_head)
    created = client.post(
        f"{API}/records", body(county, officer=str(county.officer.public_id)), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["officer"] == str(county.officer.public_id)
