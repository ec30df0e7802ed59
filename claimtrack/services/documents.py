"""Documents: one concrete appearance (article, dispatch, post). One URL, one document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.errors import AlreadyExists, InvalidInput
from claimtrack.models import Actor, Document
from claimtrack.normalize import normalize_url
from claimtrack.services.events import record_event, snapshot
from claimtrack.vocab import DocumentKind, parse_choice

#: fields that may be filled in on an existing document found by URL, when still empty
_FILLABLE = ("title", "author", "language", "archive_url", "content_hash")


@dataclass
class DocumentResult:
    document: Document
    created: bool


def find_document(
    session: Session,
    *,
    url: str | None = None,
    outlet: Actor | None = None,
    title: str | None = None,
    published: PartialDate | None = None,
) -> Document | None:
    """The document with this normalized URL, else the one with this outlet, title and date."""
    if url:
        return session.scalar(select(Document).where(Document.url_normalized == normalize_url(url)))
    if title and title.strip():
        query = select(Document).where(Document.title == title.strip())
        query = query.where(Document.outlet_id == outlet.id) if outlet else query.where(Document.outlet_id.is_(None))
        if published is not None:
            query = query.where(Document.published_on == published.start,
                                Document.published_precision == published.precision.value)
        return session.scalars(query.order_by(Document.id)).first()
    return None


def add_document(
    session: Session,
    *,
    url: str | None = None,
    outlet: Actor | None = None,
    title: str | None = None,
    published: PartialDate | None = None,
    kind: str = "article",
    language: str | None = None,
    author: str | None = None,
    archive_url: str | None = None,
    retrieved_at: datetime | None = None,
    content_hash: str | None = None,
    key: str | None = None,
    reuse: bool = True,
) -> DocumentResult:
    """Create a document, or (with `reuse`) return the existing one with the same URL or the
    same outlet + title + date, filling in fields it still lacks."""
    if not (url and url.strip()) and not (title and title.strip()):
        raise InvalidInput("a document needs a URL or a title (with its outlet and date) to be found again")
    kind_value = parse_choice(DocumentKind, kind, "document kind").value
    if url is not None and url.strip() and "." not in url and "://" not in url:
        raise InvalidInput(f"url: {url!r} is not a web address; write e.g. https://example.org/article")
    existing = find_document(session, url=url, outlet=outlet, title=title, published=published)
    if existing is not None:
        if not reuse:
            raise AlreadyExists(f"document {existing.id} already has this URL: {existing.url or existing.title}")
        before = snapshot(existing)
        changed = False
        values = {"title": title, "author": author, "language": language, "archive_url": archive_url,
                  "content_hash": content_hash}
        for field in _FILLABLE:
            if getattr(existing, field) is None and values[field]:
                setattr(existing, field, values[field])
                changed = True
        if existing.outlet_id is None and outlet is not None:
            existing.outlet_id = outlet.id
            changed = True
        if existing.published is None and published is not None:
            existing.published = published
            changed = True
        if changed:
            session.flush()
            record_event(session, "update", existing, before=before)
        return DocumentResult(existing, False)
    if key is not None and session.scalar(select(Document.id).where(Document.key == key)) is not None:
        raise AlreadyExists(f"a document with key {key!r} already exists")
    doc = Document(
        key=key, kind=kind_value, outlet_id=outlet.id if outlet else None,
        url=url.strip() if url else None, url_normalized=normalize_url(url) if url else None,
        title=title.strip() if title else None, author=author, language=language,
        archive_url=archive_url, retrieved_at=retrieved_at, content_hash=content_hash,
    )
    doc.published = published
    session.add(doc)
    session.flush()
    record_event(session, "create", doc)
    return DocumentResult(doc, True)
