"""Import and export formats: a registry of readers and exporters, imported lazily.

A reader turns a file into native records (`claimtrack.formats.plan.Item`), which
`claimtrack.formats.apply` resolves and writes in bulk; an exporter writes the database to a
text stream: `export(session, stream, **options) -> None`.
See docs/formats.md for every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TextIO

from claimtrack.errors import ImportFailed, InvalidInput

#: format name -> "module:function" of its reader (function(source, **options) -> Iterator[Item | Bad])
READERS: dict[str, str] = {
    "jsonl": "claimtrack.formats.native:read_jsonl",
    "json": "claimtrack.formats.native:read_json",
    "claimreview": "claimtrack.formats.claimreview:read_claimreview",
    "google-factcheck": "claimtrack.formats.google_factcheck:read_google_factcheck",
    "liar": "claimtrack.formats.liar:read_liar",
    "emergent": "claimtrack.formats.emergent:read_emergent",
    "polnear": "claimtrack.formats.polnear:read_polnear",
    "csv": "claimtrack.formats.csv_map:read_csv",
}

#: format name -> "module:function" of its exporter (function(session, stream, **options) -> None)
EXPORTERS: dict[str, str] = {
    "jsonl": "claimtrack.formats.native:export_jsonl",
    "json": "claimtrack.formats.native:export_json",
    "claimreview": "claimtrack.formats.claimreview_export:export_claimreview",
    "prov": "claimtrack.formats.prov:export_prov",
    "csv": "claimtrack.formats.csv_export:export_csv",
}

IMPORT_FORMATS = ("auto", *READERS)
EXPORT_FORMATS = tuple(EXPORTERS)


def _load(spec: str, what: str) -> Callable[..., Any]:
    module_name, _, function = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise InvalidInput(f"the {what} is not available in this claimtrack ({module_name} is missing)") from None
        raise
    try:
        return getattr(module, function)
    except AttributeError:
        raise InvalidInput(f"the {what} is not available in this claimtrack ({spec} is missing)") from None


def get_exporter(name: str) -> Callable[..., None]:
    """The exporter registered under `name`; InvalidInput naming the known formats otherwise."""
    if name not in EXPORTERS:
        raise InvalidInput(f"unknown export format {name!r}; expected one of: {', '.join(EXPORTERS)}")
    return _load(EXPORTERS[name], f"{name} exporter")


def get_reader(name: str) -> Callable[..., Any]:
    if name not in READERS:
        raise InvalidInput(f"unknown import format {name!r}; expected one of: {', '.join(IMPORT_FORMATS)}")
    return _load(READERS[name], f"{name} importer")


def export(session: Any, format: str, stream: TextIO, **options: Any) -> None:
    """Write the database (or the claims named in options['claims']) to `stream` in `format`."""
    get_exporter(format)(session, stream, **options)


def import_file(
    session: Any,
    path: str | Path | IO[bytes],
    format: str = "auto",
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    rejects: TextIO | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    source_name: str | None = None,
    **options: Any,
) -> Any:
    """Import one file (or directory, for polnear) into the session's transaction.

    Returns an ImportSummary. All or nothing: the first bad record raises ImportFailed (the
    caller's transaction then rolls back) unless `skip_bad`, which writes each rejected item to
    `rejects` and keeps going. `dry_run` resolves everything and writes nothing.
    """
    from claimtrack.formats.apply import run_import
    from claimtrack.formats.detect import check_format, detect_format
    from claimtrack.formats.plan import ImportSummary
    from claimtrack.formats.source import Source

    source = Source.of(path, source_name)
    if source.path is not None and not source.path.exists():
        raise ImportFailed(f"{source.name}: no such file")
    if source.path is not None and source.path.is_file() and source.size == 0:
        raise ImportFailed(f"{source.name} is empty: nothing to import")
    if format == "auto":
        format = detect_format(source, options)
    else:
        check_format(source, format, options)
    reader = get_reader(format)
    summary = ImportSummary(file=source.name, format=format, sha256=source.sha256(), dry_run=dry_run)
    tick: Callable[[], None] | None = None
    if progress is not None:
        total = source.size
        counter = [0]

        def tick() -> None:
            counter[0] += 1
            if counter[0] % 500 == 0:
                done = source.counter.bytes_read if source.counter is not None else counter[0]
                progress(done, total)

    date_order = options.pop("date_order", None)
    preview_rows = options.pop("preview", 0)
    items = reader(source, **options)
    if date_order is not None:
        items = _dates_in_order(items, date_order)
    if dry_run and preview_rows:
        items = _previewed(items, summary, preview_rows)
    return run_import(session, items, summary, dry_run=dry_run, skip_bad=skip_bad, rejects=rejects, progress=tick)


def import_native(session: Any, path_or_stream: str | Path | IO[bytes], *, source_name: str | None = None,
                  **options: Any) -> Any:
    """Import a native file (jsonl, or json when the name ends in .json) inside the caller's write session."""
    name = source_name or str(getattr(path_or_stream, "name", path_or_stream))
    format = "json" if name.endswith(".json") else "jsonl"
    return import_file(session, path_or_stream, format, source_name=source_name, **options)


#: record fields that hold partial dates
DATE_FIELDS = ("published", "said", "reviewed", "start", "end")


def _dates_in_order(items: Any, order: str) -> Any:
    """Rewrite each record's dates to ISO, reading numeric ones in `order` (--date-order DMY…);
    an item with an unreadable date becomes a Bad naming the record and the field."""
    from claimtrack.dates import DATE_ORDERS, parse_date
    from claimtrack.formats.plan import Bad, Item

    if order not in DATE_ORDERS:
        raise InvalidInput(f"--date-order {order!r}; expected one of: {', '.join(DATE_ORDERS)}")
    for item in items:
        if not isinstance(item, Item):
            yield item
            continue
        try:
            item.records = [_record_dates(record, order, parse_date) for record in item.records]
        except InvalidInput as exc:
            yield Bad(item.line, str(exc), item.raw if item.raw is not None else item.records, unit=item.unit)
            continue
        yield item


def _record_dates(record: Any, order: str, parse_date: Callable[..., Any]) -> Any:
    if not isinstance(record, dict):
        return record
    changed = None
    for field in DATE_FIELDS:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            try:
                iso = str(parse_date(value, field, order=order))
            except InvalidInput as exc:
                key = record.get("key")
                label = f"{record.get('type')} {key!r}: " if isinstance(key, str) else f"{record.get('type')}: "
                raise InvalidInput(f"{label}{exc}") from None
            if iso != value:
                changed = changed or dict(record)
                changed[field] = iso
    return changed or record


def _previewed(items: Any, summary: Any, rows: int) -> Any:
    """Pass items through, keeping the first `rows` items' records (without empty fields) in
    the summary: `import --dry-run` shows a mapping at work before anything is written."""
    from claimtrack.formats.plan import Item

    for item in items:
        if isinstance(item, Item) and len(summary.preview) < rows:
            summary.preview.append({"line": item.line, "records": [
                {k: v for k, v in record.items() if v not in (None, "", [], False)} for record in item.records
                if isinstance(record, dict)]})
        yield item
