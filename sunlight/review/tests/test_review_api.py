"""REV-1..13 through the API: the queue, a review with its pre-checks, a preview and the submission, every action
(first level, completeness, supplement, assignment, pause, resume, extension, counsel, opinion, disagreement, panel,
collective decision), the opinion document's files and the dashboard. Every refusal is a structured error in
Chinese and changes nothing; a review outside the caller's scope is 404."""

from __future__ import annotations

import io
import typing
from typing import Any

from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from sunlight.core.models import Deadline, LedgerEntry
from sunlight.evidence.blobs import blob_store
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.review import api as review_api
from sunlight.review.choices import Outcome, ReviewStatus
from sunlight.review.models import Review
from sunlight.review.tests.factories import noticed
from sunlight.review.tests.test_review_opinion_document import stores_dirs  # noqa: F401  (fixture)
from sunlight.review.views import ACTIONS

API = "/api/v1/review"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(user: Any, path: str, body: dict[str, Any]) -> Any:
    return logged_in(user).post(f"{API}{path}", body, content_type="application/json")


def draft(desk, **over: Any) -> dict[str, Any]:
    values = {
        "facts": "无证经营，货值金额5000元",
        "basis": "《食品安全法》第一百二十二条",
        "kinds": ["fine"],
        "fine_fen": 15_000_000,
        "goods_value_fen": 500_000,
        "benchmark": str(desk.benchmark.public_id),
        "circumstance": "ordinary",
    }
    values.update(over)
    return values


def test_codes_match_the_choices() -> None:
    assert set(typing.get_args(review_api.StatusCode)) == set(ReviewStatus.values)
    assert set(typing.get_args(review_api.OutcomeCode)) == set(Outcome.values)
    assert set(typing.get_args(review_api.ActionCode)) == set(ACTIONS)


def test_preview_submit_and_every_action_through_the_api(desk, stores_dirs) -> None:  # noqa: F811
    case = noticed(desk, timezone.now())
    officer, head, reviewer, chief = desk.officer, desk.head, desk.c.reviewer, desk.chief

    entries = LedgerEntry.objects.count()
    preview = post(officer, "/preview", {"case": str(case.public_id), "draft": draft(desk)})
    body = preview.json()
    assert preview.status_code == 200 and not body["voluntary"] and not body["late"]
    assert body["major_reasons"][0]["title"] == "对法人或者其他组织处以10万元以上罚款"
    assert {c["point"]: c["ok"] for c in body["prechecks"]}["discretion"] is False
    assert body["case_due_at"] and LedgerEntry.objects.count() == entries and not Review.objects.exists()

    stored = blob_store(data=b"%PDF-1.4 licence copy", content_type="application/pdf")
    created = post(
        officer,
        "/",
        {
            "case": str(case.public_id),
            "draft": draft(desk),
            "urgent": False,
            "uploads": [{"name": "营业执照.pdf", "sha256": stored.sha256}],
        },
    )
    assert created.status_code == 201, created.content
    review = created.json()
    rid = review["id"]
    assert review["status"] == "unit_review" and review["draft"]["fine_fen"] == 15_000_000
    assert any(p["part"] == "upload" and stored.sha256 in p["items"][0] for p in review["package"])
    assert [e["kind"] for e in review["events"]] == ["submitted"] and review["actions"] == []

    assert post(head, f"/{rid}/unit-decision", {"passed": True, "reasons": "同意"}).json()["status"] == "submitted"
    notice = post(reviewer, f"/{rid}/completeness", {"missing": ["现场检查照片", "营业执照复印件"]}).json()
    assert notice["status"] == "incomplete" and notice["missing"] == ["现场检查照片", "营业执照复印件"]
    supplied = post(officer, f"/{rid}/supplement", {"items": ["现场检查照片", "营业执照复印件"]}).json()
    assert supplied["status"] == "supplemented"
    accepted = post(reviewer, f"/{rid}/completeness", {"missing": []}).json()
    assert accepted["status"] == "accepted" and accepted["clock"]["rule"] == "review.legal_review"
    assert accepted["clock"]["level"] == "green" and accepted["clock"]["amount"] == 3

    other = staff(Role.LEGAL_REVIEWER, unit=desk.c.legal, username="reviewer_api")
    assert post(reviewer, f"/{rid}/assign", {"reviewer": str(other.public_id)}).json()["reviewer"]["name"]
    post(reviewer, f"/{rid}/assign", {"reviewer": str(reviewer.public_id)})
    assert post(reviewer, f"/{rid}/pause", {"reason": "专家论证"}).json()["clock"]["status"] == "paused"
    assert post(reviewer, f"/{rid}/resume", {"note": "已返回"}).json()["status"] == "accepted"
    assert post(chief, f"/{rid}/extend", {"reason": "案情复杂"}).json()["clock"]["amount"] == 5
    counsel = post(reviewer, f"/{rid}/counsel-opinions", {"counsel": "张律师", "opinion": "建议核实"}).json()
    assert counsel["events"][-1]["kind"] == "counsel_opinion" and "张律师" in counsel["events"][-1]["details"][0]

    changed = post(reviewer, f"/{rid}/opinion", {"outcome": "change", "reasons": "补充裁量理由"}).json()
    assert changed["status"] == "returned" and changed["outcome_label"] == "建议变更或补充"
    assert len(changed["documents"]) == 1 and changed["documents"][0]["number"] == changed["number"]
    assert post(officer, f"/{rid}/disagree", {"reasons": "罚款适当"}).json()["status"] == "panel"
    panel = post(reviewer, f"/{rid}/panel-opinion", {"experts": "李教授", "opinion": "未达成一致", "agreed": False})
    assert panel.json()["status"] == "collective"
    decided = post(
        chief, f"/{rid}/collective-decision", {"outcome": "approve", "participants": "局长", "reasons": "同意"}
    ).json()
    assert decided["status"] == "approved" and [d["version"] for d in decided["documents"]] == [1, 2]

    document = decided["documents"][1]
    pdf = logged_in(officer).get(document["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content)
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert decided["number"] in text and "经机关负责人集体讨论决定" in text
    assert logged_in(officer).get(document["docx_url"]).status_code == 200

    detail = logged_in(officer).get(f"{API}/{rid}").json()
    assert detail["id"] == rid and len(detail["prechecks"]) == 8 and detail["prechecks"][0]["title"]
    assert [e["kind"] for e in detail["events"]][-1] == "opinion_document"

    queue = logged_in(reviewer).get(f"{API}/?status=approved").json()
    assert queue["count"] == 1 and queue["items"][0]["id"] == rid
    assert logged_in(reviewer).get(f"{API}/").json()["count"] == 0  # nothing open

    board = logged_in(reviewer).get(f"{API}/dashboard").json()
    assert {o["code"]: o["count"] for o in board["by_outcome"]}["approve"] == 1
    row = next(r for r in board["staffing"] if r["agency"] == str(desk.c.agency.public_id))
    assert (row["reviewers"], row["needed"], row["short"]) == (2, 2, False) and board["open_count"] == 0


def test_queue_lists_open_reviews_oldest_first_and_mine(desk) -> None:
    first = post(desk.officer, "/", {"case": str(noticed(desk, timezone.now()).public_id), "draft": draft(desk)}).json()
    second = post(desk.officer, "/", {"case": str(noticed(desk, timezone.now()).public_id), "draft": draft(desk)})
    page = logged_in(desk.officer).get(f"{API}/").json()
    assert [i["id"] for i in page["items"]] == [first["id"], second.json()["id"]] and page["count"] == 2
    assert logged_in(desk.c.reviewer).get(f"{API}/?mine=true").json()["count"] == 0
    assert logged_in(desk.c.outsider).get(f"{API}/").json()["count"] == 0


def test_refusals_are_structured_in_chinese_and_change_nothing(desk) -> None:
    case = noticed(desk, timezone.now())
    created = post(desk.officer, "/", {"case": str(case.public_id), "draft": draft(desk)}).json()
    rid = created["id"]
    review = Review.objects.get(public_id=rid)
    before = model_to_dict(review)
    entries = LedgerEntry.objects.exclude(kind="permission.denied").count()

    missing = post(desk.head, f"/{rid}/unit-decision", {"passed": False, "reasons": ""})
    assert missing.status_code == 400
    assert missing.json() == {"errors": [{"field": "reasons", "code": "required", "message": "退回须写明理由。"}]}
    forbidden = post(desk.officer, f"/{rid}/unit-decision", {"passed": True})
    assert forbidden.status_code == 403 and forbidden.json()["errors"][0]["message"] == "您没有权限执行此操作。"
    wrong_state = post(desk.c.reviewer, f"/{rid}/opinion", {"outcome": "approve", "reasons": "同意"})
    assert wrong_state.status_code == 400 and wrong_state.json()["errors"][0]["code"] == "not_allowed"
    bad_outcome = post(desk.c.reviewer, f"/{rid}/opinion", {"outcome": "maybe", "reasons": "x"})
    assert bad_outcome.status_code == 422 and bad_outcome.json()["errors"][0]["message"] == "取值无效。"
    again = post(desk.officer, "/", {"case": str(case.public_id), "draft": draft(desk)})
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "under_review"
    unstored = post(
        desk.officer, f"/{rid}/supplement", {"items": ["x"], "uploads": [{"name": "a.pdf", "sha256": "0" * 64}]}
    )
    assert unstored.status_code == 400 and unstored.json()["errors"][0]["code"] == "not_stored"
    no_facts = post(desk.officer, "/preview", {"case": str(case.public_id), "draft": {"facts": ""}})
    assert no_facts.status_code == 200  # a preview refuses nothing: it shows what the submission would be

    assert model_to_dict(Review.objects.get(pk=review.pk)) == before
    assert LedgerEntry.objects.exclude(kind="permission.denied").count() == entries
    assert not Deadline.objects.filter(subject_type="review").exists()

    assert logged_in(desk.c.outsider).get(f"{API}/{rid}").status_code == 404
    assert post(desk.c.outsider, f"/{rid}/opinion", {"outcome": "approve", "reasons": "x"}).status_code == 404
    assert Client().get(f"{API}/{rid}").status_code == 401
    assert logged_in(desk.officer).get(f"{API}/dashboard").status_code == 403
