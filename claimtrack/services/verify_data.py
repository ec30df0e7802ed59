"""Check the data against the log: does every row still hash to what its last event recorded?

The events' row hashes are replayed in order into the expected state of every table:

- single rows (`rows`: [id, before, after] per row an event wrote): the row's latest hash;
- segments (an import's rows, or a `rehash` of a table): the ids as ranges and the RFC 6962
  heads of fixed-size chunks of their id-ordered hashes. A row of a segment that a later
  event changed counts in its chunk with the hash that event found before its change.

Then every table is read once, in id order, and each row's hash compared. Findings, by table
and id: `edited` (content differs from its last event), `inserted` (no event accounts for the
row), `deleted` (an event created it and it is gone). For segment rows a differing chunk
names the chunk's ids (exactly the row when the chunk is a single row, as in imports of up to
256 rows per table); deleted ids are always named exactly.
"""

from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, inspect
from sqlalchemy.orm import Session

from claimtrack.merkle import root_of_hashes
from claimtrack.rowhash import RowEncoder, describe_ids, select_sql, to_ranges, tracked_tables


@dataclass(frozen=True)
class DataFinding:
    """One row (or chunk of rows) that the log does not vouch for."""

    kind: str  # edited, inserted, deleted
    table: str
    ids: list[list[int]]  # id ranges
    event_id: int | None  # the event whose record no longer matches (None: no event)
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "table": self.table, "ids": self.ids, "event_id": self.event_id,
                "message": self.message}


@dataclass
class DataReport:
    rows: int = 0
    findings: list[DataFinding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"edited": 0, "inserted": 0, "deleted": 0}
        for finding in self.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        return counts


class _Segment:
    def __init__(self, event_id: int, payload: dict[str, Any]) -> None:
        self.event_id = event_id
        self.ranges: list[list[int]] = [list(r) for r in payload["ranges"]]
        self.starts = [r[0] for r in self.ranges]
        self.chunk = int(payload["chunk"])
        raw = base64.b64decode(payload["chunks"])
        self.chunks = [raw[i:i + 32] for i in range(0, len(raw), 32)]
        self.overrides: dict[int, bytes | None] = {}
        # verification state
        self._ids = self._iter_ids()
        self._next: int | None = next(self._ids, None)
        self._leaves: list[bytes] = []
        self._chunk_ids: list[int] = []
        self._missing: list[int] = []
        self._index = 0

    def _iter_ids(self) -> Iterator[int]:
        for first, last in self.ranges:
            yield from range(first, last + 1)

    def __contains__(self, row_id: int) -> bool:
        i = bisect.bisect_right(self.starts, row_id) - 1
        return i >= 0 and self.ranges[i][0] <= row_id <= self.ranges[i][1]

    @property
    def last_id(self) -> int:
        return self.ranges[-1][1]

    def feed(self, row_id: int, leaf: bytes | None, out: list[DataFinding], table: str) -> None:
        """The row `row_id` (present, hashing to `leaf`), after all smaller ids of the segment."""
        while self._next is not None and self._next < row_id:
            self._take(self._next, None, out, table)
        if self._next == row_id:
            self._take(row_id, leaf, out, table)

    def finish(self, out: list[DataFinding], table: str) -> None:
        while self._next is not None:
            self._take(self._next, None, out, table)

    def _take(self, row_id: int, leaf: bytes | None, out: list[DataFinding], table: str) -> None:
        if row_id in self.overrides:
            leaf = self.overrides[row_id]  # what a later event found before changing it
            if leaf is None:
                self._missing.append(row_id)  # the later event says it did not exist: a forgery
        elif leaf is None:
            self._missing.append(row_id)
        if leaf is not None:
            self._leaves.append(leaf)
        self._chunk_ids.append(row_id)
        self._next = next(self._ids, None)
        if len(self._chunk_ids) == self.chunk or self._next is None:
            self._close_chunk(out, table)

    def _close_chunk(self, out: list[DataFinding], table: str) -> None:
        index, ids, missing = self._index, self._chunk_ids, self._missing
        self._index += 1
        leaves = self._leaves
        self._chunk_ids, self._leaves, self._missing = [], [], []
        expected = self.chunks[index] if index < len(self.chunks) else None
        if missing:
            out.append(DataFinding(
                "deleted", table, to_ranges(missing), self.event_id,
                f"{table} {describe_ids(missing)}: recorded by event {self.event_id}, no longer in the database",
            ))
            return
        if expected is None or root_of_hashes(leaves) != expected:
            if len(ids) == 1:
                message = f"{table} {ids[0]}: its content no longer matches event {self.event_id}"
            else:
                message = (f"{table} {ids[0]}-{ids[-1]}: one or more of these {len(ids)} rows no longer match "
                           f"event {self.event_id} (edited, or their contents swapped)")
            out.append(DataFinding("edited", table, to_ranges(ids), self.event_id, message))


class _Expected:
    """What the log says about one table."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[bytes | None, int]] = {}  # id -> (hash or None if deleted, event id)
        self.segments: list[_Segment] = []

    def segment_of(self, row_id: int) -> _Segment | None:
        for segment in reversed(self.segments):
            if row_id in segment:
                return segment
        return None


def replay(session: Session | Connection) -> tuple[dict[str, _Expected], list[DataFinding]]:
    """The expected state of every table after the whole log, and inconsistencies seen on the way."""
    connection = session.connection() if isinstance(session, Session) else session
    expected: dict[str, _Expected] = {}
    findings: list[DataFinding] = []
    result = connection.exec_driver_sql(
        "SELECT id, row_hashes FROM events WHERE row_hashes IS NOT NULL ORDER BY id"
    )
    for event_id, text in result:
        try:
            payload = json.loads(text)
        except ValueError:
            continue  # the chain check names the altered event
        for name in payload.get("rehash") or ():
            expected[name] = _Expected()
        for name, segment in (payload.get("segments") or {}).items():
            expected.setdefault(name, _Expected()).segments.append(_Segment(event_id, segment))
        for name, entries in (payload.get("rows") or {}).items():
            state = expected.setdefault(name, _Expected())
            for row_id, before, after in entries:
                before_bytes = bytes.fromhex(before) if before else None
                known = state.rows.get(row_id)
                if known is not None:
                    if known[0] != before_bytes:
                        kind = "inserted" if known[0] is None else "edited"
                        findings.append(DataFinding(
                            kind, name, [[row_id, row_id]], known[1],
                            f"{name} {row_id}: changed outside claimtrack between event {known[1]} and event "
                            f"{event_id} (event {event_id} found content that event {known[1]} did not record)",
                        ))
                else:
                    segment = state.segment_of(row_id)
                    if segment is not None:
                        segment.overrides.setdefault(row_id, before_bytes)
                    elif before_bytes is not None:
                        findings.append(DataFinding(
                            "inserted", name, [[row_id, row_id]], None,
                            f"{name} {row_id}: existed before event {event_id} changed it, but no event created it",
                        ))
                state.rows[row_id] = (bytes.fromhex(after) if after else None, event_id)
    return expected, findings


def _stream(connection: Connection, table: Table, columns: list[str]) -> tuple[RowEncoder, Any]:
    sqlite = connection.dialect.name == "sqlite"
    encoder = RowEncoder(table, columns=columns, json_as_text=sqlite)
    sql = select_sql(encoder)
    result = connection.execution_options(stream_results=True, yield_per=5000).exec_driver_sql(sql)
    return encoder, result


def verify_data(session: Session) -> DataReport:
    """Recompute every row's hash and compare it with the log (see the module docstring)."""
    connection = session.connection()
    expected, findings = replay(connection)
    report = DataReport(findings=findings)
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    for table in tracked_tables():
        if table.name not in existing:
            continue
        state = expected.get(table.name) or _Expected()
        _check_table(connection, table, state, report)
    return report


def _check_table(connection: Connection, table: Table, state: _Expected, report: DataReport) -> None:
    name = table.name
    columns = [c.name for c in table.columns]
    encoder, result = _stream(connection, table, columns)
    out = report.findings
    rows, seen = state.rows, set()
    segments = sorted(state.segments, key=lambda s: s.ranges[0][0])
    # the segment intervals in id order, to find a row's segment with a moving pointer
    spans = sorted((r[0], r[1], seg) for seg in segments for r in seg.ranges)
    pointer = 0
    inserted: list[int] = []
    hash_values = encoder.hash_values
    count = 0
    for row in result:
        count += 1
        row_id = row[0]
        leaf = hash_values(row[1:])
        while pointer < len(spans) and spans[pointer][1] < row_id:
            pointer += 1
        segment = spans[pointer][2] if pointer < len(spans) and spans[pointer][0] <= row_id else None
        single = rows.get(row_id)
        if segment is not None:
            segment.feed(row_id, leaf, out, name)
        if single is not None:
            seen.add(row_id)
            want, event_id = single
            if want is None:
                out.append(DataFinding("inserted", name, [[row_id, row_id]], event_id,
                                       f"{name} {row_id}: event {event_id} deleted it, yet it is in the database"))
            elif want != leaf:
                out.append(DataFinding("edited", name, [[row_id, row_id]], event_id,
                                       f"{name} {row_id}: its content no longer matches event {event_id}"))
        elif segment is None:
            inserted.append(row_id)
    report.rows += count
    for segment in segments:
        segment.finish(out, name)
    if inserted:
        out.append(DataFinding("inserted", name, to_ranges(inserted), None,
                               f"{name} {describe_ids(inserted)}: in the database, but no event created "
                               f"{'it' if len(inserted) == 1 else 'them'}"))
    gone = sorted(row_id for row_id, (want, _e) in rows.items() if want is not None and row_id not in seen)
    by_event: dict[int, list[int]] = {}
    for row_id in gone:
        by_event.setdefault(rows[row_id][1], []).append(row_id)
    for event_id, ids in sorted(by_event.items()):
        out.append(DataFinding("deleted", name, to_ranges(ids), event_id,
                               f"{name} {describe_ids(ids)}: recorded by event {event_id}, no longer in the database"))
