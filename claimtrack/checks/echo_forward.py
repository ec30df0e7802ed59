"""Echo counts for the whole database, from three narrow scans instead of one join per hop.

The scoped audit walks back from the hops in scope in SQL (echo._ends_backward). For the whole
database that walk, joined back to every hop's statement and document and grouped by claim, cost
~18 s of a 44 s audit at 1M statements (SQLite: a random lookup of each of 1.8 M hops' statement
row and a sort of 1.7 M rows). Here the hops, the carrying statements and the documents are each
read once, in id order and only the columns the count needs, and the walk runs over arrays
indexed by hop id: each hop is visited once, and a hop whose chain runs into a circle has no
origin (as in the SQL walks). The named chain ends' intermediary reports come from the same SQL
as the scoped walk (echo._item_origins), so both walks count alike (tests compare them).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from itertools import compress
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from claimtrack.models import Actor, Document, Hop, Statement

NORMAL = "normal"
_BATCH = 20_000
# walk states of a hop
_UNSEEN, _ON_PATH, _DONE, _NO_ORIGIN = 0, 1, 2, 3
_ONLY_DONE = bytes(1 if value == _DONE else 0 for value in range(256))


class OriginRow(NamedTuple):
    """What echo._origin_query returns for one claim."""

    claim_id: int
    documents: int
    origins: int
    relaying: int
    quoting: int
    an_origin: int


def _batches(session: Session, query: Any) -> Iterator[Any]:
    """The rows of a Core query of plain values, a batch at a time, straight from the driver's
    cursor: SQLAlchemy's result rows and the ORM's loading cost more than the read itself at
    millions of rows. (Not a server-side cursor: SQLAlchemy reads its first row ahead, which a
    raw fetch would lose; psycopg holds the narrow rows, tens of MB at a million.)"""
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    result = connection.exec_driver_sql(sql)
    try:
        while batch := result.cursor.fetchmany(_BATCH):
            yield batch
    finally:
        result.close()


def _columns(session: Session, query: Any, table: Any) -> list[array]:
    """The two or three integer columns 1.. of `query` in arrays indexed by its column 0 (an id of `table`),
    0 where no row has that id. In no particular order: SQLite then reads a covering index
    instead of the wide rows."""
    size = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    width = len(query.selected_columns) - 1
    columns = [array("q", [0]) * size for _ in range(width)]
    first, second = columns[0], columns[-1]
    third = columns[1] if width == 3 else second
    for batch in _batches(session, query):  # one plain loop per width: a transpose costs more
        if width == 2:
            for ident, one, two in batch:
                first[ident], second[ident] = one, two
        else:
            for ident, one, two, three in batch:
                first[ident], third[ident], second[ident] = one, two, three
    return columns


def _flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


class _Hops:
    """The columns of every hop that the count needs, in arrays indexed by hop id (0: none).

    Four narrow reads rather than one wide one (the values read are most of the cost): every
    hop's link, document and statement; the named chain ends' intermediaries; the primary hops;
    the few retired hops."""

    def __init__(self, session: Session) -> None:
        self.via, self.document, self.statement = _columns(session, select(
            Hop.id, func.coalesce(Hop.via_hop_id, 0), Hop.document_id, Hop.statement_id), Hop.__table__)
        size = len(self.via)
        self.normal = bytearray(1 if doc else 0 for doc in self.document)
        for hop_id in session.scalars(select(Hop.id).where(Hop.status != NORMAL)):
            self.normal[hop_id] = 0
        # a chain end that names an intermediary (echo._named): its via_actor_id, else 0
        self.named = array("q", [0]) * size
        for batch in _batches(session, select(Hop.id, Hop.via_actor_id).where(
                Hop.via_hop_id.is_(None), Hop.via_actor_id.is_not(None), Hop.is_primary.is_(False))):
            for hop_id, actor_id in batch:
                self.named[hop_id] = actor_id
        self.primary = bytearray(size)
        self.live, self.translation, self.outlet = _columns(session, select(
            Document.id, _flag(and_(Document.status == NORMAL, Document.merged_into_id.is_(None))),
            _flag(Document.kind == "translation"), func.coalesce(Document.outlet_id, 0)), Document.__table__)
        # statement -> the lowest live document of its live primary hops (echo.primary_hop)
        own: dict[int, int] = {}
        live, normal = self.live, self.normal
        primary = self.primary
        for batch in _batches(session, select(Hop.id, Hop.statement_id, Hop.document_id)
                              .where(Hop.is_primary.is_(True))):
            for hop_id, sid, doc in batch:
                primary[hop_id] = 1
                if normal[hop_id] and live[doc] and doc < own.get(sid, doc + 1):
                    own[sid] = doc
        self.own_words = own


def origin_rows(session: Session, named_origins: Any) -> list[OriginRow]:
    """Per claim with carrying documents: the counts of echo._origin_query for the whole database.

    `named_origins`: the (for_hop, origin, item_primary) rows of the named chain ends whose
    intermediary's report is logged (echo._item_origins(None))."""
    hops = _Hops(session)
    items = {for_hop: (origin, item_primary) for for_hop, origin, item_primary in session.execute(
        select(named_origins.c.for_hop, named_origins.c.origin, named_origins.c.item_primary))}
    return _count(session, hops, *_walk(hops, items))


def _end_value(hops: _Hops, hop_id: int, items: dict[int, tuple[int, Any]]) -> tuple[int, int]:
    """(origin, link) of a chain end, as echo._end_values and the `link` of the forward walk."""
    kind = 0
    if hops.named[hop_id]:
        item = items.get(hop_id)
        if item is not None and item[0] is not None:
            value = item[0]
            kind = 1 if item[1] is True or item[1] == 1 else 2
        else:
            own = hops.own_words.get(hops.statement[hop_id])
            value = own if own is not None else -hops.named[hop_id]
            kind = 3
    else:
        value = hops.document[hop_id]
    if hops.primary[hop_id] == 1:
        return value, 1
    return value, (10 + kind) if kind else 0


def _walk(hops: _Hops, items: dict[int, tuple[int, Any]]) -> tuple[array, bytearray, bytearray]:
    """Each hop's origin and link (1 primary end, 2 relying on a primary end directly, 10 + kind a
    named end, 0 otherwise) and state (_DONE: it has an origin; a hop in or behind a circle has none)."""
    via = hops.via
    size = len(via)
    origin = array("q", [0]) * size
    link = bytearray(size)
    state = bytearray(size)
    for start in compress(range(size), hops.document):  # every hop (document_id is never 0)
        if state[start]:
            continue
        path: list[int] = []
        node = start
        base: tuple[int, int] | None = None
        while True:
            seen = state[node]
            if seen == _DONE:
                base = (origin[node], link[node])
                break
            if seen:  # on this path (a circle) or known to have no origin
                break
            parent = via[node]
            if not parent:
                base = _end_value(hops, node, items)
                origin[node], link[node] = base
                state[node] = _DONE
                break
            state[node] = _ON_PATH
            path.append(node)
            node = parent
        for node in reversed(path):
            if base is None:
                state[node] = _NO_ORIGIN
                continue
            base = (base[0], 2 if base[1] == 1 else 0)
            origin[node], link[node] = base
            state[node] = _DONE
    return origin, link, state


def _count(session: Session, hops: _Hops, origin: array, link: bytearray, state: bytearray) -> list[OriginRow]:
    """Group the carrying hops by claim (echo._origin_query's counts and its `quoter`)."""
    from claimtrack.checks.echo import CARRYING_STANCES
    from claimtrack.queries.live import retired_claim_ids

    # per statement: its claim when it carries it (else 0), and its speaker
    claim_of, speaker_of = _columns(session, select(
        Statement.id,
        case((and_(Statement.stance.in_(CARRYING_STANCES), Statement.status == NORMAL,
                   Statement.claim_id.not_in(retired_claim_ids())), Statement.claim_id), else_=0),
        func.coalesce(Statement.speaker_id, 0)), Statement.__table__)
    # the byline is rarely filled in: names are read only then, both lowered by the database
    author: dict[int, str] = dict(session.execute(select(Document.id, func.lower(Document.author))
                                  .where(Document.author.is_not(None))).all())
    names: dict[int, str] = dict(session.execute(select(Actor.id, func.lower(Actor.name))).all()) if author else {}
    live, translation, outlet = hops.live, hops.translation, hops.outlet
    document, statement, via, normal = hops.document, hops.statement, hops.via, hops.normal
    per_claim: dict[int, list[tuple[int, int, bool]]] = {}
    add = per_claim.setdefault
    done = state.translate(_ONLY_DONE)
    for hop_id in compress(range(len(done)), done):
        if not normal[hop_id]:
            continue
        sid = statement[hop_id]
        claim_id = claim_of[sid]
        doc_id = document[hop_id]
        if not claim_id or not live[doc_id] or (translation[doc_id] and via[hop_id]):
            continue
        value = origin[hop_id]
        quoter = False
        if doc_id != value:  # only a relaying document can quote the speaker's own words
            relied, speaker = link[hop_id], speaker_of[sid]
            quoter = (relied == 2 or relied == 11 or (relied == 13 and value > 0)
                      or (speaker != 0 and outlet[doc_id] == speaker)
                      or (doc_id in author and speaker != 0 and names.get(speaker) == author[doc_id]))
        add(claim_id, []).append((doc_id, value, quoter))
    rows = []
    for claim_id, ends in per_claim.items():
        documents = {doc for doc, _, _ in ends}
        relaying = {doc for doc, value, _ in ends if doc != value}
        quoting = {doc for doc, _, quoter in ends if quoter}
        origins = {value for _, value, _ in ends}
        rows.append(OriginRow(claim_id, len(documents), len(origins), len(relaying), len(quoting), min(origins)))
    rows.sort()
    return rows
