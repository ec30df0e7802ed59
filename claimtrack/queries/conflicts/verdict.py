"""Verdict conflicts: fact-checkers' verdicts on one claim disagree on the 0–1 scale."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from claimtrack.models import Claim, Statement, Verdict
from claimtrack.normalize import fold
from claimtrack.queries.conflicts.loading import Filters, verdict_item
from claimtrack.queries.conflicts.page import get, memo
from claimtrack.queries.conflicts.quantity import fast_fold
from claimtrack.queries.conflicts.text import short_text
from claimtrack.queries.conflicts.values import (
    HIGH,
    LOW,
    MEDIUM,
    Candidate,
    Conflict,
    Item,
    VerdictItem,
)
from claimtrack.queries.ratings import normalize_rating

#: what a verdict conflict means, shown with every one (and in docs/reports.md)
EXPLANATION = ("Fact-checkers' verdicts on the claim disagree once placed on one 0–1 scale "
               "(0 = false, 1 = true): numeric ratings by best/worst, labels by a fixed table.")


def verdict_severity(verdicts: Sequence[tuple[Any, ...]]) -> int | None:
    """HIGH/MEDIUM/LOW for disagreeing verdicts; None when they agree.

    Rows are (id, claim_id, label, value, best, worst, status)."""
    if len(verdicts) < 2:
        return None
    positions = [normalize_rating(v[2], v[3], v[4], v[5]) for v in verdicts]
    placed = [p for p in positions if p is not None]
    spread = max(placed) - min(placed) if len(placed) > 1 else None
    if spread is not None and spread >= 0.6 - 1e-9:
        return HIGH
    if spread is not None and spread >= 0.2 - 1e-9:
        return MEDIUM
    if len(placed) < len(verdicts) and len({fast_fold(v[2]) for v in verdicts}) > 1:
        return LOW  # a label off the table differs from the others: show it, but low
    return None


def verdict_candidates(session: Session, f: Filters) -> list[Candidate]:
    multi = select(Verdict.claim_id).group_by(Verdict.claim_id).having(func.count() > 1)
    if f.claim_id is not None:
        multi = multi.where(Verdict.claim_id == f.claim_id)
    if f.speaker_ids is not None:
        multi = multi.where(Verdict.claim_id.in_(select(Statement.claim_id).where(Statement.speaker_id.in_(f.speaker_ids))))
    if f.since is not None:
        multi = multi.having(func.max(Verdict.reviewed_on) >= f.since)
    rows = session.execute(
        select(Verdict.id, Verdict.claim_id, Verdict.label, Verdict.rating_value, Verdict.best, Verdict.worst, Verdict.status)
        .where(Verdict.claim_id.in_(multi))
    ).all()
    by_claim: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_claim[row[1]].append(tuple(row))
    result = []
    for claim_id, verdicts in by_claim.items():
        live_severity = verdict_severity([v for v in verdicts if v[6] == "normal"])
        severity = live_severity or verdict_severity(verdicts)
        if severity is None:
            continue
        retracted_only = live_severity is None
        result.append(Candidate("verdict", (claim_id,), LOW if retracted_only else severity, len(verdicts),
                                 retracted_only, partial(build_verdict, session, claim_id, retracted_only)))
    return result


def build_verdict(session: Session, claim_id: int, retracted_only: bool) -> Conflict:
    claim = get(session, Claim, claim_id)
    assert claim is not None
    verdicts = memo(("verdicts", claim_id), lambda: session.scalars(
        select(Verdict).where(Verdict.claim_id == claim_id).options(selectinload(Verdict.reviewer)).order_by(Verdict.id)
    ).all())
    items = [verdict_item(v, v.reviewer.name if v.reviewer else None) for v in verdicts]
    # one side per position on the scale (or per label when the label cannot be placed)
    groups: dict[tuple[float, str], list[Item]] = {}
    for item in items:
        key = (item.normalized, "") if item.normalized is not None else (2.0, fold(item.label))
        groups.setdefault(key, []).append(item)
    ordered = [groups[k] for k in sorted(groups)]
    labels = [" / ".join(sorted({i.label for i in side if isinstance(i, VerdictItem)})) for side in ordered]
    rows = [(v.id, v.claim_id, v.label, v.rating_value, v.best, v.worst, v.status) for v in verdicts]
    live = [r for r in rows if r[6] == "normal"]
    severity = LOW if retracted_only else (verdict_severity(live) or LOW)
    described = "; ".join(
        f"{i.reviewer or 'unknown reviewer'}: {i.label}" + (f" ({i.normalized:.2f})" if i.normalized is not None else "")
        + (f" [{i.status}]" if i.status != "normal" else "")
        for i in items
    )
    summary = f"Verdicts on claim {claim_id} \u201c{short_text(claim.text)}\u201d disagree: {described}."
    if retracted_only:
        summary += " (The disagreement rests only on retracted or deprecated verdicts.)"
    return Conflict("verdict", [claim_id], summary, severity, EXPLANATION, ordered, labels,
                    [len(side) for side in ordered], rests_on_retracted=retracted_only)


