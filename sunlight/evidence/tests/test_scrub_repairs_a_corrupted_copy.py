"""REC-6, REC-10: `sunlight evidence scrub` re-hashes every copy and repairs a bad one from the good one, recording
the repair in the ledger; `verify_all_files` (used by `sunlight ledger verify --files`) reports without changing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sunlight.core.models import LedgerEntry
from sunlight.evidence.choices import CheckOutcome
from sunlight.evidence.integrity import verify_all_files
from sunlight.evidence.models import CopyCheck, StoredFile, object_name_for
from sunlight.evidence.selectors import copy_statuses

from .factories import logged_in, make_video, register, sha256, triggers_dropped, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(county, evidence_stores):
    data = make_video(180_000)
    upload(logged_in(county.officer), register(county.officer), data)
    name = object_name_for(sha256(data))
    return data, evidence_stores.a / name, evidence_stores.b / name


def test_intact_stores_verify_clean_and_scrub_writes_only_its_summary(stored, capsys):
    assert verify_all_files() == []
    call_command("evidence", "scrub")
    assert "共 1 个文件，1 个完好" in capsys.readouterr().out
    assert not CopyCheck.objects.exists()
    summary = LedgerEntry.objects.get(kind="evidence.scrubbed")
    assert (summary.payload["checked"], summary.payload["intact"], summary.payload["repaired"]) == (1, 1, [])


def test_scrub_repairs_a_corrupted_copy_from_the_good_one(stored, capsys):
    data, copy_a, copy_b = stored
    copy_b.write_bytes(data[:1000] + b"\x00" * 10 + data[1010:])  # bit rot in store B

    problems = verify_all_files()
    assert [(p.sha256, p.store, p.code) for p in problems] == [(sha256(data), "b", "corrupt")]
    assert "副本内容与登记的 SHA-256 不符" in problems[0].message
    assert copy_b.read_bytes() != data, "verify changes nothing"

    call_command("evidence", "scrub")
    out = capsys.readouterr().out
    assert f"已修复：{sha256(data)} 的副本 B" in out

    assert copy_b.read_bytes() == data and copy_a.read_bytes() == data
    assert verify_all_files() == []
    check = CopyCheck.objects.get()
    assert (check.copy.store, check.outcome) == ("b", CheckOutcome.REPAIRED)
    entry = LedgerEntry.objects.get(kind="evidence.copy_repaired")
    assert entry.stream == f"evidence:{sha256(data)}"
    assert (entry.payload["store"], entry.payload["repaired_from"], entry.payload["problem"]) == ("b", "a", "corrupt")
    statuses = {s.store: s.outcome for s in copy_statuses(StoredFile.objects.get())}
    assert statuses == {"a": CheckOutcome.OK, "b": CheckOutcome.REPAIRED}


def test_scrub_restores_a_missing_copy(stored):
    data, copy_a, _copy_b = stored
    copy_a.unlink()
    assert [p.code for p in verify_all_files()] == ["unreadable"]
    call_command("evidence", "scrub")
    assert copy_a.read_bytes() == data
    assert verify_all_files() == []


def test_two_bad_copies_cannot_be_repaired_and_the_command_fails(stored, capsys):
    _data, copy_a, copy_b = stored
    copy_a.write_bytes(b"x" * 10)
    copy_b.unlink()
    with pytest.raises(CommandError, match="无法修复 2 个副本"):
        call_command("evidence", "scrub")
    assert LedgerEntry.objects.filter(kind="evidence.copy_unrecoverable").count() == 2
    assert set(CopyCheck.objects.values_list("outcome", flat=True)) == {CheckOutcome.BAD}
    with pytest.raises(CommandError, match="发现 2 个问题"):
        call_command("evidence", "verify")


def test_verify_compares_the_registration_with_the_ledger(stored):
    data, _a, _b = stored
    entry = LedgerEntry.objects.get(kind="evidence.stored")
    with triggers_dropped("core_ledgerentry"):  # what an attacker with database access would have to do
        LedgerEntry.objects.filter(pk=entry.pk).update(payload={**entry.payload, "size": 1})
    problems = verify_all_files()
    assert [(p.sha256, p.code) for p in problems] == [(sha256(data), "ledger_mismatch")]
    assert f"第 {entry.seq} 条不符" in problems[0].message


def test_ledger_verify_files_reports_a_bad_copy(stored, capsys):
    data, _a, copy_b = stored
    call_command("ledger", "verify", "--files")
    copy_b.write_bytes(b"bad")
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--files")
    assert f"{sha256(data)} [b]: 副本内容与登记的 SHA-256 不符" in capsys.readouterr().err
