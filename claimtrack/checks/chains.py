"""Rules about where statements come from: chains that stop short and circles (echoes: checks/echo.py)."""

from __future__ import annotations

from itertools import compress, groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope
from claimtrack.checks._common import (
    chunks,
    claim_ref,
    document_label,
    relies_on_no_hop,
    scope_hops,
    scope_statements,
    snippet,
    statement_ref,
    who,
)
from claimtrack.checks.echo import (
    CARRYING_STANCES,
    MAX_DEPTH,
    echo,
    linked_by_name_only,
    origin_counts,
)
from claimtrack.models import Actor, Claim, Document, Hop, Statement

__all__ = ["CARRYING_STANCES", "circular_citation", "echo", "find_cycles", "linked_by_name_only",
           "no_primary_source", "origin_counts"]


# ----------------------------------------------------------------------------- no primary source


def no_primary_source(session: Session, scope: Scope) -> list[Problem]:
    """A statement whose chains end at an intermediary and none reaches the speaker's own words.

    A chain ends where a hop relies on no logged hop. It reached the origin when that hop is
    primary; it stopped short when the hop names an intermediary ("AFP", "local media") that
    nobody logged. A hop that relies on nothing at all is first-hand reporting, not a gap.
    """
    via = aliased(Actor)
    outlet = aliased(Actor)
    speaker = aliased(Actor)
    primary = aliased(Hop)
    has_primary = (select(primary.id).where(primary.statement_id == Statement.id, primary.is_primary.is_(True))
                   .correlate(Statement).exists())
    query = scope_statements(
        select(Statement.id, Statement.claim_id, Claim.text, speaker.name, Statement.speaker_descriptor,
               Statement.channel, Hop.id, via.name, Document.id, outlet.name, Document.title)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(Hop, Hop.statement_id == Statement.id)
        .join(via, via.id == Hop.via_actor_id)
        .join(Document, Document.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == Document.outlet_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where(relies_on_no_hop(scope), Hop.is_primary.is_(False), ~has_primary)
        # the reporter's own voice has no "own words" to reach: `unattributed` covers it
        .where((Statement.speaker_id.is_not(None)) | (Statement.speaker_descriptor.is_not(None)))
        .order_by(Statement.id, Hop.id),
        scope,
    )
    # rows come ordered by statement: group them as they stream; the sentence is built when read
    problems = []
    for sid, group in groupby(session.execute(query), key=itemgetter(0)):
        rows = list(group)
        _, claim_id, text, speaker_name, descriptor, channel = rows[0][:6]
        ends = [tuple(row[6:]) for row in rows]
        problems.append(Problem.lazy("no-primary-source", "warning", f"no-primary-source:statement:{sid}",
                                     _no_primary_parts, sid, claim_id, text, speaker_name, descriptor, channel, ends))
    return problems


def _no_primary_parts(sid: int, claim_id: int, text: str | None, speaker_name: str | None, descriptor: str | None,
                      channel: str | None, raw_ends: list[tuple[Any, ...]]) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    ends = [(hop_id, via_name, document_label(doc_id, outlet_name, title), doc_id)
            for hop_id, via_name, doc_id, outlet_name, title in raw_ends]
    where = "; ".join(f"{doc} got it from {via_name}" for _, via_name, doc, _ in ends[:3])
    if len(ends) > 3:
        where += f"; and {len(ends) - 3} more"
    hint = (f"Log the {channel} original and mark its hop primary." if channel
            else "Find and log the original (post, transcript, press release) and mark its hop primary.")
    objects = [statement_ref(sid, speaker_name, descriptor, text), claim_ref(claim_id, text)]
    objects += [ObjectRef("hop", hop_id, f"{doc} via {via_name}") for hop_id, via_name, doc, _ in ends]
    message = (f'Statement {sid} ({who(speaker_name, descriptor)}: "{snippet(text)}") never reaches the speaker\'s '
               f"own words: {where}, and nothing earlier is logged. {hint}")
    details = {"ends": [{"hop": hop_id, "intermediary": via_name, "document": doc_id}
                        for hop_id, via_name, _, doc_id in ends]}
    return message, objects, details


# ----------------------------------------------------------------------------- circular citation


def _in_scope_hops(session: Session, scope: Scope) -> set[int] | None:
    if scope.whole:
        return None
    return set(session.scalars(scope_hops(select(Hop.id).join(Statement, Statement.id == Hop.statement_id), scope)))


def find_cycles(edges: dict[int, int | None]) -> list[list[int]]:
    """Cycles of a graph where each node relies on at most one other (hop -> via_hop).

    Linear time: each node is walked once; a walk that runs into its own trail found a cycle.
    Each cycle is returned once, starting from its smallest id.
    """
    state: dict[int, int] = {}  # 1 = on the current walk, 2 = done
    cycles: list[list[int]] = []
    for start in edges:
        if start in state:
            continue
        trail: list[int] = []
        node: int | None = start
        while node is not None and node not in state:
            state[node] = 1
            trail.append(node)
            node = edges.get(node)
        if node is not None and state.get(node) == 1:
            cycle = trail[trail.index(node):]
            turn = cycle.index(min(cycle))
            cycles.append(cycle[turn:] + cycle[:turn])
        for visited in trail:
            state[visited] = 2
    return sorted(cycles)


def circular_citation(session: Session, scope: Scope) -> list[Problem]:
    """Hops that rely on each other in a circle (A cites B cites A): none of them is an origin."""
    wanted = _in_scope_hops(session, scope)
    if wanted is None:
        # the whole citation graph from the hop table the audit shares (ids only: it fits in
        # memory at a million hops)
        from claimtrack.checks._hoptable import hop_table

        via = hop_table(session).via
        edges: dict[int, int | None] = {hop: via[hop] for hop in compress(range(len(via)), via)}
    else:
        # a hop is on a circle only if following its via_hop links comes back to it: the links
        # reachable from the hops in scope hold every circle through them
        edges = _links_from(session, wanted)
    cycles = find_cycles(edges)
    if wanted is not None:
        cycles = [c for c in cycles if wanted.intersection(c)]
    if not cycles:
        return []
    ids = {h for cycle in cycles for h in cycle}
    outlet = aliased(Actor)
    labels: dict[int, tuple[int, str]] = {}
    for chunk in chunks(ids):
        rows = session.execute(
            select(Hop.id, Document.id, outlet.name, Document.title)
            .join(Document, Document.id == Hop.document_id)
            .outerjoin(outlet, outlet.id == Document.outlet_id)
            .where(Hop.id.in_(chunk))
        )
        for hop_id, doc_id, outlet_name, title in rows:
            labels[hop_id] = (doc_id, document_label(doc_id, outlet_name, title))
    problems = []
    for cycle in cycles:
        names = [labels[h][1] for h in cycle]
        circle = " → ".join([*names, names[0]])
        objects = [ObjectRef("hop", h, labels[h][1]) for h in cycle]
        objects += [ObjectRef("document", doc, name) for doc, name in dict.fromkeys(labels[h] for h in cycle)]
        problems.append(Problem(
            "circular-citation", "error",
            f"Circular citation: {circle}. Each relies on the next and none is the origin; "
            "find where the statement first appeared and fix the hop that points the wrong way.",
            objects, "circular-citation:hop:" + ",".join(str(h) for h in sorted(cycle)),
            {"hops": cycle},
        ))
    return problems


def _links_from(session: Session, hop_ids: set[int]) -> dict[int, int | None]:
    """hop -> via_hop for the given hops and every hop their via_hop links lead to."""
    hops = Hop.__table__
    edges: dict[int, int | None] = {}
    for chunk in chunks(hop_ids):
        start = select(hops.c.id, hops.c.via_hop_id, literal(0).label("depth")).where(hops.c.id.in_(chunk))
        walk = start.cte("via_links", recursive=True)
        walk = walk.union_all(
            select(hops.c.id, hops.c.via_hop_id, walk.c.depth + 1)
            .select_from(hops.join(walk, hops.c.id == walk.c.via_hop_id))
            .where(walk.c.depth < MAX_DEPTH)
        )
        for hop_id, via in session.execute(select(walk.c.id, walk.c.via_hop_id)):
            edges[hop_id] = via
    return {hop: via for hop, via in edges.items() if via is not None}
