"""REC-1, REC-2, REC-5, REC-9, REC-10, REC-15: a general-procedure penalty case from a named complaint to the archive,
in the browser. The officer registers it, the unit head approves the initiation, the officer investigates on site and
takes a photo that is uploaded and linked to the record, notifies the rights, the party waives the hearing, the unit
head decides within the benchmark and generates the decision, the decision is served and paid, the case is closed
and the archivist forms the case file. Finally `sunlight ledger verify --files` finds the ledger and every stored
file intact."""

from __future__ import annotations

import hashlib
import io
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sunlight.cases.models import Case, CaseArchive, CaseDocument, RecordAV

from .conftest import SHOTS, field, login, logout, nav

pytestmark = pytest.mark.e2e

PLACE = "临泉县城关街道长安路16号"
PHOTO_TITLE = "后厨无证经营现场照片"


@pytest.fixture
def stores(settings, tmp_path):
    """Two evidence stores and an upload area of this test's own (documents, photos and the case file go there)."""
    settings.SUNLIGHT_EVIDENCE_STORES = {
        key: {
            "url": str(tmp_path / f"store-{key}"),
            "endpoint_url": "",
            "access_key": "",
            "secret_key": "",
            "region": "",
        }
        for key in ("a", "b")
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "IMG_20261122_093015.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(40_000))
    return path


def open_case(page, title: str) -> None:
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_test_id("case-table").get_by_role("row").filter(has_text=title).get_by_role("link").first.click()


def start_step(page, name: str) -> None:
    page.get_by_test_id("next-steps").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def submit_step(page, name: str) -> None:
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_text(f"“{name}”已记录。")).to_be_visible()


def on_site(page) -> None:
    """The REC-2 fields of a step at the party's premises (the case's two officers are ticked already)."""
    field(page, "地点").fill(PLACE)
    expect(page.get_by_label("王立新（officer）")).to_be_checked()
    expect(page.get_by_label("陈国强（unithead）")).to_be_checked()
    page.get_by_label("已出示执法证件").check()
    page.get_by_label("当事人在场").check()
    page.get_by_label("当事人已签名").check()


def test_penalty_case_from_lead_to_archive(page, base_url, stores, photo):
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    title = "未取得食品经营许可从事餐饮服务"

    # 1. The officer registers the case from a named complaint.
    login(page, base_url, "officer")
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_role("link", name="立案登记").click()
    field(page, "办理程序").select_option(label="行政处罚（普通程序）")
    field(page, "执法事项").select_option(label="对未取得食品经营许可从事食品经营活动的行政处罚（行政处罚）")
    field(page, "案由").fill(title)
    field(page, "案件来源").select_option(label="投诉举报")
    field(page, "实名投诉举报人").fill("周某")
    field(page, "当事人").fill("临泉县老街坊餐饮有限公司")
    page.get_by_label("陈国强（unithead）").check()
    page.get_by_role("button", name="登记案件").click()
    expect(page.get_by_text("案件已登记")).to_be_visible()
    case = Case.objects.get(title=title)
    expect(page.get_by_test_id("case-props")).to_contain_text("实名投诉举报人：周某")
    expect(page.get_by_test_id("next-steps").get_by_text("须负责人审批").first).to_be_visible()

    # 2. The unit head approves the initiation (REC-3); the 90-day clock starts.
    logout(page)
    login(page, base_url, "unithead")
    open_case(page, title)
    start_step(page, "立案")
    field(page, "违法事实摘要").fill("当事人未取得食品经营许可，在长安路16号从事餐饮服务。")
    submit_step(page, "立案")
    expect(page.get_by_test_id("deadline-penalty.case")).to_contain_text("正常")

    # 3. The officer investigates on site, takes a photo, uploads it and links it to the record (REC-5, REC-6).
    logout(page)
    login(page, base_url, "officer")
    open_case(page, title)
    start_step(page, "调查取证")
    with page.expect_popup() as popup_info:
        page.get_by_test_id("av-new").click()
    av = popup_info.value
    expect(av.get_by_role("heading", name="登记音像记录")).to_be_visible()
    field(av, "内容摘要").fill(PHOTO_TITLE)
    field(av, "执法记录仪编号").fill("手机拍照")
    field(av, "地点").fill(PLACE)
    av.get_by_role("button", name="登记").click()
    expect(av.get_by_role("heading", name=re.compile(PHOTO_TITLE))).to_be_visible()
    picker = av.get_by_label("照片或视频")
    expect(picker).to_have_attribute("accept", "image/*,video/*")
    expect(picker).to_have_attribute("capture", "environment")
    picker.set_input_files(photo)
    av.get_by_role("button", name="开始上传").click()
    expect(av.get_by_test_id("sha256")).to_have_text(digest, timeout=30_000)
    av.get_by_test_id("back-to-step").click()
    expect(av.get_by_role("heading", name="调查取证")).to_be_visible()
    expect(av.get_by_label(re.compile(PHOTO_TITLE))).to_be_checked()
    on_site(av)
    field(av, "记录内容").fill("现场检查后厨，当事人无法出示食品经营许可证，拍照固定经营现场。")
    submit_step(av, "调查取证")
    record = av.get_by_test_id("timeline").locator("[data-step=investigation]")
    expect(record.get_by_test_id("record-av")).to_contain_text(PHOTO_TITLE)
    expect(record.get_by_test_id("av-sha256")).to_have_text(digest)
    av.close()
    assert RecordAV.objects.filter(record__case=case, av_record__title=PHOTO_TITLE).exists()

    # 4. Notice of the proposed penalty and the rights; the party states and waives the hearing.
    page.goto(f"{base_url}/workbench/cases/{case.public_id}/")
    start_step(page, "告知拟作出的处罚及陈述、申辩、听证权利")
    on_site(page)
    for right in ("陈述权", "申辩权", "要求听证的权利", "申请行政复议的权利", "提起行政诉讼的权利"):
        page.get_by_label(right).check()
    field(page, "告知方式").fill("书面告知（当场送达行政处罚事先告知书）")
    field(page, "拟作出的处罚").fill("罚款人民币陆万元")
    submit_step(page, "告知拟作出的处罚及陈述、申辩、听证权利")
    expect(page.get_by_test_id("deadline-penalty.hearing_request")).to_contain_text("正常")
    start_step(page, "陈述、申辩")
    on_site(page)
    field(page, "陈述、申辩内容").fill("对违法事实无异议，已停止经营并申请许可。")
    page.get_by_label("当事人明确放弃听证").check()
    submit_step(page, "陈述、申辩")

    # 5. The unit head decides within the benchmark and generates the decision document (REC-15).
    logout(page)
    login(page, base_url, "unithead")
    open_case(page, title)
    start_step(page, "作出处罚决定")
    field(page, "违法事实").fill("当事人未取得食品经营许可从事餐饮服务，货值金额5000元。")
    field(page, "处罚依据").fill("《中华人民共和国食品安全法》第一百二十二条第一款")
    page.get_by_label("罚款", exact=True).check()
    field(page, "罚款金额（元）").fill("60000")
    field(page, "货值金额（元）").fill("5000")
    field(page, "裁量基准").select_option(label="BM-SP-122 未取得食品经营许可从事食品经营活动")
    field(page, "情节档次").select_option(label="从轻处罚")
    submit_step(page, "作出处罚决定")
    expect(page.get_by_test_id("case-status")).to_have_text("已决定")
    decision = page.get_by_test_id("timeline").locator("[data-step=decision]")
    expect(decision).to_contain_text("60,000.00元")
    expect(decision).to_contain_text("在裁量基准幅度内")
    expect(page.get_by_test_id("major")).to_contain_text("不属于重大执法决定")
    case.refresh_from_db()
    assert case.fine_fen == 6_000_000

    field(page, "文书种类").select_option(label="行政处罚决定书")
    page.get_by_role("button", name="生成文书").click()
    expect(page.get_by_text("已生成行政处罚决定书")).to_be_visible()
    document = CaseDocument.objects.get(case=case, doc_type="penalty_decision")
    documents = page.get_by_test_id("documents")
    expect(documents).to_contain_text(document.number)
    with page.expect_download() as download_info:
        documents.get_by_role("link", name="下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == document.pdf.sha256
    with page.expect_download() as download_info:
        documents.get_by_role("link", name="下载 DOCX").click()
    assert download_info.value.suggested_filename.endswith(".docx")
    assert io.BytesIO(download_info.value.path().read_bytes()).read(2) == b"PK"

    # 6. Served directly, paid, closed.
    start_step(page, "送达")
    field(page, "送达方式").select_option(label="直接送达")
    field(page, "签收时间").fill(page.evaluate("document.querySelector('#id_occurred_at').value"))
    field(page, "送达文书").fill(f"行政处罚决定书（{document.number}）")
    field(page, "受送达人").fill("法定代表人张某")
    submit_step(page, "送达")
    expect(page.get_by_test_id("deadline-penalty.fine_payment")).to_contain_text("正常")
    start_step(page, "执行")
    field(page, "缴纳金额（元）").fill("60000")
    submit_step(page, "执行")
    expect(page.get_by_test_id("deadline-penalty.fine_payment")).to_contain_text("已按期完成")
    start_step(page, "结案")
    field(page, "结案情况").fill("罚款已全额缴纳，当事人已停止违法经营。")
    submit_step(page, "结案")
    expect(page.get_by_test_id("case-status")).to_have_text("已结案")
    expect(page.get_by_test_id("deadline-records.archiving")).to_contain_text("正常")

    # 7. The archivist forms the case file (REC-9).
    logout(page)
    login(page, base_url, "archivist")
    open_case(page, title)
    page.get_by_role("button", name="形成卷宗并归档").click()
    expect(page.locator(".messages")).to_contain_text("卷宗已形成并归档")
    expect(page.get_by_test_id("case-status")).to_have_text("已归档")
    archive = CaseArchive.objects.get(case=case)
    expect(page.get_by_test_id("archive")).to_contain_text(archive.manifest_sha256)
    expect(page.get_by_test_id("next-steps")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-penalty-archived.png"), full_page=True)
    steps = list(case.records.order_by("seq").values_list("step", flat=True))
    assert steps == [
        "initiation",
        "investigation",
        "notice",
        "statement",
        "decision",
        "service",
        "execution",
        "closure",
        "archiving",
    ]

    # 8. The ledger and every stored file are intact.
    out = io.StringIO()
    call_command("ledger", "verify", "--files", stdout=out)
    assert "账本完好" in out.getvalue() and "存储的文件完好" in out.getvalue()
