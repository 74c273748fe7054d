"""Identifiers: opaque public ids, and check digits of the national codes Sunlight stores."""

from __future__ import annotations

import re
import uuid

# GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from this alphabet (no I, O, Z, S, V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")

# GB/T 2260 county-level and above: 6 digits; GB/T 10114 township: 9 digits.
_REGION_RE = re.compile(r"^\d{6}(\d{3})?$")


def new_public_id() -> uuid.UUID:
    """A random UUID for URLs and the API (never a sequential key)."""
    return uuid.uuid4()


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code for its first 17 characters."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """True when `code` is a well-formed unified social credit code with a correct check character."""
    if not _USCC_RE.match(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def is_valid_region_code(code: str) -> bool:
    """True for a 6-digit (county and above) or 9-digit (township) administrative division code."""
    return bool(_REGION_RE.match(code))


def region_code_prefix(code: str) -> str:
    """The significant prefix of a division code: every region below it starts with this prefix.

    340000 → "34" (province), 341200 → "3412" (city), 341221 → "341221" (county), 341221100 → itself (township).
    """
    if len(code) == 9:
        return code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_code_ancestors(code: str) -> list[str]:
    """The codes of a region and every region above it, most specific first (derived from the code itself)."""
    chain = [code]
    county = code[:6]
    if len(code) == 9:
        chain.append(county)
    if not county.endswith("00"):
        chain.append(county[:4] + "00")
    if not county.endswith("0000"):
        chain.append(county[:2] + "0000")
    seen: list[str] = []
    for c in chain:
        if c not in seen:
            seen.append(c)
    return seen
