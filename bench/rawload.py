"""The physical limit: the generator's rows loaded straight into the real schema.

The rows are exactly what a perfect importer would write (ids assigned in memory, keys resolved
in dictionaries, names normalized, claim texts hashed, URLs normalized), loaded with
`sqlite3.executemany` in one transaction (SQLite, with claimtrack's own pragmas: foreign keys on,
WAL, synchronous=NORMAL) or with psycopg `COPY … FROM STDIN` (PostgreSQL). No ORM, no events,
no validation beyond what the database itself enforces.

Two clocks are kept: `db_seconds` (time inside executemany/COPY and the commit: the database's
own limit) and `seconds` (wall time including reading and parsing the jsonl file).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from claimtrack.dates import parse_date
from claimtrack.normalize import claim_hash, normalize_name, normalize_url

BATCH = 20_000
NOW = datetime(2026, 1, 1, tzinfo=UTC)

#: tables in dependency order, with the columns we write
COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": ("id", "key", "name", "kind", "description", "merged_into_id", "created_at", "version"),
    "actor_aliases": ("id", "actor_id", "alias", "normalized"),
    "external_ids": ("id", "actor_id", "scheme", "value"),
    "affiliations": ("id", "actor_id", "organization_id", "role", "start_on", "start_precision",
                     "start_approx", "end_on", "end_precision", "end_approx"),
    "documents": ("id", "key", "kind", "outlet_id", "url", "url_normalized", "title", "author",
                  "language", "published_on", "published_precision", "published_approx",
                  "retrieved_at", "archive_url", "content_hash", "created_at"),
    "claims": ("id", "key", "text", "text_hash", "language", "quantity_subject", "quantity_value",
               "quantity_bound", "quantity_unit", "created_at", "version"),
    "statements": ("id", "key", "claim_id", "speaker_id", "speaker_descriptor", "on_behalf_of_id",
                   "stance", "quote", "quote_kind", "cue", "channel", "context", "said_on",
                   "said_precision", "said_approx", "language", "original_text", "parent_id",
                   "status", "status_reason", "created_at", "version"),
    "hops": ("id", "key", "document_id", "statement_id", "via_hop_id", "via_actor_id", "cue",
             "quote", "is_primary", "created_at"),
    "claim_relations": ("id", "source_claim_id", "target_claim_id", "type", "status", "score", "note",
                        "created_by", "created_at", "decided_by", "decided_at", "version"),
    "verdicts": ("id", "key", "claim_id", "label", "rating_value", "best", "worst", "reviewer_id",
                 "reviewed_on", "reviewed_precision", "reviewed_approx", "url", "explanation",
                 "evidence_urls", "language", "status", "status_reason", "created_at", "version"),
}


def _partial(text: str | None) -> tuple[date | None, str | None, bool]:
    if not text:
        return None, None, False
    value = parse_date(text, not_after=date(2100, 1, 1))
    return value.start, value.precision.value, value.approximate


def _timestamp(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text)  # Python 3.11 reads a trailing Z


@dataclass
class RowBuilder:
    """Native records -> rows per table, resolving keys to ids in memory."""

    ids: dict[str, dict[str, int]] = field(default_factory=lambda: {t: {} for t in COLUMNS})
    counters: dict[str, int] = field(default_factory=lambda: {t: 0 for t in COLUMNS})

    def _next(self, table: str, key: str | None = None) -> int:
        self.counters[table] += 1
        if key is not None:
            self.ids[table][key] = self.counters[table]
        return self.counters[table]

    def _ref(self, table: str, key: str | None) -> int | None:
        return None if key is None else self.ids[table][key]

    def rows(self, record: dict[str, Any]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        kind = record.get("type")
        if kind == "actor":
            actor_id = self._next("actors", record["key"])
            yield "actors", (actor_id, record["key"], record["name"], record["kind"],
                             record.get("description"), None, NOW, 1)
            seen: set[str] = set()
            for alias in [record["name"], *record.get("aliases", [])]:
                normalized = normalize_name(alias)
                if normalized and normalized not in seen:
                    seen.add(normalized)
                    yield "actor_aliases", (self._next("actor_aliases"), actor_id, alias, normalized)
            for scheme, value in (record.get("external_ids") or {}).items():
                yield "external_ids", (self._next("external_ids"), actor_id, scheme, value)
        elif kind == "affiliation":
            start, end = _partial(record.get("start")), _partial(record.get("end"))
            yield "affiliations", (self._next("affiliations"), self._ref("actors", record["actor"]),
                                   self._ref("actors", record.get("organization")), record["role"],
                                   *start, *end)
        elif kind == "document":
            url = record.get("url")
            yield "documents", (self._next("documents", record["key"]), record["key"], record["kind"],
                                self._ref("actors", record.get("outlet")), url,
                                normalize_url(url) if url else None, record.get("title"),
                                record.get("author"), record.get("language"),
                                *_partial(record.get("published")), _timestamp(record.get("retrieved_at")),
                                record.get("archive_url"), record.get("content_hash"), NOW)
        elif kind == "claim":
            q = record.get("quantity") or {}
            yield "claims", (self._next("claims", record["key"]), record["key"], record["text"],
                             claim_hash(record["text"]), record.get("language"), q.get("subject"),
                             q.get("value"), q.get("bound"), q.get("unit"), NOW, 1)
        elif kind == "statement":
            yield "statements", (
                self._next("statements", record["key"]), record["key"], self._ref("claims", record["claim"]),
                self._ref("actors", record.get("speaker")), record.get("speaker_descriptor"),
                self._ref("actors", record.get("on_behalf_of")), record["stance"], record.get("quote"),
                record.get("quote_kind"), record.get("cue"), record.get("channel"), record.get("context"),
                *_partial(record.get("said")), record.get("language"), record.get("original_text"),
                self._ref("statements", record.get("parent")), record.get("status") or "normal",
                record.get("status_reason"), NOW, 1)
        elif kind == "hop":
            yield "hops", (self._next("hops", record["key"]), record["key"],
                           self._ref("documents", record["document"]),
                           self._ref("statements", record["statement"]),
                           self._ref("hops", record.get("via_hop")), self._ref("actors", record.get("via_actor")),
                           record.get("cue"), record.get("quote"), bool(record.get("primary")), NOW)
        elif kind == "relation":
            yield "claim_relations", (self._next("claim_relations"), self._ref("claims", record["source"]),
                                      self._ref("claims", record["target"]), record["relation"],
                                      record.get("status") or "confirmed", record.get("score"),
                                      record.get("note"), record.get("created_by"), NOW,
                                      record.get("decided_by"), None, 1)
        elif kind == "verdict":
            yield "verdicts", (self._next("verdicts", record["key"]), record["key"],
                               self._ref("claims", record["claim"]), record["label"],
                               record.get("rating_value"), record.get("best"), record.get("worst"),
                               self._ref("actors", record.get("reviewer")), *_partial(record.get("reviewed")),
                               record.get("url"), record.get("explanation"),
                               json.dumps(record.get("evidence_urls") or []), record.get("language"),
                               record.get("status") or "normal", record.get("status_reason"), NOW, 1)


@dataclass
class LoadResult:
    seconds: float
    db_seconds: float
    rows: dict[str, int]
    #: CPU time of this process for the whole load (parsing included; the PostgreSQL server's not)
    cpu_seconds: float = 0.0

    @property
    def statements(self) -> int:
        return self.rows.get("statements", 0)


def _batched(path: str, flush: Callable[[str, list[tuple[Any, ...]]], None]) -> dict[str, int]:
    """Read `path`, build rows, and hand them to `flush` table by table in dependency order."""
    builder = RowBuilder()
    buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
    pending = 0
    counts = {t: 0 for t in COLUMNS}

    def flush_all() -> None:
        for table, rows in buffers.items():  # dependency order: parents first
            if rows:
                flush(table, rows)
                counts[table] += len(rows)
                buffers[table] = []

    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for table, row in builder.rows(record):
                buffers[table].append(row)
                pending += 1
            if pending >= BATCH:
                flush_all()
                pending = 0
    flush_all()
    return counts


def _sqlite_value(value: Any) -> Any:
    # the storage formats SQLAlchemy's SQLite dialect reads back
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def load_sqlite(path: str, db_file: str) -> LoadResult:
    """executemany into an already-migrated SQLite file, one transaction."""
    import sqlite3

    connection = sqlite3.connect(db_file, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    db_time = 0.0
    sql = {t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})" for t, c in COLUMNS.items()}

    def flush(table: str, rows: list[tuple[Any, ...]]) -> None:
        nonlocal db_time
        converted = [tuple(_sqlite_value(v) for v in row) for row in rows]
        started = time.perf_counter()
        connection.executemany(sql[table], converted)
        db_time += time.perf_counter() - started

    started, cpu_started = time.perf_counter(), time.process_time()
    connection.execute("BEGIN IMMEDIATE")
    counts = _batched(path, flush)
    t0 = time.perf_counter()
    connection.execute("COMMIT")
    db_time += time.perf_counter() - t0
    elapsed = time.perf_counter() - started
    connection.close()
    return LoadResult(elapsed, db_time, counts, time.process_time() - cpu_started)


def load_postgresql(path: str, url: str) -> LoadResult:
    """COPY into an already-migrated PostgreSQL database, one transaction."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    db_time = 0.0
    with psycopg.connect(plain) as connection:
        with connection.cursor() as cursor:

            def flush(table: str, rows: list[tuple[Any, ...]]) -> None:
                nonlocal db_time
                started = time.perf_counter()
                with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                db_time += time.perf_counter() - started

            started, cpu_started = time.perf_counter(), time.process_time()
            counts = _batched(path, flush)
            # the next ids claimtrack hands out must follow ours
            for table in COLUMNS:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"GREATEST((SELECT max(id) FROM {table}), 1))")
        t0 = time.perf_counter()
        connection.commit()
        db_time += time.perf_counter() - t0
        elapsed = time.perf_counter() - started
    return LoadResult(elapsed, db_time, counts, time.process_time() - cpu_started)
