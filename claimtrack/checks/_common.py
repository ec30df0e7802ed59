"""What the rules share: scoping a query to a claim or a document, and readable labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.checks import ObjectRef, Scope
from claimtrack.models import Hop, Statement
from claimtrack.queries.live import live_statement, retired_document_ids

#: a quote or claim text is cut to this many characters inside a message
SNIPPET = 80
#: at most this many ids are bound in one statement (PostgreSQL takes 65,535 parameters, SQLite
#: 32,766 unless built otherwise): a list of ids that grows with the database goes in chunks, and a
#: whole-database scope is a join or a subquery in SQL, never a list of ids from Python
CHUNK = 5000


# cached: one claim text is cut for every statement of the claim (two or three times each), and
# cutting (split + join) was the largest Python cost of a whole-database audit
@lru_cache(maxsize=1 << 16)
def snippet(text: str | None, limit: int = SNIPPET) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def scope_statements(query: Any, scope: Scope) -> Any:
    """Limit a query over `Statement` to the scope; withdrawn statements, and statements about a
    retracted, deprecated or merged claim, are never audited."""
    query = query.where(live_statement())
    if scope.claim_id is not None:
        query = query.where(Statement.claim_id == scope.claim_id)
    if scope.claim_ids is not None:
        query = query.where(Statement.claim_id.in_(sorted(scope.claim_ids)))
    if scope.document_id is not None:
        query = query.where(Statement.id.in_(select(Hop.statement_id).where(Hop.document_id == scope.document_id)))
    if scope.statement_id is not None:
        query = query.where(Statement.id == scope.statement_id)
    if scope.hop_id is not None:
        query = query.where(Statement.id.in_(select(Hop.statement_id).where(Hop.id == scope.hop_id)))
    return query


def scope_hops(query: Any, scope: Scope) -> Any:
    """Limit a query over `Hop` (joined to its `Statement`) to the scope; retired hops, hops in
    retired documents and hops of retired statements are never audited."""
    query = query.where(live_statement(), Hop.status == "normal", Hop.document_id.not_in(retired_document_ids()))
    if scope.claim_id is not None:
        query = query.where(Statement.claim_id == scope.claim_id)
    if scope.claim_ids is not None:
        query = query.where(Statement.claim_id.in_(sorted(scope.claim_ids)))
    if scope.document_id is not None:
        query = query.where(Hop.document_id == scope.document_id)
    if scope.statement_id is not None:
        query = query.where(Hop.statement_id == scope.statement_id)
    if scope.hop_id is not None:
        query = query.where(Hop.id == scope.hop_id)
    return query


def relies_on_no_hop(scope: Scope) -> Any:
    """`via_hop_id IS NULL`; in a narrowed scope written so no index can serve it: without
    statistics SQLite otherwise starts from every hop that relies on none (half of them) instead of
    from the few statements in scope (0.8 s instead of milliseconds for one claim at 200k)."""
    if scope.whole:
        return Hop.via_hop_id.is_(None)
    return func.coalesce(Hop.via_hop_id, 0) == 0


def who(speaker: str | None, descriptor: str | None) -> str:
    if speaker:
        return speaker
    if descriptor:
        return f'"{descriptor}"'
    return "the reporter"


def document_label(document_id: int, outlet: str | None, title: str | None) -> str:
    """ "The New Indian Express (document 3)" — the outlet a fact-checker recognizes, and the id."""
    name = outlet or (f'"{snippet(title, 60)}"' if title else None)
    return f"{name} (document {document_id})" if name else f"document {document_id}"


def statement_ref(statement_id: int, speaker: str | None, descriptor: str | None, claim_text: str | None) -> ObjectRef:
    return ObjectRef("statement", statement_id, f"{who(speaker, descriptor)}: {snippet(claim_text, 60)}")


def claim_ref(claim_id: int, text: str | None) -> ObjectRef:
    return ObjectRef("claim", claim_id, snippet(text, 60))


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """`ids`, sorted and without repeats, at most `CHUNK` at a time."""
    items = sorted(set(ids))
    size = CHUNK  # read at call time (a test makes it small)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def in_chunks(session: Session, query: Any, column: Any, ids: Iterable[int]) -> Iterator[Any]:
    """The rows of `query` for `ids` (`column IN` a chunk of them at a time: bound-parameter limits)."""
    for chunk in chunks(ids):
        yield from session.execute(query.where(column.in_(chunk)))
