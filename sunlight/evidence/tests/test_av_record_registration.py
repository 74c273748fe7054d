"""REC-6: registering an AV record checks who, when and why-interrupted; custodians may register for officers in
their scope; everything registered is in the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.evidence.models import AVRecord
from sunlight.evidence.services import interruption_add
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

from .factories import register

pytestmark = pytest.mark.django_db


def codes(error: ServiceError) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in error.errors}


def test_registration_records_the_metadata_in_the_ledger(county):
    now = timezone.now()
    record = register(
        county.officer,
        case_number="临市监罚〔2026〕31号",
        case_step="调查取证",
        interruptions=[
            {
                "started_at": now - timedelta(hours=1, minutes=20),
                "ended_at": now - timedelta(hours=1, minutes=18),
                "reason": "当事人要求暂停，已口头说明",
                "statement_form": "spoken",
            }
        ],
    )
    assert (record.officer, record.agency, record.unit) == (county.officer, county.unit_a.agency, county.unit_a)
    entry = LedgerEntry.objects.get(kind="evidence.record_registered")
    assert entry.stream == f"avrecord:{record.public_id}"
    payload = entry.payload
    assert payload["device_number"] == "DSJ-3412-001" and payload["case_step"] == "调查取证"
    assert payload["interruptions"][0]["reason"] == "当事人要求暂停，已口头说明"
    assert payload["officer"] == str(county.officer.public_id)


def test_invalid_times_and_missing_reasons_are_all_reported(county):
    now = timezone.now()
    with pytest.raises(ServiceError) as refused:
        register(
            county.officer,
            recorded_from=now - timedelta(hours=1),
            recorded_to=now - timedelta(hours=2),
            field_work=True,
        )
    assert codes(refused.value) == {("recorded_to", "order"), ("returned_at", "required")}
    with pytest.raises(ServiceError) as refused:
        register(county.officer, recorded_to=now + timedelta(hours=2), recorded_from=now)
    assert codes(refused.value) == {("recorded_to", "future")}
    with pytest.raises(ServiceError) as refused:
        register(
            county.officer,
            title=" ",
            interruptions=[
                {
                    "started_at": now - timedelta(hours=9),
                    "ended_at": now - timedelta(hours=8),
                    "reason": "",
                    "statement_form": "x",
                }
            ],
        )
    assert codes(refused.value) == {
        ("title", "required"),
        ("interruptions.0.started_at", "outside"),
        ("interruptions.0.reason", "required"),
        ("interruptions.0.statement_form", "invalid"),
    }
    assert not AVRecord.objects.exists()


def test_a_unit_head_registers_for_an_officer_of_the_unit_but_not_beyond(county):
    record = register(county.officer, acting_user=county.unit_head)
    assert (record.officer, record.registered_by) == (county.officer, county.unit_head)
    with pytest.raises(Forbidden):
        register(county.other_officer, acting_user=county.unit_head)
    with pytest.raises(Forbidden):
        register(county.officer_b, acting_user=county.officer)


def test_records_belong_to_officers(county):
    auxiliary = staff(Role.AUXILIARY, unit=county.unit_a, username="aux")
    with pytest.raises(ServiceError) as refused:
        register(auxiliary)
    assert ("officer", "not_officer") in codes(refused.value)


def test_interruptions_can_be_added_later_with_their_reason(county):
    record = register(county.officer, ended_hours_ago=1)
    row = interruption_add(
        acting_user=county.officer,
        record=record,
        started_at=record.recorded_from + timedelta(minutes=5),
        ended_at=record.recorded_from + timedelta(minutes=7),
        reason="存储卡已满，更换存储卡",
        statement_form="written",
    )
    assert list(record.interruptions.all()) == [row]
    assert LedgerEntry.objects.filter(kind="evidence.interruption_recorded", stream=record.stream).count() == 1
    with pytest.raises(Forbidden):
        interruption_add(
            acting_user=county.officer_b,
            record=record,
            started_at=record.recorded_from,
            ended_at=record.recorded_to,
            reason="x",
            statement_form="spoken",
        )
