"""Rules about what a record lacks: a source, a findable document, a date, the original wording."""

from __future__ import annotations

import json
from itertools import compress
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope
from claimtrack.checks._common import (
    claim_ref,
    document_label,
    in_chunks,
    scope_statements,
    snippet,
    statement_ref,
)
from claimtrack.models import Actor, Claim, Document, Event, Hop, Statement
from claimtrack.queries.live import NORMAL, live_document, retired_document_ids

#: an import with more unsourced statements than this gets one grouped finding
GROUP_OVER = 20


def _import_ranges(session: Session) -> list[tuple[int, str, int, int]]:
    """(event id, file, first, last statement id) of every import event."""
    ranges = []
    for event_id, after in session.execute(select(Event.id, Event.after).where(Event.action == "import")):
        try:
            data = json.loads(after) if after else {}
        except ValueError:
            continue
        span = (data.get("id_ranges") or {}).get("statements") if isinstance(data, dict) else None
        if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
            ranges.append((event_id, str(data.get("file") or data.get("path") or "an import"), span[0], span[1]))
    return ranges


def _live_hop_of_statement(*conditions: Any) -> Any:
    """EXISTS a live hop (meeting `conditions`) of the statement of the enclosing query.

    Correlated, not `Statement.id IN (SELECT statement_id FROM hops …)`: SQLite builds such a set
    from every hop (1.8 M at 1M statements) before a narrowed audit looks at its few statements;
    this probes ix_hops_statement_id per statement in scope. The enclosing statement is live
    (scope_statements), so the hop's statement need not be checked again (`live_hop()` would
    scan every statement for the retired ones)."""
    return exists().where(Hop.statement_id == Statement.id, Hop.status == NORMAL,
                          Hop.document_id.not_in(retired_document_ids()), *conditions)


def no_source(session: Session, scope: Scope) -> list[Problem]:
    """A statement reported in no (live) document: nobody can check where it was said.

    An import that brought many such statements gives one finding with the count, not thousands."""
    reported = _live_hop_of_statement()
    speaker = aliased(Actor)
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, speaker.name, Statement.speaker_descriptor)
        .join(Claim, Claim.id == Statement.claim_id).outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where(~reported).order_by(Statement.id),
        scope,
    )
    if scope.whole:  # only the statements the shared hop table shows no live hop for
        rows = list(in_chunks(session, query, Statement.id, _unreported(session)))
    else:
        rows = list(session.execute(query))
    problems: list[Problem] = []
    grouped: set[int] = set()
    for event_id, file, first, last in _import_ranges(session):
        inside = [r for r in rows if first <= r[0] <= last]
        if len(inside) > GROUP_OVER:
            grouped.update(r[0] for r in inside)
            problems.append(Problem(
                "no-source", "warning",
                f"{len(inside):,} statements imported from {file} (import event {event_id}) are reported in no "
                "document: log where each was said, or accept the import as unsourced.",
                [ObjectRef("statement", r[0], None) for r in inside[:5]], f"no-source:import:{event_id}",
                {"count": len(inside), "import_event": event_id}))
    for sid, claim_id, text, name, descriptor in rows:
        if sid in grouped:
            continue
        problems.append(Problem(
            "no-source", "warning",
            f"Statement {sid} is reported in no document: log where it was said or reported "
            "(`claimtrack log --statement ID --url …`).",
            [statement_ref(sid, name, descriptor, text), claim_ref(claim_id, text)], f"no-source:statement:{sid}"))
    return problems


def _unreported(session: Session) -> list[int]:
    """Ids up to the highest statement id that no live hop in a live document reports (a
    superset of the unsourced statements: the query then checks each)."""
    from claimtrack.checks._hoptable import hop_table

    hops = hop_table(session)
    reported = bytearray((session.scalar(select(func.max(Statement.id))) or 0) + 1)
    live, document, statement, normal = hops.live, hops.document, hops.statement, hops.normal
    for hop_id in compress(range(len(normal)), normal):
        if live[document[hop_id]]:
            reported[statement[hop_id]] = 1
    reported[0] = 1
    return list(compress(range(len(reported)), reported.translate(_NOT)))


_NOT = bytes([1]) + bytes(255)


def unfindable_document(session: Session, scope: Scope) -> list[Problem]:
    """A document with neither a URL nor an archived copy: nobody can read it again."""
    outlet = aliased(Actor)
    query = (select(Document.id, outlet.name, Document.title).outerjoin(outlet, outlet.id == Document.outlet_id)
             .where(Document.url.is_(None), Document.archive_url.is_(None), live_document()).order_by(Document.id))
    if scope.document_id is not None:
        rows = list(session.execute(query.where(Document.id == scope.document_id)))
    elif scope.document_ids is not None:
        rows = list(in_chunks(session, query, Document.id, scope.document_ids))
    elif not scope.whole:
        return []
    else:
        rows = list(session.execute(query))
    return [Problem("unfindable-document", "info",
                    f"{document_label(doc_id, name, title)} has neither a URL nor an archived copy: "
                    "add one (`document edit ID --url …` or `--archive-url …`) so it can be read again.",
                    [ObjectRef("document", doc_id, document_label(doc_id, name, title))],
                    f"unfindable-document:document:{doc_id}")
            for doc_id, name, title in rows]


def undated_statement(session: Session, scope: Scope) -> list[Problem]:
    """A statement with no date said: it cannot be ordered, nor checked against what reports it."""
    speaker = aliased(Actor)
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, speaker.name, Statement.speaker_descriptor)
        .join(Claim, Claim.id == Statement.claim_id).outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where(Statement.said_on.is_(None), Statement.speaker_id.is_not(None)).order_by(Statement.id),
        scope,
    )
    return [Problem("undated-statement", "info",
                    f"Statement {sid} has no date said: give it at the precision known "
                    "(`statement edit ID --said 2021-07` or `~2021`).",
                    [statement_ref(sid, name, descriptor, text), claim_ref(claim_id, text)],
                    f"undated-statement:statement:{sid}")
            for sid, claim_id, text, name, descriptor in session.execute(query)]


def translated_quote(session: Session, scope: Scope) -> list[Problem]:
    """A direct quote known only from translations, with no original wording recorded."""
    in_original = _live_hop_of_statement(Hop.document.has(Document.kind != "translation"))
    in_translation = _live_hop_of_statement(Hop.document.has(Document.kind == "translation"))
    speaker = aliased(Actor)
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, speaker.name, Statement.speaker_descriptor,
               Statement.quote)
        .join(Claim, Claim.id == Statement.claim_id).outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where(Statement.quote_kind == "direct", Statement.original_text.is_(None),
               in_translation, ~in_original).order_by(Statement.id),
        scope,
    )
    if scope.whole:  # start from the translations (few, often none) instead of every direct quote
        query = query.where(Statement.id.in_(select(Hop.statement_id).join(Document, Document.id == Hop.document_id)
                                             .where(Document.kind == "translation")))
    return [Problem("translated-quote", "warning",
                    f"Statement {sid} quotes \u201c{snippet(quote)}\u201d directly, but it is known only from a "
                    "translation: the words are the translator's. Record the original wording "
                    "(`statement edit ID --original …`) or mark the quote indirect.",
                    [statement_ref(sid, name, descriptor, text), claim_ref(claim_id, text)],
                    f"translated-quote:statement:{sid}")
            for sid, claim_id, text, name, descriptor, quote in session.execute(query)]

