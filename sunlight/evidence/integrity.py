"""Read-only integrity checks of the evidence store (REC-6, REC-10).

`verify_all_files()` re-hashes every copy of every stored file and compares each file's registration with its
`evidence.stored` ledger entry; `sunlight ledger verify --files` and `sunlight evidence verify` call it. It changes
nothing: repairs are `sunlight evidence scrub` (services.evidence_scrub).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sunlight.core.models import LedgerEntry

from .models import StoredCopy, StoredFile
from .storage import StoreError, stores


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one stored file: its SHA-256, the store concerned ("" for the file as a whole), a code
    and a message in Chinese."""

    sha256: str
    store: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f" [{self.store}]" if self.store else ""
        return f"{self.sha256}{where}: {self.message}"


@dataclass(frozen=True)
class CopyResult:
    """The result of re-reading one copy."""

    store: str
    name: str
    copy: StoredCopy | None
    ok: bool
    code: str = ""
    message: str = ""


def check_file(stored: StoredFile) -> list[CopyResult]:
    """Re-hash each copy of a file in every configured store; a store without a registered copy is a problem too."""
    copies = {copy.store: copy for copy in stored.copies.all()}
    configured = stores()
    results = []
    for key in sorted(set(configured) | set(copies)):
        copy = copies.get(key)
        store = configured.get(key)
        name = copy.name if copy is not None else stored.object_name
        if copy is None:
            results.append(
                CopyResult(
                    key,
                    name,
                    None,
                    False,
                    "unregistered",
                    _("存储 %(store)s 中没有登记该文件的副本。") % {"store": key},
                )
            )
            continue
        if store is None:
            results.append(
                CopyResult(
                    key, name, copy, False, "store_gone", _("副本所在的存储 %(store)s 已不在配置中。") % {"store": key}
                )
            )
            continue
        try:
            digest, size = store.digest(name)
        except StoreError as exc:
            results.append(
                CopyResult(key, name, copy, False, "unreadable", _("副本无法读取：%(error)s") % {"error": exc})
            )
            continue
        if digest != stored.sha256 or size != stored.size:
            results.append(
                CopyResult(
                    key,
                    name,
                    copy,
                    False,
                    "corrupt",
                    _("副本内容与登记的 SHA-256 不符（实际 %(digest)s，%(size)d 字节）。")
                    % {"digest": digest, "size": size},
                )
            )
            continue
        results.append(CopyResult(key, name, copy, True))
    return results


def _ledger_problem(stored: StoredFile) -> Problem | None:
    entry = LedgerEntry.objects.filter(stream=stored.stream, kind="evidence.stored").order_by("seq").first()
    if entry is None:
        return Problem(stored.sha256, "", "no_ledger_entry", _("全过程记录中没有该文件的入库记录。"))
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    if payload.get("sha256") != stored.sha256 or payload.get("size") != stored.size:
        return Problem(
            stored.sha256,
            "",
            "ledger_mismatch",
            _("文件登记信息与全过程记录第 %(seq)d 条不符。") % {"seq": entry.seq},
        )
    return None


def verify_all_files() -> list[Problem]:
    """Every problem with every stored file: unreadable, missing or altered copies, and registrations that do not
    match the ledger. An empty list means every copy of every file re-hashed to its SHA-256."""
    problems: list[Problem] = []
    for stored in StoredFile.objects.order_by("id").iterator(chunk_size=200):
        ledger = _ledger_problem(stored)
        if ledger is not None:
            problems.append(ledger)
        problems += [Problem(stored.sha256, r.store, r.code, r.message) for r in check_file(stored) if not r.ok]
    return problems
