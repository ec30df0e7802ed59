"""Read the change log: the feed of events and the history of one object.

Returns plain dataclasses; `before`/`after` are decoded from the canonical JSON they are
stored (and hashed) as.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from claimtrack.models import Base, ClaimRelation, Event
from claimtrack.queries.lookup import MODELS, get_by_ref

#: the object_type events record for a kind, where the two differ
_EVENT_TYPES = {"relation": "claim_relation"}

#: table names an import event's per-table id ranges may use for each object type
_TABLES = {
    "actor": ("actors", "actor"),
    "claim": ("claims", "claim"),
    "statement": ("statements", "statement"),
    "verdict": ("verdicts", "verdict"),
    "document": ("documents", "document"),
    "hop": ("hops", "hop"),
    "claim_relation": ("claim_relations", "relations", "claim_relation", "relation"),
}


@dataclass(frozen=True)
class EventRow:
    """One change: sequence, UTC time, who, what, to which object, before/after."""

    id: int
    occurred_at: datetime
    user: str
    action: str
    object_type: str
    object_id: int | None
    before: Any
    after: Any
    prev_hash: str | None
    hash: str

    def as_json(self) -> dict[str, Any]:
        """The documented `--json` shape (docs/history.md)."""
        return {
            "id": self.id,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "user": self.user,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "before": self.before,
            "after": self.after,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def _decode(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:  # a tampered row: show it as it is rather than fail the read
        return text


def to_row(event: Event) -> EventRow:
    return EventRow(
        id=event.id,
        occurred_at=event.occurred_at,
        user=event.user,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        before=_decode(event.before),
        after=_decode(event.after),
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


def _start_of(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def list_events(
    session: Session,
    *,
    since: date | datetime | None = None,
    user: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    limit: int | None = None,
) -> list[EventRow]:
    """Events oldest first; with `limit`, the newest `limit` of those that match."""
    query = select(Event)
    if since is not None:
        query = query.where(Event.occurred_at >= _start_of(since))
    if user is not None:
        query = query.where(Event.user == user)
    if action is not None:
        query = query.where(Event.action == action)
    if object_type is not None:
        query = query.where(Event.object_type == object_type)
    if limit is not None:
        newest = list(session.scalars(query.order_by(Event.id.desc()).limit(limit)))
        return [to_row(event) for event in reversed(newest)]
    return [to_row(event) for event in session.scalars(query.order_by(Event.id))]


def import_covers(after: Any, object_type: str, object_id: int) -> bool:
    """Whether an import event's per-table [min_id, max_id] ranges include this object."""
    if not isinstance(after, dict):
        return False
    candidates = [after]
    for nested in ("id_ranges", "ranges", "ids", "tables", "created"):
        if isinstance(after.get(nested), dict):
            candidates.append(after[nested])
    for mapping in candidates:
        for name in _TABLES.get(object_type, (object_type,)):
            span = mapping.get(name)
            if (
                isinstance(span, list)
                and len(span) == 2
                and all(isinstance(x, int) for x in span)
                and span[0] <= object_id <= span[1]
            ):
                return True
    return False


def object_history(session: Session, kind: str, ref: str) -> tuple[Base, list[EventRow]]:
    """The object named by `ref` (id or key) and every event that changed it, oldest first.

    Besides the object's own events this includes the import that created it (by the import
    event's id ranges), for a claim the links made to or from it, and for an actor merged into
    another the merge.
    """
    obj = get_by_ref(session, MODELS[kind], ref)
    object_id: int = obj.id  # type: ignore[attr-defined]
    event_type = _EVENT_TYPES.get(kind, kind)
    conditions = [and_(Event.object_type == event_type, Event.object_id == object_id)]
    if kind == "claim":
        relation_ids = select(ClaimRelation.id).where(
            or_(ClaimRelation.source_claim_id == object_id, ClaimRelation.target_claim_id == object_id)
        )
        conditions.append(and_(Event.object_type == "claim_relation", Event.object_id.in_(relation_ids)))
    own = {event.id: to_row(event) for event in session.scalars(select(Event).where(or_(*conditions)))}
    for event in session.scalars(select(Event).where(Event.action == "import").order_by(Event.id)):
        row = to_row(event)
        if import_covers(row.after, event_type, object_id):
            own[row.id] = row
    if kind in ("actor", "claim", "document"):
        # a merge is recorded on the survivor, an unmerge on the duplicate; both histories show both
        for event in session.scalars(select(Event).where(Event.action.in_(("merge", "unmerge")),
                                                         Event.object_type == kind)):
            row = to_row(event)
            if isinstance(row.after, dict) and object_id in (row.after.get("merged_id"), row.after.get("survivor_id")):
                own[row.id] = row
    return obj, [own[key] for key in sorted(own)]


#: the columns of a before/after that name another record, with that record's kind; `history`
#: shows their names beside the ids ("speaker: 'OVD-Info' (actor 2) → 'Leonid Volkov' (actor 3)")
REFERENCES = {"speaker_id": "actor", "on_behalf_of_id": "actor", "outlet_id": "actor", "via_actor_id": "actor",
              "reviewer_id": "actor", "claim_id": "claim"}


def reference_names(session: Session, rows: list[EventRow]) -> dict[tuple[str, int], str]:
    """(kind, id) -> the actor's name or the claim's text, for the records the updates among
    `rows` changed a reference from or to."""
    from claimtrack.models import Actor, Claim

    wanted: dict[str, set[int]] = {"actor": set(), "claim": set()}
    for row in rows:
        if row.action != "update" or not isinstance(row.before, dict) or not isinstance(row.after, dict):
            continue
        for column, kind in REFERENCES.items():
            values = (row.before.get(column), row.after.get(column))
            if values[0] != values[1]:
                wanted[kind].update(v for v in values if isinstance(v, int))
    names: dict[tuple[str, int], str] = {}
    for kind, model, label in (("actor", Actor, Actor.name), ("claim", Claim, Claim.text)):
        if wanted[kind]:
            for object_id, name in session.execute(select(model.id, label).where(model.id.in_(wanted[kind]))):
                names[(kind, object_id)] = name
    return names
