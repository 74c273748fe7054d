"""Load the standalone verifier (tools/verify_ledger.py, not a package) for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

VERIFIER_PATH = Path(__file__).resolve().parents[3] / "tools" / "verify_ledger.py"


def load_verifier() -> ModuleType:
    """The module tools/verify_ledger.py."""
    if "verify_ledger" in sys.modules:
        return sys.modules["verify_ledger"]
    spec = importlib.util.spec_from_file_location("verify_ledger", VERIFIER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["verify_ledger"] = module
    spec.loader.exec_module(module)
    return module
