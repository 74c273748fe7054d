"""REC-6: an officer registers an AV recording, uploads the video in chunks, loses the network half-way, resumes
from where the server stopped, and then finds the file, its SHA-256, both verified copies and its audit trail."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sunlight.evidence.models import AVRecord, StoredFile, UploadSession

from .conftest import field, login, nav

pytestmark = pytest.mark.e2e

CHUNK = 256 * 1024
SIZE = 3 * 1024 * 1024 + 4321


@pytest.fixture
def stores(settings, tmp_path):
    """Two store directories and an upload area of this test's own; small chunks so that the upload has many."""
    for key in ("a", "b"):
        settings.SUNLIGHT_EVIDENCE_STORES = {
            **getattr(settings, "SUNLIGHT_EVIDENCE_STORES", {}),
            key: {
                "url": str(tmp_path / f"store-{key}"),
                "endpoint_url": "",
                "access_key": "",
                "secret_key": "",
                "region": "",
            },
        }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.SUNLIGHT_EVIDENCE_CHUNK_BYTES = CHUNK
    return tmp_path


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "执法记录仪_20260302.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(SIZE - 24))
    return path


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_upload_is_interrupted_resumed_and_found_with_its_hash_and_audit_trail(page, base_url, stores, video):
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    login(page, base_url, "officer")
    nav(page).get_by_role("link", name="音像记录").click()
    expect(page.get_by_role("heading", name="音像记录")).to_be_visible()
    page.get_by_role("link", name="登记音像记录").click()

    end = timezone.now() - timedelta(hours=2)
    field(page, "内容摘要").fill("某超市销售过期食品现场检查")
    field(page, "记录场景").select_option(label="现场执法")
    field(page, "执法记录仪编号").fill("DSJ-LQ-0107")
    field(page, "录制开始").fill(local(end - timedelta(minutes=35)))
    field(page, "录制结束").fill(local(end))
    field(page, "地点").fill("临泉县城关街道人民路88号")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("heading", name=re.compile("某超市销售过期食品现场检查"))).to_be_visible()
    expect(page.get_by_test_id("upload-state")).to_have_text("待上传")
    record = AVRecord.objects.get(title="某超市销售过期食品现场检查")

    # Count the chunks; after the fourth one the network goes away.
    patches: list[int] = []
    context = page.context

    def on_patch(route):
        if route.request.method != "PATCH":
            route.continue_()
            return
        patches.append(int(route.request.headers["upload-offset"]))
        if len(patches) == 5:
            context.set_offline(True)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(re.compile(r"/workbench/evidence/tus/[0-9a-f-]+$"), on_patch)
    page.get_by_label("选择文件").set_input_files(video)
    page.get_by_role("button", name="开始上传").click()
    status = page.get_by_test_id("upload-status")
    expect(status).to_contain_text("上传中断", timeout=20_000)
    expect(page.get_by_role("button", name="继续上传")).to_be_enabled()

    session = UploadSession.objects.get(record=record)
    assert session.offset == 4 * CHUNK, "the server kept the four chunks that arrived"
    assert not StoredFile.objects.exists(), "a partial upload is not evidence"

    context.set_offline(False)
    page.unroute(re.compile(r"/workbench/evidence/tus/[0-9a-f-]+$"))
    resumed: list[int] = []
    page.on(
        "request",
        lambda request: resumed.append(int(request.headers["upload-offset"])) if request.method == "PATCH" else None,
    )
    page.get_by_role("button", name="继续上传").click()

    # Done: the page reloads and shows the file, its hash and both verified copies.
    expect(page.get_by_test_id("sha256")).to_have_text(digest, timeout=30_000)
    assert resumed[0] == 4 * CHUNK, "the upload went on from where the server stopped, not from the start"
    assert len(resumed) == -(-(SIZE - 4 * CHUNK) // CHUNK)
    expect(page.get_by_test_id("upload-state")).to_have_text("已入库")
    copies = page.get_by_test_id("copies")
    expect(copies.get_by_role("listitem")).to_have_count(2)
    expect(copies).to_contain_text("副本 A：已校验")
    expect(copies).to_contain_text("副本 B：已校验")
    expect(page.get_by_test_id("deadline")).to_contain_text("已按期完成")

    # The audit trail: registration, storage (with the hash) and the deadline met.
    ledger = page.get_by_test_id("ledger")
    expect(ledger).to_contain_text("登记音像记录")
    stored_row = ledger.get_by_role("row").filter(has_text="音像文件入库（双副本已校验）")
    expect(stored_row).to_have_count(1)
    expect(stored_row).to_contain_text(digest)
    expect(ledger).to_contain_text("上传期限办结")
    page.screenshot(path="/tmp/e2e-shots/av_upload_detail.png", full_page=True)  # noqa: S108

    # And it is found from the list.
    nav(page).get_by_role("link", name="音像记录").click()
    row = page.get_by_test_id("record-table").get_by_role("row").filter(has_text="某超市销售过期食品现场检查")
    expect(row).to_contain_text("已入库")
    row.get_by_role("link", name="某超市销售过期食品现场检查").click()
    expect(page.get_by_test_id("sha256")).to_have_text(digest)
