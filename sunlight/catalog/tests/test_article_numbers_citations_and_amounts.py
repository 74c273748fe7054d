"""Citations read as people write them: Chinese article numbers, 《law》第N条 lists, pasted law texts, amounts in yuan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunlight.catalog.numerals import (
    article_label,
    fen_to_yuan,
    from_chinese,
    parse_article_lines,
    parse_citations,
    to_chinese,
    yuan_text,
    yuan_to_fen,
)


@given(st.integers(min_value=1, max_value=9999))
def test_article_numbers_round_trip(n):
    assert from_chinese(to_chinese(n)) == n
    assert from_chinese(str(n)) == n


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (101, "一百零一"),
        (110, "一百一十"),
        (122, "一百二十二"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
    ],
)
def test_article_numbers_as_the_law_writes_them(n, text):
    assert to_chinese(n) == text
    assert article_label(n) == f"第{text}条"


@pytest.mark.parametrize("bad", ["", "百二", "二二", "第五条", "一万"])
def test_malformed_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        from_chinese(bad)


def test_citations_are_read_with_several_articles_per_law():
    found, problems = parse_citations(
        "《中华人民共和国价格法》第十三条、第四十二条；《食品安全法》第122条\n《某法》第五条 和 乱写"
    )
    assert found == [("中华人民共和国价格法", 13), ("中华人民共和国价格法", 42), ("食品安全法", 122), ("某法", 5)]
    assert problems == ["乱写"]
    assert parse_citations("") == ([], [])


def test_pasted_law_text_is_split_into_articles():
    articles, problems = parse_article_lines("总则\n第一条 为了……\n制定本法。\n\n第二条　在境内……")
    assert articles == [(1, "为了……\n制定本法。"), (2, "在境内……")]
    assert problems == [(1, "总则")]


def test_amounts_in_yuan_and_fen():
    assert yuan_to_fen("50000") == 5_000_000
    assert yuan_to_fen(12.5) == 1250
    assert yuan_to_fen(Decimal("0.01")) == 1
    for bad in ("1.001", "-1", "abc", None, True):
        with pytest.raises(ValueError):
            yuan_to_fen(bad)
    assert fen_to_yuan(5_000_000) == 50000 and fen_to_yuan(1250) == Decimal("12.50")
    assert [yuan_text(f) for f in (5_000_000, 6_500_000, 300_000, 1250)] == ["5万元", "6.5万元", "3000元", "12.5元"]
