"""REC-10: `sunlight ledger rebuild --check` rebuilds deadlines, regions, agencies and units from the ledger and
reports every row where the tables disagree with it; a demo county run through the services agrees."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sunlight.core.choices import DeadlineStatus
from sunlight.core.deadlines import (
    deadline_cancel,
    deadline_complete,
    deadline_extend,
    deadline_open,
    deadline_pause,
    deadline_resume,
    deadlines_tick,
)
from sunlight.core.models import Deadline
from sunlight.core.projections import rebuild_check
from sunlight.org import services
from sunlight.org.choices import Level
from sunlight.org.demo import bootstrap_admin, credit_code, load_demo
from sunlight.org.models import Agency, Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> User:
    """A small organisation made through the services (so the ledger has all of it), with two deadlines."""
    admin, _created = bootstrap_admin()
    province = services.region_create(
        acting_user=admin, code="340000", name="安徽省", level=Level.PROVINCE, parent=None
    )
    city = services.region_create(acting_user=admin, code="341200", name="阜阳市", level=Level.CITY, parent=province)
    county = services.region_create(acting_user=admin, code="341221", name="临泉县", level=Level.COUNTY, parent=city)
    for n in (1, 2):
        agency = services.agency_create(
            acting_user=admin,
            data={"name": f"执法主体{n}", "credit_code": credit_code(n), "level": Level.COUNTY, "region": county},
        )
        services.unit_create(acting_user=admin, agency=agency, data={"name": "执法大队"})
        deadline_open(
            rule_code="penalty.case",
            subject_type="case",
            subject_id=f"c{n}",
            subject_label=f"案件{n}",
            started_at=timezone.now(),
            start_event="立案",
            agency=agency,
        )
    return admin


def messages() -> list[str]:
    return [d.message() for d in rebuild_check()]


def test_the_demo_county_agrees_with_its_ledger():
    load_demo()
    assert rebuild_check() == []
    out = StringIO()
    call_command("ledger", "rebuild", "--check", stdout=out)
    assert "当前状态与账本一致" in out.getvalue()


def test_every_deadline_operation_is_projected(demo):
    now = timezone.now()
    start = now - timedelta(days=3)
    made = [
        deadline_open(
            rule_code="penalty.hearing_request",
            subject_type="case",
            subject_id=f"p{i}",
            subject_label=f"案件{i}",
            started_at=start,
            start_event="送达",
            now=start,
        )
        for i in range(3)
    ]
    deadline_pause(deadline=made[0], at=start + timedelta(hours=1), reason="检测", acting_user=demo)
    deadline_resume(deadline=made[0], at=start + timedelta(days=1), acting_user=demo, now=now)
    deadline_extend(deadline=made[0], amount=2, reason="复杂", acting_user=demo, now=now)
    deadline_pause(deadline=made[1], at=start + timedelta(hours=2), reason="鉴定", acting_user=demo)
    deadline_complete(deadline=made[1], at=now, acting_user=demo)
    deadline_cancel(deadline=made[2], reason="撤案", acting_user=demo, now=now)
    deadlines_tick(now=now + timedelta(days=30))
    agency = Agency.objects.order_by("id").first()
    services.agency_update(acting_user=demo, agency=agency, data={"phone": "0558-1234567", "address": "新地址"})
    unit = Unit.objects.order_by("id").first()
    services.unit_update(acting_user=demo, unit=unit, data={"phone": "0558-7654321"})
    assert messages() == []


def test_a_deadline_changed_behind_the_ledgers_back_is_reported(demo):
    deadline = Deadline.objects.order_by("id").first()
    Deadline.objects.filter(pk=deadline.pk).update(
        status=DeadlineStatus.MET, due_at=deadline.due_at + timedelta(days=9)
    )
    found = messages()
    assert len(found) == 2
    assert any(f"期限 {deadline.public_id}：字段 status 按账本应为 'open'，数据库中为 'met'" == m for m in found)
    assert any("字段 due_at" in m for m in found)


def test_rows_missing_or_without_a_ledger_entry_are_reported(demo):
    agency = Agency.objects.order_by("id").first()
    Agency.objects.filter(pk=agency.pk).update(phone="110")
    extra = Unit.objects.create(agency=agency, name="未经登记的机构")
    found = messages()
    assert f"执法主体 {agency.public_id}：字段 phone 按账本应为 {agency.phone!r}，数据库中为 '110'" in found
    assert f"承办机构 {extra.public_id}：数据库中有这一行，账本中没有它的创建记录" in found
    with pytest.raises(CommandError, match="共 2 处差异"):
        call_command("ledger", "rebuild", "--check", stdout=StringIO())


def test_rebuild_without_check_is_refused(demo):
    with pytest.raises(CommandError, match="只支持 --check"):
        call_command("ledger", "rebuild")
