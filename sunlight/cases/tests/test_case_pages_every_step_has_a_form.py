"""REC-1, REC-2: every step of every workflow that a user records has a form generated from its spec, and the case
pages open for every kind of staff account (the module is in everyone's navigation)."""

from __future__ import annotations

import pytest
from django.test import Client

from sunlight.cases.models import Case
from sunlight.cases.steps import spec_for
from sunlight.cases.tests.factories import Desk
from sunlight.cases.workflow import INTERNAL, LEAD, MOVES

LIST = "/workbench/cases/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def steps_of(workflow: str) -> list[str]:
    table = MOVES[workflow]
    codes = (set(table) | {s for moves in table.values() for s in moves}) - INTERNAL - {LEAD}
    return sorted(codes)


@pytest.mark.parametrize("workflow", sorted(MOVES))
def test_every_step_form_opens_with_its_fields(desk: Desk, workflow: str) -> None:
    case = desk.start(workflow, item=desk.item if workflow == "penalty" else None)
    client = logged_in(desk.officer)
    for step in steps_of(workflow):
        response = client.get(f"{LIST}{case.public_id}/steps/{step}/")
        assert response.status_code == 200, (workflow, step)
        page = response.content.decode()
        spec = spec_for(workflow, step)
        for _key, label in spec.required:
            assert str(label) in page or step == "execution", (workflow, step, label)
        if spec.field_work:
            assert "已出示执法证件" in page
        if spec.rights:
            assert "陈述权" in page and "告知方式" in page
        assert "登记音像记录或拍照上传" in page


def test_internal_and_unknown_steps_have_no_form(desk: Desk) -> None:
    case = desk.start()
    client = logged_in(desk.officer)
    for step in ("legal_review", "archiving", "no_such_step", "lead"):
        assert client.get(f"{LIST}{case.public_id}/steps/{step}/").status_code == 404


def test_the_case_pages_open_for_every_kind_of_account(desk: Desk, county) -> None:
    case = desk.start()
    for user in (county.admin, county.supervisor, desk.chief, desk.c.reviewer, county.other_officer):
        client = logged_in(user)
        assert client.get(LIST).status_code == 200
    assert logged_in(county.admin).get(f"{LIST}{case.public_id}/").status_code == 200
    assert logged_in(desk.chief).get(f"{LIST}{case.public_id}/").status_code == 200
    assert Case.objects.count() == 1


def test_the_av_page_registers_for_the_case_and_offers_the_camera(desk: Desk) -> None:
    from sunlight.evidence.models import AVRecord

    case = desk.start()
    client = logged_in(desk.officer)
    page = client.get(f"{LIST}{case.public_id}/av/new/?step=investigation").content.decode()
    assert case.number in page
    response = client.post(
        f"{LIST}{case.public_id}/av/new/",
        {
            "step": "investigation",
            "title": "现场照片",
            "scene": "on_site",
            "device_number": "手机",
            "recorded_from": "2020-01-01T09:00",
            "recorded_to": "2020-01-01T09:05",
            "place": "现场",
            "case_number": case.number,
            "case_step": "调查取证",
        },
    )
    record = AVRecord.objects.get(title="现场照片")
    assert response.status_code == 302 and str(record.public_id) in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'accept="image/*,video/*"' in page and 'capture="environment"' in page
    assert f"/steps/investigation/?av={record.public_id}" in page
    step = client.get(f"{LIST}{case.public_id}/steps/investigation/?av={record.public_id}").content.decode()
    assert "现场照片" in step and "checked" in step.split("现场照片")[0].rsplit("<input", 1)[-1]
