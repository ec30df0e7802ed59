"""Find one object by what a user types: a numeric id or a stable key."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.errors import NotFound
from claimtrack.models import (
    Actor,
    Affiliation,
    Base,
    Claim,
    ClaimRelation,
    Document,
    Hop,
    Statement,
    Verdict,
)

T = TypeVar("T", bound=Base)

#: every kind of record a user names by id or key, with its model
MODELS: dict[str, type[Base]] = {"claim": Claim, "statement": Statement, "actor": Actor, "verdict": Verdict,
                                 "document": Document, "hop": Hop, "affiliation": Affiliation,
                                 "relation": ClaimRelation}
_NAMES: dict[type[Base], str] = {model: kind for kind, model in MODELS.items()}


def get_by_ref(session: Session, model: type[T], ref: str | int) -> T:
    """The object whose id (digits) or key equals `ref`; NotFound names what was asked for."""
    text = str(ref).strip()
    obj = None
    if text.isdigit():
        obj = session.get(model, int(text))
    if obj is None and hasattr(model, "key"):
        obj = session.scalar(select(model).where(model.key == text))  # type: ignore[attr-defined,arg-type]
    if obj is None:
        raise NotFound(f"{_NAMES.get(model, model.__name__.lower())} {text!r} not found (give its id or key)")
    return obj


def get_claim(session: Session, ref: str | int) -> Claim:
    return get_by_ref(session, Claim, ref)


def get_statement(session: Session, ref: str | int) -> Statement:
    return get_by_ref(session, Statement, ref)


def get_document(session: Session, ref: str | int) -> Document:
    return get_by_ref(session, Document, ref)


def get_actor(session: Session, ref: str | int) -> Actor:
    """By id or key only; names go through claimtrack.services.resolve (aliases, fuzzy match)."""
    return get_by_ref(session, Actor, ref)
