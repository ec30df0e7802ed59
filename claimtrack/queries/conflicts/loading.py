"""The loading every kind shares: statements in detail (speaker, role, where reported), the ids
of one side of a claim, and the page cache that loads a whole page's statements in one go."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from claimtrack.dates import PartialDate
from claimtrack.models import Actor, Affiliation, Claim, Document, Hop, Statement, Verdict
from claimtrack.queries.conflicts.values import (
    SIDE_CAP,
    Item,
    Reported,
    StatementItem,
    VerdictItem,
)
from claimtrack.queries.live import live_claim
from claimtrack.queries.ratings import normalize_rating
from claimtrack.vocab import OPPOSING_STANCES, SUPPORTING_STANCES


def date_text(value: date | None, precision: str | None, approx: bool | None) -> str | None:
    partial = PartialDate.of(value, precision, approx)
    return str(partial) if partial else None

def actor_ids_with_merged(session: Session, actor_id: int) -> list[int]:
    """The actor and every actor merged into it (statements may still point at those)."""
    ids = [actor_id]
    frontier = [actor_id]
    while frontier:
        more = session.scalars(select(Actor.id).where(Actor.merged_into_id.in_(frontier))).all()
        frontier = [i for i in more if i not in ids]
        ids.extend(frontier)
    return ids


# --------------------------------------------------------------------------- loading items


def _chain_summaries(session: Session, hop_ids: list[int]) -> dict[int, str]:
    """Chain summaries from claimtrack.queries.chains when that module exists; else none."""
    if not hop_ids:
        return {}
    try:
        from claimtrack.queries.chains import chain_summary
    except ImportError:
        return {}
    # in slices: with ~1,000 starting hops PostgreSQL plans the recursive walk as a hash join over
    # every hop (measured 975 ms on 1M statements), with 200 as index lookups (~170 ms in all);
    # on 100k statements (a smaller hops table) the switch comes sooner: 100 hops hash-join
    # (33 ms), 50 use the index (0.8 ms) — hence 50
    result: dict[int, str] = {}
    for chunk in chunks(hop_ids, 50):
        result.update(chain_summary(session, chunk))
    return result

T = TypeVar("T")

#: the stances on each side of a claim
SUPPORTING = sorted(s.value for s in SUPPORTING_STANCES)
OPPOSING = sorted(s.value for s in OPPOSING_STANCES)
TAKING_SIDES = SUPPORTING + OPPOSING


# --------------------------------------------------------------------------- filters


def side_sums() -> tuple[Any, Any, Any, Any]:
    """SUM()s over statements: (normal supporting, normal opposing, supporting, opposing)."""
    normal = Statement.status == "normal"
    supp = Statement.stance.in_(SUPPORTING)
    opp = Statement.stance.in_(OPPOSING)
    return (func.sum(case((and_(supp, normal), 1), else_=0)), func.sum(case((and_(opp, normal), 1), else_=0)),
            func.sum(case((supp, 1), else_=0)), func.sum(case((opp, 1), else_=0)))


@dataclass
class Filters:
    claim_id: int | None
    speaker_ids: list[int] | None
    since: date | None

    def statement_claims(self) -> Any:
        """Claim ids that pass the speaker and since filters (None when no filter applies)."""
        conditions: list[Any] = []
        if self.speaker_ids is not None:
            conditions.append(Statement.speaker_id.in_(self.speaker_ids))
        if self.since is not None:
            conditions.append(Statement.said_on >= self.since)
        if not conditions:
            return None
        return select(Statement.claim_id).where(*conditions)



@cache
def _actor_aliases() -> tuple[Any, Any, Any, Any, Any]:
    """Five aliases of Actor (organization, speaker, on behalf of, outlet, via), made on first use.

    Made once and reused: SQLAlchemy memoizes the column adaptation of an alias, so fresh
    aliases per call cost more than the queries. Not made at import: aliased() configures the
    mappers, which a command that never lists conflicts should not pay for."""
    return tuple(aliased(Actor) for _ in range(5))  # type: ignore[return-value]


def _roles(session: Session, rows: Iterable[Any]) -> dict[int, str]:
    """Statement id -> the speaker's role ("spokeswoman, Foreign Ministry") when it was said.

    A dated statement gets the (live) affiliation valid on its date, preferring the organization
    it spoke for; none when no role was valid then. An undated one gets the role it spoke for, else
    the open-ended one, else the latest: a role, with no claim about when it held.
    `rows` have `id`, `speaker_id`, `on_behalf_of_id` and the said_on/precision/approx columns."""
    rows = list(rows)
    speaker_ids = {r.speaker_id for r in rows if r.speaker_id}
    if not speaker_ids:
        return {}
    by_actor: dict[int, list[tuple[int | None, str, PartialDate | None, PartialDate | None]]] = defaultdict(list)
    org = _actor_aliases()[0]
    query = (select(Affiliation.actor_id, Affiliation.organization_id, Affiliation.role, org.name,
                    Affiliation.start_on, Affiliation.start_precision, Affiliation.start_approx,
                    Affiliation.end_on, Affiliation.end_precision, Affiliation.end_approx)
             .outerjoin(org, org.id == Affiliation.organization_id)
             .where(Affiliation.actor_id.in_(speaker_ids), Affiliation.status == "normal").order_by(Affiliation.id))
    for a in session.execute(query):
        by_actor[a.actor_id].append((a.organization_id, a.role + (f", {a.name}" if a.name else ""),
                                     PartialDate.of(a.start_on, a.start_precision, a.start_approx),
                                     PartialDate.of(a.end_on, a.end_precision, a.end_approx)))
    roles = {}
    for r in rows:
        options = by_actor.get(r.speaker_id or -1, [])
        said = PartialDate.of(getattr(r, "said_on", None), getattr(r, "said_precision", None),
                              getattr(r, "said_approx", False))
        if said is not None:
            options = [o for o in options if (o[2] is None or o[2].start <= said.end)
                       and (o[3] is None or o[3].end >= said.start)]
        chosen = next((text for org_id, text, _, _ in options if r.on_behalf_of_id and org_id == r.on_behalf_of_id),
                      None)
        if chosen is None and options:
            open_ended = [o for o in options if o[3] is None]
            latest = max(open_ended or options, key=lambda o: (o[2].start if o[2] else date.min))
            chosen = latest[1]
        if chosen:
            roles[r.id] = chosen
    return roles


def load_statement_items(session: Session, ids: Sequence[int]) -> dict[int, StatementItem]:
    """Statement items with speaker, role and every place they were reported, by statement id.

    Plain column selects rather than ORM objects: a claim report loads hundreds of statements
    and their hops, and building ORM instances for them cost more than the queries."""
    if not ids:
        return {}
    _, speaker, behalf, outlet, via = _actor_aliases()
    statements = session.execute(
        select(Statement.id, Statement.claim_id, Statement.speaker_id, Statement.on_behalf_of_id,
               speaker.name.label("speaker_name"), behalf.name.label("behalf_name"), Statement.speaker_descriptor,
               Statement.stance, Statement.quote, Statement.quote_kind, Statement.cue, Statement.channel,
               Statement.said_on, Statement.said_precision, Statement.said_approx, Statement.status,
               Statement.status_reason)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .outerjoin(behalf, behalf.id == Statement.on_behalf_of_id)
        .where(Statement.id.in_(list(ids)))
    ).all()
    hops = session.execute(
        select(Hop.id, Hop.statement_id, Hop.document_id, Hop.cue, Hop.is_primary, Document.title, Document.url,
               Document.key, Document.published_on, Document.published_precision, Document.published_approx,
               outlet.name.label("outlet_name"), via.name.label("via_name"))
        .join(Document, Document.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == Document.outlet_id)
        .outerjoin(via, via.id == Hop.via_actor_id)
        .where(Hop.statement_id.in_(list(ids)))
        .order_by(Hop.statement_id, Document.published_on.asc().nulls_last(), Hop.id)
    ).all()
    chains = _chain_summaries(session, [h.id for h in hops])
    by_statement: dict[int, list[Reported]] = defaultdict(list)
    for h in hops:
        by_statement[h.statement_id].append(Reported(
            hop_id=h.id,
            document_id=h.document_id,
            document=h.title or h.url or h.key or f"document {h.document_id}",
            outlet=h.outlet_name,
            date=date_text(h.published_on, h.published_precision, h.published_approx),
            url=h.url,
            cue=h.cue,
            via=h.via_name,
            primary=bool(h.is_primary),
            chain=chains.get(h.id),
        ))
    roles = _roles(session, statements)
    items = {}
    for st in statements:
        items[st.id] = StatementItem(
            statement_id=st.id,
            claim_id=st.claim_id,
            speaker=st.speaker_name if st.speaker_id else st.speaker_descriptor,
            speaker_id=st.speaker_id,
            anonymous=st.speaker_id is None and st.speaker_descriptor is not None,
            role=roles.get(st.id),
            on_behalf_of=st.behalf_name,
            stance=st.stance,
            quote=st.quote,
            quote_kind=st.quote_kind,
            cue=st.cue,
            channel=st.channel,
            said=date_text(st.said_on, st.said_precision, st.said_approx),
            status=st.status,
            status_reason=st.status_reason,
            reported_in=by_statement.get(st.id, []),
        )
    return items


def side_statement_ids(session: Session, claim_id: int, stances: Sequence[str] | None = None,
                       speaker_ids: Sequence[int] | None = None, cap: int = SIDE_CAP) -> tuple[list[int], int]:
    """Up to `cap` statement ids of one claim (normal ones first, then by date), and how many there are."""
    conditions = [Statement.claim_id == claim_id]
    if stances is not None:
        conditions.append(Statement.stance.in_(list(stances)))
    if speaker_ids is not None:
        conditions.append(Statement.speaker_id.in_(list(speaker_ids)))
    total = session.scalar(select(func.count()).select_from(Statement).where(*conditions)) or 0
    ids = session.scalars(
        select(Statement.id).where(*conditions)
        .order_by(case((Statement.status == "normal", 0), else_=1), Statement.said_on.asc().nulls_last(), Statement.id)
        .limit(cap)
    ).all()
    return list(ids), total


def verdict_item(v: Verdict, reviewer: str | None) -> VerdictItem:
    return VerdictItem(
        verdict_id=v.id, claim_id=v.claim_id, reviewer=reviewer, label=v.label, value=v.rating_value,
        best=v.best, worst=v.worst, normalized=normalize_rating(v.label, v.rating_value, v.best, v.worst),
        date=str(v.reviewed) if v.reviewed else None, url=v.url, status=v.status, status_reason=v.status_reason,
    )


def ordered_items(items: dict[int, StatementItem], ids: list[int]) -> list[Item]:
    return [items[i] for i in ids if i in items]


def retired_among(session: Session, claim_ids: Iterable[int]) -> set[int]:
    """Which of these claims are retired or merged (by primary key: no scan of the claims)."""
    retired: set[int] = set()
    for chunk in chunks(sorted(set(claim_ids))):
        retired.update(session.scalars(select(Claim.id).where(Claim.id.in_(chunk), ~live_claim())))
    return retired


def retracted_only_claims(session: Session, claim_ids: Iterable[int]) -> set[int]:
    """Claims whose statements are all retracted or deprecated (claims with none are live)."""
    ids = sorted(set(claim_ids))
    dead: set[int] = set()
    for chunk in chunks(ids):
        rows = session.execute(
            select(Statement.claim_id, func.sum(case((Statement.status == "normal", 1), else_=0)))
            .where(Statement.claim_id.in_(chunk)).group_by(Statement.claim_id)
        )
        dead.update(claim_id for claim_id, normal in rows if not normal)
    return dead


def chunks(ids: Sequence[T], size: int = 5000) -> Iterable[list[T]]:
    """IN lists in slices: SQLite caps bound parameters, and huge IN lists plan badly."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])
