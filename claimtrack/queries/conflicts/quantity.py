"""Quantity conflicts: claims that count the same thing (the same folded subject) with
different figures, compatible or not once their bounds are read as intervals."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.models import Claim, Statement
from claimtrack.normalize import fold
from claimtrack.queries.conflicts.loading import Filters, chunks, retracted_only_claims
from claimtrack.queries.conflicts.page import claim_side, memo
from claimtrack.queries.conflicts.text import speaker_names
from claimtrack.queries.conflicts.values import (
    HIGH,
    LOW,
    MEDIUM,
    Candidate,
    Conflict,
    StatementItem,
)
from claimtrack.vocab import Bound

#: "about" a figure is read as within this fraction of it
ABOUT_TOLERANCE = 0.25


# --------------------------------------------------------------------------- figures

#: what a quantity conflict means, shown with every one (and in docs/reports.md)
EXPLANATION = ("Claims count the same thing with different figures. The bounds (exact, about "
               "±25%, at least, more than, at most, less than) decide whether the figures are "
               "compatible (can all be true at once) or incompatible.")


def format_figure(value: float | None, bound: str | None, unit: str | None = None) -> str | None:
    """"more than 3,000 people" from (3000, "more_than", "people")."""
    if value is None:
        return None
    number = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    prefix = {
        Bound.EXACT: "", Bound.ABOUT: "about ", Bound.AT_LEAST: "at least ", Bound.MORE_THAN: "more than ",
        Bound.AT_MOST: "at most ", Bound.LESS_THAN: "less than ",
    }.get(Bound(bound) if bound is not None and bound in Bound._value2member_map_ else Bound.EXACT, "")
    return f"{prefix}{number}" + (f" {unit}" if unit else "")


def figure_interval(value: float, bound: str | None) -> tuple[float, bool, float, bool]:
    """The values a figure allows: (low, low_open, high, high_open)."""
    inf = float("inf")
    match bound:
        case Bound.ABOUT:
            spread = abs(value) * ABOUT_TOLERANCE
            return value - spread, False, value + spread, False
        case Bound.AT_LEAST:
            return value, False, inf, True
        case Bound.MORE_THAN:
            return value, True, inf, True
        case Bound.AT_MOST:
            return -inf, True, value, False
        case Bound.LESS_THAN:
            return -inf, True, value, True
        case _:
            return value, False, value, False


def figures_compatible(a: tuple[float, str | None], b: tuple[float, str | None]) -> bool:
    """Whether two bounded figures can both be true (their intervals overlap)."""
    a_lo, a_lo_open, a_hi, a_hi_open = figure_interval(*a)
    b_lo, b_lo_open, b_hi, b_hi_open = figure_interval(*b)
    if a_lo > b_lo or (a_lo == b_lo and a_lo_open):
        lo, lo_open = a_lo, a_lo_open
    else:
        lo, lo_open = b_lo, b_lo_open
    if a_hi < b_hi or (a_hi == b_hi and a_hi_open):
        hi, hi_open = a_hi, a_hi_open
    else:
        hi, hi_open = b_hi, b_hi_open
    return lo < hi or (lo == hi and not lo_open and not hi_open)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)  # the same pattern as claimtrack.normalize.fold


def fast_fold(text: str) -> str:
    """claimtrack.normalize.fold, with a shortcut for ASCII text (most subjects): for ASCII,
    casefold is lower() and NFKD/combining marks change nothing, so only the regex remains."""
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    return fold(text)


def quantity_candidates(session: Session, f: Filters) -> list[Candidate]:
    # The subject is compared on fold(), which SQL cannot compute portably. So: the distinct
    # subject spellings come from the quantity_subject index (GROUP BY), Python folds them, and
    # only claims whose folded subject is shared by a differing figure are read, by that index.
    subject = None
    if f.claim_id is not None:
        subject = session.scalar(select(Claim.quantity_subject).where(Claim.id == f.claim_id))
        if subject is None:
            return []
    spellings = session.execute(
        select(Claim.quantity_subject, func.count()).where(Claim.quantity_subject.is_not(None))
        .group_by(Claim.quantity_subject)
    ).all()
    by_fold: dict[str, list[str]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    for spelling, count in spellings:
        if spelling is None:
            continue
        key = fast_fold(spelling)
        by_fold[key].append(spelling)
        sizes[key] += count
    if subject is not None:
        wanted = [fast_fold(subject)]
    else:
        wanted = [key for key, size in sizes.items() if size > 1]
    raw = [spelling for key in wanted for spelling in by_fold.get(key, [])]
    rows: list[Any] = []
    for spellings_chunk in chunks(raw):
        rows.extend(session.execute(
            select(Claim.id, Claim.quantity_subject, Claim.quantity_value, Claim.quantity_bound, Claim.quantity_unit)
            .where(Claim.quantity_subject.in_(spellings_chunk))
        ).all())
    groups: dict[str, list[tuple[int, float, str | None, str | None]]] = defaultdict(list)
    for claim_id, subject_text, value, bound, unit in rows:
        groups[fast_fold(subject_text)].append((claim_id, value, bound, unit))
    groups = {k: v for k, v in groups.items() if len({(val, b or "exact", fast_fold(u or "")) for _, val, b, u in v}) > 1}
    if not groups:
        return []
    members_all = [c for v in groups.values() for c, *_ in v]
    restrict = f.statement_claims()
    allowed: set[int] | None = None
    if restrict is not None:
        allowed = set()
        for chunk in chunks(members_all):
            allowed.update(session.scalars(select(Statement.claim_id).where(
                Statement.claim_id.in_(chunk), Statement.claim_id.in_(restrict))).all())
    dead = retracted_only_claims(session, members_all)
    result = []
    for key, members in groups.items():
        if allowed is not None and not any(c in allowed for c, *_ in members):
            continue
        live = [m for m in members if m[0] not in dead]
        live_figures = {(val, b or "exact", fast_fold(u or "")) for _, val, b, u in live}
        retracted_only = len(live_figures) < 2
        considered = members if retracted_only else live
        compatible = _all_compatible(considered)
        severity = LOW if retracted_only else (MEDIUM if compatible else HIGH)
        ids = tuple(sorted(c for c, *_ in members))
        result.append(Candidate("quantity", ids, severity, len(members), retracted_only,
                                 partial(build_quantity, session, list(ids), dead, retracted_only)))
    return result


def _all_compatible(members: Sequence[tuple[int, float, str | None, str | None]]) -> bool:
    return all(figures_compatible((a[1], a[2]), (b[1], b[2]))
               for i, a in enumerate(members) for b in members[i + 1:])


def build_quantity(session: Session, claim_ids: list[int], dead: set[int], retracted_only: bool) -> Conflict:
    claims = memo(("quantity", *claim_ids), lambda: sorted(
        session.scalars(select(Claim).where(Claim.id.in_(claim_ids))).all(), key=lambda c: (c.quantity_value or 0, c.id)))
    figures = {c.id: format_figure(c.quantity_value, c.quantity_bound, c.quantity_unit) for c in claims}
    sides, totals, labels = [], [], []
    for c in claims:
        side, total = claim_side(session, c, figures[c.id])
        sides.append(side)
        totals.append(total)
        labels.append(f"{figures[c.id]} (claim {c.id})" + (" [retracted/deprecated only]" if c.id in dead else ""))
    considered = claims if retracted_only else [c for c in claims if c.id not in dead]
    clashes = [
        (a, b) for i, a in enumerate(considered) for b in considered[i + 1:]
        if not figures_compatible((a.quantity_value, a.quantity_bound), (b.quantity_value, b.quantity_bound))  # type: ignore[arg-type]
    ]
    subject = claims[0].quantity_subject
    listed = " vs ".join(f"{figures[c.id]} (claim {c.id}, {speaker_names(i for i in s if isinstance(i, StatementItem)) or 'no speaker'})"
                         for c, s in zip(claims, sides))
    if clashes:
        a, b = clashes[0]
        verdict = (f"incompatible: {figures[a.id]} and {figures[b.id]} cannot both be true"
                   + (f" ({len(clashes)} incompatible pairs)" if len(clashes) > 1 else ""))
    else:
        verdict = "different but compatible: all these figures can be true at once"
    summary = f"Figures for \u201c{subject}\u201d differ: {listed}; {verdict}."
    if retracted_only:
        summary += " (The difference rests only on retracted or deprecated statements.)"
    severity = LOW if retracted_only else (HIGH if clashes else MEDIUM)
    return Conflict("quantity", [c.id for c in claims], summary, severity, EXPLANATION,
                    sides, labels, totals, rests_on_retracted=retracted_only)


