"""Conflict detection: find claims that cannot all be right and line their sides up.

Five kinds (docs/reports.md): opposing stances on one claim (`stance`), a `contradicts` relation
between two claims (`relation`), different figures for one counted thing (`quantity`), a speaker
who supported and opposed the same claim (`reversal`), and verdicts that disagree (`verdict`).

How it stays fast on a million statements: every kind first finds its *candidates* with one
aggregate query (GROUP BY / HAVING over the indexed foreign keys, or a column-only scan for
quantities), which also yields the severity; candidates are sorted, and only the requested page
is loaded in detail. With `claim_id`, every query is restricted through the claim_id indexes.

Retracted and deprecated records are never dropped silently: inside a conflict they are listed
with their status; a conflict that exists *only* because of such records is left out unless
`include_retracted` is set, and the number left out is returned (`hidden_retracted`) so the
caller can say so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from claimtrack.dates import PartialDate, parse_date
from claimtrack.models import (
    Actor,
    Affiliation,
    Claim,
    ClaimRelation,
    Document,
    Hop,
    Statement,
    Verdict,
)
from claimtrack.normalize import fold
from claimtrack.queries.live import retired_claim_ids
from claimtrack.queries.ratings import normalize_rating
from claimtrack.vocab import (
    OPPOSING_STANCES,
    SUPPORTING_STANCES,
    Bound,
    RelationStatus,
    RelationType,
)

KINDS: tuple[str, ...] = ("stance", "reversal", "relation", "quantity", "verdict")

#: what each kind means, shown with every conflict (and in docs/reports.md)
EXPLANATIONS: dict[str, str] = {
    "stance": "Statements on the same claim take opposing stances: one side asserts or confirms "
              "it, the other denies, disputes or retracts it.",
    "reversal": "One speaker both supported the claim (asserts/confirms) and opposed it "
                "(denies/disputes/retracts).",
    "relation": "The two claims are linked by a 'contradicts' relation, so both cannot be true. "
                "A suggested relation (found by similarity) is marked until a person confirms it.",
    "quantity": "Claims count the same thing with different figures. The bounds (exact, about "
                "±25%, at least, more than, at most, less than) decide whether the figures are "
                "compatible (can all be true at once) or incompatible.",
    "verdict": "Fact-checkers' verdicts on the claim disagree once placed on one 0–1 scale "
               "(0 = false, 1 = true): numeric ratings by best/worst, labels by a fixed table.",
}

HIGH, MEDIUM, LOW = 3, 2, 1
SEVERITY_LABELS = {HIGH: "high", MEDIUM: "medium", LOW: "low"}

#: how many items of one side are loaded in detail; the side's full size is in side_totals
SIDE_CAP = 25

#: "about" a figure is read as within this fraction of it
ABOUT_TOLERANCE = 0.25

_SUPPORTING = sorted(s.value for s in SUPPORTING_STANCES)
_OPPOSING = sorted(s.value for s in OPPOSING_STANCES)
_TAKING_SIDES = _SUPPORTING + _OPPOSING


# --------------------------------------------------------------------------- result values


@dataclass
class Reported:
    """One place a statement was reported: a hop, its document and outlet."""

    hop_id: int
    document_id: int
    document: str
    outlet: str | None
    date: str | None
    url: str | None
    cue: str | None
    via: str | None
    primary: bool
    chain: str | None


@dataclass
class StatementItem:
    statement_id: int
    claim_id: int
    speaker: str | None  # actor name, anonymous descriptor, or None for the reporter's own voice
    speaker_id: int | None
    anonymous: bool
    role: str | None
    on_behalf_of: str | None
    stance: str
    quote: str | None
    quote_kind: str | None
    cue: str | None
    channel: str | None
    said: str | None
    status: str
    status_reason: str | None
    reported_in: list[Reported] = field(default_factory=list)
    figure: str | None = None  # quantity conflicts: the claim's figure, e.g. "more than 3,000"
    type: str = "statement"


@dataclass
class VerdictItem:
    verdict_id: int
    claim_id: int
    reviewer: str | None
    label: str
    value: float | None
    best: float | None
    worst: float | None
    normalized: float | None
    date: str | None
    url: str | None
    status: str
    status_reason: str | None
    type: str = "verdict"
    # the keys every item has (see docs/reports.md), so a script can read any side uniformly:
    # the reviewer speaks, on the date of the review, in the published fact-check
    speaker: str | None = None
    stance: str | None = None
    quote: str | None = None
    said: str | None = None
    reported_in: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.speaker = self.reviewer
        self.said = self.date
        if self.url and not self.reported_in:
            self.reported_in = [{"outlet": self.reviewer, "document": self.url, "date": self.date}]


@dataclass
class ClaimItem:
    """Stands for a claim on a side that has no statement to show (logged without a speaker)."""

    claim_id: int
    text: str
    figure: str | None
    type: str = "claim"
    status: str = "normal"
    speaker: None = None
    stance: None = None
    quote: None = None
    said: None = None
    reported_in: list[dict[str, Any]] = field(default_factory=list)


Item = StatementItem | VerdictItem | ClaimItem


@dataclass
class Conflict:
    kind: str
    claim_ids: list[int]
    summary: str
    severity: int  # 3 high, 2 medium, 1 low
    explanation: str
    sides: list[list[Item]]
    side_labels: list[str]
    side_totals: list[int]
    suggested: bool = False  # relation conflicts from a relation nobody has confirmed yet
    rests_on_retracted: bool = False

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form (docs/reports.md)."""
        data = asdict(self)
        data["severity_label"] = self.severity_label
        return data


@dataclass
class ConflictList:
    conflicts: list[Conflict]
    total: int | None  # conflicts found, before --limit (None: more than the page, not counted)
    hidden_retracted: int | None  # left out: rest only on retracted/deprecated records (None: not counted)


@dataclass
class _Candidate:
    kind: str
    claim_ids: tuple[int, ...]
    severity: int
    weight: int
    rests_on_retracted: bool
    build: Callable[[], Conflict]


# --------------------------------------------------------------------------- small helpers


def format_figure(value: float | None, bound: str | None, unit: str | None = None) -> str | None:
    """"more than 3,000 people" from (3000, "more_than", "people")."""
    if value is None:
        return None
    number = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    prefix = {
        Bound.EXACT: "", Bound.ABOUT: "about ", Bound.AT_LEAST: "at least ", Bound.MORE_THAN: "more than ",
        Bound.AT_MOST: "at most ", Bound.LESS_THAN: "less than ",
    }.get(Bound(bound) if bound is not None and bound in Bound._value2member_map_ else Bound.EXACT, "")
    return f"{prefix}{number}" + (f" {unit}" if unit else "")


def figure_interval(value: float, bound: str | None) -> tuple[float, bool, float, bool]:
    """The values a figure allows: (low, low_open, high, high_open)."""
    inf = float("inf")
    match bound:
        case Bound.ABOUT:
            spread = abs(value) * ABOUT_TOLERANCE
            return value - spread, False, value + spread, False
        case Bound.AT_LEAST:
            return value, False, inf, True
        case Bound.MORE_THAN:
            return value, True, inf, True
        case Bound.AT_MOST:
            return -inf, True, value, False
        case Bound.LESS_THAN:
            return -inf, True, value, True
        case _:
            return value, False, value, False


def figures_compatible(a: tuple[float, str | None], b: tuple[float, str | None]) -> bool:
    """Whether two bounded figures can both be true (their intervals overlap)."""
    a_lo, a_lo_open, a_hi, a_hi_open = figure_interval(*a)
    b_lo, b_lo_open, b_hi, b_hi_open = figure_interval(*b)
    if a_lo > b_lo or (a_lo == b_lo and a_lo_open):
        lo, lo_open = a_lo, a_lo_open
    else:
        lo, lo_open = b_lo, b_lo_open
    if a_hi < b_hi or (a_hi == b_hi and a_hi_open):
        hi, hi_open = a_hi, a_hi_open
    else:
        hi, hi_open = b_hi, b_hi_open
    return lo < hi or (lo == hi and not lo_open and not hi_open)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)  # the same pattern as claimtrack.normalize.fold


def fast_fold(text: str) -> str:
    """claimtrack.normalize.fold, with a shortcut for ASCII text (most subjects): for ASCII,
    casefold is lower() and NFKD/combining marks change nothing, so only the regex remains."""
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    return fold(text)


def _date_text(value: date | None, precision: str | None, approx: bool | None) -> str | None:
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
    for chunk in _chunks(hop_ids, 50):
        result.update(chain_summary(session, chunk))
    return result


# Module-level aliases: SQLAlchemy memoizes the column adaptation of an alias, so reusing these
# keeps statement construction cheap (fresh aliases per call cost more than the queries).
_ORG, _SPEAKER, _BEHALF, _OUTLET, _VIA = (aliased(Actor) for _ in range(5))


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
    org = _ORG
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
    speaker, behalf, outlet, via = _SPEAKER, _BEHALF, _OUTLET, _VIA
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
            date=_date_text(h.published_on, h.published_precision, h.published_approx),
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
            said=_date_text(st.said_on, st.said_precision, st.said_approx),
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


def _ordered_items(items: dict[int, StatementItem], ids: list[int]) -> list[Item]:
    return [items[i] for i in ids if i in items]


@dataclass
class KnownStatements:
    """Statements of one claim a caller has already loaded (the claim report), for reuse.

    `sides` maps a sorted tuple of stances to (statement ids in side order — normal first,
    then by date, then id — at least SIDE_CAP of them or all, and the side's total), as
    side_statement_ids returns them; `items` holds those statements loaded in detail.
    """

    claim_id: int
    items: dict[int, StatementItem]
    sides: dict[tuple[str, ...], tuple[list[int], int]]


class _PageCache:
    """Shares item loading between the conflicts of one page.

    Building a conflict needs its statements in detail (hops, documents, chain summaries), which
    costs far more per call than per statement. So a page is built twice: first collecting the
    statement ids every conflict wants (loading nothing), then with all of them loaded in one go.
    Side id lookups are memoized between the two passes.
    """

    def __init__(self, session: Session, known: KnownStatements | None = None) -> None:
        self.session = session
        self.collecting = True
        self.wanted: list[int] = []
        self.items: dict[int, StatementItem] = {}
        self.sides: dict[tuple[Any, ...], tuple[list[int], int]] = {}
        if known is not None:  # what the caller loaded is not read again
            self.items.update(known.items)
            for stances, (ids, total) in known.sides.items():
                self.sides[(known.claim_id, tuple(sorted(stances)), None)] = (list(ids[:SIDE_CAP]), total)

    def side_ids(self, claim_id: int, stances: Sequence[str] | None = None,
                 speaker_ids: Sequence[int] | None = None) -> tuple[list[int], int]:
        key = (claim_id, tuple(sorted(stances)) if stances is not None else None,
               tuple(speaker_ids) if speaker_ids is not None else None)
        if key not in self.sides:
            self.sides[key] = side_statement_ids(self.session, claim_id, stances, speaker_ids)
        return self.sides[key]

    def load(self, ids: Sequence[int]) -> dict[int, StatementItem]:
        if self.collecting:
            self.wanted.extend(ids)
            return {}
        missing = [i for i in ids if i not in self.items]
        if missing:
            self.items.update(load_statement_items(self.session, missing))
        return {i: self.items[i] for i in ids if i in self.items}

    def serve(self) -> None:
        self.collecting = False
        unique = [i for i in dict.fromkeys(self.wanted) if i not in self.items]
        for chunk in _chunks(unique):
            self.items.update(load_statement_items(self.session, chunk))


_PAGE: ContextVar[_PageCache | None] = ContextVar("claimtrack_conflict_page", default=None)


def _side_ids(session: Session, claim_id: int, stances: Sequence[str] | None = None,
              speaker_ids: Sequence[int] | None = None) -> tuple[list[int], int]:
    page = _PAGE.get()
    if page is None:
        return side_statement_ids(session, claim_id, stances, speaker_ids)
    return page.side_ids(claim_id, stances, speaker_ids)


def _load_items(session: Session, ids: Sequence[int]) -> dict[int, StatementItem]:
    page = _PAGE.get()
    if page is None:
        return load_statement_items(session, ids)
    return page.load(ids)


# --------------------------------------------------------------------------- filters


@dataclass
class _Filters:
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


# --------------------------------------------------------------------------- the five kinds


def _side_taking_candidates(session: Session, f: _Filters, kinds: Sequence[str]) -> list[_Candidate]:
    """Stance and reversal candidates from ONE scan of the statements.

    The inner query groups by (claim, speaker), the outer one by claim; both walk the covering
    index ix_statements_claim_speaker_stance in order, so this is one streaming pass over a
    million statements with no sort, instead of one per kind.
    """
    normal = Statement.status == "normal"
    supp = Statement.stance.in_(_SUPPORTING)
    opp = Statement.stance.in_(_OPPOSING)
    inner = (
        select(
            Statement.claim_id.label("claim_id"),
            Statement.speaker_id.label("speaker_id"),
            func.sum(case((and_(supp, normal), 1), else_=0)).label("ns"),
            func.sum(case((and_(opp, normal), 1), else_=0)).label("no"),
            func.sum(case((supp, 1), else_=0)).label("s"),
            func.sum(case((opp, 1), else_=0)).label("o"),
            func.count().label("n"),
        )
        .where(Statement.stance.in_(_TAKING_SIDES))
        .group_by(Statement.claim_id, Statement.speaker_id)
    )
    if f.claim_id is not None:
        inner = inner.where(Statement.claim_id == f.claim_id)
    restrict = f.statement_claims()
    if restrict is not None:
        inner = inner.where(Statement.claim_id.in_(restrict))
    sub = inner.subquery()
    reversing = case((and_(sub.c.speaker_id.is_not(None), sub.c.s > 0, sub.c.o > 0), 1), else_=0)
    outer = (
        select(sub.c.claim_id, func.sum(sub.c.ns), func.sum(sub.c.no), func.sum(sub.c.n), func.sum(reversing))
        .group_by(sub.c.claim_id)
        .having(func.sum(sub.c.s) > 0, func.sum(sub.c.o) > 0)
    )
    result: list[_Candidate] = []
    reversal_claims: list[int] = []
    for claim_id, normal_supp, normal_opp, count, reversals in session.execute(outer):
        if "stance" in kinds:
            live = bool(normal_supp) and bool(normal_opp)
            result.append(_Candidate("stance", (claim_id,), HIGH if live else LOW, count, not live,
                                     _builder(_build_stance, session, claim_id, not live)))
        if reversals:
            reversal_claims.append(claim_id)
    if "reversal" in kinds:
        result.extend(_reversal_candidates(session, f, reversal_claims))
    return result


def _reversal_candidates(session: Session, f: _Filters, claim_ids: list[int]) -> list[_Candidate]:
    """Which speakers reversed themselves on these claims (merged actors count as their survivor)."""
    normal = Statement.status == "normal"
    supp = Statement.stance.in_(_SUPPORTING)
    opp = Statement.stance.in_(_OPPOSING)
    # (claim, survivor) -> [normal supporting, normal opposing, all supporting, all opposing, count, latest said]
    groups: dict[tuple[int, int], list[Any]] = {}

    def add(key: tuple[int, int], values: Sequence[Any]) -> None:
        group = groups.setdefault(key, [0, 0, 0, 0, 0, None])
        for index in range(5):
            group[index] += values[index] or 0
        if values[5] is not None and (group[5] is None or values[5] > group[5]):
            group[5] = values[5]

    merged = dict(session.execute(select(Actor.id, Actor.merged_into_id).where(Actor.merged_into_id.is_not(None))).all())

    def survivor(actor_id: int) -> int:
        seen = set()
        while actor_id in merged and actor_id not in seen:
            seen.add(actor_id)
            actor_id = merged[actor_id] or actor_id
        return actor_id

    touched: set[int] = set()
    if merged:
        # claims where a merged-away actor took a side: regroup those in Python by survivor
        merged_claims = select(Statement.claim_id).where(Statement.speaker_id.in_(list(merged)),
                                                         Statement.stance.in_(_TAKING_SIDES)).distinct()
        if f.claim_id is not None:
            merged_claims = merged_claims.where(Statement.claim_id == f.claim_id)
        touched = set(session.scalars(merged_claims))
    columns = (Statement.claim_id, Statement.speaker_id,
               func.sum(case((and_(supp, normal), 1), else_=0)), func.sum(case((and_(opp, normal), 1), else_=0)),
               func.sum(case((supp, 1), else_=0)), func.sum(case((opp, 1), else_=0)), func.count(),
               func.max(Statement.said_on))
    for chunk in _chunks(sorted(set(claim_ids) | touched)):
        query = (select(*columns).where(Statement.claim_id.in_(chunk), Statement.speaker_id.is_not(None),
                                        Statement.stance.in_(_TAKING_SIDES))
                 .group_by(Statement.claim_id, Statement.speaker_id))
        for claim_id, speaker_id, *values in session.execute(query):
            add((claim_id, survivor(speaker_id)), values)
    allowed = set(f.speaker_ids) if f.speaker_ids is not None else None
    result = []
    for (claim_id, speaker_id), (normal_supp, normal_opp, all_supp, all_opp, count, latest) in groups.items():
        if not (all_supp and all_opp):
            continue
        if allowed is not None and speaker_id not in allowed:
            continue
        if f.since is not None and (latest is None or latest < f.since):
            continue
        live = bool(normal_supp) and bool(normal_opp)
        result.append(_Candidate("reversal", (claim_id,), HIGH if live else LOW, count, not live,
                                 _builder(_build_reversal, session, claim_id, speaker_id, not live)))
    return result


def _build_stance(session: Session, claim_id: int, retracted_only: bool) -> Conflict:
    claim = session.get(Claim, claim_id)
    assert claim is not None
    supp_ids, supp_total = _side_ids(session, claim_id, _SUPPORTING)
    opp_ids, opp_total = _side_ids(session, claim_id, _OPPOSING)
    items = _load_items(session, supp_ids + opp_ids)
    supporters = _names(items[i] for i in supp_ids if i in items)
    opponents = _names(items[i] for i in opp_ids if i in items)
    summary = (f"Claim {claim_id} \u201c{_short(claim.text)}\u201d: supported by {supporters or 'retracted records'}"
               f"{_count_note(supp_total)}; opposed by {opponents or 'retracted records'}{_count_note(opp_total)}.")
    if retracted_only:
        summary += " (One side rests only on retracted or deprecated statements.)"
    return Conflict("stance", [claim_id], summary, LOW if retracted_only else HIGH, EXPLANATIONS["stance"],
                    [_ordered_items(items, supp_ids), _ordered_items(items, opp_ids)],
                    ["supports (asserts, confirms)", "opposes (denies, disputes, retracts)"],
                    [supp_total, opp_total], rests_on_retracted=retracted_only)


def _build_reversal(session: Session, claim_id: int, speaker_id: int, retracted_only: bool) -> Conflict:
    claim = session.get(Claim, claim_id)
    speaker = session.get(Actor, speaker_id)
    assert claim is not None and speaker is not None
    speaker_ids = actor_ids_with_merged(session, speaker_id)
    supp_ids, supp_total = _side_ids(session, claim_id, _SUPPORTING, speaker_ids)
    opp_ids, opp_total = _side_ids(session, claim_id, _OPPOSING, speaker_ids)
    items = _load_items(session, supp_ids + opp_ids)
    supp_dates = [_said(items, i) for i in supp_ids]
    opp_dates = [_said(items, i) for i in opp_ids]
    first_supp = min((d for d in supp_dates if d), default=None)
    first_opp = min((d for d in opp_dates if d), default=None)
    if first_supp and first_opp and first_supp.end < first_opp.start:
        order = f"supported it ({first_supp}) and later opposed it ({first_opp})"
    elif first_supp and first_opp and first_opp.end < first_supp.start:
        order = f"opposed it ({first_opp}) and later supported it ({first_supp})"
    else:
        order = "both supported and opposed it (order unknown: dates missing or overlapping)"
    summary = f"{speaker.name} {order}: claim {claim_id} \u201c{_short(claim.text)}\u201d."
    if retracted_only:
        summary += " (One side rests only on retracted or deprecated statements.)"
    return Conflict("reversal", [claim_id], summary, LOW if retracted_only else HIGH, EXPLANATIONS["reversal"],
                    [_ordered_items(items, supp_ids), _ordered_items(items, opp_ids)],
                    [f"{speaker.name} supports", f"{speaker.name} opposes"], [supp_total, opp_total],
                    rests_on_retracted=retracted_only)


def _said(items: dict[int, StatementItem], statement_id: int) -> PartialDate | None:
    item = items.get(statement_id)
    return parse_date(item.said) if item is not None and item.said else None


def _retracted_only_claims(session: Session, claim_ids: Iterable[int]) -> set[int]:
    """Claims whose statements are all retracted or deprecated (claims with none are live)."""
    ids = sorted(set(claim_ids))
    dead: set[int] = set()
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Statement.claim_id, func.sum(case((Statement.status == "normal", 1), else_=0)))
            .where(Statement.claim_id.in_(chunk)).group_by(Statement.claim_id)
        )
        dead.update(claim_id for claim_id, normal in rows if not normal)
    return dead


def _relation_candidates(session: Session, f: _Filters) -> list[_Candidate]:
    query = select(ClaimRelation.id, ClaimRelation.source_claim_id, ClaimRelation.target_claim_id,
                   ClaimRelation.status).where(
        ClaimRelation.type == RelationType.CONTRADICTS.value,
        ClaimRelation.status.in_([RelationStatus.CONFIRMED.value, RelationStatus.SUGGESTED.value]),
    )
    if f.claim_id is not None:
        query = query.where(or_(ClaimRelation.source_claim_id == f.claim_id, ClaimRelation.target_claim_id == f.claim_id))
    restrict = f.statement_claims()
    if restrict is not None:
        query = query.where(or_(ClaimRelation.source_claim_id.in_(restrict), ClaimRelation.target_claim_id.in_(restrict)))
    rows = session.execute(query).all()
    dead = _retracted_only_claims(session, [c for r in rows for c in (r[1], r[2])])
    result = []
    for relation_id, source, target, status in rows:
        retracted_only = source in dead or target in dead
        severity = HIGH if status == RelationStatus.CONFIRMED.value and not retracted_only else LOW
        result.append(_Candidate("relation", (source, target), severity, 2, retracted_only,
                                 _builder(_build_relation, session, relation_id, retracted_only)))
    return result


def _claim_side(session: Session, claim: Claim, figure: str | None = None) -> tuple[list[Item], int]:
    ids, total = _side_ids(session, claim.id)
    items = _load_items(session, ids)
    side: list[Item] = []
    for i in ids:
        if i in items:
            side.append(replace(items[i], figure=figure))  # items are shared within a page
    if not side:
        side = [ClaimItem(claim.id, claim.text, figure)]
    return side, total


def _build_relation(session: Session, relation_id: int, retracted_only: bool) -> Conflict:
    relation = session.get(ClaimRelation, relation_id)
    assert relation is not None
    source, target = relation.source, relation.target
    source_side, source_total = _claim_side(session, source)
    target_side, target_total = _claim_side(session, target)
    suggested = relation.status == RelationStatus.SUGGESTED.value
    who_a = _names(i for i in source_side if isinstance(i, StatementItem)) or "nobody on record"
    who_b = _names(i for i in target_side if isinstance(i, StatementItem)) or "nobody on record"
    summary = (f"{'Suggested (unconfirmed): ' if suggested else ''}claim {source.id} \u201c{_short(source.text)}\u201d "
               f"({who_a}) contradicts claim {target.id} \u201c{_short(target.text)}\u201d ({who_b}).")
    if relation.score is not None and suggested:
        summary += f" Similarity {relation.score:.2f}."
    if retracted_only:
        summary += " (A claim's statements are all retracted or deprecated.)"
    severity = LOW if suggested or retracted_only else HIGH
    return Conflict("relation", [source.id, target.id], summary, severity, EXPLANATIONS["relation"],
                    [source_side, target_side], [f"claim {source.id}", f"claim {target.id}"],
                    [source_total, target_total], suggested=suggested, rests_on_retracted=retracted_only)


def _chunks(ids: Sequence[int], size: int = 5000) -> Iterable[list[int]]:
    """IN lists in slices: SQLite caps bound parameters, and huge IN lists plan badly."""
    for start in range(0, len(ids), size):
        yield list(ids[start:start + size])


def _quantity_candidates(session: Session, f: _Filters) -> list[_Candidate]:
    # The subject is compared on fold(), which SQL cannot compute portably. So: the distinct
    # subject spellings come from the quantity_subject index (GROUP BY), Python folds them, and
    # only claims whose folded subject is shared by a differing figure are read, by that index.
    subject = None
    if f.claim_id is not None:
        subject = session.scalar(select(Claim.quantity_subject).where(Claim.id == f.claim_id))
        if subject is None:
            return []
    spellings = session.execute(
        select(Claim.quantity_subject, func.count()).where(Claim.quantity_subject.is_not(None))
        .group_by(Claim.quantity_subject)
    ).all()
    by_fold: dict[str, list[str]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    for spelling, count in spellings:
        if spelling is None:
            continue
        key = fast_fold(spelling)
        by_fold[key].append(spelling)
        sizes[key] += count
    if subject is not None:
        wanted = [fast_fold(subject)]
    else:
        wanted = [key for key, size in sizes.items() if size > 1]
    raw = [spelling for key in wanted for spelling in by_fold.get(key, [])]
    rows: list[Any] = []
    for chunk in _chunks(raw):  # type: ignore[arg-type]
        rows.extend(session.execute(
            select(Claim.id, Claim.quantity_subject, Claim.quantity_value, Claim.quantity_bound, Claim.quantity_unit)
            .where(Claim.quantity_subject.in_(chunk))
        ).all())
    groups: dict[str, list[tuple[int, float, str | None, str | None]]] = defaultdict(list)
    for claim_id, subject_text, value, bound, unit in rows:
        groups[fast_fold(subject_text)].append((claim_id, value, bound, unit))
    groups = {k: v for k, v in groups.items() if len({(val, b or "exact", fast_fold(u or "")) for _, val, b, u in v}) > 1}
    if not groups:
        return []
    members_all = [c for v in groups.values() for c, *_ in v]
    restrict = f.statement_claims()
    allowed: set[int] | None = None
    if restrict is not None:
        allowed = set()
        for chunk in _chunks(members_all):
            allowed.update(session.scalars(select(Statement.claim_id).where(
                Statement.claim_id.in_(chunk), Statement.claim_id.in_(restrict))).all())
    dead = _retracted_only_claims(session, members_all)
    result = []
    for key, members in groups.items():
        if allowed is not None and not any(c in allowed for c, *_ in members):
            continue
        live = [m for m in members if m[0] not in dead]
        live_figures = {(val, b or "exact", fast_fold(u or "")) for _, val, b, u in live}
        retracted_only = len(live_figures) < 2
        considered = members if retracted_only else live
        compatible = _all_compatible(considered)
        severity = LOW if retracted_only else (MEDIUM if compatible else HIGH)
        ids = tuple(sorted(c for c, *_ in members))
        result.append(_Candidate("quantity", ids, severity, len(members), retracted_only,
                                 _builder(_build_quantity, session, list(ids), dead, retracted_only)))
    return result


def _all_compatible(members: Sequence[tuple[int, float, str | None, str | None]]) -> bool:
    return all(figures_compatible((a[1], a[2]), (b[1], b[2]))
               for i, a in enumerate(members) for b in members[i + 1:])


def _build_quantity(session: Session, claim_ids: list[int], dead: set[int], retracted_only: bool) -> Conflict:
    claims = sorted(session.scalars(select(Claim).where(Claim.id.in_(claim_ids))).all(),
                    key=lambda c: (c.quantity_value or 0, c.id))
    figures = {c.id: format_figure(c.quantity_value, c.quantity_bound, c.quantity_unit) for c in claims}
    sides, totals, labels = [], [], []
    for c in claims:
        side, total = _claim_side(session, c, figures[c.id])
        sides.append(side)
        totals.append(total)
        labels.append(f"{figures[c.id]} (claim {c.id})" + (" [retracted/deprecated only]" if c.id in dead else ""))
    considered = claims if retracted_only else [c for c in claims if c.id not in dead]
    clashes = [
        (a, b) for i, a in enumerate(considered) for b in considered[i + 1:]
        if not figures_compatible((a.quantity_value, a.quantity_bound), (b.quantity_value, b.quantity_bound))  # type: ignore[arg-type]
    ]
    subject = claims[0].quantity_subject
    listed = " vs ".join(f"{figures[c.id]} (claim {c.id}, {_names(i for i in s if isinstance(i, StatementItem)) or 'no speaker'})"
                         for c, s in zip(claims, sides))
    if clashes:
        a, b = clashes[0]
        verdict = (f"incompatible: {figures[a.id]} and {figures[b.id]} cannot both be true"
                   + (f" ({len(clashes)} incompatible pairs)" if len(clashes) > 1 else ""))
    else:
        verdict = "different but compatible: all these figures can be true at once"
    summary = f"Figures for \u201c{subject}\u201d differ: {listed}; {verdict}."
    if retracted_only:
        summary += " (The difference rests only on retracted or deprecated statements.)"
    severity = LOW if retracted_only else (HIGH if clashes else MEDIUM)
    return Conflict("quantity", [c.id for c in claims], summary, severity, EXPLANATIONS["quantity"],
                    sides, labels, totals, rests_on_retracted=retracted_only)


def _verdict_severity(verdicts: Sequence[tuple[Any, ...]]) -> int | None:
    """HIGH/MEDIUM/LOW for disagreeing verdicts; None when they agree.

    Rows are (id, claim_id, label, value, best, worst, status)."""
    if len(verdicts) < 2:
        return None
    positions = [normalize_rating(v[2], v[3], v[4], v[5]) for v in verdicts]
    placed = [p for p in positions if p is not None]
    spread = max(placed) - min(placed) if len(placed) > 1 else None
    if spread is not None and spread >= 0.6 - 1e-9:
        return HIGH
    if spread is not None and spread >= 0.2 - 1e-9:
        return MEDIUM
    if len(placed) < len(verdicts) and len({fast_fold(v[2]) for v in verdicts}) > 1:
        return LOW  # a label off the table differs from the others: show it, but low
    return None


def _verdict_candidates(session: Session, f: _Filters) -> list[_Candidate]:
    multi = select(Verdict.claim_id).group_by(Verdict.claim_id).having(func.count() > 1)
    if f.claim_id is not None:
        multi = multi.where(Verdict.claim_id == f.claim_id)
    if f.speaker_ids is not None:
        multi = multi.where(Verdict.claim_id.in_(select(Statement.claim_id).where(Statement.speaker_id.in_(f.speaker_ids))))
    if f.since is not None:
        multi = multi.having(func.max(Verdict.reviewed_on) >= f.since)
    rows = session.execute(
        select(Verdict.id, Verdict.claim_id, Verdict.label, Verdict.rating_value, Verdict.best, Verdict.worst, Verdict.status)
        .where(Verdict.claim_id.in_(multi))
    ).all()
    by_claim: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_claim[row[1]].append(tuple(row))
    result = []
    for claim_id, verdicts in by_claim.items():
        live_severity = _verdict_severity([v for v in verdicts if v[6] == "normal"])
        severity = live_severity or _verdict_severity(verdicts)
        if severity is None:
            continue
        retracted_only = live_severity is None
        result.append(_Candidate("verdict", (claim_id,), LOW if retracted_only else severity, len(verdicts),
                                 retracted_only, _builder(_build_verdict, session, claim_id, retracted_only)))
    return result


def _build_verdict(session: Session, claim_id: int, retracted_only: bool) -> Conflict:
    claim = session.get(Claim, claim_id)
    assert claim is not None
    verdicts = session.scalars(select(Verdict).where(Verdict.claim_id == claim_id)
                               .options(selectinload(Verdict.reviewer)).order_by(Verdict.id)).all()
    items = [verdict_item(v, v.reviewer.name if v.reviewer else None) for v in verdicts]
    # one side per position on the scale (or per label when the label cannot be placed)
    groups: dict[tuple[float, str], list[Item]] = {}
    for item in items:
        key = (item.normalized, "") if item.normalized is not None else (2.0, fold(item.label))
        groups.setdefault(key, []).append(item)
    ordered = [groups[k] for k in sorted(groups)]
    labels = [" / ".join(sorted({i.label for i in side if isinstance(i, VerdictItem)})) for side in ordered]
    rows = [(v.id, v.claim_id, v.label, v.rating_value, v.best, v.worst, v.status) for v in verdicts]
    live = [r for r in rows if r[6] == "normal"]
    severity = LOW if retracted_only else (_verdict_severity(live) or LOW)
    described = "; ".join(
        f"{i.reviewer or 'unknown reviewer'}: {i.label}" + (f" ({i.normalized:.2f})" if i.normalized is not None else "")
        + (f" [{i.status}]" if i.status != "normal" else "")
        for i in items
    )
    summary = f"Verdicts on claim {claim_id} \u201c{_short(claim.text)}\u201d disagree: {described}."
    if retracted_only:
        summary += " (The disagreement rests only on retracted or deprecated verdicts.)"
    return Conflict("verdict", [claim_id], summary, severity, EXPLANATIONS["verdict"], ordered, labels,
                    [len(side) for side in ordered], rests_on_retracted=retracted_only)


# --------------------------------------------------------------------------- entry point


def _builder(function: Callable[..., Conflict], *args: Any) -> Callable[[], Conflict]:
    return lambda: function(*args)


def _names(items: Iterable[StatementItem]) -> str:
    seen: list[str] = []
    for item in items:
        name = item.speaker or "the reporter's own voice"
        if item.anonymous:
            name = f"\u201c{name}\u201d"
        if item.status != "normal":
            name += f" [{item.status}]"
        if name not in seen:
            seen.append(name)
    if len(seen) > 3:
        return ", ".join(seen[:3]) + f" and {len(seen) - 3} more"
    return ", ".join(seen)


def _count_note(total: int) -> str:
    return f" ({total} statements)" if total > 1 else ""


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_FINDERS: dict[str, Callable[[Session, _Filters], list[_Candidate]]] = {
    "relation": _relation_candidates,
    "quantity": _quantity_candidates,
    "verdict": _verdict_candidates,
}


def _on_retired_claim(candidate: _Candidate) -> _Candidate:
    """A conflict involving a retracted, deprecated or merged claim rests on a retired record."""
    original = candidate.build

    def build() -> Conflict:
        conflict = original()
        if conflict.rests_on_retracted:
            return conflict
        return replace(conflict, severity=LOW, rests_on_retracted=True,
                       summary=conflict.summary + " (A claim in it is retracted, deprecated or merged.)")

    return replace(candidate, severity=LOW, rests_on_retracted=True, build=build)


def _first_stance_page(session: Session, f: _Filters, limit: int, any_retired: bool = False) -> list[_Candidate]:
    """Up to `limit` + 1 live stance conflicts in claim order, stopping the scan early.

    Live stance conflicts come first in the order of a listing, so when there are more of them
    than a page holds, the page is exactly these and nothing else needs computing: the GROUP BY
    streams along the covering index and stops after `limit` + 1 groups.
    """
    normal = Statement.status == "normal"
    supp = Statement.stance.in_(_SUPPORTING)
    opp = Statement.stance.in_(_OPPOSING)
    query = (
        select(Statement.claim_id, func.count())
        .where(Statement.stance.in_(_TAKING_SIDES))
        .group_by(Statement.claim_id)
        .having(func.sum(case((and_(supp, normal), 1), else_=0)) > 0,
                func.sum(case((and_(opp, normal), 1), else_=0)) > 0)
        .order_by(Statement.claim_id)
        .limit(limit + 1)
    )
    restrict = f.statement_claims()
    if restrict is not None:
        query = query.where(Statement.claim_id.in_(restrict))
    if any_retired:  # a retired claim's conflicts are not live
        query = query.where(Statement.claim_id.not_in(retired_claim_ids()))
    return [_Candidate("stance", (claim_id,), HIGH, count, False, _builder(_build_stance, session, claim_id, False))
            for claim_id, count in session.execute(query)]


def _build_page(session: Session, page: list[_Candidate], known: KnownStatements | None = None) -> list[Conflict]:
    cache = _PageCache(session, known)
    token = _PAGE.set(cache)
    try:
        for candidate in page:  # first pass: which statements does the page need?
            candidate.build()
        cache.serve()
        return [candidate.build() for candidate in page]
    finally:
        _PAGE.reset(token)


def find_conflicts(
    session: Session,
    *,
    claim_id: int | None = None,
    kinds: Sequence[str] | None = None,
    speaker_ids: Sequence[int] | None = None,
    since: date | None = None,
    include_retracted: bool = False,
    limit: int | None = None,
    known: KnownStatements | None = None,
) -> ConflictList:
    """Conflicts, most severe first; only the first `limit` are loaded in detail.

    Order: severity (high first), then kind (stance, reversal, relation, quantity, verdict),
    then claim ids. When live stance conflicts alone fill the page, the listing stops there and
    `total` and `hidden_retracted` are None (not counted: that would take a full scan).
    `known`: statements the caller already loaded (see KnownStatements), reused instead of re-read.
    """
    filters = _Filters(claim_id, list(speaker_ids) if speaker_ids is not None else None, since)
    wanted = list(kinds or KINDS)
    retired = set(session.scalars(retired_claim_ids()))
    if limit is not None and claim_id is None and "stance" in wanted:
        first = _first_stance_page(session, filters, limit, bool(retired))
        if len(first) > limit:
            return ConflictList(_build_page(session, first[:limit]), None, None)
    candidates: list[_Candidate] = []
    if "stance" in wanted or "reversal" in wanted:
        candidates.extend(_side_taking_candidates(session, filters, wanted))
    for kind in wanted:
        if kind in _FINDERS:
            candidates.extend(_FINDERS[kind](session, filters))
    if retired:
        candidates = [_on_retired_claim(c) if retired.intersection(c.claim_ids) else c for c in candidates]
    hidden = sum(1 for c in candidates if c.rests_on_retracted)
    if not include_retracted:
        candidates = [c for c in candidates if not c.rests_on_retracted]
    else:
        hidden = 0
    candidates.sort(key=lambda c: (-c.severity, KINDS.index(c.kind), c.claim_ids))
    page = candidates if limit is None else candidates[:limit]
    return ConflictList(_build_page(session, page, known), len(candidates), hidden)
