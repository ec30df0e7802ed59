"""`claimtrack search`: ranked full text over claim texts, quotes and actor names.

A statement is a hit when every word of the query occurs in its claim's text, its own quote /
cue / original wording, or one of its speaker's names; its score adds the relevance of each.
So "Volkov dozen" finds Volkov's "several dozen". Claims nobody has made a statement about,
and actors, are hits of their own when no statement filter is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.models import Actor, ActorAlias, Claim, Document, Hop, Statement, Verdict
from claimtrack.queries.fulltext import any_ids, terms, top_ids, word_ranks

#: name matches count for less than words of the claim or the quote
NAME_WEIGHT = 0.5
#: the best-ranked claims (and quotes) containing every word that are considered
CANDIDATES = 100
#: quotes and names containing any word that are considered (unranked: the first found);
#: on PostgreSQL also how many all-word matches are ranked (ranking re-parses each row)
SCAN = 500
#: with filters, claims containing every word that are considered (unranked)
FILTERED_LIMIT = 20000


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


def _survivors(session: Session, alias_ids: list[int]) -> dict[int, int]:
    """Alias id -> the (surviving) actor it names."""
    if not alias_ids:
        return {}
    rows = session.execute(
        select(ActorAlias.id, Actor.id, Actor.merged_into_id).join(Actor, Actor.id == ActorAlias.actor_id)
        .where(ActorAlias.id.in_(alias_ids))
    ).all()
    return {alias_id: merged_into or actor_id for alias_id, actor_id, merged_into in rows}


def search(session: Session, query: str, filters: SearchFilters | None = None, *, limit: int | None = 20) -> list[SearchHit]:
    """The best `limit` hits for `query`, best first; [] when the query has no words.

    Ranked in SQL over a bounded candidate set, then only the page is loaded: a statement is a
    hit when all words are in its claim (the best CANDIDATES claims containing every word), or
    at least one is in its quote or its speaker's names (up to SCAN quotes / names containing
    any word, plus the best CANDIDATES quotes containing them all). Filters are applied in SQL
    while the candidates are read; with filters the claims considered are not capped to the best.
    """
    filters = filters or SearchFilters()
    words = terms(query)
    if not words:
        return []
    verdict = filters.verdict.strip().lower() if filters.verdict else None
    filtered = filters.on_statements or verdict is not None

    # ---- candidates (ids only)
    if filtered:  # the filters may leave few of them: consider every claim containing all words
        full_claims = any_ids(session, "claims", words, limit=FILTERED_LIMIT, all_terms=True)
    else:
        full_claims = top_ids(session, "claims", words, limit=CANDIDATES, scan=SCAN)
    quote_ids = list(dict.fromkeys(top_ids(session, "statements", words, limit=CANDIDATES, scan=SCAN)
                                   + any_ids(session, "statements", words, limit=SCAN)))
    alias_ranks = word_ranks(session, "aliases", words, any_ids(session, "aliases", words, limit=SCAN))
    alias_actor = _survivors(session, list(alias_ranks))
    actor_ranks: dict[int, list[float | None]] = {}  # per word, the best of an actor's names
    for alias_id, ranks in alias_ranks.items():
        best = actor_ranks.setdefault(alias_actor[alias_id], [None] * len(words))
        for i, r in enumerate(ranks):
            if r is not None and (best[i] is None or r > best[i]):  # type: ignore[operator]
                best[i] = r

    hits: list[SearchHit] = []
    # ---- statements: read with the filters, scored per word in SQL by id
    conditions = []
    if full_claims:
        conditions.append(Statement.claim_id.in_(full_claims))
    if quote_ids:
        conditions.append(Statement.id.in_(quote_ids))
    if actor_ranks:
        conditions.append(Statement.speaker_id.in_(list(actor_ranks)))
    rows: list[tuple[int, int, int | None]] = []
    if conditions:
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
        if verdict is not None:
            q = q.where(Statement.claim_id.in_(select(Verdict.claim_id).where(func.lower(Verdict.label) == verdict)))
        rows = [(r[0], r[1], r[2]) for r in session.execute(q)]
    lone_claims: list[int] = []
    if not filters.on_statements and full_claims:
        # claims nobody made a statement about are hits of their own
        lone_q = select(Claim.id).where(Claim.id.in_(full_claims),
                                        ~select(Statement.id).where(Statement.claim_id == Claim.id).exists())
        if verdict is not None:
            lone_q = lone_q.where(Claim.id.in_(select(Verdict.claim_id).where(func.lower(Verdict.label) == verdict)))
        lone_claims = list(session.scalars(lone_q))
    claim_ranks = word_ranks(session, "claims", words, [c for _, c, _ in rows] + lone_claims)
    quote_ranks = word_ranks(session, "statements", words, [st for st, _, _ in rows])
    none: list[float | None] = [None] * len(words)
    for st_id, claim_id, speaker_id in rows:
        parts = (("claim", 1.0, claim_ranks.get(claim_id, none)), ("quote", 1.0, quote_ranks.get(st_id, none)),
                 ("speaker", NAME_WEIGHT, actor_ranks.get(speaker_id, none) if speaker_id is not None else none))
        score, matched = 0.0, set()
        for i in range(len(words)):
            found = False
            for name, weight, ranks in parts:
                if ranks[i] is not None:
                    score += weight * ranks[i]  # type: ignore[operator]
                    matched.add(name)
                    found = True
            if not found:
                break
        else:
            hits.append(SearchHit(kind="statement", score=round(score, 6), matched=sorted(matched),
                                  claim_id=claim_id, statement_id=st_id, speaker_id=speaker_id))
    for claim_id in lone_claims:
        ranks = claim_ranks.get(claim_id, none)
        if all(r is not None for r in ranks):
            hits.append(SearchHit(kind="claim", score=round(sum(ranks), 6), matched=["claim"],  # type: ignore[arg-type]
                                  claim_id=claim_id))

    # ---- actors standing alone (only without filters)
    if not filtered:
        named = {a: sum(r) for a, r in actor_ranks.items() if all(x is not None for x in r)}  # type: ignore[arg-type]
        for actor_id, name in session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(list(named)))):
            hits.append(SearchHit(kind="actor", score=round(NAME_WEIGHT * named[actor_id], 6), matched=["name"],
                                  actor_id=actor_id, name=name))

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
