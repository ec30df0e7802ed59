"""Where each user's incremental audit (`audit --since-last`) stopped reading the change log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from claimtrack.models import AuditMark, utcnow


def audit_mark(session: Session, user: str) -> int | None:
    """The last event `user`'s previous `audit --since-last` covered, or None before the first."""
    mark = session.get(AuditMark, user)
    return mark.event_id if mark is not None else None


def set_audit_mark(session: Session, user: str, event_id: int) -> None:
    """Record that `user` has audited everything up to event `event_id`.

    Bookkeeping, not a change to the record, so no event is logged (an event here would itself
    be a change for the next incremental audit to look at)."""
    mark = session.get(AuditMark, user)
    if mark is None:
        session.add(AuditMark(user=user, event_id=event_id, audited_at=utcnow()))
    elif event_id > mark.event_id:
        mark.event_id = event_id
        mark.audited_at = utcnow()
    session.flush()
