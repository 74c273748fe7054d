"""REC-11: owners use their records; anyone else needs the right approver's approval; every use and refusal is
logged with who, what, when, why and approved by whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sunlight.access.choices import Action, RequesterKind
from sunlight.access.models import AccessLog
from sunlight.access.services import access_request_decide, access_request_file, access_use, may_decide
from sunlight.access.subjects import Subject
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def subject(county):
    return Subject(
        type="avrecord",
        id="rec-1",
        label="现场检查录像",
        agency=county.unit_a.agency,
        unit=county.unit_a,
        owner_ids=frozenset({county.officer.pk}),
    )


def request(county, subject, user=None, kind=RequesterKind.INTERNAL, actions=(Action.VIEW,), org=""):
    return access_request_file(
        acting_user=user or county.officer_b,
        subject=subject,
        requester_kind=kind,
        reason="案卷评查",
        actions=list(actions),
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=7),
        requester_org=org,
    )


def test_the_owner_uses_the_record_and_it_is_logged(county, subject):
    entry = access_use(user=county.officer, subject=subject, action=Action.DOWNLOAD, target="abc")
    assert (entry.outcome, entry.basis) == ("allowed", "本人记录")
    assert LedgerEntry.objects.get(kind="access.used").stream == "avrecord:rec-1"


def test_without_approval_the_use_is_refused_and_the_refusal_is_logged(county, subject):
    with pytest.raises(Forbidden):
        access_use(user=county.officer_b, subject=subject, action=Action.VIEW)
    refused = AccessLog.objects.get()
    assert (refused.user, refused.outcome, refused.action) == (county.officer_b, "refused", "view")
    assert LedgerEntry.objects.filter(kind="access.refused").count() == 1

    pending = request(county, subject)
    with pytest.raises(Forbidden):  # filed but not yet approved
        access_use(user=county.officer_b, subject=subject, action=Action.VIEW)
    access_request_decide(acting_user=county.unit_head, request=pending, decision="approved", note="同意")
    used = access_use(user=county.officer_b, subject=subject, action=Action.VIEW)
    assert (used.outcome, used.approver, used.request) == ("allowed", county.unit_head, pending)
    with pytest.raises(Forbidden):  # approved for viewing only
        access_use(user=county.officer_b, subject=subject, action=Action.DOWNLOAD)


def test_the_approval_expires_with_its_period(county, subject):
    pending = request(county, subject)
    access_request_decide(acting_user=county.unit_head, request=pending, decision="approved", note="同意")
    later = timezone.now() + dt.timedelta(days=10)
    with pytest.raises(Forbidden):
        access_use(user=county.officer_b, subject=subject, action=Action.VIEW, now=later)


def test_the_right_person_approves(county, subject):
    internal = request(county, subject)
    assert may_decide(county.unit_head, internal) and may_decide(county.agency_head, internal)
    assert not may_decide(county.officer_b, internal)
    assert not may_decide(county.supervisor, internal)
    court = request(county, subject, kind=RequesterKind.COURT, org="临泉县人民法院")
    assert not may_decide(county.unit_head, court)
    assert may_decide(county.agency_head, court)
    other_head = staff(Role.UNIT_HEAD, unit=county.unit_b)
    assert not may_decide(other_head, internal)  # head of another unit
    with pytest.raises(Forbidden):
        access_request_decide(acting_user=county.unit_head, request=court, decision="approved", note="同意")
    assert LedgerEntry.objects.filter(kind="permission.denied").exists()


def test_a_requester_cannot_approve_their_own_request(county, subject):
    own = request(county, subject, user=county.unit_head)
    assert not may_decide(county.unit_head, own)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"actions": []}, "actions"),
        ({"actions": ["burn"]}, "actions"),
        ({"valid_to": TODAY - dt.timedelta(days=1)}, "valid_to"),
        ({"valid_to": TODAY + dt.timedelta(days=120)}, "valid_to"),
        ({"requester_kind": RequesterKind.POLICE}, "requester_org"),
    ],
)
def test_bad_requests_are_refused(county, subject, over, field):
    args = {
        "acting_user": county.officer_b,
        "subject": subject,
        "requester_kind": RequesterKind.INTERNAL,
        "reason": "评查",
        "actions": [Action.VIEW],
        "valid_from": TODAY,
        "valid_to": TODAY,
    }
    args.update(over)
    with pytest.raises(ServiceError) as info:
        access_request_file(**args)
    assert field in {e.field for e in info.value.errors}


def test_decisions_need_reasons_and_happen_once(county, subject):
    pending = request(county, subject)
    with pytest.raises(ServiceError):
        access_request_decide(acting_user=county.unit_head, request=pending, decision="approved", note="")
    access_request_decide(acting_user=county.unit_head, request=pending, decision="refused", note="理由不充分")
    with pytest.raises(ServiceError):
        access_request_decide(acting_user=county.agency_head, request=pending, decision="approved", note="同意")
    with pytest.raises(Forbidden):
        access_use(user=county.officer_b, subject=subject, action=Action.VIEW)
