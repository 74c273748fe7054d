"""PER-1, PER-2: `may_act` answers whether a person may act as an enforcement officer in a category and region on a
date, and says in Chinese why not — certificate validity judged on that date from the status history."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from sunlight.org import services as org_services
from sunlight.org.choices import EnforcementField, Role
from sunlight.org.models import User
from sunlight.org.tests.factories import UserFactory, staff
from sunlight.registry import services
from sunlight.registry.choices import SanctionKind
from sunlight.registry.selectors import Eligibility, may_act

from .factories import NOW, certified, make_auxiliary, make_certificate, make_officer

pytestmark = pytest.mark.django_db

MARKET = EnforcementField.MARKET
COUNTY = "341221"
ON = date(2026, 6, 15)


def ask(user: User | None, **kwargs: object) -> Eligibility:
    params: dict[str, object] = {"field": MARKET, "region_code": COUNTY, "on": ON, **kwargs}
    return may_act(user=user, **params)  # type: ignore[arg-type]


def test_a_valid_certificate_covering_category_region_and_date_may_act(county):
    user, certificate = certified(county.admin, county.unit_a)
    result = ask(user)
    assert result == Eligibility(True, [], certificate)
    with pytest.raises(FrozenInstanceError):
        result.ok = False  # type: ignore[misc]
    # A township lies inside the county: the county certificate covers it (division-code prefix).
    assert ask(user, region_code="341221101").ok
    # Without a category the question is only about the person, the date and the region.
    assert ask(user, field=None).ok


def test_people_who_are_not_officers(county):
    assert ask(None) == Eligibility(False, ["未指定执法人员。"], None)
    stranger = staff(Role.OFFICER, unit=county.unit_a, full_name="赵大勇")
    assert ask(stranger).reasons == ["赵大勇 不是登记在册的执法人员。"]
    helper = make_auxiliary(county.admin, county.unit_a).user
    assert ask(helper).reasons == [f"{helper.full_name} 是辅助人员，不能作为执法人员实施执法或在执法文书上签名。"]
    role_only = staff(Role.AUXILIARY, unit=county.unit_a, full_name="钱小满")
    assert ask(role_only).reasons == ["钱小满 是辅助人员，不能作为执法人员实施执法或在执法文书上签名。"]


def test_no_certificate_yet(county):
    officer = make_officer(county.admin, county.unit_a, user=county.officer)
    result = ask(county.officer)
    assert not result.ok and result.certificate is None
    assert result.reasons == [f"{county.officer.full_name} 尚未取得行政执法证。"]
    assert officer.certificates.count() == 0


def test_the_date_decides(county):
    user, certificate = certified(
        county.admin, county.unit_a, issued_on=date(2026, 1, 5), expires_on=date(2026, 12, 31)
    )
    number = certificate.number
    assert ask(user, on=date(2026, 1, 4)).reasons == [f"执法证 {number} 的发证日期为 2026-01-05，2026-01-04 尚未发证。"]
    assert ask(user, on=date(2026, 1, 5)).ok
    assert ask(user, on=date(2026, 12, 31)).ok
    # Past its date the certificate cannot act, even before the tick has recorded the expiry.
    late = ask(user, on=date(2027, 1, 1))
    assert not late.ok and late.certificate == certificate
    assert late.reasons == [f"执法证 {number} 的有效期至 2026-12-31，2027-01-01 已过期。"]


def test_suspension_and_revocation_count_from_their_date(county):
    user, certificate = certified(county.admin, county.unit_a)
    number = certificate.number
    services.certificate_suspend(
        acting_user=county.admin, certificate=certificate, reason="涉嫌违规执法，调查期间暂扣", now=NOW
    )
    assert ask(user, on=date(2026, 6, 14)).ok  # the day before the suspension
    assert ask(user, on=ON).reasons == [f"执法证 {number} 自 2026-06-15 起被暂扣。"]
    later = NOW.replace(month=7, day=1)
    services.certificate_reinstate(
        acting_user=county.admin, certificate=certificate, reason="调查结束，发还", now=later
    )
    assert ask(user, on=date(2026, 6, 20)).reasons == [f"执法证 {number} 自 2026-06-15 起被暂扣。"]
    assert ask(user, on=date(2026, 7, 1)).ok
    services.certificate_revoke(
        acting_user=county.admin, certificate=certificate, reason="调离执法岗位", now=NOW.replace(month=8, day=3)
    )
    assert ask(user, on=date(2026, 8, 3)).reasons == [f"执法证 {number} 已于 2026-08-03 注销。"]
    assert ask(user, on=date(2026, 7, 15)).ok


def test_category_and_region_must_be_covered(county):
    user, certificate = certified(county.admin, county.unit_a, regions=["341221101"])
    number = certificate.number
    assert ask(user, field=EnforcementField.URBAN, region_code="341221101").reasons == [
        f"执法证 {number} 的执法类别为“市场监管”，不包括“城市管理”。"
    ]
    assert ask(user, region_code=COUNTY).reasons == [
        f"执法证 {number} 的执法区域为“杨桥镇（341221101）”，不包括临泉县（341221）。"
    ]
    assert ask(user, region_code="341222").reasons == [
        f"执法证 {number} 的执法区域为“杨桥镇（341221101）”，不包括太和县（341222）。"
    ]
    assert ask(user, region_code="3412").reasons == ["执法区域代码“3412”格式不正确。"]
    assert ask(user, field="piracy", region_code="341221101").reasons == ["执法类别“piracy”无效。"]


def test_any_certificate_that_covers_the_act_is_enough(county):
    officer = make_officer(county.admin, county.unit_a)
    market = make_certificate(county.admin, officer)
    urban = make_certificate(county.admin, officer, categories=[EnforcementField.URBAN])
    assert ask(officer.user).certificate == market
    assert ask(officer.user, field=EnforcementField.URBAN).certificate == urban
    refused = ask(officer.user, field=EnforcementField.HEALTH)
    assert not refused.ok and len(refused.reasons) == 2  # one reason per certificate, each naming its number
    assert all("不包括“卫生健康”" in r for r in refused.reasons)


def test_person_problems_come_first_and_refuse_even_with_a_good_certificate(county):
    user, certificate = certified(county.admin, county.unit_a)
    org_services.user_update(acting_user=county.admin, user=user, data={"is_active": False})
    user.refresh_from_db()
    result = ask(user)
    assert not result.ok and result.certificate == certificate
    assert result.reasons == [f"{user.full_name} 的账户已停用。"]

    moved, _cert = certified(county.admin, county.unit_a)
    org_services.user_update(
        acting_user=county.admin, user=moved, data={"agency": county.other_unit.agency, "unit": county.other_unit}
    )
    moved.refresh_from_db()
    assert ask(moved).reasons == [f"{moved.full_name} 已调离“临泉县市场监督管理局”，须在现单位重新登记并领取执法证。"]


def test_off_post_training_bars_acting_between_its_dates(county):
    user, _certificate = certified(county.admin, county.unit_a)
    officer = user.officer_records.get()
    services.sanction_record(
        acting_user=county.admin,
        officer=officer,
        kind=SanctionKind.OFF_POST_TRAINING,
        reason="执法考核不合格",
        decided_on=date(2026, 6, 10),
        starts_on=date(2026, 6, 12),
        ends_on=date(2026, 6, 26),
        now=NOW,
    )
    assert ask(user, on=date(2026, 6, 11)).ok
    assert ask(user, on=ON).reasons == [f"{user.full_name} 2026-06-12 至 2026-06-26 离岗培训，期间不得从事执法活动。"]
    assert ask(user, on=date(2026, 6, 27)).ok


def test_a_cleared_officer_is_told_so(county):
    user, _certificate = certified(county.admin, county.unit_a)
    services.officer_clear(acting_user=county.admin, officer=user.officer_records.get(), reason="退休", now=NOW)
    assert ask(user).reasons == [f"{user.full_name} 已于 2026-06-15 清理出执法队伍（退休）。"]


def test_datetimes_are_read_as_the_local_date(county):
    user, _certificate = certified(county.admin, county.unit_a, issued_on=date(2026, 6, 15))
    # 2026-06-14 23:30 UTC is already 15 June in Linquan.
    from datetime import UTC, datetime

    assert ask(user, on=datetime(2026, 6, 14, 23, 30, tzinfo=UTC)).ok
    assert not ask(user, on=datetime(2026, 6, 14, 15, 30, tzinfo=UTC)).ok


def test_superuser_accounts_get_no_special_treatment(county):
    root = UserFactory(username="root2", is_superuser=True, roles=[Role.ADMIN])
    assert ask(root).reasons == [f"{root.full_name} 不是登记在册的执法人员。"]
