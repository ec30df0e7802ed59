"""Statement records: who said what about which claim, matched by key (a keyless one by its content)."""

from __future__ import annotations

from typing import Any

from claimtrack.formats.apply.fields import (
    RecordError,
    choice,
    date_columns,
    date_field,
    record_digest,
    status_of,
    text_field,
)
from claimtrack.formats.apply.resolve import Resolver
from claimtrack.formats.plan import slug
from claimtrack.vocab import QuoteKind, Stance

_STANCES = {s.value for s in Stance}


def apply_statement(imp: Resolver, r: dict[str, Any]) -> None:
    key = r.get("key")
    if key is not None:
        existing = imp.known("statement", key)
        if existing is not None:
            imp.matched("statement")
            return
    claim_id = imp.ref(r, "claim", "claim", required=True)
    speaker_id = imp.ref(r, "speaker", "actor")
    descriptor = text_field(r, "speaker_descriptor")
    stance = r.get("stance")
    if stance not in _STANCES:
        if stance is None:
            raise RecordError("stance is required")
        stance = choice(Stance, stance, "stance")
    quote = text_field(r, "quote")
    quote_kind = choice(QuoteKind, r.get("quote_kind"), "quote_kind")
    if speaker_id is not None and descriptor is not None:
        raise RecordError("give a speaker or a speaker_descriptor, not both")
    if quote is not None and speaker_id is None and descriptor is None:
        raise RecordError("a quote needs a speaker or a speaker_descriptor (an unattributed statement "
                          "is the reporter's own voice and quotes nobody)")
    if quote_kind is not None and quote is None:
        raise RecordError("quote_kind given without a quote")
    status, reason = status_of(r)
    if key is None:
        who = r.get("speaker") or descriptor or "unattributed"
        key = f"{slug(str(who), 40)}-{stance}-{record_digest(r)}"
        existing = imp.known("statement", key)
        if existing is not None:
            imp.matched("statement")
            return
    statement_id = imp.take_id("statements")
    imp.row("statements", {
        "id": statement_id, "key": key, "claim_id": claim_id, "speaker_id": speaker_id,
        "speaker_descriptor": descriptor, "on_behalf_of_id": imp.ref(r, "on_behalf_of", "actor"),
        "stance": stance, "quote": quote, "quote_kind": quote_kind, "cue": text_field(r, "cue"),
        "channel": text_field(r, "channel"), "context": text_field(r, "context"),
        **date_columns("said", date_field(r, "said", not_future=True)),
        "language": text_field(r, "language"), "original_text": text_field(r, "original_text"),
        "parent_id": imp.ref(r, "parent", "statement"), "status": status, "status_reason": reason,
        "created_at": imp.now, "version": 1,
    })
    imp.set_local("statement", key, statement_id)
    imp.created("statement")
