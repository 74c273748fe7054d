"""REC-10: the hand-written canonical entry (used by append and verify for speed) is byte for byte the canonical JSON
of the same fields, for any text the fields can hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sunlight.core.ledger import canonical_entry, canonical_json

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(seq=st.integers(1, 10**15), stream=texts, kind=texts, actor=texts, at=texts, payload_hash=texts)
def test_canonical_entry_equals_canonical_json(seq, stream, kind, actor, at, payload_hash):
    fields = {"seq": seq, "stream": stream, "kind": kind, "actor": actor, "at": at, "payload_hash": payload_hash}
    assert canonical_entry(**fields) == canonical_json(fields)


def test_control_characters_quotes_and_chinese():
    fields = {
        "seq": 7,
        "stream": 'case:"1"\\',
        "kind": "a\nb\t\x01\x7f",
        "actor": "用户",
        "at": "x",
        "payload_hash": "",
    }
    assert canonical_entry(**fields) == canonical_json(fields)
