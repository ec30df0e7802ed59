"""The applier: drives one import over the record modules, one item at a time, all or nothing.

`run` reads the items in chunks (CHUNK_ITEMS), prefetches the keys each chunk mentions
(resolve.py), hands every record to the module of its kind (actors.py, documents.py, claims.py,
statements.py, hops.py, relations.py, verdicts.py), and writes the buffered rows in batches
(bulk.py). An item whose records are all valid is merged into the import; one bad record rejects
its whole item: without --skip-bad the import then fails with the reasons grouped (nothing is
written), with it the item goes to the rejects file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.errors import ImportFailed
from claimtrack.formats import apply as settings
from claimtrack.formats.apply.actors import apply_actor, apply_affiliation
from claimtrack.formats.apply.bulk import BulkWriter, advance_sequence
from claimtrack.formats.apply.claims import apply_claim
from claimtrack.formats.apply.documents import apply_document
from claimtrack.formats.apply.fields import (
    FIELDS,
    RecordError,
    check_text,
    describe,
    fingerprint,
    reject_line,
)
from claimtrack.formats.apply.hops import apply_hop
from claimtrack.formats.apply.relations import apply_relation
from claimtrack.formats.apply.resolve import TABLE_ORDER, Resolver, chunks, setter
from claimtrack.formats.apply.statements import apply_statement
from claimtrack.formats.apply.verdicts import apply_verdict
from claimtrack.formats.plan import Bad, ImportSummary, Item

#: record type -> the function that resolves and stages one record of it
RECORD_KINDS: dict[str, Callable[[Resolver, dict[str, Any]], None]] = {
    "actor": apply_actor, "affiliation": apply_affiliation, "document": apply_document,
    "claim": apply_claim, "statement": apply_statement, "hop": apply_hop,
    "relation": apply_relation, "verdict": apply_verdict,
}


class Applier(BulkWriter):
    """Resolves and writes native records for one import (see the package docstring)."""

    def __init__(self, session: Session, summary: ImportSummary, *, dry_run: bool = False,
                 skip_bad: bool = False, rejects: TextIO | None = None,
                 progress: Callable[[], None] | None = None) -> None:
        super().__init__(session, summary, dry_run=dry_run)
        self.skip_bad = skip_bad
        self.rejects = rejects
        self.progress = progress
        #: without --skip-bad: bad items seen, and the first one's message (the import then fails)
        self.failed = 0
        self.first_failure: str | None = None
        self._item: Item | None = None

    def run(self, items: Iterable[Item | Bad]) -> ImportSummary:
        self.session.flush()
        connection = self.session.connection()
        for name in TABLE_ORDER:
            table = self.tables[name]
            top = connection.execute(select(func.max(table.c.id))).scalar()
            self.first_id[name] = self.next_id[name] = (top or 0) + 1
            if top is None:
                self.empty_at_start.add(name)
        self.known_from = dict(self.first_id)
        seen_any = False
        for chunk in chunks(items, settings.CHUNK_ITEMS):
            seen_any = True
            self.prefetch(chunk)
            for entry in chunk:
                self.summary.items += 1
                if isinstance(entry, Bad):
                    self._reject(entry.line, entry.reason, entry.raw, entry.unit)
                else:
                    self._apply_item(entry)
                if self.progress is not None:
                    self.progress()
            if self.buffered >= settings.BATCH_ROWS:
                self._flush(bulk=True)
                self.trim()
        if not seen_any:
            raise ImportFailed(f"{self.summary.file} contains no records: nothing to import")
        if self.first_failure is not None:
            self._fail()
        self._flush()
        self._fill_full_text()
        self._analyze_if_large(connection)
        for name in TABLE_ORDER:
            if self.next_id[name] > self.first_id[name]:
                self.summary.id_ranges[name] = [self.first_id[name], self.next_id[name] - 1]
        if not self.dry_run and connection.dialect.name == "postgresql":
            for name in self.summary.id_ranges:
                advance_sequence(connection, name, self.next_id[name] - 1)
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
            if self.failed >= settings.MAX_FAILURES:
                self._fail(stopped=True)
            return
        self.summary.rejected += 1
        if self.rejects is not None:
            self.rejects.write(reject_line(line, reason, raw) + "\n")

    def _apply_item(self, item: Item) -> None:
        if item.skipped is not None:
            self.summary.count(item.skipped).skipped += 1
            return
        saved_next = dict(self.next_id)
        current: Any = None
        self._item = item
        self.local_ids = {}
        self.local_rows = []
        self.local_counts = []
        self.local_updates = []
        try:
            for record in item.records:
                current = record
                self._apply_record(record)
        except RecordError as exc:
            self.next_id = saved_next
            label = describe(current)
            raw = item.raw if item.raw is not None else (item.records[0] if len(item.records) == 1 else item.records)
            self._reject(item.line, f"{label}{exc}", raw, item.unit)
            for record in item.records:
                if isinstance(record, dict) and isinstance(record.get("type"), str) and record["type"] in FIELDS:
                    self.summary.count(record["type"]).skipped += 1
            return
        for kind, ids in self.local_ids.items():
            self.ids[kind].update(ids)
        for update in self.local_updates:
            update()
        for table, row in self.local_rows:
            self.buffers[table].append(row)
        self.buffered += len(self.local_rows)
        for kind, outcome in self.local_counts:
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
        RECORD_KINDS[kind](self, record)

    def _check_repeat(self, kind: str, key: str, record: dict[str, Any]) -> None:
        """A key used twice in one file must mean one record: else one of them is a mistake."""
        content = fingerprint(record)
        first = self.first_use.get((kind, key))
        if first is None:
            item = self._item
            use = (item.line if item else None, item.unit if item else "line", content)
            self.defer(setter(self.first_use, (kind, key), use))  # type: ignore[arg-type]
            return
        line, unit, seen = first
        if seen != content:
            raise RecordError(f"the key {key!r} was already given to a different {kind} at {unit} {line}; "
                              "one key names one record: give one of them another key")


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

