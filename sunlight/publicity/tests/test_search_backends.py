"""PUB-9: one search interface over both backends (PostgreSQL: pg_trgm and bigram codes; SQLite: FTS5 trigram and
LIKE). The CI matrix runs this module on both; every case here must give the same answer on each."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from sunlight.org.choices import ActionType
from sunlight.publicity import search as search_module
from sunlight.publicity.choices import PublicationKind
from sunlight.publicity.search import backend_name, bigram_codes, query_terms, search
from sunlight.publicity.tests.factories import make_draft, publish, publisher

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(county):
    user = publisher(county)
    other_agency = county.other_unit.agency
    rows = {
        "food": make_draft(
            county, title="销售过期食品案", body="当事人销售超过保质期的食品，货值100%。", decided_on=date(2026, 1, 5)
        ),
        "fireworks": make_draft(
            county,
            person=False,
            title="无证经营烟花爆竹案",
            body="当事人无证储存烟花爆竹_100箱。",
            decided_on=date(2026, 2, 5),
        ),
        "licence": make_draft(
            county,
            action_type=ActionType.LICENCE,
            title="食品经营许可决定",
            body="准予许可ＡＢ１２３。",
            decided_on=date(2026, 3, 5),
        ),
        "other": make_draft(
            county,
            agency=other_agency,
            title="太和县销售过期食品案",
            body="太和县当事人销售过期食品。",
            decided_on=date(2026, 4, 5),
        ),
        "inspection": make_draft(
            county,
            kind=PublicationKind.INSPECTION_RESULT,
            action_type=ActionType.INSPECTION,
            title="双随机抽查结果",
            body="检查合格。",
            decided_on=date(2026, 5, 5),
        ),
    }
    other_publisher = publisher(county, "reviewer_other")
    other_publisher.agency = other_agency
    other_publisher.unit = county.other_unit
    other_publisher.save()
    for key, draft in rows.items():
        publish(draft, other_publisher if key == "other" else user)
    make_draft(county, title="未发布的过期食品草稿", body="草稿内容过期食品。")  # a draft is never found
    return rows


def _ids(page):
    return {h.public_id for h in page.hits}


def _id(rows, *keys):
    return {str(rows[k].public_id) for k in keys}


def test_backend_follows_the_database(decisions):
    assert backend_name() == connection.vendor


def test_three_or_more_characters(decisions):
    assert _ids(search("过期食品")) == _id(decisions, "food", "other")
    assert _ids(search("烟花爆竹")) == _id(decisions, "fireworks")
    assert _ids(search("不存在的词语")) == set()


def test_two_characters(decisions):
    assert _ids(search("过期")) == _id(decisions, "food", "other")
    assert _ids(search("烟花")) == _id(decisions, "fireworks")
    assert _ids(search("许可")) == _id(decisions, "licence")
    assert _ids(search("过期", agency=decisions["food"].agency)) == _id(decisions, "food")
    assert _ids(search("ab")) == _id(decisions, "licence")  # full-width ＡＢ, any case


def test_one_character(decisions):
    assert _ids(search("烟")) == _id(decisions, "fireworks")
    assert _ids(search("许", agency=decisions["food"].agency)) == _id(decisions, "licence")


def test_several_terms_must_all_occur(decisions):
    assert _ids(search("过期 太和")) == _id(decisions, "other")
    assert _ids(search("食品  许可")) == _id(decisions, "licence")
    assert _ids(search("过期 许可")) == set()


def test_filters(decisions):
    food_agency = decisions["food"].agency
    assert _ids(search(agency=food_agency)) == _id(decisions, "food", "fireworks", "licence", "inspection")
    assert _ids(search(action_type=ActionType.LICENCE)) == _id(decisions, "licence")
    assert _ids(search(kind=PublicationKind.INSPECTION_RESULT)) == _id(decisions, "inspection")
    assert _ids(search(region="341222")) == _id(decisions, "other")
    assert _ids(search(region="341200")) == _id(decisions, "food", "fireworks", "licence", "other", "inspection")
    assert _ids(search(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31))) == _id(decisions, "fireworks", "licence")


def test_sort_and_pages(decisions):
    newest = [h.public_id for h in search().hits]
    assert newest[0] == str(decisions["inspection"].public_id)
    oldest = [h.public_id for h in search(sort="decided_on").hits]
    assert oldest == list(reversed(newest))
    page = search(page_size=2, page=2)
    assert page.total == 5 and page.pages == 3 and page.page == 2 and len(page.hits) == 2
    assert search(page_size=2, page=99).page == 3  # past the end: the last page


def test_like_wildcards_and_fts_syntax_are_plain_text(decisions):
    assert _ids(search("100%")) == _id(decisions, "food")
    assert _ids(search("%")) == _id(decisions, "food")
    assert _ids(search("_100")) == _id(decisions, "fireworks")
    assert _ids(search("_")) == _id(decisions, "fireworks")
    for weird in ('"', '"过期', "过期 OR 烟花", "NEAR(过期)", "*", "过期*", "\\", "'; DROP TABLE x; --", "\x00过期"):
        search(weird)  # never an error


def test_any_length_is_capped_and_fast(decisions):
    page = search("过期" * 10_000)
    assert len(page.query) <= 100
    assert len(query_terms("a b c d e f g h")) == 5
    assert query_terms("过期 过期食品 食品") == ["过期食品"]


def test_snippets_mark_the_terms_and_escape_html(decisions, county):
    draft = make_draft(county, title="<script>alert(1)</script>检测", body="含<b>标签</b>的文本。")
    publish(draft, publisher(county, "reviewer_snip"))
    hit = search("标签").hits[0]
    assert "<b>" not in hit.snippet and "&lt;b&gt;<mark>标签</mark>&lt;/b&gt;" in hit.snippet
    assert "<script>" not in search("检测").hits[0].snippet


def test_the_count_is_capped(decisions, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    page = search()
    assert page.total == 3 and page.total_capped


def test_bigram_codes_are_distinct_lower_case_and_skip_spaces():
    assert bigram_codes("AB ab") == [search_module.bigram_code("a", "b")]
    assert len(bigram_codes("处罚处罚")) == 2  # 处罚 and 罚处
