"""Counts per kind of object."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.models import Actor, Claim, ClaimRelation, Document, Event, Hop, Statement, Verdict

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


def count_objects(session: Session) -> dict[str, int]:
    """How many of each kind the database holds (merged actors included: nothing is deleted)."""
    return {name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in COUNTED.items()}
