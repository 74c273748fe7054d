"""REV-1, REV-3, REV-5: the submission page shows the package assembled from the case, whether the case is major
(voluntary otherwise) and the pre-checks before anything is written; a fine typed in yuan is stored in fen exactly;
uploads are stored in both stores and named in the package; a refused submission shows why and writes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sunlight.core.models import LedgerEntry
from sunlight.evidence.models import StoredFile
from sunlight.review.models import Review
from sunlight.review.tests.factories import noticed
from sunlight.review.tests.test_review_opinion_document import stores_dirs  # noqa: F401  (fixture)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft_form(desk, **over) -> dict[str, object]:
    values: dict[str, object] = {
        "facts": "无证经营，货值金额5000元",
        "basis": "《食品安全法》第一百二十二条",
        "kinds": ["fine"],
        "fine_yuan": "150000.55",
        "goods_value_yuan": "5000",
        "benchmark": str(desk.benchmark.public_id),
        "circumstance": "ordinary",
    }
    values.update(over)
    return values


def test_the_page_previews_package_major_and_prechecks_without_writing(desk) -> None:
    case = noticed(desk, timezone.now())
    client = logged_in(desk.officer)
    url = f"/workbench/review/submit/{case.public_id}/"
    page = client.get(url).content.decode()
    for words in (
        "报送法制审核",
        case.number,
        "案件来源及立案材料",
        "执法人员资格",
        "证据材料",
        "程序材料",
        "自动预审",
    ):
        assert words in page, words
    assert "不属于重大执法决定" in page  # nothing typed yet: no fine

    entries = LedgerEntry.objects.count()
    preview = client.post(url, {**draft_form(desk), "preview": "1"})
    text = preview.content.decode()
    assert preview.status_code == 200
    assert "属于重大执法决定，须经法制审核通过后方可作出决定" in text
    assert "对法人或者其他组织处以10万元以上罚款" in text
    assert "拟处罚超出裁量基准且未说明理由" in text  # the discretion pre-check flags the 150,000.55 yuan fine
    assert 'value="150000.55"' in text  # what was typed stays
    assert not Review.objects.exists() and LedgerEntry.objects.count() == entries


def test_submission_stores_the_fine_in_fen_exactly_and_the_uploads_twice(desk, stores_dirs) -> None:  # noqa: F811
    case = noticed(desk, timezone.now())
    client = logged_in(desk.officer)
    upload = SimpleUploadedFile("现场照片说明.pdf", b"%PDF-1.4 photos", content_type="application/pdf")
    response = client.post(
        f"/workbench/review/submit/{case.public_id}/",
        {**draft_form(desk, discretion_reasons="多次违法，从重"), "urgent": "on", "uploads": [upload], "submit": "1"},
    )
    review = Review.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == f"/workbench/review/{review.public_id}/"
    assert review.draft["fine_fen"] == 15_000_055 == int(Decimal("150000.55") * 100)
    assert review.draft["goods_value_fen"] == 500_000 and review.draft["kinds"] == ["fine"]
    assert review.urgent and not review.voluntary and review.status == "unit_review"
    stored = StoredFile.objects.get(content_type="application/pdf", size=len(b"%PDF-1.4 photos"))
    assert set(stored.copies.values_list("store", flat=True)) == {"a", "b"}
    uploads = next(p for p in review.package if p["part"] == "upload")
    assert uploads["items"] == [f"现场照片说明.pdf {stored.sha256}"]
    page = client.get(response["Location"]).content.decode()
    assert "已报送法制审核" in page and review.number in page


def test_a_case_that_is_not_major_is_submitted_as_voluntary(desk) -> None:
    case = noticed(desk, timezone.now())
    client = logged_in(desk.officer)
    client.post(
        f"/workbench/review/submit/{case.public_id}/",
        {"facts": "未按规定公示", "basis": "《食品安全法》第一百二十六条", "kinds": ["warning"], "submit": "1"},
    )
    review = Review.objects.get(case=case)
    assert review.voluntary and review.major_reasons == []
    assert "非重大执法决定，承办机构主动报送" in client.get(f"/workbench/review/{review.public_id}/").content.decode()


def test_a_refused_submission_shows_the_reasons_and_writes_nothing(desk, stores_dirs) -> None:  # noqa: F811
    case = noticed(desk, timezone.now())
    client = logged_in(desk.officer)
    entries, files = LedgerEntry.objects.count(), StoredFile.objects.count()
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 refused", content_type="application/pdf")
    response = client.post(
        f"/workbench/review/submit/{case.public_id}/",
        {**draft_form(desk, fine_yuan="12.345"), "facts": " ", "uploads": [upload], "submit": "1"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "这个字段是必填项。" in text  # the facts
    assert "确认小数不超过 2 位" in text  # 12.345 yuan: more than two decimals
    assert not Review.objects.exists()
    assert LedgerEntry.objects.count() == entries and StoredFile.objects.count() == files

    # valid form, refused by the service: a second submission while the first is open
    client.post(f"/workbench/review/submit/{case.public_id}/", {**draft_form(desk), "submit": "1"})
    entries = LedgerEntry.objects.count()
    again = client.post(f"/workbench/review/submit/{case.public_id}/", {**draft_form(desk), "submit": "1"})
    assert again.status_code == 400 and "该案件正在审核中，不能重复报送。" in again.content.decode()
    assert Review.objects.filter(case=case).count() == 1 and LedgerEntry.objects.count() == entries


def test_a_legal_reviewer_cannot_open_the_submission(desk) -> None:
    case = noticed(desk, timezone.now())
    response = logged_in(desk.c.reviewer).get(f"/workbench/review/submit/{case.public_id}/")
    assert response.status_code == 403 and "您没有权限执行此操作。" in response.content.decode()


def test_the_page_warns_when_later_than_ten_working_days_before_the_case_deadline(desk) -> None:
    from datetime import timedelta

    from sunlight.review.models import AccountabilityRecord

    on_time = noticed(desk, timezone.now())
    client = logged_in(desk.officer)
    assert (
        'data-testid="late-warning"'
        not in client.get(f"/workbench/review/submit/{on_time.public_id}/").content.decode()
    )

    case = noticed(desk, timezone.now() - timedelta(days=85))  # 90 days from initiation: 5 days left
    html = client.get(f"/workbench/review/submit/{case.public_id}/").content.decode()
    assert 'data-testid="late-warning"' in html and "不足10个工作日" in html
    assert "行政处罚案件办理期限" in html
    client.post(f"/workbench/review/submit/{case.public_id}/", {**draft_form(desk), "submit": "1"})
    review = Review.objects.get(case=case)
    assert review.late
    assert AccountabilityRecord.objects.filter(review=review, kind="late").exists()
