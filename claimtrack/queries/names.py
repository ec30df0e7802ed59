"""Known names for completion (the shell): actors, claims and documents, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.models import Actor, Claim, Document


@dataclass(frozen=True)
class Named:
    """One completable object: its id, its key (if any) and the text a person recognizes."""

    id: int
    key: str | None
    label: str


@dataclass
class KnownNames:
    actors: list[Named] = field(default_factory=list)
    claims: list[Named] = field(default_factory=list)
    documents: list[Named] = field(default_factory=list)


def known_names(session: Session, limit: int = 5000) -> KnownNames:
    """Up to `limit` of each kind (merged actors left out), newest first."""
    actors = session.execute(select(Actor.id, Actor.key, Actor.name).where(Actor.merged_into_id.is_(None))
                             .order_by(Actor.id.desc()).limit(limit))
    claims = session.execute(select(Claim.id, Claim.key, Claim.text).order_by(Claim.id.desc()).limit(limit))
    documents = session.execute(select(Document.id, Document.key, Document.title, Document.url)
                                .order_by(Document.id.desc()).limit(limit))
    return KnownNames(
        actors=[Named(i, k, name) for i, k, name in actors],
        claims=[Named(i, k, text) for i, k, text in claims],
        documents=[Named(i, k, title or url or f"document {i}") for i, k, title, url in documents],
    )
