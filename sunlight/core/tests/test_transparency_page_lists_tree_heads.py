"""REC-10: the public portal's 账本透明度 page (no login) lists the signed tree heads and the public key, and
explains how to verify them."""

from __future__ import annotations

import pytest
from django.db import transaction

from sunlight.core.ledger import ledger_append
from sunlight.core.transparency import checkpoint_create

pytestmark = pytest.mark.django_db


def test_the_page_lists_tree_heads_and_the_key(client):
    with transaction.atomic():
        for i in range(3):
            ledger_append(stream="case:1", kind="test.fact", actor="system", payload={"i": i})
    head = checkpoint_create()
    page = client.get("/transparency/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "账本透明度",
        "签名树头",
        "签名公钥",
        head.root_hash,
        head.signature,
        head.public_key,
        "verify_ledger.py",
    ):
        assert text in html
    assert "-----BEGIN PUBLIC KEY-----" in html
    assert "/api/v1/transparency/tree-heads/latest" in html


def test_the_page_says_when_there_is_nothing_yet(client):
    html = client.get("/transparency/").content.decode()
    assert "尚未生成签名树头。" in html


def test_the_portal_links_to_the_page(client):
    assert 'href="/transparency/"' in client.get("/").content.decode()
