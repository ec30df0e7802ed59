"""Attribution chains: from a document back to the primary source, from a statement forward.

A hop is "document D reports statement S, relying on an earlier hop and/or an intermediary".
Following `via_hop` from a hop walks back towards the origin; the walk ends at a primary hop
(the speaker's own words), at an intermediary nobody logged ("AFP", "local media"), or at a
hop that relies on nothing (the document heard it directly).

The walks are recursive CTEs over `hops.via_hop_id` written with UNION (not UNION ALL): a
row already produced is never produced again, so a circular citation (A relies on B relies on
A) terminates on SQLite and PostgreSQL alike. The trees are then assembled in Python from the
fetched rows, which is where cycles are noticed and reported.

Everything returned is a plain dataclass; `dataclasses.asdict` gives the `--json` form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from claimtrack.dates import PartialDate
from claimtrack.models import Actor, Claim, Document, Hop, Statement

#: how many ids go into one IN (…) list; SQLite allows 32,766 bound parameters per statement
CHUNK = 5000

# ----------------------------------------------------------------------------- dataclasses


@dataclass
class ActorRef:
    id: int
    key: str | None
    name: str
    kind: str

    @property
    def vague(self) -> bool:
        return self.kind == "unspecified"


@dataclass
class DocumentRef:
    id: int
    key: str | None
    kind: str
    title: str | None
    url: str | None
    outlet: ActorRef | None
    published: str | None  # str(PartialDate): keeps the precision ("2021-07", "~2021")
    language: str | None

    @property
    def label(self) -> str:
        """How a fact-checker names the document: outlet and title, else url, else its id."""
        name = self.outlet.name if self.outlet else None
        title = self.title or self.url or self.key or f"document {self.id}"
        return f"{name}: {title}" if name else title


@dataclass
class StatementRef:
    id: int
    key: str | None
    claim_id: int
    claim_text: str
    speaker: ActorRef | None
    speaker_descriptor: str | None
    stance: str
    quote: str | None
    quote_kind: str | None
    cue: str | None
    channel: str | None
    said: str | None
    parent_id: int | None
    status: str

    @property
    def who(self) -> str:
        """The speaker's name, the anonymous descriptor in quotes, or the reporter's own voice."""
        if self.speaker:
            return self.speaker.name
        if self.speaker_descriptor:
            return f'"{self.speaker_descriptor}"'
        return "(reporter's own voice)"

    @property
    def unattributed(self) -> bool:
        return self.speaker is None and self.speaker_descriptor is None


@dataclass
class HopNode:
    """One hop and, through `via`, everything it relies on, back to where the chain ends.

    `end` is set on the last node of a chain: "primary" (the speaker's own words),
    "intermediary" (relies on an actor with no logged document: no primary source), "direct"
    (relies on nothing: the document heard it first-hand) or "cycle" (the next hop was already
    visited; `cycle_to` names it).
    """

    hop_id: int
    key: str | None
    document: DocumentRef
    statement: StatementRef
    cue: str | None
    quote: str | None  # the quote as it appears in this document
    is_primary: bool
    via_actor: ActorRef | None
    via: HopNode | None = None
    end: str | None = None
    cycle_to: int | None = None

    def path(self) -> Iterator[HopNode]:
        """This hop, then each hop it relies on, in order."""
        node: HopNode | None = self
        while node is not None:
            yield node
            node = node.via


@dataclass
class StatementBranch:
    """A statement a document carries, its chain back, and the statements nested inside it."""

    statement: StatementRef
    hop: HopNode | None  # None for a nested statement the document carries only through its parent
    nested: list[StatementBranch] = field(default_factory=list)
    summary: str | None = None  # chain_summary's line for `hop`


@dataclass
class DocumentChain:
    """`claimtrack chain document:ID`: every statement in the document, traced back."""

    document: DocumentRef
    statements: list[StatementBranch]
    cycles: list[list[int]]  # each circular citation met: hop ids in "relies on" order, smallest first


@dataclass
class CarrierNode:
    """A hop seen from its source: the documents that relied on it hang below it."""

    hop_id: int
    key: str | None
    document: DocumentRef
    statement_id: int
    cue: str | None
    quote: str | None
    is_primary: bool
    via_actor: ActorRef | None
    carriers: list[CarrierNode] = field(default_factory=list)
    cycle: bool = False  # this hop was already shown higher up (circular citation)


@dataclass
class StatementChain:
    """`claimtrack chain statement:ID`: every document that carries the statement, as a tree."""

    statement: StatementRef
    carriers: list[CarrierNode]  # roots: hops that rely on no other logged hop
    nested: list[StatementRef]  # statements reported inside this one
    documents: int  # how many distinct documents carry it (directly or further down)
    cycles: list[list[int]]


# ----------------------------------------------------------------------------- SQL walks


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _ids() -> Any:
    # one cached statement per query shape with an expanding IN parameter: building a SELECT
    # costs more than running it on a short chain, so each shape is built once per process
    return bindparam("ids", expanding=True)


@cache
def _ancestor_query() -> Any:
    hops = Hop.__table__
    walk = select(hops.c.id.label("hop_id")).where(hops.c.id.in_(_ids())).cte("walk", recursive=True)
    walk = walk.union(
        select(hops.c.via_hop_id)
        .select_from(hops.join(walk, hops.c.id == walk.c.hop_id))
        .where(hops.c.via_hop_id.is_not(None))
    )
    return select(walk.c.hop_id)


@cache
def _descendant_query() -> Any:
    hops = Hop.__table__
    walk = select(hops.c.id.label("hop_id")).where(hops.c.id.in_(_ids())).cte("walk", recursive=True)
    walk = walk.union(select(hops.c.id).select_from(hops.join(walk, hops.c.via_hop_id == walk.c.hop_id)))
    return select(walk.c.hop_id)


@cache
def _nested_query() -> Any:
    st = Statement.__table__
    walk = select(st.c.id.label("sid")).where(st.c.id.in_(_ids())).cte("nest", recursive=True)
    walk = walk.union(select(st.c.id).select_from(st.join(walk, st.c.parent_id == walk.c.sid)))
    return select(walk.c.sid)


def _collect(session: Session, query: Any, ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(session.scalars(query, {"ids": chunk}))
    return found


def ancestor_hop_ids(session: Session, hop_ids: Iterable[int]) -> set[int]:
    """The hops given and every hop they rely on, transitively (cycles terminate: UNION)."""
    return _collect(session, _ancestor_query(), hop_ids)


def descendant_hop_ids(session: Session, hop_ids: Iterable[int]) -> set[int]:
    """The hops given and every hop that relies on them, transitively."""
    return _collect(session, _descendant_query(), hop_ids)


def nested_statement_ids(session: Session, statement_ids: Iterable[int]) -> set[int]:
    """The statements given and every statement nested in them (parent_id), transitively."""
    return _collect(session, _nested_query(), statement_ids)


# ----------------------------------------------------------------------------- row loading


def _date(on: Any, precision: str | None, approx: bool | None) -> str | None:
    value = PartialDate.of(on, precision, approx)
    return str(value) if value else None


def _actor(row: Any, prefix: str) -> ActorRef | None:
    ident = getattr(row, f"{prefix}_id")
    if ident is None:
        return None
    return ActorRef(ident, getattr(row, f"{prefix}_key"), getattr(row, f"{prefix}_name"), getattr(row, f"{prefix}_kind"))


def _actor_columns(alias: Any, prefix: str) -> list[Any]:
    return [
        alias.id.label(f"{prefix}_id"),
        alias.key.label(f"{prefix}_key"),
        alias.name.label(f"{prefix}_name"),
        alias.kind.label(f"{prefix}_kind"),
    ]


@dataclass
class _HopRow:
    id: int
    key: str | None
    via_hop_id: int | None
    cue: str | None
    quote: str | None
    is_primary: bool
    via_actor: ActorRef | None
    document: DocumentRef
    statement: StatementRef


def _document_query() -> tuple[Any, list[Any]]:
    outlet = aliased(Actor)
    columns = [
        Document.id.label("d_id"), Document.key.label("d_key"), Document.kind.label("d_kind"),
        Document.title.label("d_title"), Document.url.label("d_url"), Document.language.label("d_language"),
        Document.published_on, Document.published_precision, Document.published_approx,
        *_actor_columns(outlet, "outlet"),
    ]
    return outlet, columns


def _document_ref(row: Any) -> DocumentRef:
    return DocumentRef(
        row.d_id, row.d_key, row.d_kind, row.d_title, row.d_url, _actor(row, "outlet"),
        _date(row.published_on, row.published_precision, row.published_approx), row.d_language,
    )


def _statement_columns(speaker: Any) -> list[Any]:
    return [
        Statement.id.label("s_id"), Statement.key.label("s_key"), Statement.claim_id,
        Claim.text.label("claim_text"), Statement.speaker_descriptor, Statement.stance,
        Statement.quote.label("s_quote"), Statement.quote_kind, Statement.cue.label("s_cue"), Statement.channel,
        Statement.said_on, Statement.said_precision, Statement.said_approx, Statement.parent_id,
        Statement.status, *_actor_columns(speaker, "speaker"),
    ]


def _statement_ref(row: Any) -> StatementRef:
    return StatementRef(
        row.s_id, row.s_key, row.claim_id, row.claim_text, _actor(row, "speaker"), row.speaker_descriptor,
        row.stance, row.s_quote, row.quote_kind, row.s_cue, row.channel,
        _date(row.said_on, row.said_precision, row.said_approx), row.parent_id, row.status,
    )


@cache
def _hops_query() -> Any:
    outlet, doc_columns = _document_query()
    speaker = aliased(Actor)
    via_actor = aliased(Actor)
    return (
        select(
            Hop.id, Hop.key, Hop.via_hop_id, Hop.cue, Hop.quote, Hop.is_primary,
            *_actor_columns(via_actor, "via"), *doc_columns, *_statement_columns(speaker),
        )
        .join(Document, Document.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == Document.outlet_id)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(Claim, Claim.id == Statement.claim_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .outerjoin(via_actor, via_actor.id == Hop.via_actor_id)
        .where(Hop.id.in_(_ids()))
    )


@cache
def _statements_query() -> Any:
    speaker = aliased(Actor)
    return (
        select(*_statement_columns(speaker))
        .join(Claim, Claim.id == Statement.claim_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where(Statement.id.in_(_ids()))
    )


def load_hops(session: Session, hop_ids: Iterable[int]) -> dict[int, _HopRow]:
    """Each hop with its document, outlet, statement, speaker and intermediary: one query per chunk."""
    result: dict[int, _HopRow] = {}
    for chunk in _chunks(hop_ids):
        for row in session.execute(_hops_query(), {"ids": chunk}):
            result[row.id] = _HopRow(
                row.id, row.key, row.via_hop_id, row.cue, row.quote, bool(row.is_primary),
                _actor(row, "via"), _document_ref(row), _statement_ref(row),
            )
    return result


def load_statements(session: Session, statement_ids: Iterable[int]) -> dict[int, StatementRef]:
    result: dict[int, StatementRef] = {}
    for chunk in _chunks(statement_ids):
        for row in session.execute(_statements_query(), {"ids": chunk}):
            result[row.s_id] = _statement_ref(row)
    return result


@cache
def _document_by_id() -> Any:
    outlet, columns = _document_query()
    return select(*columns).outerjoin(outlet, outlet.id == Document.outlet_id).where(Document.id == bindparam("id"))


@cache
def _hops_of(column: str) -> Any:
    return select(Hop.id).where(getattr(Hop, column) == bindparam("id")).order_by(Hop.id)


def load_document(session: Session, document_id: int) -> DocumentRef | None:
    row = session.execute(_document_by_id(), {"id": document_id}).first()
    return _document_ref(row) if row else None


# ----------------------------------------------------------------------------- walking back


def walk_back(start: int, rows: dict[int, _HopRow]) -> tuple[list[int], int | None]:
    """The hop ids from `start` back to the end of its chain, and the id a cycle returned to."""
    path: list[int] = []
    seen: set[int] = set()
    current: int | None = start
    while current is not None and current in rows:
        if current in seen:
            return path, current
        seen.add(current)
        path.append(current)
        current = rows[current].via_hop_id
    return path, None


def _end_of(row: _HopRow) -> str:
    if row.is_primary:
        return "primary"
    if row.via_actor is not None:
        return "intermediary"
    return "direct"


def _hop_node(row: _HopRow) -> HopNode:
    return HopNode(row.id, row.key, row.document, row.statement, row.cue, row.quote, row.is_primary, row.via_actor)


def build_chain(start: int, rows: dict[int, _HopRow]) -> tuple[HopNode, list[int] | None]:
    """The linked HopNode chain from `start`, and the cycle's hop ids if it met one."""
    path, cycle_to = walk_back(start, rows)
    nodes = [_hop_node(rows[h]) for h in path]
    for node, parent in zip(nodes[1:], nodes[:-1]):
        parent.via = node
    last = nodes[-1]
    cycle: list[int] | None = None
    if cycle_to is not None:
        last.end, last.cycle_to = "cycle", cycle_to
        cycle = path[path.index(cycle_to):]
    else:
        last.end = _end_of(rows[path[-1]])
    return nodes[0], cycle


def _canonical_cycle(cycle: list[int]) -> list[int]:
    """A cycle written from its smallest id, so the same cycle met twice compares equal."""
    turn = cycle.index(min(cycle))
    return cycle[turn:] + cycle[:turn]


def document_chain(session: Session, document_id: int) -> DocumentChain:
    """Every statement document `document_id` carries, each traced back to where it came from."""
    from claimtrack.errors import NotFound

    document = load_document(session, document_id)
    if document is None:
        raise NotFound(f"document {document_id} not found")
    own_hops = list(session.scalars(_hops_of("document_id"), {"id": document_id}))
    rows = load_hops(session, ancestor_hop_ids(session, own_hops))
    cycles: list[list[int]] = []
    by_statement: dict[int, StatementBranch] = {}
    for hop_id in own_hops:
        node, cycle = build_chain(hop_id, rows)
        if cycle and _canonical_cycle(cycle) not in cycles:
            cycles.append(_canonical_cycle(cycle))
        path, cycle_to = walk_back(hop_id, rows)
        summary = summarize_path([rows[h] for h in path], cycle_to is not None)
        by_statement[node.statement.id] = StatementBranch(node.statement, node, summary=summary)
    # nested attributions: show a statement under the one that reports it
    all_ids = nested_statement_ids(session, by_statement)
    extra = load_statements(session, all_ids - set(by_statement))
    for sid, ref in extra.items():
        by_statement[sid] = StatementBranch(ref, None)
    roots: list[StatementBranch] = []
    for sid in sorted(by_statement, key=lambda s: (by_statement[s].hop is None, s)):
        branch = by_statement[sid]
        parent = branch.statement.parent_id
        if parent is not None and parent in by_statement and not _is_ancestor(sid, parent, by_statement):
            by_statement[parent].nested.append(branch)
        else:
            roots.append(branch)
    return DocumentChain(document, roots, cycles)


def _is_ancestor(candidate: int, of: int, branches: dict[int, StatementBranch]) -> bool:
    """True when `candidate` is `of` or one of its parents: guards against parent cycles."""
    seen: set[int] = set()
    current: int | None = of
    while current is not None and current in branches and current not in seen:
        if current == candidate:
            return True
        seen.add(current)
        current = branches[current].statement.parent_id
    return False


# ----------------------------------------------------------------------------- walking forward


def statement_chain(session: Session, statement_id: int) -> StatementChain:
    """Every document that carries statement `statement_id`, as trees from source to reprint."""
    from claimtrack.errors import NotFound

    refs = load_statements(session, [statement_id])
    if statement_id not in refs:
        raise NotFound(f"statement {statement_id} not found")
    own = list(session.scalars(_hops_of("statement_id"), {"id": statement_id}))
    ids = descendant_hop_ids(session, own)
    rows = load_hops(session, ids)
    children: dict[int, list[int]] = {}
    for row in rows.values():
        if row.via_hop_id is not None and row.via_hop_id in rows:
            children.setdefault(row.via_hop_id, []).append(row.id)
    cycles: list[list[int]] = []
    shown: set[int] = set()

    def carrier_tree(root: int) -> CarrierNode:
        # iterative depth-first walk: a chain thousands of hops deep cannot hit the recursion limit
        top: CarrierNode | None = None
        stack: list[tuple[int, tuple[int, ...], CarrierNode | None]] = [(root, (), None)]
        while stack:
            hop_id, trail, parent = stack.pop()
            row = rows[hop_id]
            node = CarrierNode(row.id, row.key, row.document, row.statement.id, row.cue, row.quote,
                               row.is_primary, row.via_actor)
            shown.add(hop_id)
            if parent is None:
                top = node
            else:
                parent.carriers.append(node)
            if hop_id in trail:
                node.cycle = True
                # written in "relies on" order, as the backward walk writes it
                cycle = _canonical_cycle(list(reversed(trail[trail.index(hop_id):])))
                if cycle not in cycles:
                    cycles.append(cycle)
                continue
            for child in sorted(children.get(hop_id, []), reverse=True):
                stack.append((child, (*trail, hop_id), node))
        assert top is not None
        return top

    roots = sorted(h for h, row in rows.items() if row.via_hop_id is None or row.via_hop_id not in rows)
    tree = [carrier_tree(h) for h in roots]
    # hops caught in a cycle have no root; start from their smallest id so they are still shown
    for hop_id in sorted(rows):
        if hop_id not in shown:
            tree.append(carrier_tree(hop_id))
    nested_ids = nested_statement_ids(session, [statement_id]) - {statement_id}
    nested = [ref for _, ref in sorted(load_statements(session, nested_ids).items())]
    documents = len({row.document.id for row in rows.values()})
    return StatementChain(refs[statement_id], tree, nested, documents, cycles)


# ----------------------------------------------------------------------------- one-line summary


def _primary_label(row: _HopRow) -> str:
    if row.statement.channel:
        channel = row.statement.channel
        return channel[:1].upper() + channel[1:]
    if row.document.outlet:
        return row.document.outlet.name
    return row.document.title or row.document.key or f"document {row.document.id}"


def _intermediaries(path: list[_HopRow]) -> list[str]:
    names: list[str] = []
    for index, row in enumerate(path):
        candidates = []
        if index > 0 and not row.is_primary:
            doc = row.document
            candidates.append(doc.outlet.name if doc.outlet else (doc.title or f"document {doc.id}"))
        if row.via_actor is not None:
            candidates.append(row.via_actor.name)
        for name in candidates:
            if name not in names:
                names.append(name)
    return names


def summarize_path(path: list[_HopRow], cycle: bool) -> str:
    """ "via AFP · primary: Telegram", "via local media · no primary source", "direct"… """
    first, last = path[0], path[-1]
    if first.statement.unattributed:
        return "unattributed (reporter's own voice)"
    names = _intermediaries(path)
    via = f"via {' → '.join(names)}" if names else ""
    if cycle:
        tail = "circular citation"
    elif last.is_primary:
        tail = "primary source" if len(path) == 1 else f"primary: {_primary_label(last)}"
        if len(path) == 1 and last.statement.channel:
            tail = f"primary: {_primary_label(last)}"
    elif last.via_actor is not None:
        tail = "no primary source"
    elif len(path) == 1:
        return "direct"
    else:
        # the chain ends at a logged document that heard it first-hand (e.g. AFP's own dispatch)
        origin = names.pop() if names else "an earlier document"
        via = f"via {' → '.join(names)}" if names else ""
        tail = f"first reported by {origin}"
    return " · ".join(part for part in (via, tail) if part)


def chain_summary(session: Session, hop_ids: list[int]) -> dict[int, str]:
    """A one-line summary of the chain behind each hop, e.g. "via AFP · primary: Telegram".

    Hops that do not exist are left out. Cost: one recursive query plus one row query per
    5,000 hops, however deep the chains are.
    """
    rows = load_hops(session, ancestor_hop_ids(session, hop_ids))
    result: dict[int, str] = {}
    for hop_id in hop_ids:
        if hop_id not in rows:
            continue
        path, cycle_to = walk_back(hop_id, rows)
        result[hop_id] = summarize_path([rows[h] for h in path], cycle_to is not None)
    return result
