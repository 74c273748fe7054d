"""REC-5, 行政强制法 §25: on a phone at the scene, the seizure step is refused without its continuous AV record (the
reason is shown next to the AV field and what was typed stays), and recorded once the AV record is ticked; the case
page then shows the 30-day seizure period, which the agency head's extension moves by 30 days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sunlight.cases.checks import StepInput
from sunlight.cases.models import Case, CaseRecord
from sunlight.cases.services import case_create, case_step_record
from sunlight.catalog.models import EnforcementItem
from sunlight.core.models import Deadline
from sunlight.evidence.services import av_record_register
from sunlight.org.models import User

from .conftest import SHOTS, field, login, logout, nav
from .seed import recent_moments

pytestmark = pytest.mark.e2e

PLACE = "临泉县城关街道建设路9号"
AV_TITLE = "王记粮油店扣押现场执法记录仪视频"


def seizure_at_notice() -> Case:
    """A demo coercion case: approved by the unit head, certificates shown and rights notified on video."""
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="unithead")
    item = EnforcementItem.objects.get(agency=officer.agency, code="SC-QZ-001")
    at = recent_moments(4)
    case = case_create(
        acting_user=officer,
        workflow="coercion",
        unit=officer.unit,
        item=item,
        title="涉嫌销售霉变大米",
        party_kind="individual",
        party_name="王某（王记粮油店经营者）",
        source="complaint",
        complainant_name="赵某",
        officers=[head],
        now=at[0],
    )
    av = av_record_register(
        acting_user=officer,
        title=AV_TITLE,
        scene="coercion",
        device_number="DSJ-LQ-0107",
        recorded_from=at[1],
        recorded_to=timezone.now(),
        place=PLACE,
        case_number=case.number,
        case_step="实施查封、扣押",
    )
    case_step_record(
        acting_user=head, case=case, step="approval", given=StepInput(occurred_at=at[1], data={"measure": "扣押"})
    )
    common = {
        "place": PLACE,
        "officers": [officer, head],
        "certificates_shown": True,
        "party_present": True,
        "party_signed": True,
        "av_records": [av],
    }
    case_step_record(
        acting_user=officer, case=case, step="show_certificate", given=StepInput(occurred_at=at[2], **common)
    )
    case_step_record(
        acting_user=officer,
        case=case,
        step="notice",
        given=StepInput(
            occurred_at=at[3],
            rights_notified=["statement", "defence", "reconsideration", "litigation"],
            rights_how="口头告知",
            **common,
        ),
    )
    return case


def no_sideways_scrolling(page) -> None:
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width + 1, f"{page.url}: {scroll_width}px wide in a {inner_width}px viewport"


def test_seizure_needs_its_av_record_and_the_head_extends_the_period(phone_page, base_url):
    page = phone_page
    case = seizure_at_notice()
    login(page, base_url, "officer")
    nav(page).get_by_role("link", name="案件办理").tap()
    page.get_by_role("link", name=case.number).tap()
    page.get_by_test_id("next-steps").get_by_role("link", name="实施查封、扣押等强制措施并制作现场笔录").tap()
    expect(page.get_by_role("heading", name="实施查封、扣押等强制措施并制作现场笔录")).to_be_visible()
    no_sideways_scrolling(page)

    # At the scene, on the phone: everything but the AV record.
    field(page, "地点").fill(PLACE)
    expect(page.get_by_label("王立新（officer）")).to_be_checked()  # the case's officers are ticked already
    expect(page.get_by_label("陈国强（unithead）")).to_be_checked()
    page.get_by_label("已出示执法证件").check()
    page.get_by_label("当事人在场").check()
    page.get_by_label("当事人已签名").check()
    field(page, "强制措施").fill("扣押")
    field(page, "查封、扣押的场所、设施或者财物清单").fill("霉变大米30袋（每袋25公斤）")
    submit = page.get_by_role("button", name="提交记录")
    box = submit.bounding_box()
    assert box is not None and box["height"] >= 44
    submit.tap()

    error = page.get_by_test_id("error-av_records")
    expect(error).to_contain_text("该环节须全程音像记录，请先关联音像记录后再提交（REC-5）")
    expect(field(page, "查封、扣押的场所、设施或者财物清单")).to_have_value("霉变大米30袋（每袋25公斤）")
    expect(page.get_by_label("已出示执法证件")).to_be_checked()
    no_sideways_scrolling(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-seizure-refused-phone.png"), full_page=True)
    case.refresh_from_db()
    assert case.step == "notice" and not CaseRecord.objects.filter(case=case, step="onsite_measure").exists()
    assert not Deadline.objects.filter(subject_id=str(case.public_id), rule__code="coercion.seizure").exists()

    # With the AV record ticked it is recorded, and the 30-day period starts.
    page.get_by_label(re.compile(AV_TITLE)).check()
    page.get_by_role("button", name="提交记录").tap()
    expect(page.get_by_test_id("case-step")).to_have_text("实施查封、扣押等强制措施并制作现场笔录")
    measure = page.get_by_test_id("timeline").get_by_test_id("record").last
    expect(measure).to_contain_text("霉变大米30袋")
    expect(measure.get_by_test_id("record-av")).to_contain_text(AV_TITLE)
    seizure = Deadline.objects.get(subject_id=str(case.public_id), rule__code="coercion.seizure")
    assert seizure.amount == 30
    row = page.get_by_test_id("deadline-coercion.seizure")
    expect(row).to_contain_text("30")
    expect(row.get_by_test_id("deadline-level")).to_have_text("正常")
    first_due = row.get_by_test_id("due").inner_text()
    no_sideways_scrolling(page)

    # The decision is served on the spot (recorded through the service), then the agency head extends the period.
    case_step_record(
        acting_user=User.objects.get(username="officer"),
        case=case,
        step="service",
        given=StepInput(
            occurred_at=timezone.now(),
            variant="direct",
            data={"document": "扣押决定书", "recipient": "王某", "received_at": "当场签收"},
        ),
    )
    logout(page)
    login(page, base_url, "agencyhead")
    nav(page).get_by_role("link", name="案件办理").tap()
    page.get_by_role("link", name=case.number).tap()
    page.get_by_test_id("next-steps").get_by_role("link", name="延长期限").tap()
    field(page, "延长期限（日）").fill("30")
    field(page, "理由").fill("涉案大米需送检，检测周期较长，经批准延长扣押期限。")
    page.get_by_role("button", name="提交记录").tap()
    expect(page.get_by_test_id("case-step")).to_have_text("延长期限")

    seizure.refresh_from_db()
    assert seizure.amount == 60 and seizure.status == "open"
    row = page.get_by_test_id("deadline-coercion.seizure")
    expect(row).to_contain_text("60")
    expect(row.get_by_test_id("due")).not_to_have_text(first_due)
    local_due = timezone.localtime(seizure.due_at)
    assert local_due.date() > timezone.localdate() + timedelta(days=58)
    page.screenshot(path=str(SHOTS / "case-seizure-extended-phone.png"), full_page=True)
