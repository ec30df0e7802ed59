"""The hop table of a whole-database audit: every hop's link, document and statement in arrays
indexed by id, read once and shared by the rules that walk or scan all hops (echo's count,
circular citations, time order, sources no document reports).

Reading 1.8 M rows into Python costs more than SQLite's own scan of them, so the columns are few
and narrow (SQLite answers from the covering index on hops), straight from the driver's cursor,
and `run_audit` keeps one table for all its rules (`shared`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from claimtrack.checks import shared
from claimtrack.models import Document, Hop
from claimtrack.queries.live import NORMAL

_BATCH = 20_000


def batches(session: Session, query: Any) -> Iterator[Any]:
    """The rows of a Core query of plain values, a batch at a time, straight from the driver's
    cursor: SQLAlchemy's result rows and the ORM's loading cost more than the read itself at
    millions of rows. (Not a server-side cursor: SQLAlchemy reads its first row ahead, which a
    raw fetch would lose; psycopg holds the narrow rows, tens of MB at a million.)"""
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    result = connection.exec_driver_sql(sql)
    try:
        while batch := result.cursor.fetchmany(_BATCH):
            yield batch
    finally:
        result.close()


def columns(session: Session, query: Any, table: Any) -> list[array]:
    """The two or three integer columns 1.. of `query` in arrays indexed by its column 0 (an id of `table`),
    0 where no row has that id. In no particular order: SQLite then reads a covering index
    instead of the wide rows."""
    size = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    width = len(query.selected_columns) - 1
    columns = [array("q", [0]) * size for _ in range(width)]
    first, second = columns[0], columns[-1]
    third = columns[1] if width == 3 else second
    for batch in batches(session, query):  # one plain loop per width: a transpose costs more
        if width == 2:
            for ident, one, two in batch:
                first[ident], second[ident] = one, two
        else:
            for ident, one, two, three in batch:
                first[ident], third[ident], second[ident] = one, two, three
    return columns


def flag(condition: Any) -> Any:
    return case((condition, 1), else_=0)


class HopTable:
    """The columns of every hop that the count needs, in arrays indexed by hop id (0: none).

    Two narrow reads (the values read are most of the cost; SQLite answers the first from the
    covering index on hops): every hop's link, document, statement, the intermediary a chain end
    names and whether it is live; then the primary hops (hops.is_primary is not in that index)."""

    def __init__(self, session: Session) -> None:
        size = (session.scalar(select(func.max(Hop.id))) or 0) + 1
        self.via, self.document, self.statement = (array("q", [0]) * size for _ in range(3))
        # a chain end that names an intermediary (echo._named): its via_actor_id, else 0; a
        # primary hop names none (its via_actor_id is cleared below)
        self.named = array("q", [0]) * size
        self.normal = bytearray(size)
        via, document, statement, named, normal = self.via, self.document, self.statement, self.named, self.normal
        for batch in batches(session, select(
                Hop.id, func.coalesce(Hop.via_hop_id, 0), Hop.document_id, Hop.statement_id,
                case((Hop.via_hop_id.is_(None), func.coalesce(Hop.via_actor_id, 0)), else_=0),
                flag(Hop.status == NORMAL))):
            for hop_id, up, doc, sid, actor, live_hop in batch:
                via[hop_id], document[hop_id], statement[hop_id] = up, doc, sid
                if actor:
                    named[hop_id] = actor
                if live_hop:
                    normal[hop_id] = 1
        self.primary = bytearray(size)
        self.live, self.translation, self.outlet = columns(session, select(
            Document.id, flag(and_(Document.status == NORMAL, Document.merged_into_id.is_(None))),
            flag(Document.kind == "translation"), func.coalesce(Document.outlet_id, 0)), Document.__table__)
        # statement -> the lowest live document of its live primary hops (echo.primary_hop)
        own: dict[int, int] = {}
        live, primary = self.live, self.primary
        for batch in batches(session, select(Hop.id, Hop.statement_id, Hop.document_id)
                              .where(Hop.is_primary.is_(True))):
            for hop_id, sid, doc in batch:
                primary[hop_id] = 1
                named[hop_id] = 0
                if normal[hop_id] and live[doc] and doc < own.get(sid, doc + 1):
                    own[sid] = doc
        self.own_words = own


def hop_table(session: Session) -> HopTable:
    """The hop table, read once per `run_audit` (else on each call)."""
    return shared(session, "hop_table", HopTable)
