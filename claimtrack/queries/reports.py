"""The data of the reports fact-checkers read: claim, speaker, outlet, timeline.

Pure, read-only queries returning dataclasses; claimtrack.reports renders them with Rich or
Markdown and the CLI prints them as JSON (keys documented in docs/reports.md). Every list that
can grow with the database is capped and comes with its full count, so a report on a claim,
speaker or outlet with a million statements stays interactive.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from claimtrack.dates import PartialDate
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
from claimtrack.queries.conflicts import (
    SIDE_CAP,
    Conflict,
    KnownStatements,
    StatementItem,
    VerdictItem,
    actor_ids_with_merged,
    find_conflicts,
    format_figure,
    load_statement_items,
    verdict_item,
)
from claimtrack.queries.live import live_document, live_hop, live_statement
from claimtrack.queries.ratings import normalize_rating
from claimtrack.vocab import OPPOSING_STANCES, SUPPORTING_STANCES, Stance

#: the three columns of a claim report, in order
STANCE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("supports", "Supports (asserts, confirms)", tuple(sorted(s.value for s in SUPPORTING_STANCES))),
    ("opposes", "Opposes (denies, disputes, retracts)", tuple(sorted(s.value for s in OPPOSING_STANCES))),
    ("neutral", "No side (reports, declines to comment, did not respond)",
     tuple(sorted(s.value for s in Stance if s not in SUPPORTING_STANCES | OPPOSING_STANCES))),
)

#: statements shown per stance group of a claim report; the group's `total` counts them all
GROUP_CAP = 50
#: rows of the lists in speaker and outlet reports
LIST_CAP = 50


@dataclass
class ConflictBrief:
    kind: str
    severity_label: str
    claim_ids: list[int]
    summary: str


def _brief(conflict: Conflict) -> ConflictBrief:
    return ConflictBrief(conflict.kind, conflict.severity_label, conflict.claim_ids, conflict.summary)


# --------------------------------------------------------------------------- claim report


@dataclass
class ClaimInfo:
    id: int
    key: str | None
    text: str
    language: str | None
    quantity_subject: str | None
    figure: str | None
    status: str = "normal"
    status_reason: str | None = None
    merged_into_id: int | None = None


@dataclass
class StanceGroup:
    side: str  # supports / opposes / neutral
    label: str
    stances: list[str]
    total: int
    statements: list[StatementItem]


@dataclass
class RelationInfo:
    relation_id: int
    type: str
    status: str
    direction: str  # "outgoing" (this claim is the source) or "incoming"
    other_claim_id: int
    other_claim_text: str
    score: float | None
    note: str | None


@dataclass
class HistoryEntry:
    at: str
    user: str
    action: str
    changes: dict[str, list[Any]]  # field -> [before, after]


@dataclass
class VerdictEntry:
    verdict: VerdictItem
    explanation: str | None
    evidence_urls: list[str]
    history: list[HistoryEntry]


@dataclass
class ClaimReport:
    claim: ClaimInfo
    groups: list[StanceGroup]
    relations: list[RelationInfo]
    verdicts: list[VerdictEntry]
    conflicts: list[ConflictBrief]
    # retracted and deprecated statements: listed apart, counted in no stance group
    retired: StanceGroup | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: the group of a claim report that holds its retracted and deprecated statements
RETIRED_GROUP = ("retired", "Retracted or deprecated (not counted)")


def _history(session: Session, object_type: str, ids: list[int]) -> dict[int, list[HistoryEntry]]:
    if not ids:
        return {}
    result: dict[int, list[HistoryEntry]] = {i: [] for i in ids}
    events = session.scalars(select(Event).where(Event.object_type == object_type, Event.object_id.in_(ids))
                             .order_by(Event.id))
    for event in events:
        before = json.loads(event.before) if event.before else {}
        after = json.loads(event.after) if event.after else {}
        watched = ("label", "rating_value", "best", "worst", "status", "status_reason", "reviewed_on", "explanation")
        changes = {k: [before.get(k), after.get(k)] for k in watched
                   if k in before and k in after and before[k] != after[k]}
        result[event.object_id].append(  # type: ignore[index]
            HistoryEntry(event.occurred_at.isoformat(timespec="seconds"), event.user, event.action, changes))
    return result


def claim_report(session: Session, claim: Claim) -> ClaimReport:
    """Everything known about one claim; every query goes through the claim_id indexes."""
    info = ClaimInfo(claim.id, claim.key, claim.text, claim.language, claim.quantity_subject,
                     format_figure(claim.quantity_value, claim.quantity_bound, claim.quantity_unit),
                     claim.status, claim.status_reason, claim.merged_into_id)
    # one round trip for every group: its first GROUP_CAP ids (by date) and its size; retracted and
    # deprecated statements form a group of their own, so no stance group counts them
    retired_index = len(STANCE_GROUPS)
    group = case((Statement.status != "normal", retired_index),
                 *((Statement.stance.in_(stances), index) for index, (_, _, stances) in enumerate(STANCE_GROUPS)),
                 else_=retired_index + 1)
    ranked = select(
        Statement.id.label("id"), group.label("grp"),
        func.row_number().over(partition_by=group, order_by=(case((Statement.status == "normal", 0), else_=1),
                                                            Statement.said_on.asc().nulls_last(), Statement.id)).label("rn"),
        func.count().over(partition_by=group).label("total"),
    ).where(Statement.claim_id == claim.id).subquery()
    totals: dict[int, int] = {}
    group_ids: dict[int, list[int]] = {index: [] for index in range(len(STANCE_GROUPS) + 1)}
    for statement_id, index, _, total in session.execute(
            select(ranked).where(ranked.c.rn <= GROUP_CAP).order_by(ranked.c.grp, ranked.c.rn)):
        if index in group_ids:
            totals[index] = total
            group_ids[index].append(statement_id)
    picked: list[tuple[str, str, tuple[str, ...], int, list[int]]] = [
        (side, label, stances, totals.get(index, 0), group_ids[index])
        for index, (side, label, stances) in enumerate(STANCE_GROUPS)]
    items = load_statement_items(session, [i for *_, ids in picked for i in ids]
                                 + group_ids[retired_index])  # one round for all groups
    groups = [StanceGroup(side, label, list(stances), total, [items[i] for i in ids if i in items])
              for side, label, stances, total, ids in picked]
    retired_total = totals.get(retired_index, 0)
    retired = StanceGroup(RETIRED_GROUP[0], RETIRED_GROUP[1], sorted({s.value for s in Stance}), retired_total,
                          [items[i] for i in group_ids[retired_index] if i in items]) if retired_total else None

    source, target = aliased(Claim), aliased(Claim)
    relations = []
    rows = session.execute(
        select(ClaimRelation, source.text, target.text)
        .join(source, source.id == ClaimRelation.source_claim_id)
        .join(target, target.id == ClaimRelation.target_claim_id)
        .where(or_(ClaimRelation.source_claim_id == claim.id, ClaimRelation.target_claim_id == claim.id))
        .order_by(ClaimRelation.id)
    )
    for relation, source_text, target_text in rows:
        outgoing = relation.source_claim_id == claim.id
        relations.append(RelationInfo(
            relation.id, relation.type, relation.status, "outgoing" if outgoing else "incoming",
            relation.target_claim_id if outgoing else relation.source_claim_id,
            target_text if outgoing else source_text, relation.score, relation.note))

    verdicts = session.scalars(select(Verdict).where(Verdict.claim_id == claim.id)
                               .options(selectinload(Verdict.reviewer))
                               .order_by(Verdict.reviewed_on.asc().nulls_last(), Verdict.id)).all()
    history = _history(session, "verdict", [v.id for v in verdicts])
    verdict_entries = [
        VerdictEntry(verdict_item(v, v.reviewer.name if v.reviewer else None), v.explanation,
                     list(v.evidence_urls or []), history.get(v.id, []))
        for v in verdicts
    ]
    # the conflicts of this claim are built from the statements loaded above, not read again
    # (the groups are ordered like conflict sides and capped no lower, so their heads are the sides)
    # (the sides of a conflict list retracted statements too: reuse the groups only when there are none)
    known = KnownStatements(claim.id, items, {tuple(stances): (ids, total) for _, _, stances, total, ids in picked}) \
        if GROUP_CAP >= SIDE_CAP and retired is None else None
    conflicts = find_conflicts(session, claim_id=claim.id, include_retracted=True, known=known).conflicts
    return ClaimReport(info, groups, relations, verdict_entries, [_brief(c) for c in conflicts], retired)


# --------------------------------------------------------------------------- speaker report


@dataclass
class ActorInfo:
    id: int
    key: str | None
    name: str
    kind: str
    aliases: list[str]
    roles: list[str]
    merged_ids: list[int]  # actors merged into this one, whose records count as this actor's


@dataclass
class StatementRow:
    statement_id: int
    claim_id: int
    claim_text: str
    speaker: str | None
    stance: str
    quote: str | None
    said: str | None
    status: str


@dataclass
class Count:
    name: str
    count: int
    id: int | None = None
    normalized: float | None = None


@dataclass
class SpeakerReport:
    actor: ActorInfo
    statements_total: int
    by_stance: dict[str, int]
    by_status: dict[str, int]
    verdicts: list[Count]  # verdicts on claims this speaker asserted or confirmed, by label
    self_contradictions: list[ConflictBrief]
    outlets: list[Count]  # outlets that carried this speaker's statements, by number of hops
    recent: list[StatementRow]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def actor_info(session: Session, actor: Actor) -> ActorInfo:
    roles = []
    for affiliation in session.scalars(select(Affiliation).where(Affiliation.actor_id == actor.id)
                                       .options(selectinload(Affiliation.organization)).order_by(Affiliation.id)):
        text = affiliation.role + (f", {affiliation.organization.name}" if affiliation.organization else "")
        if affiliation.start or affiliation.end:
            text += f" ({affiliation.start or '?'}–{affiliation.end or ''})"
        if affiliation.status != "normal":
            text += f" [{affiliation.status}]"
        roles.append(text)
    ids = actor_ids_with_merged(session, actor.id)
    return ActorInfo(actor.id, actor.key, actor.name, actor.kind, [a.alias for a in actor.aliases], roles,
                     [i for i in ids if i != actor.id])


def statement_rows(session: Session, conditions: list[Any], joins: list[Any] | None = None,
                    limit: int = LIST_CAP) -> list[StatementRow]:
    speaker = aliased(Actor)
    query = (select(Statement.id, Statement.claim_id, Claim.text, speaker.name, Statement.speaker_descriptor,
                    Statement.stance, Statement.quote, Statement.said_on, Statement.said_precision,
                    Statement.said_approx, Statement.status)
             .join(Claim, Claim.id == Statement.claim_id)
             .outerjoin(speaker, speaker.id == Statement.speaker_id))
    for target, on in joins or []:
        query = query.join(target, on)
    query = query.where(*conditions).order_by(Statement.said_on.desc().nulls_last(), Statement.id.desc()).limit(limit)
    return [
        StatementRow(r[0], r[1], r[2], r[3] or r[4], r[5], r[6],
                     str(PartialDate.of(r[7], r[8], r[9])) if r[7] else None, r[10])
        for r in session.execute(query)
    ]


def speaker_report(session: Session, actor: Actor) -> SpeakerReport:
    """A speaker's track record (statements of actors merged into it count as its own)."""
    info = actor_info(session, actor)
    ids = [actor.id, *info.merged_ids]
    mine = Statement.speaker_id.in_(ids)
    # the tallies count live statements only; by_status lists the retracted and deprecated apart
    by_stance = {s: n for s, n in session.execute(
        select(Statement.stance, func.count()).where(mine, live_statement())
        .group_by(Statement.stance).order_by(Statement.stance))}
    # a normal statement about a retired (or merged) claim counts nowhere either: say so
    status = case((live_statement(), Statement.status), (Statement.status == "normal", "on a retired claim"),
                  else_=Statement.status)
    by_status = {s: n for s, n in session.execute(
        select(status, func.count()).where(mine).group_by(status).order_by(status))}
    made = select(Statement.claim_id).where(mine, live_statement(),
                                            Statement.stance.in_([s.value for s in SUPPORTING_STANCES]))
    verdict_rows = session.execute(
        select(Verdict.label, func.count(), func.min(Verdict.rating_value), func.min(Verdict.best), func.min(Verdict.worst))
        .where(Verdict.claim_id.in_(made), Verdict.status == "normal").group_by(Verdict.label)
    ).all()
    verdicts = sorted(
        (Count(label, n, None, normalize_rating(label, value if n == 1 else None, best, worst))
         for label, n, value, best, worst in verdict_rows),
        key=lambda c: (c.normalized if c.normalized is not None else 2.0, c.name))
    reversals = find_conflicts(session, kinds=["reversal"], speaker_ids=ids, limit=LIST_CAP).conflicts
    outlets = [
        Count(name or "(no outlet)", n, outlet_id)
        for outlet_id, name, n in session.execute(
            select(Document.outlet_id, Actor.name, func.count(Hop.id))
            .select_from(Hop).join(Statement, Statement.id == Hop.statement_id)
            .join(Document, Document.id == Hop.document_id).outerjoin(Actor, Actor.id == Document.outlet_id)
            .where(mine, live_statement(), live_hop(), live_document())
            .group_by(Document.outlet_id, Actor.name).order_by(func.count(Hop.id).desc(), Actor.name)
            .limit(LIST_CAP))
    ]
    return SpeakerReport(info, sum(by_stance.values()), by_stance, by_status, verdicts,
                         [_brief(c) for c in reversals], outlets, statement_rows(session, [mine]))


# --------------------------------------------------------------------------- timeline


@dataclass
class TimelineEvent:
    date: str | None  # at its precision: "2021-01-23", "2021-04", "~2021"; None when unknown
    kind: str  # said / reported / reviewed
    claim_id: int
    claim_text: str
    who: str | None  # speaker, outlet or reviewer
    what: str  # stance, document title, verdict label
    statement_id: int | None = None
    document_id: int | None = None
    verdict_id: int | None = None
    status: str = "normal"


@dataclass
class Timeline:
    claim_id: int | None
    events: list[TimelineEvent]
    undated: int  # events without a date (listed last for one claim; only counted for all claims)
    truncated: bool  # more dated events exist than the limit allowed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_KIND_ORDER = {"said": 0, "reported": 1, "reviewed": 2}


def timeline(session: Session, claim_id: int | None = None, since: date | None = None,
             limit: int = 200) -> Timeline:
    """Said, reported and reviewed events in date order (dates at their precision)."""
    speaker = aliased(Actor)
    s_query = (select(Statement.id, Statement.claim_id, Claim.text, speaker.name, Statement.speaker_descriptor,
                      Statement.stance, Statement.said_on, Statement.said_precision, Statement.said_approx,
                      Statement.status)
               .join(Claim, Claim.id == Statement.claim_id).outerjoin(speaker, speaker.id == Statement.speaker_id))
    outlet = aliased(Actor)
    d_query = (select(Document.id, Statement.claim_id, Claim.text, outlet.name, Document.title, Document.url,
                      Document.published_on, Document.published_precision, Document.published_approx)
               .select_from(Hop).join(Document, Document.id == Hop.document_id)
               .join(Statement, Statement.id == Hop.statement_id).join(Claim, Claim.id == Statement.claim_id)
               .outerjoin(outlet, outlet.id == Document.outlet_id)
               .group_by(Document.id, Statement.claim_id, Claim.text, outlet.name, Document.title, Document.url,
                         Document.published_on, Document.published_precision, Document.published_approx))
    reviewer = aliased(Actor)
    v_query = (select(Verdict.id, Verdict.claim_id, Claim.text, reviewer.name, Verdict.label, Verdict.reviewed_on,
                      Verdict.reviewed_precision, Verdict.reviewed_approx, Verdict.status)
               .join(Claim, Claim.id == Verdict.claim_id).outerjoin(reviewer, reviewer.id == Verdict.reviewer_id))
    if claim_id is not None:
        s_query = s_query.where(Statement.claim_id == claim_id)
        d_query = d_query.where(Statement.claim_id == claim_id)
        v_query = v_query.where(Verdict.claim_id == claim_id)
    if since is not None:
        s_query = s_query.where(Statement.said_on >= since)
        d_query = d_query.where(Document.published_on >= since)
        v_query = v_query.where(Verdict.reviewed_on >= since)
    undated = 0
    if claim_id is None:
        # over the whole database: the first `limit` dated events of each kind, each read through
        # its date index (documents first by date, then the claims of just those documents);
        # undated events are only counted
        undated = sum(session.scalar(select(func.count()).where(condition)) or 0 for condition in (
            Statement.said_on.is_(None), Document.published_on.is_(None), Verdict.reviewed_on.is_(None)))
        s_query = s_query.where(Statement.said_on.is_not(None)).order_by(Statement.said_on, Statement.id).limit(limit + 1)
        first_documents = select(Document.id).where(Document.published_on.is_not(None))
        if since is not None:
            first_documents = first_documents.where(Document.published_on >= since)
        document_ids = list(session.scalars(first_documents.order_by(Document.published_on, Document.id).limit(limit + 1)))
        d_query = d_query.where(Document.id.in_(document_ids))
        v_query = v_query.where(Verdict.reviewed_on.is_not(None)).order_by(Verdict.reviewed_on, Verdict.id).limit(limit + 1)
    events: list[tuple[date | None, TimelineEvent]] = []
    for s in session.execute(s_query):
        said = PartialDate.of(s[6], s[7], s[8])
        events.append((s[6], TimelineEvent(str(said) if said else None, "said", s[1], s[2], s[3] or s[4],
                                           s[5], statement_id=s[0], status=s[9])))
    for d in session.execute(d_query):
        published = PartialDate.of(d[6], d[7], d[8])
        events.append((d[6], TimelineEvent(str(published) if published else None, "reported", d[1], d[2], d[3],
                                           d[4] or d[5] or f"document {d[0]}", document_id=d[0])))
    for v in session.execute(v_query):
        reviewed = PartialDate.of(v[5], v[6], v[7])
        events.append((v[5], TimelineEvent(str(reviewed) if reviewed else None, "reviewed", v[1], v[2], v[3], v[4],
                                           verdict_id=v[0], status=v[8])))
    events.sort(key=lambda pair: (pair[0] is None, pair[0] or date.min, _KIND_ORDER[pair[1].kind],
                                  pair[1].claim_id, pair[1].statement_id or pair[1].document_id or pair[1].verdict_id or 0))
    if claim_id is not None:
        undated = sum(1 for d, _ in events if d is None)
    truncated = len(events) > limit
    return Timeline(claim_id, [e for _, e in events[:limit]], undated, truncated)
