"""Small factories that add rows straight through the ORM, for tests of read paths.

They bypass the services on purpose (no events, no name resolution) so that query, report,
chain and audit tests do not depend on the write layer. Each returns the flushed object.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from claimtrack.dates import parse_optional_date
from claimtrack.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Claim,
    ClaimRelation,
    Document,
    Hop,
    Statement,
    Verdict,
)
from claimtrack.normalize import claim_hash, normalize_name, normalize_url


def actor(session: Session, name: str, kind: str = "person", aliases: tuple[str, ...] = (), **kw: Any) -> Actor:
    obj = Actor(name=name, kind=kind, **kw)
    session.add(obj)
    for spelling in (name, *aliases):
        if normalize_name(spelling) not in {a.normalized for a in obj.aliases}:
            obj.aliases.append(ActorAlias(alias=spelling, normalized=normalize_name(spelling)))
    session.flush()
    return obj


def affiliation(session: Session, who: Actor, org: Actor | None, role: str, start: str | None = None) -> Affiliation:
    obj = Affiliation(actor=who, organization=org, role=role)
    obj.start = parse_optional_date(start)
    session.add(obj)
    session.flush()
    return obj


def document(session: Session, outlet: Actor | None = None, url: str | None = None, title: str | None = None,
             published: str | None = None, kind: str = "article", **kw: Any) -> Document:
    obj = Document(outlet=outlet, url=url, url_normalized=normalize_url(url) if url else None, title=title, kind=kind, **kw)
    obj.published = parse_optional_date(published)
    session.add(obj)
    session.flush()
    return obj


def claim(session: Session, text: str, quantity: tuple[str, float, str] | None = None, unit: str | None = None,
          **kw: Any) -> Claim:
    """`quantity` is (subject, value, bound), e.g. ("people detained on 23 January 2021", 3000, "more_than")."""
    obj = Claim(text=text, text_hash=claim_hash(text), **kw)
    if quantity:
        obj.quantity_subject, obj.quantity_value, obj.quantity_bound = quantity
        obj.quantity_unit = unit
    session.add(obj)
    session.flush()
    return obj


def statement(session: Session, claim: Claim, speaker: Actor | None = None, stance: str = "asserts",
              quote: str | None = None, said: str | None = None, **kw: Any) -> Statement:
    if quote is not None and "quote_kind" not in kw:
        kw["quote_kind"] = "direct"
    obj = Statement(claim=claim, speaker=speaker, stance=stance, quote=quote, **kw)
    obj.said = parse_optional_date(said)
    session.add(obj)
    session.flush()
    return obj


def hop(session: Session, document: Document, statement: Statement, via_hop: Hop | None = None,
        via_actor: Actor | None = None, cue: str | None = None, **kw: Any) -> Hop:
    obj = Hop(document=document, statement=statement, via_hop=via_hop, via_actor=via_actor, cue=cue, **kw)
    session.add(obj)
    session.flush()
    return obj


def relation(session: Session, source: Claim, target: Claim, type: str = "contradicts",
             status: str = "confirmed", **kw: Any) -> ClaimRelation:
    obj = ClaimRelation(source=source, target=target, type=type, status=status, **kw)
    session.add(obj)
    session.flush()
    return obj


def verdict(session: Session, claim: Claim, label: str, reviewer: Actor | None = None,
            reviewed: str | None = None, **kw: Any) -> Verdict:
    obj = Verdict(claim=claim, label=label, reviewer=reviewer, **kw)
    obj.reviewed = parse_optional_date(reviewed)
    session.add(obj)
    session.flush()
    return obj
