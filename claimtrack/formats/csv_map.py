"""Any CSV/TSV, mapped with `--map FIELD=COLUMN` or a mapping file (see docs/formats.md, "CSV").

Columns are named by their header, or by number from 1 (`--map claim=5`, and with `--no-header`
only by number). The delimiter is comma, tab (`.tsv`), semicolon or pipe, detected from the
first line unless `--delimiter` says; a UTF-8 BOM is ignored. Value maps (`--values
stance=agree:confirms,…`) turn a dataset's own words into claimtrack's vocabulary; a value the
map does not list is a row error naming the value and the map.

The records a row stands for are built by `claimtrack.formats.csv_rows`; keys are described
there. A mapping file (TOML) holds everything the options can say:

    delimiter = ";"            # optional
    header = false             # optional: columns by number
    date_order = "DMY"         # optional
    [map]
    claim = 5
    speaker = "Who"
    [values.stance]
    agree = "confirms"
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimtrack.errors import ImportFailed, InvalidInput
from claimtrack.formats.csv_rows import FIELDS, row_records
from claimtrack.formats.plan import Bad, Item
from claimtrack.formats.source import CsvRows, Source, decode_text_lines

#: delimiters detected from the first line, in order of preference on a tie
DELIMITERS = (",", "\t", ";", "|")
#: the keys a mapping file may hold
MAPPING_KEYS = ("map", "values", "delimiter", "header", "date_order", "format")


def parse_values(specs: list[str] | None) -> dict[str, dict[str, str]]:
    """`stance=agree:confirms,disagree:disputes` (repeatable) -> {"stance": {"agree": "confirms", …}}."""
    out: dict[str, dict[str, str]] = {}
    for spec in specs or []:
        field, sep, pairs = spec.partition("=")
        field = field.strip()
        if not sep or not field or not pairs.strip():
            raise InvalidInput(f"--values {spec!r} is not FIELD=VALUE:WORD,… "
                               "(e.g. stance=agree:confirms,disagree:disputes)")
        if field not in FIELDS:
            raise InvalidInput(f"--values: unknown field {field!r}; expected one of: {', '.join(FIELDS)}")
        table = out.setdefault(field, {})
        for pair in pairs.split(","):
            source, colon, target = pair.partition(":")
            if not colon or not source.strip():
                raise InvalidInput(f"--values {field}: {pair!r} is not VALUE:WORD (e.g. agree:confirms)")
            table[source.strip().casefold()] = target.strip()
    return out


def load_mapping(path: Path) -> dict[str, Any]:
    """A mapping file's options (mapping, values, delimiter, header, date_order); InvalidInput
    naming the file and the key otherwise."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"--mapping {path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"--mapping {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"--mapping {path}: not TOML ({exc})") from None
    unknown = [k for k in data if k not in MAPPING_KEYS]
    if unknown:
        raise InvalidInput(f"--mapping {path}: unknown key {unknown[0]!r}; expected: {', '.join(MAPPING_KEYS)}")
    options: dict[str, Any] = {}
    columns = data.get("map", {})
    if not isinstance(columns, dict):
        raise InvalidInput(f"--mapping {path}: map must be a table of FIELD = \"COLUMN\" or FIELD = NUMBER")
    mapping: dict[str, str] = {}
    for field, column in columns.items():
        if field not in FIELDS:
            raise InvalidInput(f"--mapping {path}: map.{field}: unknown field {field!r}; expected one of: {', '.join(FIELDS)}")
        if isinstance(column, bool) or not isinstance(column, (str, int)):
            raise InvalidInput(f"--mapping {path}: map.{field} must be a column name or number, got {column!r}")
        mapping[field] = str(column)
    options["mapping"] = mapping
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise InvalidInput(f"--mapping {path}: values must hold one table per field (values.stance)")
    value_maps: dict[str, dict[str, str]] = {}
    for field, table in values.items():
        if field not in FIELDS:
            raise InvalidInput(f"--mapping {path}: values.{field}: unknown field; expected one of: {', '.join(FIELDS)}")
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise InvalidInput(f"--mapping {path}: values.{field} must map each value to a word (agree = \"confirms\")")
        value_maps[field] = {str(k).strip().casefold(): v.strip() for k, v in table.items()}
    if value_maps:
        options["values"] = value_maps
    for key, kind in (("delimiter", str), ("header", bool), ("date_order", str)):
        if key in data:
            if not isinstance(data[key], kind):
                raise InvalidInput(f"--mapping {path}: {key} must be {'true or false' if kind is bool else 'text'}")
            options[key] = data[key]
    if "delimiter" in options:
        options["delimiter"] = "\t" if options["delimiter"] in ("\\t", "tab") else options["delimiter"]
        if len(options["delimiter"]) != 1:
            raise InvalidInput(f"--mapping {path}: delimiter must be one character (or \\t)")
    if "date_order" in options:
        from claimtrack.dates import DATE_ORDERS

        options["date_order"] = options["date_order"].strip().upper()
        if options["date_order"] not in DATE_ORDERS:
            raise InvalidInput(f"--mapping {path}: date_order must be one of: {', '.join(DATE_ORDERS)}")
    return options


def detect_delimiter(line: str) -> str:
    """The delimiter that splits the first line into the most columns (quotes respected)."""
    best, best_count = ",", 1
    for candidate in DELIMITERS:
        count = len(next(csv.reader([line], delimiter=candidate), []))
        if count > best_count:
            best, best_count = candidate, count
    return best


def _column_index(field: str, column: str, header: list[str] | None, width: int, name: str) -> int:
    if header is not None and column in header:
        return header.index(column)
    if column.isdigit():
        number = int(column)
        if 1 <= number <= width:
            return number - 1
        raise ImportFailed(f"{name}: --map {field}={column}: there is no column {number}; "
                           f"the first row has {width} column{'s' if width != 1 else ''}")
    if header is None:
        raise ImportFailed(f"{name}: --map {field}={column}: without a header, name columns by number "
                           f"(1 to {width})")
    shown = ", ".join(h if len(h) <= 40 else h[:39] + "…" for h in header[:30])
    raise ImportFailed(f"{name}, line 1: --map {field}={column}: there is no column {column!r}; "
                       f"the header has: {shown}{', …' if len(header) > 30 else ''}")


def read_csv(source: Source, *, mapping: dict[str, str] | None = None, delimiter: str | None = None,
             values: dict[str, dict[str, str]] | None = None, header: bool = True,
             **_options: Any) -> Iterator[Item | Bad]:
    mapping = dict(mapping or {})
    if "claim" not in mapping:
        raise ImportFailed("csv import needs --map claim=COLUMN (the column holding the claim)")
    unknown = [f for f in mapping if f not in FIELDS]
    if unknown:
        raise ImportFailed(f"--map: unknown field {unknown[0]!r}; expected one of: {', '.join(FIELDS)}")
    values = values or {}
    with source.open() as stream:
        lines = decode_text_lines(source, stream)
        first = next(lines, None)
        blank = 0
        while first is not None and not first.strip():
            first, blank = next(lines, None), blank + 1
        if first is None:
            raise ImportFailed(f"{source.name} is empty: nothing to import")
        if delimiter is None:
            delimiter = "\t" if source.name.lower().endswith(".tsv") else detect_delimiter(first)

        def all_lines() -> Iterator[str]:
            yield first
            yield from lines

        reader = CsvRows(source, all_lines(), delimiter=delimiter)
        top = next(reader)
        names = [h.strip().lstrip("\ufeff") for h in top] if header else None
        index = {field: _column_index(field, column, names, len(top), source.name)
                 for field, column in mapping.items()}
        width = len(top)
        pending = [] if header else [top]
        for row in _rows(pending, reader):
            line = reader.line_num + blank
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != width:
                what = "the header has" if header else "the first row has"
                yield Bad(line, f"{len(row)} columns; {what} {width}", row)
                continue
            raw = {field: row[i].strip() or None for field, i in index.items()}
            try:
                yield Item(line, row_records(raw, values), raw)
            except ValueError as exc:
                yield Bad(line, str(exc), raw)


def _rows(pending: list[list[str]], reader: Any) -> Iterator[list[str]]:
    yield from pending
    yield from reader
