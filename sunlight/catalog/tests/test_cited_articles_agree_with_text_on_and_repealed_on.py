"""REV-5: `cited_articles` restates in one SQL query the rule of the model methods, and on any day it says of each
article a version cites what `Article.text_on` and `Law.repealed_on` say (a wording by then, not deleted, the law's
first repeal not yet in effect), in the catalog's order — whatever the wordings (same-day ones included), repeals and
other amendments, and however many articles it cites."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunlight.catalog.choices import AmendmentKind, LawKind
from sunlight.catalog.models import Article, ArticleText, Law, LawAmendment
from sunlight.catalog.selectors import cited_articles

from .factories import new_item

pytestmark = pytest.mark.django_db

START = date(2020, 1, 1)  # every law takes effect then; wordings and amendments come on one of the next days
offsets = st.integers(min_value=0, max_value=8)  # a small range, so that dates often coincide


@st.composite
def wordings(draw: st.DrawFn) -> list[tuple[int, bool]]:
    """0-3 wordings of an article as (effective day, repealed), in the order they are inserted; a later one often
    takes effect on the same day as an earlier one, and then it is the wording of that day (the "-id" tie-break)."""
    rows: list[tuple[int, bool]] = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        same_day = bool(rows) and draw(st.booleans())
        offset = draw(st.sampled_from([o for o, _ in rows])) if same_day else draw(offsets)
        rows.append((offset, draw(st.booleans())))
    return rows


laws = st.lists(
    st.fixed_dictionaries(
        {
            "articles": st.lists(wordings(), min_size=1, max_size=4),
            "repeals": st.lists(offsets, max_size=2),
            "other": st.none() | st.tuples(st.sampled_from([AmendmentKind.AMEND, AmendmentKind.REVISE]), offsets),
        }
    ),
    min_size=1,
    max_size=2,
)
asked = st.lists(st.integers(min_value=-1, max_value=10), min_size=1, max_size=6)  # also before and after them all


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def build(law_specs: list[dict]) -> list[Article]:
    """The laws, their articles with their wordings, and their amendments, as rows (the services would refuse some
    of these on purpose: an article with no wording, a wording after a repeal, two repeals)."""
    articles: list[Article] = []
    for i, spec in enumerate(law_specs):
        law = Law.objects.create(title=f"Law {'AB'[i]}", kind=LawKind.LAW, effective_from=START)
        amendments = [(AmendmentKind.REPEAL, offset) for offset in spec["repeals"]]
        if spec["other"] is not None:
            amendments.insert(0, spec["other"])  # first, and often earliest: a repeal date must not be taken from it
        for n, (kind, offset) in enumerate(amendments):
            LawAmendment.objects.create(law=law, kind=kind, label=f"第{n + 1}次", effective_from=day(offset))
        for number, texts in enumerate(spec["articles"], start=1):
            article = Article.objects.create(law=law, number=number)
            for k, (offset, repealed) in enumerate(texts):
                ArticleText.objects.create(
                    article=article, text=f"wording {k}", repealed=repealed, effective_from=day(offset)
                )
            articles.append(article)
    return articles


def by_the_model(articles: list[Article], on: date) -> list[tuple[str, bool]]:
    """What the model methods say, article by article, in the catalog's order (law title, number)."""
    expected = []
    for article in sorted(articles, key=lambda a: (a.law.title, a.number)):
        text = article.text_on(on)
        repealed_on = article.law.repealed_on()
        in_force = text is not None and not text.repealed and (repealed_on is None or repealed_on > on)
        expected.append((article.citation, in_force))
    return expected


@pytest.fixture
def draft(catalog):
    """A draft item version of the catalog fixture's agency; each example sets the articles it cites."""
    return new_item(catalog, "SC-REV5", published=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(law_specs=laws, offsets_asked=asked)
def test_cited_articles_say_what_text_on_and_repealed_on_say_in_one_query(draft, law_specs, offsets_asked):
    with transaction.atomic():
        articles = build(law_specs)
        draft.articles.set(articles)
        for offset in offsets_asked:
            on = day(offset)
            with CaptureQueriesContext(connection) as queries:
                cited = cited_articles(version=draft, on=on)
            assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
            assert [(c.citation, c.in_force) for c in cited] == by_the_model(articles, on), on
        transaction.set_rollback(True)
