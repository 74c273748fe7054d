"""Security audit (SYS-6): who did what, when and from where, written to the ledger.

The request's origin (address and browser) is kept in a context variable that the audit middleware sets for the
duration of one request, so that services need not pass the request around. Outside a request the origin is "system".
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any

from .ledger import actor_label, ledger_append
from .models import LedgerEntry

SECURITY_STREAM = "security"


@dataclass(frozen=True)
class Origin:
    """Where a request came from."""

    ip: str
    user_agent: str


_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar("sunlight_origin", default=None)


def set_origin(origin: Origin | None) -> contextvars.Token[Origin | None]:
    """Bind the current request's origin; returns a token for `reset_origin`."""
    return _origin.set(origin)


def reset_origin(token: contextvars.Token[Origin | None]) -> None:
    """Undo `set_origin`."""
    _origin.reset(token)


def current_origin() -> dict[str, str]:
    """The origin as a payload fragment."""
    origin = _origin.get()
    if origin is None:
        return {"ip": "", "user_agent": "", "channel": "system"}
    return {"ip": origin.ip, "user_agent": origin.user_agent[:200], "channel": "web"}


def audit(
    *,
    kind: str,
    actor: Any,
    stream: str = SECURITY_STREAM,
    payload: dict[str, Any] | None = None,
    actor_text: str | None = None,
) -> LedgerEntry:
    """Record one security-relevant event in the ledger. Call inside the transaction of the change it records."""
    body = dict(payload or {})
    body["from"] = current_origin()
    return ledger_append(stream=stream, kind=kind, actor=actor_text or actor_label(actor), payload=body)
