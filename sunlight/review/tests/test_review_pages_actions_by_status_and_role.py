"""REV-4, REV-6, REV-7, REV-9, REV-10, REV-12: the review page offers each role the actions of the review's status
and records them: the unit head passes or returns, the reviewer sends one notice listing every missing item, the
officer supplements (with files), the reviewer accepts, pauses and resumes the clock, adds counsel's opinion,
assigns a colleague and gives an opinion with reasons (seven outcomes); the agency head extends once; the officer
disagrees, the panel does not settle it, the leadership decides collectively."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sunlight.core.models import Deadline
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.review import services as s
from sunlight.review.choices import Outcome
from sunlight.review.models import Review
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed
from sunlight.review.tests.test_review_opinion_document import stores_dirs  # noqa: F401  (fixture)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, review: Review) -> str:
    return logged_in(user).get(f"/workbench/review/{review.public_id}/").content.decode()


def act(user, review: Review, action: str, data: dict, files: dict | None = None):
    body = {f"{action}-{k}": v for k, v in data.items()}
    for key, value in (files or {}).items():
        body[f"{action}-{key}"] = value
    return logged_in(user).post(f"/workbench/review/{review.public_id}/act/{action}/", body, follow=True)


def forms_on(html: str) -> list[str]:
    return re.findall(r'data-testid="act-([a-z-]+)"', html)


def fresh(review: Review) -> Review:
    return Review.objects.get(pk=review.pk)


def submitted(desk) -> Review:
    return s.review_submit(acting_user=desk.officer, case=noticed(desk, timezone.now()), draft=MAJOR_DRAFT)


def test_unit_head_returns_with_reasons_or_passes(desk) -> None:
    review = submitted(desk)
    assert forms_on(page(desk.head, review)) == ["unit-decide"]
    assert forms_on(page(desk.c.reviewer, review)) == [] and forms_on(page(desk.officer, review)) == []

    refused = act(desk.head, review, "unit-decide", {"decision": "return", "reasons": ""})
    assert refused.status_code == 400 and "退回须写明理由。" in refused.content.decode()
    assert fresh(review).status == "unit_review" and fresh(review).event_count == 1

    done = act(desk.head, review, "unit-decide", {"decision": "pass", "reasons": "材料基本齐全"})
    assert done.redirect_chain and fresh(review).status == "submitted"
    html = done.content.decode()
    assert "初审意见已记录。" in html and "承办机构负责人初审通过" in html and "材料基本齐全" in html


def test_one_notice_lists_every_missing_item_then_supplement_and_acceptance(desk, stores_dirs) -> None:  # noqa: F811
    review = submitted(desk)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    assert forms_on(page(desk.c.reviewer, review)) == ["completeness", "assign"]

    empty = act(desk.c.reviewer, review, "completeness", {"decision": "notice", "missing": " "})
    assert empty.status_code == 400 and "请逐项列明缺少的材料（每行一项）。" in empty.content.decode()
    done = act(
        desk.c.reviewer, review, "completeness", {"decision": "notice", "missing": "现场检查照片\n营业执照复印件\n"}
    )
    assert done.redirect_chain and "已一次性告知补正，列明缺少材料2项。" in done.content.decode()
    assert fresh(review).status == "incomplete" and fresh(review).missing == ["现场检查照片", "营业执照复印件"]
    html = page(desk.officer, review)
    assert re.search(r'data-testid="review-missing"><li>现场检查照片</li><li>营业执照复印件</li>', html)
    assert forms_on(html) == ["supplement"]
    again = act(desk.c.reviewer, review, "completeness", {"decision": "notice", "missing": "询问笔录"})
    assert again.status_code == 400 and "不能审查材料是否齐全" in again.content.decode()
    assert fresh(review).missing == ["现场检查照片", "营业执照复印件"]  # one notice only

    photo = SimpleUploadedFile("现场检查照片.pdf", b"%PDF-1.4 photo", content_type="application/pdf")
    done = act(desk.officer, review, "supplement", {"items": "现场检查照片\n营业执照复印件"}, {"uploads": photo})
    assert done.redirect_chain and fresh(review).status == "supplemented"
    supplement = fresh(review).package[-1]
    assert supplement["part"] == "supplement" and supplement["items"][:2] == ["现场检查照片", "营业执照复印件"]
    assert "现场检查照片.pdf" in supplement["items"][2]

    html = page(desk.c.reviewer, review)
    assert "补正后材料齐全，接收审核" in html and "补正后仍不齐全，不予接收" in html
    html = act(desk.c.reviewer, review, "completeness", {"decision": "accept", "missing": ""}).content.decode()
    review = fresh(review)
    assert review.status == "accepted" and review.reviewer == desk.c.reviewer
    assert "材料齐全，已接收审核，审核期限开始计算。" in html and 'data-testid="review-due"' in html


def test_pause_resume_counsel_assign_and_one_extension(desk) -> None:
    review = submitted(desk)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[])
    assert forms_on(page(desk.c.reviewer, review)) == ["opinion", "counsel", "pause", "disagree", "assign"]
    assert forms_on(page(desk.chief, review)) == ["extend", "assign"]
    assert forms_on(page(desk.officer, review)) == []

    refused = act(desk.c.reviewer, review, "pause", {"reason": ""})
    assert refused.status_code == 400 and "请写明中止计时的原因" in refused.content.decode()
    act(desk.c.reviewer, review, "pause", {"reason": "征求食品安全专家意见"})
    html = page(desk.c.reviewer, review)
    assert fresh(review).status == "paused" and "中止计时" in html and forms_on(html) == ["counsel", "resume", "assign"]
    act(desk.c.reviewer, review, "resume", {"note": "专家意见已返回"})
    assert fresh(review).status == "accepted"

    act(desk.c.reviewer, review, "counsel", {"counsel": "张律师", "opinion": "建议核实货值金额"})
    other = staff(Role.LEGAL_REVIEWER, unit=desk.c.legal, username="reviewer_b")
    act(desk.c.reviewer, review, "assign", {"reviewer": str(other.pk)})
    assert fresh(review).reviewer == other

    act(desk.chief, review, "extend", {"reason": "案情复杂，涉及多个法律关系"})
    clock = Deadline.objects.get(subject_type="review", subject_id=str(review.public_id))
    assert clock.amount == 5
    assert "extend" not in forms_on(page(desk.chief, review))
    html = page(desk.officer, review)
    for words in (
        "中止计时",
        "恢复计时",
        "张律师",
        "建议核实货值金额",
        "指派审核人员",
        "延长审核期限",
        "延长2个工作日",
    ):
        assert words in html, words


def test_seven_outcomes_disagreement_panel_and_collective_decision(desk, stores_dirs) -> None:  # noqa: F811
    review = submitted(desk)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[])
    html = page(desk.c.reviewer, review)
    for _code, label in Outcome.choices:
        assert str(label) in html, label

    act(desk.c.reviewer, review, "opinion", {"outcome": "change", "reasons": "罚款超出裁量基准，应说明理由"})
    review = fresh(review)
    assert review.status == "returned" and review.outcome == "change"
    html = page(desk.officer, review)
    assert forms_on(html) == ["disagree"] and "修改后重新报送" in html and "下载 PDF" in html

    act(desk.officer, review, "disagree", {"reasons": "货值金额计算无误，罚款适当"})
    assert fresh(review).status == "panel"
    assert forms_on(page(desk.c.reviewer, review)) == ["opinion", "counsel", "panel", "assign"]
    act(desk.c.reviewer, review, "panel", {"experts": "李教授、王律师", "opinion": "意见不一", "agreed": "no"})
    assert fresh(review).status == "collective"
    assert forms_on(page(desk.chief, review)) == ["collective", "assign"]
    act(desk.chief, review, "collective", {"outcome": "approve", "participants": "局长、副局长", "reasons": "同意处罚"})
    review = fresh(review)
    assert review.status == "approved" and review.outcome == "approve"
    html = page(desk.officer, review)
    for words in ("机关负责人集体讨论决定", "同意处罚", "局长、副局长", "生成法制审核意见书", "第2版"):
        assert words in html, words
