"""REC-10: `sunlight ledger verify --files` also re-hashes the stored files through the evidence store's
`verify_all_files()`, and says so when there is no evidence store."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import types
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db
MODULE = "sunlight.evidence.integrity"


@dataclass(frozen=True)
class Problem:
    sha256: str
    message: str

    def __str__(self) -> str:
        return f"{self.sha256}: {self.message}"


def fake_integrity(monkeypatch, problems: list) -> None:
    module = types.ModuleType(MODULE)
    module.__spec__ = importlib.machinery.ModuleSpec(MODULE, None)
    module.verify_all_files = lambda: problems  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, MODULE, module)


def test_files_that_hash_correctly_pass(monkeypatch):
    fake_integrity(monkeypatch, [])
    out = StringIO()
    call_command("ledger", "verify", "--files", stdout=out)
    assert "账本完好" in out.getvalue() and "存储的文件完好" in out.getvalue()


def test_a_bad_file_fails_with_its_hash_and_message(monkeypatch):
    fake_integrity(
        monkeypatch, [Problem("ab" * 32, "副本内容与登记的 SHA-256 不符"), {"sha256": "cd" * 32, "message": "缺失"}]
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 个文件有问题"):
        call_command("ledger", "verify", "--files", stdout=StringIO(), stderr=err)
    assert f"{'ab' * 32}: 副本内容与登记的 SHA-256 不符" in err.getvalue()
    assert f"{'cd' * 32}: 缺失" in err.getvalue()


def test_without_an_evidence_store_it_says_so(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name.startswith("sunlight.evidence") else real(name, *a)
    )
    out = StringIO()
    call_command("ledger", "verify", "--files", stdout=out)
    assert "尚无证据存储" in out.getvalue()
