"""Apply native records to a database: key resolution in memory, bulk inserts, one event.

Every importer ends here. The file is read as a stream of `Item`s; items are taken in chunks,
and for each chunk the keys (and claim hashes, URLs, external ids) that the chunk mentions and
that are not yet known are looked up in the database with one query per table — so memory
holds key→id maps for what the file references, never the records themselves.

Rows are inserted with SQLAlchemy Core `insert()` executemany in large batches. Their ids are
assigned here, from the table's maximum upwards: every claimtrack writer holds the database's
write lock (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory lock), so the ids an import takes
form one contiguous range per table, which the import's event records. PostgreSQL sequences are
moved past the new ids at the end.

Identity (what makes a record "matched existing" instead of created):
actor = key, else one of its external ids; document = key, else normalized URL;
claim = key, else claim hash; statement, hop, verdict = key; hop also (document, statement);
affiliation = (actor, organization, role, start); relation = (source, target, relation).
Existing rows are never modified by an import.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any, TextIO

from sqlalchemy import Connection, String, Table, func, select, text, tuple_
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate, parse_date
from claimtrack.errors import ImportFailed, InvalidInput
from claimtrack.formats.plan import Bad, ImportSummary, Item, slug
from claimtrack.fulltext_ddl import FTS_SOURCES, sqlite_fill_sql, sqlite_trigger_ddl
from claimtrack.models import Base
from claimtrack.normalize import claim_hash, normalize_name, normalize_url
from claimtrack.vocab import (
    ActorKind,
    Bound,
    DocumentKind,
    QuoteKind,
    RelationStatus,
    RelationType,
    Stance,
    StatementStatus,
)

#: items per resolution chunk, and buffered rows that trigger an executemany
CHUNK_ITEMS = 5_000
BATCH_ROWS = 10_000
#: in-memory map entries above which the maps are dropped after a flush (rows are then in the
#: database and are looked up again when referenced), so memory stays flat on huge files
MAX_MAP_ENTRIES = 300_000
#: bad items after which a failing import stops reading (it has enough to say why)
MAX_FAILURES = 10_000
#: values per IN (...) lookup
LOOKUP_BATCH = 2_000
#: parsed dates kept (bulk files repeat the same few thousand dates); the cache starts over when full
DATE_CACHE_ENTRIES = 50_000

#: tables in the order their rows are inserted (parents first)
TABLE_ORDER = (
    "actors", "actor_aliases", "external_ids", "affiliations", "documents", "claims",
    "statements", "hops", "claim_relations", "verdicts",
)
#: record type -> table that holds its keys
KEY_TABLES = {
    "actor": "actors", "document": "documents", "claim": "claims",
    "statement": "statements", "hop": "hops", "verdict": "verdicts",
}

FIELDS: dict[str, frozenset[str]] = {
    "actor": frozenset({"type", "key", "name", "kind", "aliases", "external_ids", "description", "merged_into"}),
    "affiliation": frozenset({"type", "actor", "organization", "role", "start", "end", "status", "status_reason"}),
    "document": frozenset({"type", "key", "outlet", "kind", "url", "title", "author", "language", "published",
                           "retrieved_at", "archive_url", "content_hash", "status", "status_reason"}),
    "claim": frozenset({"type", "key", "text", "language", "quantity", "status", "status_reason"}),
    "statement": frozenset({"type", "key", "claim", "speaker", "speaker_descriptor", "on_behalf_of", "stance",
                            "quote", "quote_kind", "cue", "channel", "context", "said", "language",
                            "original_text", "parent", "status", "status_reason"}),
    "hop": frozenset({"type", "key", "document", "statement", "via_hop", "via_actor", "cue", "quote", "primary",
                      "status", "status_reason"}),
    "relation": frozenset({"type", "source", "target", "relation", "status", "score", "note", "created_by",
                           "decided_by", "status_reason"}),
    "verdict": frozenset({"type", "key", "claim", "label", "rating_value", "best", "worst", "reviewer",
                          "reviewed", "url", "explanation", "license", "evidence_urls", "language", "status",
                          "status_reason"}),
}
QUANTITY_FIELDS = frozenset({"subject", "value", "bound", "unit"})
#: formats whose keys name one source record each (native keys, LIAR and Emergent ids): there,
#: one key with two contents is an error. Other readers key actors and documents by a slug or
#: URL on purpose, so that rows naming the same speaker or page share one record.
REPEAT_CHECKED = frozenset({"jsonl", "json", "liar", "emergent"})

_STANCES = {s.value for s in Stance}


class RecordError(Exception):
    """One record is invalid; the applier adds the line and turns it into ImportFailed or a reject."""


def _choice(enum: Any, value: Any, field: str, default: str | None = None) -> str | None:
    if value is None:
        return default
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, got {value!r}")
    try:
        return enum(value).value  # the fast path: already a vocabulary value
    except ValueError:
        pass
    from claimtrack.vocab import parse_choice

    try:
        return parse_choice(enum, value, field).value
    except InvalidInput as exc:
        raise RecordError(str(exc)) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(value: str) -> bool:
    """Whether a value may be looked up at all (the record itself reports why not)."""
    return bool(value.strip()) and "\x00" not in value and (value.isascii() or _SURROGATE.search(value) is None)


def check_text(value: str, field: str) -> str:
    """Text a database can store: no NUL (PostgreSQL refuses it, SQLite cuts C strings at it)
    and no lone UTF-16 surrogate (a JSON `\\ud800` without its pair is not a character)."""
    if "\x00" in value:
        raise RecordError(f"{field} contains a NUL character (\\x00 at position {value.index(chr(0)) + 1}); "
                          "remove it")
    if not value.isascii() and (match := _SURROGATE.search(value)) is not None:
        raise RecordError(f"{field} contains a lone surrogate (\\u{ord(match.group()):04x} at position "
                          f"{match.start() + 1}), which is not a character; fix the file's text")
    return value


def _text(record: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    value = record.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"{field} is required")
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, got {value!r}")
    return check_text(value, field)


def _number(record: dict[str, Any], field: str, label: str | None = None) -> float | None:
    value = record.get(field)
    field = label or field
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(f"{field} must be a number, got {_short(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise RecordError(f"{field} must be a finite number, got {_short(value)}")
    return number


def _short(value: Any) -> str:
    """A value for a message: repr, cut (a 5,000-digit number is not a message)."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return "(a value too large to show)"
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


_today = date.today
#: parsed dates by (text, not_future): bulk files repeat the same few thousand dates
_DATE_CACHE: dict[tuple[str, bool], PartialDate] = {}


def _date(record: dict[str, Any], field: str, *, not_future: bool = False) -> PartialDate | None:
    value = record.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be a date as text (e.g. 2021-01-23), got {value!r}")
    cached = _DATE_CACHE.get((value, not_future))
    if cached is not None:
        return cached
    try:
        parsed = parse_date(value, field, not_after=_today() if not_future else None)
    except InvalidInput as exc:
        raise RecordError(str(exc)) from None
    if len(_DATE_CACHE) >= DATE_CACHE_ENTRIES:
        _DATE_CACHE.clear()
    _DATE_CACHE[(value, not_future)] = parsed
    return parsed


def _partial_columns(prefix: str, value: PartialDate | None) -> dict[str, Any]:
    if value is None:
        return {f"{prefix}_on": None, f"{prefix}_precision": None, f"{prefix}_approx": False}
    return {f"{prefix}_on": value.start, f"{prefix}_precision": value.precision.value,
            f"{prefix}_approx": value.approximate}


def _timestamp(record: dict[str, Any], field: str) -> datetime | None:
    value = record.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be an ISO timestamp, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError:
        raise RecordError(f"{field}: {_short(value)} is not a timestamp; write e.g. 2026-11-24T10:00:00Z") from None
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the year 1 in UTC
        raise RecordError(f"{field}: {value!r} lies outside the years 1 to 9999 once converted to UTC") from None


def _normalized_url(url: str, field: str = "url") -> str:
    """The identity form of a URL; whatever the normalizer refuses is this record's error."""
    try:
        return normalize_url(url)
    except InvalidInput as exc:  # normalize.InvalidURL: its message names the URL and the fault
        raise RecordError(f"{field}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any refusal of the URL library is a bad URL
        raise RecordError(f"{field}: {_short(url)} is not a usable URL ({exc})") from None


def record_digest(record: dict[str, Any]) -> str:
    """A short stable digest of a record's content, for keys of keyless records."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]


class Applier:
    """Resolves and writes native records for one import (see the module docstring)."""

    def __init__(self, session: Session, summary: ImportSummary, *, dry_run: bool = False,
                 skip_bad: bool = False, rejects: TextIO | None = None,
                 progress: Callable[[], None] | None = None) -> None:
        self.session = session
        self.summary = summary
        self.dry_run = dry_run
        self.skip_bad = skip_bad
        self.rejects = rejects
        self.progress = progress
        self.tables: dict[str, Table] = dict(Base.metadata.tables)
        self.limits = {
            name: {c.name: c.type.length for c in table.columns
                   if isinstance(c.type, String) and c.type.length}
            for name, table in self.tables.items()
        }
        self.now = datetime.now(UTC)
        #: without --skip-bad: bad items seen, and the first one's message (the import then fails)
        self.failed = 0
        self.first_failure: str | None = None
        # key -> id, per record type; `missing` remembers keys looked up and not found
        self.ids: dict[str, dict[str, int]] = {t: {} for t in KEY_TABLES}
        self.missing: dict[str, set[str]] = {t: set() for t in KEY_TABLES}
        self.claim_by_hash: dict[str, int] = {}
        self.claim_hash_missing: set[str] = set()
        self.doc_by_url: dict[str, int] = {}
        self.doc_url_missing: set[str] = set()
        self.actor_by_ext: dict[tuple[str, str], int] = {}
        self.ext_missing: set[tuple[str, str]] = set()
        self.hop_pairs: dict[tuple[int, int], int] = {}
        self.affiliations: set[tuple[Any, ...]] = set()
        self.relations: set[tuple[int, int, str]] = set()
        self.buffers: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE_ORDER}
        self.buffered = 0
        self.trimmed = False
        #: tables without rows when the import began: until the maps are first dropped, a key
        #: that is not in them cannot be in the database, so it is not looked up
        self.empty_at_start: set[str] = set()
        self._hop_checked: set[int] = set()
        self.first_id: dict[str, int] = {}
        self._copy_processors: dict[str, dict[str, Any]] = {}
        #: SQLite FTS table -> first content id not indexed while its insert trigger is dropped
        self.fts_deferred: dict[str, int] = {}
        self.next_id: dict[str, int] = {}
        #: per table, the ids and RFC 6962 chunk heads of the rows written (bounded memory):
        #: the import event's row hashes (claimtrack.services.rowtrack.SegmentBuilder)
        self.segments: dict[str, Any] = {}
        self._encoders: dict[str, Any] = {}
        # group-local state (one item), merged into the above when the item is accepted
        self._local_ids: dict[str, dict[str, int]] = {}
        self._local_rows: list[tuple[str, dict[str, Any]]] = []
        self._local_counts: list[tuple[str, str]] = []
        self._local_updates: list[Callable[[], None]] = []
        #: native files: (type, key) -> (line, unit, content fingerprint) of the record that used
        #: the key first in this file, so a second record with the key and other content is an error
        self.check_repeats = summary.format in REPEAT_CHECKED
        self.first_use: dict[tuple[str, str], tuple[int | None, str, int]] = {}
        self._item: Item | None = None

    # ------------------------------------------------------------------ driving

    def run(self, items: Iterable[Item | Bad]) -> ImportSummary:
        self.session.flush()
        connection = self.session.connection()
        for name in TABLE_ORDER:
            table = self.tables[name]
            top = connection.execute(select(func.max(table.c.id))).scalar()
            self.first_id[name] = self.next_id[name] = (top or 0) + 1
            if top is None:
                self.empty_at_start.add(name)
        #: per table, the first id whose relations (hop pairs, …) are still tracked in memory
        self.known_from = dict(self.first_id)
        seen_any = False
        for chunk in _chunks(items, CHUNK_ITEMS):
            seen_any = True
            self._prefetch(chunk)
            for entry in chunk:
                self.summary.items += 1
                if isinstance(entry, Bad):
                    self._reject(entry.line, entry.reason, entry.raw, entry.unit)
                else:
                    self._apply_item(entry)
                if self.progress is not None:
                    self.progress()
            if self.buffered >= BATCH_ROWS:
                self._flush(bulk=True)
                self._trim()
        if not seen_any:
            raise ImportFailed(f"{self.summary.file} contains no records: nothing to import")
        if self.first_failure is not None:
            self._fail()
        self._flush()
        self._fill_full_text()
        for name in TABLE_ORDER:
            if self.next_id[name] > self.first_id[name]:
                self.summary.id_ranges[name] = [self.first_id[name], self.next_id[name] - 1]
        if not self.dry_run and connection.dialect.name == "postgresql":
            for name in self.summary.id_ranges:
                _advance_sequence(connection, name, self.next_id[name] - 1)
        return self.summary

    def _reject(self, line: int | None, reason: str, raw: Any, unit: str = "line") -> None:
        where = f"{self.summary.file}, {unit} {line}" if line is not None else self.summary.file
        self.summary.note_reason(line, reason)
        if not self.skip_bad:
            # keep reading (nothing will be committed) so the failure can say how many items
            # fail and why, grouped, rather than only the first
            self.failed += 1
            if self.first_failure is None:
                self.first_failure = f"{where}: {reason}"
            if self.failed >= MAX_FAILURES:
                self._fail(stopped=True)
            return
        self.summary.rejected += 1
        if self.rejects is not None:
            self.rejects.write(_reject_line(line, reason, raw) + "\n")

    def _apply_item(self, item: Item) -> None:
        if item.skipped is not None:
            self.summary.count(item.skipped).skipped += 1
            return
        saved_next = dict(self.next_id)
        current: Any = None
        self._item = item
        self._local_ids = {}
        self._local_rows = []
        self._local_counts = []
        self._local_updates = []
        try:
            for record in item.records:
                current = record
                self._apply_record(record)
        except RecordError as exc:
            self.next_id = saved_next
            label = _describe(current)
            raw = item.raw if item.raw is not None else (item.records[0] if len(item.records) == 1 else item.records)
            self._reject(item.line, f"{label}{exc}", raw, item.unit)
            for record in item.records:
                if isinstance(record, dict) and isinstance(record.get("type"), str) and record["type"] in FIELDS:
                    self.summary.count(record["type"]).skipped += 1
            return
        for kind, ids in self._local_ids.items():
            self.ids[kind].update(ids)
        for update in self._local_updates:
            update()
        for table, row in self._local_rows:
            self.buffers[table].append(row)
        self.buffered += len(self._local_rows)
        for kind, outcome in self._local_counts:
            counts = self.summary.count(kind)
            if outcome == "created":
                counts.created += 1
            else:
                counts.matched += 1

    def _fail(self, *, stopped: bool = False) -> None:
        """Stop the import with the first failure and, when more failed, the reasons grouped."""
        assert self.first_failure is not None
        message = self.first_failure
        if self.failed > 1:
            unit = self.summary.unit_word
            counted = f"stopped after {self.failed:,} bad {unit}s" if stopped else f"{self.failed:,} bad {unit}s in all"
            message += f"\n{counted} (nothing was written):\n  " + "\n  ".join(self.summary.reason_lines(self.summary.unit_word))
        raise ImportFailed(message)

    # ------------------------------------------------------------------ lookups

    def _known(self, kind: str, key: str) -> int | None:
        local = self._local_ids.get(kind)
        if local and key in local:
            return local[key]
        return self.ids[kind].get(key)

    def _ref(self, record: dict[str, Any], field: str, kind: str, *, required: bool = False) -> int | None:
        value = record.get(field)
        if value is None or value == "":
            if required:
                raise RecordError(f"{field} is required (the key of a {kind})")
            return None
        if not isinstance(value, str):
            raise RecordError(f"{field} must be the key of a {kind} (text), got {value!r}")
        found = self._known(kind, value)
        if found is None:
            raise RecordError(f"{field} {value!r} is not the key of a {kind} earlier in the file or in the database")
        return found

    def _set_local(self, kind: str, key: str, id_: int) -> None:
        self._local_ids.setdefault(kind, {})[key] = id_

    def _take_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _row(self, table: str, row: dict[str, Any]) -> None:
        limits = self.limits[table]
        for column, length in limits.items():
            value = row.get(column)
            if value is not None and len(value) > length:
                raise RecordError(f"{column} is longer than {length} characters ({len(value)})")
        self._local_rows.append((table, row))

    def _prefetch(self, chunk: list[Item | Bad]) -> None:
        """Look up, with one query per table, every key the chunk mentions that is not known yet."""
        wanted: dict[str, set[str]] = {t: set() for t in KEY_TABLES}
        hashes: set[str] = set()
        urls: set[str] = set()
        exts: set[tuple[str, str]] = set()
        for entry in chunk:
            if not isinstance(entry, Item):
                continue
            for record in entry.records:
                if not isinstance(record, dict):
                    continue
                kind = record.get("type")
                if not isinstance(kind, str):
                    continue
                key = record.get("key")
                if isinstance(key, str) and kind in wanted and _storable(key):
                    wanted[kind].add(key)
                for field, target in _REF_FIELDS.get(kind, ()):
                    value = record.get(field)
                    if isinstance(value, str) and _storable(value):
                        wanted[target].add(value)
                if kind == "claim" and isinstance(record.get("text"), str) and _storable(record["text"]):
                    hashes.add(claim_hash(record["text"]))
                elif kind == "document" and isinstance(record.get("url"), str) and _storable(record["url"]):
                    try:
                        urls.add(_normalized_url(record["url"]))
                    except RecordError:
                        pass  # reported when the record is applied
                elif kind == "actor" and isinstance(record.get("external_ids"), dict):
                    for scheme, values in record["external_ids"].items():
                        for value in values if isinstance(values, list) else [values]:
                            if isinstance(value, str) and _storable(value) and _storable(str(scheme)):
                                exts.add((scheme, value))
        connection = self.session.connection()
        for kind, keys in wanted.items():
            if not self._may_exist(KEY_TABLES[kind]):
                continue
            todo = [k for k in keys if k not in self.ids[kind] and k not in self.missing[kind]]
            if not todo:
                continue
            found = self.ids[kind]
            for key, id_ in self._lookup(connection, KEY_TABLES[kind], "key", todo):
                found[key] = id_
            self.missing[kind].update(k for k in todo if k not in found)
        todo_h = [h for h in hashes if h not in self.claim_by_hash and h not in self.claim_hash_missing]
        if todo_h and self._may_exist("claims"):
            for h, id_ in self._lookup(connection, "claims", "text_hash", todo_h):
                self.claim_by_hash[h] = id_
            self.claim_hash_missing.update(h for h in todo_h if h not in self.claim_by_hash)
        todo_u = [u for u in urls if u not in self.doc_by_url and u not in self.doc_url_missing]
        if todo_u and self._may_exist("documents"):
            for u, id_ in self._lookup(connection, "documents", "url_normalized", todo_u):
                self.doc_by_url[u] = id_
            self.doc_url_missing.update(u for u in todo_u if u not in self.doc_by_url)
        todo_e = [e for e in exts if e not in self.actor_by_ext and e not in self.ext_missing]
        if todo_e and self._may_exist("external_ids"):
            ext = self.tables["external_ids"]
            for part in _batched(todo_e, LOOKUP_BATCH):
                rows = connection.execute(select(ext.c.scheme, ext.c.value, ext.c.actor_id)
                                          .where(tuple_(ext.c.scheme, ext.c.value).in_(part)))
                for scheme, value, actor_id in rows:
                    self.actor_by_ext[(scheme, value)] = actor_id
            self.ext_missing.update(e for e in todo_e if e not in self.actor_by_ext)
        self._prefetch_hop_pairs(chunk)

    def _may_exist(self, table: str) -> bool:
        """Whether a key missing from the maps may still be in the database (see empty_at_start)."""
        return self.trimmed or table not in self.empty_at_start

    def _lookup(self, connection: Connection, table_name: str, column: str,
                values: list[str]) -> Iterator[tuple[str, int]]:
        """(value, id) of the rows whose `column` is one of `values`, LOOKUP_BATCH values a query.

        PostgreSQL gets one array parameter (`= ANY(%s)`): an IN list of 2,000 parameters costs
        the server more to parse and plan than to answer.
        """
        table = self.tables[table_name]
        postgresql = connection.dialect.name == "postgresql"
        for part in _batched(values, LOOKUP_BATCH):
            if postgresql:
                query = text(f"SELECT {column}, id FROM {table_name} WHERE {column} = ANY(:values)")
                rows = connection.execute(query, {"values": part})
            else:
                rows = connection.execute(select(table.c[column], table.c.id).where(table.c[column].in_(part)))
            yield from ((value, id_) for value, id_ in rows)

    def _prefetch_hop_pairs(self, chunk: list[Item | Bad]) -> None:
        """Existing hops of the statements this chunk's hops name, in one query: otherwise every
        hop of an older statement would need its own lookup for the (document, statement) rule."""
        self._hop_checked = set()
        boundary = self.known_from["statements"]
        statement_ids: set[int] = set()
        for entry in chunk:
            if not isinstance(entry, Item):
                continue
            for record in entry.records:
                if isinstance(record, dict) and record.get("type") == "hop" and isinstance(record.get("statement"), str):
                    found = self.ids["statement"].get(record["statement"])
                    if found is not None and found < boundary:
                        statement_ids.add(found)
        if not statement_ids:
            return
        hops = self.tables["hops"]
        connection = self.session.connection()
        postgresql = connection.dialect.name == "postgresql"
        for part in _batched(sorted(statement_ids), LOOKUP_BATCH):
            if postgresql:  # one array parameter, as in _lookup
                rows = connection.execute(text("SELECT document_id, statement_id, id FROM hops "
                                               "WHERE statement_id = ANY(:ids)"), {"ids": part})
            else:
                rows = connection.execute(select(hops.c.document_id, hops.c.statement_id, hops.c.id)
                                          .where(hops.c.statement_id.in_(part)))
            for document_id, statement_id, hop_id in rows:
                self.hop_pairs[(document_id, statement_id)] = hop_id
        self._hop_checked = statement_ids

    # ------------------------------------------------------------------ records

    def _apply_record(self, record: Any) -> None:
        if not isinstance(record, dict):
            raise RecordError(f"expected a JSON object, got {type(record).__name__}")
        kind = record.get("type")
        if not isinstance(kind, str) or kind not in FIELDS:
            raise RecordError(f"unknown record type {kind!r}; expected one of: {', '.join(FIELDS)}")
        unknown = record.keys() - FIELDS[kind]
        if unknown:
            raise RecordError(f"unknown field {min(unknown)!r} in a {kind} record; "
                              f"expected: {', '.join(sorted(FIELDS[kind] - {'type'}))}")
        key = record.get("key")
        if key is not None and (not isinstance(key, str) or not key.strip()):
            raise RecordError(f"key must be non-empty text, got {key!r}")
        if key is not None and len(key) > 200:
            raise RecordError(f"key is longer than 200 characters ({len(key)})")
        if key is not None:
            check_text(key, "key")
            if self.check_repeats:
                self._check_repeat(kind, key, record)
        getattr(self, f"_{kind}")(record)

    def _check_repeat(self, kind: str, key: str, record: dict[str, Any]) -> None:
        """A key used twice in one file must mean one record: else one of them is a mistake."""
        fingerprint = _fingerprint(record)
        first = self.first_use.get((kind, key))
        if first is None:
            item = self._item
            use = (item.line if item else None, item.unit if item else "line", fingerprint)
            self._local_updates.append(_setter(self.first_use, (kind, key), use))  # type: ignore[arg-type]
            return
        line, unit, seen = first
        if seen != fingerprint:
            raise RecordError(f"the key {key!r} was already given to a different {kind} at {unit} {line}; "
                              "one key names one record: give one of them another key")

    def _created(self, kind: str) -> None:
        self._local_counts.append((kind, "created"))

    def _matched(self, kind: str) -> None:
        self._local_counts.append((kind, "matched"))

    def _actor(self, r: dict[str, Any]) -> None:
        name = _text(r, "name", required=True)
        assert name is not None
        key = r.get("key") or slug(name)
        kind = _choice(ActorKind, r.get("kind"), "kind", ActorKind.PERSON.value)
        aliases = r.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise RecordError("aliases must be a list of names")
        for alias in aliases:
            check_text(alias, "aliases")
        externals = r.get("external_ids") or {}
        if not isinstance(externals, dict):
            raise RecordError("external_ids must be an object like {\"wikidata\": \"Q10766\"}")
        pairs: list[tuple[str, str]] = []
        for scheme, values in externals.items():
            for value in values if isinstance(values, list) else [values]:
                if not isinstance(value, str) or not value.strip():
                    raise RecordError(f"external_ids.{scheme} must be text or a list of texts")
                check_text(scheme, "external_ids")
                check_text(value, f"external_ids.{scheme}")
                pairs.append((scheme, value))
        existing = self._known("actor", key)
        if existing is None:
            for pair in pairs:
                existing = self.actor_by_ext.get(pair)
                if existing is not None:
                    break
        if existing is not None:
            self._set_local("actor", key, existing)
            self._matched("actor")
            return
        merged = self._ref(r, "merged_into", "actor")
        actor_id = self._take_id("actors")
        self._row("actors", {
            "id": actor_id, "key": key, "name": name, "kind": kind,
            "description": _text(r, "description"), "merged_into_id": merged,
            "created_at": self.now, "version": 1,
        })
        self._set_local("actor", key, actor_id)
        seen: set[str] = set()
        folded = normalize_name(name)
        spellings = list(aliases) if any(normalize_name(a) == folded for a in aliases) else [name, *aliases]
        for spelling in spellings:
            normalized = normalize_name(spelling)
            if not normalized or normalized in seen:
                continue
            seen.add(normalized)
            self._row("actor_aliases", {"id": self._take_id("actor_aliases"), "actor_id": actor_id,
                                        "alias": spelling, "normalized": normalized})
        for scheme, value in pairs:
            self._row("external_ids", {"id": self._take_id("external_ids"), "actor_id": actor_id,
                                       "scheme": scheme, "value": value})
            self._local_updates.append(_setter(self.actor_by_ext, (scheme, value), actor_id))
        self._created("actor")

    def _affiliation(self, r: dict[str, Any]) -> None:
        actor_id = self._ref(r, "actor", "actor", required=True)
        org_id = self._ref(r, "organization", "actor")
        role = _text(r, "role", required=True)
        assert actor_id is not None and role is not None
        start = _date(r, "start")
        end = _date(r, "end")
        if start and end and start.start > end.start:
            raise RecordError(f"start {start} is after end {end}")
        if org_id is not None and org_id == actor_id:
            raise RecordError("an actor cannot be affiliated with itself")
        signature = (actor_id, org_id, role, str(start) if start else None)
        if signature in self.affiliations or self._affiliation_exists(actor_id, org_id, role, start):
            self._matched("affiliation")
            return
        status, reason = self._status(r)
        self._row("affiliations", {"id": self._take_id("affiliations"), "actor_id": actor_id,
                                   "organization_id": org_id, "role": role,
                                   **_partial_columns("start", start), **_partial_columns("end", end),
                                   "status": status, "status_reason": reason})
        self._local_updates.append(lambda: self.affiliations.add(signature))
        self._created("affiliation")

    def _preexisting(self, table: str, *ids: int | None) -> bool:
        """True when every id was in the database before this import (so a DB lookup is needed)."""
        # rows from before the last trim left the in-memory maps: for them, ask the database
        first = self.known_from[table]
        return all(i is None or i < first for i in ids)

    def _affiliation_exists(self, actor_id: int, org_id: int | None, role: str, start: PartialDate | None) -> bool:
        if not self._preexisting("actors", actor_id, org_id):
            return False
        t = self.tables["affiliations"]
        query = select(t.c.id).where(t.c.actor_id == actor_id, t.c.role == role,
                                     t.c.organization_id.is_(None) if org_id is None else t.c.organization_id == org_id,
                                     t.c.start_on.is_(None) if start is None else t.c.start_on == start.start)
        return self.session.connection().execute(query.limit(1)).first() is not None

    def _document(self, r: dict[str, Any]) -> None:
        url = _text(r, "url")
        normalized = _normalized_url(url) if url else None
        key = r.get("key")
        if key is None:
            key = "doc-" + slug(normalized or _text(r, "title") or "untitled", 50) + "-" + record_digest(r)[:6]
        existing = self._known("document", key)
        if existing is None and normalized is not None:
            existing = self.doc_by_url.get(normalized)
        if existing is not None:
            self._set_local("document", key, existing)
            self._matched("document")
            return
        status, reason = self._status(r)
        doc_id = self._take_id("documents")
        self._row("documents", {
            "status": status, "status_reason": reason,
            "id": doc_id, "key": key, "kind": _choice(DocumentKind, r.get("kind"), "kind", DocumentKind.ARTICLE.value),
            "outlet_id": self._ref(r, "outlet", "actor"), "url": url, "url_normalized": normalized,
            "title": _text(r, "title"), "author": _text(r, "author"), "language": _text(r, "language"),
            **_partial_columns("published", _date(r, "published")),
            "retrieved_at": _timestamp(r, "retrieved_at"), "archive_url": _text(r, "archive_url"),
            "content_hash": _text(r, "content_hash"), "created_at": self.now,
        })
        self._set_local("document", key, doc_id)
        if normalized is not None:
            self._local_updates.append(lambda: self.doc_by_url.__setitem__(normalized, doc_id))
        self._created("document")

    def _claim(self, r: dict[str, Any]) -> None:
        text_ = _text(r, "text", required=True)
        assert text_ is not None
        digest = claim_hash(text_)
        key = r.get("key") or slug(text_, 50) + "-" + digest[:6]
        existing = self._known("claim", key)
        if existing is None:
            existing = self.claim_by_hash.get(digest)
        if existing is None:
            # a claim created earlier in this same item (LIAR row, ClaimReview object)
            existing = next((i for (t, row) in self._local_rows if t == "claims" and row["text_hash"] == digest
                             for i in [row["id"]]), None)
        if existing is not None:
            self._set_local("claim", key, existing)
            self._matched("claim")
            return
        quantity = r.get("quantity") or {}
        if not isinstance(quantity, dict):
            raise RecordError("quantity must be an object with subject, value, bound, unit")
        unknown = quantity.keys() - QUANTITY_FIELDS
        if unknown:
            raise RecordError(f"unknown field {min(unknown)!r} in quantity; expected subject, value, bound, unit")
        subject = _text(quantity, "subject")
        value = _number(quantity, "value", "quantity.value")
        if (subject is None) != (value is None):
            raise RecordError("quantity needs both a subject (what is counted) and a value")
        status, reason = self._status(r)
        claim_id = self._take_id("claims")
        self._row("claims", {
            "status": status, "status_reason": reason,
            "id": claim_id, "key": key, "text": text_, "text_hash": digest, "language": _text(r, "language"),
            "quantity_subject": subject, "quantity_value": value,
            "quantity_bound": _choice(Bound, quantity.get("bound"), "quantity.bound"),
            "quantity_unit": _text(quantity, "unit"), "created_at": self.now, "version": 1,
        })
        self._set_local("claim", key, claim_id)
        self._local_updates.append(lambda: self.claim_by_hash.__setitem__(digest, claim_id))
        self._created("claim")

    def _status(self, r: dict[str, Any]) -> tuple[str, str | None]:
        status = _choice(StatementStatus, r.get("status"), "status", StatementStatus.NORMAL.value)
        reason = _text(r, "status_reason")
        if status != StatementStatus.NORMAL.value and reason is None:
            raise RecordError(f"status {status!r} needs a status_reason")
        return status, reason  # type: ignore[return-value]

    def _statement(self, r: dict[str, Any]) -> None:
        key = r.get("key")
        if key is not None:
            existing = self._known("statement", key)
            if existing is not None:
                self._matched("statement")
                return
        claim_id = self._ref(r, "claim", "claim", required=True)
        speaker_id = self._ref(r, "speaker", "actor")
        descriptor = _text(r, "speaker_descriptor")
        stance = r.get("stance")
        if stance not in _STANCES:
            if stance is None:
                raise RecordError("stance is required")
            stance = _choice(Stance, stance, "stance")
        quote = _text(r, "quote")
        quote_kind = _choice(QuoteKind, r.get("quote_kind"), "quote_kind")
        if speaker_id is not None and descriptor is not None:
            raise RecordError("give a speaker or a speaker_descriptor, not both")
        if quote is not None and speaker_id is None and descriptor is None:
            raise RecordError("a quote needs a speaker or a speaker_descriptor (an unattributed statement "
                              "is the reporter's own voice and quotes nobody)")
        if quote_kind is not None and quote is None:
            raise RecordError("quote_kind given without a quote")
        status, reason = self._status(r)
        if key is None:
            who = r.get("speaker") or descriptor or "unattributed"
            key = f"{slug(str(who), 40)}-{stance}-{record_digest(r)}"
            existing = self._known("statement", key)
            if existing is not None:
                self._matched("statement")
                return
        statement_id = self._take_id("statements")
        self._row("statements", {
            "id": statement_id, "key": key, "claim_id": claim_id, "speaker_id": speaker_id,
            "speaker_descriptor": descriptor, "on_behalf_of_id": self._ref(r, "on_behalf_of", "actor"),
            "stance": stance, "quote": quote, "quote_kind": quote_kind, "cue": _text(r, "cue"),
            "channel": _text(r, "channel"), "context": _text(r, "context"),
            **_partial_columns("said", _date(r, "said", not_future=True)),
            "language": _text(r, "language"), "original_text": _text(r, "original_text"),
            "parent_id": self._ref(r, "parent", "statement"), "status": status, "status_reason": reason,
            "created_at": self.now, "version": 1,
        })
        self._set_local("statement", key, statement_id)
        self._created("statement")

    def _hop(self, r: dict[str, Any]) -> None:
        document_id = self._ref(r, "document", "document", required=True)
        statement_id = self._ref(r, "statement", "statement", required=True)
        assert document_id is not None and statement_id is not None
        key = r.get("key") or f"hop-{slug(str(r['document']), 40)}-{slug(str(r['statement']), 40)}"
        existing = self._known("hop", key)
        if existing is None:
            existing = self._hop_pair(document_id, statement_id)
        if existing is not None:
            self._set_local("hop", key, existing)
            self._matched("hop")
            return
        primary = r.get("primary", False)
        if primary is None:
            primary = False
        if not isinstance(primary, bool):
            raise RecordError(f"primary must be true or false, got {primary!r}")
        via_hop = self._ref(r, "via_hop", "hop")
        if primary and via_hop is not None:
            raise RecordError("a primary hop (the speaker's own words) cannot rely on a via_hop")
        status, reason = self._status(r)
        hop_id = self._take_id("hops")
        self._row("hops", {
            "status": status, "status_reason": reason,
            "id": hop_id, "key": key, "document_id": document_id, "statement_id": statement_id,
            "via_hop_id": via_hop, "via_actor_id": self._ref(r, "via_actor", "actor"),
            "cue": _text(r, "cue"), "quote": _text(r, "quote"), "is_primary": primary, "created_at": self.now,
        })
        self._set_local("hop", key, hop_id)
        self._local_updates.append(lambda: self.hop_pairs.__setitem__((document_id, statement_id), hop_id))
        self._created("hop")

    def _hop_pair(self, document_id: int, statement_id: int) -> int | None:
        found = self.hop_pairs.get((document_id, statement_id))
        if found is not None:
            return found
        for table, row in self._local_rows:
            if table == "hops" and row["document_id"] == document_id and row["statement_id"] == statement_id:
                return row["id"]
        if statement_id in self._hop_checked:
            return None  # its existing hops were loaded for this chunk
        if self._preexisting("documents", document_id) and self._preexisting("statements", statement_id):
            t = self.tables["hops"]
            return self.session.connection().execute(
                select(t.c.id).where(t.c.document_id == document_id, t.c.statement_id == statement_id)
            ).scalar()
        return None

    def _relation(self, r: dict[str, Any]) -> None:
        source = self._ref(r, "source", "claim", required=True)
        target = self._ref(r, "target", "claim", required=True)
        assert source is not None and target is not None
        kind = _choice(RelationType, r.get("relation"), "relation")
        if kind is None:
            raise RecordError("relation is required (contradicts, supports, same_as or refines)")
        if source == target:
            raise RecordError("a claim cannot be related to itself")
        score = _number(r, "score")
        if score is not None and not 0 <= score <= 1:
            raise RecordError(f"score must be between 0 and 1, got {score}")
        signature = (source, target, kind)
        if signature in self.relations or self._relation_exists(source, target, kind):
            self._matched("relation")
            return
        decided_by = _text(r, "decided_by")
        relation_status = _choice(RelationStatus, r.get("status"), "status", RelationStatus.CONFIRMED.value)
        relation_reason = _text(r, "status_reason")
        if relation_status in (RelationStatus.RETRACTED.value, RelationStatus.DEPRECATED.value) \
                and relation_reason is None:
            raise RecordError(f"status {relation_status!r} needs a status_reason")
        self._row("claim_relations", {
            "status_reason": relation_reason,
            "id": self._take_id("claim_relations"), "source_claim_id": source, "target_claim_id": target,
            "type": kind, "status": relation_status,
            "score": score, "note": _text(r, "note"), "created_by": _text(r, "created_by"),
            "created_at": self.now, "decided_by": decided_by, "decided_at": self.now if decided_by else None,
            "version": 1,
        })
        self._local_updates.append(lambda: self.relations.add(signature))
        self._created("relation")

    def _relation_exists(self, source: int, target: int, kind: str) -> bool:
        if not self._preexisting("claims", source, target):
            return False
        t = self.tables["claim_relations"]
        query = select(t.c.id).where(t.c.source_claim_id == source, t.c.target_claim_id == target, t.c.type == kind)
        return self.session.connection().execute(query).first() is not None

    def _verdict(self, r: dict[str, Any]) -> None:
        key = r.get("key")
        if key is not None and self._known("verdict", key) is not None:
            self._matched("verdict")
            return
        claim_id = self._ref(r, "claim", "claim", required=True)
        label = _text(r, "label", required=True)
        value, best, worst = _number(r, "rating_value"), _number(r, "best"), _number(r, "worst")
        if best is not None and worst is not None:
            if best == worst:
                raise RecordError(f"best and worst are both {best}: the scale is empty")
            if value is not None and not min(best, worst) <= value <= max(best, worst):
                raise RecordError(f"rating_value {value} lies outside the scale {worst}..{best}")
        evidence = r.get("evidence_urls") or []
        if not isinstance(evidence, list) or not all(isinstance(u, str) for u in evidence):
            raise RecordError("evidence_urls must be a list of URLs")
        for url in evidence:
            check_text(url, "evidence_urls")
        status, reason = self._status(r)
        if key is None:
            key = f"verdict-{slug(str(r.get('reviewer') or 'unknown'), 30)}-{slug(str(label), 30)}-{record_digest(r)}"
            if self._known("verdict", key) is not None:
                self._matched("verdict")
                return
        verdict_id = self._take_id("verdicts")
        self._row("verdicts", {
            "id": verdict_id, "key": key, "claim_id": claim_id, "label": label, "rating_value": value,
            "best": best, "worst": worst, "reviewer_id": self._ref(r, "reviewer", "actor"),
            **_partial_columns("reviewed", _date(r, "reviewed")), "url": _text(r, "url"),
            "explanation": _text(r, "explanation"), "license": _text(r, "license"), "evidence_urls": evidence, "language": _text(r, "language"),
            "status": status, "status_reason": reason, "created_at": self.now, "version": 1,
        })
        self._set_local("verdict", key, verdict_id)
        self._created("verdict")

    # ------------------------------------------------------------------ writing

    def _trim(self) -> None:
        """Drop the maps when they grow large; everything in them has been written."""
        if self.dry_run:
            return  # nothing is written on a dry run, so the maps are the only record
        size = (sum(len(m) for m in self.ids.values()) + len(self.claim_by_hash) + len(self.doc_by_url)
                + len(self.actor_by_ext) + len(self.hop_pairs))
        if size <= MAX_MAP_ENTRIES:
            return
        for mapping in (*self.ids.values(), *self.missing.values()):
            mapping.clear()  # type: ignore[attr-defined]
        for other in (self.claim_by_hash, self.claim_hash_missing, self.doc_by_url, self.doc_url_missing,
                      self.actor_by_ext, self.ext_missing, self.hop_pairs, self.affiliations, self.relations,
                      self.first_use):
            other.clear()
        self.trimmed = True
        self.known_from = dict(self.next_id)

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


#: reference fields per record type: (field, record type of the key)
_REF_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "actor": (("merged_into", "actor"),),
    "affiliation": (("actor", "actor"), ("organization", "actor")),
    "document": (("outlet", "actor"),),
    "statement": (("claim", "claim"), ("speaker", "actor"), ("on_behalf_of", "actor"), ("parent", "statement")),
    "hop": (("document", "document"), ("statement", "statement"), ("via_hop", "hop"), ("via_actor", "actor")),
    "relation": (("source", "claim"), ("target", "claim")),
    "verdict": (("claim", "claim"), ("reviewer", "actor")),
}


def _fingerprint(record: dict[str, Any]) -> int:
    """Content identity of a record: field order and absent-vs-empty fields do not count."""
    return hash(_freeze({k: v for k, v in record.items()
                         if not (v is None or v is False or v == "" or v == [] or v == {})}))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _advance_sequence(connection: Connection, table: str, top: int) -> None:
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


def _reject_line(line: int | None, reason: str, raw: Any) -> str:
    """One line of the --skip-bad file: standard JSON whatever the record held."""
    entry = {"line": line, "reason": reason, "record": raw}
    try:
        text_ = json.dumps(entry, ensure_ascii=False, default=str, allow_nan=False)
        text_.encode("utf-8")
        return text_
    except UnicodeEncodeError:  # a lone surrogate: written as its JSON escape
        pass
    except (ValueError, RecursionError):  # Infinity (not JSON), or nested too deep: keep its repr
        return json.dumps({"line": line, "reason": reason, "record": _short(raw)})
    try:
        return json.dumps(entry, default=str, allow_nan=False)
    except (ValueError, RecursionError):
        return json.dumps({"line": line, "reason": reason, "record": _short(raw)})


def _describe(record: Any) -> str:
    """"statement 'x': " — which record failed, so the message names it."""
    if not isinstance(record, dict) or not isinstance(record.get("type"), str) or record["type"] not in FIELDS:
        return ""
    key = record.get("key")
    return f"{record['type']} {key!r}: " if isinstance(key, str) else f"{record['type']}: "


def _setter(mapping: dict[Any, int], key: Any, value: int) -> Callable[[], None]:
    """A deferred `mapping[key] = value`, applied when the item is accepted."""
    return lambda: mapping.__setitem__(key, value)


def _chunks(items: Iterable[Item | Bad], size: int) -> Iterator[list[Item | Bad]]:
    chunk: list[Item | Bad] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _batched(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def run_import(session: Session, items: Iterable[Item | Bad], summary: ImportSummary, *, dry_run: bool = False,
               skip_bad: bool = False, rejects: TextIO | None = None,
               progress: Callable[[], None] | None = None) -> ImportSummary:
    """Apply `items` and, unless dry-running, record the one `import` event."""
    applier = Applier(session, summary, dry_run=dry_run, skip_bad=skip_bad, rejects=rejects, progress=progress)
    applier.run(items)
    if not dry_run:
        from claimtrack.services.events import record_event

        segments = {name: builder.payload() for name, builder in sorted(applier.segments.items())}
        record_event(session, "import", object_type="import", after={
            "file": summary.file, "sha256": summary.sha256, "format": summary.format,
            "counts": summary.to_dict()["counts"], "id_ranges": summary.id_ranges,
            "rejected": summary.rejected,
        }, row_hashes={"segments": segments} if segments else None)
    return summary
