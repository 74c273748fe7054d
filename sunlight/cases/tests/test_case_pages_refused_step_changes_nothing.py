"""REC-2, REV-2: a refused step shows every reason in Chinese next to its field, keeps what was typed and changes
nothing; an accepted step is recorded through the service with the fine converted from yuan to fen exactly."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from sunlight.cases.models import CaseRecord
from sunlight.cases.tests.factories import Desk
from sunlight.core.models import LedgerEntry

LIST = "/workbench/cases/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _state(case):
    case.refresh_from_db()
    entries = LedgerEntry.objects.filter(stream=case.stream).count()
    return case.step, case.status, case.record_count, CaseRecord.objects.filter(case=case).count(), entries


def test_refused_field_step_shows_the_reasons_and_keeps_the_input(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", timezone.now(), by=desk.head, data={"facts": "无证经营"})
    before = _state(case)
    response = logged_in(desk.officer).post(
        f"{LIST}{case.public_id}/steps/investigation/",
        {
            "occurred_at": local(timezone.now()),
            "place": "",
            "officers": [str(desk.officer.public_id)],
            "content": "询问当事人经营情况，当事人称已申请许可。",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-officers"' in page and "具备执法资格的执法人员不足两名" in page
    assert 'data-testid="error-place"' in page and "请填写执法地点" in page
    assert 'data-testid="error-certificates_shown"' in page and "主动出示执法证件" in page
    assert "询问当事人经营情况，当事人称已申请许可。" in page  # what was typed is still there
    assert _state(case) == before


def test_major_decision_is_refused_with_the_review_reason(desk: Desk) -> None:
    now = timezone.now()
    case = desk.start()
    desk.record(case, "initiation", now, by=desk.head, data={"facts": "无证经营"})
    desk.record(case, "investigation", now, given=desk.field(now))
    desk.record(
        case,
        "notice",
        now,
        given=desk.field(now, rights_notified=["statement", "hearing"], rights_how="书面", data={"proposed": "罚款"}),
    )
    desk.record(case, "statement", now, given=desk.field(now, data={"statement": "无异议", "waived_hearing": True}))
    before = _state(case)
    form = {
        "occurred_at": local(timezone.now() + timedelta(minutes=1)),  # after the steps above (the form has minutes)
        "facts": "无证经营",
        "basis": "《食品安全法》第一百二十二条",
        "kinds": ["fine"],
        "fine_yuan": "100000",
    }
    response = logged_in(desk.head).post(f"{LIST}{case.public_id}/steps/decision/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "本案属于重大执法决定（对法人或者其他组织处以10万元以上罚款）" in page and "REV-2" in page
    assert 'value="100000"' in page
    assert _state(case) == before

    # Within the threshold it is decided; 50,000.05 yuan is 5,000,005 fen exactly.
    form["fine_yuan"] = "50000.05"
    response = logged_in(desk.head).post(f"{LIST}{case.public_id}/steps/decision/", form)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "decided" and case.fine_fen == 5_000_005


def test_service_step_keeps_only_the_chosen_modes_fields(desk: Desk) -> None:
    now = timezone.now()
    case = desk.start("coercion", item=None)
    desk.record(case, "approval", now, by=desk.head, data={"measure": "扣押"})
    response = logged_in(desk.officer).get(f"{LIST}{case.public_id}/steps/service/")
    page = response.content.decode()
    assert "送达方式" in page and 'data-mode="lodged"' in page and "邮寄单号" in page
    # Not allowed yet: the form says so, and submitting is refused with the allowed steps named.
    assert "提交时将被拒绝" in page
    response = logged_in(desk.officer).post(
        f"{LIST}{case.public_id}/steps/service/",
        {
            "occurred_at": local(now),
            "variant": "mail",
            "tracking_number": "EMS123",
            "document": "决定书",
            "recipient": "店主",
        },
    )
    assert response.status_code == 400
    assert "之后不能进行" in response.content.decode()
