"""Publicity fixtures: the evidence stores in the test's own temporary directory (correction-request evidence)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def evidence_stores(settings, tmp_path) -> Path:
    """Store A, store B and the upload area under tmp_path."""
    settings.SUNLIGHT_EVIDENCE_STORES = {
        key: {
            "url": str(tmp_path / f"store-{key}"),
            "endpoint_url": "",
            "access_key": "",
            "secret_key": "",
            "region": "",
        }
        for key in ("a", "b")
    }
    settings.SUNLIGHT_EVIDENCE_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path
