"""Stance conflicts: statements on one claim take opposing stances.

Stance and reversal candidates come from one scan of the statements (side_taking_candidates);
the first page of a global listing streams (first_stance_page)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from claimtrack.models import Claim, Statement
from claimtrack.queries.conflicts.loading import (
    OPPOSING,
    SUPPORTING,
    TAKING_SIDES,
    Filters,
    ordered_items,
    side_sums,
)
from claimtrack.queries.conflicts.page import get, load_items, side_ids
from claimtrack.queries.conflicts.reversal import reversal_candidates
from claimtrack.queries.conflicts.text import count_note, short_text, speaker_names
from claimtrack.queries.conflicts.values import HIGH, LOW, Candidate, Conflict
from claimtrack.queries.live import retired_claim_ids

#: what a stance conflict means, shown with every one (and in docs/reports.md)
EXPLANATION = ("Statements on the same claim take opposing stances: one side asserts or confirms "
               "it, the other denies, disputes or retracts it.")


def side_taking_candidates(session: Session, f: Filters, kinds: Sequence[str]) -> list[Candidate]:
    """Stance and reversal candidates from ONE scan of the statements.

    The inner query groups by (claim, speaker), the outer one by claim; both walk the covering
    index ix_statements_claim_speaker_stance in order, so this is one streaming pass over a
    million statements with no sort, instead of one per kind.
    """
    sums = side_sums()
    inner = (
        select(
            Statement.claim_id.label("claim_id"),
            Statement.speaker_id.label("speaker_id"),
            *(total.label(name) for total, name in zip(sums, ("ns", "no", "s", "o"))),
            func.count().label("n"),
        )
        .where(Statement.stance.in_(TAKING_SIDES))
        .group_by(Statement.claim_id, Statement.speaker_id)
    )
    if f.claim_id is not None:
        inner = inner.where(Statement.claim_id == f.claim_id)
    restrict = f.statement_claims()
    if restrict is not None:
        inner = inner.where(Statement.claim_id.in_(restrict))
    sub = inner.subquery()
    reversing = case((and_(sub.c.speaker_id.is_not(None), sub.c.s > 0, sub.c.o > 0), 1), else_=0)
    outer = (
        select(sub.c.claim_id, func.sum(sub.c.ns), func.sum(sub.c.no), func.sum(sub.c.n), func.sum(reversing))
        .group_by(sub.c.claim_id)
        .having(func.sum(sub.c.s) > 0, func.sum(sub.c.o) > 0)
    )
    result: list[Candidate] = []
    reversal_claims: list[int] = []
    for claim_id, normal_supp, normal_opp, count, reversals in session.execute(outer):
        if "stance" in kinds:
            live = bool(normal_supp) and bool(normal_opp)
            result.append(Candidate("stance", (claim_id,), HIGH if live else LOW, count, not live,
                                     partial(build_stance, session, claim_id, not live)))
        if reversals:
            reversal_claims.append(claim_id)
    if "reversal" in kinds:
        result.extend(reversal_candidates(session, f, reversal_claims))
    return result


def first_stance_page(session: Session, f: Filters, limit: int, any_retired: bool = False) -> list[Candidate]:
    """Up to `limit` + 1 live stance conflicts in claim order, stopping the scan early.

    Live stance conflicts come first in the order of a listing, so when there are more of them
    than a page holds, the page is exactly these and nothing else needs computing: the GROUP BY
    streams along the covering index and stops after `limit` + 1 groups.
    """
    normal_supp, normal_opp, _, _ = side_sums()
    query = (
        select(Statement.claim_id, func.count())
        .where(Statement.stance.in_(TAKING_SIDES))
        .group_by(Statement.claim_id)
        .having(normal_supp > 0, normal_opp > 0)
        .order_by(Statement.claim_id)
        .limit(limit + 1)
    )
    restrict = f.statement_claims()
    if restrict is not None:
        query = query.where(Statement.claim_id.in_(restrict))
    if any_retired:  # a retired claim's conflicts are not live
        query = query.where(Statement.claim_id.not_in(retired_claim_ids()))
    return [Candidate("stance", (claim_id,), HIGH, count, False, partial(build_stance, session, claim_id, False))
            for claim_id, count in session.execute(query)]


def build_stance(session: Session, claim_id: int, retracted_only: bool) -> Conflict:
    claim = get(session, Claim, claim_id)
    assert claim is not None
    supp_ids, supp_total = side_ids(session, claim_id, SUPPORTING)
    opp_ids, opp_total = side_ids(session, claim_id, OPPOSING)
    items = load_items(session, supp_ids + opp_ids)
    supporters = speaker_names(items[i] for i in supp_ids if i in items)
    opponents = speaker_names(items[i] for i in opp_ids if i in items)
    summary = (f"Claim {claim_id} \u201c{short_text(claim.text)}\u201d: supported by {supporters or 'retracted records'}"
               f"{count_note(supp_total)}; opposed by {opponents or 'retracted records'}{count_note(opp_total)}.")
    if retracted_only:
        summary += " (One side rests only on retracted or deprecated statements.)"
    return Conflict("stance", [claim_id], summary, LOW if retracted_only else HIGH, EXPLANATION,
                    [ordered_items(items, supp_ids), ordered_items(items, opp_ids)],
                    ["supports (asserts, confirms)", "opposes (denies, disputes, retracts)"],
                    [supp_total, opp_total], rests_on_retracted=retracted_only)


