"""Quote drift: the words attributed to a speaker change from one hop to the next."""

from __future__ import annotations

import difflib
import re
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from claimtrack.checks import ObjectRef, Problem, Scope
from claimtrack.checks._common import document_label, in_chunks, scope_hops, statement_ref
from claimtrack.models import Actor, Claim, Document, Hop, Statement
from claimtrack.normalize import fold

_WORD = re.compile(r"\S+")


def word_diff(before: str, after: str) -> dict[str, Any]:
    """A word-level diff: `text` marks removed words [-so-] and added ones {+so+}; `ops` lists the changes."""
    old, new = _WORD.findall(before), _WORD.findall(after)
    parts: list[str] = []
    ops: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        removed, added = " ".join(old[i1:i2]), " ".join(new[j1:j2])
        if tag == "equal":
            parts.append(removed)
            continue
        if removed:
            parts.append(f"[-{removed}-]")
        if added:
            parts.append(f"{{+{added}+}}")
        ops.append({"op": tag, "from": removed, "to": added})
    return {"text": " ".join(parts), "ops": ops}


def _drift_parts(hop_id: int, quote: str, reference: str, source: str, here: str, via_id: int | None,
                 there: str | None, statement: ObjectRef) -> tuple[str, list[ObjectRef], dict[str, Any]]:
    diff = word_diff(reference, quote)
    objects = [ObjectRef("hop", hop_id, here), statement]
    if via_id is not None:
        objects.append(ObjectRef("hop", via_id, there))
    message = (f'The quote changed: {here} prints "{quote}" where {source} has "{reference}" '
               f"(word changes: {diff['text']}). Check which wording the speaker used.")
    return message, objects, {"from": reference, "to": quote, "diff": diff["text"], "ops": diff["ops"],
                              "from_hop": via_id}


def quote_drift(session: Session, scope: Scope) -> list[Problem]:
    """A hop's quote differs from the quote at the hop it relies on, or else from the statement's own.

    Differences of case, accents, punctuation and spacing are not drift. Neither is a change of
    language: when both documents give a language and they differ, the quote was translated.
    """
    via_hop = aliased(Hop)
    doc = aliased(Document)
    via_doc = aliased(Document)
    outlet = aliased(Actor)
    via_outlet = aliased(Actor)
    speaker = aliased(Actor)
    differs = or_(
        and_(via_hop.quote.is_not(None), via_hop.quote != Hop.quote),
        and_(via_hop.quote.is_(None), Statement.quote.is_not(None), Statement.quote != Hop.quote),
    )
    # ids first, in one narrow scan (hop, its statement, the hop it relies on); the labelled
    # query then reads only those hops instead of looking up documents, claims and actors for all
    candidates = list(session.scalars(scope_hops(
        select(Hop.id)
        .join(Statement, Statement.id == Hop.statement_id)
        .outerjoin(via_hop, via_hop.id == Hop.via_hop_id)
        .where(Hop.quote.is_not(None), differs),
        scope,
    )))
    if not candidates:
        return []
    query = scope_hops(
        select(Hop.id, Hop.quote, via_hop.id, via_hop.quote, Statement.id, Statement.quote, Statement.language,
               speaker.name, Statement.speaker_descriptor, Claim.text,
               doc.id, outlet.name, doc.title, doc.language, via_doc.id, via_outlet.name, via_doc.title,
               via_doc.language)
        .join(Statement, Statement.id == Hop.statement_id)
        .join(Claim, Claim.id == Statement.claim_id)
        .join(doc, doc.id == Hop.document_id)
        .outerjoin(outlet, outlet.id == doc.outlet_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .outerjoin(via_hop, via_hop.id == Hop.via_hop_id)
        .outerjoin(via_doc, via_doc.id == via_hop.document_id)
        .outerjoin(via_outlet, via_outlet.id == via_doc.outlet_id)
        .where(Hop.quote.is_not(None), differs),
        scope,
    )
    problems = []
    for (hop_id, quote, via_id, via_quote, sid, st_quote, st_language, speaker_name, descriptor, text,
         doc_id, outlet_name, title, language, vdoc_id, voutlet, vtitle, vlanguage) in in_chunks(
            session, query, Hop.id, candidates):
        here = document_label(doc_id, outlet_name, title)
        if via_quote is not None:
            reference, source, source_language = via_quote, f"{document_label(vdoc_id, voutlet, vtitle)}, which it relies on", vlanguage
        else:
            reference, source, source_language = st_quote, f"the quote recorded for statement {sid}", st_language
        if fold(reference) == fold(quote):
            continue
        if language and source_language and language.split("-")[0].lower() != source_language.split("-")[0].lower():
            continue
        there = document_label(vdoc_id, voutlet, vtitle) if via_id is not None else None
        # lazy (Problem.lazy): the word diff and the sentence are built when read
        problems.append(Problem.lazy("quote-drift", "warning", f"quote-drift:hop:{hop_id}", _drift_parts, hop_id,
                                     quote, reference, source, here, via_id, there,
                                     statement_ref(sid, speaker_name, descriptor, text)))
    return problems
