"""Echoes: how many independent origins a claim's supporting documents trace back to, and hops
that name an intermediary without linking its report (linked by name only).

The origin of a document's hop is where its chain ends: the primary or first-hand document at
the end, or the intermediary when the chain stops at one nobody logged (five outlets "citing AFP"
are one origin: AFP). A hop that names an intermediary and links nothing ("via AFP", no via-hop)
is *linked by name only*; it is no new origin when what it names is logged:

- the intermediary's own report of the same statement (a hop in a document the intermediary
  published): the hop counts as if it relied on that report;
- else the speaker's own words (a primary hop of the same statement): it counts with them.

Echoes are the documents beyond one per independent origin (documents - origins), less those
that are no echo of anything: a document that quotes the speaker's own words directly (its hop
relies on a primary hop, or is linked by name only and counts with them) and a document the
speaker published or signed. A translation that links the document it translates is counted as
that document, not as one more.
"""

from __future__ import annotations

from itertools import compress
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope, shared
from claimtrack.checks._common import (
    chunks,
    claim_ref,
    document_label,
    in_chunks,
    relies_on_no_hop,
    scope_hops,
    snippet,
    statement_ref,
    who,
)
from claimtrack.models import Actor, Claim, Document, Hop, Statement
from claimtrack.queries.live import NORMAL, retired_claim_ids

#: the stances under which a document's hop counts as support for the claim, for echo counting
CARRYING_STANCES = ("asserts", "confirms", "reports")
#: a chain longer than this is treated as a circle (no origin); real chains are a few hops deep
MAX_DEPTH = 1000

_hops = Hop.__table__
_statements = Statement.__table__
_documents = Document.__table__
_actors = Actor.__table__


# ----------------------------------------------------------------------------- what a named hop counts as


def _named(via_actor_id: Any, is_primary: Any) -> Any:
    """The end of a chain (no via-hop) names an intermediary: the chain stops at a name."""
    return and_(via_actor_id.is_not(None), is_primary.is_(False))


def _live_doc(doc: Any) -> Any:
    return and_(doc.c.status == NORMAL, doc.c.merged_into_id.is_(None))


def agency_item(hop_id: Any, statement_id: Any, via_actor_id: Any) -> Any:
    """The intermediary's own report of the statement: the lowest live hop of the same statement in
    a live document the intermediary published (a scalar subquery correlated to the hop)."""
    item = _hops.alias("agency_hop")
    doc = _documents.alias("agency_doc")
    return (select(func.min(item.c.id)).select_from(item.join(doc, doc.c.id == item.c.document_id))
            .where(item.c.statement_id == statement_id, doc.c.outlet_id == via_actor_id, item.c.id != hop_id,
                   item.c.status == NORMAL, _live_doc(doc))
            .scalar_subquery())


def primary_hop(statement_id: Any, column: str = "id") -> Any:
    """The statement's own words: the lowest live primary hop's id (or `document_id`)."""
    hop = _hops.alias("own_words_hop")
    doc = _documents.alias("own_words_doc")
    return (select(func.min(hop.c[column])).select_from(hop.join(doc, doc.c.id == hop.c.document_id))
            .where(hop.c.statement_id == statement_id, hop.c.is_primary.is_(True), hop.c.status == NORMAL,
                   _live_doc(doc))
            .scalar_subquery())


def _named_items(named_ends: Any | None) -> Any:
    """(named chain end, its intermediary's report: agency_item) for the named ends among
    `named_ends` (a select of hop ids; None: all) whose intermediary's report is logged."""
    named = _hops.alias("named_hop")
    item = _hops.alias("agency_hop")
    doc = _documents.alias("agency_doc")
    # a join, not agency_item() per hop: SQLite would evaluate the correlated subquery twice
    candidates = (
        select(named.c.id.label("for_hop"), func.min(item.c.id).label("item_id"))
        .select_from(named.join(item, item.c.statement_id == named.c.statement_id)
                     .join(doc, doc.c.id == item.c.document_id))
        .where(named.c.via_hop_id.is_(None), _named(named.c.via_actor_id, named.c.is_primary),
               doc.c.outlet_id == named.c.via_actor_id, item.c.id != named.c.id, item.c.status == NORMAL,
               _live_doc(doc))
        .group_by(named.c.id)
    )
    if named_ends is not None:
        candidates = candidates.where(named.c.id.in_(named_ends))
    return candidates


def named_links(session: Session) -> list[tuple[int, int]]:
    """(named chain end, its intermediary's report) over the whole database: read once per
    run_audit for echo's count and linked-by-name-only."""
    return shared(session, "named_links", lambda s: [tuple(row) for row in s.execute(_named_items(None))])


def _item_origins(named_ends: Any | None) -> Any:
    """(named hop, origin of the intermediary's report, whether that report is primary) for the
    named chain ends among `named_ends` (a select of hop ids; None: all) whose intermediary's
    report is logged."""
    links = _named_items(named_ends).cte("named_items")
    walk = (select(links.c.for_hop, links.c.item_id.label("cur_id"), literal(0).label("depth"))
            .cte("item_walk", recursive=True))
    walk = walk.union_all(
        select(walk.c.for_hop, _hops.c.via_hop_id, walk.c.depth + 1)
        .select_from(walk.join(_hops, _hops.c.id == walk.c.cur_id))
        .where(_hops.c.via_hop_id.is_not(None), walk.c.depth < MAX_DEPTH)
    )
    end = _hops.alias("item_end")
    item = _hops.alias("item")
    # the report's own chain ends at a name too: it counts with the speaker's words when logged,
    # else with that name (one level: a report that itself names an unlinked report stops there)
    origin = case((_named(end.c.via_actor_id, end.c.is_primary),
                   func.coalesce(primary_hop(end.c.statement_id, "document_id"), -end.c.via_actor_id)),
                  else_=end.c.document_id)
    return (select(walk.c.for_hop, origin.label("origin"), item.c.is_primary.label("item_primary"))
            .select_from(walk.join(end, end.c.id == walk.c.cur_id)
                         .join(links, links.c.for_hop == walk.c.for_hop).join(item, item.c.id == links.c.item_id))
            .where(end.c.via_hop_id.is_(None))
            .cte("item_origins"))


def _end_values(end: Any, items: Any) -> tuple[Any, Any]:
    """(origin, named) of a chain end `end` (via-hop NULL), `items` left-joined on it.

    One integer stands for each origin: a document id, or minus an intermediary actor's id.
    `named`: 0 for an end that names no intermediary, 1 when it counts with the intermediary's
    report and that report is primary, 2 with a report that is not, 3 without a report (then it
    counts with the speaker's own words exactly when its origin is a document: origin > 0)."""
    named = _named(end.c.via_actor_id, end.c.is_primary)
    own_words = primary_hop(end.c.statement_id, "document_id")
    origin = case((named, func.coalesce(items.c.origin, own_words, -end.c.via_actor_id)), else_=end.c.document_id)
    kind = case(
        (named & items.c.origin.is_not(None), case((items.c.item_primary.is_(True), 1), else_=2)),
        (named, 3),
        else_=0,
    )
    return origin, kind


def _quotes_as_named(kind: Any, origin: Any) -> Any:
    """A named end that counts as quoting the speaker's own words (see _end_values)."""
    return (kind == 1) | ((kind == 3) & (origin > 0))


def _carrying(hop: Any, statement: Any, doc: Any) -> list[Any]:
    """The hop supports its claim and counts: a carrying stance, live hop, document, statement
    and claim, and not a translation linking its original (counted as the original instead)."""
    return [statement.c.stance.in_(CARRYING_STANCES), statement.c.status == NORMAL,
            statement.c.claim_id.not_in(retired_claim_ids()), hop.c.status == NORMAL, _live_doc(doc),
            ~and_(doc.c.kind == "translation", hop.c.via_hop_id.is_not(None))]


def _quoter(statement: Any, doc: Any, quotes_own_words: Any) -> Any:
    """1 when the start hop's document quotes the speaker's own words (`quotes_own_words`: it
    relies directly on a primary hop, or is a named end counting with them), or when the speaker
    published (outlet) or signed (author) it."""
    speaker = _actors.alias("start_speaker")
    speaker_name = select(speaker.c.name).where(speaker.c.id == statement.c.speaker_id).scalar_subquery()
    return case(
        (quotes_own_words, 1),
        (doc.c.outlet_id == statement.c.speaker_id, 1),
        # the byline is rarely filled in: look the speaker's name up only then
        (doc.c.author.is_not(None), case((func.lower(doc.c.author) == func.lower(speaker_name), 1), else_=0)),
        else_=0,
    )


def _start_aliases() -> tuple[Any, Any, Any]:
    """The start hop, its statement and its document."""
    return _hops.alias("start_hop"), _statements.alias("start_statement"), _documents.alias("start_doc")


# ----------------------------------------------------------------------------- the two walks


def _claim_filter(query: Any, claim_id: Any, scope: Scope) -> Any:
    if scope.claim_id is not None:
        query = query.where(claim_id == scope.claim_id)
    if scope.claim_ids is not None:
        query = query.where(claim_id.in_(sorted(scope.claim_ids)))
    if scope.document_id is not None:
        carried = (select(_statements.c.claim_id)
                   .select_from(_statements.join(_hops, _hops.c.statement_id == _statements.c.id))
                   .where(_hops.c.document_id == scope.document_id))
        query = query.where(claim_id.in_(carried))
    return query


def _ends_backward(scope: Scope) -> Any:
    """(claim, start document, origin, quoter) per carrying hop in scope, walking back from each.

    A recursive CTE carrying the start hop along; UNION ALL with a depth bound rather than UNION:
    each hop relies on at most one other, so a walk never meets itself except in a circle, and a
    circle (which has no origin anyway) stops at the bound instead of being deduplicated row by row.
    """
    st = _statements.alias("walk_statement")
    doc = _documents.alias("walk_doc")
    first = _hops.alias("walk_first")
    start = _claim_filter(
        select(st.c.claim_id.label("claim_id"), first.c.id.label("start_hop"), first.c.id.label("cur_id"),
               literal(0).label("depth"))
        .select_from(first.join(st, st.c.id == first.c.statement_id).join(doc, doc.c.id == first.c.document_id))
        .where(*_carrying(first, st, doc)),
        st.c.claim_id, scope,
    )
    walk = start.cte("echo_walk", recursive=True)
    walk = walk.union_all(
        select(walk.c.claim_id, walk.c.start_hop, _hops.c.via_hop_id, walk.c.depth + 1)
        .select_from(walk.join(_hops, _hops.c.id == walk.c.cur_id))
        .where(_hops.c.via_hop_id.is_not(None), walk.c.depth < MAX_DEPTH)
    )
    end = _hops.alias("walk_end")
    items = _item_origins(select(walk.c.cur_id))
    origin, kind = _end_values(end, items)
    start_hop, statement, start_doc = _start_aliases()
    relied = _hops.alias("relied_on")
    quotes = ((walk.c.start_hop == end.c.id) & _quotes_as_named(kind, origin)) | relied.c.is_primary.is_(True)
    return (
        select(walk.c.claim_id, start_hop.c.document_id.label("start_doc"), origin.label("origin"),
               _quoter(statement, start_doc, quotes).label("quoter"))
        .select_from(walk.join(end, end.c.id == walk.c.cur_id).outerjoin(items, items.c.for_hop == end.c.id)
                     # joined one by one, not as a parenthesized join: PostgreSQL built that whole
                     # join (all 1.8 M hops) before meeting the few walked rows
                     .join(start_hop, start_hop.c.id == walk.c.start_hop)
                     .join(statement, statement.c.id == start_hop.c.statement_id)
                     .join(start_doc, start_doc.c.id == start_hop.c.document_id)
                     .outerjoin(relied, relied.c.id == start_hop.c.via_hop_id))
        .where(end.c.via_hop_id.is_(None))
        .subquery("echo_ends")
    )


def _origin_query(scope: Scope) -> tuple[Any, Any]:
    """Per claim: carrying documents, independent origins, relaying and quoting documents, one origin.

    "Relaying" documents are the carrying documents other than the origin document itself;
    "quoting" ones are those of them that quote the speaker's own words (see the module
    docstring). Echoes = documents - origins - quoting: five reprints of a logged dispatch are
    5 echoes of it; five reprints citing an unlogged "AFP" are 4 (one stands for AFP's report).
    Returns the query and the HAVING condition of a claim with echoes."""
    ends = _ends_backward(scope)
    relays = ends.c.start_doc != ends.c.origin
    documents = func.count(distinct(ends.c.start_doc))
    origins = func.count(distinct(ends.c.origin))
    quoting = func.count(distinct(case((relays & (ends.c.quoter == 1), ends.c.start_doc), else_=None)))
    query = (
        select(
            ends.c.claim_id.label("claim_id"),
            documents.label("documents"),
            origins.label("origins"),
            func.count(distinct(case((relays, ends.c.start_doc), else_=None))).label("relaying"),
            quoting.label("quoting"),
            func.min(ends.c.origin).label("an_origin"),
        )
        .group_by(ends.c.claim_id)
    )
    return query, documents > origins + quoting


def _narrowed(scope: Scope) -> bool:
    return scope.claim_id is not None or scope.document_id is not None or scope.claim_ids is not None


def _origin_rows(session: Session, scope: Scope, echoes_only: bool) -> list[Any]:
    """The rows of `_origin_query` (only the claims with echoes when `echoes_only`): walking back
    from the hops in a narrowed scope in SQL, else forward over the whole database
    (checks/echo_forward.py)."""
    if _narrowed(scope):
        query, worth = _origin_query(scope)
        return list(session.execute(query.having(worth) if echoes_only else query))
    from claimtrack.checks.echo_forward import origin_rows

    rows = origin_rows(session, named_links(session))
    return [r for r in rows if r.documents > r.origins + r.quoting] if echoes_only else rows


def _echo_count(row: Any) -> int:
    return max(0, row.documents - row.origins - row.quoting)


def echo(session: Session, scope: Scope) -> list[Problem]:
    """Per claim with echoes: how many independent origins its supporting documents trace back to.

    A warning when two or more documents relay one single origin (it looks corroborated and is
    not); an info line with the counts when there are echoes but several origins, or one document
    echoing the other.
    """
    rows = _origin_rows(session, scope, echoes_only=True)
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
        origin: tuple[str, int, str] | None = None
        if row.origins == 1:
            origin = (("document", row.an_origin, doc_labels.get(row.an_origin, f"document {row.an_origin}"))
                      if row.an_origin > 0 else
                      ("actor", -row.an_origin, actor_names.get(-row.an_origin, f"actor {-row.an_origin}")))
        severity = "warning" if origin is not None and row.relaying >= 2 else "info"
        # lazy (Problem.lazy): the sentence is built when read
        problems.append(Problem.lazy("echo", severity, f"echo:claim:{row.claim_id}", _echo_parts, row.claim_id,
                                     row.documents, row.origins, row.relaying, _echo_count(row),
                                     claims.get(row.claim_id), origin))
    return problems


def _echo_parts(claim_id: int, documents: int, origins: int, relaying: int, echoes: int, text: str | None,
                origin: tuple[str, int, str] | None) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    details: dict[str, Any] = {"documents": documents, "independent_origins": origins, "echoes": echoes,
                               "relaying_documents": relaying}
    objects = [claim_ref(claim_id, text)]
    head = f'Claim {claim_id} ("{snippet(text)}") is carried by {documents} documents'
    if origin is None:
        message = (f"{head} from {origins} independent origins; {echoes} of them "
                   f"{'are echoes' if echoes != 1 else 'is an echo'}, relaying one of those through "
                   "another document or an intermediary.")
        return message, objects, details
    kind, ident, label = origin
    objects.append(ObjectRef(kind, ident, label))
    details["origin"] = {"type": kind, "id": ident, "label": label}
    counts = f"1 independent origin, {echoes} echo{'es' if echoes != 1 else ''}"
    if relaying >= 2:
        message = f"{head}, but all of them trace back to one origin, {label}: {counts}. Repetition is not corroboration."
    else:
        message = f"{head}, one of them relaying the other, its only origin, {label}: {counts}."
    return message, objects, details


def _fetch(session: Session, query: Any, column: Any, ids: list[int]) -> list[Any]:
    return [tuple(row) for row in in_chunks(session, query, column, ids)]


def origin_counts(session: Session, scope: Scope | None = None) -> dict[int, dict[str, int]]:
    """For every claim in scope with carrying documents: documents, independent origins, echoes."""
    return {
        row.claim_id: {"documents": row.documents, "independent_origins": row.origins,
                       "echoes": _echo_count(row), "relaying_documents": row.relaying}
        for row in _origin_rows(session, scope or Scope(), echoes_only=False)
    }


# ----------------------------------------------------------------------------- linked by name only


def linked_by_name_only(session: Session, scope: Scope) -> list[Problem]:
    """A hop that names an intermediary ("via AFP") and links nothing, although what it names is
    logged: the intermediary's own report of the statement, or else the speaker's own words.

    The chain stops at a name where it could run on, and the echo count treats the hop as if it
    were linked (not as an independent origin); the message gives the command that links it.
    """
    outlet = aliased(Actor)
    item = agency_item(Hop.id, Hop.statement_id, Hop.via_actor_id)
    own_words = primary_hop(Hop.statement_id)
    named = scope_hops(
        select(Hop.id.label("hop_id"), item.label("item_id"), own_words.label("primary_id"))
        .join(Statement, Statement.id == Hop.statement_id)
        .where(relies_on_no_hop(scope), Hop.via_actor_id.is_not(None), Hop.is_primary.is_(False)),
        scope,
    )
    if not scope.whole:
        rows = session.execute(_named_rows(named.subquery("named_hops"))).all()
    else:  # only the named hops the shared hop table and the report links show may qualify
        rows = []
        for chunk in chunks(_named_candidates(session)):
            rows.extend(session.execute(_named_rows(named.where(Hop.id.in_(chunk)).subquery("named_hops"))).all())
    if not rows:
        return []
    linked = sorted({r[1] if r[1] is not None else r[2] for r in rows})
    label_of = {hop_id: (doc_id, document_label(doc_id, name, title)) for hop_id, doc_id, name, title in in_chunks(
        session, select(Hop.id, Document.id, outlet.name, Document.title)
        .join(Document, Document.id == Hop.document_id).outerjoin(outlet, outlet.id == Document.outlet_id),
        Hop.id, linked)}
    return [_named_problem(row, label_of) for row in rows]


def _named_rows(found: Any) -> Any:
    """The labelled rows of the named hops in `found` (hop_id, item_id, primary_id) that qualify."""
    via = aliased(Actor)
    outlet = aliased(Actor)
    speaker = aliased(Actor)
    return (
        select(found.c.hop_id, found.c.item_id, found.c.primary_id, Statement.id, Statement.claim_id, Claim.text,
               speaker.name, Statement.speaker_descriptor, Document.id, outlet.name, Document.title, via.id, via.name)
        .select_from(found)
        .join(Hop, Hop.id == found.c.hop_id)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(Document, Document.id == Hop.document_id)
        .join(via, via.id == Hop.via_actor_id)
        .outerjoin(outlet, outlet.id == Document.outlet_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where((found.c.item_id.is_not(None)) | (found.c.primary_id.is_not(None)))
        .order_by(found.c.hop_id)
    )


def _named_candidates(session: Session) -> set[int]:
    """For the whole database: the named chain ends whose statement's own words are logged (the
    shared hop table) or whose intermediary's report is (one join): a superset of the findings,
    without two correlated subqueries for each of the (often half a million) named hops."""
    from claimtrack.checks._hoptable import hop_table

    hops = hop_table(session)
    own, statement = hops.own_words, hops.statement
    found = {hop_id for hop_id in compress(range(len(hops.named)), hops.named) if statement[hop_id] in own}
    found.update(for_hop for for_hop, _ in named_links(session))
    return found


def _named_problem(row: Any, label_of: dict[int, tuple[int, str]]) -> Problem:
    (hop_id, item_id, primary_id, sid, claim_id, text, speaker_name, descriptor, doc_id, outlet_name, title,
     via_id, via_name) = row
    here = document_label(doc_id, outlet_name, title)
    said = f'statement {sid} ({who(speaker_name, descriptor)}: "{snippet(text)}")'
    target = item_id if item_id is not None else primary_id
    target_doc, target_label = label_of.get(target, (0, f"hop {target}"))
    if item_id is not None:
        message = (f"{here} names {via_name} as its source for {said} but does not link {via_name}'s own report "
                   f"of it, which is logged: {target_label}, hop {item_id}. Link it (`claimtrack hop set-via "
                   f"{hop_id} {item_id}`) so the chain runs through it; until then the echo count treats this "
                   f"hop as relying on that report, not as an independent origin.")
    else:
        message = (f"{here} names {via_name} as its source for {said} but links nothing, while the speaker's own "
                   f"words are logged: {target_label}, hop {primary_id}. Log {via_name}'s report and link it "
                   f"(`claimtrack hop set-via {hop_id} HOP`), or link the original (`claimtrack hop set-via "
                   f"{hop_id} {primary_id}`); until then the echo count treats this hop as quoting the original, "
                   f"not as an independent origin.")
    objects = [ObjectRef("hop", hop_id, f"{here} via {via_name}"), statement_ref(sid, speaker_name, descriptor, text),
               claim_ref(claim_id, text), ObjectRef("document", doc_id, here), ObjectRef("actor", via_id, via_name),
               ObjectRef("hop", target, target_label)]
    if target_doc:
        objects.append(ObjectRef("document", target_doc, target_label))
    details = {"intermediary": {"id": via_id, "name": via_name}, "report_hop": item_id, "primary_hop": primary_id}
    return Problem("linked-by-name-only", "warning", message, objects, f"linked-by-name-only:hop:{hop_id}", details)
