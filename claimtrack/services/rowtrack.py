"""Which rows a transaction wrote, and their hashes before and after: attached to its events.

Automatic for everything written through the ORM session: listeners installed on every
SQLAlchemy `Session` note each row that is inserted, updated or deleted (ORM objects at flush
time, and ORM-enabled bulk `session.execute(update(Model)…)` and bulk-delete statements,
whose rows are read before they run). Each row's hash before the change is read from the
database the first time the transaction touches it; `record_event` then hashes the rows as
they are now and attaches `[id, before, after]` per row to the event it records
(`collect_rows`). Rows written through a plain Core connection are invisible to the session:
call `note_rows(session, table, ids)` before changing them (the importer instead records its
rows as per-table segments, see `SegmentBuilder`).

Rows written after a transaction's last event are not recorded by any event: `log verify`
then reports them (tests/test_write_paths_logged.py runs every CLI write and verifies).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from claimtrack.merkle import ChunkedTree
from claimtrack.rowhash import UNTRACKED, RowEncoder

PENDING = "claimtrack_pending_rows"

#: (table, id) -> the row's hash (hex) before this transaction's next event, None if it was new
Pending = dict[tuple[str, int], "str | None"]


def _tables() -> dict[str, Table]:
    from claimtrack.models import Base

    return dict(Base.metadata.tables)


def _encoder(connection: Connection, table: Table) -> RowEncoder:
    return RowEncoder(table)


def current_hashes(connection: Connection, table: Table, ids: Iterable[int]) -> dict[int, str]:
    """The stored rows' hashes (hex) by id; ids without a row are left out."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    encoder = _encoder(connection, table)
    columns = [table.c[name] for name in encoder.column_names]
    for start in range(0, len(wanted), 500):
        batch = wanted[start:start + 500]
        for row in connection.execute(select(*columns).where(table.c.id.in_(batch))):
            values = tuple(row)
            found[values[encoder.column_names.index("id")]] = encoder.hash_values(values).hex()
    return found


def _pending(session: Session) -> Pending:
    pending: Pending | None = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = {}
    return pending


def _note_before(session: Session, table_name: str, ids: Iterable[int]) -> None:
    pending = _pending(session)
    fresh = [row_id for row_id in ids if (table_name, row_id) not in pending]
    if not fresh:
        return
    table = _tables()[table_name]
    before = current_hashes(session.connection(), table, fresh)
    for row_id in fresh:
        pending[(table_name, row_id)] = before.get(row_id)


def note_rows(session: Session, table: str | Table, ids: Iterable[int]) -> None:
    """Rows about to be written outside the ORM session (Core statements): note their hashes
    now, so that the next `record_event` records them with their before and after hashes."""
    name = table if isinstance(table, str) else table.name
    if name not in UNTRACKED:
        _note_before(session, name, list(ids))


def _table_and_id(obj: Any) -> tuple[str, int | None] | None:
    state = inspect(obj)
    table = state.mapper.local_table
    name = getattr(table, "name", None)
    if name is None or name in UNTRACKED:
        return None
    identity = state.identity
    return name, (identity[0] if identity else getattr(obj, "id", None))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    by_table: dict[str, list[int]] = {}
    for obj in list(session.dirty) + list(session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        located = _table_and_id(obj)
        if located is not None and located[1] is not None:
            by_table.setdefault(located[0], []).append(located[1])
    for name, ids in by_table.items():
        _note_before(session, name, ids)


def _after_flush(session: Session, _context: Any) -> None:
    pending = _pending(session)
    for obj in session.new:
        located = _table_and_id(obj)
        if located is not None and located[1] is not None:
            pending.setdefault((located[0], located[1]), None)


def _orm_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    statement: Any = state.statement
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    tables = _tables()
    if name is None or name in UNTRACKED or name not in tables:
        return
    where = statement.whereclause
    query = select(tables[name].c.id)
    if where is not None:
        query = query.where(where)
    ids = list(state.session.connection().execute(query).scalars())
    if ids:
        _note_before(state.session, name, ids)


def collect_rows(session: Session) -> dict[str, list[list[Any]]]:
    """The rows noted since the last event, as {table: [[id, before, after], …]} (hashes in
    hex, None for "no row"), unchanged rows left out; clears the notes."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return {}
    by_table: dict[str, list[int]] = {}
    for name, row_id in pending:
        by_table.setdefault(name, []).append(row_id)
    tables = _tables()
    connection = session.connection()
    result: dict[str, list[list[Any]]] = {}
    for name in sorted(by_table):
        after = current_hashes(connection, tables[name], by_table[name])
        entries = []
        for row_id in sorted(by_table[name]):
            before, now = pending[(name, row_id)], after.get(row_id)
            if before != now:
                entries.append([row_id, before, now])
        if entries:
            result[name] = entries
    return result


def _clear(session: Session, *_args: Any) -> None:
    session.info.pop(PENDING, None)


_installed = False


def install() -> None:
    """Listen on every Session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _orm_execute)
    event.listen(Session, "after_commit", _clear)
    event.listen(Session, "after_rollback", _clear)
    _installed = True


# --------------------------------------------------------------------------- segments


class SegmentBuilder:
    """The rows of one table written in bulk, in increasing id order: their ids as ranges and
    the RFC 6962 chunk heads over their hashes (claimtrack.merkle.ChunkedTree). Memory stays
    bounded: ranges grow only with gaps, the tree keeps at most 256 chunk heads."""

    def __init__(self) -> None:
        self.ranges: list[list[int]] = []
        self.tree = ChunkedTree()

    def add(self, row_id: int, row_hash: bytes) -> None:
        ranges = self.ranges
        if ranges and row_id == ranges[-1][1] + 1:
            ranges[-1][1] = row_id
        elif ranges and row_id <= ranges[-1][1]:
            raise ValueError(f"segment rows must come in increasing id order ({row_id} after {ranges[-1][1]})")
        else:
            ranges.append([row_id, row_id])
        self.tree.add(row_hash)

    def payload(self) -> dict[str, Any]:
        chunks = self.tree.finish()
        from claimtrack.merkle import root_of_hashes

        return {
            "ranges": self.ranges, "count": self.tree.size, "chunk": self.tree.chunk_size,
            "chunks": base64.b64encode(b"".join(chunks)).decode("ascii"),
            "root": root_of_hashes(chunks).hex(),
        }


def hash_table_segment(connection: Connection, table: Table, columns: list[str] | None = None) -> dict[str, Any] | None:
    """A segment over every row of `table` as stored now (None when it has no rows)."""
    encoder = RowEncoder(table, columns=columns)
    builder = SegmentBuilder()
    selected = [table.c[name] for name in encoder.column_names]
    id_index = encoder.column_names.index("id")
    result = connection.execute(select(*selected).order_by(table.c.id).execution_options(yield_per=2000))
    for row in result:
        values = tuple(row)
        builder.add(values[id_index], encoder.hash_values(values))
    return builder.payload() if builder.tree.size else None


def record_rehash(connection: Connection, *, reason: str, tables: Iterable[str] | None = None,
                  user: str | None = None) -> int | None:
    """Append a `rehash` event recording the hashes of every row of `tables` (default: all) as
    they are now: for migrations that change a table's encoding (a column added with a
    non-NULL value, a column dropped, retyped or rewritten). Works on a plain connection,
    inside the migration's transaction: `record_rehash(op.get_bind(), reason="…")`.

    Only the tables' columns that exist in the database now are hashed (the models may be
    ahead of a migration in the middle of the chain). Returns the event id, or None when the
    database has no rows at all (nothing to vouch for).
    """
    import sqlalchemy as sa

    from claimtrack.db import current_user
    from claimtrack.models import UTCDateTime, utcnow
    from claimtrack.services.events import canonical_json, event_hash

    inspector = sa.inspect(connection)
    existing = set(inspector.get_table_names())
    model_tables = _tables()
    names = sorted(tables) if tables is not None else sorted(set(model_tables) - UNTRACKED)
    segments: dict[str, Any] = {}
    rehashed = []
    for name in names:
        if name not in existing or name not in model_tables:
            continue
        columns = [column["name"] for column in inspector.get_columns(name)]
        table = model_tables[name]
        if not all(column in table.c for column in columns):
            # the model no longer has a column the database still has: hash it generically
            table = sa.Table(name, sa.MetaData(), *[sa.Column(c, table.c[c].type if c in table.c else sa.Text)
                                                    for c in columns])
        rehashed.append(name)
        segment = hash_table_segment(connection, table, columns)
        if segment is not None:
            segments[name] = segment
    if not segments:
        return None
    events = sa.table(
        "events", sa.column("id", sa.Integer), sa.column("occurred_at", UTCDateTime()), sa.column("user", sa.String),
        sa.column("action", sa.String), sa.column("object_type", sa.String), sa.column("object_id", sa.Integer),
        sa.column("before", sa.Text), sa.column("after", sa.Text), sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String), sa.column("row_hashes", sa.Text),
    )
    head = connection.execute(sa.select(events.c.id, events.c.hash).order_by(events.c.id.desc()).limit(1)).first()
    payload = {"v": 1, "rehash": rehashed, "segments": segments}
    fields: dict[str, Any] = {
        "id": (head.id + 1) if head else 1, "occurred_at": utcnow(), "user": current_user(user),
        "action": "rehash", "object_type": "database", "object_id": None, "before": None,
        "after": canonical_json({"reason": reason, "tables": rehashed}), "row_hashes": canonical_json(payload),
        "prev_hash": head.hash if head else None,
    }
    from claimtrack.services.events import hashed_values

    fields["hash"] = event_hash(fields["prev_hash"], hashed_values(fields))
    connection.execute(events.insert().values(**fields))
    return int(fields["id"])
