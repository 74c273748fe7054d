"""SYS-1: unified social credit codes are checked by their check character; division codes give the hierarchy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sunlight.core.ids import (
    USCC_ALPHABET,
    is_valid_region_code,
    is_valid_uscc,
    region_code_ancestors,
    region_code_prefix,
    uscc_check_char,
)


def test_published_example_code_is_valid():
    # The example code printed in GB 32100-2015's explanatory material.
    assert is_valid_uscc("91350100M000100Y43")
    assert not is_valid_uscc("91350100M000100Y44")
    assert not is_valid_uscc("91350100M000100Y4")
    assert not is_valid_uscc("91350100M000100I43")  # I is not in the alphabet


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_check_character_round_trip_and_single_substitution_is_caught(body):
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code)
    wrong = next(c for c in USCC_ALPHABET if c != code[17])
    assert not is_valid_uscc(code[:17] + wrong)


def test_region_prefixes_and_ancestors():
    assert region_code_prefix("340000") == "34"
    assert region_code_prefix("341200") == "3412"
    assert region_code_prefix("341221") == "341221"
    assert region_code_prefix("341221101") == "341221101"
    assert region_code_ancestors("341221101") == ["341221101", "341221", "341200", "340000"]
    assert region_code_ancestors("341200") == ["341200", "340000"]
    assert region_code_ancestors("110000") == ["110000"]
    assert is_valid_region_code("341221") and is_valid_region_code("341221101")
    assert not is_valid_region_code("34122") and not is_valid_region_code("34122110")
