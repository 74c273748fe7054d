"""REC-12: each agency's officers per usable camera against its minimum (1 camera per 5 officers by default, 2:1 where
the agency's policy says so); the tick opens a rectification warning, yellow at once, and completes it once the
ratio is restored."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from sunlight.core.calendar import LOCAL_TZ
from sunlight.core.choices import DeadlineStatus, Level
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import Deadline
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.registry import services
from sunlight.registry.choices import SUBJECT_CAMERA_RATIO
from sunlight.registry.selectors import camera_ratios
from sunlight.registry.services import registry_tick

from .factories import NOW, make_camera, make_officer

pytestmark = pytest.mark.django_db


def ratio(user, agency):
    return next(r for r in camera_ratios(user) if r.agency == agency)


def set_policy(county, officers_per_camera: int) -> None:
    services.registry_policy_set(
        acting_user=county.supervisor,
        agency=county.unit_a.agency,
        officers_per_camera=officers_per_camera,
        officer_training_days=Decimal(5),
        auxiliary_training_days=Decimal(3),
        agency_trainings_per_year=2,
        now=NOW,
    )


def test_ratio_counts_active_officers_and_usable_cameras(county):
    agency = county.unit_a.agency
    keeper = staff(Role.ARCHIVIST, unit=county.unit_b)
    officers = [make_officer(county.admin, county.unit_a) for _ in range(6)]
    camera = make_camera(county.admin, county.unit_a, administrator=keeper)
    row = ratio(county.admin, agency)
    assert (row.officers, row.cameras, row.required, row.short, row.ratio) == (6, 1, 2, True, "6.0:1")
    make_camera(county.admin, county.unit_a, administrator=keeper)
    assert not ratio(county.admin, agency).short
    # A faulty camera does not count; a cleared officer does not either.
    services.camera_fault_report(acting_user=keeper, camera=camera, description="无法开机", now=NOW)
    assert ratio(county.admin, agency).short
    services.officer_clear(acting_user=county.admin, officer=officers[0], reason="调离", now=NOW)
    row = ratio(county.admin, agency)
    assert (row.officers, row.cameras, row.short) == (5, 1, False)
    # Scope: another county's agency head sees only their own agency.
    assert [r.agency for r in camera_ratios(county.other_officer)] == []


def test_a_stricter_policy_and_the_warning(county):
    agency = county.unit_a.agency
    keeper = staff(Role.ARCHIVIST, unit=county.unit_b)
    for _ in range(4):
        make_officer(county.admin, county.unit_a)
    first = make_camera(county.admin, county.unit_a, administrator=keeper)
    assert not ratio(county.admin, agency).short  # 4 officers, 1 camera: fine at 5:1
    set_policy(county, 2)  # as in 001: no more than 2 officers per camera
    row = ratio(county.admin, agency)
    assert (row.officers_per_camera, row.required, row.short) == (2, 2, True)

    assert registry_tick(now=NOW)["ratio_opened"] == 1
    warning = Deadline.objects.get(subject_type=SUBJECT_CAMERA_RATIO)
    assert warning.level == Level.YELLOW and warning.responsible == county.agency_head
    assert (
        warning.subject_label == "临泉县市场监督管理局 执法记录仪配备不足：执法人员 4 名，可用设备 1 台，应不少于 2 台"
    )
    assert warning.due_at == datetime(2026, 7, 16, tzinfo=LOCAL_TZ)  # 30 days to rectify
    assert registry_tick(now=NOW)["ratio_opened"] == 0

    make_camera(county.admin, county.unit_a, administrator=keeper)
    assert registry_tick(now=NOW + timedelta(days=3))["ratio_completed"] == 1
    warning.refresh_from_db()
    assert warning.status == DeadlineStatus.MET
    # Falling short again opens a new warning.
    services.camera_fault_report(acting_user=keeper, camera=first, description="摔坏", now=NOW)
    assert registry_tick(now=NOW + timedelta(days=4))["ratio_opened"] == 1
    assert Deadline.objects.filter(subject_type=SUBJECT_CAMERA_RATIO).count() == 2


def test_policy_is_validated_and_set_by_the_certificate_authority(county):
    with pytest.raises(Forbidden):
        services.registry_policy_set(
            acting_user=county.agency_head,
            agency=county.unit_a.agency,
            officers_per_camera=2,
            officer_training_days=Decimal(5),
            auxiliary_training_days=Decimal(3),
            agency_trainings_per_year=2,
            now=NOW,
        )
    with pytest.raises(ServiceError) as exc:
        services.registry_policy_set(
            acting_user=county.admin,
            agency=county.unit_a.agency,
            officers_per_camera=0,
            officer_training_days=Decimal("0.2"),
            auxiliary_training_days=Decimal(100),
            agency_trainings_per_year=0,
            now=NOW,
        )
    assert {e.field: e.message for e in exc.value.errors} == {
        "officers_per_camera": "每台执法记录仪对应的执法人员数应在 1 到 50 之间。",
        "officer_training_days": "天数应为 0.5 的整数倍，且在 0.5 到 60 之间。",
        "auxiliary_training_days": "天数应为 0.5 的整数倍，且在 0.5 到 60 之间。",
        "agency_trainings_per_year": "年度业务培训次数应在 1 到 24 之间。",
    }
