"""What an audit must look at again after some events: the claims whose findings may have changed.

Every audit problem belongs to one claim (its key names a statement, a hop or a claim, and
statements and hops belong to a claim), and every rule's findings for a claim depend only on
that claim's statements and hops, the documents and actors they name, and the hops their chains
run through. So the events after a mark name the rows that changed, and from those rows this
module derives the claims to re-check:

- statement → its claim (before and after an edit); hop → its statement, and every hop of that
  statement (a hop linked by name only counts with another hop of its statement);
- document (or a stored text of it) → its hops; actor → the statements it spoke, the hops relying on it, the hops in the
  documents it published; claim → itself; acknowledgement → the object its problem key names;
- import → the rows in its id ranges;
- then every hop that relies, directly or through other hops, on a changed hop (a chain's
  origin, time order and quote drift follow the via_hop links, which may cross statements).

Events of a type this module does not know (a newer kind of record) make it give up and return
None: the caller then audits everything, which is always correct.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from claimtrack.checks import scope_for_key
from claimtrack.checks._common import chunks
from claimtrack.models import Document, Event, Hop, Statement

#: more changed claims than this and a whole audit is cheaper than a scoped one
MAX_CLAIMS = 5_000
#: event types whose rows no audit rule reads
IRRELEVANT = frozenset({"verdict", "claim_relation", "affiliation", "external_id", "actor_alias", "suggestion"})
_MAX_DEPTH = 1000


@dataclass
class Changes:
    """Row ids named by a run of events, per table."""

    claims: set[int] = field(default_factory=set)
    statements: set[int] = field(default_factory=set)
    hops: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    actors: set[int] = field(default_factory=set)
    #: (table, first id, last id) of imported rows
    ranges: list[tuple[str, int, int]] = field(default_factory=list)


def head_event_id(session: Session) -> int:
    """The id of the newest event (0 when the log is empty)."""
    return session.execute(select(func.max(Event.id))).scalar() or 0


def changed_claims(session: Session, after_event_id: int, up_to: int | None = None) -> set[int] | None:
    """The claims whose audit findings the events after `after_event_id` (up to `up_to`) may
    have changed, or None when only a whole audit can tell (unknown events, too many claims)."""
    found = changed(session, after_event_id, up_to)
    return None if found is None else found[0]


def changed(session: Session, after_event_id: int, up_to: int | None = None) -> tuple[set[int], set[int]] | None:
    """(claims, documents) whose findings the events after `after_event_id` may have changed:
    the documents for the rules about a document itself (unfindable-document); None as above."""
    query = select(Event.object_type, Event.object_id, Event.before, Event.after).where(Event.id > after_event_id)
    if up_to is not None:
        query = query.where(Event.id <= up_to)
    changes = collect(session.execute(query.order_by(Event.id)))
    if changes is None:
        return None
    return resolve(session, changes)


def collect(events: Iterable[Any]) -> Changes | None:
    """The row ids that (object_type, object_id, before, after) events name; None for an unknown type."""
    changes = Changes()
    into = {"claim": changes.claims, "statement": changes.statements, "hop": changes.hops,
            "document": changes.documents, "actor": changes.actors}
    for object_type, object_id, before, after in events:
        if object_type in IRRELEVANT:
            continue
        states = [json.loads(text) for text in (before, after) if text]
        if object_type == "import":
            for state in states:
                for table, span in (state.get("id_ranges") or {}).items():
                    if span:
                        changes.ranges.append((table, int(span[0]), int(span[1])))
            continue
        if object_type == "snapshot":  # a document's stored text: what quote-not-in-document reads
            for state in states:
                if isinstance(state.get("document_id"), int):
                    changes.documents.add(state["document_id"])
            continue
        if object_type == "acknowledgement":
            for state in states:
                scope = scope_for_key(str(state.get("problem_key", "")))
                if scope is None or scope.whole:  # a whole import's finding: audit everything
                    return None
                if scope.claim_id is not None:
                    changes.claims.add(scope.claim_id)
                if scope.statement_id is not None:
                    changes.statements.add(scope.statement_id)
                if scope.hop_id is not None:
                    changes.hops.add(scope.hop_id)
            continue
        target = into.get(object_type)
        if target is None:
            return None
        if object_id is not None:
            target.add(object_id)
        for state in states:
            _named_in(state, target, changes, into)
    return changes


def _named_in(state: Any, own: set[int], changes: Changes, into: dict[str, set[int]]) -> None:
    """Ids an event's before/after names besides its object: the claim or statement a row
    belonged to, the other side of a merge, the rows a merge moved."""
    if not isinstance(state, dict):
        return
    for name, target in (("claim_id", changes.claims), ("statement_id", changes.statements)):
        value = state.get(name)
        if isinstance(value, int):
            target.add(value)
    for name in ("survivor_id", "merged_id", "merged_into_id"):
        value = state.get(name)
        if isinstance(value, int):
            own.add(value)
    moved = state.get("moved")
    if isinstance(moved, dict):
        for label, ids in moved.items():
            rows = into.get(str(label).split(".")[0].removesuffix("s"))
            if rows is not None and isinstance(ids, list):
                rows.update(i for i in ids if isinstance(i, int))


def resolve(session: Session, changes: Changes) -> tuple[set[int], set[int]] | None:
    """The claims behind the changed rows (see the module docstring) and the changed documents
    (named by an event, an import, or an actor that published them), or None when too many."""
    claims = set(changes.claims)
    statements = set(changes.statements)
    hops = set(changes.hops)
    documents = set(changes.documents)
    for table, first, last in changes.ranges:
        if last - first + 1 > MAX_CLAIMS * 20:
            return None  # a bulk import: the whole audit is the cheaper answer
        ids = set(range(first, last + 1))
        {"claims": claims, "statements": statements, "hops": hops, "documents": documents}.get(table, set()).update(ids)
    for actors in chunks(changes.actors):
        statements.update(_ids(session, select(Statement.id), or_(Statement.speaker_id.in_(actors),
                                                                   Statement.on_behalf_of_id.in_(actors))))
        hops.update(_ids(session, select(Hop.id), Hop.via_actor_id.in_(actors)))
        documents.update(_ids(session, select(Document.id), Document.outlet_id.in_(actors)))
    for chunk in chunks(documents):
        hops.update(session.scalars(select(Hop.id).where(Hop.document_id.in_(chunk))))
    for chunk in chunks(hops):
        statements.update(session.scalars(select(Hop.statement_id).where(Hop.id.in_(chunk))))
    # every hop of those statements: a hop linked by name only counts with another hop of its
    # statement (the intermediary's report, the speaker's own words), and so do the hops relying on it
    for chunk in chunks(statements):
        hops.update(session.scalars(select(Hop.id).where(Hop.statement_id.in_(chunk))))
    hops = _relying_on(session, hops)
    for chunk in chunks(hops):
        statements.update(session.scalars(select(Hop.statement_id).where(Hop.id.in_(chunk))))
    for chunk in chunks(statements):
        claims.update(session.scalars(select(Statement.claim_id).where(Statement.id.in_(chunk))))
        if len(claims) > MAX_CLAIMS:
            return None
    if len(claims) > MAX_CLAIMS or len(documents) > MAX_CLAIMS:
        return None
    return claims, documents


def _relying_on(session: Session, hop_ids: set[int]) -> set[int]:
    """`hop_ids` and every hop whose via_hop chain passes through one of them."""
    found = set(hop_ids)
    hops = Hop.__table__
    for chunk in chunks(hop_ids):
        walk = select(hops.c.id, literal(0).label("depth")).where(hops.c.id.in_(chunk)).cte("relying", recursive=True)
        walk = walk.union_all(
            select(hops.c.id, walk.c.depth + 1).select_from(hops.join(walk, hops.c.via_hop_id == walk.c.id))
            .where(walk.c.depth < _MAX_DEPTH)
        )
        found.update(session.scalars(select(walk.c.id).distinct()))
    return found


def _ids(session: Session, query: Any, condition: Any) -> list[int]:
    return list(session.scalars(query.where(condition)))

