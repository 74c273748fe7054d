"""REC-13: long-term flags (dispute, obstruction, hearing, reconsideration, litigation) and configurable normal
retention periods change a record's archive state and who sees it — never the stored bytes."""

from __future__ import annotations

import pytest

from sunlight.core.errors import Forbidden, NotFound, ServiceError
from sunlight.core.models import LedgerEntry
from sunlight.evidence.choices import ArchiveState, RetentionReason
from sunlight.evidence.integrity import verify_all_files
from sunlight.evidence.models import RetentionFlag, RetentionLift, StoredFile, object_name_for
from sunlight.evidence.selectors import archive_state, record_get_for_user, records_visible_to
from sunlight.evidence.services import retention_flag_lift, retention_flag_set
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

from .factories import logged_in, make_video, register, sha256, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def archivist(county):
    return staff(Role.ARCHIVIST, unit=county.unit_b, username="archivist_a")


@pytest.fixture
def old_record(county, evidence_stores, settings):
    """A record without a case, recorded 200 days ago (the default normal period is 180 days), with its file."""
    settings.SUNLIGHT_EVIDENCE_RETENTION_DAYS = 1000  # stored while it was still within its period ...
    record = register(county.officer, ended_hours_ago=200 * 24)
    data = make_video(60_000)
    upload(logged_in(county.officer), record, data)
    settings.SUNLIGHT_EVIDENCE_RETENTION_DAYS = 180  # ... which has now ended
    return record, data, evidence_stores.a / object_name_for(sha256(data))


def test_a_record_past_its_period_is_sealed_from_everyday_views(county, old_record, archivist):
    record, data, copy = old_record
    assert archive_state(record) == ArchiveState.EXPIRED
    assert record not in records_visible_to(county.officer)
    with pytest.raises(NotFound):
        record_get_for_user(user=county.officer, public_id=record.public_id)
    assert record not in records_visible_to(archivist)
    assert record in records_visible_to(archivist, state=ArchiveState.EXPIRED)
    assert record_get_for_user(user=archivist, public_id=record.public_id) == record
    assert records_visible_to(county.officer, state=ArchiveState.EXPIRED).count() == 0
    assert copy.read_bytes() == data and verify_all_files() == []


def test_the_normal_period_is_configurable_and_case_records_keep_longer(county, old_record, settings):
    record, _data, _copy = old_record
    settings.SUNLIGHT_EVIDENCE_RETENTION_DAYS = 365
    assert archive_state(record) == ArchiveState.ACTIVE
    settings.SUNLIGHT_EVIDENCE_RETENTION_DAYS = 180
    case_record = register(
        county.officer, ended_hours_ago=200 * 24, case_number="临市监罚〔2026〕31号", case_step="调查取证"
    )
    assert archive_state(case_record) == ArchiveState.ACTIVE  # case records: SUNLIGHT_EVIDENCE_CASE_RETENTION_YEARS


def test_a_long_term_flag_keeps_it_visible_and_lifting_it_is_a_new_row(county, old_record, archivist):
    record, _data, copy = old_record
    before = (copy.read_bytes(), StoredFile.objects.get().sha256)
    flag = retention_flag_set(
        acting_user=archivist, record=record, reason=RetentionReason.LITIGATION, note="当事人已起诉"
    )
    assert archive_state(record_get_for_user(user=county.officer, public_id=record.public_id)) == ArchiveState.LONG_TERM
    assert record in records_visible_to(county.officer, state=ArchiveState.LONG_TERM)
    with pytest.raises(ServiceError, match="已因此事由长期保存"):
        retention_flag_set(acting_user=archivist, record=record, reason=RetentionReason.LITIGATION)

    retention_flag_lift(acting_user=archivist, flag=flag, reason="判决已生效")
    assert RetentionFlag.objects.get() == flag and RetentionLift.objects.get().flag == flag
    assert archive_state(record) == ArchiveState.EXPIRED
    assert record not in records_visible_to(county.officer)
    with pytest.raises(ServiceError, match="已解除"):
        retention_flag_lift(acting_user=archivist, flag=flag, reason="再次解除")
    kinds = list(LedgerEntry.objects.filter(stream=record.stream).values_list("kind", flat=True))
    assert kinds[-2:] == ["evidence.retention_flagged", "evidence.retention_lifted"]
    assert (copy.read_bytes(), StoredFile.objects.get().sha256) == before
    assert verify_all_files() == []


def test_each_reason_of_rec_13_can_be_flagged(county, archivist):
    record = register(county.officer)
    for reason in RetentionReason.values:
        retention_flag_set(acting_user=archivist, record=record, reason=reason)
    assert set(record.retention_flags.values_list("reason", flat=True)) == {
        "dispute", "obstruction", "hearing", "reconsideration", "litigation",
    }  # fmt: skip


def test_officers_cannot_set_flags_and_the_refusal_is_audited(county):
    record = register(county.officer)
    with pytest.raises(Forbidden):
        retention_flag_set(acting_user=county.officer, record=record, reason=RetentionReason.DISPUTE)
    assert LedgerEntry.objects.filter(kind="permission.denied", payload__action="evidence.retention_flag").exists()
