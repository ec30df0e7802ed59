"""find_conflicts: every wanted kind's candidates, ordered most severe first, and only the
requested page built in detail (its statements loaded in one go)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.orm import Session

from claimtrack.queries.conflicts import quantity, relation, reversal, stance, verdict
from claimtrack.queries.conflicts.loading import Filters
from claimtrack.queries.conflicts.page import KnownStatements, build_page
from claimtrack.queries.conflicts.values import KINDS, Candidate, ConflictList, on_retired_claim
from claimtrack.queries.live import retired_claim_ids

#: what each kind means, shown with every conflict (and in docs/reports.md)
EXPLANATIONS: dict[str, str] = {
    "stance": stance.EXPLANATION, "reversal": reversal.EXPLANATION, "relation": relation.EXPLANATION,
    "quantity": quantity.EXPLANATION, "verdict": verdict.EXPLANATION,
}

FINDERS: dict[str, Callable[[Session, Filters], list[Candidate]]] = {
    "relation": relation.relation_candidates,
    "quantity": quantity.quantity_candidates,
    "verdict": verdict.verdict_candidates,
}


def find_conflicts(
    session: Session,
    *,
    claim_id: int | None = None,
    kinds: Sequence[str] | None = None,
    speaker_ids: Sequence[int] | None = None,
    since: date | None = None,
    include_retracted: bool = False,
    limit: int | None = None,
    known: KnownStatements | None = None,
) -> ConflictList:
    """Conflicts, most severe first; only the first `limit` are loaded in detail.

    Order: severity (high first), then kind (stance, reversal, relation, quantity, verdict),
    then claim ids (then a reversal's speaker). When the live conflicts of the first kind asked
    for fill the page on their own (stances, or reversals without stances), the listing stops
    there and `total` and `hidden_retracted` are None (not counted: that would take a full scan).
    `known`: statements the caller already loaded (see KnownStatements), reused instead of re-read.
    """
    filters = Filters(claim_id, list(speaker_ids) if speaker_ids is not None else None, since)
    wanted = list(kinds or KINDS)
    candidates: list[Candidate] = []
    streamed = "stance" not in wanted and "reversal" in wanted and claim_id is None and speaker_ids is None
    if streamed:
        # reversals lead the listing: one walk along the index, stopped once the page is full
        found, complete = reversal.streamed_reversals(session, filters, limit + 1 if limit is not None else None)
        if not complete:
            live = [c for c in found if not c.rests_on_retracted]
            return ConflictList(build_page(session, live[:limit]), None, None)
        candidates.extend(found)
    retired = set(session.scalars(retired_claim_ids()))
    if limit is not None and claim_id is None and "stance" in wanted:
        first = stance.first_stance_page(session, filters, limit, bool(retired))
        if len(first) > limit:
            return ConflictList(build_page(session, first[:limit]), None, None)
    if "stance" in wanted or ("reversal" in wanted and not streamed):
        candidates.extend(stance.side_taking_candidates(session, filters, wanted))
    for kind in wanted:
        if kind in FINDERS:
            candidates.extend(FINDERS[kind](session, filters))
    if retired:
        candidates = [on_retired_claim(c) if retired.intersection(c.claim_ids) else c for c in candidates]
    hidden = sum(1 for c in candidates if c.rests_on_retracted)
    if not include_retracted:
        candidates = [c for c in candidates if not c.rests_on_retracted]
    else:
        hidden = 0
    candidates.sort(key=lambda c: (-c.severity, KINDS.index(c.kind), c.claim_ids, c.speaker_id or 0))
    page = candidates if limit is None else candidates[:limit]
    return ConflictList(build_page(session, page, known), len(candidates), hidden)
