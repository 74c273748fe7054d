"""REC-2, REC-5, SYS-8, REV-1: the case page shows every record in order (who, when, where, what, which AV record),
the deadlines with their colours, what each next step needs, and the major-decision classification."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from sunlight.cases.tests.factories import Desk, av_record
from sunlight.core.models import Deadline

LIST = "/workbench/cases/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_page_shows_timeline_deadlines_next_steps_and_classification(desk: Desk) -> None:
    now = timezone.now()
    case = desk.start(source="complaint", complainant_name="李某")
    desk.record(case, "initiation", now, by=desk.head, data={"facts": "无证经营"})
    av = av_record(desk, now, title="好味道餐饮现场检查视频")
    desk.record(case, "investigation", now, given=desk.field(now, content="现场检查后厨。", av_records=[av]))

    page = logged_in(desk.officer).get(f"{LIST}{case.public_id}/").content.decode()
    # The timeline, in order, with who, where, what and the AV record linked to its evidence page.
    first, second = page.find("1. 立案"), page.find("2. 调查取证")
    assert 0 < first < second
    assert "临泉县城关镇人民路88号" in page and "现场检查后厨。" in page
    assert desk.officer.full_name in page and desk.partner.full_name in page and "已出示执法证件" in page
    assert "好味道餐饮现场检查视频" in page and f"/workbench/evidence/{av.public_id}/" in page
    assert "违法事实摘要" in page and "无证经营" in page
    assert "实名投诉举报人" in page and "李某" in page
    # The 90-day clock of the case, green.
    clock = Deadline.objects.get(subject_id=str(case.public_id), rule__code="penalty.case")
    assert clock.rule.name in page and 'class="badge level-green"' in page
    # The next steps, each a link to its form, with what it needs.
    assert f"{LIST}{case.public_id}/steps/notice/" in page
    assert "告知的权利及方式" in page
    # Undecided: the classification so far.
    assert "尚未触发本机关重大执法决定目录的情形" in page


def test_a_decided_major_case_shows_its_reasons(desk: Desk) -> None:
    from sunlight.cases.models import Case

    case = desk.start()
    Case.objects.filter(pk=case.pk).update(
        status="decided",
        is_major=True,
        major_reasons=[{"rule": "MR-01", "title": "对法人或者其他组织处以10万元以上罚款"}],
    )
    page = logged_in(desk.officer).get(f"{LIST}{case.public_id}/").content.decode()
    assert "属于重大执法决定" in page and "对法人或者其他组织处以10万元以上罚款" in page


def test_someone_who_does_not_handle_the_case_sees_no_actions(desk: Desk, county) -> None:
    case = desk.start()
    page = logged_in(county.supervisor).get(f"{LIST}{case.public_id}/").content.decode()
    assert "不承办本案，不能记录办理环节" in page
    response = logged_in(county.supervisor).get(f"{LIST}{case.public_id}/steps/initiation/")
    assert response.status_code == 403
