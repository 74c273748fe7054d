"""PUB-1: the public officer lookup lists only officers whose certificate is valid today — by name or certificate
number, per agency — with name, unit, post, certificate number, category and region. Expired, suspended and revoked
certificates, cleared or transferred officers, officers in off-post training and auxiliaries never appear."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sunlight.org.choices import Role
from sunlight.org.models import RoleGrant, User
from sunlight.registry import services as registry
from sunlight.registry.choices import SanctionKind
from sunlight.registry.tests.factories import make_auxiliary

from .factories import at, certified, expired, today

pytestmark = pytest.mark.django_db


def lookup(client, **params) -> str:
    response = client.get("/officers/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def people(county):
    admin, unit = county.admin, county.unit_a
    valid = certified(admin, unit, "张守法")
    gone = expired(admin, unit, "李过期")
    suspended = certified(admin, unit, "王暂扣")
    registry.certificate_suspend(
        acting_user=admin, certificate=suspended[1], reason="年审不合格", now=at(today() - timedelta(days=3))
    )
    revoked = certified(admin, unit, "赵注销")
    registry.certificate_revoke(acting_user=admin, certificate=revoked[1], reason="调离执法岗位", now=at(today()))
    return {"valid": valid, "expired": gone, "suspended": suspended, "revoked": revoked}


def test_only_the_valid_certificate_is_listed_with_its_particulars(client, county, people):
    html = lookup(client)
    _holder, cert = people["valid"]
    for text in (
        "张守法",
        cert.number,
        "临泉县市场监督管理局",
        "执法大队",
        "执法队员",
        "市场监管",
        "临泉县",
        cert.expires_on.isoformat(),
    ):
        assert text in html, text
    for name in ("李过期", "王暂扣", "赵注销"):
        assert name not in html
    for key in ("expired", "suspended", "revoked"):
        assert people[key][1].number not in html


def test_lookup_by_certificate_number_and_by_part_of_a_name(client, people):
    _holder, cert = people["valid"]
    assert "张守法" in lookup(client, q=cert.number)
    assert "张守法" in lookup(client, q="守法")
    assert "查到 1 名持有效执法证的执法人员。" in lookup(client, q=cert.number)


def test_an_invalid_certificate_number_finds_nobody(client, people):
    for key in ("expired", "suspended", "revoked"):
        html = lookup(client, q=people[key][1].number)
        assert "未查到持有效执法证的执法人员。" in html
        assert people[key][1].number not in html.split("未查到")[1]


def test_auxiliaries_never_appear_even_with_a_certificate_on_record(client, county):
    aide = make_auxiliary(county.admin, county.unit_a)
    User.objects.filter(pk=aide.user.pk).update(full_name="孙辅助")
    # Someone holding a certificate who is (also) an auxiliary: the role alone keeps them off the list.
    holder, cert = certified(county.admin, county.unit_a, "周兼职")
    RoleGrant.objects.create(user=holder.user, role=Role.AUXILIARY)
    html = lookup(client)
    assert "孙辅助" not in html
    assert "周兼职" not in html and cert.number not in html


def test_cleared_transferred_and_off_post_officers_do_not_appear(client, county):
    admin = county.admin
    cleared, _c1 = certified(admin, county.unit_a, "钱清理")
    registry.officer_clear(acting_user=admin, officer=cleared, reason="退休")
    moved, _c2 = certified(admin, county.unit_a, "吴调离")
    User.objects.filter(pk=moved.user.pk).update(agency=county.other_unit.agency, unit=county.other_unit)
    training, _c3 = certified(admin, county.unit_a, "郑培训")
    registry.sanction_record(
        acting_user=admin,
        officer=training,
        kind=SanctionKind.OFF_POST_TRAINING,
        reason="年度考核不合格，离岗培训",
        decided_on=today(),
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=5),
    )
    html = lookup(client)
    for name in ("钱清理", "吴调离", "郑培训"):
        assert name not in html


def test_the_list_can_be_narrowed_to_one_agency(client, county, people):
    certified(county.admin, county.other_unit, "冯太和")
    mine = county.unit_a.agency
    html = lookup(client, agency=str(mine.public_id))
    assert "张守法" in html and "冯太和" not in html
    other = lookup(client, agency=str(county.other_unit.agency.public_id))
    assert "冯太和" in other and "张守法" not in other


def test_the_agency_page_links_to_its_officers_with_their_number(client, county, people):
    agency = county.unit_a.agency
    html = client.get(f"/agencies/{agency.public_id}/").content.decode()
    assert f"/officers/?agency={agency.public_id}" in html
    assert "1 名" in html
