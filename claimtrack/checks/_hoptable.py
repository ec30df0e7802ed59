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

NORMAL = "normal"
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

    Four narrow reads rather than one wide one (the values read are most of the cost): every
    hop's link, document and statement; the named chain ends' intermediaries; the primary hops;
    the few retired hops."""

    def __init__(self, session: Session) -> None:
        self.via, self.document, self.statement = columns(session, select(
            Hop.id, func.coalesce(Hop.via_hop_id, 0), Hop.document_id, Hop.statement_id), Hop.__table__)
        size = len(self.via)
        self.normal = bytearray(1 if doc else 0 for doc in self.document)
        for hop_id in session.scalars(select(Hop.id).where(Hop.status != NORMAL)):
            self.normal[hop_id] = 0
        # a chain end that names an intermediary (echo._named): its via_actor_id, else 0
        self.named = array("q", [0]) * size
        for batch in batches(session, select(Hop.id, Hop.via_actor_id).where(
                Hop.via_hop_id.is_(None), Hop.via_actor_id.is_not(None), Hop.is_primary.is_(False))):
            for hop_id, actor_id in batch:
                self.named[hop_id] = actor_id
        self.primary = bytearray(size)
        self.live, self.translation, self.outlet = columns(session, select(
            Document.id, flag(and_(Document.status == NORMAL, Document.merged_into_id.is_(None))),
            flag(Document.kind == "translation"), func.coalesce(Document.outlet_id, 0)), Document.__table__)
        # statement -> the lowest live document of its live primary hops (echo.primary_hop)
        own: dict[int, int] = {}
        live, normal = self.live, self.normal
        primary = self.primary
        for batch in batches(session, select(Hop.id, Hop.statement_id, Hop.document_id)
                              .where(Hop.is_primary.is_(True))):
            for hop_id, sid, doc in batch:
                primary[hop_id] = 1
                if normal[hop_id] and live[doc] and doc < own.get(sid, doc + 1):
                    own[sid] = doc
        self.own_words = own


def hop_table(session: Session) -> HopTable:
    """The hop table, read once per `run_audit` (else on each call)."""
    return shared(session, "hop_table", HopTable)
