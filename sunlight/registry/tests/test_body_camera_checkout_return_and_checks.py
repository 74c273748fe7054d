"""REC-12: body cameras are registered with number, unit and administrator; every checkout names the user and the
approver and is closed by a return; periodic checks and faults take a camera out of service until repaired; the
administrator roster lists who keeps how many; the number identifies a camera for the evidence store."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.registry import services
from sunlight.registry.choices import CameraStatus, CheckResult
from sunlight.registry.selectors import body_camera_get, camera_administrators, check_overdue

from .factories import NOW, make_auxiliary, make_camera, make_officer

pytestmark = pytest.mark.django_db


def errors(exc: pytest.ExceptionInfo[ServiceError]) -> dict[str, str]:
    return {e.field: e.message for e in exc.value.errors}


def test_register_and_find_by_number(county):
    archivist = staff(Role.ARCHIVIST, unit=county.unit_b, full_name="孙丽")
    camera = make_camera(county.agency_head, county.unit_a, administrator=archivist, number="LQSCJG-JLY001")
    assert body_camera_get(number="LQSCJG-JLY001") == camera
    assert (camera.status, camera.administrator_since) == (CameraStatus.IN_STOCK, date(2026, 6, 15))
    with pytest.raises(NotFound) as exc:
        body_camera_get(number="LQ-NONE-999")
    assert exc.value.errors[0].message == "执法记录仪 LQ-NONE-999 未登记。"
    with pytest.raises(ServiceError) as exc:
        services.camera_register(
            acting_user=county.admin,
            number="LQSCJG-JLY001",
            unit=county.unit_a,
            administrator=county.other_officer,
            now=NOW,
        )
    assert errors(exc) == {
        "number": "设备编号 LQSCJG-JLY001 已登记。",
        "administrator": "该人员不属于“临泉县市场监督管理局”。",
    }
    with pytest.raises(Forbidden):
        make_camera(county.officer, county.unit_a, administrator=archivist)
    with pytest.raises(Forbidden):
        make_camera(county.agency_head, county.other_unit, administrator=county.other_officer)


def test_checkout_and_return(county):
    keeper = staff(Role.ARCHIVIST, unit=county.unit_b)
    camera = make_camera(county.admin, county.unit_a, administrator=keeper)
    officer = make_officer(county.admin, county.unit_a, user=county.officer)
    helper = make_auxiliary(county.admin, county.unit_a)
    stranger = staff(Role.LEGAL_REVIEWER, unit=county.unit_b)

    with pytest.raises(ServiceError) as exc:
        services.camera_checkout(
            acting_user=keeper, camera=camera, user=stranger, approver=officer.user, purpose="", now=NOW
        )
    assert errors(exc) == {
        "user": "使用人须为本单位在册的执法人员或辅助人员。",
        "approver": "批准人须为本单位的承办机构负责人或机关负责人。",
        "purpose": "请填写用途。",
    }
    taken = NOW - timedelta(hours=3)
    loan = services.camera_checkout(
        acting_user=keeper,
        camera=camera,
        user=officer.user,
        approver=county.unit_head,
        purpose="无照经营现场检查",
        at=taken,
        now=NOW,
    )
    assert (loan.user, loan.approver, loan.checked_out_at, loan.returned_at) == (
        officer.user,
        county.unit_head,
        taken,
        None,
    )
    camera.refresh_from_db()
    assert camera.status == CameraStatus.CHECKED_OUT
    with pytest.raises(ServiceError) as exc:
        services.camera_checkout(
            acting_user=keeper, camera=camera, user=helper.user, approver=county.unit_head, purpose="巡查", now=NOW
        )
    assert exc.value.errors[0].message == f"执法记录仪 {camera.number} 当前状态为“已领用”，不能领用。"
    with pytest.raises(ServiceError) as exc:
        services.camera_return(acting_user=keeper, camera=camera, at=taken - timedelta(hours=1), now=NOW)
    assert errors(exc) == {"at": "交回时间不能早于领用时间。"}
    services.camera_return(acting_user=keeper, camera=camera, note="音像资料已导出", now=NOW)
    loan.refresh_from_db()
    assert (loan.returned_at, loan.received_by, loan.return_note) == (NOW, keeper, "音像资料已导出")
    camera.refresh_from_db()
    assert camera.status == CameraStatus.IN_STOCK
    # An auxiliary may carry a camera too (they record; they do not act), approved by the agency head.
    services.camera_checkout(
        acting_user=county.admin, camera=camera, user=helper.user, approver=county.agency_head, purpose="巡查", now=NOW
    )
    services.camera_return(acting_user=county.admin, camera=camera, fault="镜头进水，无法录像", now=NOW)
    camera.refresh_from_db()
    assert camera.status == CameraStatus.FAULTY
    assert camera.faults.get().description == "镜头进水，无法录像"
    kinds = list(
        LedgerEntry.objects.filter(stream=f"camera:{camera.public_id}").order_by("seq").values_list("kind", flat=True)
    )
    assert kinds == [
        "registry.camera_registered",
        "registry.camera_checked_out",
        "registry.camera_returned",
        "registry.camera_checked_out",
        "registry.camera_returned",
    ]
    # Only camera managers and the camera's administrator record checkouts.
    with pytest.raises(Forbidden):
        services.camera_return(acting_user=county.officer, camera=camera, now=NOW)


def test_checks_faults_and_repair(county):
    keeper = staff(Role.OFFICER, unit=county.unit_a)  # the camera's administrator, not a camera manager
    camera = make_camera(county.admin, county.unit_a, administrator=keeper)
    today = date(2026, 6, 15)
    assert check_overdue(camera, today)  # never checked
    services.camera_check(
        acting_user=keeper, camera=camera, checked_on=date(2026, 6, 10), result=CheckResult.NORMAL, now=NOW
    )
    camera.refresh_from_db()
    assert camera.last_checked_on == date(2026, 6, 10) and not check_overdue(camera, today)
    assert check_overdue(camera, date(2026, 7, 11))
    with pytest.raises(ServiceError) as exc:
        services.camera_check(acting_user=keeper, camera=camera, checked_on=date(2026, 6, 16), result="broken", now=NOW)
    assert errors(exc) == {"checked_on": "日期不能晚于今天（2026-06-15）。", "result": "请选择核查结果。"}
    with pytest.raises(ServiceError) as exc:
        services.camera_check(acting_user=keeper, camera=camera, checked_on=today, result=CheckResult.FAULT, now=NOW)
    assert errors(exc) == {"note": "发现故障须说明故障情况。"}
    services.camera_check(
        acting_user=keeper, camera=camera, checked_on=today, result=CheckResult.FAULT, note="电池无法充电", now=NOW
    )
    camera.refresh_from_db()
    assert camera.status == CameraStatus.FAULTY
    fault = camera.faults.get()
    services.camera_fault_resolve(acting_user=keeper, fault=fault, resolution="更换电池", now=NOW)
    camera.refresh_from_db()
    assert camera.status == CameraStatus.IN_STOCK
    fault.refresh_from_db()
    assert (fault.resolved_on, fault.resolution) == (today, "更换电池")
    services.camera_fault_report(acting_user=keeper, camera=camera, description="屏幕碎裂", now=NOW)
    with pytest.raises(Forbidden):
        services.camera_scrap(acting_user=keeper, camera=camera, reason="无法修复", now=NOW)  # camera managers only
    services.camera_scrap(acting_user=county.agency_head, camera=camera, reason="无法修复", now=NOW)
    camera.refresh_from_db()
    assert camera.status == CameraStatus.SCRAPPED
    assert not check_overdue(camera, date(2027, 1, 1))


def test_administrator_roster(county):
    first = staff(Role.ARCHIVIST, unit=county.unit_b, full_name="孙丽", phone="13800000001")
    second = staff(Role.OFFICER, unit=county.unit_a, full_name="王立新")
    a = make_camera(county.admin, county.unit_a, administrator=first)
    make_camera(county.admin, county.unit_a, administrator=first)
    make_camera(county.admin, county.unit_a, administrator=second)
    later = datetime(2026, 7, 1, 9, tzinfo=LOCAL_TZ)
    services.camera_set_administrator(acting_user=county.agency_head, camera=a, administrator=second, now=later)
    roster = {(e.administrator.full_name, e.cameras, e.since) for e in camera_administrators(county.agency_head)}
    assert roster == {("孙丽", 1, date(2026, 6, 15)), ("王立新", 2, date(2026, 6, 15))}
    assert camera_administrators(county.other_officer) == []
