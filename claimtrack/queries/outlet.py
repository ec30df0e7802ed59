"""The outlet report's data: what an outlet reported, how it attributed it, whom it relies on.

An outlet of a large archive carries tens of thousands of hops (67,748 for the biggest of the 1M
benchmark archive). Every figure of the report is a count over the same hops, so they are read in
**one pass** (`_one_pass`): one SQL statement whose materialized CTE holds one row per hop of the
outlet's live documents, with the few statement columns the counts need, and whose three
aggregates the database computes, so Python receives a few hundred rows, not one per hop. Four
GROUP BY queries over the same join used to look up each hop's statement four times. The hop
side is read from the covering index `ix_hops_document_cover` (document, statement, via hop, via
actor, status: migration 0008) without visiting the hop rows; what remains is one primary-key
lookup per hop into `statements` and, for hops citing an earlier hop, that hop's document.

What counts is what `claimtrack.queries.live` says: live documents, normal hops, normal
statements about live claims. The "recent" list shows any statement carried by the outlet's
live documents, retracted ones included (marked).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session, aliased

from claimtrack.dates import PartialDate
from claimtrack.models import Actor, Document, Hop, Statement
from claimtrack.queries.live import NORMAL, live_document, live_statement
from claimtrack.queries.reports import (
    LIST_CAP,
    ActorInfo,
    Count,
    StatementRow,
    actor_info,
    statement_rows,
)

#: how an outlet attributed what it reported (docs/reports.md)
ATTRIBUTION_CLASSES = ("direct", "indirect", "vague", "unattributed")

#: ids per IN (…) list when names are looked up (below every backend's parameter limit)
_NAME_BATCH = 900


@dataclass
class OutletReport:
    actor: ActorInfo
    documents: int
    first_published: str | None
    last_published: str | None
    hops: int
    statements: int
    attribution: dict[str, int]  # class -> hops
    attribution_shares: dict[str, float]  # class -> share of hops, 0–1
    intermediaries: list[Count]  # actors its hops rely on ("AFP", "local media")
    relies_on_outlets: list[Count]  # outlets of the documents its hops cite (via an earlier hop)
    recent: list[StatementRow]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), _NAME_BATCH):
        chunk = ordered[start:start + _NAME_BATCH]
        found.update((i, n) for i, n in session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(chunk))))
    return found


def _top(counts: Counter[Any], names: dict[int, str], missing: str | None = None) -> list[Count]:
    """The LIST_CAP biggest counts, largest first, then by name (a key of None is `missing`)."""
    rows = [(names.get(key, "") if key is not None else missing, n, key) for key, n in counts.items()
            if key is not None or missing is not None]
    rows.sort(key=lambda r: (-r[1], r[0] or "", r[2] or 0))
    return [Count(name or "", n, key) for name, n, key in rows[:LIST_CAP]]


def outlet_report(session: Session, actor: Actor) -> OutletReport:
    """What an outlet reported, how it attributed it, and whom it relies on."""
    info = actor_info(session, actor)
    ids = [actor.id, *info.merged_ids]
    # retracted, deprecated and merged documents, and retired hops and statements, count for nothing
    mine = (Document.outlet_id.in_(ids), live_document())
    n_docs = session.scalar(select(func.count()).where(*mine)) or 0

    def at_precision(order: Any) -> str | None:
        # the first or last date as the document gives it ("2024-03", "~2021"), never an invented day
        row = session.execute(
            select(Document.published_on, Document.published_precision, Document.published_approx)
            .where(*mine, Document.published_on.is_not(None)).order_by(order, Document.id).limit(1)).first()
        partial = PartialDate.of(*row) if row else None
        return str(partial) if partial else None

    first, last = at_precision(Document.published_on.asc()), at_precision(Document.published_on.desc())

    counts = dict.fromkeys(ATTRIBUTION_CLASSES, 0)
    via_actors: Counter[int] = Counter()
    relied_outlets: Counter[int | None] = Counter()
    counted, recent_ids = 0, []
    for part, klass, via_actor, cites, earlier_outlet, n in session.connection().execute(_one_pass(mine)):
        if part == "t":
            counts[klass] += n
            if via_actor is not None:
                via_actors[via_actor] += n
            if cites:
                relied_outlets[earlier_outlet] += n
        elif part == "d":
            counted = n
        else:
            recent_ids.append(n)

    hops = sum(counts.values())
    shares = {k: round(v / hops, 4) if hops else 0.0 for k, v in counts.items()}
    names = _names(session, set(via_actors) | {o for o in relied_outlets if o is not None})
    recent = statement_rows(session, [Statement.id.in_(recent_ids)]) if recent_ids else []
    return OutletReport(info, n_docs, first, last, hops, counted, counts, shares,
                        _top(via_actors, names), _top(relied_outlets, names, missing="(no outlet)"), recent)


def _one_pass(mine: tuple[Any, ...]) -> Any:
    """One statement: every hop of the outlet's live documents read once, aggregated by the database.

    The hops (from the covering index) with their statement and the document of the hop they
    cite form one materialized CTE; three selects over it give the rows of the report, tagged:
    "t" (attribution class, via actor, cites an earlier hop, that hop's outlet) -> hops that count;
    "d" -> distinct statements that count; "r" -> the LIST_CAP latest statements carried
    (retracted ones included), latest first, undated last.
    """
    vague = select(Actor.id).where(Actor.kind == "unspecified")
    attribution_class = case(
        (Statement.speaker_id.is_(None) & Statement.speaker_descriptor.is_(None), "unattributed"),
        (Statement.speaker_descriptor.is_not(None) | Statement.speaker_id.in_(vague) | Hop.via_actor_id.in_(vague),
         "vague"),
        (Statement.quote_kind.in_(["direct", "mixed"]), "direct"),
        else_="indirect",
    )
    earlier, earlier_doc = aliased(Hop), aliased(Document)
    hops = (
        select(Hop.statement_id.label("statement_id"), Statement.said_on.label("said_on"),
               and_(Hop.status == NORMAL, live_statement()).label("live"), attribution_class.label("class"),
               Hop.via_actor_id.label("via_actor"), Hop.via_hop_id.is_not(None).label("cites"),
               earlier_doc.outlet_id.label("earlier_outlet"))
        .select_from(Hop).join(Statement, Statement.id == Hop.statement_id)
        .outerjoin(earlier, earlier.id == Hop.via_hop_id)
        .outerjoin(earlier_doc, earlier_doc.id == earlier.document_id)
        .where(Hop.document_id.in_(select(Document.id).where(*mine)))
    ).cte("outlet_hops")
    c = hops.c
    tally = (select(literal_column("'t'"), c["class"], c.via_actor, c.cites, c.earlier_outlet, func.count())
             .where(c.live).group_by(c["class"], c.via_actor, c.cites, c.earlier_outlet))
    distinct_statements: Any = select(literal_column("'d'"), null(), null(), null(), null(),
                                 func.count(distinct(c.statement_id))).where(c.live)
    latest = (select(c.statement_id).group_by(c.statement_id)
              .order_by(func.max(c.said_on).desc().nulls_last(), c.statement_id.desc()).limit(LIST_CAP)).subquery()
    recent = select(literal_column("'r'"), null(), null(), null(), null(), latest.c.statement_id)
    return union_all(tally, distinct_statements, recent)
