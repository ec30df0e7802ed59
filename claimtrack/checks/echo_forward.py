"""Echo counts for the whole database, from three narrow scans instead of one join per hop.

The scoped audit walks back from the hops in scope in SQL (echo._ends_backward). For the whole
database that walk, joined back to every hop's statement and document and grouped by claim, cost
~18 s of a 44 s audit at 1M statements (SQLite: a random lookup of each of 1.8 M hops' statement
row and a sort of 1.7 M rows). Here the hops, the carrying statements and the documents are each
read once (the hop table, checks/_hoptable.py, shared with other rules), only the columns the
count needs, and the walk runs over arrays indexed by hop id: each hop is visited once, and a hop whose chain runs into a circle has no
origin (as in the SQL walks). The named chain ends' intermediary reports come from the same SQL
as the scoped walk (echo._named_items), walked back over the table as echo._item_origins does,
so both walks count alike (tests compare them).
"""

from __future__ import annotations

from array import array
from itertools import compress
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from claimtrack.checks._hoptable import HopTable, columns, hop_table
from claimtrack.models import Actor, Document, Statement
from claimtrack.queries.live import NORMAL

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


def origin_rows(session: Session, named_links: list[tuple[int, int]]) -> list[OriginRow]:
    """Per claim with carrying documents: the counts of echo._origin_query for the whole database.

    `named_links`: (named chain end, its intermediary's report) for the named ends whose
    intermediary's report is logged (echo.named_links)."""
    hops = hop_table(session)
    return _count(session, hops, *_walk(hops, _item_origins(hops, named_links)))


def _item_origins(hops: HopTable, named_links: list[tuple[int, int]]) -> dict[int, tuple[int, bool]]:
    """echo._item_origins over the hop table: for each named end, the origin of its
    intermediary's report (walked back at most MAX_DEPTH links; none in a circle) and whether
    that report is primary. (In SQL, PostgreSQL ran the recursive step as a scan of all hops
    per level: 8 s.)"""
    from claimtrack.checks.echo import MAX_DEPTH

    via = hops.via
    items: dict[int, tuple[int, bool]] = {}
    for for_hop, item_id in named_links:
        end, steps = item_id, 0
        while via[end] and steps < MAX_DEPTH:
            end, steps = via[end], steps + 1
        if via[end]:
            continue  # no end within the bound: a circle
        if hops.named[end]:
            own = hops.own_words.get(hops.statement[end])
            origin = own if own is not None else -hops.named[end]
        else:
            origin = hops.document[end]
        items[for_hop] = (origin, hops.primary[item_id] == 1)
    return items


def _end_value(hops: HopTable, hop_id: int, items: dict[int, tuple[int, Any]]) -> tuple[int, int]:
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


def _walk(hops: HopTable, items: dict[int, tuple[int, Any]]) -> tuple[array, bytearray, bytearray]:
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


def _count(session: Session, hops: HopTable, origin: array, link: bytearray, state: bytearray) -> list[OriginRow]:
    """Group the carrying hops by claim (echo._origin_query's counts and its `quoter`)."""
    from claimtrack.checks.echo import CARRYING_STANCES
    from claimtrack.queries.live import retired_claim_ids

    # per statement: its claim when it carries it (else 0), and its speaker
    claim_of, speaker_of = columns(session, select(
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
