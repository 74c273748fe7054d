"""PER-2: auxiliaries are registered with their duties; they can never be registered, checked or paired as officers,
and an officer cannot be registered as an auxiliary."""

from __future__ import annotations

from datetime import date

import pytest

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff
from sunlight.registry import services
from sunlight.registry.models import Auxiliary
from sunlight.registry.selectors import acting_pair_check, may_act

from .factories import NOW, certified, make_auxiliary, make_officer, officer_data

pytestmark = pytest.mark.django_db


def test_auxiliary_is_registered_with_duties_and_cannot_act(county):
    auxiliary = make_auxiliary(county.admin, county.unit_a)
    assert auxiliary.duties == "协助开展巡查、登记和资料整理，不得单独执法。"
    entry = LedgerEntry.objects.get(kind="registry.auxiliary_registered")
    assert entry.payload["duties"] == auxiliary.duties and entry.stream == f"auxiliary:{auxiliary.public_id}"
    result = may_act(user=auxiliary.user, region_code="341221", on=date(2026, 6, 15))
    assert not result.ok and result.certificate is None
    assert "辅助人员，不能作为执法人员" in result.reasons[0]

    officer, _certificate = certified(county.admin, county.unit_a)
    pair = acting_pair_check(users=[officer, auxiliary.user], region_code="341221", on=date(2026, 6, 15))
    assert not pair.ok
    assert any(r.startswith(f"{auxiliary.user.full_name}：") for r in pair.reasons)

    # The registry refuses to make them an officer, even if someone gave the account the officer role.
    with pytest.raises(ServiceError) as exc:
        services.officer_register(
            acting_user=county.admin, user=auxiliary.user, data=officer_data(county.unit_a), now=NOW
        )
    assert {e.code: e.message for e in exc.value.errors}["auxiliary"] == "辅助人员不能登记为执法人员。"


def test_officers_cannot_be_registered_as_auxiliaries(county):
    make_officer(county.admin, county.unit_a, user=county.officer)
    with pytest.raises(ServiceError) as exc:
        make_auxiliary(county.admin, county.unit_a, user=county.officer)
    assert {e.field: e.message for e in exc.value.errors} == {"user": "执法人员不能登记为辅助人员。"}
    plain = staff(Role.ARCHIVIST, unit=county.unit_a)
    with pytest.raises(ServiceError) as exc:
        make_auxiliary(county.admin, county.unit_a, user=plain)
    assert exc.value.errors[0].message == "该用户没有“辅助人员”角色，请先在用户管理中授予。"


def test_bad_input_is_reported_in_chinese(county):
    person = staff(Role.AUXILIARY, unit=county.unit_a)
    with pytest.raises(ServiceError) as exc:
        services.auxiliary_register(
            acting_user=county.admin,
            user=person,
            unit=county.other_unit,
            post="",
            duties=" ",
            hired_on=date(2026, 7, 1),
            now=NOW,
        )
    assert {e.field: e.message for e in exc.value.errors} == {
        "post": "请填写岗位。",
        "duties": "请填写职责。",
        "hired_on": "日期不能晚于今天（2026-06-15）。",
    } | {"user": "该人员不属于“太和县市场监督管理局”。"}


def test_duties_change_and_leaving_are_recorded(county):
    auxiliary = make_auxiliary(county.admin, county.unit_a)
    services.auxiliary_update(
        acting_user=county.agency_head, auxiliary=auxiliary, post="信息员", duties="负责执法数据录入。"
    )
    auxiliary.refresh_from_db()
    assert (auxiliary.post, auxiliary.duties) == ("信息员", "负责执法数据录入。")
    change = LedgerEntry.objects.get(kind="registry.auxiliary_updated").payload
    assert change["before"]["post"] == "协管员" and change["after"]["duties"] == "负责执法数据录入。"
    with pytest.raises(Forbidden):
        services.auxiliary_leave(acting_user=county.unit_head, auxiliary=auxiliary, reason="合同到期", now=NOW)
    services.auxiliary_leave(acting_user=county.agency_head, auxiliary=auxiliary, reason="合同到期", now=NOW)
    auxiliary.refresh_from_db()
    assert auxiliary.left_on == date(2026, 6, 15)
    with pytest.raises(ServiceError) as exc:
        services.auxiliary_leave(acting_user=county.agency_head, auxiliary=auxiliary, reason="再次", now=NOW)
    assert exc.value.errors[0].message == "该辅助人员已离岗。"
    # Once left, the person may be registered again later (one current record at a time).
    again = make_auxiliary(county.admin, county.unit_a, user=auxiliary.user)
    assert Auxiliary.objects.filter(user=auxiliary.user).count() == 2 and again.left_on is None
