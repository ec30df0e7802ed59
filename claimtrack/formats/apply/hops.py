"""Hop records: a statement as one document carries it, matched by key, else by (document, statement)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from claimtrack.formats.apply.fields import RecordError, status_of, text_field
from claimtrack.formats.apply.resolve import Resolver
from claimtrack.formats.plan import slug


def apply_hop(imp: Resolver, r: dict[str, Any]) -> None:
    document_id = imp.ref(r, "document", "document", required=True)
    statement_id = imp.ref(r, "statement", "statement", required=True)
    assert document_id is not None and statement_id is not None
    key = r.get("key") or f"hop-{slug(str(r['document']), 40)}-{slug(str(r['statement']), 40)}"
    existing = imp.known("hop", key)
    if existing is None:
        existing = _hop_pair(imp, document_id, statement_id)
    if existing is not None:
        imp.set_local("hop", key, existing)
        imp.matched("hop")
        return
    primary = r.get("primary", False)
    if primary is None:
        primary = False
    if not isinstance(primary, bool):
        raise RecordError(f"primary must be true or false, got {primary!r}")
    via_hop = imp.ref(r, "via_hop", "hop")
    if primary and via_hop is not None:
        raise RecordError("a primary hop (the speaker's own words) cannot rely on a via_hop")
    status, reason = status_of(r)
    hop_id = imp.take_id("hops")
    imp.row("hops", {
        "status": status, "status_reason": reason,
        "id": hop_id, "key": key, "document_id": document_id, "statement_id": statement_id,
        "via_hop_id": via_hop, "via_actor_id": imp.ref(r, "via_actor", "actor"),
        "cue": text_field(r, "cue"), "quote": text_field(r, "quote"), "is_primary": primary, "created_at": imp.now,
    })
    imp.set_local("hop", key, hop_id)
    imp.defer(lambda: imp.hop_pairs.__setitem__((document_id, statement_id), hop_id))
    imp.created("hop")


def _hop_pair(imp: Resolver, document_id: int, statement_id: int) -> int | None:
    found = imp.hop_pairs.get((document_id, statement_id))
    if found is not None:
        return found
    for table, row in imp.local_rows:
        if table == "hops" and row["document_id"] == document_id and row["statement_id"] == statement_id:
            return row["id"]
    if statement_id in imp.hop_checked:
        return None  # its existing hops were loaded for this chunk
    if imp.preexisting("documents", document_id) and imp.preexisting("statements", statement_id):
        t = imp.tables["hops"]
        return imp.session.connection().execute(
            select(t.c.id).where(t.c.document_id == document_id, t.c.statement_id == statement_id)
        ).scalar()
    return None
