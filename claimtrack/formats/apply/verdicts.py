"""Verdict records: a fact-checker's rating of a claim, matched by key (a keyless one by its content)."""

from __future__ import annotations

from typing import Any

from claimtrack.formats.apply.fields import (
    RecordError,
    check_text,
    date_columns,
    date_field,
    number_field,
    record_digest,
    status_of,
    text_field,
)
from claimtrack.formats.apply.resolve import Resolver
from claimtrack.formats.plan import slug


def apply_verdict(imp: Resolver, r: dict[str, Any]) -> None:
    key = r.get("key")
    if key is not None and imp.known("verdict", key) is not None:
        imp.matched("verdict")
        return
    claim_id = imp.ref(r, "claim", "claim", required=True)
    label = text_field(r, "label", required=True)
    value, best, worst = number_field(r, "rating_value"), number_field(r, "best"), number_field(r, "worst")
    if best is not None and worst is not None:
        if best == worst:
            raise RecordError(f"best and worst are both {best}: the scale is empty")
        if value is not None and not min(best, worst) <= value <= max(best, worst):
            raise RecordError(f"rating_value {value} lies outside the scale {worst}..{best}")
    evidence = r.get("evidence_urls") or []
    if not isinstance(evidence, list) or not all(isinstance(u, str) for u in evidence):
        raise RecordError("evidence_urls must be a list of URLs")
    for url in evidence:
        check_text(url, "evidence_urls")
    status, reason = status_of(r)
    if key is None:
        key = f"verdict-{slug(str(r.get('reviewer') or 'unknown'), 30)}-{slug(str(label), 30)}-{record_digest(r)}"
        if imp.known("verdict", key) is not None:
            imp.matched("verdict")
            return
    verdict_id = imp.take_id("verdicts")
    imp.row("verdicts", {
        "id": verdict_id, "key": key, "claim_id": claim_id, "label": label, "rating_value": value,
        "best": best, "worst": worst, "reviewer_id": imp.ref(r, "reviewer", "actor"),
        **date_columns("reviewed", date_field(r, "reviewed")), "url": text_field(r, "url"),
        "explanation": text_field(r, "explanation"), "license": text_field(r, "license"), "evidence_urls": evidence, "language": text_field(r, "language"),
        "status": status, "status_reason": reason, "created_at": imp.now, "version": 1,
    })
    imp.set_local("verdict", key, verdict_id)
    imp.created("verdict")
