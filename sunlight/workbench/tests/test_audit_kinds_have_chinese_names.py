"""SYS-4, SYS-6: every audit event the code writes has a Chinese name on the audit page."""

import re
from pathlib import Path

from sunlight.workbench.templatetags.sunlight import _AUDIT_KINDS, audit_details, audit_kind

ROOT = Path(__file__).resolve().parents[2]


def test_every_written_kind_is_named():
    written = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts:
            continue
        written |= set(re.findall(r'kind="((?:auth|org|permission|calendar)\.[a-z_]+)"', path.read_text("utf-8")))
    assert written, "no audit kinds found: the pattern is stale"
    assert written <= set(_AUDIT_KINDS), sorted(written - set(_AUDIT_KINDS))
    assert audit_kind("auth.locked") == "账户锁定"


def test_details_leave_out_the_origin():
    assert audit_details({"from": {"ip": "1.2.3.4"}, "username": "张三"}) == '{"username": "张三"}'
