"""REC-6, REC-11 (hook), SYS-1: the evidence pages show each user the records within their scope; every view and
download of a file is a ledger entry; the record page shows the hash, both copies and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sunlight.core.models import LedgerEntry
from sunlight.evidence.models import AVRecord, Interruption, RetentionFlag
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

from .factories import logged_in, make_video, register, sha256, upload

pytestmark = pytest.mark.django_db

LIST = "/workbench/evidence/"


def local(moment) -> str:
    """A time as the browser's date-time picker sends it (Beijing time, to the minute)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def records(county):
    return {
        "own": register(county.officer, title="本人的记录"),
        "unit_b": register(county.officer_b, title="法规科的记录"),
        "other": register(county.other_officer, title="太和县的记录"),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer", {"本人的记录"}),
        ("unit_head", {"本人的记录"}),
        ("agency_head", {"本人的记录", "法规科的记录"}),
        ("supervisor", {"本人的记录", "法规科的记录"}),
        ("admin", {"本人的记录", "法规科的记录", "太和县的记录"}),
    ],
)
def test_the_list_shows_what_each_role_may_see(county, records, who, expected):
    page = logged_in(getattr(county, who)).get(LIST).content.decode()
    shown = {title for title in ("本人的记录", "法规科的记录", "太和县的记录") if title in page}
    assert shown == expected


def test_a_record_outside_scope_is_not_found(county, records):
    response = logged_in(county.officer).get(f"{LIST}{records['unit_b'].public_id}/")
    assert response.status_code == 404
    assert "音像记录不存在或您无权查看" in response.content.decode()


def test_the_record_page_shows_hash_copies_and_audit_trail(county, records):
    record = records["own"]
    data = make_video(80_000)
    client = logged_in(county.officer)
    upload(client, record, data)
    page = client.get(f"{LIST}{record.public_id}/").content.decode()
    assert sha256(data) in page
    assert "副本 A" in page and "副本 B" in page and "已校验" in page
    assert "登记音像记录" in page and "音像文件入库（双副本已校验）" in page and "上传期限办结" in page
    assert "已入库" in page


def test_downloads_and_views_are_recorded_before_bytes_are_sent(county, records):
    record = records["own"]
    data = make_video(80_000)
    client = logged_in(county.officer)
    upload(client, record, data)
    base = f"{LIST}{record.public_id}/files/{sha256(data)}"
    download = client.get(f"{base}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Length"] == str(len(data))
    assert download["X-Content-SHA256"] == sha256(data)
    assert "attachment" in download["Content-Disposition"]
    view = client.get(f"{base}/view/")
    assert "inline" in view["Content-Disposition"]
    b"".join(view.streaming_content)
    kinds = list(LedgerEntry.objects.filter(stream=f"evidence:{sha256(data)}").values_list("kind", flat=True))
    assert kinds == ["evidence.stored", "evidence.downloaded", "evidence.viewed"]
    assert logged_in(county.officer_b).get(f"{base}/download/").status_code == 404


def test_download_falls_back_to_the_other_copy(county, records, evidence_stores):
    from sunlight.evidence.models import object_name_for

    record = records["own"]
    data = make_video(50_000)
    client = logged_in(county.officer)
    upload(client, record, data)
    (evidence_stores.a / object_name_for(sha256(data))).unlink()
    response = client.get(f"{LIST}{record.public_id}/files/{sha256(data)}/download/")
    assert b"".join(response.streaming_content) == data
    assert LedgerEntry.objects.get(kind="evidence.downloaded").payload["copy"] == "b"


def test_registration_page_creates_a_record_and_shows_errors_in_chinese(county):
    client = logged_in(county.officer)
    form = client.get(f"{LIST}new/").content.decode()
    assert "登记音像记录" in form and "执法记录仪编号" in form
    bad = client.post(f"{LIST}new/", {"title": "x", "scene": "on_site"})
    assert bad.status_code == 400 and "这个字段是必填项" in bad.content.decode()
    good = client.post(
        f"{LIST}new/",
        {
            "title": "查封现场",
            "scene": "coercion",
            "device_number": "DSJ-01",
            "recorded_from": "2026-03-02T09:00",
            "recorded_to": "2026-03-02T09:40",
            "place": "某仓库",
        },
    )
    record = AVRecord.objects.get(title="查封现场")
    assert good.status_code == 302 and good["Location"] == f"{LIST}{record.public_id}/"
    assert record.recorded_from.isoformat() == "2026-03-02T01:00:00+00:00"  # entered in Beijing time


def test_interruption_and_retention_forms_on_the_record_page(county, records):
    record = records["own"]
    client = logged_in(county.officer)
    response = client.post(
        f"{LIST}{record.public_id}/interruptions/",
        {
            "int-started_at": local(record.recorded_from + timedelta(minutes=2)),
            "int-ended_at": local(record.recorded_to - timedelta(minutes=2)),
            "int-reason": "执法记录仪故障",
            "int-statement_form": "written",
        },
    )
    assert response.status_code == 302
    assert Interruption.objects.get().reason == "执法记录仪故障"
    page = client.get(f"{LIST}{record.public_id}/").content.decode()
    assert "执法记录仪故障" in page and "<summary>设置长期保存</summary>" not in page  # officers do not flag retention

    archivist = staff(Role.ARCHIVIST, unit=county.unit_b, username="archivist_p")
    keeper = logged_in(archivist)
    assert (
        keeper.post(
            f"{LIST}{record.public_id}/retention/", {"flag-reason": "hearing", "flag-note": "已申请听证"}
        ).status_code
        == 302
    )
    flag = RetentionFlag.objects.get()
    assert (
        keeper.post(
            f"{LIST}{record.public_id}/retention/{flag.public_id}/lift/", {"lift-reason": "听证结束"}
        ).status_code
        == 302
    )
    assert flag.lift.reason == "听证结束"
    refused = client.post(f"{LIST}{record.public_id}/retention/", {"flag-reason": "dispute"})
    assert refused.status_code == 403
