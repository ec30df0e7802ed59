"""Rules about where statements come from: chains that stop short, circles, and echoes."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import case, distinct, func, literal, select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope
from claimtrack.checks._common import (
    claim_ref,
    document_label,
    scope_hops,
    scope_statements,
    snippet,
    statement_ref,
    who,
)
from claimtrack.models import Actor, Claim, Document, Hop, Statement

#: the stances under which a document's hop counts as support for the claim, for echo counting
CARRYING_STANCES = ("asserts", "confirms", "reports")

_CHUNK = 5000


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


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
        .where(_relies_on_no_hop(scope), Hop.is_primary.is_(False), ~has_primary)
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


def _relies_on_no_hop(scope: Scope) -> Any:
    """`via_hop_id IS NULL`; in a narrowed scope written so no index can serve it: without
    statistics SQLite otherwise starts from every hop that relies on none (half of them) instead of
    from the few statements in scope (0.8 s instead of milliseconds for one claim at 200k)."""
    if scope.whole:
        return Hop.via_hop_id.is_(None)
    return func.coalesce(Hop.via_hop_id, 0) == 0


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
        # one query for the whole citation graph: ids only, so it fits in memory at a million hops
        edges = {hop: via for hop, via in session.execute(select(Hop.id, Hop.via_hop_id)
                                                           .where(Hop.via_hop_id.is_not(None)))}
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
    for chunk in _chunks(ids):
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
    for chunk in _chunks(hop_ids):
        start = select(hops.c.id, hops.c.via_hop_id, literal(0).label("depth")).where(hops.c.id.in_(chunk))
        walk = start.cte("via_links", recursive=True)
        walk = walk.union_all(
            select(hops.c.id, hops.c.via_hop_id, walk.c.depth + 1)
            .select_from(hops.join(walk, hops.c.id == walk.c.via_hop_id))
            .where(walk.c.depth < _MAX_DEPTH)
        )
        for hop_id, via in session.execute(select(walk.c.id, walk.c.via_hop_id)):
            edges[hop_id] = via
    return {hop: via for hop, via in edges.items() if via is not None}


# ----------------------------------------------------------------------------- echo


#: a chain longer than this is treated as a circle (no origin); real chains are a few hops deep
_MAX_DEPTH = 1000


def _terminal_walk(scope: Scope) -> Any:
    """(claim, start document, hop on its chain, depth) rows for every carrying hop in scope.

    A recursive CTE that carries the start hop's claim and document along, so the end of the
    walk needs no second lookup of the start hop and its statement. UNION ALL with a depth bound
    rather than UNION: each hop relies on at most one other, so a walk never meets itself except
    in a circle, and a circle (which has no origin anyway) stops at the bound instead of being
    deduplicated row by row (the dedup was most of this query's time on PostgreSQL).
    """
    hops = Hop.__table__
    st = Statement.__table__
    start = (
        select(st.c.claim_id.label("claim_id"), hops.c.document_id.label("start_doc"),
               hops.c.id.label("cur_id"), literal(0).label("depth"))
        .select_from(hops.join(st, st.c.id == hops.c.statement_id))
        .where(st.c.stance.in_(CARRYING_STANCES), st.c.status == "normal")
    )
    if scope.claim_id is not None:
        start = start.where(st.c.claim_id == scope.claim_id)
    if scope.claim_ids is not None:
        start = start.where(st.c.claim_id.in_(sorted(scope.claim_ids)))
    if scope.document_id is not None:
        carried = (select(st.c.claim_id).select_from(st.join(hops, hops.c.statement_id == st.c.id))
                   .where(hops.c.document_id == scope.document_id))
        start = start.where(st.c.claim_id.in_(carried))
    walk = start.cte("echo_walk", recursive=True)
    walk = walk.union_all(
        select(walk.c.claim_id, walk.c.start_doc, hops.c.via_hop_id, walk.c.depth + 1)
        .select_from(walk.join(hops, hops.c.id == walk.c.cur_id))
        .where(hops.c.via_hop_id.is_not(None), walk.c.depth < _MAX_DEPTH)
    )
    return walk


def _origin_of(end_hop: Any) -> Any:
    """The origin of a chain ending at `end_hop`: minus the intermediary's id, or the document's."""
    return case(
        ((end_hop.via_actor_id.is_not(None)) & (end_hop.is_primary.is_(False)), -end_hop.via_actor_id),
        else_=end_hop.document_id,
    )


def _ends_backward(scope: Scope) -> Any:
    """(claim, start document, origin) per carrying hop in scope, walking back from each hop."""
    walk = _terminal_walk(scope)
    end_hop = aliased(Hop)
    return (
        select(walk.c.claim_id, walk.c.start_doc, _origin_of(end_hop).label("origin"))
        .select_from(walk)
        .join(end_hop, end_hop.id == walk.c.cur_id)
        .where(end_hop.via_hop_id.is_(None))
        .subquery("echo_ends")
    )


def _ends_forward() -> Any:
    """The same rows for the whole database, walking forward from every chain's end.

    Each hop is visited once (a chain of depth d costs d rows, not d(d+1)/2 as walking back
    from each of its hops does), through the `hops.via_hop_id` index. A hop in a circle is never
    reached from an end, so it has no origin, exactly as in the backward walk; and since every
    hop relies on at most one other, the walk cannot loop. Only for the whole database: a scoped
    audit starts from the few hops in scope instead.
    """
    hops = Hop.__table__
    st = Statement.__table__
    end_hop = aliased(Hop)
    walk = (
        select(end_hop.id.label("hop_id"), _origin_of(end_hop).label("origin"))
        .where(end_hop.via_hop_id.is_(None))
        .cte("echo_forward", recursive=True)
    )
    walk = walk.union_all(
        select(hops.c.id, walk.c.origin).select_from(walk.join(hops, hops.c.via_hop_id == walk.c.hop_id))
    )
    return (
        select(st.c.claim_id.label("claim_id"), hops.c.document_id.label("start_doc"), walk.c.origin)
        .select_from(walk.join(hops, hops.c.id == walk.c.hop_id).join(st, st.c.id == hops.c.statement_id))
        .where(st.c.stance.in_(CARRYING_STANCES), st.c.status == "normal")
        .subquery("echo_ends")
    )


def _origin_query(scope: Scope) -> Any:
    """Per claim: carrying documents, independent origins, relaying documents, and one origin.

    One integer stands for each origin: a document id, or minus an intermediary actor's id.
    "Relaying" documents are the carrying documents other than the origin document itself: the
    speaker's own post plus one article quoting it is one relay, not an echo chamber.
    """
    narrowed = scope.claim_id is not None or scope.document_id is not None or scope.claim_ids is not None
    ends = _ends_backward(scope) if narrowed else _ends_forward()
    relaying = case((ends.c.start_doc != ends.c.origin, ends.c.start_doc), else_=None)
    documents = func.count(distinct(ends.c.start_doc))
    origins = func.count(distinct(ends.c.origin))
    return (
        select(
            ends.c.claim_id.label("claim_id"),
            documents.label("documents"),
            origins.label("origins"),
            func.count(distinct(relaying)).label("relaying"),
            func.min(ends.c.origin).label("an_origin"),
        )
        .group_by(ends.c.claim_id)
    ), documents > origins


def echo(session: Session, scope: Scope) -> list[Problem]:
    """Per claim: how many independent origins its supporting documents trace back to.

    The origin of a document's hop is where its chain ends: the primary or first-hand document
    at the end, or the intermediary when the chain stops at one nobody logged (five outlets
    "citing AFP" are one origin: AFP). Hops in a circle have no origin and are left out.
    A claim is a warning when two or more documents relay one single origin (it looks
    corroborated and is not); an info line gives the counts whenever there are echoes.
    """
    query, has_echoes = _origin_query(scope)
    rows = session.execute(query.having(has_echoes)).all()
    if not rows:
        return []
    claims = dict(_fetch(session, select(Claim.id, Claim.text), Claim.id, [r.claim_id for r in rows]))
    single = [r.an_origin for r in rows if r.origins == 1]
    outlet = aliased(Actor)
    doc_labels = {}
    for doc_id, outlet_name, title in _fetch(
        session, select(Document.id, outlet.name, Document.title).outerjoin(outlet, outlet.id == Document.outlet_id),
        Document.id, [o for o in single if o > 0],
    ):
        doc_labels[doc_id] = (f'{outlet_name}, "{snippet(title, 60)}" (document {doc_id})' if outlet_name and title
                              else document_label(doc_id, outlet_name, title))
    actor_names = dict(_fetch(session, select(Actor.id, Actor.name), Actor.id, [-o for o in single if o < 0]))
    problems = []
    for row in rows:
        text = claims.get(row.claim_id)
        echoes = row.documents - row.origins
        details: dict[str, Any] = {"documents": row.documents, "independent_origins": row.origins,
                                   "echoes": echoes, "relaying_documents": row.relaying}
        objects = [claim_ref(row.claim_id, text)]
        if row.origins == 1:
            if row.an_origin > 0:
                label = doc_labels.get(row.an_origin, f"document {row.an_origin}")
                objects.append(ObjectRef("document", row.an_origin, label))
                details["origin"] = {"type": "document", "id": row.an_origin, "label": label}
            else:
                label = actor_names.get(-row.an_origin, f"actor {-row.an_origin}")
                objects.append(ObjectRef("actor", -row.an_origin, label))
                details["origin"] = {"type": "actor", "id": -row.an_origin, "label": label}
            counts = f"1 independent origin, {echoes} echo{'es' if echoes != 1 else ''}"
            if row.relaying >= 2:
                problems.append(Problem(
                    "echo", "warning",
                    f'Claim {row.claim_id} ("{snippet(text)}") is carried by {row.documents} documents, but all '
                    f"of them trace back to one origin, {label}: {counts}. Repetition is not corroboration.",
                    objects, f"echo:claim:{row.claim_id}", details,
                ))
            else:
                problems.append(Problem(
                    "echo", "info",
                    f'Claim {row.claim_id} ("{snippet(text)}") is carried by {row.documents} documents, one of '
                    f"them relaying the other, its only origin, {label}: {counts}.",
                    objects, f"echo:claim:{row.claim_id}", details,
                ))
        else:
            problems.append(Problem(
                "echo", "info",
                f'Claim {row.claim_id} ("{snippet(text)}") is carried by {row.documents} documents from '
                f"{row.origins} independent origins; the other {echoes} "
                f"{'are echoes' if echoes != 1 else 'is an echo'} of those.",
                objects, f"echo:claim:{row.claim_id}", details,
            ))
    return problems


def _fetch(session: Session, query: Any, column: Any, ids: list[int]) -> list[Any]:
    rows: list[Any] = []
    for chunk in _chunks(ids):
        rows.extend(tuple(row) for row in session.execute(query.where(column.in_(chunk))))
    return rows


def origin_counts(session: Session, scope: Scope | None = None) -> dict[int, dict[str, int]]:
    """For every claim in scope with carrying documents: documents, independent origins, echoes."""
    query, _ = _origin_query(scope or Scope())
    return {
        row.claim_id: {"documents": row.documents, "independent_origins": row.origins,
                       "echoes": row.documents - row.origins, "relaying_documents": row.relaying}
        for row in session.execute(query)
    }
