"""Attribution hops: document D reports statement S, relying on an earlier hop and/or an actor."""

from __future__ import annotations

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from claimtrack.errors import AlreadyExists, InvalidInput
from claimtrack.models import Actor, Document, Hop, Statement
from claimtrack.services.events import record_event, snapshot

#: chains longer than this are treated as broken rather than walked forever
MAX_DEPTH = 1000


def via_chain(session: Session, start_hop_id: int) -> list[tuple[int, int]]:
    """(hop id, document id) of `start_hop_id` and every hop it relies on, nearest first.

    One recursive query; the depth bound stops it even if a cycle was written around us.
    """
    base = select(Hop.id, Hop.via_hop_id, Hop.document_id, literal(0).label("depth")).where(Hop.id == start_hop_id)
    chain = base.cte("chain", recursive=True)
    step = select(Hop.id, Hop.via_hop_id, Hop.document_id, (chain.c.depth + 1).label("depth")).join(
        chain, Hop.id == chain.c.via_hop_id).where(chain.c.depth < MAX_DEPTH)
    chain = chain.union_all(step)
    rows = session.execute(select(chain.c.id, chain.c.document_id, chain.c.depth).order_by(chain.c.depth)).all()
    return [(row.id, row.document_id) for row in rows]


def check_no_cycle(session: Session, *, hop_id: int | None, document_id: int, via_hop_id: int) -> None:
    """Refuse a via link that would make a hop, or a document, cite itself."""
    chain = via_chain(session, via_hop_id)
    for index, (h, d) in enumerate(chain):
        path = " → ".join(f"hop {x}" for x, _ in chain[: index + 1])
        if hop_id is not None and h == hop_id:
            raise InvalidInput(f"hop {hop_id} cannot rely on hop {via_hop_id}: that would make a cycle "
                               f"(hop {hop_id} → {path})")
        if d == document_id:
            raise InvalidInput(
                f"document {document_id} cannot rely on hop {via_hop_id}: the chain {path} already passes "
                f"through document {document_id} (circular citation)")


def add_hop(
    session: Session,
    *,
    document: Document,
    statement: Statement,
    via_hop: Hop | None = None,
    via_actor: Actor | None = None,
    cue: str | None = None,
    quote: str | None = None,
    is_primary: bool = False,
    key: str | None = None,
) -> Hop:
    """Record that `document` reports `statement`, relying on `via_hop` and/or `via_actor`."""
    if is_primary and via_hop is not None:
        raise InvalidInput("a primary hop (the speaker's own words) relies on nothing: drop --via-hop or --primary")
    existing = session.scalar(select(Hop).where(Hop.document_id == document.id, Hop.statement_id == statement.id))
    if existing is not None:
        raise AlreadyExists(f"document {document.id} already reports statement {statement.id} (hop {existing.id})")
    if via_hop is not None:
        if via_hop.statement_id != statement.id:
            raise InvalidInput(
                f"hop {via_hop.id} reports statement {via_hop.statement_id}, not statement {statement.id}; "
                "a hop relies on an earlier report of the same statement")
        check_no_cycle(session, hop_id=None, document_id=document.id, via_hop_id=via_hop.id)
    hop = Hop(key=key, document_id=document.id, statement_id=statement.id, via_hop_id=via_hop.id if via_hop else None,
              via_actor_id=via_actor.id if via_actor else None, cue=cue.strip() if cue and cue.strip() else None,
              quote=quote, is_primary=is_primary)
    session.add(hop)
    session.flush()
    record_event(session, "create", hop)
    return hop


def set_via_hop(session: Session, hop: Hop, via_hop: Hop | None) -> Hop:
    """Change what a hop relies on, refusing cycles."""
    if via_hop is not None:
        if via_hop.id == hop.id:
            raise InvalidInput(f"hop {hop.id} cannot rely on itself")
        if hop.is_primary:
            raise InvalidInput(f"hop {hop.id} is primary (the speaker's own words) and relies on nothing")
        if via_hop.statement_id != hop.statement_id:
            raise InvalidInput(f"hop {via_hop.id} reports statement {via_hop.statement_id}, not statement "
                               f"{hop.statement_id}; a hop relies on an earlier report of the same statement")
        check_no_cycle(session, hop_id=hop.id, document_id=hop.document_id, via_hop_id=via_hop.id)
    before = snapshot(hop)
    hop.via_hop_id = via_hop.id if via_hop else None
    session.flush()
    record_event(session, "update", hop, before=before)
    return hop
