"""Snapshots: the text of a document as it was read, kept version by version, never overwritten."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.errors import NotFound
from claimtrack.models import Document, Snapshot
from claimtrack.services.events import record_event, snapshot


@dataclass
class SnapshotResult:
    snapshot: Snapshot
    created: bool  # False: the latest version already has exactly this text
    previous: Snapshot | None  # the version before, when a new one was added


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the text's UTF-8 bytes: what `content_hash` holds."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest_snapshot(session: Session, document: Document) -> Snapshot | None:
    """The newest version of the document's text, or None."""
    return session.scalars(select(Snapshot).where(Snapshot.document_id == document.id)
                           .order_by(Snapshot.version.desc()).limit(1)).first()


def list_snapshots(session: Session, document: Document) -> list[Snapshot]:
    """Every version of the document's text, oldest first."""
    return list(session.scalars(select(Snapshot).where(Snapshot.document_id == document.id)
                                .order_by(Snapshot.version)))


def get_snapshot(session: Session, document: Document, version: int | None = None) -> Snapshot:
    """Version `version` of the document's text (default: the newest)."""
    if version is None:
        found = latest_snapshot(session, document)
        if found is None:
            raise NotFound(f"document {document.id} has no stored text; add it with "
                           f"`claimtrack document add --file PAGE --url …`")
        return found
    found = session.scalar(select(Snapshot).where(Snapshot.document_id == document.id,
                                                  Snapshot.version == version))
    if found is None:
        count = session.scalar(select(func.count()).select_from(Snapshot).where(Snapshot.document_id == document.id))
        raise NotFound(f"document {document.id} has no text version {version} (it has {count or 0})")
    return found


def add_snapshot(
    session: Session,
    document: Document,
    *,
    text: str,
    media_type: str,
    byte_size: int,
    source_hash: str | None = None,
    retrieved_at: datetime | None = None,
) -> SnapshotResult:
    """Store the text as the document's next version unless the newest version is the same text.

    Sets the document's content_hash to the newest version's hash. The event records every
    column but the text itself (its SHA-256 is there), so the log stays small.
    """
    digest = text_hash(text)
    latest = latest_snapshot(session, document)
    if latest is not None and latest.content_hash == digest:
        return SnapshotResult(latest, False, None)
    snap = Snapshot(document_id=document.id, version=(latest.version + 1) if latest else 1, text=text,
                    content_hash=digest, source_hash=source_hash, byte_size=byte_size, media_type=media_type,
                    retrieved_at=retrieved_at)
    session.add(snap)
    session.flush()
    record_event(session, "create", snap, after=_logged(snap))
    if document.content_hash != digest:
        before = snapshot(document)
        document.content_hash = digest
        session.flush()
        record_event(session, "update", document, before=before)
    return SnapshotResult(snap, True, latest)


def _logged(snap: Snapshot) -> dict:
    values = snapshot(snap)
    values.pop("text", None)
    return values
