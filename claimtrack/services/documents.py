"""Documents: one concrete appearance (article, dispatch, post). One URL, one document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.errors import AlreadyExists, ClaimtrackError, InvalidInput
from claimtrack.models import Actor, Document
from claimtrack.normalize import fold, normalize_url
from claimtrack.services.corrections import survivor
from claimtrack.services.events import record_event, snapshot
from claimtrack.vocab import DocumentKind, parse_choice

#: fields that may be filled in on an existing document found by URL, when still empty
_FILLABLE = ("title", "author", "language", "archive_url", "content_hash")


@dataclass
class DocumentResult:
    document: Document
    created: bool
    attached: bool = False  # the URL was attached to a document logged without one


#: how many documents of one outlet (and date) are compared by folded title
TITLE_CANDIDATES = 2000


class SameDocument(ClaimtrackError):
    """A URL was given for an article that is already logged without a URL."""

    def __init__(self, message: str, document_id: int) -> None:
        super().__init__(message)
        self.document_id = document_id


def find_by_title(session: Session, *, outlet: Actor | None, title: str, published: PartialDate | None,
                  without_url: bool = False) -> Document | None:
    """The document of this outlet whose title is the same once folded (quote marks, apostrophes,
    dashes, spaces and case do not count), with the same date when one is given."""
    wanted = fold(title)
    if not wanted:
        return None
    query = select(Document)
    query = query.where(Document.outlet_id == outlet.id) if outlet else query.where(Document.outlet_id.is_(None))
    if published is not None:
        query = query.where(Document.published_on == published.start,
                            Document.published_precision == published.precision.value)
    if without_url:
        query = query.where(Document.url_normalized.is_(None))
    exact = session.scalars(query.where(Document.title == title.strip()).order_by(Document.id)).first()
    if exact is not None:
        return survivor(session, exact)
    for document in session.scalars(query.where(Document.title.is_not(None)).order_by(Document.id)
                                    .limit(TITLE_CANDIDATES)):
        if fold(document.title or "") == wanted:
            return survivor(session, document)
    return None


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
        found = session.scalar(select(Document).where(Document.url_normalized == normalize_url(url)))
        return survivor(session, found) if found is not None else None
    if title and title.strip():
        return find_by_title(session, outlet=outlet, title=title, published=published)
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
    attach_to: int | None = None,
) -> DocumentResult:
    """Create a document, or (with `reuse`) return the existing one with the same URL or the
    same outlet + title + date, filling in fields it still lacks.

    A URL for an article already logged without one (same outlet, folded title and date) is not
    made into a copy: SameDocument is raised naming it, and `attach_to` (its id) attaches the URL.
    """
    if not (url and url.strip()) and not (title and title.strip()):
        raise InvalidInput("a document needs a URL or a title (with its outlet and date) to be found again")
    kind_value = parse_choice(DocumentKind, kind, "document kind").value
    if url is not None and url.strip() and "." not in url and "://" not in url:
        raise InvalidInput(f"url: {url!r} is not a web address; write e.g. https://example.org/article")
    existing = find_document(session, url=url, outlet=outlet, title=title, published=published)
    if existing is None and url and url.strip() and attach_to is not None:
        return _attach_url(session, attach_to, url)
    if existing is None and url and url.strip() and title and title.strip():
        same = find_by_title(session, outlet=outlet, title=title, published=published, without_url=True)
        if same is not None:
            raise SameDocument(
                f"document {same.id} ({same.title}) looks like the same article and was logged without a URL; "
                f"attach this URL to it with `claimtrack document add --url URL --attach-to {same.id}` "
                f"(or log against it with `--document {same.id}`)", same.id)
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


def _attach_url(session: Session, document_id: int, url: str) -> DocumentResult:
    """Give a document logged without a URL its URL (`document add --url … --attach-to ID`)."""
    from claimtrack.services.corrections import ensure_live

    document = session.get(Document, document_id)
    if document is None:
        raise InvalidInput(f"--attach-to: document {document_id} not found")
    ensure_live(document, "given a URL")
    if document.url_normalized is not None:
        raise InvalidInput(f"--attach-to: document {document_id} already has a URL ({document.url}); "
                           "a different URL is a different document")
    before = snapshot(document)
    document.url = url.strip()
    document.url_normalized = normalize_url(url)
    session.flush()
    record_event(session, "update", document, before=before)
    return DocumentResult(document, False, attached=True)
