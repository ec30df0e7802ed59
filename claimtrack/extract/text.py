"""Sentences and quotations of a text, as character offsets into the text exactly as given.

Two sentence splitters: a fast one of our own (regex over candidate boundaries plus a list of
abbreviations) and pysbd, the kept rule-based library. pysbd is ~15× slower (≈17 articles/s on
PolNeAR against a target of 200), so the default is ours; `splitter="pysbd"` uses pysbd and
aligns its sentences back onto the text (its own char_span offsets drift on repeated
sentences). bench/extract_eval.py scores both.
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimtrack.extract.lexicon import ABBREVIATIONS

#: paired quotation marks of many scripts; German „…“ is tried before English “…”
QUOTE = re.compile(
    r"„[^„“”\n]*[“”]|“[^“”\n]*”|«[^«»\n]*»|‹[^‹›\n]*›|「[^「」]*」|『[^『』]*』|"
    r"''(?:[^'\n]|'(?!'))+''|\"[^\"\n]*\"|”[^“”\n]*”|(?<![\w’'])‘[^‘’\n]+’(?![\w’'])"
)
QUOTE_CHARS = "\"“”„«»‹›「」『』‘’"
OPEN_QUOTES = "“\"‘«„‹「『'"  # ' for the ''…'' of some newspapers' archives
CLOSE_QUOTES = "”\"’»“›」』'"

# a boundary candidate: end punctuation, optional closing quotes/brackets, then space;
# or a line break
_BOUNDARY = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s)|\n")
_NEXT_START = re.compile(r"\s*[\"“‘«(\[„']{0,2}\s*[A-Z0-9À-ÖØ-Þ\u0400-\u042f]")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included, left to right, not overlapping."""
    return [m.span() for m in QUOTE.finditer(text)]


def split_fast(text: str) -> list[tuple[int, int]]:
    """Sentence spans, whitespace trimmed, by a regex and an abbreviation list."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group() != "\n":
            if not _NEXT_START.match(text, end):
                continue
            w = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start() + 1)
            if m.group()[0] == "." and w is not None:
                word = w.group(1).lower()
                if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
        _add(text, spans, start, end)
        start = end
    _add(text, spans, start, len(text))
    return spans


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


@lru_cache(maxsize=1)
def _pysbd_segmenter():  # pragma: no cover - exercised by the bench and one test
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_pysbd(text: str) -> list[tuple[int, int]]:
    """Sentence spans from pysbd, aligned onto the text by searching forward."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line_start, line in _lines(text):
        for sent in _pysbd_segmenter().segment(line):
            piece = sent.strip()
            if not piece:
                continue
            found = text.find(piece, max(pos, line_start))
            if found < 0:  # pysbd changed the text; give up on this sentence
                continue
            spans.append((found, found + len(piece)))
            pos = found + len(piece)
    return spans


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def units(text: str, splitter: str = "fast", quotes: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentences, joined where a quotation runs across a sentence boundary."""
    sentences = split_pysbd(text) if splitter == "pysbd" else split_fast(text)
    if quotes is None:
        quotes = quote_spans(text)
    out: list[tuple[int, int]] = []
    qi = 0
    for start, end in sentences:
        while qi < len(quotes) and quotes[qi][1] <= start:
            qi += 1
        if out and qi < len(quotes) and quotes[qi][0] < start < quotes[qi][1]:
            out[-1] = (out[-1][0], end)
            continue
        if out and _continues(text, out[-1][1], start):
            out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out


def _continues(text: str, prev_end: int, start: int) -> bool:
    # '“…we will win.” he said' – a lower-case attribution split from its quote
    gap = text[prev_end:start]
    return "\n" not in gap and start < len(text) and text[start].islower()
