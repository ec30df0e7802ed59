"""Counts per kind of object: live records, and the retired ones apart."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.models import (
    Actor,
    Affiliation,
    Claim,
    ClaimRelation,
    Document,
    Event,
    Hop,
    Statement,
    Verdict,
)
from claimtrack.queries.live import live_claim, live_document, live_hop, live_statement
from claimtrack.vocab import RelationStatus

#: the keys of `claimtrack stats --json`, in order; scripts rely on this exact shape
COUNTED = {
    "actors": Actor,
    "documents": Document,
    "claims": Claim,
    "statements": Statement,
    "hops": Hop,
    "relations": ClaimRelation,
    "verdicts": Verdict,
    "events": Event,
}

_LIVE_RELATION = ClaimRelation.status.in_([RelationStatus.CONFIRMED.value, RelationStatus.SUGGESTED.value])

#: what makes a row count: retracted, deprecated and merged records are kept but not counted
_LIVE: dict[str, Any] = {
    "actors": Actor.merged_into_id.is_(None),
    "documents": live_document(),
    "claims": live_claim(),
    "statements": live_statement(),
    "hops": live_hop(),
    "relations": _LIVE_RELATION,
    "verdicts": Verdict.status == "normal",
}


def _count(session: Session, model: Any, condition: Any = None) -> int:
    query = select(func.count()).select_from(model)
    if condition is not None:
        query = query.where(condition)
    return session.scalar(query) or 0


def tally(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """(live, retired) records of each kind, as `claimtrack stats` shows them: one statement per
    kind counts both (rejected suggestions count as retired relations)."""
    live: dict[str, int] = {}
    retired: dict[str, int] = {}
    for name, model in COUNTED.items():
        condition = _LIVE.get(name)
        if condition is None:
            live[name] = _count(session, model)
            continue
        total, alive = session.execute(select(func.count(), func.count().filter(condition)).select_from(model)).one()
        live[name], retired[name] = alive, total - alive
    retired["affiliations"] = _count(session, Affiliation, Affiliation.status != "normal")
    return live, retired


def count_objects(session: Session) -> dict[str, int]:
    """Live records of each kind: not retracted, deprecated or merged (a statement also needs a
    live claim, a hop a live document; a relation is confirmed or suggested). Events: all."""
    return {name: _count(session, model, _LIVE.get(name)) for name, model in COUNTED.items()}

