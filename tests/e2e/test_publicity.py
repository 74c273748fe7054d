"""PUB-4..PUB-9 in the browser: a legal reviewer confirms a draft side by side and publishes it; a member of the
public searches, sees it redacted and opens the verify link; a correction request is filed and answered; a
withdrawal shows its explanation. The draft is made the way the case system makes it (the service)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sunlight.core.transparency import checkpoint_create
from sunlight.org.models import User
from sunlight.publicity.models import Publication
from sunlight.publicity.services import publication_draft_create

from .conftest import field, login, logout, nav

pytestmark = pytest.mark.e2e

PERSON = "韩立新"
ID_NUMBER = "34122119800101123X"  # made valid below
TITLE = f"{PERSON}销售过期食品案行政处罚决定书"


def _id_number() -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = ID_NUMBER[:17]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _draft(reviewer: User) -> Publication:
    id_number = _id_number()
    return publication_draft_create(
        source_type="e2e",
        source_id="e2e-publicity-1",
        agency=reviewer.agency,
        action_type="penalty",
        kind="decision",
        title=TITLE,
        party_name=PERSON,
        party_is_person=True,
        persons=[PERSON],
        body=(
            f"当事人{PERSON}，公民身份号码{id_number}，住安徽省阜阳市临泉县城关街道人民路88号，联系电话13912345678。"
            f"经查，{PERSON}在其经营的小吃店销售超过保质期的蛋糕，违反了《中华人民共和国食品安全法》第三十四条的规定。"
        ),
        basis="《中华人民共和国食品安全法》第一百二十四条第一款",
        result="没收违法所得并处罚款人民币5000元",
        document_number="临市监处罚〔2026〕901号",
        decided_on=timezone.localdate() - timedelta(days=1),
        acting_user=None,
    )


def test_confirm_publish_search_verify_correct_and_withdraw(page, base_url):
    reviewer = User.objects.get(username="reviewer")
    draft = _draft(reviewer)
    id_number = _id_number()

    # The legal reviewer finds the draft in the queue, with its deadline colour.
    login(page, base_url, "reviewer")
    nav(page).get_by_role("link", name="信息公示").click()
    row = page.get_by_test_id("queue-table").get_by_role("row").filter(has_text="临市监处罚〔2026〕901号")
    expect(row.locator(".badge")).to_have_text(re.compile("正常|黄色预警|红色预警"))
    row.get_by_role("link", name="张某销售过期食品案行政处罚决定书".replace("张", "韩")).click()

    # Side by side: the original with every change marked, and the redacted text.
    expect(page.get_by_role("heading", name="确认公示内容")).to_be_visible()
    expect(page.get_by_test_id("original-body").locator("mark.redaction-id_number")).to_have_text(id_number)
    expect(page.get_by_test_id("redacted-body").locator("mark.redaction-person").first).to_have_text("韩某")
    expect(page.get_by_test_id("redacted-body")).not_to_contain_text(PERSON)

    # Putting the ID number back is refused, in Chinese, on the page.
    body = field(page, "主要内容")
    original = body.input_value()
    body.fill(original + f"身份证号{id_number}")
    page.get_by_role("button", name="确认并发布").click()
    expect(page.get_by_role("alert").filter(has_text="仍有未隐去的个人信息（身份证号码 1 处）")).to_be_visible()
    field(page, "主要内容").fill(original)
    page.get_by_role("button", name="确认并发布").click()
    expect(page.get_by_role("status").filter(has_text="已确认并公示（第1版）")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已公示")
    logout(page)
    checkpoint_create()  # what `sunlight tick` does: the next signed tree head covers the publication

    # A member of the public searches and sees it redacted.
    page.goto(f"{base_url}/decisions/")
    page.get_by_label("关键词").fill("蛋糕")
    page.get_by_role("button", name="查询").click()
    results = page.get_by_test_id("decision-table")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and one decision
    expect(results).to_contain_text("韩某")
    expect(results.locator("mark").first).to_have_text("蛋糕")
    expect(page.locator("body")).not_to_contain_text(PERSON)
    results.get_by_role("link", name="韩某销售过期食品案行政处罚决定书").click()
    decision = page.get_by_test_id("decision")
    expect(decision.get_by_test_id("party")).to_have_text("韩某")
    expect(decision).not_to_contain_text(PERSON)
    expect(decision).not_to_contain_text(id_number)
    expect(page.get_by_role("img", name="公示内容核验二维码")).to_be_visible()

    # The verify link: the hash, the ledger entry, the inclusion proof.
    page.get_by_role("link", name="核验公示内容").click()
    expect(page.get_by_role("heading", name="公示内容核验")).to_be_visible()
    expect(page.get_by_test_id("status-unchanged")).to_be_visible()
    draft.refresh_from_db()
    expect(page.get_by_test_id("published-hash")).to_contain_text(draft.current_version.published_hash)
    expect(page.get_by_test_id("proof-result")).to_contain_text("包含证明有效")

    # A correction request with a reason, filed from the decision page.
    page.get_by_role("link", name="返回公示信息").click()
    page.get_by_role("link", name="申请更正").click()
    field(page, "申请人姓名或名称").fill("韩某某")
    field(page, "联系方式（电话或电子邮箱）").fill("13800001111")
    field(page, "需要更正的内容和理由").fill("罚款金额有误，应为3000元。")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_test_id("correction-outcome")).to_have_text("处理中")
    receipt = page.url

    # The reviewer answers it with reasons.
    login(page, base_url, "reviewer")
    nav(page).get_by_role("link", name="信息公示").click()
    page.get_by_role("link", name=re.compile("纠错申请")).first.click()
    page.get_by_test_id("correction-table").get_by_role("link", name=re.compile("韩某销售过期食品案")).click()
    expect(page.get_by_test_id("correction-text")).to_have_text("罚款金额有误，应为3000元。")
    page.get_by_label("不予更正").check()
    field(page, "理由（答复申请人，予以更正的同时作为更正说明公开）").fill("经核实，罚款金额为5000元，无误。")
    page.get_by_role("button", name="提交处理结果").click()
    expect(page.get_by_test_id("correction-decision")).to_contain_text("不予更正")

    # The decision is withdrawn with an explanation.
    page.get_by_test_id("correction-request").get_by_role("link", name=re.compile("韩某销售过期食品案")).click()
    page.get_by_role("link", name="撤回", exact=True).click()
    field(page, "撤回说明（向社会公开）").fill("该决定已于行政复议中被撤销，现撤回公示。")
    page.get_by_role("button", name="撤回").click()
    expect(page.get_by_test_id("status")).to_have_text("已撤回")
    logout(page)

    page.goto(receipt)
    expect(page.get_by_test_id("correction-reasons")).to_have_text("经核实，罚款金额为5000元，无误。")
    page.goto(f"{base_url}/decisions/{draft.public_id}/")
    expect(page.get_by_test_id("withdrawal-explanation")).to_have_text("该决定已于行政复议中被撤销，现撤回公示。")
    expect(page.locator("body")).not_to_contain_text("蛋糕")
    page.goto(f"{base_url}/decisions/?q=蛋糕")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 0 条")
