"""Claim relation records, matched by (source, target, relation)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from claimtrack.formats.apply.fields import RecordError, choice, number_field, text_field
from claimtrack.formats.apply.resolve import Resolver
from claimtrack.vocab import RelationStatus, RelationType


def apply_relation(imp: Resolver, r: dict[str, Any]) -> None:
    source = imp.ref(r, "source", "claim", required=True)
    target = imp.ref(r, "target", "claim", required=True)
    assert source is not None and target is not None
    kind = choice(RelationType, r.get("relation"), "relation")
    if kind is None:
        raise RecordError("relation is required (contradicts, supports, same_as or refines)")
    if source == target:
        raise RecordError("a claim cannot be related to itself")
    score = number_field(r, "score")
    if score is not None and not 0 <= score <= 1:
        raise RecordError(f"score must be between 0 and 1, got {score}")
    signature = (source, target, kind)
    if signature in imp.relations or _relation_exists(imp, source, target, kind):
        imp.matched("relation")
        return
    decided_by = text_field(r, "decided_by")
    relation_status = choice(RelationStatus, r.get("status"), "status", RelationStatus.CONFIRMED.value)
    relation_reason = text_field(r, "status_reason")
    if relation_status in (RelationStatus.RETRACTED.value, RelationStatus.DEPRECATED.value) \
            and relation_reason is None:
        raise RecordError(f"status {relation_status!r} needs a status_reason")
    imp.row("claim_relations", {
        "status_reason": relation_reason,
        "id": imp.take_id("claim_relations"), "source_claim_id": source, "target_claim_id": target,
        "type": kind, "status": relation_status,
        "score": score, "note": text_field(r, "note"), "created_by": text_field(r, "created_by"),
        "created_at": imp.now, "decided_by": decided_by, "decided_at": imp.now if decided_by else None,
        "version": 1,
    })
    imp.defer(lambda: imp.relations.add(signature))
    imp.created("relation")


def _relation_exists(imp: Resolver, source: int, target: int, kind: str) -> bool:
    if not imp.preexisting("claims", source, target):
        return False
    t = imp.tables["claim_relations"]
    query = select(t.c.id).where(t.c.source_claim_id == source, t.c.target_claim_id == target, t.c.type == kind)
    return imp.session.connection().execute(query).first() is not None
