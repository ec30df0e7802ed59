"""Row hashes: one SHA-256 per row over a documented, versioned canonical encoding.

Encoding version 1 (docs/history.md, "Row hashes"), the same on SQLite and PostgreSQL:

    sha256( "claimtrack-row/1\\n" || table name || "\\n" || canonical JSON object )

The JSON object maps every column of the row whose value is not NULL to its value, keys in
sorted order, no spaces, UTF-8 (not \\u-escaped), and each value in one spelling by the
column's type:

| column type | spelling |
| --- | --- |
| integer | a JSON integer |
| boolean | `true` / `false` (SQLite's 0/1 included) |
| float | a JSON number, the shortest repr that reads back the same double (`3.0`, `0.1`); -0.0 is 0.0 |
| date | `"YYYY-MM-DD"` |
| timestamp | `"YYYY-MM-DDTHH:MM:SS.ffffffZ"`, in UTC (a stored value without a zone is UTC) |
| JSON | the value itself, as canonical JSON (sorted keys); JSON null is left out like NULL |
| text | the string as stored |

NULL columns are left out, so adding a nullable column (NULL in every existing row) does not
change any hash; any other change to a table's columns changes the encoding, and the migration
that makes it must record a re-hash event (claimtrack.services.rowtrack.record_rehash).

Every table of the model is covered except `events` itself (and `database_identity`, `audit_marks`). Pure functions, no session.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Table
from sqlalchemy.types import TypeDecorator, TypeEngine

ENCODING_VERSION = 1
PREFIX = f"claimtrack-row/{ENCODING_VERSION}\n"

#: tables whose rows are not hashed: the log itself, the database's identity (schema
#: metadata written by a migration, not data anyone logs), and how far each user's incremental
#: audit has read the log (bookkeeping of a read, logged by no event)
UNTRACKED = frozenset({"events", "database_identity", "audit_marks"})


def tracked_tables() -> list[Table]:
    """The model's tables whose rows carry hashes, in a stable order."""
    from claimtrack.models import Base

    return [table for name, table in sorted(Base.metadata.tables.items()) if name not in UNTRACKED]


def _kind(type_: TypeEngine[Any]) -> str:
    if isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance if hasattr(type_, "impl_instance") else type_.impl  # type: ignore[assignment]
    if isinstance(type_, Boolean):
        return "bool"
    if isinstance(type_, Integer):
        return "int"
    if isinstance(type_, Float):
        return "float"
    if isinstance(type_, DateTime):
        return "timestamp"
    if isinstance(type_, Date):
        return "date"
    if isinstance(type_, JSON):
        return "json"
    return "text"


def _invalid(value: Any) -> Any:
    # a value no claimtrack write produces (text in a REAL column, …): spelled so it can
    # never equal a valid one, so the row is reported instead of crashing the check
    return {"invalid": repr(value)}


def _int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _invalid(value)


def _bool(value: Any) -> Any:
    if value is True or value == 1:
        return True
    if value is False or value == 0:
        return False
    return _invalid(value)


def _float(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _invalid(value)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return _invalid(value)
    return 0.0 if number == 0 else number


def _date(value: Any) -> Any:
    if isinstance(value, datetime):
        return _invalid(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return _invalid(value)
    return _invalid(value)


_last_timestamp: tuple[datetime | None, str] = (None, "")


def format_timestamp(value: datetime) -> str:
    """UTC, microseconds, 'Z' (an import stamps every row with one time: the last is cached)."""
    global _last_timestamp
    if _last_timestamp[0] is value:
        return _last_timestamp[1]
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    text = moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"  # 4-digit year always
    _last_timestamp = (value, text)
    return text


def _timestamp(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return _invalid(value)
    if isinstance(value, datetime):
        return format_timestamp(value)
    return _invalid(value)


def _text(value: Any) -> Any:
    return value if isinstance(value, str) else _invalid(value)


def _sorted(value: Any) -> Any:
    """Objects with their keys in sorted order, at every depth (the encoder keeps order)."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return _invalid(value)
    return value


def _json_value(value: Any) -> Any:
    return _sorted(value)


def _json_text(value: Any) -> Any:
    if not isinstance(value, str):
        return _invalid(value)
    try:
        return _sorted(json.loads(value))
    except ValueError:
        return _invalid(value)


#: keys are put in sorted order by the row encoder and by `_sorted`
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


_NORMALIZERS = {"int": _int, "bool": _bool, "float": _float, "date": _date, "timestamp": _timestamp,
                "text": _text, "json": _json_value}


class RowEncoder:
    """Hashes the rows of one table, given as value sequences in `column_names` order.

    `json_as_text`: JSON columns arrive as their stored text (SQLite read without SQLAlchemy's
    result processing) rather than as Python values.
    """

    def __init__(self, table: Table, *, columns: Sequence[str] | None = None, json_as_text: bool = False) -> None:
        self.table_name = table.name
        names = sorted(columns if columns is not None else [c.name for c in table.columns])
        self.column_names = names
        kinds = []
        for name in names:
            kind = _kind(table.c[name].type) if name in table.c else "text"
            kinds.append(kind)
        self.kinds = kinds
        self._normalizers = [
            _json_text if kind == "json" and json_as_text else _NORMALIZERS[kind] for kind in kinds
        ]
        #: the Python type a column's values already have when no normalizing is needed
        #: (text as str, integers as int): those skip the normalizer call, the common case
        self._as_is: list[type | None] = [{"text": str, "int": int}.get(kind) for kind in kinds]
        self._columns = list(zip(names, self._as_is, self._normalizers, strict=True))
        self._prefix = (PREFIX + table.name + "\n").encode("utf-8")
        self._defaults = {}
        for column in table.columns:
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                self._defaults[column.name] = default.arg  # type: ignore[attr-defined]

    def hash_values(self, values: Sequence[Any]) -> bytes:
        """The row hash (32 bytes) of one row's values, in `column_names` order."""
        if len(values) != len(self._columns):
            raise ValueError(f"{self.table_name}: {len(values)} values for {len(self._columns)} columns")
        obj = {}
        for (name, as_is, normalize), value in zip(self._columns, values):
            if value is None:
                continue
            if type(value) is not as_is:
                value = normalize(value)
                if value is None:
                    continue
            obj[name] = value
        text = _encode(obj)
        return hashlib.sha256(self._prefix + text.encode("utf-8", "surrogatepass")).digest()

    def hash_mapping(self, row: dict[str, Any]) -> bytes:
        """The row hash of a row given as {column: value}; missing columns take their scalar default."""
        defaults = self._defaults
        return self.hash_values([row[name] if name in row else defaults.get(name) for name in self.column_names])


def select_sql(encoder: RowEncoder, where: str = "") -> str:
    """SELECT the encoder's columns, id first, in id order (quoted names: `user`, `key`…)."""
    columns = ", ".join(f'"{name}"' for name in encoder.column_names)
    return f'SELECT "id", {columns} FROM "{encoder.table_name}"{where} ORDER BY "id"'


# --------------------------------------------------------------------------- id ranges


def to_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [[first, last], …] runs: 1,2,3,7,8 -> [[1,3],[7,8]]."""
    ranges: list[list[int]] = []
    for value in ids:
        if ranges and value == ranges[-1][1] + 1:
            ranges[-1][1] = value
        else:
            ranges.append([value, value])
    return ranges


def iter_ranges(ranges: Iterable[Sequence[int]]) -> Iterator[int]:
    for first, last in ranges:
        yield from range(first, last + 1)


def count_in(ranges: Iterable[Sequence[int]]) -> int:
    return sum(last - first + 1 for first, last in ranges)


def describe_ids(ids: Sequence[int], limit: int = 8) -> str:
    """1,2,3,7 -> '1-3, 7' (at most `limit` runs, then '…')."""
    runs = to_ranges(sorted(ids))
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:limit]]
    if len(runs) > limit:
        parts.append("…")
    return ", ".join(parts)
