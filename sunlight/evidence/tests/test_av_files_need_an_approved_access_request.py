"""REC-11 on the evidence store: only the record's officer opens its files freely; a unit head, a colleague or a
supervisor needs an approved request; every view, download and refusal is in the access log."""

from __future__ import annotations

import datetime as dt

import pytest

from sunlight.access.models import AccessLog
from sunlight.access.services import access_request_decide, access_request_file
from sunlight.access.subjects import avrecord_subject

from .factories import logged_in, make_video, register, sha256, upload

pytestmark = pytest.mark.django_db


def test_a_colleague_is_refused_until_the_unit_head_approves(county):
    record = register(county.officer)
    data = make_video(120_000)
    upload(logged_in(county.officer), record, data)
    url = f"/workbench/evidence/{record.public_id}/files/{sha256(data)}/download/"

    own = logged_in(county.officer).get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == data

    colleague = logged_in(county.unit_head)
    refused = colleague.get(url)
    assert refused.status_code == 403 and "调阅须经批准" in refused.content.decode()

    today = dt.date.today()
    pending = access_request_file(
        acting_user=county.unit_head,
        subject=avrecord_subject(record),
        requester_kind="internal",
        reason="案卷评查",
        actions=["download"],
        valid_from=today,
        valid_to=today,
    )
    access_request_decide(acting_user=county.agency_head, request=pending, decision="approved", note="同意")
    allowed = colleague.get(url)
    assert allowed.status_code == 200 and b"".join(allowed.streaming_content) == data

    log = list(AccessLog.objects.order_by("at", "id").values_list("user__username", "action", "outcome"))
    assert log == [
        ("officer_a", "download", "allowed"),
        ("head_a", "download", "refused"),
        ("head_a", "download", "allowed"),
    ]
    trail = logged_in(county.officer).get(f"/workbench/access/avrecord/{record.public_id}/trail/").content.decode()
    assert "案卷评查" in trail and "已拒绝" in trail
