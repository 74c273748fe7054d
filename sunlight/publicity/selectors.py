"""Reads of the publicity app: the staff queue (scoped), the confirmation view, the public pages and the proofs.

Public reads never touch the source (unredacted) text: they read the version in force (`PublicationVersion.record`)
or the search index, which holds published text only. Drafts do not exist for the public (404).
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.models import Count, Model, Q, QuerySet
from django.utils.translation import gettext as _

from sunlight.core.errors import NotFound
from sunlight.core.ledger import canonical_json, entry_hash_of, leaf_of, sha256_hex
from sunlight.core.merkle import verify_inclusion
from sunlight.core.models import LedgerEntry, TreeHead
from sunlight.core.transparency import inclusion_proof, latest_tree_head, tree_head_signature_ok

from . import records
from .choices import PUBLIC_FIELDS, PublicationStatus
from .models import CorrectionRequest, DecisionPage, Publication, PublicationVersion, Withdrawal
from .permissions import visible_q
from .redaction import Change, Redaction, side_by_side_html


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


# --- staff ---------------------------------------------------------------------------------------------------------


def publications_for_user(user: Any) -> QuerySet[Publication]:
    """Publications within the user's reach (see permissions.visible_q)."""
    return Publication.objects.filter(visible_q(user)).select_related(
        "agency", "deadline", "deadline__rule", "current_version"
    )


def publication_get_for_user(*, user: Any, public_id: Any) -> Publication:
    """One publication the user may see, or NotFound (also for ids outside the scope)."""
    key = _uuid(public_id)
    publication = publications_for_user(user).filter(public_id=key).first() if key else None
    if publication is None:
        raise NotFound.single("publication", "not_found", _("公示不存在或您无权查看。"))
    return publication


def queue(user: Any, *, status: str = PublicationStatus.DRAFT) -> QuerySet[Publication]:
    """The publication queue: drafts by due time (most urgent first); other states newest first."""
    qs = publications_for_user(user).filter(status=status)
    if status == PublicationStatus.DRAFT:
        return qs.order_by("deadline__due_at", "id")
    return qs.order_by("-changed_at", "-id")


def queue_counts(user: Any) -> dict[str, int]:
    """How many publications the user sees in each state."""
    counts = {value: 0 for value in PublicationStatus.values}
    for row in publications_for_user(user).order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def open_revocations(user: Any) -> list[Any]:
    """Revocation requests whose 3-WD clock runs, within the user's reach."""
    from .models import RevocationRequest

    return list(
        RevocationRequest.objects.filter(
            publication__in=publications_for_user(user), deadline__status__in=["open", "paused"]
        )
        .select_related("publication", "deadline", "deadline__rule")
        .order_by("deadline__due_at")
    )


def corrections_for_user(user: Any, *, open_only: bool = False) -> QuerySet[CorrectionRequest]:
    """Correction requests on publications within the user's reach, the most urgent first."""
    qs = CorrectionRequest.objects.filter(publication__in=publications_for_user(user)).select_related(
        "publication", "deadline", "deadline__rule", "decision"
    )
    if open_only:
        qs = qs.filter(decision__isnull=True)
    return qs.order_by("deadline__due_at", "-id")


def correction_get_for_user(*, user: Any, public_id: Any) -> CorrectionRequest:
    """One correction request the user may see, or NotFound."""
    key = _uuid(public_id)
    found = corrections_for_user(user).filter(public_id=key).first() if key else None
    if found is None:
        raise NotFound.single("correction", "not_found", _("纠错申请不存在或您无权查看。"))
    return found


@dataclass(frozen=True)
class FieldComparison:
    """One field on the confirmation screen: the original and the proposal side by side, changes marked."""

    name: str
    label: str
    original: str
    proposed: str
    original_html: str
    redacted_html: str
    changes: list[dict[str, Any]]


def comparison(publication: Publication) -> list[FieldComparison]:
    """Every published field of a draft: original and automatic redaction, side by side (PUB-5)."""
    source = publication.source
    originals = records.original_fields(
        title=source.title, party_name=source.party_name, body=source.body, basis=source.basis, result=source.result
    )
    rows = []
    for name, label in PUBLIC_FIELDS:
        proposal = source.proposal.get(name, {})
        changes = list(proposal.get("changes", []))
        result = Redaction(
            original=originals[name],
            text=proposal.get("text", originals[name]),
            changes=tuple(Change(**change) for change in changes),
        )
        before, after = side_by_side_html(result)
        rows.append(FieldComparison(name, str(label), originals[name], result.text, before, after, changes))
    return rows


# --- public --------------------------------------------------------------------------------------------------------


def public_publication(public_id: Any) -> Publication:
    """A publication that is or was on the portal (published, withdrawn after publication, expired); NotFound for
    drafts, unknown ids and drafts withdrawn before publication."""
    key = _uuid(public_id)
    publication = (
        Publication.objects.filter(public_id=key)
        .exclude(status=PublicationStatus.DRAFT)
        .filter(first_published_at__isnull=False)
        .select_related("agency", "current_version")
        .first()
        if key
        else None
    )
    if publication is None:
        raise NotFound.single("publication", "not_found", _("该公示信息不存在。"))
    return publication


# What a public decision page reads: these columns of the publication on every request (its page, the notice of a
# withdrawn or expired decision, the state of the stored page in page_cache); the version in force is read only when
# the page has to be rendered.
DECISION_PAGE_FIELDS = (
    "id",
    "public_id",
    "status",
    "kind",
    "action_type",
    "agency",
    "document_number",
    "decided_on",
    "current_version",
    "first_published_at",
    "expires_on",
    "withdrawn_at",
    "expired_at",
    "changed_at",
)


@dataclass(frozen=True)
class _Columns:
    """Some columns of a model in one query: what `Model.from_db` needs, and per column the converters a queryset
    would apply (so values come out as from the ORM, on SQLite as on PostgreSQL)."""

    model: type[Model]
    attnames: list[str]
    converters: list[tuple[Any, list[Any]]]

    def instance(self, alias: str, values: list[Any]) -> Any:
        conn = connections[alias]
        for index, (expression, converters) in enumerate(self.converters):
            for converter in converters:
                values[index] = converter(values[index], expression, conn)
        return self.model.from_db(alias, self.attnames, values)


@dataclass(frozen=True)
class _DecisionQuery:
    """The decision page's query with its parameters as `%s` (`sql`), and as the statement prepared from it (`prepare`:
    its name holds a digest of its text, so a session holding a statement of that name holds this one) with the
    EXECUTE that runs it (`execute`); and how to read its rows."""

    sql: str
    name: str
    prepare: str
    execute: str
    publication: _Columns


# A decision page as stored by page_cache: (state it showed, title, text).
StoredPage = tuple[str, str, str]


def _columns(*, alias: str, model: type[Model], names: tuple[str, ...], table: str) -> tuple[_Columns, list[str]]:
    """The named concrete fields in the model's field order (as `from_db` expects) and their quoted SQL columns."""
    conn = connections[alias]
    fields = [field for field in model._meta.concrete_fields if field.name in names]
    converters = []
    for field in fields:
        expression = field.get_col(table)
        converters.append((expression, conn.ops.get_db_converters(expression) + field.get_db_converters(conn)))
    sql = [f"{table}.{conn.ops.quote_name(str(field.column))}" for field in fields]
    return _Columns(model, [field.attname for field in fields], converters), sql


def _column(alias: str, model: type[Model], name: str, table: str) -> str:
    return f"{table}.{connections[alias].ops.quote_name(str(model._meta.get_field(name).column))}"  # type: ignore[union-attr]


@functools.lru_cache(maxsize=8)
def _decision_query(alias: str) -> _DecisionQuery:
    """The decision page's query (PUB-9), built once per process and database from the models' metadata (identifiers
    quoted, values as parameters: the stored page's rendering, the public id, the draft status): compiling it with the
    ORM cost more than the rest of a request for the portal's most requested page. It reads the publication and, in
    the same row, the page stored for it in one rendering (page_cache), if any."""
    quote = connections[alias].ops.quote_name
    publication, selected = _columns(alias=alias, model=Publication, names=DECISION_PAGE_FIELDS, table="p")
    selected += [_column(alias, DecisionPage, name, "d") for name in ("state", "title", "text")]

    def sql(mark: Callable[[int], str]) -> str:
        return (
            f"SELECT {', '.join(selected)} FROM {quote(Publication._meta.db_table)} p "  # noqa: S608
            f"LEFT OUTER JOIN {quote(DecisionPage._meta.db_table)} d"
            f" ON {_column(alias, DecisionPage, 'publication', 'd')} = {_column(alias, Publication, 'id', 'p')}"
            f" AND {_column(alias, DecisionPage, 'rendering', 'd')} = {mark(1)} "
            f"WHERE {_column(alias, Publication, 'public_id', 'p')} = {mark(2)} "
            f"AND {_column(alias, Publication, 'status', 'p')} <> {mark(3)} "
            f"AND {_column(alias, Publication, 'first_published_at', 'p')} IS NOT NULL"
        )

    numbered = sql(lambda n: f"${n}")
    name = f"sunlight_decision_page_{hashlib.blake2b(numbered.encode('utf-8'), digest_size=8).hexdigest()}"
    return _DecisionQuery(
        sql=sql(lambda n: "%s"),
        name=name,
        prepare=f"PREPARE {name} AS {numbered}",
        execute=f"EXECUTE {name}(%s, %s, %s)",
        publication=publication,
    )


# PostgreSQL's errors for a prepared statement the session does not have (26000), already has (42P05), or planned
# for tables that have changed since (0A000, "cached plan must not change result type": a migration ran).
_MISSING_STATEMENT, _DUPLICATE_STATEMENT, _STALE_STATEMENT = "26000", "42P05", "0A000"


def _sqlstate(error: BaseException) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


def _prepare_here(conn: Any) -> bool:
    """Whether to run the decision page's query as a prepared statement on this connection (PUB-9): on PostgreSQL,
    unless turned off (a transaction-mode pooler does not keep a session's statements, operator guide 4.2); only on
    a connection kept across requests (CONN_MAX_AGE not 0: otherwise PREPARE would cost every request a round trip
    more and save nothing); and only in autocommit, outside a transaction, where a statement the session has lost
    would abort it (outside, `_execute` runs the plain query instead)."""
    return (
        conn.vendor == "postgresql"
        and settings.SUNLIGHT_DB_PREPARED_STATEMENTS
        and conn.settings_dict.get("CONN_MAX_AGE") != 0
        and not conn.in_atomic_block
        and conn.get_autocommit()
    )


def _execute(*, conn: Any, cursor: Any, query: _DecisionQuery, params: list[Any]) -> None:
    """Run the decision page's query (PUB-9), on PostgreSQL as EXECUTE of a statement prepared once per database
    session when `_prepare_here`.

    Planning the query costs PostgreSQL three times what running it does (0.15 against 0.05 ms), on every request of
    the portal's most requested page; a prepared statement is planned once per session. PREPARE outlives a rolled
    back transaction, so the session remembers it for as long as it lasts. If the session lost it all the same (a
    DISCARD ALL, a pooler handing over another session) or its plan no longer fits the tables (a migration), the
    statement is forgotten (and dropped) and the plain query runs; the next request prepares it again. If the
    session has it already, it is taken as prepared."""
    if not _prepare_here(conn):
        cursor.execute(query.sql, params)
        return
    raw = conn.connection
    prepared: set[str] | None = getattr(raw, "_sunlight_prepared", None)
    if prepared is None:
        prepared = raw._sunlight_prepared = set()
    try:
        if query.name not in prepared:
            try:
                cursor.execute(query.prepare)
            except DatabaseError as error:
                if _sqlstate(error) != _DUPLICATE_STATEMENT:
                    raise
            prepared.add(query.name)
        cursor.execute(query.execute, params)
    except DatabaseError as error:
        sqlstate = _sqlstate(error)
        if sqlstate not in (_MISSING_STATEMENT, _STALE_STATEMENT):
            raise
        prepared.discard(query.name)
        if sqlstate == _STALE_STATEMENT:
            cursor.execute(f"DEALLOCATE {query.name}")
        cursor.execute(query.sql, params)


def public_decision_page(public_id: Any, *, rendering: str) -> tuple[Publication, StoredPage | None]:
    """The publication behind a public decision page and the page stored for it in this rendering (page_cache), if
    any, in one query (PUB-9): read on every request so that a withdrawal, an update or an expiry shows at once. The
    rows of `public_publication`, only the columns of DECISION_PAGE_FIELDS (the version in force and the agency are
    loaded when asked for); NotFound otherwise."""
    key = _uuid(public_id)
    if key is not None:
        alias = router.db_for_read(Publication)
        conn = connections[alias]
        query = _decision_query(alias)
        public = Publication._meta.get_field("public_id").get_db_prep_value(key, conn)
        with conn.cursor() as cursor:
            _execute(conn=conn, cursor=cursor, query=query, params=[rendering, public, PublicationStatus.DRAFT.value])
            row = cursor.fetchone()
        if row is not None:
            publication = cast(Publication, query.publication.instance(alias, list(row[:-3])))
            stored = None if row[-3] is None else cast(StoredPage, tuple(row[-3:]))
            return publication, stored
    raise NotFound.single("publication", "not_found", _("该公示信息不存在。"))


def correction_public(public_id: Any) -> CorrectionRequest:
    """A correction request by its receipt address (the requester's view), or NotFound."""
    key = _uuid(public_id)
    found = (
        CorrectionRequest.objects.filter(public_id=key).select_related("publication", "deadline").first()
        if key
        else None
    )
    if found is None:
        raise NotFound.single("correction", "not_found", _("纠错申请不存在。"))
    return found


def public_history(publication: Publication) -> list[PublicationVersion]:
    """The versions of a publication, first to last (their explanations and hashes are public; the earlier texts are
    not shown on the portal)."""
    return list(publication.versions.order_by("number"))


def latest_withdrawal(publication: Publication) -> Withdrawal | None:
    """The withdrawal of a withdrawn publication."""
    return publication.withdrawals.order_by("-withdrawn_at", "-id").first()


def public_fields(version: PublicationVersion) -> list[tuple[str, str, str]]:
    """(name, label, text) of every published field of a version."""
    return [(name, str(label), version.field(name)) for name, label in PUBLIC_FIELDS]


def decision_dict(publication: Publication) -> dict[str, Any]:
    """A publication as the API and the JSON export publish it: the record in force when published, otherwise
    only its status and the notice (no content)."""
    base: dict[str, Any] = {"id": str(publication.public_id), "status": publication.status}
    if publication.status == PublicationStatus.PUBLISHED and publication.current_version is not None:
        record = dict(publication.current_version.record)
        record.pop("type", None)
        base.update(record)
        base["id"] = str(publication.public_id)
        base["published_hash"] = publication.current_version.published_hash
        base["first_published_at"] = publication.first_published_at
        return base
    if publication.status == PublicationStatus.WITHDRAWN:
        withdrawal = latest_withdrawal(publication)
        base["withdrawn_at"] = publication.withdrawn_at
        base["explanation"] = withdrawal.explanation if withdrawal else ""
        base["document_number"] = publication.document_number
    elif publication.status == PublicationStatus.EXPIRED:
        base["expired_at"] = publication.expired_at
    return base


def exchange_changes(*, since: datetime | None, after: uuid.UUID | None, limit: int) -> list[Publication]:
    """Publications whose public state changed after (since, after), in (changed_at, public_id) order (PUB-12)."""
    qs = Publication.objects.filter(changed_at__isnull=False).select_related("agency", "current_version")
    if since is not None:
        cursor = Q(changed_at__gt=since)
        if after is not None:
            cursor |= Q(changed_at=since, public_id__gt=after)
        qs = qs.filter(cursor)
    return list(qs.order_by("changed_at", "public_id")[:limit])


# --- proofs (item 6) -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryProof:
    """A ledger entry behind a public fact, each hash recomputed, and its inclusion in the latest signed tree head."""

    entry: LedgerEntry
    payload_text: str
    payload_ok: bool
    entry_ok: bool
    leaf_hash: str
    tree_head: TreeHead | None
    signature_ok: bool
    proof: dict[str, Any] | None
    proof_ok: bool
    pending: bool

    @property
    def ok(self) -> bool:
        return self.payload_ok and self.entry_ok and self.proof_ok and self.signature_ok


@dataclass(frozen=True)
class VersionProof:
    """One published version: its record's hash as recomputed and the ledger entry that carries it."""

    version: PublicationVersion
    published_hash: str
    hash_ok: bool
    carried: bool
    entry: EntryProof | None


def entry_proof(seq: int, head: TreeHead | None) -> EntryProof | None:
    """Recompute one entry's hashes and prove it is in the tree of `head` (pending when the head predates it)."""
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        return None
    payload_text = canonical_json(entry.payload).decode("utf-8")
    payload_ok = sha256_hex(payload_text.encode("utf-8")) == entry.payload_hash
    entry_ok = (
        entry_hash_of(
            prev_hash=entry.prev_hash,
            seq=entry.seq,
            stream=entry.stream,
            kind=entry.kind,
            actor=entry.actor,
            at=entry.at,
            payload_hash=entry.payload_hash,
        )
        == entry.entry_hash
    )
    leaf = leaf_of(entry.entry_hash)
    proof = None
    proof_ok = False
    signature_ok = False
    pending = head is None or head.tree_size < seq
    if head is not None and not pending:
        proof = inclusion_proof(seq=seq, tree_size=head.tree_size)
        proof_ok = verify_inclusion(
            leaf=leaf,
            index=seq - 1,
            size=head.tree_size,
            proof=[bytes.fromhex(h) for h in proof["audit_path"]],
            root=bytes.fromhex(head.root_hash),
        )
        signature_ok = tree_head_signature_ok(head)
    return EntryProof(
        entry=entry,
        payload_text=payload_text,
        payload_ok=payload_ok,
        entry_ok=entry_ok,
        leaf_hash=leaf.hex(),
        tree_head=head if not pending else None,
        signature_ok=signature_ok,
        proof=proof,
        proof_ok=proof_ok,
        pending=pending,
    )


@dataclass(frozen=True)
class Verification:
    """What the verify page shows: every version's proof, the withdrawal's, and whether the entry changed."""

    publication: Publication
    versions: list[VersionProof]
    withdrawal: Withdrawal | None
    withdrawal_proof: EntryProof | None
    tree_head: TreeHead | None
    changed: bool
    withdrawn: bool

    @property
    def current(self) -> VersionProof | None:
        return self.versions[-1] if self.versions else None


def verification(publication: Publication) -> Verification:
    """The proofs of a public decision (item 6): published hash → ledger entry → Merkle inclusion → signed head."""
    head = latest_tree_head()
    proofs = []
    for version in public_history(publication):
        recomputed = records.record_hash(version.record)
        proof = entry_proof(version.ledger_seq, head)
        carried = proof is not None and proof.entry.payload.get("published_hash") == version.published_hash
        proofs.append(VersionProof(version, recomputed, recomputed == version.published_hash, carried, proof))
    withdrawal = latest_withdrawal(publication) if publication.status == PublicationStatus.WITHDRAWN else None
    return Verification(
        publication=publication,
        versions=proofs,
        withdrawal=withdrawal,
        withdrawal_proof=entry_proof(withdrawal.ledger_seq, head) if withdrawal else None,
        tree_head=head,
        changed=len(proofs) > 1,
        withdrawn=publication.status == PublicationStatus.WITHDRAWN,
    )


def current_record(publication: Publication) -> PublicationVersion:
    """The version in force, whose record.json anyone may download to recompute its hash (only while published:
    an earlier text may have been replaced precisely because it should not have been public)."""
    version = publication.current_version
    if version is None or publication.status != PublicationStatus.PUBLISHED:
        raise NotFound.single("version", "not_found", _("该版本不存在。"))
    return version
