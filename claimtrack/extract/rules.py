"""The attribution rules: for each cue in a sentence, find its source and its content.

Shapes tried, in order, for every cue:
- *according to*: "According to SOURCE, CONTENT." / "CONTENT, according to SOURCE."
- *postposed*: "CONTENT, SOURCE said (on Tuesday)." / "“QUOTE,” he said, “QUOTE.”"
- *inverted*: "“QUOTE,” said SOURCE."
- *preposed*: "SOURCE said (that) CONTENT." / "SOURCE told AFP: “QUOTE”"
- *participle*: "…, adding that CONTENT" — the source of the clause before it.
A sentence is the unit; a quotation running across sentences joins them (see text.units).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from claimtrack.extract.lexicon import (
    ADJUNCT_AFTER,
    AUX_BEFORE,
    CUE,
    DETERMINERS,
    NO_COMMENT,
    NONFINITE,
    SPEECH_FORMS,
    STANCE_BY_CUE,
)
from claimtrack.extract.phrases import source_after, source_before
from claimtrack.extract.text import CLOSE_QUOTES, OPEN_QUOTES

Span = tuple[int, int]

_INVERTIBLE = {"said", "says", "added", "wrote", "asked", "continued", "explained", "recalled", "replied",
               "noted", "tweeted", "insisted", "argued", "warned", "told", "declared", "stated", "adds",
               "writes", "notes", "explains", "argues", "insists", "warns", "continues", "recalls"}
_CLAUSE_OPENERS = re.compile(
    r"(?:^|[,;:(—–]|\b(?:and|but|while|as|when|because|after|before|since|if|though|although|where|so|"
    r"whom|whose|that|yet|even|until|once|whereas|however|meanwhile|then|also))\s*$",
    re.IGNORECASE,
)
# the object of "told": up to "that", a quotation, a colon or a comma, at most six words
_TOLD_OBJECT = re.compile(r"(?:\s+(?!that\b)[\w.&’'()-]+){1,6}?(?=\s+that\b|\s*[,:.;]|\s+[\"“«]|\s+(?:on|in|at|during|"
                          r"about|last|this)\b|\s*$)")
_THAT = re.compile(r"\s*(?:,\s*|:\s*)?")
_PARTICIPLE_SPLIT = re.compile(r",\s+(?:adding|saying|noting|arguing|explaining|insisting|warning|"
                               r"writing|claiming|stressing|calling)\b")
# ", while key aide Leonid Volkov said …": another speaker's clause ends this content
_NEXT_CLAUSE = re.compile(r"[,;]\s+(?:while|whereas|but|and)\s+(?=(?:[\w’'.-]+\s+){1,5}"
                          r"(?:(?:has|had|also)\s+)?(?:said|says|told|added|wrote)\b)")
_TRAILING = " \t\n,;:.—–-"
_MIN_CONTENT_WORDS = 2


@dataclass(slots=True)
class Found:
    """One attribution found in a sentence (offsets into the whole text)."""

    source_span: Span | None
    source_kind: str | None
    cue_span: Span
    content_span: Span | None
    rule: str
    speech: bool
    stance: str
    parts: list[Span] | None = None  # the pieces of a content interrupted by its cue


def _strip(text: str, start: int, end: int) -> Span:
    """Trim whitespace and clause punctuation, but keep a closing quotation mark and what it closes."""
    while start < end and text[start] in " \t\n,;:—–":
        start += 1
    while end > start and text[end - 1] in _TRAILING:  # a full stop inside “….” is kept: ” is not trailing
        end -= 1
    return start, end


def _words(text: str, span: Span) -> int:
    return len(text[span[0]:span[1]].split())


def _content_ok(text: str, start: int, end: int) -> bool:
    # two words at least, or one quoted word (“No,” he said.)
    piece = text[start:end].strip()
    return len(piece.split()) >= _MIN_CONTENT_WORDS or (bool(piece) and piece[0] in OPEN_QUOTES)


def _stance(text: str, cue: Span) -> str:
    word = text[cue[0]:cue[1]].split()[-1].lower()
    return STANCE_BY_CUE.get(word, "asserts")


def find_all(text: str, units: list[Span], quotes: list[Span]) -> list[Found]:
    """Every attribution found in the text, sentence by sentence."""
    # each regex runs once over the whole text; the hits are then dealt out to the sentences
    cues = [m.span("cue") for m in CUE.finditer(text)]
    silent = [m.span("cue") for m in NO_COMMENT.finditer(text)]
    found: list[Found] = []
    for us, ue in units:
        mine = [c for c in cues[bisect_left(cues, (us, us)):bisect_left(cues, (ue, ue))] if c[1] <= ue]
        quiet = [c for c in silent[bisect_left(silent, (us, us)):bisect_left(silent, (ue, ue))] if c[1] <= ue]
        if mine or quiet:
            found.extend(find_in_unit(text, us, ue, quotes, mine, quiet))
    return found


def find_in_unit(text: str, us: int, ue: int, quotes: list[Span], cues: list[Span],
                 silent: list[Span]) -> list[Found]:
    """Every attribution found in the sentence text[us:ue], given the cue hits in it."""
    found: list[Found] = []
    inside = [(qs, qe) for qs, qe in quotes[bisect_left(quotes, (us, us)):] if qs < ue and qe <= ue]
    for cs, ce in silent:
        src = source_before(text, us, cs)
        stance = "declines_to_comment" if "comment" in text[cs:ce].lower() else "did_not_respond"
        what = _strip(text, ce, ue)  # "to requests for comment": what went unanswered
        found.append(Found(src[:2] if src else None, src[2] if src else None, (cs, ce),
                           what if _words(text, what) >= _MIN_CONTENT_WORDS else None,
                           "no-comment", True, stance))
    for cs, ce in cues:
        if any(qs < cs < qe for qs, qe in inside):
            continue  # the quoted speaker's own words
        if any(f.cue_span[0] <= cs < f.cue_span[1] for f in found):
            continue
        if _not_a_cue(text, us, cs):
            continue
        hit = _one_cue(text, us, ue, cs, ce, found)
        if hit is not None:
            found.append(hit)
    return found


_PREV_WORD = re.compile(r"([\w’']+)\W*$")


def _not_a_cue(text: str, us: int, cs: int) -> bool:
    # "United States", "the claim", "to say": a name, a noun or an infinitive, not a cue
    if text[cs].isupper() and text[us:cs].strip(" \"“‘«(") != "":
        return True
    prev = _PREV_WORD.search(text, max(us, cs - 30), cs)
    return prev is not None and prev.group(1).lower() in DETERMINERS


def _one_cue(text: str, us: int, ue: int, cs: int, ce: int, earlier: list[Found]) -> Found | None:
    word = text[cs:ce].lower()
    if word.startswith("according"):
        return _according(text, us, ue, cs, ce)
    speech = word.split()[0] in SPEECH_FORMS and word not in NONFINITE
    aux = AUX_BEFORE.search(text, us, cs)
    cue_start = aux.start("aux") if aux else cs
    cue = (cue_start, ce)
    stance = _stance(text, cue)
    if word in NONFINITE:
        return _participle(text, us, ue, cue, earlier, stance)
    told = word.startswith(("told", "tell"))
    after_cue = ce
    if told:  # "told AFP", "told reporters on Monday"
        obj = _TOLD_OBJECT.match(text, ce, ue)
        after_cue = obj.end() if obj else ce
    after = ADJUNCT_AFTER.match(text, after_cue, ue)
    rest = after.end() if after else after_cue
    tail = text[rest:ue].lstrip()
    clause_ends = not tail or tail[0] in ".,;!?—–"

    # postposed: CONTENT, SOURCE said.   /   parenthetical: CONTENT, SOURCE said, CONTENT.
    adj = _ADJUNCT_BEFORE.search(text, max(us, cue_start - 60), cue_start)
    src_end = adj.start() if adj else cue_start
    src = source_before(text, us, src_end)
    if src is not None and clause_ends:
        src = _widen(text, us, src)
        before = text[us:src[0]].rstrip()
        if _words(text, (us, src[0])) <= 1 and tail.startswith(","):
            before = ""  # "Smith said, …" is preposed
        if before and before[-1] in _CLAUSE_PUNCT and _content_ok(text, us, src[0]):
            content = _strip(text, us, us + len(before))
            found = Found(src[:2], src[2], cue, content, "postposed", speech, stance)
            return _after_postposed(text, ue, rest, tail, found)

    # inverted: “QUOTE,” said SOURCE.
    if word in _INVERTIBLE:
        before = text[us:cue_start].rstrip()
        if before and before[-1] in "," + CLOSE_QUOTES and _content_ok(text, us, cue_start):
            after_src = source_after(text, ce, ue)
            if after_src is not None and (before[-1] != "," or after_src[2] != "pronoun"):
                content = _strip(text, us, us + len(before))
                after_src = _appositive(text, ue, after_src)
                return Found(after_src[:2], after_src[2], cue, content, "inverted", speech, stance)

    # preposed: SOURCE said (that) CONTENT.
    if src is not None:
        src = _opened(text, us, src)
    if src is not None:
        if told and after_cue == ce:
            return None
        split = _PARTICIPLE_SPLIT.search(text, rest, ue) or _NEXT_CLAUSE.search(text, rest, ue)
        end = split.start() if split else ue
        content = _strip(text, rest, end)
        if _words(text, content) >= _MIN_CONTENT_WORDS and content[0] < content[1]:
            return Found(src[:2], src[2], cue, content, "preposed", speech, stance)
    return None


_ADJUNCT_BEFORE = re.compile(
    r"(?:\s+(?:on|last|this|late|early)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:\s+(?:morning|afternoon|"
    r"evening|night))?|\s+(?:on|in|at)\s+(?:an?|the|his|her|their)\s+[\w-]+(?:\s+[\w-]+)?|\s+(?:yesterday|today|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day))+\s*$")
_CLAUSE_PUNCT = ",—–:" + CLOSE_QUOTES


def _widen(text: str, us: int, src: tuple[int, int, str]) -> tuple[int, int, str]:
    """“…,” board chairwoman Ana Ruiz said: take the words back to the quotation or comma."""
    before = text[us:src[0]].rstrip()
    if not before or before[-1] in _CLAUSE_PUNCT:
        return src
    cut = max(before.rfind(ch) for ch in _CLAUSE_PUNCT)
    if cut < 0 or len(before[cut + 1:].split()) > 3:
        return src
    start = us + cut + 1
    while text[start].isspace():
        start += 1
    return start, src[1], src[2]


_LOWER_WORD = re.compile(r"([a-z][\w-]*)\s+$")


def _opened(text: str, us: int, src: tuple[int, int, str]) -> tuple[int, int, str] | None:
    """The source if a clause starts right before it; "where restructuring experts say": take in
    up to two lower-case words to reach the start of the clause."""
    start = src[0]
    for _ in range(3):
        if not text[us:start].strip() or _CLAUSE_OPENERS.search(text, us, start):
            return start, src[1], src[2]
        word = _LOWER_WORD.search(text, max(us, start - 30), start)
        if word is None or CUE.fullmatch(word.group(1)) or word.group(1) in DETERMINERS:
            return None
        start = word.start(1)
    return None


_APPOSITIVE = re.compile(r",\s+(?:an?|the|one|who|whose|which|president|chief|head|director|\w+man|\w+woman)\b")


def _appositive(text: str, ue: int, src: tuple[int, int, str]) -> tuple[int, int, str]:
    """“…,” said Peter Morgan, a lawyer for the Sierra Club. — the description belongs to the source."""
    if src[2] == "pronoun" or not _APPOSITIVE.match(text, src[1], ue):
        return src
    end = _strip(text, src[1], ue)[1]
    return (src[0], end, src[2]) if end > src[1] else src


def _after_postposed(text: str, ue: int, rest: int, tail: str, found: Found) -> Found:
    """“A,” he said, “B.” goes on with a quotation; “A,” he said, B goes on in reported speech."""
    if not tail.startswith(",") or found.content_span is None:
        return found
    comma = text.index(",", rest)
    more = _strip(text, comma + 1, ue)
    if more[1] <= more[0] or _words(text, more) < 2:
        return found
    if text[more[0]] not in OPEN_QUOTES:
        if _words(text, found.content_span) > 8:  # "…, the monitor reported, with several injured"
            return found
        found.rule = "parenthetical"
    found.parts = [found.content_span, more]
    found.content_span = (found.content_span[0], more[1])
    return found


def _according(text: str, us: int, ue: int, cs: int, ce: int) -> Found | None:
    src = source_after(text, ce, ue, loose=True)
    if src is None:
        return None
    before = _strip(text, us, cs)
    if _words(text, before) >= _MIN_CONTENT_WORDS:
        return Found(src[:2], src[2], (cs, ce), before, "according-to", True, "asserts")
    content = _strip(text, src[1], ue)
    if _words(text, content) < _MIN_CONTENT_WORDS:
        return None
    return Found(src[:2], src[2], (cs, ce), content, "according-to", True, "asserts")


def _participle(text: str, us: int, ue: int, cue: Span, earlier: list[Found], stance: str) -> Found | None:
    # "…, adding that CONTENT": the subject of the clause before is the source
    before = text[us:cue[0]].rstrip()
    if not before.endswith(","):
        return None
    owner = next((f for f in reversed(earlier) if f.cue_span[1] <= cue[0] and f.source_span), None)
    if owner is None:
        return None
    after = ADJUNCT_AFTER.match(text, cue[1], ue)
    start = after.end() if after else cue[1]
    content = _strip(text, start, ue)
    if _words(text, content) < _MIN_CONTENT_WORDS:
        return None
    return Found(owner.source_span, owner.source_kind, cue, content, "participle", False, stance)
