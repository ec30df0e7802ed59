"""Read one object or list many, as plain dataclasses (the `show` / `list` data and --json).

Dates are strings in the PartialDate form ("2021-07-28", "2021-04", "~2021") so precision is
kept; timestamps are ISO 8601 UTC. The keys are documented in docs/logging.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.models import (
    Actor,
    ActorAlias,
    Claim,
    ClaimRelation,
    Document,
    Hop,
    Statement,
    Verdict,
)
from claimtrack.queries.live import live_claim, live_document, live_statement

T = TypeVar("T")


class Page(list[T]):
    """Rows cut at --limit that know how many there are in all (`total`), for "showing N of M"."""

    total: int = 0


def _cut(session: Session, query: Any, limit: int | None) -> tuple[list[Any], int]:
    """The query's objects up to `limit` (0 or None: all of them) and how many it has in all."""
    rows = list(session.scalars(query.limit(limit or None)))
    if limit and len(rows) == limit:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    else:
        total = len(rows)
    return rows, total


def _page(rows: list[T], total: int) -> Page[T]:
    page = Page(rows)
    page.total = total
    return page


def _date(value: PartialDate | None) -> str | None:
    return str(value) if value is not None else None


def _name(actor: Actor | None) -> str | None:
    return actor.name if actor is not None else None


# --------------------------------------------------------------------------- actors


@dataclass
class AffiliationView:
    id: int
    role: str
    organization_id: int | None
    organization: str | None
    start: str | None
    end: str | None
    status: str = "normal"
    status_reason: str | None = None
    version: int = 1  # what `actor edit-affiliation --expect-version` needs


@dataclass
class ActorView:
    id: int
    key: str | None
    name: str
    kind: str
    description: str | None
    merged_into_id: int | None
    aliases: list[str]
    external_ids: list[dict[str, str]]
    affiliations: list[AffiliationView]
    statements: int
    documents: int
    created_at: str


@dataclass
class ActorRow:
    id: int
    name: str
    kind: str
    aliases: list[str]
    statements: int
    merged_into_id: int | None


def actor_view(session: Session, actor: Actor) -> ActorView:
    statements = session.scalar(select(func.count(Statement.id)).where(Statement.speaker_id == actor.id,
                                                                       live_statement())) or 0
    documents = session.scalar(select(func.count(Document.id)).where(Document.outlet_id == actor.id,
                                                                     live_document())) or 0
    return ActorView(
        id=actor.id, key=actor.key, name=actor.name, kind=actor.kind, description=actor.description,
        merged_into_id=actor.merged_into_id, aliases=[a.alias for a in actor.aliases],
        external_ids=[{"scheme": e.scheme, "value": e.value} for e in actor.external_ids],
        affiliations=[AffiliationView(a.id, a.role, a.organization_id, _name(a.organization), _date(a.start),
                                      _date(a.end), a.status, a.status_reason, a.version)
                      for a in actor.affiliations],
        statements=statements, documents=documents, created_at=actor.created_at.isoformat(),
    )


def list_actors(session: Session, *, kind: str | None = None, name: str | None = None,
                include_merged: bool = False, limit: int | None = 100) -> Page[ActorRow]:
    from claimtrack.normalize import normalize_name

    query = select(Actor).order_by(Actor.name, Actor.id)
    if kind:
        query = query.where(Actor.kind == kind)
    if not include_merged:
        query = query.where(Actor.merged_into_id.is_(None))
    if name:
        pattern = "%" + normalize_name(name) + "%"
        query = query.where(Actor.id.in_(select(ActorAlias.actor_id).where(ActorAlias.normalized.like(pattern))))
    actors, total = _cut(session, query, limit)
    counts = dict(session.execute(
        select(Statement.speaker_id, func.count(Statement.id))
        .where(Statement.speaker_id.in_([a.id for a in actors]), live_statement())
        .group_by(Statement.speaker_id)).all())
    return _page([ActorRow(a.id, a.name, a.kind, [x.alias for x in a.aliases], counts.get(a.id, 0),
                           a.merged_into_id) for a in actors], total)


# --------------------------------------------------------------------------- documents


@dataclass
class HopView:
    id: int
    document_id: int
    statement_id: int
    via_hop_id: int | None
    via_actor_id: int | None
    via_actor: str | None
    cue: str | None
    quote: str | None
    is_primary: bool
    status: str = "normal"
    status_reason: str | None = None
    version: int = 1  # what `hop edit --expect-version` needs


def hop_view(hop: Hop) -> HopView:
    return HopView(hop.id, hop.document_id, hop.statement_id, hop.via_hop_id, hop.via_actor_id,
                   _name(hop.via_actor), hop.cue, hop.quote, hop.is_primary, hop.status, hop.status_reason,
                   hop.version)


@dataclass
class DocumentView:
    id: int
    key: str | None
    kind: str
    outlet_id: int | None
    outlet: str | None
    url: str | None
    title: str | None
    author: str | None
    language: str | None
    published: str | None
    retrieved_at: str | None
    archive_url: str | None
    content_hash: str | None
    hops: list[HopView]
    status: str = "normal"
    status_reason: str | None = None
    merged_into_id: int | None = None
    version: int = 1  # what `document edit --expect-version` needs


def document_view(session: Session, document: Document) -> DocumentView:
    return DocumentView(
        id=document.id, key=document.key, kind=document.kind, outlet_id=document.outlet_id,
        outlet=_name(document.outlet), url=document.url, title=document.title, author=document.author,
        language=document.language, published=_date(document.published),
        retrieved_at=document.retrieved_at.isoformat() if document.retrieved_at else None,
        archive_url=document.archive_url, content_hash=document.content_hash,
        hops=[hop_view(h) for h in sorted(document.hops, key=lambda h: h.id)],
        status=document.status, status_reason=document.status_reason, merged_into_id=document.merged_into_id,
        version=document.version,
    )


@dataclass
class DocumentRow:
    id: int
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    hops: int  # live hops: retired ones are not counted
    status: str = "normal"  # normal, retracted, deprecated, or merged


def list_documents(session: Session, *, outlet: Actor | None = None, limit: int | None = 100) -> Page[DocumentRow]:
    """Live documents newest first, then the retired and merged ones (listed apart, marked)."""
    retired = case((live_document(), 0), else_=1)
    query = select(Document).order_by(retired, Document.published_on.desc(), Document.id.desc())
    if outlet is not None:
        query = query.where(Document.outlet_id == outlet.id)
    documents, total = _cut(session, query, limit)
    return _page([DocumentRow(d.id, _name(d.outlet), d.title, d.url, _date(d.published),
                              sum(1 for h in d.hops if h.status == "normal"),
                              "merged" if d.merged_into_id is not None else d.status)
                  for d in documents], total)


# --------------------------------------------------------------------------- statements


@dataclass
class ReportedIn:
    hop_id: int
    document_id: int
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    via_actor: str | None
    via_hop_id: int | None
    cue: str | None
    is_primary: bool
    status: str = "normal"  # the hop's, or its document's when that is retired


@dataclass
class StatementView:
    id: int
    key: str | None
    claim_id: int
    claim: str
    speaker_id: int | None
    speaker: str | None
    speaker_descriptor: str | None
    on_behalf_of_id: int | None
    on_behalf_of: str | None
    stance: str
    quote: str | None
    quote_kind: str | None
    cue: str | None
    channel: str | None
    context: str | None
    said: str | None
    language: str | None
    original_text: str | None
    parent_id: int | None
    nested_ids: list[int]
    status: str
    status_reason: str | None
    reported_in: list[ReportedIn]
    version: int = 1  # what `statement edit --expect-version` needs


def statement_view(session: Session, st: Statement) -> StatementView:
    reported = []
    for hop in sorted(st.hops, key=lambda h: h.id):
        doc = hop.document
        reported.append(ReportedIn(hop.id, doc.id, _name(doc.outlet), doc.title, doc.url, _date(doc.published),
                                   _name(hop.via_actor), hop.via_hop_id, hop.cue, hop.is_primary,
                                   hop.status if hop.status != "normal" else doc.status))
    return StatementView(
        id=st.id, key=st.key, claim_id=st.claim_id, claim=st.claim.text, speaker_id=st.speaker_id,
        speaker=_name(st.speaker), speaker_descriptor=st.speaker_descriptor, on_behalf_of_id=st.on_behalf_of_id,
        on_behalf_of=_name(st.on_behalf_of), stance=st.stance, quote=st.quote, quote_kind=st.quote_kind,
        cue=st.cue, channel=st.channel, context=st.context, said=_date(st.said), language=st.language,
        original_text=st.original_text, parent_id=st.parent_id, nested_ids=sorted(n.id for n in st.nested),
        status=st.status, status_reason=st.status_reason, reported_in=reported, version=st.version,
    )


# --------------------------------------------------------------------------- claims and verdicts


@dataclass
class VerdictView:
    id: int
    claim_id: int
    claim: str
    label: str
    value: float | None
    best: float | None
    worst: float | None
    reviewer_id: int | None
    reviewer: str | None
    reviewed: str | None
    url: str | None
    explanation: str | None
    evidence_urls: list[str]
    status: str
    version: int  # what `verdict edit --expect-version` needs
    status_reason: str | None = None


def verdict_view(v: Verdict) -> VerdictView:
    return VerdictView(v.id, v.claim_id, v.claim.text, v.label, v.rating_value, v.best, v.worst, v.reviewer_id,
                       _name(v.reviewer), _date(v.reviewed), v.url, v.explanation, list(v.evidence_urls or []),
                       v.status, v.version, v.status_reason)


def list_verdicts(session: Session, *, claim: Claim | None = None, reviewer: Actor | None = None,
                  label: str | None = None, limit: int | None = 100) -> Page[VerdictView]:
    query = select(Verdict).order_by(Verdict.id)
    if claim is not None:
        query = query.where(Verdict.claim_id == claim.id)
    if reviewer is not None:
        query = query.where(Verdict.reviewer_id == reviewer.id)
    if label:
        query = query.where(func.lower(Verdict.label) == label.strip().lower())
    verdicts, total = _cut(session, query, limit)
    return _page([verdict_view(v) for v in verdicts], total)


@dataclass
class RelationView:
    id: int
    type: str
    status: str
    score: float | None
    direction: str  # "outgoing" (this claim is the source) or "incoming"
    other_claim_id: int
    other_claim: str
    note: str | None
    status_reason: str | None = None
    version: int = 1


@dataclass
class ClaimView:
    id: int
    key: str | None
    text: str
    language: str | None
    quantity: dict[str, Any] | None
    statements: list[StatementView]
    relations: list[RelationView]
    verdicts: list[VerdictView]
    created_at: str = field(default="")
    version: int = 1  # what `claim edit --expect-version` needs
    status: str = "normal"
    status_reason: str | None = None
    merged_into_id: int | None = None


def claim_view(session: Session, claim: Claim) -> ClaimView:
    relations = []
    rows = session.scalars(select(ClaimRelation).where(
        or_(ClaimRelation.source_claim_id == claim.id, ClaimRelation.target_claim_id == claim.id)
    ).order_by(ClaimRelation.id))
    for r in rows:
        outgoing = r.source_claim_id == claim.id
        other = r.target if outgoing else r.source
        relations.append(RelationView(r.id, r.type, r.status, r.score, "outgoing" if outgoing else "incoming",
                                      other.id, other.text, r.note, r.status_reason, r.version))
    quantity = None
    if claim.quantity_value is not None:
        quantity = {"subject": claim.quantity_subject, "value": claim.quantity_value,
                    "bound": claim.quantity_bound, "unit": claim.quantity_unit}
    return ClaimView(
        id=claim.id, key=claim.key, text=claim.text, language=claim.language, quantity=quantity,
        statements=[statement_view(session, s) for s in claim.statements], relations=relations,
        verdicts=[verdict_view(v) for v in claim.verdicts], created_at=claim.created_at.isoformat(),
        version=claim.version, status=claim.status, status_reason=claim.status_reason,
        merged_into_id=claim.merged_into_id,
    )


@dataclass
class ClaimRow:
    id: int
    text: str
    statements: int  # live ones: retracted and deprecated statements are not counted
    verdicts: int
    status: str = "normal"  # normal, retracted, deprecated, or merged


def list_claims(session: Session, *, limit: int | None = 100) -> Page[ClaimRow]:
    """Live claims by id, then the retired and merged ones (listed apart, marked)."""
    retired = case((live_claim(), 0), else_=1)
    claims, total = _cut(session, select(Claim).order_by(retired, Claim.id), limit)
    ids = [c.id for c in claims]
    st = dict(session.execute(select(Statement.claim_id, func.count(Statement.id))
                              .where(Statement.claim_id.in_(ids), Statement.status == "normal")
                              .group_by(Statement.claim_id)).all())
    vd = dict(session.execute(select(Verdict.claim_id, func.count(Verdict.id))
                              .where(Verdict.claim_id.in_(ids), Verdict.status == "normal")
                              .group_by(Verdict.claim_id)).all())
    return _page([ClaimRow(c.id, c.text, st.get(c.id, 0), vd.get(c.id, 0),
                           "merged" if c.merged_into_id is not None else c.status) for c in claims], total)
