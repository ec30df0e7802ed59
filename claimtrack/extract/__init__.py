"""Candidate attributions ("who said what") found in a text, without a database.

`extract(text)` returns `Candidate`s whose spans are character offsets into `text` exactly as
given (end exclusive). Rule-based: sentences (text.units), cue verbs (lexicon), sources by
shape (phrases) and the attribution shapes of rules.py. Every candidate is a suggestion for a
person to review, with a confidence between 0 and 1; nothing here is a fact.

The JSON form (`candidate_dicts`) is the stable contract documented in docs/formats.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.extract.rules import Found, Span, find_all
from claimtrack.extract.text import OPEN_QUOTES, quote_spans, units

#: bumped whenever the rules change what they find; recorded with every accepted suggestion
EXTRACTOR_VERSION = "rules-1"
#: candidates below this confidence are not shown by default (chosen on the "tune" half of PolNeAR dev)
DEFAULT_MIN_CONFIDENCE = 0.0
METHOD = "claimtrack-extract"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed attribution: SOURCE — CUE — CONTENT, with offsets into the text."""

    source: str | None
    source_span: Span | None
    source_kind: str | None  # name | role | pronoun
    cue: str
    cue_span: Span
    content: str | None
    content_span: Span | None
    content_parts: tuple[Span, ...] | None  # the pieces when the cue interrupts the content
    quote_kind: str  # direct | indirect | mixed
    nested_in: int | None
    confidence: float
    stance: str  # a hint: asserts, denies, confirms, disputes, did_not_respond, declines_to_comment
    rule: str


_WORDY = re.compile(r"\w")
_BASE = {"postposed": 0.78, "inverted": 0.84, "preposed": 0.68, "according-to": 0.8, "participle": 0.5,
         "no-comment": 0.88,
         "parenthetical": 0.6}


def extract(text: str, *, splitter: str = "fast") -> list[Candidate]:
    """Candidate attributions in `text`, in reading order."""
    quotes = quote_spans(text)
    sentences = units(text, splitter, quotes)
    found = find_all(text, sentences, quotes)
    _continue_quotes(text, sentences, found)
    found.sort(key=lambda f: f.cue_span[0])
    kinds = [_quote_kind(text, f, quotes) for f in found]
    nested = _nesting(found)
    out = []
    for f, kind, parent in zip(found, kinds, nested, strict=True):
        out.append(Candidate(
            source=_at(text, f.source_span), source_span=f.source_span, source_kind=f.source_kind,
            cue=text[f.cue_span[0]:f.cue_span[1]], cue_span=f.cue_span,
            content=_at(text, f.content_span), content_span=f.content_span,
            content_parts=tuple(f.parts) if f.parts else None,
            quote_kind=kind, nested_in=parent, confidence=_confidence(text, f, kind), stance=f.stance,
            rule=f.rule,
        ))
    return out


_OPENING = OPEN_QUOTES


def _continue_quotes(text: str, sentences: list[Span], found: list[Found]) -> None:
    """“A,” he said. “B.” — a quotation that goes on in the next sentences of the paragraph."""
    cue_starts = sorted(f.cue_span[0] for f in found)
    for f in found:
        if f.rule not in ("postposed", "inverted") or f.content_span is None:
            continue
        if text[f.content_span[0]] not in _OPENING:
            continue
        i = next((k for k, (a, b) in enumerate(sentences) if a <= f.cue_span[0] < b), None)
        if i is None:
            continue
        parts = f.parts or [f.content_span]
        k = i + 1
        while k < len(sentences):
            a, b = sentences[k]
            if "\n" in text[sentences[k - 1][1]:a] or text[a] not in _OPENING:
                break
            if any(a <= c < b for c in cue_starts):
                break
            parts.append((a, b))
            k += 1
        if len(parts) > (len(f.parts) if f.parts else 1):
            f.parts = parts
            f.content_span = (f.content_span[0], parts[-1][1])


def _at(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span[0]:span[1]]


def _quote_kind(text: str, f: Found, quotes: list[Span]) -> str:
    if f.content_span is None:
        return "indirect"
    cs, ce = f.content_span
    inside = [(max(qs, cs), min(qe, ce)) for qs, qe in quotes if qs < ce and qe > cs]
    if not inside:
        return "indirect"
    skip = sorted([s for s in (f.source_span, f.cue_span) if s is not None] + inside)
    pos = cs
    for a, b in skip:  # any word character outside the quotations, the source and the cue?
        if a > pos and _WORDY.search(text, pos, a):
            return "mixed"
        pos = max(pos, b)
    return "mixed" if _WORDY.search(text, pos, ce) else "direct"


def _nesting(found: list[Found]) -> list[int | None]:
    parents: list[int | None] = []
    for j, inner in enumerate(found):
        best: int | None = None
        best_len = 0
        for i, outer in enumerate(found):
            if i == j or outer.content_span is None:
                continue
            a, b = outer.content_span
            if a <= inner.cue_span[0] and inner.cue_span[1] <= b and (best is None or b - a < best_len):
                best, best_len = i, b - a
        parents.append(best)
    return parents


def _confidence(text: str, f: Found, kind: str) -> float:
    score = _BASE.get(f.rule, 0.5)
    score += 0.1 if f.speech else -0.22
    if kind == "direct":
        score += 0.06
    if f.source_kind == "name":
        score += 0.03
    if f.source_span is None:
        score -= 0.15
    if f.content_span is not None and len(text[f.content_span[0]:f.content_span[1]].split()) < 4:
        score -= 0.1
    return round(min(0.99, max(0.05, score)), 2)


def candidate_dicts(candidates: list[Candidate]) -> list[dict]:
    """The JSON contract of `claimtrack extract --json` (docs/formats.md)."""
    return [
        {
            "source": c.source, "source_span": _span(c.source_span), "source_kind": c.source_kind,
            "cue": c.cue, "cue_span": _span(c.cue_span),
            "content": c.content, "content_span": _span(c.content_span),
            "content_parts": None if c.content_parts is None else [_span(p) for p in c.content_parts],
            "quote_kind": c.quote_kind, "nested_in": c.nested_in, "confidence": c.confidence,
            "stance": c.stance, "rule": c.rule,
        }
        for c in candidates
    ]


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else [span[0], span[1]]
