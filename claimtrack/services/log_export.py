"""The change log as JSON Lines (`claimtrack log export`), and reading it back to verify offline.

One event per line, every column exactly as stored and hashed: `before`, `after` and
`row_hashes` stay the canonical JSON *text* the hash covers (not re-serialized objects), and
`occurred_at` is the hashed spelling (`2026-11-24T09:30:00.123456Z`). So
`log verify --events FILE` recomputes the same hashes without the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from types import SimpleNamespace
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.errors import InvalidInput
from claimtrack.models import Event
from claimtrack.services.events import format_timestamp

COLUMNS = ("id", "occurred_at", "user", "action", "object_type", "object_id", "before", "after", "row_hashes",
           "prev_hash", "hash")


def export_events(session: Session, out: TextIO) -> int:
    count = 0
    for event in session.execute(select(Event).order_by(Event.id).execution_options(yield_per=1000)).scalars():
        line = {column: getattr(event, column) for column in COLUMNS}
        line["occurred_at"] = format_timestamp(event.occurred_at)
        out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n")
        count += 1
    return count


def read_events(stream: TextIO, name: str) -> Iterator[Any]:
    """Events from an export, as objects with the events' columns; InvalidInput names the line."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{name}, line {number}: not JSON ({exc.msg})") from None
        except ValueError as exc:
            raise InvalidInput(f"{name}, line {number}: not JSON ({exc})") from None
        if not isinstance(record, dict) or not {"id", "occurred_at", "hash"} <= set(record):
            raise InvalidInput(f"{name}, line {number}: expected an event with id, occurred_at and hash, "
                               "as `claimtrack log export` writes")
        values = {column: record.get(column) for column in COLUMNS}
        if not isinstance(values["id"], int) or not isinstance(values["hash"], str):
            raise InvalidInput(f"{name}, line {number}: id must be a number and hash a string")
        try:
            values["occurred_at"] = datetime.fromisoformat(str(values["occurred_at"]))
        except ValueError:
            raise InvalidInput(f"{name}, line {number}: occurred_at {values['occurred_at']!r} is not a time") from None
        yield SimpleNamespace(**values)
