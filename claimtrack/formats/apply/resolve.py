"""Key resolution for one import: the key -> id maps, ids taken, rows staged per item.

Items are taken in chunks; for each chunk the keys (and claim hashes, URLs, external ids) that
the chunk mentions and that are not yet known are looked up in the database with one query per
table (`prefetch`), so memory holds key -> id maps for what the file references, never the
records themselves. Ids are assigned here, from each table's maximum upwards (the import holds
the write lock, so they form one contiguous range per table).

A record module (actors.py, claims.py, …) sees one item at a time through this class: `known` /
`ref` resolve keys, `take_id` and `row` stage a new row, `set_local` names it, `defer` keeps a
map update until the item is accepted, `created` / `matched` count the outcome. What an item
staged is merged into the maps and buffers only when every record of it is valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, Table, select, text, tuple_
from sqlalchemy.orm import Session

from claimtrack.formats import apply as settings
from claimtrack.formats.apply.fields import RecordError, normalized_url, storable
from claimtrack.formats.plan import Bad, ImportSummary, Item
from claimtrack.models import Base
from claimtrack.normalize import claim_hash

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
#: formats whose keys name one source record each (native keys, LIAR and Emergent ids): there,
#: one key with two contents is an error. Other readers key actors and documents by a slug or
#: URL on purpose, so that rows naming the same speaker or page share one record.
REPEAT_CHECKED = frozenset({"jsonl", "json", "liar", "emergent"})
#: reference fields per record type: (field, record type of the key)
REF_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "actor": (("merged_into", "actor"),),
    "affiliation": (("actor", "actor"), ("organization", "actor")),
    "document": (("outlet", "actor"), ("merged_into", "document")),
    "claim": (("merged_into", "claim"),),
    "statement": (("claim", "claim"), ("speaker", "actor"), ("on_behalf_of", "actor"), ("parent", "statement")),
    "hop": (("document", "document"), ("statement", "statement"), ("via_hop", "hop"), ("via_actor", "actor")),
    "relation": (("source", "claim"), ("target", "claim")),
    "verdict": (("claim", "claim"), ("reviewer", "actor")),
}


class Resolver:
    """The maps, ids and staged rows of one import (see the module docstring)."""

    def __init__(self, session: Session, summary: ImportSummary, *, dry_run: bool = False) -> None:
        self.session = session
        self.summary = summary
        self.dry_run = dry_run
        self.tables: dict[str, Table] = dict(Base.metadata.tables)
        self.limits = {
            name: {c.name: c.type.length for c in table.columns
                   if isinstance(c.type, String) and c.type.length}
            for name, table in self.tables.items()
        }
        self.now = datetime.now(UTC)
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
        self.hop_checked: set[int] = set()
        self.first_id: dict[str, int] = {}
        self.next_id: dict[str, int] = {}
        #: per table, the first id whose relations (hop pairs, …) are still tracked in memory
        self.known_from: dict[str, int] = {}
        # group-local state (one item), merged into the above when the item is accepted
        self.local_ids: dict[str, dict[str, int]] = {}
        self.local_rows: list[tuple[str, dict[str, Any]]] = []
        self.local_counts: list[tuple[str, str]] = []
        self.local_updates: list[Callable[[], None]] = []
        #: native files: (type, key) -> (line, unit, content fingerprint) of the record that used
        #: the key first in this file, so a second record with the key and other content is an error
        self.check_repeats = summary.format in REPEAT_CHECKED
        self.first_use: dict[tuple[str, str], tuple[int | None, str, int]] = {}

    # ------------------------------------------------------------------ what record modules use

    def known(self, kind: str, key: str) -> int | None:
        local = self.local_ids.get(kind)
        if local and key in local:
            return local[key]
        return self.ids[kind].get(key)


    def ref(self, record: dict[str, Any], field: str, kind: str, *, required: bool = False) -> int | None:
        value = record.get(field)
        if value is None or value == "":
            if required:
                raise RecordError(f"{field} is required (the key of a {kind})")
            return None
        if not isinstance(value, str):
            raise RecordError(f"{field} must be the key of a {kind} (text), got {value!r}")
        found = self.known(kind, value)
        if found is None:
            raise RecordError(f"{field} {value!r} is not the key of a {kind} earlier in the file or in the database")
        return found


    def set_local(self, kind: str, key: str, id_: int) -> None:
        self.local_ids.setdefault(kind, {})[key] = id_


    def take_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value


    def row(self, table: str, row: dict[str, Any]) -> None:
        limits = self.limits[table]
        for column, length in limits.items():
            value = row.get(column)
            if value is not None and len(value) > length:
                raise RecordError(f"{column} is longer than {length} characters ({len(value)})")
        self.local_rows.append((table, row))


    def defer(self, update: Callable[[], None]) -> None:
        """Run `update` (a map change) once the item being applied is accepted."""
        self.local_updates.append(update)

    def created(self, kind: str) -> None:
        self.local_counts.append((kind, "created"))


    def matched(self, kind: str) -> None:
        self.local_counts.append((kind, "matched"))


    def preexisting(self, table: str, *ids: int | None) -> bool:
        """True when every id was in the database before this import (so a DB lookup is needed)."""
        # rows from before the last trim left the in-memory maps: for them, ask the database
        first = self.known_from[table]
        return all(i is None or i < first for i in ids)


    # ------------------------------------------------------------------ looking keys up

    def prefetch(self, chunk: list[Item | Bad]) -> None:
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
                if isinstance(key, str) and kind in wanted and storable(key):
                    wanted[kind].add(key)
                for field, target in REF_FIELDS.get(kind, ()):
                    value = record.get(field)
                    if isinstance(value, str) and storable(value):
                        wanted[target].add(value)
                if kind == "claim" and isinstance(record.get("text"), str) and storable(record["text"]):
                    hashes.add(claim_hash(record["text"]))
                elif kind == "document" and isinstance(record.get("url"), str) and storable(record["url"]):
                    try:
                        urls.add(normalized_url(record["url"]))
                    except RecordError:
                        pass  # reported when the record is applied
                elif kind == "actor" and isinstance(record.get("external_ids"), dict):
                    for scheme, values in record["external_ids"].items():
                        for value in values if isinstance(values, list) else [values]:
                            if isinstance(value, str) and storable(value) and storable(str(scheme)):
                                exts.add((scheme, value))
        connection = self.session.connection()
        for kind, keys in wanted.items():
            if not self.may_exist(KEY_TABLES[kind]):
                continue
            todo = [k for k in keys if k not in self.ids[kind] and k not in self.missing[kind]]
            if not todo:
                continue
            found = self.ids[kind]
            for key, id_ in self._lookup(connection, KEY_TABLES[kind], "key", todo):
                found[key] = id_
            self.missing[kind].update(k for k in todo if k not in found)
        todo_h = [h for h in hashes if h not in self.claim_by_hash and h not in self.claim_hash_missing]
        if todo_h and self.may_exist("claims"):
            for h, id_ in self._lookup(connection, "claims", "text_hash", todo_h):
                self.claim_by_hash[h] = id_
            self.claim_hash_missing.update(h for h in todo_h if h not in self.claim_by_hash)
        todo_u = [u for u in urls if u not in self.doc_by_url and u not in self.doc_url_missing]
        if todo_u and self.may_exist("documents"):
            for u, id_ in self._lookup(connection, "documents", "url_normalized", todo_u):
                self.doc_by_url[u] = id_
            self.doc_url_missing.update(u for u in todo_u if u not in self.doc_by_url)
        todo_e = [e for e in exts if e not in self.actor_by_ext and e not in self.ext_missing]
        if todo_e and self.may_exist("external_ids"):
            ext = self.tables["external_ids"]
            for part in batched(todo_e, settings.LOOKUP_BATCH):
                rows = connection.execute(select(ext.c.scheme, ext.c.value, ext.c.actor_id)
                                          .where(tuple_(ext.c.scheme, ext.c.value).in_(part)))
                for scheme, value, actor_id in rows:
                    self.actor_by_ext[(scheme, value)] = actor_id
            self.ext_missing.update(e for e in todo_e if e not in self.actor_by_ext)
        self._prefetch_hop_pairs(chunk)


    def may_exist(self, table: str) -> bool:
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
        for part in batched(values, settings.LOOKUP_BATCH):
            if postgresql:
                query = text(f"SELECT {column}, id FROM {table_name} WHERE {column} = ANY(:values)")
                rows = connection.execute(query, {"values": part})
            else:
                rows = connection.execute(select(table.c[column], table.c.id).where(table.c[column].in_(part)))
            yield from ((value, id_) for value, id_ in rows)


    def _prefetch_hop_pairs(self, chunk: list[Item | Bad]) -> None:
        """Existing hops of the statements this chunk's hops name, in one query: otherwise every
        hop of an older statement would need its own lookup for the (document, statement) rule."""
        self.hop_checked = set()
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
        for part in batched(sorted(statement_ids), settings.LOOKUP_BATCH):
            if postgresql:  # one array parameter, as in _lookup
                rows = connection.execute(text("SELECT document_id, statement_id, id FROM hops "
                                               "WHERE statement_id = ANY(:ids)"), {"ids": part})
            else:
                rows = connection.execute(select(hops.c.document_id, hops.c.statement_id, hops.c.id)
                                          .where(hops.c.statement_id.in_(part)))
            for document_id, statement_id, hop_id in rows:
                self.hop_pairs[(document_id, statement_id)] = hop_id
        self.hop_checked = statement_ids


    def trim(self) -> None:
        """Drop the maps when they grow large; everything in them has been written."""
        if self.dry_run:
            return  # nothing is written on a dry run, so the maps are the only record
        size = (sum(len(m) for m in self.ids.values()) + len(self.claim_by_hash) + len(self.doc_by_url)
                + len(self.actor_by_ext) + len(self.hop_pairs))
        if size <= settings.MAX_MAP_ENTRIES:
            return
        for mapping in (*self.ids.values(), *self.missing.values()):
            mapping.clear()  # type: ignore[attr-defined]
        for other in (self.claim_by_hash, self.claim_hash_missing, self.doc_by_url, self.doc_url_missing,
                      self.actor_by_ext, self.ext_missing, self.hop_pairs, self.affiliations, self.relations,
                      self.first_use):
            other.clear()
        self.trimmed = True
        self.known_from = dict(self.next_id)



def setter(mapping: dict[Any, int], key: Any, value: int) -> Callable[[], None]:
    """A deferred `mapping[key] = value`, applied when the item is accepted."""
    return lambda: mapping.__setitem__(key, value)


def chunks(items: Iterable[Item | Bad], size: int) -> Iterator[list[Item | Bad]]:
    chunk: list[Item | Bad] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def batched(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def merged_into(imp: Resolver, r: dict[str, Any], kind: str, status: str) -> int | None:
    """The survivor of a merged claim or document: an earlier record of the file or one in the
    database. A merged record is never retired as well (`retract` refuses a merged record), so
    such a pair is a mistake in the file. The survivor may be retired: it can be retracted after
    the merge, and the merged record then stays merged (out of every count either way)."""
    merged = imp.ref(r, "merged_into", kind)
    if merged is not None and status != "normal":
        raise RecordError(f"a merged {kind} cannot also be {status} (status); give merged_into "
                          "or a status, not both")
    return merged
