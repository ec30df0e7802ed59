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

The package, one module per record kind over the shared machinery:
- `applier.py` — `Applier` (drives an import: chunks, items all or nothing, failures) and
  `run_import` (the one `import` event);
- `resolve.py` — `Resolver`: the key -> id maps, their prefetching, ids, rows staged per item;
- `bulk.py` — `BulkWriter`: buffered executemany / COPY, row hashes, deferred full-text index;
- `fields.py` — reading and checking fields (text, numbers, dates, URLs, vocabulary, status);
- `actors.py` (actors, affiliations), `documents.py`, `claims.py`, `statements.py`, `hops.py`,
  `relations.py`, `verdicts.py` — each record kind's identity rule and row.

The bounds below are read at call time from this package, so a test may scale them down.
"""

from __future__ import annotations

from typing import Any

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
#: an import writing at least this many rows, and at least a tenth of what the tables held,
#: refreshes the query planner's statistics at its end (ANALYZE, bulk.py)
ANALYZE_ROWS = 50_000
#: parsed dates by (text, not_future), shared by the imports of one process
_DATE_CACHE: dict[tuple[str, bool], Any] = {}

from claimtrack.formats.apply.applier import RECORD_KINDS, Applier, run_import
from claimtrack.formats.apply.fields import (
    FIELDS,
    QUANTITY_FIELDS,
    RecordError,
    check_text,
    record_digest,
)
from claimtrack.formats.apply.resolve import KEY_TABLES, REPEAT_CHECKED, TABLE_ORDER

__all__ = [
    "ANALYZE_ROWS", "BATCH_ROWS", "CHUNK_ITEMS", "DATE_CACHE_ENTRIES", "FIELDS", "KEY_TABLES", "LOOKUP_BATCH",
    "MAX_FAILURES", "MAX_MAP_ENTRIES", "QUANTITY_FIELDS", "RECORD_KINDS", "REPEAT_CHECKED",
    "TABLE_ORDER", "Applier", "RecordError", "check_text", "record_digest", "run_import",
]
