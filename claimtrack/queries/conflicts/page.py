"""One page of conflicts, built with a few queries instead of a few per conflict.

Building a conflict needs its objects (claim, speaker, relation), the ids on its sides and
those statements in detail (hops, documents, chain summaries): a query each costs far more than
its rows. So a page is built three times: first collecting the sides every conflict wants
(loading nothing), then — with all sides read in one windowed query per kind of side — the
statements those sides hold, then for real, with all of them loaded in one go. Objects and
other per-conflict reads are kept for the page (`get`, `memo`), so no pass reads them again.
Outside a page (a builder called on its own) every helper reads directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from claimtrack.models import Actor, Claim, Statement
from claimtrack.queries.conflicts.loading import (
    actor_ids_with_merged,
    chunks,
    load_statement_items,
    side_statement_ids,
)
from claimtrack.queries.conflicts.values import SIDE_CAP, Candidate, ClaimItem, Item, StatementItem

T = TypeVar("T")
SideKey = tuple[int, tuple[str, ...] | None, tuple[int, ...] | None]  # claim, stances, speakers


@dataclass
class KnownStatements:
    """Statements of one claim a caller has already loaded (the claim report), for reuse.

    `sides` maps a sorted tuple of stances to (statement ids in side order — normal first,
    then by date, then id — at least SIDE_CAP of them or all, and the side's total), as
    side_statement_ids returns them; `items` holds those statements loaded in detail.
    """

    claim_id: int
    items: dict[int, StatementItem]
    sides: dict[tuple[str, ...], tuple[list[int], int]]


class PageCache:
    """What the conflicts of one page share while it is built (see the module's docstring)."""

    def __init__(self, session: Session, known: KnownStatements | None = None) -> None:
        self.session = session
        self.stage = "sides"  # then "statements", then "build"
        self.wanted_sides: list[SideKey] = []
        self.wanted: list[int] = []
        self.items: dict[int, StatementItem] = {}
        self.sides: dict[SideKey, tuple[list[int], int]] = {}
        self.memo: dict[tuple[Any, ...], Any] = {}
        self.merged_into: dict[int, list[int]] | None = None
        if known is not None:  # what the caller loaded is not read again
            self.items.update(known.items)
            for stances, (ids, total) in known.sides.items():
                self.sides[(known.claim_id, tuple(sorted(stances)), None)] = (list(ids[:SIDE_CAP]), total)

    def preload(self, candidates: Sequence[Candidate]) -> None:
        """The page's claims and reversals' speakers, in one query each."""
        claims = sorted({i for c in candidates for i in c.claim_ids})
        speakers = sorted({c.speaker_id for c in candidates if c.speaker_id is not None})
        for chunk in chunks(claims):
            self.memo.update(((Claim, c.id), c) for c in self.session.scalars(select(Claim).where(Claim.id.in_(chunk))))
        for chunk in chunks(speakers):
            self.memo.update(((Actor, a.id), a) for a in self.session.scalars(select(Actor).where(Actor.id.in_(chunk))))

    def side_ids(self, key: SideKey) -> tuple[list[int], int]:
        if key not in self.sides:
            if self.stage == "sides":
                self.wanted_sides.append(key)
                return [], 0
            self.sides[key] = side_statement_ids(self.session, *key)
        return self.sides[key]

    def load(self, ids: Sequence[int]) -> dict[int, StatementItem]:
        if self.stage != "build":
            if self.stage == "statements":
                self.wanted.extend(ids)
            return {}
        missing = [i for i in ids if i not in self.items]
        if missing:
            self.items.update(load_statement_items(self.session, missing))
        return {i: self.items[i] for i in ids if i in self.items}

    def serve_sides(self) -> None:
        wanted = [k for k in dict.fromkeys(self.wanted_sides) if k not in self.sides]
        if wanted:
            self.sides.update(batch_side_ids(self.session, wanted))
        self.stage = "statements"

    def serve(self) -> None:
        self.stage = "build"
        unique = [i for i in dict.fromkeys(self.wanted) if i not in self.items]
        for chunk in chunks(unique):
            self.items.update(load_statement_items(self.session, chunk))

    def merged_ids(self, actor_id: int) -> list[int]:
        if self.merged_into is None:
            self.merged_into = defaultdict(list)
            for merged, survivor in self.session.execute(
                    select(Actor.id, Actor.merged_into_id).where(Actor.merged_into_id.is_not(None))
                    .order_by(Actor.id)):
                if survivor is not None:
                    self.merged_into[survivor].append(merged)
        ids, frontier = [actor_id], [actor_id]
        while frontier:
            frontier = [m for a in frontier for m in self.merged_into.get(a, []) if m not in ids]
            ids.extend(frontier)
        return ids


PAGE: ContextVar[PageCache | None] = ContextVar("claimtrack_conflict_page", default=None)


def build_page(session: Session, candidates: Sequence[Candidate], known: KnownStatements | None = None) -> list[Any]:
    """The candidates' conflicts, built in three passes that share one PageCache."""
    cache = PageCache(session, known)
    token = PAGE.set(cache)
    try:
        if len(candidates) > 1:  # one conflict (a claim's own) reads its few sides directly
            cache.preload(candidates)
            for candidate in candidates:  # which sides does the page need?
                candidate.build()
        cache.serve_sides()
        for candidate in candidates:  # which statements do those sides hold?
            candidate.build()
        cache.serve()
        return [candidate.build() for candidate in candidates]
    finally:
        PAGE.reset(token)


def batch_side_ids(session: Session, keys: Iterable[SideKey]) -> dict[SideKey, tuple[list[int], int]]:
    """side_statement_ids for many sides: one query per kind of side (its stances, and whether
    it is one speaker's), ranking each claim's (or claim and speaker's) statements with a window."""
    result: dict[SideKey, tuple[list[int], int]] = {}
    groups: dict[tuple[Any, bool], list[SideKey]] = defaultdict(list)
    for key in keys:
        claim_id, stances, speakers = key
        if speakers is not None and len(speakers) != 1:  # an actor with merged ones: rare
            result[key] = side_statement_ids(session, claim_id, stances, speakers)
        else:
            groups[(stances, speakers is not None)].append(key)
    for (stances, by_speaker), members in groups.items():
        for chunk in chunks(members, 500):
            conditions = [Statement.claim_id.in_(sorted({k[0] for k in chunk}))]
            partition: list[Any] = [Statement.claim_id]
            if stances is not None:
                conditions.append(Statement.stance.in_(list(stances)))
            if by_speaker:
                conditions.append(Statement.speaker_id.in_(sorted({k[2][0] for k in chunk if k[2]})))
                partition.append(Statement.speaker_id)
            order = (case((Statement.status == "normal", 0), else_=1), Statement.said_on.asc().nulls_last(),
                     Statement.id)
            ranked = select(Statement.claim_id, Statement.speaker_id, Statement.id,
                            func.row_number().over(partition_by=partition, order_by=order).label("rank"),
                            func.count().over(partition_by=partition).label("total")).where(*conditions).subquery()
            found: dict[SideKey, tuple[list[int], int]] = {}
            for claim_id, speaker_id, statement_id, total in session.execute(
                    select(ranked.c.claim_id, ranked.c.speaker_id, ranked.c.id, ranked.c.total)
                    .where(ranked.c.rank <= SIDE_CAP).order_by(ranked.c.rank)):
                found.setdefault((claim_id, stances, (speaker_id,) if by_speaker else None), ([], total))[0].append(
                    statement_id)
            for key in chunk:
                result[key] = found.get(key, ([], 0))
    return result


def side_ids(session: Session, claim_id: int, stances: Sequence[str] | None = None,
             speaker_ids: Sequence[int] | None = None) -> tuple[list[int], int]:
    """Up to SIDE_CAP statement ids of one side of a claim, and how many there are."""
    page = PAGE.get()
    if page is None:
        return side_statement_ids(session, claim_id, stances, speaker_ids)
    return page.side_ids((claim_id, tuple(sorted(stances)) if stances is not None else None,
                          tuple(speaker_ids) if speaker_ids is not None else None))


def load_items(session: Session, ids: Sequence[int]) -> dict[int, StatementItem]:
    page = PAGE.get()
    if page is None:
        return load_statement_items(session, ids)
    return page.load(ids)


def memo(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """compute(), once per page for this key (the identity map alone is weak: between the
    passes of a page it would forget the objects)."""
    page = PAGE.get()
    if page is None:
        return compute()
    if key not in page.memo:
        page.memo[key] = compute()
    return page.memo[key]


def get(session: Session, model: type[T], object_id: int) -> T | None:
    return memo((model, object_id), lambda: session.get(model, object_id))


def merged_ids(session: Session, actor_id: int) -> list[int]:
    """actor_ids_with_merged, from one read of the merges per page."""
    page = PAGE.get()
    if page is None:
        return actor_ids_with_merged(session, actor_id)
    return page.merged_ids(actor_id)


def claim_side(session: Session, claim: Claim, figure: str | None = None) -> tuple[list[Item], int]:
    ids, total = side_ids(session, claim.id)
    items = load_items(session, ids)
    side: list[Item] = []
    for i in ids:
        if i in items:
            side.append(replace(items[i], figure=figure))  # items are shared within a page
    if not side:
        side = [ClaimItem(claim.id, claim.text, figure)]
    return side, total
