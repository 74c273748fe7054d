"""The case file (卷宗, REC-9): a ZIP of everything a closed case consists of, checkable offline (REC-10).

`case_archive_form` is the `archiving` step: within 30 calendar days of closure (the `records.archiving` deadline the
closure opened) the archivist, the agency head or the lead officer forms the case file. The ZIP holds

    case.json                         the case as registered and decided
    records/NNNN-<step>.json          every record with all its REC-2 fields and the ledger entry that recorded it
    documents/NNN-<type>-vN.docx|pdf  every generated document (REC-15)
    av/NNN-<file name>                every file of every AV record linked to a record (REC-5), bytes as stored
    ledger/entries.jsonl              every ledger entry of the case stream `case:<id>`, of the case's deadlines
                                      (`deadline:<id>`) and the `evidence.stored` entry of each document and AV
                                      file (which ties the file's bytes to the signed ledger), with seq,
                                      stream, kind, actor, at, payload, payload_hash, prev_hash and entry_hash
    ledger/inclusion_proofs.json      for each entry, the RFC 6962 audit path into the signed tree head
    ledger/tree_head.json             that signed tree head (a checkpoint is signed first when the latest one does
                                      not cover every entry)
    ledger/public_key.txt             the platform's Ed25519 public key (hex) that signed it
    index.html                        the 卷宗目录: item number, title, date, file name and SHA-256 of every item
    manifest.json                     every other file with its SHA-256 and size

and `python3 tools/verify_ledger.py casefile ZIP --public-key HEX` checks it with the standard library alone
(docs/verify-ledger.md). The ZIP is written to a temporary file as it is built (AV files are streamed from the
evidence store block by block, never held in memory), before any lock is taken; then one transaction stores it (two
verified copies), writes the `CaseArchive` row, the `archiving` record (which completes the archiving deadline and
moves the case to ARCHIVED) and the `case.archive_formed` ledger entry with the manifest's SHA-256. If the case
gained a record, a document or a ledger entry while the ZIP was being built, nothing is written and the user is
asked to form it again.

`case_archive_open` opens a formed case file for download and logs the use (调阅登记, REC-11).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunlight.access.choices import Action, Outcome
from sunlight.access.models import AccessLog
from sunlight.access.services import access_use
from sunlight.access.subjects import Subject
from sunlight.core.audit import audit, current_origin
from sunlight.core.errors import NotFound, ServiceError
from sunlight.core.ledger import actor_label, at_text, canonical_json, leaf_of, ledger_append, sha256_hex
from sunlight.core.merkle import verify_inclusion
from sunlight.core.models import Deadline, LedgerEntry, TreeHead
from sunlight.core.transparency import checkpoint_create, latest_tree_head, tree_head_dict, tree_reader
from sunlight.evidence.blobs import blob_store
from sunlight.evidence.models import AVFile, StoredFile
from sunlight.evidence.storage import BLOCK, ByteStream, StoreError, stores, upload_dir
from sunlight.org.choices import Role
from sunlight.org.scope import deny

from .checks import StepInput
from .choices import CaseStatus
from .models import Case, CaseArchive, CaseDocument, CaseRecord, RecordAV
from .selectors import cases_visible_to
from .workflow import step_name

CASEFILE_FORMAT = "sunlight.casefile.v1"
RECORD_FORMAT = "sunlight.case_record.v1"
ZIP_TYPE = "application/zip"
CUSTODIAN_ROLES = (Role.ARCHIVIST, Role.AGENCY_HEAD)
# The record fields that are also in the record's ledger payload (services._write_record), under the same names and
# in the same form: the verifier requires them to be equal.
LEDGER_FIELDS = (
    "case",
    "record",
    "seq",
    "step",
    "variant",
    "occurred_at",
    "place",
    "officers",
    "certificates_shown",
    "party_present",
    "rights_notified",
    "rights_how",
    "content",
    "data",
    "party_signed",
    "refusal_note",
    "av_records",
)


def may_form(user: Any, case: Case) -> bool:
    """The case's lead officer, or an archivist or agency head of the case's agency (REC-9)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == case.lead_officer_id:
        return True
    return user.agency_id == case.agency_id and any(user.has_role(role) for role in CUSTODIAN_ROLES)


# --- forming ------------------------------------------------------------------------------------------------------


def case_archive_form(*, acting_user: Any, case: Case, now: datetime | None = None) -> CaseArchive:
    """Form and archive the case file of a closed case (REC-9); see the module docstring.

    Refused: anyone but the lead officer or an archivist or agency head of the case's agency (audited, Forbidden);
    a case that is not closed, or whose ledger does not match its signed tree head (ServiceError). A refusal changes
    nothing.
    """
    moment = now or timezone.now()
    current = Case.objects.select_related("agency", "unit", "item", "lead_officer").get(pk=case.pk)
    if not may_form(acting_user, current):
        raise deny(acting_user, action="case.archive_form", target=str(current.public_id))
    _check_closed(current)
    with tempfile.TemporaryDirectory(dir=upload_dir(), prefix="casefile-") as work:
        path = Path(work) / "casefile.zip"
        built = _build(current, path, acting_user=acting_user, moment=moment)
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=current.pk)
            _check_closed(locked)
            if _snapshot(locked) != built.snapshot:
                raise ServiceError.single("case", "changed", _("形成卷宗期间本案有新的记录或文书，请重新形成卷宗。"))
            bundle = _store(path, moment, acting_user)
            archive = CaseArchive.objects.create(
                case=locked,
                bundle=bundle,
                manifest_sha256=built.manifest_sha256,
                formed_by=acting_user,
                formed_at=moment,
            )
            given = StepInput(
                occurred_at=moment,
                content=_("卷宗已形成并归档，共 %(n)d 个文件，清单 SHA-256：%(sha)s。")
                % {"n": built.files, "sha": built.manifest_sha256},
                data={
                    "archive": str(archive.public_id),
                    "bundle_sha256": bundle.sha256,
                    "bundle_size": bundle.size,
                    "manifest_sha256": built.manifest_sha256,
                    "files": built.files,
                },
            )
            record = _record_archiving(acting_user=acting_user, case=locked, given=given, now=moment)
            ledger_append(
                stream=locked.stream,
                kind="case.archive_formed",
                actor=actor_label(acting_user),
                payload={
                    "case": str(locked.public_id),
                    "number": locked.number,
                    "archive": str(archive.public_id),
                    "record": str(record.public_id),
                    "manifest_sha256": built.manifest_sha256,
                    "bundle_sha256": bundle.sha256,
                    "bundle_size": bundle.size,
                    "files": built.files,
                    "ledger_entries": built.entries,
                    "tree_size": built.tree_size,
                    "root_hash": built.root_hash,
                },
            )
    case.refresh_from_db()
    return archive


def _check_closed(case: Case) -> None:
    if case.status == CaseStatus.ARCHIVED or CaseArchive.objects.filter(case=case).exists():
        raise ServiceError.single("case", "archived", _("本案卷宗已经形成并归档。"))
    if case.status != CaseStatus.CLOSED:
        raise ServiceError.single(
            "case",
            "not_closed",
            _("案件尚未结案（当前状态：%(s)s），结案后才能形成卷宗。") % {"s": case.get_status_display()},
        )


def _record_archiving(*, acting_user: Any, case: Case, given: StepInput, now: datetime) -> CaseRecord:
    """The `archiving` step record through the step service (internal step; archivists may record it)."""
    from . import services

    return services.case_step_record(
        acting_user=acting_user, case=case, step="archiving", given=given, internal=True, now=now
    )


# --- what goes in, and the check that nothing changed meanwhile ------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What the case file was built from: the case stream's ledger entries, the records, the documents and the AV
    links (by id). Entries of the case's deadlines written meanwhile (a tick changing a warning level) do not count:
    the case file holds those up to its tree head."""

    case_entries: tuple[int, ...]
    records: tuple[int, ...]
    documents: tuple[int, ...]
    av_links: tuple[int, ...]


def _av_files(case: Case) -> list[AVFile]:
    """Every file of every AV record linked to a record of the case, once, in link order."""
    links = RecordAV.objects.filter(record__case=case).order_by("record__seq", "id").select_related("av_record")
    seen: set[int] = set()
    out: list[AVFile] = []
    for link in links:
        for av_file in link.av_record.files.select_related("file", "record").order_by("uploaded_at", "id"):
            if av_file.pk not in seen:
                seen.add(av_file.pk)
                out.append(av_file)
    return out


def _stored_files(case: Case) -> list[StoredFile]:
    """The stored files the case file holds: each document's DOCX and PDF, each linked AV file."""
    files: list[StoredFile] = []
    for document in CaseDocument.objects.filter(case=case).select_related("docx", "pdf").order_by("pk"):
        files += [document.docx, document.pdf]
    return files + [av_file.file for av_file in _av_files(case)]


def _entries(case: Case) -> list[LedgerEntry]:
    """The case's ledger entries: its stream, its deadlines' streams, and the storing of each of its files."""
    deadlines = Deadline.objects.filter(subject_type="case", subject_id=str(case.public_id)).values_list(
        "public_id", flat=True
    )
    streams = [case.stream, *(f"deadline:{d}" for d in deadlines)]
    entries = {e.seq: e for e in LedgerEntry.objects.filter(stream__in=streams)}
    for stream in {stored.stream for stored in _stored_files(case)}:
        first = LedgerEntry.objects.filter(stream=stream, kind="evidence.stored").order_by("seq").first()
        if first is not None:
            entries[first.seq] = first
    return [entries[seq] for seq in sorted(entries)]


def _snapshot(case: Case) -> Snapshot:
    return Snapshot(
        case_entries=tuple(
            LedgerEntry.objects.filter(stream=case.stream).order_by("seq").values_list("seq", flat=True)
        ),
        records=tuple(case.records.order_by("seq").values_list("pk", flat=True)),
        documents=tuple(CaseDocument.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)),
        av_links=tuple(RecordAV.objects.filter(record__case=case).order_by("pk").values_list("pk", flat=True)),
    )


# --- building the ZIP ---------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One file of the case file, as the manifest and the index list it."""

    path: str
    kind: str
    title: str
    date: str
    sha256: str
    size: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """The result of building the ZIP."""

    snapshot: Snapshot
    manifest_sha256: str
    files: int
    entries: int
    tree_size: int
    root_hash: str


class _Writer:
    """Adds files to the ZIP, hashing each as it is written."""

    def __init__(self, archive: zipfile.ZipFile, moment: datetime) -> None:
        self.zip = archive
        local = timezone.localtime(moment)
        self.stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
        self.items: list[Item] = []

    def info(self, path: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def add_bytes(self, path: str, data: bytes, *, kind: str, title: str, date: str, **extra: Any) -> Item:
        self.zip.writestr(self.info(path, True), data)
        item = Item(path, kind, title, date, hashlib.sha256(data).hexdigest(), len(data), extra)
        self.items.append(item)
        return item

    def add_stored(self, path: str, stored: StoredFile, *, kind: str, title: str, date: str, **extra: Any) -> Item:
        """Stream a stored file into the ZIP from its first readable copy; refuse if the bytes are not the ones
        registered (a damaged copy must be repaired first)."""
        hasher = hashlib.sha256()
        size = 0
        compress = not stored.content_type.startswith(("video/", "audio/", "image/")) and stored.content_type not in (
            ZIP_TYPE,
            "application/pdf",
        )
        with (
            contextlib.closing(_open_stored(stored)) as stream,
            self.zip.open(self.info(path, compress), "w", force_zip64=True) as target,
        ):
            while True:
                try:
                    chunk = stream.read(BLOCK)
                except OSError as exc:
                    raise _unreadable(stored) from exc
                if not chunk:
                    break
                hasher.update(chunk)
                size += len(chunk)
                target.write(chunk)
        if hasher.hexdigest() != stored.sha256 or size != stored.size:
            raise ServiceError.single(
                "file",
                "damaged",
                _("文件 %(sha)s 的存储副本与登记的 SHA-256 不符，请先运行 sunlight evidence scrub 修复后再形成卷宗。")
                % {"sha": stored.sha256},
            )
        item = Item(path, kind, title, date, stored.sha256, size, extra)
        self.items.append(item)
        return item


def _open_stored(stored: StoredFile) -> ByteStream:
    """A stream over the first readable copy of a stored file."""
    configured = stores()
    for copy in stored.copies.order_by("store"):
        store = configured.get(copy.store)
        if store is None:
            continue
        try:
            return store.open(copy.name)
        except StoreError:
            continue
    raise _unreadable(stored)


def _unreadable(stored: StoredFile) -> ServiceError:
    error = ServiceError.single(
        "file", "unavailable", _("文件 %(sha)s 的存储副本均无法读取，请联系系统管理员。") % {"sha": stored.sha256}
    )
    error.status = 503
    return error


def _iso(moment: datetime | None) -> str | None:
    """Times as the case's ledger payloads write them (services._iso): Asia/Shanghai, ISO 8601."""
    return timezone.localtime(moment).isoformat() if moment else None


def _day(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _person(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"id": str(user.public_id), "name": user.full_name or user.username}


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _safe_name(name: str) -> str:
    cleaned = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip()
    return cleaned.lstrip(".")[:120] or "file"


def _case_json(case: Case) -> dict[str, Any]:
    return {
        "format": "sunlight.case.v1",
        "case": str(case.public_id),
        "number": case.number,
        "workflow": case.workflow,
        "action_type": case.action_type,
        "agency": {"id": str(case.agency.public_id), "name": case.agency.name},
        "unit": {"id": str(case.unit.public_id), "name": case.unit.name},
        "item": {"id": str(case.item.public_id), "name": str(case.item)} if case.item else None,
        "region_code": case.region_code,
        "title": case.title,
        "summary": case.summary,
        "source": case.source,
        "source_ref": case.source_ref,
        "complainant_name": case.complainant_name,
        "party_kind": case.party_kind,
        "party_name": case.party_name,
        "party_id_number": case.party_id_number,
        "party_address": case.party_address,
        "party_phone": case.party_phone,
        "lead_officer": _person(case.lead_officer),
        "officers": [_person(u) for u in case.officers.order_by("pk")],
        "status": case.status,
        "step": case.step,
        "is_major": case.is_major,
        "major_reasons": case.major_reasons,
        "emergency": case.emergency,
        "fine_fen": case.fine_fen,
        "created_at": _iso(case.created_at),
        "opened_at": _iso(case.opened_at),
        "decided_at": _iso(case.decided_at),
        "closed_at": _iso(case.closed_at),
        "external_id": case.external_id or None,
    }


def _record_json(case: Case, record: CaseRecord, documents: list[str]) -> dict[str, Any]:
    av = list(record.av_links.order_by("id").values_list("av_record__public_id", flat=True))
    return {
        "format": RECORD_FORMAT,
        "case": str(case.public_id),
        "case_number": case.number,
        "record": str(record.public_id),
        "seq": record.seq,
        "step": record.step,
        "step_name": step_name(case.workflow, record.step),
        "variant": record.variant or None,
        "occurred_at": _iso(record.occurred_at),
        "place": record.place,
        "officers": record.officers,
        "certificates_shown": record.certificates_shown,
        "party": case.party_name,
        "party_present": record.party_present,
        "rights_notified": record.rights_notified,
        "rights_how": record.rights_how,
        "content": record.content,
        "data": record.data,
        "party_signed": record.party_signed,
        "refusal_note": record.refusal_note,
        "av_records": [str(a) for a in av],
        "corrects": str(record.corrects.public_id) if record.corrects else None,
        "recorded_by": _person(record.recorded_by),
        "recorded_at": _iso(record.recorded_at),
        "documents": documents,
        "ledger": {"seq": record.entry_seq, "entry_hash": record.entry_hash},
    }


def _entry_json(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "stream": entry.stream,
        "kind": entry.kind,
        "actor": entry.actor,
        "at": at_text(entry.at),
        "payload": entry.payload,
        "payload_hash": entry.payload_hash,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
    }


def _tree_head_for(entries: list[LedgerEntry], moment: datetime) -> TreeHead:
    """The latest signed tree head, or a new one when the latest does not cover every entry."""
    needed = entries[-1].seq if entries else 1
    head = latest_tree_head()
    if head is None or head.tree_size < needed:
        head = checkpoint_create(now=moment, force=True)
    if head is None or head.tree_size < needed:
        raise ServiceError.single("ledger", "no_tree_head", _("无法签署覆盖本案记录的账本树头，请联系系统管理员。"))
    return head


def _proofs(entries: list[LedgerEntry], head: TreeHead) -> dict[str, Any]:
    """Audit paths of the entries into the tree head, checked here before they are handed out."""
    reader = tree_reader()
    root = bytes.fromhex(head.root_hash)
    if reader.root(head.tree_size) != root:
        raise ServiceError.single(
            "ledger", "tree_mismatch", _("账本与签名树头不符，请先运行 sunlight ledger verify 检查账本。")
        )
    proofs = []
    for entry in entries:
        path = reader.inclusion_proof(entry.seq - 1, head.tree_size)
        leaf = leaf_of(entry.entry_hash)
        if not verify_inclusion(leaf=leaf, index=entry.seq - 1, size=head.tree_size, proof=path, root=root):
            raise ServiceError.single(
                "ledger",
                "proof_invalid",
                _("第 %(seq)d 条账本记录的包含证明无效，请先运行 sunlight ledger verify。") % {"seq": entry.seq},
            )
        proofs.append(
            {
                "seq": entry.seq,
                "leaf_index": entry.seq - 1,
                "entry_hash": entry.entry_hash,
                "audit_path": [h.hex() for h in path],
            }
        )
    return {"tree_size": head.tree_size, "root_hash": head.root_hash, "proofs": proofs}


def _build(case: Case, path: Path, *, acting_user: Any, moment: datetime) -> Built:
    """Write the case file to `path`; return what it was built from and the manifest's SHA-256."""
    snapshot = _snapshot(case)
    entries = [e for e in _entries(case) if e.stream != case.stream or e.seq in set(snapshot.case_entries)]
    head = _tree_head_for(entries, moment)
    records = list(
        case.records.filter(pk__in=snapshot.records)
        .order_by("seq")
        .select_related("recorded_by", "corrects")
        .prefetch_related("av_links")
    )
    documents = list(
        CaseDocument.objects.filter(pk__in=snapshot.documents)
        .select_related("record", "docx", "pdf")
        .order_by("generated_at", "id")
    )
    av_files = _av_files(case)
    evidence_seq = {e.stream: e.seq for e in entries if e.kind == "evidence.stored"}
    with zipfile.ZipFile(path, "w", allowZip64=True) as bundle:
        out = _Writer(bundle, moment)
        out.add_bytes(
            "case.json", _json(_case_json(case)), kind="case", title=_("案件基本情况"), date=_day(case.created_at)
        )
        doc_paths: dict[int, list[str]] = {}
        doc_items: list[tuple[CaseDocument, str, StoredFile]] = []
        for index, document in enumerate(documents, 1):
            base = f"documents/{index:03d}-{document.doc_type}-v{document.version}"
            for suffix, stored in (("docx", document.docx), ("pdf", document.pdf)):
                doc_path = f"{base}.{suffix}"
                doc_items.append((document, doc_path, stored))
                if document.record_id:
                    doc_paths.setdefault(document.record_id, []).append(doc_path)
        for record in records:
            out.add_bytes(
                f"records/{record.seq:04d}-{record.step}.json",
                _json(_record_json(case, record, doc_paths.get(record.pk, []))),
                kind="record",
                title=_("第%(seq)d号记录：%(name)s")
                % {"seq": record.seq, "name": step_name(case.workflow, record.step)},
                date=_day(record.occurred_at),
                ledger_seq=record.entry_seq,
            )
        for document, doc_path, stored in doc_items:
            label = f"{document.get_doc_type_display()} {document.number}".strip()
            out.add_stored(
                doc_path,
                stored,
                kind="document",
                title=f"{label}（{doc_path.rsplit('.', 1)[-1].upper()}）",
                date=_day(document.generated_at),
                ledger_seq=evidence_seq.get(stored.stream),
            )
        for index, av_file in enumerate(av_files, 1):
            out.add_stored(
                f"av/{index:03d}-{_safe_name(av_file.filename)}",
                av_file.file,
                kind="av",
                title=_("音像记录：%(title)s") % {"title": av_file.record.title},
                date=_day(av_file.record.recorded_from),
                av_record=str(av_file.record.public_id),
                filename=av_file.filename,
                ledger_seq=evidence_seq.get(av_file.file.stream),
            )
        lines = b"".join(canonical_json(_entry_json(e)) + b"\n" for e in entries)
        day = _day(moment)
        out.add_bytes(
            "ledger/entries.jsonl",
            lines,
            kind="ledger",
            title=_("全过程记录账本条目（%(n)d 条）") % {"n": len(entries)},
            date=day,
        )
        out.add_bytes(
            "ledger/inclusion_proofs.json",
            _json(_proofs(entries, head)),
            kind="proofs",
            title=_("账本记录包含证明"),
            date=day,
        )
        out.add_bytes(
            "ledger/tree_head.json",
            _json(tree_head_dict(head)),
            kind="tree_head",
            title=_("签名树头（%(n)d 条记录）") % {"n": head.tree_size},
            date=_day(head.timestamp),
        )
        out.add_bytes(
            "ledger/public_key.txt",
            f"{head.public_key}\n".encode("ascii"),
            kind="public_key",
            title=_("平台签名公钥（Ed25519）"),
            date=_day(head.timestamp),
        )
        index_html = _index_html(case, out.items, head=head, moment=moment, acting_user=acting_user)
        out.add_bytes("index.html", index_html, kind="index", title=_("卷宗目录"), date=day)
        manifest = _json(
            {
                "format": CASEFILE_FORMAT,
                "case": {
                    "id": str(case.public_id),
                    "number": case.number,
                    "title": case.title,
                    "agency": case.agency.name,
                    "closed_at": _iso(case.closed_at),
                },
                "formed_at": _iso(moment),
                "formed_by": _person(acting_user),
                "tree_head": {"tree_size": head.tree_size, "root_hash": head.root_hash, "public_key": head.public_key},
                "files": [
                    {"path": i.path, "sha256": i.sha256, "size": i.size, "kind": i.kind, "title": i.title, **i.extra}
                    for i in out.items
                ],
            }
        )
        bundle.writestr(out.info("manifest.json", True), manifest)
    return Built(
        snapshot=snapshot,
        manifest_sha256=sha256_hex(manifest),
        files=len(out.items) + 1,
        entries=len(entries),
        tree_size=head.tree_size,
        root_hash=head.root_hash,
    )


def _index_html(case: Case, items: list[Item], *, head: TreeHead, moment: datetime, acting_user: Any) -> bytes:
    """The 卷宗目录 in Chinese: every item with its number, title, date, file name and SHA-256."""
    e = html.escape
    rows = "\n".join(
        f"<tr><td>{n}</td><td>{e(i.title)}</td><td>{e(i.date)}</td><td>{e(i.path)}</td>"
        f"<td><code>{i.sha256}</code></td></tr>"
        for n, i in enumerate([*items, Item("index.html", "index", _("卷宗目录（本文件）"), _day(moment), "—", 0)], 1)
    )
    rows = rows.replace("<code>—</code>", "—")
    facts = [
        (_("案件编号"), case.number),
        (_("案由"), case.title),
        (_("当事人"), case.party_name),
        (_("执法主体"), case.agency.name),
        (_("承办机构"), case.unit.name),
        (_("主办人员"), case.lead_officer.full_name or case.lead_officer.username),
        (_("立案时间"), _day(case.opened_at)),
        (_("结案时间"), _day(case.closed_at)),
        (_("卷宗形成时间"), timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")),
        (_("立卷人"), getattr(acting_user, "full_name", "") or getattr(acting_user, "username", "")),
    ]
    fact_rows = "\n".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in facts)
    note = _(
        "本卷宗的全部文件及其 SHA-256 列于 manifest.json。校验方法：在任何装有 Python 3 的计算机上运行 "
        "python3 verify_ledger.py casefile 本卷宗.zip --public-key %(key)s（平台公钥请与公开渠道公布的核对）。"
        "账本记录的包含证明指向 %(size)d 条记录的签名树头（根哈希 %(root)s）。"
    ) % {"key": head.public_key, "size": head.tree_size, "root": head.root_hash}
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{e(_("卷宗目录"))} {e(case.number)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}}code{{font-size:85%}}</style>
</head>
<body>
<h1>{e(_("卷宗目录"))}</h1>
<table>
{fact_rows}
</table>
<h2>{e(_("卷内材料"))}</h2>
<table>
<tr><th>{e(_("序号"))}</th><th>{e(_("材料名称"))}</th><th>{e(_("日期"))}</th><th>{e(_("文件名"))}</th><th>SHA-256</th></tr>
{rows}
</table>
<p>{e(note)}</p>
</body>
</html>
"""
    return page.encode("utf-8")


# --- storing ------------------------------------------------------------------------------------------------------


def _store(path: Path, moment: datetime, acting_user: Any = None) -> StoredFile:
    """Store the ZIP in both evidence stores, each copy verified (`evidence.blobs.blob_store`; its registration and
    `evidence.stored` entry join the caller's transaction)."""
    try:
        return blob_store(data=path, content_type=ZIP_TYPE, now=moment, acting_user=acting_user)
    except StoreError as exc:
        raise _store_failed() from exc


def _store_failed() -> ServiceError:
    error = ServiceError.single("bundle", "store_unavailable", _("存储暂时不可用，卷宗未能入库，请稍后重试。"))
    error.status = 503
    return error


# --- opening (REC-11: every download is logged) -------------------------------------------------------------------


def casefile_subject(case: Case) -> Subject:
    """A case file as an access subject: the lead officer and the case's officers are its owners."""
    return Subject(
        type="casefile",
        id=str(case.public_id),
        label=f"{case.number} {case.title}",
        agency=case.agency,
        unit=case.unit,
        owner_ids=frozenset({case.lead_officer_id, *case.officers.values_list("pk", flat=True)}),
    )


def case_archives(*, user: Any, case: Case) -> list[CaseArchive]:
    """The case files formed for a case the user may see, newest first."""
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise NotFound.single("case", "not_found", _("案件不存在。"))
    return list(CaseArchive.objects.filter(case=case).select_related("bundle").order_by("-formed_at", "-id"))


def case_archive_open(*, acting_user: Any, archive: CaseArchive, now: datetime | None = None) -> tuple[ByteStream, str]:
    """Open a case file for download: the stream (from the first readable copy) and a file name.

    Whoever may not see the case gets NotFound. Its officers and the agency's archivists and agency heads download it as
    part of their duties; anyone else needs an approved access request (`access_use`, subject type "casefile").
    Every download, and every refusal, is in the access log and the ledger before a byte is sent.
    """
    moment = now or timezone.now()
    case = archive.case
    if not cases_visible_to(acting_user).filter(pk=case.pk).exists():
        raise NotFound.single("archive", "not_found", _("卷宗不存在。"))
    subject = casefile_subject(case)
    target = archive.bundle.sha256
    custodian = acting_user.agency_id == case.agency_id and any(acting_user.has_role(r) for r in CUSTODIAN_ROLES)
    if custodian and acting_user.pk not in subject.owner_ids:
        _log_custodian_use(acting_user, subject, target, moment)
    else:
        access_use(user=acting_user, subject=subject, action=Action.DOWNLOAD, target=target, now=moment)
    stream = _open_stored(archive.bundle)
    name = f"{_safe_name(case.number)}-{_('卷宗')}.zip"
    return stream, name


def _log_custodian_use(user: Any, subject: Subject, target: str, moment: datetime) -> None:
    basis = _("案卷管理职责（档案管理员或机关负责人）")
    with transaction.atomic():
        AccessLog.objects.create(
            subject_type=subject.type,
            subject_id=subject.id,
            subject_label=subject.label[:200],
            user=user,
            action=Action.DOWNLOAD,
            target=target[:200],
            outcome=Outcome.ALLOWED,
            basis=basis,
            ip=current_origin()["ip"],
            at=moment,
        )
        audit(
            kind="access.used",
            actor=user,
            stream=subject.stream,
            payload={
                "action": Action.DOWNLOAD.value,
                "target": target,
                "basis": basis,
                "request": None,
                "approver": None,
            },
        )


def iter_stream(stream: ByteStream) -> Iterator[bytes]:
    """The blocks of an opened case file, closing it at the end (for a streaming HTTP response)."""
    with contextlib.closing(stream):
        while chunk := stream.read(BLOCK):
            yield chunk
