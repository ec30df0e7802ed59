"""The append-only change log: every write appends an event in the same transaction.

Events form a hash chain: each event's SHA-256 covers its own canonical JSON and the previous
event's hash, so altering, deleting or reordering any event breaks every hash after it.
Writers are serialized (SQLite `BEGIN IMMEDIATE`; a PostgreSQL advisory lock taken by
`Database.write`), so reading the chain's head and appending to it cannot race.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.models import Base, Event, utcnow


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept, dates in ISO form."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in an event")


def format_timestamp(value: datetime) -> str:
    """UTC, microseconds, 'Z': the form an event's time is hashed in."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def snapshot(obj: Base) -> dict[str, Any]:
    """The column values of a model object, as recorded in an event's before/after."""
    mapper = sa_inspect(obj).mapper
    return {column.key: getattr(obj, column.key) for column in mapper.column_attrs}


def object_type_of(obj: Base) -> str:
    """The name an object goes by in events: Actor -> actor, ClaimRelation -> claim_relation."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def event_hash(prev_hash: str | None, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's canonical JSON."""
    payload = (prev_hash or "") + "\n" + canonical_json(fields)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hashed_fields(event: Event) -> dict[str, Any]:
    """Everything an event's hash covers (all columns but the hashes themselves)."""
    return {
        "id": event.id,
        "occurred_at": format_timestamp(event.occurred_at),
        "user": event.user,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
    }


def record_event(
    session: Session,
    action: str,
    obj: Base | None = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """Append one event for `obj` (or an explicit type/id) and link it into the hash chain.

    `after` defaults to the object's current column values; pass `before` for updates.
    """
    if obj is not None:
        session.flush()
        object_type = object_type or object_type_of(obj)
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
        if after is None:
            after = snapshot(obj)
    if object_type is None:
        raise ValueError("record_event needs an object or an object_type")
    head = session.execute(select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
    event = Event(
        id=(head.id + 1) if head else 1,
        occurred_at=utcnow(),
        user=session.info.get("user") or "unknown",
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=canonical_json(before) if before is not None else None,
        after=canonical_json(after) if after is not None else None,
        prev_hash=head.hash if head else None,
    )
    event.hash = event_hash(event.prev_hash, hashed_fields(event))
    session.add(event)
    session.flush()
    return event
