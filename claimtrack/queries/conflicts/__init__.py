"""Conflict detection: find claims that cannot all be right and line their sides up.

Five kinds (docs/reports.md), one module each: opposing stances on one claim (`stance`), a
`contradicts` relation between two claims (`relation`), different figures for one counted thing
(`quantity`), a speaker who supported and opposed the same claim (`reversal`), and verdicts that
disagree (`verdict`). They share `values` (kinds, severities, the result dataclasses) and
`loading` (statements in detail, one side of a claim, the page cache); `listing` orders them.

How it stays fast on a million statements: every kind first finds its *candidates* with one
aggregate query (GROUP BY / HAVING over the indexed foreign keys, or a column-only scan for
quantities), which also yields the severity; candidates are sorted, and only the requested page
is loaded in detail. With `claim_id`, every query is restricted through the claim_id indexes.
The first page of a global listing of stances or reversals streams along the covering index
and stops once the page is full.

Retracted and deprecated records are never dropped silently: inside a conflict they are listed
with their status; a conflict that exists *only* because of such records is left out unless
`include_retracted` is set, and the number left out is returned (`hidden_retracted`) so the
caller can say so.

The public API is what this module exports; the kind modules are internal.
"""

from claimtrack.queries.conflicts.listing import EXPLANATIONS, find_conflicts
from claimtrack.queries.conflicts.loading import (
    actor_ids_with_merged,
    load_statement_items,
    side_statement_ids,
    verdict_item,
)
from claimtrack.queries.conflicts.page import KnownStatements
from claimtrack.queries.conflicts.quantity import (
    ABOUT_TOLERANCE,
    fast_fold,
    figure_interval,
    figures_compatible,
    format_figure,
)
from claimtrack.queries.conflicts.values import (
    HIGH,
    KINDS,
    LOW,
    MEDIUM,
    SEVERITY_LABELS,
    SIDE_CAP,
    ClaimItem,
    Conflict,
    ConflictList,
    Item,
    Reported,
    StatementItem,
    VerdictItem,
)

__all__ = [
    "ABOUT_TOLERANCE", "EXPLANATIONS", "HIGH", "KINDS", "LOW", "MEDIUM", "SEVERITY_LABELS", "SIDE_CAP",
    "ClaimItem", "Conflict", "ConflictList", "Item", "KnownStatements", "Reported", "StatementItem",
    "VerdictItem", "actor_ids_with_merged", "fast_fold", "figure_interval", "figures_compatible",
    "find_conflicts", "format_figure", "load_statement_items", "side_statement_ids", "verdict_item",
]
