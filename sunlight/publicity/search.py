"""Portal search over published decisions (PUB-9; ADR 0009): one interface, two backends chosen by database vendor.

`search(query, agency=..., action_type=..., region=..., date_from=..., date_to=..., sort=..., page=...)` returns one
page of hits with a snippet and a (capped) count. The query is cut to `QUERY_MAX_CHARS` characters, normalised
(NFKC, lower case, control characters dropped) and split on white space into at most `QUERY_MAX_TERMS` terms that
must all occur (substring match, as Chinese has no spaces between words). Each term is matched by its length:

| term       | PostgreSQL                                               | SQLite                                  |
|------------|----------------------------------------------------------|-----------------------------------------|
| 3+ chars   | `text ILIKE '%term%'` on a pg_trgm GIN index             | FTS5 trigram `MATCH`, then `LIKE`       |
| 2 chars    | `bigrams @> ARRAY[code]` on a GIN index of bigram codes  | `LIKE` within the filtered rows         |
| 1 char     | `strpos(lower(text), term) > 0` within the filtered rows | `LIKE` within the filtered rows         |

Trigram indexes cannot answer a two-character substring (pg_trgm extracts no trigram from `%xy%` and scans the whole
index; FTS5's trigram tokenizer matches nothing), so each searchable text also carries the sorted codes of its
distinct two-character substrings (`bigram_codes`): a two-character term is then one GIN lookup, exact for
characters of the Basic Multilingual Plane, and PostgreSQL combines it with the (agency, decided_on) B-tree in a
BitmapAnd. LIKE wildcards in the input are escaped; nothing the public types reaches SQL other than as a parameter.

The index (`SearchEntry`, plus `publicity_fts` on SQLite) is written only by `index_publication` and
`unindex_publication`, which the services call in the transaction that publishes, updates, withdraws or expires.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from sunlight.core.ids import region_code_prefix
from sunlight.org.models import Agency, Region

from .choices import COUNT_CAP, MAX_PAGE, PAGE_SIZE, QUERY_MAX_CHARS, QUERY_MAX_TERMS, SortOrder
from .models import Publication, PublicationVersion, SearchEntry

FTS_TABLE = "publicity_fts"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")
SNIPPET_CHARS = 60
ORDERINGS = {
    SortOrder.NEWEST: ("-decided_on", "-id"),
    SortOrder.OLDEST: ("decided_on", "id"),
    SortOrder.RECENTLY_PUBLISHED: ("-published_at", "-id"),
}


# --- text ----------------------------------------------------------------------------------------------------------


# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) as ASCII; Chinese punctuation stays as it is.
_HALF_WIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def normalise(text: str) -> str:
    """The searchable form of a text: NFC, full-width digits and letters as ASCII (so that “ＡＢ１２” finds
    “AB12”), control and invisible characters dropped, every run of white space one space."""
    text = unicodedata.normalize("NFC", text).translate(_HALF_WIDTH)
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def bigram_code(a: str, b: str) -> int:
    """A signed 32-bit code for two characters: exact for the Basic Multilingual Plane (others fold onto it)."""
    value = ((ord(a) & 0xFFFF) << 16) | (ord(b) & 0xFFFF)
    return value - (1 << 32) if value >= (1 << 31) else value


def bigram_codes(text: str) -> list[int]:
    """The sorted codes of the distinct two-character substrings of a normalised text, lower case, without spaces."""
    lowered = text.lower()
    return sorted({bigram_code(a, b) for a, b in itertools.pairwise(lowered) if a != " " and b != " "})


def query_terms(query: str) -> list[str]:
    """The terms of a public query: capped, normalised, lower case, distinct, at most QUERY_MAX_TERMS."""
    text = normalise(str(query)[: QUERY_MAX_CHARS * 2])[:QUERY_MAX_CHARS].lower()
    terms: list[str] = []
    for term in text.split(" "):
        if term and term not in terms:
            terms.append(term)
    # A term inside another adds nothing: keep the longer ones (fewer, more selective conditions).
    terms = [t for t in terms if not any(t != other and t in other for other in terms)]
    return terms[:QUERY_MAX_TERMS]


def like_escape(term: str) -> str:
    """A LIKE pattern matching `term` literally anywhere (backslash is the escape character)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _bmp(term: str) -> bool:
    return all(ord(ch) <= 0xFFFF for ch in term)


# --- backends ------------------------------------------------------------------------------------------------------


def _raw(sql: str, params: list[Any]) -> RawSQL:
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 - constant SQL, input only as parameters


_TEXT = '"publicity_searchentry"."text"'


def _postgresql(qs: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    for term in terms:
        if len(term) >= 3:
            qs = qs.filter(_raw(f"{_TEXT} ILIKE %s", [like_escape(term)]))
        elif len(term) == 2:
            qs = qs.filter(bigrams__contains=[bigram_code(term[0], term[1])])
            if not _bmp(term):
                qs = qs.filter(_raw(f"strpos(lower({_TEXT}), %s) > 0", [term]))
        else:
            qs = qs.filter(_raw(f"strpos(lower({_TEXT}), %s) > 0", [term]))
    return qs


def fts_phrase(term: str) -> str:
    """An FTS5 string literal matching `term` as a substring (trigram tokenizer)."""
    return '"' + term.replace('"', '""') + '"'


def _sqlite(qs: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    long_terms = [t for t in terms if len(t) >= 3]
    if long_terms:
        match = " AND ".join(fts_phrase(t) for t in long_terms)
        qs = qs.filter(
            _raw(f'"publicity_searchentry"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)', [match])  # noqa: S608
        )
    # LIKE checks every term on the rows found: the short terms the trigram index cannot answer, and the long ones
    # again, so that a stale index row (e.g. after a bulk load) can never surface text that does not match.
    for term in terms:
        qs = qs.filter(text__icontains=term)
    return qs


def _generic(qs: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    for term in terms:
        qs = qs.filter(text__icontains=term)
    return qs


def backend_name() -> str:
    """Which backend serves the default database: postgresql (pg_trgm + bigrams), sqlite (FTS5) or generic."""
    return connection.vendor if connection.vendor in ("postgresql", "sqlite") else "generic"


def match_terms(qs: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    """Restrict a queryset of search entries to those containing every term."""
    if not terms:
        return qs
    backend = backend_name()
    if backend == "postgresql":
        return _postgresql(qs, terms)
    if backend == "sqlite":
        return _sqlite(qs, terms)
    return _generic(qs, terms)


# --- the interface -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The filters of a search (all optional)."""

    agency: Agency | None = None
    action_type: str | None = None
    kind: str | None = None
    region: Region | str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Hit:
    """One search result as the portal, the API and the exports show it (published, redacted data only)."""

    public_id: str
    title: str
    party: str
    agency_name: str
    action_type: str
    action_type_label: str
    kind: str
    kind_label: str
    document_number: str
    decided_on: date
    published_at: datetime
    version: int
    result: str
    snippet: SafeString


@dataclass(frozen=True)
class SearchPage:
    """One page of results: `total` is exact up to COUNT_CAP (then `total_capped` and total = COUNT_CAP)."""

    query: str
    terms: list[str]
    hits: list[Hit]
    total: int
    total_capped: bool
    page: int
    pages: int
    page_size: int
    sort: str

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def filtered(filters: Filters) -> QuerySet[SearchEntry]:
    """Search entries narrowed by the filters (no text condition)."""
    qs = SearchEntry.objects.all()
    if filters.agency is not None:
        qs = qs.filter(agency_id=filters.agency.pk)
    if filters.action_type:
        qs = qs.filter(action_type=filters.action_type)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        code = filters.region.code if isinstance(filters.region, Region) else str(filters.region)
        qs = qs.filter(region_code__startswith=region_code_prefix(code))
    if filters.date_from:
        qs = qs.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(decided_on__lte=filters.date_to)
    return qs


def search_queryset(query: str, filters: Filters, sort: str = SortOrder.NEWEST) -> QuerySet[SearchEntry]:
    """The ordered queryset of every match (exports stream it; `search` pages it)."""
    ordering = ORDERINGS.get(sort, ORDERINGS[SortOrder.NEWEST])  # type: ignore[call-overload]
    return match_terms(filtered(filters), query_terms(query)).order_by(*ordering)


def search(
    query: str = "",
    *,
    agency: Agency | None = None,
    action_type: str | None = None,
    kind: str | None = None,
    region: Region | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: str = SortOrder.NEWEST,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """One page of published decisions matching the query and the filters, newest decision first by default."""
    filters = Filters(agency, action_type, kind, region, date_from, date_to)
    terms = query_terms(query)
    sort = sort if sort in ORDERINGS else SortOrder.NEWEST
    qs = search_queryset(query, filters, sort)
    counted = qs.order_by().values("id")[: COUNT_CAP + 1].count()
    capped = counted > COUNT_CAP
    total = min(counted, COUNT_CAP)
    page_size = max(1, min(int(page_size), 100))
    pages = max(1, min(math.ceil(total / page_size), MAX_PAGE))
    page = max(1, min(int(page), pages))
    offset = (page - 1) * page_size
    rows = list(qs.defer("bigrams")[offset : offset + page_size])
    return SearchPage(
        query=" ".join(terms),
        terms=terms,
        hits=[hit_of(row, terms) for row in rows],
        total=total,
        total_capped=capped,
        page=page,
        pages=pages,
        page_size=page_size,
        sort=str(sort),
    )


def hit_of(entry: SearchEntry, terms: list[str]) -> Hit:
    """A search entry as a result, with a snippet around the first term found."""
    return Hit(
        public_id=str(entry.public_id),
        title=entry.title,
        party=entry.party,
        agency_name=entry.agency_name,
        action_type=entry.action_type,
        action_type_label=str(entry.get_action_type_display()),
        kind=entry.kind,
        kind_label=str(entry.get_kind_display()),
        document_number=entry.document_number,
        decided_on=entry.decided_on,
        published_at=entry.published_at,
        version=entry.version,
        result=entry.result,
        snippet=snippet(entry.text, terms),
    )


def snippet(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """About `width` characters around the first term found, escaped, with every term found in it marked."""
    lowered = text.lower()
    positions = [p for p in (lowered.find(t) for t in terms) if p >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    end = min(len(text), start + width)
    part, lowered_part = text[start:end], lowered[start:end]
    marks = [False] * len(part)
    for term in terms:
        i = lowered_part.find(term)
        while i >= 0:
            for j in range(i, min(i + len(term), len(part))):
                marks[j] = True
            i = lowered_part.find(term, i + 1)
    html: list[str] = ["…" if start else ""]
    i = 0
    while i < len(part):
        j = i
        while j < len(part) and marks[j] == marks[i]:
            j += 1
        chunk = escape(part[i:j])
        html.append(f"<mark>{chunk}</mark>" if marks[i] else chunk)
        i = j
    html.append("…" if end < len(text) else "")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text went through html.escape


def export_rows(query: str, filters: Filters, sort: str, limit: int) -> Iterator[SearchEntry]:
    """Every match for an export, streamed in order (at most `limit`)."""
    qs = search_queryset(query, filters, sort).defer("bigrams")[:limit]
    return qs.iterator(chunk_size=2000)


# --- the index -----------------------------------------------------------------------------------------------------


def searchable_text(record: dict[str, Any]) -> str:
    """The text a published record is found by: its published fields and the agency (nothing else)."""
    parts = [
        record.get("title", ""),
        record.get("party", ""),
        record.get("agency", ""),
        record.get("document_number", ""),
        record.get("body", ""),
        record.get("basis", ""),
        record.get("result", ""),
    ]
    return normalise(" ".join(str(p) for p in parts if p))


def index_publication(publication: Publication, version: PublicationVersion) -> SearchEntry:
    """Put (or replace) a publication's entry for the version in force. Call inside the publishing transaction."""
    unindex_publication(publication)
    record = version.record
    text = searchable_text(record)
    entry = SearchEntry.objects.create(
        publication=publication,
        public_id=publication.public_id,
        agency_id=publication.agency_id,
        agency_name=str(record.get("agency", ""))[:100],
        region_code=publication.region_code,
        kind=publication.kind,
        action_type=publication.action_type,
        decided_on=publication.decided_on,
        published_at=version.confirmed_at,
        version=version.number,
        title=str(record.get("title", ""))[:300],
        party=str(record.get("party", ""))[:200],
        document_number=str(record.get("document_number", ""))[:100],
        result=str(record.get("result", "")),
        text=text,
        bigrams=bigram_codes(text) if connection.vendor == "postgresql" else None,
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} (rowid, text) VALUES (%s, %s)", [entry.pk, text])  # noqa: S608
    return entry


def unindex_publication(publication: Publication) -> bool:
    """Remove a publication's entry (withdrawn, expired, or about to be replaced). True when there was one."""
    entry = SearchEntry.objects.filter(publication=publication).only("id", "text").first()
    if entry is None:
        return False
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, text) VALUES ('delete', %s, %s)",  # noqa: S608
                [entry.pk, entry.text],
            )
    entry.delete()
    return True


def index_rebuild() -> int:
    """Rebuild the search index from the versions in force (after a restore or a bulk load). Returns the count."""
    count = 0
    live = Publication.objects.filter(current_version__isnull=False, status="published").select_related(
        "current_version"
    )
    SearchEntry.objects.filter(~Q(publication__in=live)).delete()
    for publication in live.iterator(chunk_size=500):
        assert publication.current_version is not None
        entry = SearchEntry.objects.filter(publication=publication).first()
        if entry is None or entry.version != publication.current_version.number:
            if entry is not None:
                entry.delete()
            index_publication(publication, publication.current_version)
        elif connection.vendor == "postgresql" and entry.bigrams is None:
            SearchEntry.objects.filter(pk=entry.pk).update(bigrams=bigram_codes(entry.text))
        count += 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608
    return count
