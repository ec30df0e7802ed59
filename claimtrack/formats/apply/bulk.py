"""Writing an import's rows in bulk: executemany on SQLite, COPY on PostgreSQL, row hashes.

Rows staged by the record modules are buffered per table and written when BATCH_ROWS of them
wait (and at the end), parents first (TABLE_ORDER). Each batch is hashed into its table's
segment on the way (the import event's row hashes, claimtrack.services.rowtrack). A large import
on SQLite indexes its rows for full-text search once at the end instead of row by row; a
PostgreSQL import moves the id sequences past the ids it took.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from claimtrack.formats import apply as settings
from claimtrack.formats.apply.resolve import TABLE_ORDER, Resolver
from claimtrack.formats.plan import ImportSummary
from claimtrack.fulltext_ddl import FTS_SOURCES, sqlite_fill_sql, sqlite_trigger_ddl


class BulkWriter(Resolver):
    """The buffers of one import and how they reach the database."""

    def __init__(self, session: Session, summary: ImportSummary, *, dry_run: bool = False) -> None:
        super().__init__(session, summary, dry_run=dry_run)
        self._copy_processors: dict[str, dict[str, Any]] = {}
        #: SQLite FTS table -> first content id not indexed while its insert trigger is dropped
        self.fts_deferred: dict[str, int] = {}
        #: per table, the ids and RFC 6962 chunk heads of the rows written (bounded memory):
        #: the import event's row hashes (claimtrack.services.rowtrack.SegmentBuilder)
        self.segments: dict[str, Any] = {}
        self._encoders: dict[str, Any] = {}
        #: whether the import refreshed the planner's statistics (`_analyze_if_large`)
        self.analyzed = False

    def _flush(self, *, bulk: bool = False) -> None:
        """Write the buffered rows; `bulk` when the buffers filled up (a large import)."""
        if self.dry_run:
            for rows in self.buffers.values():
                rows.clear()
            self.buffered = 0
            return
        connection = self.session.connection()
        postgresql = connection.dialect.name == "postgresql"
        if bulk and not postgresql and not self.fts_deferred:
            self._defer_full_text(connection)
        for name in TABLE_ORDER:
            rows = self.buffers[name]
            if rows:
                self._hash_rows(name, rows)
                if postgresql:
                    self._copy(connection, name, rows)
                else:
                    connection.execute(self.tables[name].insert(), rows)
                rows.clear()
        self.buffered = 0


    def _hash_rows(self, name: str, rows: list[dict[str, Any]]) -> None:
        """Feed the rows about to be written (in id order) into their table's segment."""
        encoder = self._encoders.get(name)
        if encoder is None:
            from claimtrack.rowhash import RowEncoder
            from claimtrack.services.rowtrack import SegmentBuilder

            encoder = self._encoders[name] = RowEncoder(self.tables[name])
            self.segments[name] = SegmentBuilder()
        add, hash_row = self.segments[name].add, encoder.hash_mapping
        for row in rows:
            add(row["id"], hash_row(row))


    def _defer_full_text(self, connection: Connection) -> None:
        """SQLite, large import: stop the FTS5 insert triggers until the end of the import.

        Indexing row by row through the triggers inside one big transaction is where a large
        import's memory grows (≈ 200 MB of 515 at 1M). The triggers are dropped here, inside the
        import's transaction, and `_fill_full_text` indexes the new rows in one statement per
        table and recreates the triggers from claimtrack/fulltext_ddl.py, in the same transaction:
        SQLite DDL is transactional, so a failed or killed import leaves the triggers as they were.
        Only the AFTER INSERT triggers are dropped; an import never updates or deletes.
        """
        for fts, (table, _columns) in FTS_SOURCES.items():
            buffered = self.buffers[table]
            # the first id not yet written: rows written before now were indexed by the trigger
            self.fts_deferred[fts] = buffered[0]["id"] if buffered else self.next_id[table]
            connection.exec_driver_sql(f"DROP TRIGGER {fts}_ai")


    def _fill_full_text(self) -> None:
        if not self.fts_deferred:
            return
        connection = self.session.connection()
        for fts, first_id in self.fts_deferred.items():
            connection.execute(text(sqlite_fill_sql(fts)), {"first_id": first_id})
            connection.exec_driver_sql(sqlite_trigger_ddl(fts, "ai"))
        self.fts_deferred = {}


    def _analyze_if_large(self, connection: Connection) -> None:
        """ANALYZE at the end of an import that wrote ANALYZE_ROWS rows and a tenth of the database.

        SQLite keeps no statistics until ANALYZE runs: without them it planned narrowed audits
        from the wrong end (0.8 s instead of 20 ms for one claim at 200k). PostgreSQL's autovacuum
        analyzes a bulk-loaded table only minutes later, and plans meanwhile from empty-table
        estimates. In the import's own transaction (both allow it), so its cost is part of the
        import's; on PostgreSQL a role that does not own the tables only gets a warning.
        """
        written = sum(self.next_id[t] - self.first_id[t] for t in TABLE_ORDER)
        held = sum(self.first_id[t] - 1 for t in TABLE_ORDER)
        if self.dry_run or written < settings.ANALYZE_ROWS or written * 10 < held:
            return
        connection.exec_driver_sql("ANALYZE")
        self.analyzed = True

    def _copy(self, connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
        """Write rows with `COPY … FROM STDIN` on the session's own connection (same transaction).

        psycopg 3 runs an executemany of a plain INSERT as one statement per row; COPY streams
        the whole batch in one command: 4-5x faster, and without the per-statement buffers of a
        10,000-row pipeline. Values go through the columns' SQLAlchemy bind processors first
        (UTCDateTime, JSON → psycopg Json), so what is stored is what `insert()` would store.
        """
        table = self.tables[name]
        columns = list(rows[0])
        processors = self._copy_processors.get(name)
        if processors is None:
            processors = self._copy_processors[name] = {
                c.name: c.type._cached_bind_processor(connection.dialect) for c in table.columns
            }
        procs = [processors[c] for c in columns]
        statement = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            write = copy.write_row
            for row in rows:
                write([row[c] if proc is None else proc(row[c]) for c, proc in zip(columns, procs, strict=True)])



def advance_sequence(connection: Connection, table: str, top: int) -> None:
    """Move the table's id sequence past `top`, the last id this import took.

    With `nextval` only, which the USAGE right of docs/postgresql.md's writer role allows
    (`setval` would need UPDATE on every sequence). Taken under the write lock, so no other
    writer draws from the sequence meanwhile; values skipped are only gaps in the ids.
    """
    sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
    if sequence is None:
        return
    current = connection.execute(text("SELECT nextval(:s)"), {"s": sequence}).scalar() or 0
    if current < top:
        connection.execute(text("SELECT max(nextval(:s)) FROM generate_series(1, :n)"),
                           {"s": sequence, "n": top - current})

