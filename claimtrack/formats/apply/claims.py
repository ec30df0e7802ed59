"""Claim records: a claim is matched by key, else by the hash of its normalized text."""

from __future__ import annotations

from typing import Any

from claimtrack.formats.apply.fields import (
    QUANTITY_FIELDS,
    RecordError,
    choice,
    not_merged_into_self,
    number_field,
    status_of,
    text_field,
)
from claimtrack.formats.apply.resolve import Resolver, merged_into
from claimtrack.formats.plan import slug
from claimtrack.normalize import claim_hash
from claimtrack.vocab import Bound


def apply_claim(imp: Resolver, r: dict[str, Any]) -> None:
    text_ = text_field(r, "text", required=True)
    assert text_ is not None
    digest = claim_hash(text_)
    key = r.get("key") or slug(text_, 50) + "-" + digest[:6]
    not_merged_into_self(r, "claim", key)
    existing = imp.known("claim", key)
    if existing is None:
        existing = imp.claim_by_hash.get(digest)
    if existing is None:
        # a claim created earlier in this same item (LIAR row, ClaimReview object)
        existing = next((i for (t, row) in imp.local_rows if t == "claims" and row["text_hash"] == digest
                         for i in [row["id"]]), None)
    if existing is not None:
        imp.set_local("claim", key, existing)
        imp.matched("claim")
        return
    quantity = r.get("quantity") or {}
    if not isinstance(quantity, dict):
        raise RecordError("quantity must be an object with subject, value, bound, unit")
    unknown = quantity.keys() - QUANTITY_FIELDS
    if unknown:
        raise RecordError(f"unknown field {min(unknown)!r} in quantity; expected subject, value, bound, unit")
    subject = text_field(quantity, "subject")
    value = number_field(quantity, "value", "quantity.value")
    if (subject is None) != (value is None):
        raise RecordError("quantity needs both a subject (what is counted) and a value")
    status, reason = status_of(r)
    merged = merged_into(imp, r, "claim", status)
    claim_id = imp.take_id("claims")
    imp.row("claims", {
        "status": status, "status_reason": reason, "merged_into_id": merged,
        "id": claim_id, "key": key, "text": text_, "text_hash": digest, "language": text_field(r, "language"),
        "quantity_subject": subject, "quantity_value": value,
        "quantity_bound": choice(Bound, quantity.get("bound"), "quantity.bound"),
        "quantity_unit": text_field(quantity, "unit"), "created_at": imp.now, "version": 1,
    })
    imp.set_local("claim", key, claim_id)
    imp.defer(lambda: imp.claim_by_hash.__setitem__(digest, claim_id))
    imp.created("claim")
