"""REV-3, REV-5: the review page shows the submitted package part by part, the automatic pre-checks of every review
point with what they found and the records they looked at (a penalty outside the benchmark without reasons is
flagged), the draft decision in yuan, and the history of the review with its ledger entries; a refused action shows
the reasons in Chinese and changes nothing; a reviewer who handled the case is told so and offered nothing."""

from __future__ import annotations

import re

from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from sunlight.cases.services import case_officers_assign
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.review import services as s
from sunlight.review.models import Review
from sunlight.review.tests.factories import MAJOR_DRAFT, noticed


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def outside_benchmark(desk) -> dict:
    return {
        **MAJOR_DRAFT,
        "benchmark": str(desk.benchmark.public_id),
        "circumstance": "ordinary",
        "goods_value_fen": 500_000,
    }


def test_page_shows_package_prechecks_with_evidence_draft_and_history(desk) -> None:
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft=outside_benchmark(desk))
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True, reasons="同意报送")
    html = logged_in(desk.c.reviewer).get(f"/workbench/review/{review.public_id}/").content.decode()

    for label in ("案件来源及立案材料", "执法人员资格", "证据材料", "程序材料", "拟作出的决定（事实、依据）"):
        assert label in html, label
    points = dict(re.findall(r'data-testid="precheck" data-point="(\w+)" data-ok="(\d)"', html))
    assert set(points) == {"competence", "officers", "evidence", "procedure", "law", "discretion", "documents", "crime"}
    assert points["discretion"] == "0" and points["competence"] == "1"
    assert "拟处罚超出裁量基准且未说明理由" in html
    assert "核对的记录" in html and "《中华人民共和国食品安全法》第一百二十二条" in html  # the law check's evidence
    assert "150,000.00元" in html and "5,000.00元" in html and "BM-122" in html  # the draft, in yuan
    assert "对法人或者其他组织处以10万元以上罚款" in html  # why the case is major

    events = re.findall(r'data-testid="event" data-kind="(\w+)"', html)
    assert events == ["submitted", "unit_passed"]
    entry = LedgerEntry.objects.get(seq=review.events.get(kind="unit_passed").entry_seq)
    assert entry.stream == review.stream and f"账本序号 {entry.seq}" in html


def test_a_refused_action_shows_why_and_changes_nothing(desk) -> None:
    review = s.review_submit(acting_user=desk.officer, case=noticed(desk, timezone.now()), draft=MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    s.review_completeness(acting_user=desk.c.reviewer, review=review, missing=[])
    before = model_to_dict(Review.objects.get(pk=review.pk))
    entries = LedgerEntry.objects.count()

    url = f"/workbench/review/{review.public_id}/act/opinion/"
    response = logged_in(desk.c.reviewer).post(url, {"opinion-outcome": "", "opinion-reasons": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择审核意见。" in html and "审核意见须写明理由。" in html
    assert 'data-testid="action-errors"' in html

    forbidden = logged_in(desk.officer).post(url, {"opinion-outcome": "approve", "opinion-reasons": "同意"})
    assert forbidden.status_code == 403 and "您没有权限执行此操作。" in forbidden.content.decode()
    assert model_to_dict(Review.objects.get(pk=review.pk)) == before
    assert LedgerEntry.objects.exclude(kind="permission.denied").count() == entries

    unknown = logged_in(desk.c.reviewer).post(f"/workbench/review/{review.public_id}/act/approve-all/", {})
    assert unknown.status_code == 404
    assert logged_in(desk.c.outsider).get(f"/workbench/review/{review.public_id}/").status_code == 404


def test_a_reviewer_who_handled_the_case_is_offered_nothing(desk) -> None:
    case = noticed(desk, timezone.now())
    review = s.review_submit(acting_user=desk.officer, case=case, draft=MAJOR_DRAFT)
    s.review_unit_decide(acting_user=desk.head, review=review, passed=True)
    insider = staff(Role.LEGAL_REVIEWER, unit=desk.c.legal, username="insider_page")
    case_officers_assign(acting_user=desk.officer, case=case, officers=[insider])
    html = logged_in(insider).get(f"/workbench/review/{review.public_id}/").content.decode()
    assert "您是本案的承办人员或已申报回避，不能审核本案。" in html and 'data-testid="act-' not in html
    refused = logged_in(insider).post(
        f"/workbench/review/{review.public_id}/act/completeness/", {"completeness-decision": "accept"}
    )
    assert refused.status_code == 400 and "不能审核本案" in refused.content.decode()
    assert Review.objects.get(pk=review.pk).status == "submitted"
