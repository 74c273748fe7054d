"""REC-9, REC-10: a closed case's file (卷宗) is formed within the archiving period as one ZIP — records, documents,
AV files, index, ledger entries with inclusion proofs, the signed tree head and a manifest — that the standalone
verifier (tools/verify_ledger.py, standard library only) accepts, and rejects once anything in it is changed, removed
or forged. Only the lead officer, an archivist or the agency head may form it, and only once the case is closed."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from sunlight.access.models import AccessLog
from sunlight.cases.archive import case_archive_form, case_archive_open
from sunlight.cases.choices import CaseStatus
from sunlight.cases.models import Case, CaseArchive, CaseDocument, CaseRecord
from sunlight.cases.tests.factories import Desk, ago, av_record
from sunlight.core.errors import Forbidden, ServiceError
from sunlight.core.models import Deadline, LedgerEntry
from sunlight.evidence.blobs import blob_store
from sunlight.evidence.models import StoredFile
from sunlight.evidence.tests.factories import make_video
from sunlight.evidence.uploads import upload_create, upload_receive
from sunlight.org.choices import Role
from sunlight.org.tests.factories import staff

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VERIFIER = Path(__file__).resolve().parents[3] / "tools" / "verify_ledger.py"


@pytest.fixture(autouse=True)
def _evidence_stores(settings, tmp_path) -> None:
    """Store A, store B and the upload area in this test's own temporary directory."""

    def store(path: Path) -> dict[str, str]:
        return {"url": str(path), "endpoint_url": "", "access_key": "", "secret_key": "", "region": ""}

    settings.SUNLIGHT_EVIDENCE_STORES = {"a": store(tmp_path / "store-a"), "b": store(tmp_path / "store-b")}
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")


def av_with_file(desk: Desk, at: Any, data: bytes) -> Any:
    """An AV record of the desk's officer covering `at`, with one stored file (uploaded without HTTP)."""
    record = av_record(desk, at, title="现场检查执法记录仪视频")
    session = upload_create(
        acting_user=desk.officer, record_id=record.public_id, length=len(data), filename="现场检查.mp4"
    )
    done = upload_receive(
        acting_user=desk.officer,
        upload_id=session.public_id,
        offset=0,
        body=io.BytesIO(data),
        content_length=len(data),
    )
    assert done.status == "completed", done.error
    return record


def closed_case(desk: Desk, video: bytes) -> Case:
    """A general-procedure penalty case run to closure; the investigation has an AV record with a file."""
    case = desk.start()
    desk.record(case, "initiation", ago(40), by=desk.head, data={"facts": "无证经营"})
    av = av_with_file(desk, ago(39), video)
    desk.record(case, "investigation", ago(39), given=desk.field(ago(39), av_records=[av]))
    desk.record(
        case,
        "notice",
        ago(38),
        given=desk.field(
            ago(38),
            rights_notified=["statement", "defence", "hearing"],
            rights_how="书面告知",
            data={"proposed": "罚款五万元"},
        ),
    )
    desk.record(
        case, "statement", ago(37), given=desk.field(ago(37), data={"statement": "无异议", "waived_hearing": True})
    )
    desk.record(
        case,
        "decision",
        ago(36),
        by=desk.head,
        data={"facts": "无证经营", "basis": "《食品安全法》第一百二十二条", "kinds": ["fine"], "fine_fen": 5_000_000},
    )
    desk.record(
        case,
        "service",
        ago(35),
        variant="direct",
        data={"document": "行政处罚决定书", "recipient": "法定代表人", "received_at": "2026-10-17"},
    )
    desk.record(case, "execution", ago(30), data={"paid_fen": 5_000_000})
    desk.record(case, "closure", ago(29), by=desk.head, data={"summary": "罚款已缴清"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    return case


def decision_document(desk: Desk, case: Case) -> CaseDocument:
    """A generated decision (DOCX and PDF in the evidence store) for the case's decision record."""
    with transaction.atomic():
        docx = blob_store(data=b"PK\x03\x04 decision docx", content_type=DOCX, acting_user=desk.head)
        pdf = blob_store(data=b"%PDF-1.7 decision", content_type="application/pdf", acting_user=desk.head)
        return CaseDocument.objects.create(
            case=case,
            record=case.records.get(step="decision"),
            doc_type="penalty_decision",
            number="临市监罚〔2026〕1号",
            docx=docx,
            pdf=pdf,
            generated_by=desk.head,
        )


def download(user: Any, archive: CaseArchive, target: Path) -> Path:
    stream, name = case_archive_open(acting_user=user, archive=archive)
    assert name.endswith("卷宗.zip")
    with target.open("wb") as out:
        while chunk := stream.read(65536):
            out.write(chunk)
    stream.close()
    return target


def verify(path: Path, key: str | None) -> subprocess.CompletedProcess[str]:
    """The verifier as a user runs it: the system's python3, no Django, no database."""
    command = ["python3", str(VERIFIER), "casefile", str(path)]
    if key is not None:
        command += ["--public-key", key]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603


def rewrite(
    source: Path,
    target: Path,
    *,
    change: dict[str, Callable[[bytes], bytes]] | None = None,
    drop: str = "",
    add: tuple[str, bytes] | None = None,
    fix_manifest: bool = False,
) -> Path:
    """A copy of a case file with one member changed, removed or added; with `fix_manifest` the forger also
    rewrites the manifest's hashes to match."""
    change = change or {}
    with zipfile.ZipFile(source) as old:
        members = {name: old.read(name) for name in old.namelist()}
    for name, edit in change.items():
        members[name] = edit(members[name])
    if drop:
        del members[drop]
    if add:
        members[add[0]] = add[1]
    if fix_manifest:
        manifest = json.loads(members["manifest.json"])
        for item in manifest["files"]:
            if item["path"] in members:
                item["sha256"] = hashlib.sha256(members[item["path"]]).hexdigest()
                item["size"] = len(members[item["path"]])
        members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(target, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)
    return target


def flip_byte(data: bytes) -> bytes:
    """One byte changed: the fine in a record, 5000000 -> 6000000 (or the last byte otherwise)."""
    if b"5000000" in data:
        return data.replace(b"5000000", b"6000000", 1)
    return data[:-1] + bytes([data[-1] ^ 1])


def test_closed_case_is_archived_into_a_case_file_the_standalone_verifier_accepts(desk: Desk, tmp_path: Path) -> None:
    video = make_video(120_000)
    case = closed_case(desk, video)
    archivist = staff(Role.ARCHIVIST, unit=desk.c.field_unit, username="archivist_desk")
    decision_document(desk, case)
    before = set(LedgerEntry.objects.filter(stream=case.stream).values_list("seq", flat=True))

    archive = case_archive_form(acting_user=archivist, case=case)

    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and case.archived_at is not None and case.step == "archiving"
    archiving = Deadline.objects.get(subject_id=str(case.public_id), rule__code="records.archiving")
    assert archiving.status == "met"
    last = CaseRecord.objects.filter(case=case).order_by("-seq").first()
    assert last is not None and last.step == "archiving" and last.recorded_by == archivist
    assert last.data["manifest_sha256"] == archive.manifest_sha256
    formed = LedgerEntry.objects.get(stream=case.stream, kind="case.archive_formed")
    assert formed.payload["manifest_sha256"] == archive.manifest_sha256
    assert formed.payload["bundle_sha256"] == archive.bundle.sha256
    assert archive.formed_by == archivist and archive.bundle.copies.count() == 2

    path = download(archivist, archive, tmp_path / "卷宗.zip")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == archive.bundle.sha256
    assert AccessLog.objects.filter(subject_type="casefile", subject_id=str(case.public_id), user=archivist).exists()
    with zipfile.ZipFile(path) as bundle:
        names = set(bundle.namelist())
        manifest_bytes = bundle.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        index = bundle.read("index.html").decode("utf-8")
        entries = [json.loads(line) for line in bundle.read("ledger/entries.jsonl").decode().splitlines()]
        av_names = [n for n in names if n.startswith("av/")]
        assert len(av_names) == 1 and bundle.read(av_names[0]) == video
        notice = json.loads(bundle.read("records/0003-notice.json"))
    assert hashlib.sha256(manifest_bytes).hexdigest() == archive.manifest_sha256
    steps = ["initiation", "investigation", "notice", "statement", "decision", "service", "execution", "closure"]
    assert {f"records/{i:04d}-{s}.json" for i, s in enumerate(steps, 1)} <= names
    assert {"case.json", "index.html", "ledger/tree_head.json", "ledger/public_key.txt"} <= names
    assert {"ledger/entries.jsonl", "ledger/inclusion_proofs.json", "manifest.json"} <= names
    listed = {item["path"]: item for item in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    assert all(len(item["sha256"]) == 64 and item["size"] > 0 for item in listed.values())
    assert "卷宗目录" in index and case.number in index
    assert all(item["sha256"] in index for item in listed.values() if item["path"] != "index.html")
    assert notice["rights_notified"] == ["statement", "defence", "hearing"] and notice["place"]
    assert notice["officers"] and notice["certificates_shown"] is True and notice["ledger"]["seq"]
    seqs = {e["seq"] for e in entries}
    assert before <= seqs  # every entry of the case stream until the archiving
    assert {"deadline.opened", "deadline.completed", "evidence.stored"} <= {e["kind"] for e in entries}
    assert all({"seq", "prev_hash", "entry_hash", "payload"} <= set(e) for e in entries)

    with zipfile.ZipFile(path) as bundle:
        key = bundle.read("ledger/public_key.txt").decode().strip()
        assert bundle.read("documents/001-penalty_decision-v1.pdf") == b"%PDF-1.7 decision"
        decision = json.loads(bundle.read("records/0005-decision.json"))
    assert decision["documents"] == [
        "documents/001-penalty_decision-v1.docx",
        "documents/001-penalty_decision-v1.pdf",
    ]
    result = verify(path, key)
    assert result.returncode == 0, result.stderr
    assert "校验通过" in result.stdout and archive.manifest_sha256 in result.stdout

    # Documents and AV files are tied to their storing entries: new bytes with a matching manifest do not pass.
    pdf = "documents/001-penalty_decision-v1.pdf"
    assert listed[pdf]["ledger_seq"] and listed[av_names[0]]["ledger_seq"]
    swapped = rewrite(path, tmp_path / "swapped.zip", change={pdf: lambda b: b"%PDF-1.7 other"}, fix_manifest=True)
    refused = verify(swapped, key)
    assert refused.returncode == 1
    assert f"文件 {pdf} 与账本第 {listed[pdf]['ledger_seq']} 条入库记录的 SHA-256 或大小不符" in refused.stderr


def test_changed_removed_or_forged_contents_are_rejected_naming_the_first_problem(desk: Desk, tmp_path: Path) -> None:
    case = closed_case(desk, make_video(50_000))
    archive = case_archive_form(acting_user=desk.officer, case=case)  # the lead officer
    path = download(desk.officer, archive, tmp_path / "casefile.zip")
    with zipfile.ZipFile(path) as bundle:
        key = json.loads(bundle.read("ledger/tree_head.json"))["public_key"]
        av_name = next(n for n in bundle.namelist() if n.startswith("av/"))
        entries = bundle.read("ledger/entries.jsonl").decode().splitlines()
    decision = "records/0005-decision.json"
    assert verify(path, key).returncode == 0
    with pytest.raises(Forbidden):  # the unit head is no owner or custodian: an approved access request is needed
        case_archive_open(acting_user=desk.head, archive=archive)
    assert AccessLog.objects.filter(subject_type="casefile", user=desk.head, outcome="refused").exists()

    changed = verify(rewrite(path, tmp_path / "changed.zip", change={decision: flip_byte}), key)
    assert changed.returncode == 1
    assert f"文件 {decision} 的 SHA-256 与清单不符" in changed.stderr

    removed = verify(rewrite(path, tmp_path / "removed.zip", drop=av_name), key)
    assert removed.returncode == 1 and f"清单中的文件 {av_name} 在卷宗中缺失" in removed.stderr

    extra = verify(rewrite(path, tmp_path / "extra.zip", add=("records/9999-note.json", b"{}")), key)
    assert extra.returncode == 1 and "清单未列出的文件：records/9999-note.json" in extra.stderr

    # A forged payload (the fine of the decision's entry), the manifest rewritten to match: the ledger catches it.
    target = next(i for i, line in enumerate(entries) if '"case.step.decision"' in line)
    seq = json.loads(entries[target])["seq"]

    def forge_payload(data: bytes) -> bytes:
        lines = data.decode().splitlines()
        lines[target] = lines[target].replace("5000000", "500000")
        return ("\n".join(lines) + "\n").encode()

    forged = verify(
        rewrite(path, tmp_path / "forged.zip", change={"ledger/entries.jsonl": forge_payload}, fix_manifest=True), key
    )
    assert forged.returncode == 1
    assert f"第 {seq} 条记录的内容与其 payload_hash 不符" in forged.stderr

    # The forger recomputes payload_hash and entry_hash too: the entry is then not in the signed tree.
    def forge_hashes(data: bytes) -> bytes:
        lines = data.decode().splitlines()
        row = json.loads(lines[target])
        row["payload"]["data"]["fine_fen"] = 500_000
        canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
        row["payload_hash"] = hashlib.sha256(canonical(row["payload"]).encode()).hexdigest()
        body = {k: row[k] for k in ("seq", "stream", "kind", "actor", "at", "payload_hash")}
        row["entry_hash"] = hashlib.sha256(bytes.fromhex(row["prev_hash"]) + canonical(body).encode()).hexdigest()
        lines[target] = json.dumps(row, ensure_ascii=False)
        return ("\n".join(lines) + "\n").encode()

    rehashed = verify(
        rewrite(path, tmp_path / "rehashed.zip", change={"ledger/entries.jsonl": forge_hashes}, fix_manifest=True),
        key,
    )
    assert rehashed.returncode == 1 and f"包含证明无效：第 {seq} 条记录不在" in rehashed.stderr

    # A record file changed, the manifest rewritten to match: the record no longer agrees with its ledger entry.
    record = verify(rewrite(path, tmp_path / "record.zip", change={decision: flip_byte}, fix_manifest=True), key)
    assert record.returncode == 1 and f"记录 {decision} 的“data”与账本第 {seq} 条记录不符" in record.stderr

    other_key = verify(path, "00" * 32)
    assert other_key.returncode == 1 and "不是由指定的公钥签名的" in other_key.stderr


def test_an_open_case_is_not_archived_and_nothing_changes(desk: Desk) -> None:
    case = desk.start()
    desk.record(case, "initiation", ago(40), by=desk.head, data={"facts": "无证经营"})
    case.refresh_from_db()
    archivist = staff(Role.ARCHIVIST, unit=desk.c.field_unit, username="archivist_desk")
    entries, files = LedgerEntry.objects.count(), StoredFile.objects.count()

    with pytest.raises(ServiceError) as refused:
        case_archive_form(acting_user=archivist, case=case)

    assert refused.value.errors[0].code == "not_closed" and "尚未结案" in refused.value.errors[0].message
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.step == "initiation" and case.archived_at is None
    assert not CaseArchive.objects.exists()
    assert (LedgerEntry.objects.count(), StoredFile.objects.count()) == (entries, files)


def test_only_the_lead_officer_an_archivist_or_the_agency_head_of_the_agency_may_form_it(desk: Desk, county) -> None:
    case = closed_case(desk, make_video(20_000))
    outsider = staff(Role.ARCHIVIST, unit=county.other_unit, username="archivist_other")
    for user in (outsider, county.other_officer, desk.partner):  # another agency's archivist and officer; not lead
        entries = LedgerEntry.objects.exclude(stream="security").count()
        with pytest.raises(Forbidden):
            case_archive_form(acting_user=user, case=case)
        assert LedgerEntry.objects.filter(stream="security", kind="permission.denied").last().payload["action"] == (
            "case.archive_form"
        )
        assert LedgerEntry.objects.exclude(stream="security").count() == entries
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and not CaseArchive.objects.exists()

    archive = case_archive_form(acting_user=desk.chief, case=case)  # the agency head
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and archive.formed_by == desk.chief
    with pytest.raises(ServiceError) as again:
        case_archive_form(acting_user=desk.chief, case=case)
    assert again.value.errors[0].code == "archived"


def test_a_record_added_while_the_file_is_built_stops_the_archiving(desk: Desk, monkeypatch) -> None:
    from sunlight.cases import archive as module

    case = closed_case(desk, make_video(20_000))
    build = module._build

    def build_then_note(*args: Any, **kwargs: Any) -> Any:
        built = build(*args, **kwargs)
        desk.record(case, "note", ago(0), content="补充记录：当事人来电询问")
        return built

    monkeypatch.setattr(module, "_build", build_then_note)
    files = StoredFile.objects.count()
    with pytest.raises(ServiceError) as changed:
        case_archive_form(acting_user=desk.officer, case=case)
    assert changed.value.errors[0].code == "changed"
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and not CaseArchive.objects.exists()
    assert StoredFile.objects.count() == files and not LedgerEntry.objects.filter(kind="case.archive_formed").exists()

    monkeypatch.setattr(module, "_build", build)
    case_archive_form(acting_user=desk.officer, case=case)  # formed again, with the note
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED
