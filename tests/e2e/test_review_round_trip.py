"""Issue 6 "done when" (REV-2..8, REV-12): an officer submits a major case for legal review; the unit head passes it;
the reviewer returns one notice listing the missing items; the officer supplements; the pre-check flags the fine
outside the benchmark; the reviewer asks for a change; the officer revises and resubmits with discretion reasons; the
reviewer approves; the head decides the case through its decision step; the review opinion document is in the case
file and its PDF, downloaded from the review page, carries the review number."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sunlight.review.models import Review

from .conftest import SHOTS, field, login, logout, nav
from .seed import case_at_statement

pytestmark = pytest.mark.e2e

FACTS = "当事人未取得食品经营许可，经营大型餐饮服务，货值金额8000元。"
BASIS = "《中华人民共和国食品安全法》第一百二十二条第一款"
REASONS = "当事人两年内第三次无证经营，且拒不改正，按一般情节的上限仍不足以惩戒。"


@pytest.fixture(autouse=True)
def _stores(settings, tmp_path):
    """The live server (same process) stores the generated documents under the test's directory."""
    blank = {"endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}
    settings.SUNLIGHT_EVIDENCE_STORES = {
        "a": {"url": str(tmp_path / "store-a"), **blank},
        "b": {"url": str(tmp_path / "store-b"), **blank},
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")


def open_review(page, number: str, status: str = "") -> None:
    """From the workbench: 法制审核 (filtered by a status when given) → the review's row."""
    nav(page).get_by_role("link", name="法制审核").click()
    if status:
        field(page, "状态").select_option(label=status)
        page.get_by_role("button", name="查询").click()
    page.get_by_test_id("review-queue").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=f"法制审核 {number}")).to_be_visible()


def switch(page, base_url: str, username: str) -> None:
    logout(page)
    login(page, base_url, username)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-{name}.png"), full_page=True)


def test_major_case_goes_through_review_and_the_opinion_document_is_in_the_case_file(page, base_url):
    case = case_at_statement()

    # 1. The officer submits the draft decision: 10万元 for an organisation is major; the fine is above the
    #    ordinary band of BM-SP-122 (6.5万-8.5万元 below 1万元 goods value) and no reasons are given yet.
    login(page, base_url, "officer")
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_role("link", name=case.number).click()
    page.goto(f"{base_url}/workbench/review/submit/{case.public_id}/")
    expect(page.get_by_role("heading", name="报送法制审核")).to_be_visible()
    form = page.get_by_test_id("submit-form")
    field(form, "违法事实").fill(FACTS)
    field(form, "法律依据").fill(BASIS)
    form.get_by_label("罚款", exact=True).check()
    field(form, "罚款金额（元）").fill("100000")
    field(form, "货值金额（元）").fill("8000")
    field(form, "裁量基准").select_option(label="BM-SP-122 未取得食品经营许可从事食品经营活动")
    field(form, "情节档次").select_option(label="一般处罚")
    form.get_by_role("button", name="预览报送材料和预审结果").click()
    expect(page.get_by_test_id("submit-major")).to_contain_text("对法人或者其他组织处以10万元以上罚款")
    discretion = page.locator('[data-testid="precheck"][data-point="discretion"]')
    expect(discretion).to_have_attribute("data-ok", "0")
    expect(discretion).to_contain_text("拟处罚超出裁量基准且未说明理由")
    expect(field(form, "罚款金额（元）")).to_have_value("100000")
    shot(page, "1-submit-preview")
    page.get_by_test_id("submit-form").get_by_role("button", name="报送法制审核").click()
    expect(page.get_by_role("status").filter(has_text="已报送法制审核")).to_be_visible()
    first = Review.objects.get(case=case)
    assert first.draft["fine_fen"] == 10_000_000 and not first.voluntary
    expect(page.get_by_test_id("review-status")).to_have_text("承办机构负责人初审")

    # 2. The unit head passes it to the legal department (REV-12).
    switch(page, base_url, "unithead")
    open_review(page, first.number)
    box = page.get_by_test_id("act-unit-decide")
    box.get_by_label("通过，报送法制审核机构").check()
    box.get_by_role("button", name="承办机构负责人初审").click()
    expect(page.get_by_test_id("review-status")).to_have_text("待法制审核机构接收")

    # 3. The reviewer returns one notice listing every missing item (REV-4).
    switch(page, base_url, "reviewer")
    open_review(page, first.number)
    box = page.get_by_test_id("act-completeness")
    field(box, "缺少的材料").fill("现场检查照片\n当事人营业执照复印件")
    box.get_by_role("button", name="一次性告知补正").click()
    expect(page.get_by_test_id("review-status")).to_have_text("材料不全，待补正")
    expect(page.get_by_test_id("review-missing").get_by_role("listitem")).to_have_text(
        ["现场检查照片", "当事人营业执照复印件"]
    )

    # 4. The officer supplements.
    switch(page, base_url, "officer")
    open_review(page, first.number)
    box = page.get_by_test_id("act-supplement")
    field(box, "补正的材料").fill("现场检查照片（12张）\n当事人营业执照复印件")
    box.get_by_role("button", name="补正材料", exact=True).click()
    expect(page.get_by_test_id("review-status")).to_have_text("已补正，待接收")

    # 5. The reviewer accepts; the pre-check flags the fine outside the benchmark; the reviewer asks for a change.
    switch(page, base_url, "reviewer")
    open_review(page, first.number)
    page.get_by_role("button", name="补正后材料齐全，接收审核").click()
    expect(page.get_by_test_id("review-status")).to_have_text("审核中")
    expect(page.get_by_test_id("review-due")).to_contain_text("3工作日")
    discretion = page.locator('[data-testid="precheck"][data-point="discretion"]')
    expect(discretion).to_have_attribute("data-ok", "0")
    expect(discretion).to_contain_text("拟处罚超出裁量基准且未说明理由")
    shot(page, "2-prechecks")
    box = page.get_by_test_id("act-opinion")
    box.get_by_label("建议变更或补充").check()
    field(box, "理由").fill("罚款10万元超出一般情节的裁量幅度（6.5万至8.5万元），应说明理由或按从重情节认定。")
    box.get_by_role("button", name="出具审核意见").click()
    expect(page.get_by_test_id("review-status")).to_have_text("退回承办机构")
    expect(page.get_by_test_id("review-outcome")).to_have_text("建议变更或补充")

    # 6. The officer revises: the form comes back filled in; the discretion reasons are added; resubmitted.
    switch(page, base_url, "officer")
    open_review(page, first.number, status="退回承办机构")
    page.get_by_role("link", name="修改后重新报送").click()
    expect(page.get_by_test_id("previous-opinion")).to_contain_text("建议变更或补充")
    form = page.get_by_test_id("submit-form")
    expect(field(form, "罚款金额（元）")).to_have_value("100000")
    field(form, "裁量理由").fill(REASONS)
    form.get_by_role("button", name="报送法制审核").click()
    expect(page.get_by_role("status").filter(has_text="已报送法制审核")).to_be_visible()
    second = Review.objects.filter(case=case).order_by("-submitted_at").first()
    assert second is not None and second.pk != first.pk and second.draft["discretion_reasons"] == REASONS

    switch(page, base_url, "unithead")
    open_review(page, second.number)
    box = page.get_by_test_id("act-unit-decide")
    box.get_by_label("通过，报送法制审核机构").check()
    box.get_by_role("button", name="承办机构负责人初审").click()

    # 7. The reviewer accepts the complete package and approves: the discretion check passes with the reasons.
    switch(page, base_url, "reviewer")
    open_review(page, second.number)
    page.get_by_role("button", name="材料齐全，接收审核").click()
    discretion = page.locator('[data-testid="precheck"][data-point="discretion"]')
    expect(discretion).to_have_attribute("data-ok", "1")
    expect(discretion).to_contain_text("已说明理由")
    box = page.get_by_test_id("act-opinion")
    box.get_by_label("同意", exact=True).check()
    field(box, "理由").fill("事实清楚，证据确凿，程序合法，裁量理由充分，同意作出处罚决定。")
    box.get_by_role("button", name="出具审核意见").click()
    expect(page.get_by_test_id("review-status")).to_have_text("审核通过")
    documents = page.get_by_test_id("review-documents")
    expect(documents).to_contain_text(second.number)
    shot(page, "3-approved")

    # The opinion document: its PDF from the review page carries the review number, both copies.
    with page.expect_download() as info:
        documents.get_by_role("link", name="下载 PDF").click()
    data = Path(info.value.path()).read_bytes()
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    for words in ("法制审核意见书", second.number, case.number, "同意", "第一联", "第二联", "存档"):
        assert words in text, words

    # 8. The head decides the major case through its decision step: the gate is open now.
    switch(page, base_url, "unithead")
    nav(page).get_by_role("link", name="案件办理").click()
    page.get_by_role("link", name=case.number).click()
    page.get_by_test_id("next-steps").get_by_role("link", name="作出处罚决定").click()
    field(page, "违法事实").fill(FACTS)
    field(page, "处罚依据").fill(BASIS)
    page.get_by_label("罚款", exact=True).check()
    field(page, "罚款金额（元）").fill("100000")
    field(page, "货值金额（元）").fill("8000")
    field(page, "裁量基准").select_option(label="BM-SP-122 未取得食品经营许可从事食品经营活动")
    field(page, "情节档次").select_option(label="一般处罚")
    field(page, "裁量理由").fill(REASONS)
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已决定")
    case.refresh_from_db()
    assert case.status == "decided" and case.fine_fen == 10_000_000

    # The opinion documents are in the case file (the case page's documents).
    expect(page.get_by_test_id("documents")).to_contain_text(second.number)
    expect(page.get_by_test_id("documents")).to_contain_text(first.number)
    shot(page, "4-case-decided")
