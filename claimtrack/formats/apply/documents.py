"""Document records: a document is matched by key, else by its normalized URL."""

from __future__ import annotations

from typing import Any

from claimtrack.formats.apply.fields import (
    choice,
    date_columns,
    date_field,
    normalized_url,
    not_merged_into_self,
    record_digest,
    status_of,
    text_field,
    timestamp_field,
)
from claimtrack.formats.apply.resolve import Resolver, merged_into
from claimtrack.formats.plan import slug
from claimtrack.vocab import DocumentKind


def apply_document(imp: Resolver, r: dict[str, Any]) -> None:
    url = text_field(r, "url")
    normalized = normalized_url(url) if url else None
    key = r.get("key")
    if key is None:
        key = "doc-" + slug(normalized or text_field(r, "title") or "untitled", 50) + "-" + record_digest(r)[:6]
    not_merged_into_self(r, "document", key)
    existing = imp.known("document", key)
    if existing is None and normalized is not None:
        existing = imp.doc_by_url.get(normalized)
    if existing is not None:
        imp.set_local("document", key, existing)
        imp.matched("document")
        return
    status, reason = status_of(r)
    merged = merged_into(imp, r, "document", status)
    doc_id = imp.take_id("documents")
    imp.row("documents", {
        "status": status, "status_reason": reason, "merged_into_id": merged,
        "id": doc_id, "key": key, "kind": choice(DocumentKind, r.get("kind"), "kind", DocumentKind.ARTICLE.value),
        "outlet_id": imp.ref(r, "outlet", "actor"), "url": url, "url_normalized": normalized,
        "title": text_field(r, "title"), "author": text_field(r, "author"), "language": text_field(r, "language"),
        **date_columns("published", date_field(r, "published")),
        "retrieved_at": timestamp_field(r, "retrieved_at"), "archive_url": text_field(r, "archive_url"),
        "content_hash": text_field(r, "content_hash"), "created_at": imp.now,
    })
    imp.set_local("document", key, doc_id)
    if normalized is not None:
        imp.defer(lambda: imp.doc_by_url.__setitem__(normalized, doc_id))
    imp.created("document")
