"""Noun phrases next to a cue: the source of an attribution, found by shape, not by parsing.

A source is a short run of words ending in a head that can speak: a capitalised name
("Ilya Azar", "OVD-Info"), a role noun ("the spokeswoman", "officials") or a pronoun ("he").
Words before the head may be names, titles, modifiers ("key Navalny aide Leonid Volkov") and
up to two unknown lower-case words when a determiner comes before them ("the interior ministry").
"""

from __future__ import annotations

import re

from claimtrack.extract.lexicon import (
    ABBREVIATIONS,
    CAPITAL_STOP,
    PRONOUNS,
    ROLE_NOUNS,
    SOURCE_MODIFIERS,
)
from claimtrack.extract.lexicon import CUE as CUE_WORD
from claimtrack.extract.text import QUOTE_CHARS

_WORD = re.compile(r"\S+")
_BREAK = ",;:—–" + QUOTE_CHARS
_STRIP = "\"“”„«»‹›「」『』‘’,;:.!?()[]"
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "another", "one", "several", "some", "many",
                "most", "few", "two", "three", "four", "other", "both"}
_JOINERS = {"of", "for", "and", "at", "to", "in", "from"}
MAX_WORDS = 12


def _core(word: str) -> str:
    core = word.strip(_STRIP)
    for suffix in ("’s", "'s"):
        if core.endswith(suffix):
            return core
    return core


def _capitalised(core: str) -> bool:
    return bool(core) and (core[0].isupper() or (core[0].isdigit() and "-" in core)) and core not in CAPITAL_STOP


def _head_ok(core: str) -> str | None:
    """'name' | 'role' | 'pronoun' when the word can end a source, else None."""
    low = core.lower()
    if low in PRONOUNS:
        return "pronoun"
    if _capitalised(core):
        return "name"
    if low in ROLE_NOUNS:
        return "role"
    return None


def source_before(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The source phrase ending at `end` (only whitespace after it), as (start, end, head kind)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    if not words:
        return None
    ws_last, we = words[-1]
    if text[we - 1] in _BREAK or text[ws_last:we].endswith("''"):
        return None
    # a parenthesis at the end: "(D-Calif.)" belongs to the name before it
    i = len(words) - 1
    if text[we - 1] == ")":
        while i >= 0 and "(" not in text[words[i][0]:words[i][1]]:
            i -= 1
        if i <= 0:
            return None
        i -= 1
    core = _core(text[words[i][0]:words[i][1]])
    kind = _head_ok(core)
    if kind is None:
        return None
    first = i
    if kind == "pronoun":
        return words[i][0], we, kind
    j = i - 1
    while j >= 0 and i - j < MAX_WORDS:
        raw = text[words[j][0]:words[j][1]]
        if raw[-1] == "." and _INITIAL.fullmatch(raw):  # "Paul D. Ryan"
            first = j
            j -= 1
            continue
        if raw[-1] in _BREAK or raw.endswith("''") or raw[-1] in ".!?" and raw.strip(".").lower() not in _ABBR_OK:
            break
        core = _core(raw)
        low = core.lower()
        if _capitalised(core) or low in ROLE_NOUNS or low in SOURCE_MODIFIERS or core.endswith(("’s", "'s")):
            first = j
            j -= 1
            continue
        # "the interior ministry": unknown lower-case words after a determiner
        k = next((k for k in range(j - 1, max(j - 3, -1), -1)
                  if _core(text[words[k][0]:words[k][1]]).lower() in _DETERMINERS), None)
        if k is not None and core.isalpha() and core.islower() and not CUE_WORD.fullmatch(core):
            first = k
            j = k - 1
            continue
        break
    while first < i and _core(text[words[first][0]:words[first][1]]).lower() in _JOINERS:
        first += 1
    return words[first][0], we, kind


_PREPOSITIONS = {"on", "in", "at", "to", "with", "by", "for", "during", "after", "before", "from", "of", "about"}
_INITIAL = re.compile(r"(?:[A-Z]\.)+")
_ABBR_OK = ABBREVIATIONS | {"del"}


def source_after(text: str, start: int, end: int, *, loose: bool = False) -> tuple[int, int, str] | None:
    """The source phrase starting at `start` and running to a comma, a full stop or the end.

    The phrase must end in a head (a name, a role noun, a pronoun, or a parenthesis after one);
    the words before it may be anything ("conservative talk radio host Rush Limbaugh").
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    if not words:
        return None
    last: int | None = None
    for n, (ws, we) in enumerate(words[:MAX_WORDS]):
        raw = text[ws:we]
        if n == 0 and raw[0] in QUOTE_CHARS:
            return None
        if CUE_WORD.fullmatch(_core(raw)) and n > 0:
            return None
        if n == 0 and raw in _PREPOSITIONS:
            return None
        if raw[-1] == "." and _INITIAL.fullmatch(raw):  # "Ronald R. Fieldstone", "G.K. Butterfield"
            continue
        if raw[-1] in ",;:.!?" and _core(raw).lower() not in _ABBR_OK or raw[-1] in "—–":
            last = n
            break
    else:
        last = min(len(words), MAX_WORDS) - 1 if len(words) <= MAX_WORDS else None
    if last is None:
        return None
    k = last
    raw = text[words[k][0]:words[k][1]]
    if raw.rstrip(",;:.!?").endswith(")"):
        while k > 0 and "(" not in text[words[k][0]:words[k][1]]:
            k -= 1
        k -= 1
        if k < 0:
            return None
    head = _core(text[words[k][0]:words[k][1]])
    kind = _head_ok(head)
    if kind is None and loose and head.isalpha() and last < 8:  # "according to the data,"
        kind = "role"
    if kind is None or kind == "pronoun" and last > 0:
        return None
    end_at = words[last][1]
    while end_at > words[0][0] and text[end_at - 1] in _BREAK + ".!? ":
        if text[end_at - 1] == "." and _core(text[words[last][0]:end_at]).lower() in _ABBR_OK:
            break
        end_at -= 1
    return words[0][0], end_at, kind
