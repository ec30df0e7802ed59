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
from sqlalchemy.orm import Session, aliased

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


def _latest_version(scope: Scope) -> tuple[Any, Any]:
    """(FROM clause joining the newest stored version to the hop, that version's column).

    Whole database: a join to the newest version of every stored document, so the rule starts from
    the stored texts (none in a bulk-loaded archive) and no list of document ids is ever bound (one
    id per document broke PostgreSQL's 65,535 parameters at a million statements). Narrowed: one
    probe of snapshots(document_id, version) per hop in scope, never a pass over every snapshot."""
    if scope.whole:
        latest = (select(Snapshot.document_id, func.max(Snapshot.version).label("version"))
                  .group_by(Snapshot.document_id).subquery("latest_snapshot"))
        return latest, latest.c.version
    version = (select(func.max(Snapshot.version)).where(Snapshot.document_id == Hop.document_id)
               .correlate(Hop).scalar_subquery())
    return None, version


def quote_not_in_document(session: Session, scope: Scope) -> list[Problem]:
    """Direct and mixed quotes missing from the newest stored text of the document reporting them.

    The quotes to check come in one query; each stored text is then read once (by document, a
    chunk of documents at a time) and folded once, and only the hops found missing are labelled."""
    quote = func.coalesce(Hop.quote, Statement.quote)
    latest, version = _latest_version(scope)
    query = (select(Hop.document_id, version, Hop.id, quote, Statement.quote_kind)
             .join(Statement, Statement.id == Hop.statement_id))
    if latest is not None:
        query = query.join(latest, latest.c.document_id == Hop.document_id)
    query = scope_hops(query.where(quote.is_not(None), Statement.quote_kind.in_(("direct", "mixed"))), scope)
    if latest is None:
        query = query.where(version.is_not(None))
    by_document: dict[int, tuple[int, list[tuple[int, str, str]]]] = {}
    for doc_id, newest, hop_id, text, kind in session.execute(query):
        by_document.setdefault(doc_id, (newest, []))[1].append((hop_id, text, kind))
    if not by_document:
        return []
    other = aliased(Snapshot)
    texts = select(Snapshot.document_id, Snapshot.text).where(
        Snapshot.version == select(func.max(other.version)).where(other.document_id == Snapshot.document_id)
        .correlate(Snapshot).scalar_subquery())
    found: list[tuple[int, int, str, list[str], str | None]] = []  # hop, version, quote, missing, closest
    for doc_id, body in in_chunks(session, texts, Snapshot.document_id, by_document):
        newest, quotes = by_document[doc_id]
        folded = quote_fold(body)
        for hop_id, text, kind in quotes:
            missing = find_quote(text, kind, body, folded)
            if missing:
                found.append((hop_id, newest, text, missing, closest_passage(missing[0], body, folded)))
    return _problems(session, found)


def _problems(session: Session, found: list[tuple[int, int, str, list[str], str | None]]) -> list[Problem]:
    """The findings, labelled (one query for the hops found, a chunk at a time)."""
    outlet = aliased(Actor)
    labels = select(Hop.id, Statement.id, Actor.name, Statement.speaker_descriptor, Claim.text, Document.id,
                    outlet.name, Document.title) \
        .join(Statement, Statement.id == Hop.statement_id).join(Claim, Claim.id == Statement.claim_id) \
        .join(Document, Document.id == Hop.document_id).outerjoin(Actor, Actor.id == Statement.speaker_id) \
        .outerjoin(outlet, outlet.id == Document.outlet_id)
    label_of = {row[0]: row[1:] for row in in_chunks(session, labels, Hop.id, [f[0] for f in found])}
    problems = []
    for hop_id, version, quote, missing, passage in sorted(found):
        sid, speaker, descriptor, claim_text, doc_id, outlet_name, title = label_of[hop_id]
        problems.append(_problem(hop_id, quote, missing, passage, version, document_label(doc_id, outlet_name, title),
                                 statement_ref(sid, speaker, descriptor, claim_text)))
    return problems


def _problem(hop_id: int, quote: str, missing: list[str], passage: str | None, version: int, here: str,
             statement: ObjectRef) -> Problem:
    piece = missing[0]
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
