"""Reversal conflicts: one speaker both supported a claim and opposed it.

A merged-away actor's statements count as the actor it was merged into (its survivor)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate, parse_date
from claimtrack.models import Actor, Claim, Statement
from claimtrack.queries.conflicts.loading import (
    OPPOSING,
    SUPPORTING,
    TAKING_SIDES,
    Filters,
    chunks,
    ordered_items,
    retired_among,
    side_sums,
)
from claimtrack.queries.conflicts.page import get, load_items, merged_ids, side_ids
from claimtrack.queries.conflicts.text import short_text
from claimtrack.queries.conflicts.values import (
    HIGH,
    LOW,
    Candidate,
    Conflict,
    StatementItem,
    on_retired_claim,
)

#: what a reversal conflict means, shown with every one (and in docs/reports.md)
EXPLANATION = ("One speaker both supported the claim (asserts/confirms) and opposed it "
               "(denies/disputes/retracts).")


class _Merges:
    """Merged-away actors' statements count as their survivor's (the actor at the end of the chain)."""

    def __init__(self, session: Session) -> None:
        self.merged = dict(session.execute(
            select(Actor.id, Actor.merged_into_id).where(Actor.merged_into_id.is_not(None))).all())

    def survivor(self, actor_id: int) -> int:
        seen = set()
        while actor_id in self.merged and actor_id not in seen:
            seen.add(actor_id)
            actor_id = self.merged[actor_id] or actor_id
        return actor_id

    def involved(self) -> Any:
        """A subquery of every actor in a merge (merged away, or merged into): only their
        (claim, speaker) groups can add up to a reversal without being one on their own."""
        return select(Actor.id).where(or_(Actor.merged_into_id.is_not(None), Actor.id.in_(
            select(Actor.merged_into_id).where(Actor.merged_into_id.is_not(None)))))


class _Groups:
    """(claim, survivor) -> [normal supporting, normal opposing, all supporting, all opposing,
    count, latest said], summed from (claim, speaker) rows, and the reversals among them."""

    def __init__(self, session: Session, f: Filters, merges: _Merges) -> None:
        self.session, self.f, self.merges = session, f, merges
        self.groups: dict[tuple[int, int], list[Any]] = {}

    def add(self, claim_id: int, speaker_id: int, values: Sequence[Any]) -> None:
        group = self.groups.setdefault((claim_id, self.merges.survivor(speaker_id)), [0, 0, 0, 0, 0, None])
        for index in range(5):
            group[index] += values[index] or 0
        latest = values[5] if len(values) > 5 else None
        if latest is not None and (group[5] is None or latest > group[5]):
            group[5] = latest

    def candidates(self) -> list[Candidate]:
        """The reversals, in (claim, speaker) order; emptied afterwards."""
        allowed = set(self.f.speaker_ids) if self.f.speaker_ids is not None else None
        result = []
        for (claim_id, speaker_id), group in sorted(self.groups.items()):
            normal_supp, normal_opp, all_supp, all_opp, count, latest = group
            if not (all_supp and all_opp):
                continue
            if allowed is not None and speaker_id not in allowed:
                continue
            if self.f.since is not None and (latest is None or latest < self.f.since):
                continue
            live = bool(normal_supp) and bool(normal_opp)
            result.append(Candidate("reversal", (claim_id,), HIGH if live else LOW, count, not live,
                                    partial(build_reversal, self.session, claim_id, speaker_id, not live),
                                    speaker_id=speaker_id))
        self.groups.clear()
        return result


def _columns(f: Filters) -> tuple[Any, ...]:
    # the latest date only when --since asks: said_on is not in the covering index
    latest = (func.max(Statement.said_on),) if f.since is not None else ()
    return (Statement.claim_id, Statement.speaker_id, *side_sums(), func.count(), *latest)


def reversal_candidates(session: Session, f: Filters, claim_ids: list[int]) -> list[Candidate]:
    """Which speakers reversed themselves on these claims (merged actors count as their survivor)."""
    merges = _Merges(session)
    touched: set[int] = set()
    if merges.merged:
        # claims where a merged-away actor took a side: regroup those in Python by survivor
        merged_claims = select(Statement.claim_id).where(Statement.speaker_id.in_(list(merges.merged)),
                                                         Statement.stance.in_(TAKING_SIDES)).distinct()
        if f.claim_id is not None:
            merged_claims = merged_claims.where(Statement.claim_id == f.claim_id)
        touched = set(session.scalars(merged_claims))
    groups = _Groups(session, f, merges)
    for chunk in chunks(sorted(set(claim_ids) | touched)):
        query = (select(*_columns(f)).where(Statement.claim_id.in_(chunk), Statement.speaker_id.is_not(None),
                                            Statement.stance.in_(TAKING_SIDES))
                 .group_by(Statement.claim_id, Statement.speaker_id))
        for claim_id, speaker_id, *values in session.execute(query):
            groups.add(claim_id, speaker_id, values)
    return groups.candidates()


def streamed_reversals(session: Session, f: Filters, enough: int | None = None) -> tuple[list[Candidate], bool]:
    """Every reversal (no claim or speaker filter) in (claim, speaker) order from one walk along
    the covering index ix_statements_claim_speaker_stance, and whether the walk got to the end.

    With `enough`, the walk stops once that many *live* reversals (normal statements on both
    sides, claim not retired) are found: they come first in a listing, so they are its first
    page. It walks in slices of whole claims (keyset on claim_id, LIMIT on the (claim, speaker)
    groups), so each slice is one index range scan that stops early on both backends. A group
    is read only if its speaker reversed on their own or took part in a merge (those are
    regrouped by survivor here); the rest are dropped by HAVING inside the scan. A reversal on a
    retired claim rests on a retired record (on_retired_claim; each slice's claims are looked up
    by key, not by a scan of the claims).
    """
    assert f.claim_id is None and f.speaker_ids is None
    merges = _Merges(session)
    _, _, supp, opp = side_sums()
    own = and_(supp > 0, opp > 0)
    query = (select(*_columns(f))
             .where(Statement.speaker_id.is_not(None), Statement.stance.in_(TAKING_SIDES))
             .group_by(Statement.claim_id, Statement.speaker_id)
             .having(or_(own, Statement.speaker_id.in_(merges.involved())) if merges.merged else own)
             .order_by(Statement.claim_id, Statement.speaker_id))
    groups = _Groups(session, f, merges)
    found: list[Candidate] = []
    live = 0
    after: int | None = None
    size = max(2 * enough, 64) if enough is not None else None
    while True:
        rows = session.execute(query.where(Statement.claim_id > after).limit(size) if after is not None
                               else query.limit(size)).all()
        complete = size is None or len(rows) < size
        last = rows[-1][0] if rows and not complete else None
        if not complete and last == rows[0][0]:
            size = 2 * size if size is not None else None  # one claim fills the slice: read a larger one
            continue
        for claim_id, speaker_id, *values in rows:
            if claim_id != last:  # the last claim of a full slice may go on in the next one
                groups.add(claim_id, speaker_id, values)
        candidates = groups.candidates()
        retired = retired_among(session, (c.claim_ids[0] for c in candidates))
        for candidate in candidates:
            if candidate.claim_ids[0] in retired:
                candidate = on_retired_claim(candidate)
            found.append(candidate)
            live += not candidate.rests_on_retracted
            if enough is not None and live >= enough:
                return found, False
        if complete:
            return found, True
        after = max(r[0] for r in rows if r[0] != last)


def build_reversal(session: Session, claim_id: int, speaker_id: int, retracted_only: bool) -> Conflict:
    claim = get(session, Claim, claim_id)
    speaker = get(session, Actor, speaker_id)
    assert claim is not None and speaker is not None
    speaker_ids = merged_ids(session, speaker_id)
    supp_ids, supp_total = side_ids(session, claim_id, SUPPORTING, speaker_ids)
    opp_ids, opp_total = side_ids(session, claim_id, OPPOSING, speaker_ids)
    items = load_items(session, supp_ids + opp_ids)
    supp_dates = [_said(items, i) for i in supp_ids]
    opp_dates = [_said(items, i) for i in opp_ids]
    first_supp = min((d for d in supp_dates if d), default=None)
    first_opp = min((d for d in opp_dates if d), default=None)
    if first_supp and first_opp and first_supp.end < first_opp.start:
        order = f"supported it ({first_supp}) and later opposed it ({first_opp})"
    elif first_supp and first_opp and first_opp.end < first_supp.start:
        order = f"opposed it ({first_opp}) and later supported it ({first_supp})"
    else:
        order = "both supported and opposed it (order unknown: dates missing or overlapping)"
    summary = f"{speaker.name} {order}: claim {claim_id} \u201c{short_text(claim.text)}\u201d."
    if retracted_only:
        summary += " (One side rests only on retracted or deprecated statements.)"
    return Conflict("reversal", [claim_id], summary, LOW if retracted_only else HIGH, EXPLANATION,
                    [ordered_items(items, supp_ids), ordered_items(items, opp_ids)],
                    [f"{speaker.name} supports", f"{speaker.name} opposes"], [supp_total, opp_total],
                    rests_on_retracted=retracted_only)


def _said(items: dict[int, StatementItem], statement_id: int) -> PartialDate | None:
    item = items.get(statement_id)
    return parse_date(item.said) if item is not None and item.said else None


