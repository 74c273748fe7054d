"""Item 6: every published decision shows a QR code to its verify page, which shows the hash of the published text,
its ledger entry and the inclusion proof against the latest signed tree head, and whether it was changed or
withdrawn. The test checks the proof independently, as a member of the public would."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.db import connection

from sunlight.core.ledger import canonical_json, entry_hash_of
from sunlight.core.merkle import leaf_hash, verify_inclusion
from sunlight.core.transparency import checkpoint_create
from sunlight.publicity.services import publication_update, publication_withdraw
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


def test_the_decision_page_has_a_qr_code_to_the_verify_page(county, client):
    draft = make_draft(county)
    publish(draft, publisher(county))
    html = client.get(f"/decisions/{draft.public_id}/").content.decode()
    assert f'href="/decisions/{draft.public_id}/verify"' in html
    assert f'src="/decisions/{draft.public_id}/qr.svg"' in html
    response = client.get(f"/decisions/{draft.public_id}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert "max-age" in response["Cache-Control"]
    # The code holds the absolute verify address (decoded by the same library's data, not by a camera here).
    from sunlight.publicity.views import qr_svg

    assert qr_svg(f"http://testserver/decisions/{draft.public_id}/verify") == response.content
    assert client.get(f"/decisions/{make_draft(county).public_id}/qr.svg").status_code == 404  # drafts: nothing


def test_the_proof_checks_out_independently(county, client):
    draft = make_draft(county)
    version = publish(draft, publisher(county))
    pending = client.get(f"/decisions/{draft.public_id}/verify").content.decode()
    assert 'data-testid="proof-pending"' in pending  # newer than any signed tree head
    head = checkpoint_create(force=True)
    html = client.get(f"/decisions/{draft.public_id}/verify").content.decode()
    assert "该信息自公示以来未被修改或撤回。" in html
    assert version.published_hash in html and "包含证明有效" in html

    # 1. The published bytes hash to the published hash.
    record = client.get(f"/decisions/{draft.public_id}/record.json").content
    assert hashlib.sha256(record).hexdigest() == version.published_hash
    assert json.loads(record)["party"] == "张某"
    # 2. The ledger entry carries that hash, and its own hashes recompute.
    proof = client.get(f"/api/v1/publicity/decisions/{draft.public_id}/verification").json()
    entry = proof["versions"][0]["entry"]
    assert entry["payload"]["published_hash"] == version.published_hash
    assert hashlib.sha256(canonical_json(entry["payload"])).hexdigest() == entry["payload_hash"]
    from datetime import datetime

    assert (
        entry_hash_of(
            prev_hash=entry["prev_hash"],
            seq=entry["seq"],
            stream=entry["stream"],
            kind=entry["kind"],
            actor=entry["actor"],
            at=datetime.fromisoformat(entry["at"]),
            payload_hash=entry["payload_hash"],
        )
        == entry["entry_hash"]
    )
    # 3. The entry is a leaf of the signed tree (RFC 9162 inclusion).
    latest = client.get("/api/v1/transparency/tree-heads/latest").json()
    assert latest["root_hash"] == head.root_hash == entry["root_hash"]
    assert verify_inclusion(
        leaf=leaf_hash(bytes.fromhex(entry["entry_hash"])),
        index=entry["seq"] - 1,
        size=latest["tree_size"],
        proof=[bytes.fromhex(h) for h in entry["audit_path"]],
        root=bytes.fromhex(latest["root_hash"]),
    )
    assert entry["checks_ok"] is True


def test_changes_and_withdrawals_are_shown(county, client):
    draft = make_draft(county)
    user = publisher(county)
    publish(draft, user)
    publication_update(
        publication=draft, fields={"result": "罚款人民币3000元"}, explanation="变更罚款。", acting_user=user
    )
    checkpoint_create(force=True)
    html = client.get(f"/decisions/{draft.public_id}/verify").content.decode()
    assert "该信息公示后更新过，现行为第2版。" in html and "变更罚款。" in html
    publication_withdraw(publication=draft, explanation="决定已撤销。", acting_user=user)
    checkpoint_create(force=True)
    html = client.get(f"/decisions/{draft.public_id}/verify").content.decode()
    assert 'data-testid="status-withdrawn"' in html and "决定已撤销。" in html
    assert "撤回记录" in html and "包含证明有效" in html


def test_a_tampered_record_is_shown_as_failing(county, client):
    draft = make_draft(county)
    version = publish(draft, publisher(county))
    checkpoint_create(force=True)
    from sunlight.core.protect import create_sql, drop_sql

    table = "publicity_publicationversion"
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor, table):
            cursor.execute(statement)
        record = dict(version.record, result="不予处罚")
        cursor.execute(
            f"UPDATE {table} SET record = %s WHERE id = %s",  # noqa: S608
            [json.dumps(record, ensure_ascii=False), version.pk],
        )
        for statement in create_sql(connection.vendor, table):
            cursor.execute(statement)
    html = client.get(f"/decisions/{draft.public_id}/verify").content.decode()
    assert re.search(r'data-testid="published-hash">[0-9a-f]{64} <span class="check-bad">✗', html)
