"""`claimtrack search`: ranked full text over claim texts, quotes and actor names.

A statement is a hit when every word of the query occurs in its claim's text, its own quote /
cue / original wording, or one of its speaker's names; its score adds the relevance of each.
So "Volkov dozen" finds Volkov's "several dozen". Claims nobody has made a statement about,
and actors, are hits of their own when no statement filter is given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.models import Actor, ActorAlias, Claim, Document, Hop, Statement, Verdict
from claimtrack.queries.fulltext import match, terms

#: name matches count for less than words of the claim or the quote
NAME_WEIGHT = 0.5
#: rows considered per word and index: the most relevant ones (bm25 / ts_rank) when a word is very common
MATCH_LIMIT = 2000


@dataclass
class SearchHit:
    kind: str  # "statement", "claim" or "actor"
    score: float
    matched: list[str]  # which parts matched: claim, quote, speaker, name
    claim_id: int | None = None
    claim: str | None = None
    statement_id: int | None = None
    speaker_id: int | None = None
    speaker: str | None = None  # name, or the anonymous descriptor
    stance: str | None = None
    quote: str | None = None
    said: str | None = None
    status: str | None = None
    outlets: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    actor_id: int | None = None
    name: str | None = None


@dataclass
class SearchFilters:
    speaker: Actor | None = None
    outlet: Actor | None = None
    stance: str | None = None
    since: PartialDate | None = None
    until: PartialDate | None = None
    verdict: str | None = None

    @property
    def on_statements(self) -> bool:
        return any(v is not None for v in (self.speaker, self.outlet, self.stance, self.since, self.until))


def _alias_actors(session: Session, alias_scores: dict[int, float]) -> dict[int, float]:
    """Alias id -> score, turned into (surviving) actor id -> best score."""
    if not alias_scores:
        return {}
    rows = session.execute(
        select(ActorAlias.id, Actor.id, Actor.merged_into_id).join(Actor, Actor.id == ActorAlias.actor_id)
        .where(ActorAlias.id.in_(list(alias_scores)))
    ).all()
    result: dict[int, float] = {}
    for alias_id, actor_id, merged_into in rows:
        target = merged_into or actor_id
        result[target] = max(result.get(target, 0.0), alias_scores[alias_id])
    return result


def search(session: Session, query: str, filters: SearchFilters | None = None, *, limit: int = 20) -> list[SearchHit]:
    """The best `limit` hits for `query`, best first; [] when the query has no words."""
    filters = filters or SearchFilters()
    words = terms(query)
    if not words:
        return []
    per_word_claims = [match(session, "claims", [w], limit=MATCH_LIMIT) for w in words]
    per_word_quotes = [match(session, "statements", [w], limit=MATCH_LIMIT) for w in words]
    per_word_actors = [_alias_actors(session, match(session, "aliases", [w], limit=MATCH_LIMIT)) for w in words]

    def union(maps: list[dict[int, float]]) -> set[int]:
        return set().union(*(m.keys() for m in maps))

    claim_ids, statement_ids, actor_ids = union(per_word_claims), union(per_word_quotes), union(per_word_actors)
    hits: list[SearchHit] = []

    # ---- statements
    conditions = []
    if claim_ids:
        conditions.append(Statement.claim_id.in_(claim_ids))
    if statement_ids:
        conditions.append(Statement.id.in_(statement_ids))
    if actor_ids:
        conditions.append(Statement.speaker_id.in_(actor_ids))
    if conditions:
        from sqlalchemy import or_

        # score on ids only; whole objects are loaded for the best `limit` hits alone
        q = select(Statement.id, Statement.claim_id, Statement.speaker_id).where(or_(*conditions))
        if filters.speaker is not None:
            q = q.where(Statement.speaker_id == filters.speaker.id)
        if filters.stance:
            q = q.where(Statement.stance == filters.stance)
        if filters.since is not None:
            q = q.where(Statement.said_on >= filters.since.start)
        if filters.until is not None:
            q = q.where(Statement.said_on <= filters.until.end)
        if filters.outlet is not None:
            q = q.where(Statement.id.in_(select(Hop.statement_id).join(Document, Document.id == Hop.document_id)
                                         .where(Document.outlet_id == filters.outlet.id)))
        if filters.verdict:
            q = q.where(Statement.claim_id.in_(select(Verdict.claim_id)
                                               .where(func.lower(Verdict.label) == filters.verdict.strip().lower())))
        for st_id, claim_id, speaker_id in session.execute(q):
            score, matched, complete = 0.0, set(), True
            for i in range(len(words)):
                found = False
                if claim_id in per_word_claims[i]:
                    score += per_word_claims[i][claim_id]
                    matched.add("claim")
                    found = True
                if st_id in per_word_quotes[i]:
                    score += per_word_quotes[i][st_id]
                    matched.add("quote")
                    found = True
                if speaker_id is not None and speaker_id in per_word_actors[i]:
                    score += NAME_WEIGHT * per_word_actors[i][speaker_id]
                    matched.add("speaker")
                    found = True
                complete = complete and found
            if complete:
                hits.append(SearchHit(kind="statement", score=round(score, 6), matched=sorted(matched),
                                      claim_id=claim_id, statement_id=st_id, speaker_id=speaker_id))

    # ---- claims and actors standing alone (only without statement filters)
    if not filters.on_statements:
        in_all = set(claim_ids)
        for m in per_word_claims:
            in_all &= set(m)
        covered = {h.claim_id for h in hits}
        lone = in_all - covered
        if lone:
            claims_q = select(Claim.id).where(Claim.id.in_(lone))
            if filters.verdict:
                claims_q = claims_q.where(Claim.id.in_(select(Verdict.claim_id)
                                         .where(func.lower(Verdict.label) == filters.verdict.strip().lower())))
            for claim_id in session.scalars(claims_q):
                score = sum(m[claim_id] for m in per_word_claims)
                hits.append(SearchHit(kind="claim", score=round(score, 6), matched=["claim"], claim_id=claim_id))
        if not filters.verdict:
            named = set(actor_ids)
            for m in per_word_actors:
                named &= set(m)
            scores: dict[int, float] = defaultdict(float)
            for m in per_word_actors:
                for actor_id in named:
                    scores[actor_id] += m[actor_id]
            for actor in session.scalars(select(Actor).where(Actor.id.in_(named))):
                hits.append(SearchHit(kind="actor", score=round(NAME_WEIGHT * scores[actor.id], 6), matched=["name"],
                                      actor_id=actor.id, name=actor.name))

    order = {"statement": 0, "claim": 1, "actor": 2}
    hits.sort(key=lambda h: (-h.score, order[h.kind], h.statement_id or h.claim_id or h.actor_id or 0))
    hits = hits[:limit]
    _describe(session, hits)
    return hits


def _describe(session: Session, hits: list[SearchHit]) -> None:
    """Fill in texts, names, dates and outlets of the hits that are shown."""
    from sqlalchemy.orm import selectinload

    statement_ids = [h.statement_id for h in hits if h.statement_id is not None]
    statements = {st.id: st for st in session.scalars(
        select(Statement).where(Statement.id.in_(statement_ids)).options(
            selectinload(Statement.claim), selectinload(Statement.speaker),
            selectinload(Statement.hops).selectinload(Hop.document).selectinload(Document.outlet)))}
    claim_ids = [h.claim_id for h in hits if h.kind == "claim"]
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(claim_ids)))}
    for hit in hits:
        if hit.kind == "statement":
            st = statements[hit.statement_id]  # type: ignore[index]
            hops = sorted(st.hops, key=lambda h: h.id)
            hit.claim = st.claim.text
            hit.speaker = st.speaker.name if st.speaker else st.speaker_descriptor
            hit.stance, hit.quote, hit.status = st.stance, st.quote, st.status
            hit.said = str(st.said) if st.said else None
            hit.outlets = sorted({h.document.outlet.name for h in hops if h.document.outlet is not None})
            hit.document_ids = [h.document_id for h in hops]
        elif hit.kind == "claim":
            hit.claim = claims[hit.claim_id].text  # type: ignore[index]
