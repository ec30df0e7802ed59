"""Rules about time: a citation dated before what it cites, and dates the chain needs but lacks.

Dates are partial (a day, a month, a year, possibly approximate), so a problem is raised only
when the order is *certainly* wrong: the whole period of the later-looking date ends before the
period of the other begins. An approximate date is widened by one period either way ("~2021-04"
may be March to May). SQL keeps only the candidate pairs (start before start); the exact test
then runs on those few rows.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from itertools import compress
from typing import Any

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope
from claimtrack.checks._common import document_label, in_chunks, scope_hops, snippet, statement_ref
from claimtrack.dates import PartialDate
from claimtrack.models import Actor, Claim, Document, Hop, Statement
from claimtrack.vocab import Precision


def _shift_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def bounds(value: PartialDate) -> tuple[date, date]:
    """The earliest and latest day a partial date can mean, approximate ones widened."""
    first, last = value.start, value.end
    if value.approximate:
        if value.precision is Precision.DAY:
            first, last = first - timedelta(days=1), last + timedelta(days=1)
        elif value.precision is Precision.MONTH:
            first, last = _shift_months(first, -1), _shift_months(last.replace(day=1), 1)
            last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
        else:
            first, last = first.replace(year=first.year - 1), last.replace(year=last.year + 1)
    return first, last


def certainly_before(earlier: PartialDate, later: PartialDate) -> bool:
    """True only when every day `earlier` can mean is before every day `later` can mean."""
    return bounds(earlier)[1] < bounds(later)[0]


def _pd(on: date | None, precision: str | None, approx: bool | None) -> PartialDate | None:
    return PartialDate.of(on, precision, approx)


def _last_day(on: date, precision: str | None, approx: bool | None) -> date:
    """bounds(...)[1] straight from the stored columns: the hot loop builds no PartialDate."""
    if not approx:
        if precision == "month":
            return on.replace(day=calendar.monthrange(on.year, on.month)[1])
        if precision == "year":
            return on.replace(month=12, day=31)
        return on
    return bounds(PartialDate.of(on, precision, approx))[1]  # type: ignore[arg-type]


def _first_day(on: date, precision: str | None, approx: bool | None) -> date:
    if not approx:
        return on  # stored as the first day of its period
    return bounds(PartialDate.of(on, precision, approx))[0]  # type: ignore[arg-type]


def time_order(session: Session, scope: Scope) -> list[Problem]:
    """A hop's document dated before the document it relies on; a statement reported before it was said."""
    problems: list[Problem] = []
    doc = aliased(Document)
    via_doc = aliased(Document)
    via_hop = aliased(Hop)
    outlet = aliased(Actor)
    via_outlet = aliased(Actor)
    speaker = aliased(Actor)
    # One narrow scan of the hops finds the candidates of both checks (ids only); the labelled
    # queries below then read just those hops. A clean archive (nothing to find) costs that one
    # scan, where the two full queries cost two scans with every lookup (6 s at 1.8 M hops).
    if scope.whole:
        candidates = _candidates(session)
    else:
        candidates = list(session.scalars(scope_hops(
            select(Hop.id)
            .join(Statement, Statement.id == Hop.statement_id)
            .join(doc, doc.id == Hop.document_id)
            .outerjoin(via_hop, via_hop.id == Hop.via_hop_id)
            .outerjoin(via_doc, via_doc.id == via_hop.document_id)
            .where(or_(doc.published_on < via_doc.published_on, doc.published_on < Statement.said_on)),
            scope,
        )))
    if not candidates:
        return problems
    pairs = scope_hops(
        select(Hop.id, via_hop.id, doc.id, outlet.name, doc.title, doc.published_on, doc.published_precision,
               doc.published_approx, via_doc.id, via_outlet.name, via_doc.title, via_doc.published_on,
               via_doc.published_precision, via_doc.published_approx)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(via_hop, via_hop.id == Hop.via_hop_id)
        .join(doc, doc.id == Hop.document_id)
        .join(via_doc, via_doc.id == via_hop.document_id)
        .outerjoin(outlet, outlet.id == doc.outlet_id)
        .outerjoin(via_outlet, via_outlet.id == via_doc.outlet_id)
        .where(doc.published_on < via_doc.published_on),
        scope,
    )
    for (hop_id, via_id, doc_id, outlet_name, title, on, prec, approx,
         vdoc_id, voutlet, vtitle, von, vprec, vapprox) in in_chunks(session, pairs, Hop.id, candidates):
        if on is None or von is None or not _last_day(on, prec, approx) < _first_day(von, vprec, vapprox):
            continue
        published, cited = _pd(on, prec, approx), _pd(von, vprec, vapprox)
        here, there = document_label(doc_id, outlet_name, title), document_label(vdoc_id, voutlet, vtitle)
        problems.append(Problem(
            "time-order", "error",
            f"{here}, published {published}, relies on {there}, published {cited}: a document cannot cite "
            "one that appeared after it. One of the dates is wrong, or the hop points at the wrong source.",
            [ObjectRef("hop", hop_id, here), ObjectRef("hop", via_id, there),
             ObjectRef("document", doc_id, here), ObjectRef("document", vdoc_id, there)],
            f"time-order:hop:{hop_id}",
            {"published": str(published), "cited_published": str(cited)},
        ))
    said_query = scope_hops(
        select(Hop.id, Statement.id, speaker.name, Statement.speaker_descriptor, Claim.text,
               Statement.said_on, Statement.said_precision, Statement.said_approx,
               doc.id, outlet.name, doc.title, doc.published_on, doc.published_precision, doc.published_approx)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(doc, doc.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == doc.outlet_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .where(doc.published_on < Statement.said_on),
        scope,
    )
    for (hop_id, sid, speaker_name, descriptor, text, son, sprec, sapprox,
         doc_id, outlet_name, title, on, prec, approx) in in_chunks(session, said_query, Hop.id, candidates):
        if on is None or son is None or not _last_day(on, prec, approx) < _first_day(son, sprec, sapprox):
            continue
        said, published = _pd(son, sprec, sapprox), _pd(on, prec, approx)
        here = document_label(doc_id, outlet_name, title)
        problems.append(Problem(
            "time-order", "error",
            f'{here}, published {published}, reports statement {sid} ("{snippet(text)}"), said {said}: '
            "it was reported before it was said. Check the statement's date and the document's.",
            [ObjectRef("hop", hop_id, here), statement_ref(sid, speaker_name, descriptor, text),
             ObjectRef("document", doc_id, here)],
            f"time-order:hop:{hop_id}:said",
            {"published": str(published), "said": str(said)},
        ))
    return problems


def _candidates(session: Session) -> list[int]:
    """For the whole database: the hops whose document's date is before the relied-on document's
    or the statement's, over the shared hop table and the two date columns (no lookup of each
    hop's statement row). A superset of the labelled queries' rows: those apply liveness and
    the comparison again. Dates compare as the database returns them (ISO text on SQLite, as
    SQLite compares them; dates on PostgreSQL)."""
    from claimtrack.checks._hoptable import hop_table

    hops = hop_table(session)
    published = _by_id(session, Document.id, Document.published_on)
    said = _by_id(session, Statement.id, Statement.said_on)
    found = []
    via, document, statement = hops.via, hops.document, hops.statement
    for hop_id in compress(range(len(document)), document):
        on = published[document[hop_id]]
        if on is None:
            continue
        relied = via[hop_id]
        if relied:
            cited = published[document[relied]]
            if cited is not None and on < cited:
                found.append(hop_id)
                continue
        when = said[statement[hop_id]]
        if when is not None and on < when:
            found.append(hop_id)
    return found


def _by_id(session: Session, ident: Any, column: Any) -> list[Any]:
    """The non-null values of `column` in a list indexed by `ident` (None elsewhere)."""
    from claimtrack.checks._hoptable import batches

    values: list[Any] = [None] * ((session.scalar(select(func.max(ident))) or 0) + 1)
    for batch in batches(session, select(ident, column).where(column.is_not(None))):
        for key, value in batch:
            values[key] = value
    return values


def missing_dates(session: Session, scope: Scope) -> list[Problem]:
    """Dates the chain needs to be judged: both ends of a hop that relies on another, and a primary source."""
    doc = aliased(Document)
    via_doc = aliased(Document)
    via_hop = aliased(Hop)
    outlet = aliased(Actor)
    via_outlet = aliased(Actor)
    # Start from the undated documents, not from every hop: they are few in a working archive,
    # and with the document_id / via_hop_id indexes the candidate hops are found without a
    # scan of all hops (which cost 8.7 s at 1.8 M hops for a rule that found nothing).
    undated = select(Document.id).where(Document.published_on.is_(None))
    cited = aliased(Hop)
    candidates = union(
        select(Hop.id).where(Hop.document_id.in_(undated)),
        select(Hop.id).where(Hop.via_hop_id.in_(select(cited.id).where(cited.document_id.in_(undated)))),
    )
    query = scope_hops(
        select(Hop.id, Hop.is_primary, doc.id, outlet.name, doc.title, doc.published_on,
               via_doc.id, via_outlet.name, via_doc.title, via_doc.published_on)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(doc, doc.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == doc.outlet_id)
        .outerjoin(via_hop, via_hop.id == Hop.via_hop_id)
        .outerjoin(via_doc, via_doc.id == via_hop.document_id)
        .outerjoin(via_outlet, via_outlet.id == via_doc.outlet_id)
        .where(or_(
            (Hop.via_hop_id.is_not(None)) & (or_(doc.published_on.is_(None), via_doc.published_on.is_(None))),
            (Hop.is_primary.is_(True)) & (doc.published_on.is_(None)),
        ))
        .where(Hop.id.in_(candidates))
        .order_by(Hop.id),
        scope,
    )
    problems = []
    for hop_id, is_primary, doc_id, outlet_name, title, on, vdoc_id, voutlet, vtitle, von in session.execute(query):
        here = document_label(doc_id, outlet_name, title)
        objects = [ObjectRef("hop", hop_id, here)]
        if vdoc_id is not None:
            there = document_label(vdoc_id, voutlet, vtitle)
            undated_labels = [label for label, value in ((here, on), (there, von)) if value is None]
            objects += [ObjectRef("document", d, label) for d, label, value in
                        ((doc_id, here, on), (vdoc_id, there, von)) if value is None]
            verb = "has" if len(undated_labels) == 1 else "have"
            message = (f"Cannot check that {here} came after {there}, which it relies on: "
                       f"{' and '.join(undated_labels)} {verb} no published date.")
        else:
            objects.append(ObjectRef("document", doc_id, here))
            message = (f"{here} is a primary source but has no published date, so nothing that cites it can be "
                       "checked for order. Add the date of the post or transcript.")
        problems.append(Problem("missing-dates", "info", message, objects, f"missing-dates:hop:{hop_id}"))
    return problems
