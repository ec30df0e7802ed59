"""Suggestions: attributions the extractor found in a document's stored text, queued for a person.

`suggest_document` runs claimtrack.extract on the newest snapshot, resolves each source to a
known actor through the one resolver (services/resolve.py), links pronouns and titles ("he",
"the monitor") to the nearest named speaker where that is unambiguous, and queues what it
found. `accept_suggestion` turns one into an ordinary statement with its hop, in the caller's
transaction; the suggestion keeps the provenance (method, extractor version, rule, confidence,
offsets into the snapshot) and points at the statement. Nothing is accepted automatically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.errors import InvalidInput, NotFound
from claimtrack.models import Actor, Document, Snapshot, Suggestion
from claimtrack.services.events import record_event, snapshot
from claimtrack.services.snapshots import get_snapshot
from claimtrack.vocab import Stance, SuggestionStatus, parse_choice

_HE_SHE = {"he", "she", "him", "her"}
_IT_THEY = {"it", "they", "we"}
_LEADING = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)
_OUTER_QUOTES = "\"“”„«»‹›「」『』‘’"


@dataclass
class Queued:
    """What one `suggest` run did."""

    snapshot_id: int
    version: int
    added: list[Suggestion] = field(default_factory=list)
    already: int = 0  # found again: already queued (or decided) from this snapshot


def suggest_document(session: Session, document: Document, *, version: int | None = None) -> Queued:
    """Queue the candidate attributions found in the document's stored text (newest version)."""
    from claimtrack.extract import EXTRACTOR_VERSION, METHOD, extract

    snap = get_snapshot(session, document, version)
    candidates = extract(snap.text)
    existing = {(s.cue_start, s.cue_end): s for s in session.scalars(
        select(Suggestion).where(Suggestion.snapshot_id == snap.id))}
    speakers = _resolve_all(session, snap.text, candidates)
    queued = Queued(snap.id, snap.version)
    by_index: dict[int, Suggestion] = {}
    for i, c in enumerate(candidates):
        known = existing.get(c.cue_span)
        if known is not None:
            by_index[i] = known
            queued.already += 1
            continue
        actor, note = speakers[i]
        row = Suggestion(
            document_id=document.id, snapshot_id=snap.id, status=SuggestionStatus.PENDING.value,
            source=c.source, source_start=_at(c.source_span, 0), source_end=_at(c.source_span, 1),
            cue=c.cue[:300], cue_start=c.cue_span[0], cue_end=c.cue_span[1],
            content=c.content, content_start=_at(c.content_span, 0), content_end=_at(c.content_span, 1),
            quote_kind=c.quote_kind, stance=c.stance, confidence=c.confidence,
            parent_id=by_index[c.nested_in].id if c.nested_in is not None and c.nested_in in by_index else None,
            speaker_id=actor.id if actor else None, speaker_note=note,
            method=f"{METHOD} {EXTRACTOR_VERSION} {c.rule}",
        )
        session.add(row)
        session.flush()
        record_event(session, "create", row)
        by_index[i] = row
        queued.added.append(row)
    return queued


def _at(span: tuple[int, int] | None, i: int) -> int | None:
    return None if span is None else span[i]


def _resolve_all(session: Session, text: str, candidates: list) -> list[tuple[Actor | None, str | None]]:
    """For each candidate: the known actor its source names, and a note saying how (or why not)."""
    from claimtrack.services.resolve import candidates as close_names
    from claimtrack.services.resolve import find_exact

    out: list[tuple[Actor | None, str | None]] = []
    for i, c in enumerate(candidates):
        if c.source is None:
            out.append((None, None))
            continue
        low = c.source.lower()
        if c.source_kind == "pronoun" or (c.source_kind == "role" and low.startswith("the ")):
            out.append(_antecedent(text, candidates, out, i, low))
            continue
        if c.source_kind != "name":
            out.append((None, "a description, not a name: accept as an anonymous speaker"))
            continue
        actor = _longest_known_tail(session, c.source, find_exact)
        if actor is not None:
            out.append((actor, f"{c.source!r} is {actor.name}"))
            continue
        close = close_names(session, c.source, limit=3)
        if close:
            out.append((None, "did you mean: " + ", ".join(x.name for x in close) + "?"))
        else:
            out.append((None, f"no known actor is called {c.source!r}"))
    return out


def _longest_known_tail(session: Session, source: str, find_exact) -> Actor | None:
    """'key Navalny aide Leonid Volkov' → 'Leonid Volkov': the longest ending that names one actor."""
    words = source.replace(",", " , ").split()
    if "," in words:  # "Jason Miller, a spokesman": the name is before the comma
        words = words[:words.index(",")]
    for start in range(len(words)):
        found = find_exact(session, " ".join(words[start:]))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def _antecedent(text: str, candidates: list, resolved: list, i: int, low: str) -> tuple[Actor | None, str | None]:
    """'he' or 'the monitor' → the nearest earlier named speaker, when only one fits."""
    word = low.split()[-1]
    earlier = [(j, candidates[j], resolved[j][0]) for j in range(i - 1, -1, -1)]
    if low in _HE_SHE:
        fits = [(j, c, a) for j, c, a in earlier if a is not None and a.kind == "person"]
    elif low in _IT_THEY:
        fits = [(j, c, a) for j, c, a in earlier if a is not None and a.kind != "person"]
    elif low.startswith("the "):  # the same title: "the monitor" after "the independent monitor OVD-Info"
        fits = [(j, c, a) for j, c, a in earlier if a is not None and word in (c.source or "").lower().split()]
    else:
        fits = []
    if not fits:
        return None, f"{low!r}: no earlier named speaker to link to"
    nearest = fits[0][2]
    rivals = {a.id for _, _, a in fits[:3] if a.id != nearest.id}
    if low in _HE_SHE and rivals and _same_paragraph(text, candidates[fits[1][0]].cue_span[0], candidates[i].cue_span[0]):
        return None, f"{low!r}: ambiguous between {nearest.name} and another speaker nearby"
    return nearest, f"{low!r} taken as {nearest.name} (the nearest named speaker before it)"


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return "\n" not in text[a:b].strip("\n")


# --------------------------------------------------------------------------- decisions

def get_suggestion(session: Session, ident: int) -> Suggestion:
    found = session.get(Suggestion, ident)
    if found is None:
        raise NotFound(f"suggestion {ident} not found (see `claimtrack suggest list`)")
    return found


def _pending(session: Session, ident: int) -> Suggestion:
    found = get_suggestion(session, ident)
    if found.status != SuggestionStatus.PENDING.value:
        what = f" as statement {found.statement_id}" if found.statement_id else ""
        raise InvalidInput(f"suggestion {ident} was already {found.status}{what}")
    return found


def suggested_quote(s: Suggestion) -> str | None:
    """The words to record as the quote: the content, without a leading 'that' or outer quotation marks."""
    if s.content is None:
        return None
    words = _LEADING.sub("", s.content.strip())
    if s.quote_kind == "direct":
        words = words.strip().strip(_OUTER_QUOTES).strip().rstrip(",").strip(_OUTER_QUOTES).strip()
    return words or None


def accept_suggestion(
    session: Session,
    ident: int,
    *,
    claim: str | None = None,
    stance: str | None = None,
    speaker: str | None = None,
    anonymous: str | None = None,
    quote: str | None = None,
    via: str | None = None,
    create: bool = False,
    allow_similar: bool = False,
    force: bool = False,
) -> Suggestion:
    """Make the suggestion an ordinary statement (and its hop in the document), in this transaction.

    With `create`, a name close to an existing actor's is created only when `allow_similar`
    (the names given, once asked about on a terminal) or `force` (the suggested speaker too)."""
    from claimtrack.services.claims import add_claim
    from claimtrack.services.hops import add_hop
    from claimtrack.services.resolve import resolve_actor
    from claimtrack.services.statements import add_statement

    s = _pending(session, ident)
    stance_value = parse_choice(Stance, stance or s.stance, "stance").value
    actor: Actor | None = None
    descriptor: str | None = None
    if speaker:
        actor = resolve_actor(session, speaker, create=create, kind="person", allow_similar=allow_similar,
                              option="--speaker")
    elif anonymous:
        descriptor = anonymous.strip()
    elif s.speaker_id is not None:
        actor = session.get(Actor, s.speaker_id)
    elif s.source is not None:
        kind_of = _source_kind(s)
        if kind_of == "name":
            # a name nobody knows yet: the resolver decides (did you mean…, or --new)
            actor = resolve_actor(session, _name_part(s.source), create=create, kind="person",
                                  allow_similar=force, option="the suggested speaker")
        else:
            descriptor = s.source
    claim_text = claim or suggested_quote(s) or s.content
    if quote is not None and not quote.strip():
        raise InvalidInput("--quote is empty; leave it out to keep the suggested words")
    quote = (quote.strip() if quote else suggested_quote(s)) if (actor is not None or descriptor) else None
    if not claim_text:
        raise InvalidInput(f"suggestion {ident} has no content to word a claim from; give --claim")
    claim_row = add_claim(session, claim_text).claim
    parent = None
    if s.parent_id is not None:  # "OVD-Info added that one person said …": nested in the accepted outer one
        outer = session.get(Suggestion, s.parent_id)
        if outer is not None and outer.statement_id is not None:
            from claimtrack.models import Statement

            parent = session.get(Statement, outer.statement_id)
    statement = add_statement(
        session, claim=claim_row, stance=stance_value, speaker=actor, descriptor=descriptor, quote=quote,
        quote_kind=s.quote_kind if quote else None, cue=s.cue, parent=parent,
    )
    document = session.get(Document, s.document_id)
    assert document is not None
    via_actor = None
    if via and via.strip():  # the document relied on an agency or outlet: "AFP", "local media"
        from claimtrack.services.logging import guess_via_kind

        via_actor = resolve_actor(session, via, create=create, kind=guess_via_kind(via), allow_similar=allow_similar,
                                  option="--via")
    add_hop(session, document=document, statement=statement, quote=quote, via_actor=via_actor)
    before = snapshot(s)
    from claimtrack.models import utcnow

    s.status = SuggestionStatus.ACCEPTED.value
    s.statement_id = statement.id
    s.decided_at = utcnow()
    if actor is not None:
        s.speaker_id = actor.id
    session.flush()
    record_event(session, "accept", s, before=before)
    return s


def reject_suggestion(session: Session, ident: int) -> Suggestion:
    """Mark the suggestion rejected (kept, so the same candidate is not queued again)."""
    from claimtrack.models import utcnow

    s = _pending(session, ident)
    before = snapshot(s)
    s.status = SuggestionStatus.REJECTED.value
    s.decided_at = utcnow()
    session.flush()
    record_event(session, "reject", s, before=before)
    return s


def _source_kind(s: Suggestion) -> str:
    src = s.source or ""
    low = src.lower()
    if low in _HE_SHE | _IT_THEY | {"i", "you", "who", "which"}:
        return "pronoun"
    return "name" if any(w[:1].isupper() for w in src.split()) and not low.startswith(("the ", "a ", "an ")) else "role"


def _name_part(source: str) -> str:
    """'key Navalny aide Leonid Volkov' → 'Leonid Volkov': the capitalised words at the end (before any comma)."""
    words = source.split(",")[0].split()
    start = len(words)
    while start > 0 and (words[start - 1][:1].isupper() or (words[start - 1] in ("of", "de", "van", "von", "al")
                                                             and start < len(words))):
        start -= 1
    while start < len(words) and not words[start][:1].isupper():
        start += 1
    name = " ".join(words[start:]).removesuffix("'s").removesuffix("’s")
    return name or source.split(",")[0].strip()


def list_suggestions(session: Session, *, document: Document | None = None, status: str | None = "pending",
                     limit: int | None = None) -> list[Suggestion]:
    """Suggestions, in document and reading order."""
    query = select(Suggestion)
    if document is not None:
        query = query.where(Suggestion.document_id == document.id)
    if status:
        query = query.where(Suggestion.status == parse_choice(SuggestionStatus, status, "status").value)
    query = query.order_by(Suggestion.document_id, Suggestion.snapshot_id, Suggestion.cue_start)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def snapshot_of(session: Session, s: Suggestion) -> Snapshot:
    found = session.get(Snapshot, s.snapshot_id)
    assert found is not None
    return found
