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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.models import Base, Event, utcnow
from claimtrack.rowhash import ENCODING_VERSION
from claimtrack.services.rowtrack import collect_rows, install

install()


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept, dates in ISO form."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default,
                      allow_nan=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot record {type(value).__name__} in an event")


def format_timestamp(value: datetime) -> str:
    """UTC, microseconds, 'Z': the form an event's time is hashed in."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


_HASHED = ("id", "occurred_at", "user", "action", "object_type", "object_id", "before", "after", "row_hashes")


def hashed_values(values: Any) -> dict[str, Any]:
    """Everything an event's hash covers, from a mapping or an object with the event's columns:
    all columns but the hashes themselves. `row_hashes` is covered when present (events
    recorded before row hashes existed have none, and their hashes stay what they were)."""
    get = values.get if isinstance(values, dict) else (lambda key: getattr(values, key, None))
    fields = {key: get(key) for key in _HASHED}
    occurred = fields["occurred_at"]
    fields["occurred_at"] = format_timestamp(occurred) if isinstance(occurred, datetime) else occurred
    if fields["row_hashes"] is None:
        del fields["row_hashes"]
    return fields


def hashed_fields(event: Event) -> dict[str, Any]:
    """Everything an event's hash covers (all columns but the hashes themselves)."""
    return hashed_values(event)


def record_event(
    session: Session,
    action: str,
    obj: Base | None = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    row_hashes: dict[str, Any] | None = None,
) -> Event:
    """Append one event for `obj` (or an explicit type/id) and link it into the hash chain.

    `after` defaults to the object's current column values; pass `before` for updates.
    The hashes of every row the transaction wrote since its previous event are attached
    (claimtrack.services.rowtrack); `row_hashes` adds more (an import's `segments`).
    """
    session.flush()
    rows = collect_rows(session)
    payload: dict[str, Any] | None = None
    if rows or row_hashes:
        payload = {"v": ENCODING_VERSION, **(row_hashes or {})}
        if rows:
            payload["rows"] = {**payload.get("rows", {}), **rows}
    if obj is not None:
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
        row_hashes=canonical_json(payload) if payload is not None else None,
        prev_hash=head.hash if head else None,
    )
    event.hash = event_hash(event.prev_hash, hashed_fields(event))
    session.add(event)
    session.flush()
    return event


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the stored chain differs from what its own contents imply.

    `kind` is one of: altered (an event's contents or hash changed), deleted (an event is
    missing), reordered (events were swapped or moved), inserted (an event that was never
    appended sits in the chain), truncated (the expected head is no longer there).
    """

    event_id: int | None
    kind: str
    message: str


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: how many events it checked, the head, the first problem."""

    events: int
    head_id: int | None
    head_hash: str | None
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _fields_with_id(event: Event, event_id: int) -> dict[str, Any]:
    fields = hashed_fields(event)
    fields["id"] = event_id
    return fields


@dataclass(frozen=True)
class _Slot:
    id: int
    prev_hash: str | None
    hash: str


def _diagnose(event: Event, expected_id: int, expected_prev: str | None, slots: list[_Slot]) -> ChainProblem:
    """Why `event` (found where event `expected_id` should be) breaks the chain.

    Called once, on the first bad event, so the linear scans here cost nothing in the normal
    case. The checks go from the most specific explanation to the most general.
    """
    recomputed = event_hash(event.prev_hash, hashed_fields(event))
    content_ok = recomputed == event.hash
    by_hash = {slot.hash: slot.id for slot in slots}
    if event.id > expected_id:
        missing = f"event {expected_id}" if event.id == expected_id + 1 else f"events {expected_id}-{event.id - 1}"
        return ChainProblem(expected_id, "deleted", f"{missing} missing: the log jumps to event {event.id}")
    if event.id < expected_id:
        return ChainProblem(event.id, "inserted", f"event {event.id} appears twice in the log")
    if content_ok and event.prev_hash != expected_prev:
        if event.prev_hash in by_hash:
            return ChainProblem(
                event.id,
                "reordered",
                f"event {event.id} is out of order: it was appended after event "
                f"{by_hash[event.prev_hash]}, not after event {expected_id - 1}",
            )
        return ChainProblem(
            event.id,
            "altered",
            f"event {event.id} does not follow event {expected_id - 1}: its previous-hash points to no "
            f"event in the log, so event {expected_id - 1} was altered and re-hashed, or events were "
            "deleted or inserted before it",
        )
    if not content_ok:
        for slot in slots:
            if slot.id == event.id:
                continue
            # this event's contents, hashed where another event sits, give that event's hash:
            # the contents of two events were swapped or moved
            if event_hash(slot.prev_hash, _fields_with_id(event, slot.id)) == slot.hash:
                return ChainProblem(
                    event.id,
                    "reordered",
                    f"event {event.id} holds the contents of event {slot.id}: events were swapped or reordered",
                )
            if event_hash(event.prev_hash, _fields_with_id(event, slot.id)) == event.hash:
                return ChainProblem(
                    event.id,
                    "reordered",
                    f"event {event.id} was recorded as event {slot.id}: events were renumbered or reordered",
                )
        following = next((slot for slot in slots if slot.id == event.id + 1), None)
        if following is not None and following.prev_hash == recomputed and event.prev_hash == expected_prev:
            return ChainProblem(
                event.id, "altered", f"event {event.id} was altered: its stored hash was overwritten"
            )
        if event.prev_hash != expected_prev:
            return ChainProblem(
                event.id,
                "altered",
                f"event {event.id} was altered: its previous-hash and its hash no longer match the chain",
            )
        return ChainProblem(
            event.id,
            "altered",
            f"event {event.id} was altered: its contents ({event.action} {event.object_type} "
            f"{event.object_id}, by {event.user}) no longer match its recorded hash",
        )
    return ChainProblem(event.id, "altered", f"event {event.id} does not fit the chain")


def verify_chain(session: Session, *, expect_head: str | None = None) -> ChainReport:
    """Recompute the hash chain from the first event and report the first event that breaks it.

    Detects altered, deleted (anywhere but at the newest end), reordered and inserted events.
    Deleting the newest events leaves a shorter chain that is still valid; only a head hash
    recorded earlier (`expect_head`) shows that, by no longer being in the chain.
    """
    rows = session.execute(select(Event).order_by(Event.id).execution_options(yield_per=1000)).scalars()
    return verify_events(rows, expect_head=expect_head)


def verify_events(rows: Iterable[Any], *, expect_head: str | None = None) -> ChainReport:
    """`verify_chain` over events from anywhere (objects with the events' columns, in id
    order): the database, or a file written by `claimtrack log export`."""
    rows = iter(rows)
    wanted_head = expect_head.strip().lower() if expect_head else None
    expected_id = 1
    expected_prev: str | None = None
    count = 0
    head: _Slot | None = None
    seen_head = wanted_head is None
    slots: list[_Slot] = []
    problem: ChainProblem | None = None
    for event in rows:
        slots.append(_Slot(event.id, event.prev_hash, event.hash))
        recomputed = event_hash(event.prev_hash, hashed_fields(event))
        if event.id != expected_id or event.prev_hash != expected_prev or recomputed != event.hash:
            # a swap puts a later event's contents here: the diagnosis needs the whole chain
            slots.extend(_Slot(later.id, later.prev_hash, later.hash) for later in rows)
            problem = _diagnose(event, expected_id, expected_prev, slots)
            break
        count += 1
        head = slots[-1]
        if event.hash == wanted_head:
            seen_head = True
        expected_id += 1
        expected_prev = event.hash
    if problem is None and not seen_head:
        problem = ChainProblem(
            None,
            "truncated",
            f"the expected head {expect_head} is not in the log: the events up to it were deleted or "
            f"rewritten (the log now ends at event {head.id if head else 0})",
        )
    return ChainReport(
        events=count,
        head_id=head.id if head else None,
        head_hash=head.hash if head else None,
        problem=problem,
    )


def chain_head(session: Session) -> tuple[int, str] | None:
    """The newest event's id and hash: record it elsewhere to detect later truncation."""
    row = session.execute(select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else None
