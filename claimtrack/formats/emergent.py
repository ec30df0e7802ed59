"""Emergent (Ferreira & Vlachos 2016): claim headlines against news headlines with a stance.

Per row: the claim headline is a claim (key `emergent:claim:<claimId>`); the article is a
document without outlet (this version of Emergent names none; key `emergent:article:<articleId>`,
its headline as title); the headline is a statement (key `emergent:<id>`) quoting the headline,
spoken by an anonymous descriptor ("an unnamed news outlet") with the stance mapped
for → asserts, against → denies, observing → reports; and a primary hop links the document
to the statement (a headline is the outlet's own words).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from claimtrack.errors import ImportFailed
from claimtrack.formats.plan import Bad, Item
from claimtrack.formats.source import Source, csv_reader

REQUIRED = ("id", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId")
STANCES = {"for": "asserts", "against": "denies", "observing": "reports"}
DESCRIPTOR = "an unnamed news outlet"


def read_emergent(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    with source.open() as stream:
        reader = csv_reader(source, stream)
        header = next(reader, None)
        if header is None:
            raise ImportFailed(f"{source.name} is empty: nothing to import")
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ImportFailed(f"{source.name}, line 1: the Emergent header lacks {', '.join(missing)}; "
                               f"expected {','.join(REQUIRED)}")
        index = {name: header.index(name) for name in REQUIRED}
        line = 1
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                yield Bad(line, f"{len(row)} columns; the header has {len(header)}", row)
                continue
            f = {name: row[i].strip() for name, i in index.items()}
            stance = STANCES.get(f["articleHeadlineStance"])
            if stance is None:
                yield Bad(line, f"unknown stance {f['articleHeadlineStance']!r}; expected one of: "
                                f"{', '.join(STANCES)}", f)
                continue
            claim_key = f"emergent:claim:{f['claimId']}"
            document_key = f"emergent:article:{f['articleId']}"
            key = f"emergent:{f['id']}"
            yield Item(line, [
                {"type": "claim", "key": claim_key, "text": f["claimHeadline"], "language": "en"},
                {"type": "document", "key": document_key, "kind": "article", "title": f["articleHeadline"],
                 "language": "en"},
                {"type": "statement", "key": key, "claim": claim_key, "speaker_descriptor": DESCRIPTOR,
                 "stance": stance, "quote": f["articleHeadline"], "quote_kind": "direct", "cue": "headline",
                 "language": "en"},
                {"type": "hop", "key": key, "document": document_key, "statement": key, "primary": True},
            ], f)
