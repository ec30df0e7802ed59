"""Quote not in document: a direct quote (or the quoted words of a mixed one) that the stored
text of the document reporting it does not contain.

Compared after folding quotation marks, apostrophes, dashes, whitespace and case, so typography
is not a finding; an ellipsis in the quote ("…", "...", "[…]") marks left-out words, and each
piece is looked for on its own. Documents without a stored text (snapshot) cannot be checked:
`quote_coverage` counts them, and `claimtrack audit` says how many were skipped, so a clean audit
never hides that nothing was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimtrack.checks import ObjectRef, Problem, Scope
from claimtrack.checks._common import document_label, in_chunks, scope_hops, statement_ref
from claimtrack.checks.quotes import word_diff
from claimtrack.models import Actor, Claim, Document, Hop, Snapshot, Statement

RULE = "quote-not-in-document"
_QUOTES = "\"“”„‟«»‹›「」『』"
_APOSTROPHES = "'‘’‚‛`´"
_DASHES = "-‐‑‒–—―−"
_TRANSLATE = {ord(c): None for c in _QUOTES} | {ord(c): "'" for c in _APOSTROPHES} | {ord(c): "-" for c in _DASHES}
_SPACE = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
_QUOTED = re.compile(r"[\"“„«‹「『]([^\"“”„«»‹›「」『』]+)[\"”“»›」』]")


def quote_fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, its offset in `text`."""
    out: list[str] = []
    where: list[int] = []
    space = True  # drop leading spaces and collapse runs
    for i, ch in enumerate(text):
        mapped = ch.translate(_TRANSLATE)
        if not mapped:
            continue
        if mapped.isspace():
            if not space:
                out.append(" ")
                where.append(i)
            space = True
            continue
        for piece in mapped.casefold():
            out.append(piece)
            where.append(i)
        space = False
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    return "".join(out), where


def quoted_parts(quote: str, kind: str) -> list[str]:
    """What must be found verbatim: a direct quote whole, a mixed one's words inside quotation marks."""
    if kind == "mixed":
        parts = [m.group(1) for m in _QUOTED.finditer(quote)]
    else:
        parts = [quote]
    pieces: list[str] = []
    for part in parts:
        pieces.extend(p for p in _ELLIPSIS.split(part) if quote_fold(p)[0].strip(" .,;:!?"))
    return pieces


def find_quote(quote: str, kind: str, text: str, folded: tuple[str, list[int]] | None = None) -> list[str]:
    """The pieces of the quote that are not in `text` (empty: the quote is there)."""
    hay, _ = folded or quote_fold(text)
    missing = []
    for piece in quoted_parts(quote, kind):
        needle = quote_fold(piece)[0].strip(" .,;:!?")
        if needle and needle not in hay:
            missing.append(piece)
    return missing


def closest_passage(piece: str, text: str, folded: tuple[str, list[int]] | None = None) -> str | None:
    """The passage of `text` most like `piece` (rapidfuzz partial alignment), as written in `text`."""
    from rapidfuzz import fuzz

    hay, where = folded or quote_fold(text)
    needle = quote_fold(piece)[0]
    if not hay or not needle:
        return None
    found = fuzz.partial_ratio_alignment(needle, hay)
    if found is None or found.score < 50 or found.dest_end <= found.dest_start:
        return None
    start, end = where[found.dest_start], where[found.dest_end - 1] + 1
    # widen to whole words
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return _SPACE.sub(" ", text[start:end]).strip()


def quote_not_in_document(session: Session, scope: Scope) -> list[Problem]:
    """Direct and mixed quotes missing from the newest stored text of the document reporting them."""
    quote = func.coalesce(Hop.quote, Statement.quote)
    base = scope_hops(
        select(Hop.id, Hop.document_id)
        .join(Statement, Statement.id == Hop.statement_id)
        .where(quote.is_not(None), Statement.quote_kind.in_(("direct", "mixed"))),
        scope,
    )
    rows = session.execute(base).all()
    if not rows:
        return []
    doc_ids = sorted({doc_id for _, doc_id in rows})
    latest = dict(session.execute(
        select(Snapshot.document_id, func.max(Snapshot.version)).where(Snapshot.document_id.in_(doc_ids))
        .group_by(Snapshot.document_id)).all())
    problems: list[Problem] = []
    checked = [hop_id for hop_id, doc_id in rows if doc_id in latest]
    texts: dict[int, tuple[str, tuple[str, list[int]]]] = {}
    if checked:
        query = scope_hops(
            select(Hop.id, quote, Statement.quote_kind, Statement.id, Actor.name, Statement.speaker_descriptor,
                   Claim.text, Document.id, Document.title, Hop.document_id)
            .join(Statement, Statement.id == Hop.statement_id)
            .join(Claim, Claim.id == Statement.claim_id)
            .join(Document, Document.id == Hop.document_id)
            .outerjoin(Actor, Actor.id == Statement.speaker_id),
            scope,
        )
        outlets = _outlets(session, [d for d in doc_ids if d in latest])
        for hop_id, text, kind, sid, speaker, descriptor, claim_text, doc_id, title, _ in in_chunks(
                session, query, Hop.id, checked):
            if doc_id not in texts:
                body = session.scalar(select(Snapshot.text).where(Snapshot.document_id == doc_id,
                                                                  Snapshot.version == latest[doc_id])) or ""
                texts[doc_id] = (body, quote_fold(body))
            body, folded = texts[doc_id]
            missing = find_quote(text, kind, body, folded)
            if not missing:
                continue
            problems.append(_problem(hop_id, text, missing, body, folded, latest[doc_id],
                                     document_label(doc_id, outlets.get(doc_id), title),
                                     statement_ref(sid, speaker, descriptor, claim_text)))
    return problems


def _problem(hop_id: int, quote: str, missing: list[str], body: str, folded: tuple[str, list[int]], version: int,
             here: str, statement: ObjectRef) -> Problem:
    piece = missing[0]
    passage = closest_passage(piece, body, folded)
    if passage:
        diff = word_diff(passage, piece)
        closest = f'; the closest passage is "{passage}" (word changes: {diff["text"]})'
        details: dict[str, Any] = {"quote": quote, "missing": missing, "closest": passage, "diff": diff["text"],
                                   "ops": diff["ops"], "version": version}
    else:
        closest = "; no passage resembles it"
        details = {"quote": quote, "missing": missing, "closest": None, "diff": None, "ops": [], "version": version}
    return Problem(
        RULE, "warning",
        f'The quote is not in the text of {here} (version {version}): "{piece}"{closest}. '
        "Check the wording against the article.",
        [ObjectRef("hop", hop_id, here), statement], f"{RULE}:hop:{hop_id}", details,
    )


def _outlets(session: Session, doc_ids: list[int]) -> dict[int, str]:
    if not doc_ids:
        return {}
    return dict(session.execute(select(Document.id, Actor.name).join(Actor, Actor.id == Document.outlet_id)
                                .where(Document.id.in_(doc_ids))).all())


@dataclass(frozen=True)
class QuoteCoverage:
    """How many documents carrying direct or mixed quotes the rule could check, and could not."""

    checked_documents: int
    skipped_documents: int  # no stored text
    skipped_quotes: int

    def sentence(self) -> str | None:
        if not self.checked_documents and not self.skipped_documents:
            return None
        text = f"{RULE}: quotes checked in {self.checked_documents} document(s) with stored text"
        if self.skipped_documents:
            text += (f"; {self.skipped_documents} document(s) without stored text skipped ({self.skipped_quotes} "
                     "quote(s) not checked; store a page with `claimtrack document add --file PAGE --url URL`)")
        return text


def quote_coverage(session: Session, scope: Scope) -> QuoteCoverage:
    """Count what `quote_not_in_document` checks and what it skips for want of a stored text."""
    quote = func.coalesce(Hop.quote, Statement.quote)
    has_text = select(Snapshot.id).where(Snapshot.document_id == Hop.document_id).exists()
    rows = session.execute(scope_hops(
        select(Hop.document_id, has_text, func.count())
        .join(Statement, Statement.id == Hop.statement_id)
        .where(quote.is_not(None), Statement.quote_kind.in_(("direct", "mixed")))
        .group_by(Hop.document_id),
        scope,
    )).all()
    return QuoteCoverage(sum(1 for _, ok, _ in rows if ok), sum(1 for _, ok, _ in rows if not ok),
                         sum(n for _, ok, n in rows if not ok))
