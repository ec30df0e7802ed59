"""LIAR (Wang 2017): PolitiFact statements as TSV, 14 columns, no header, no quoting.

Every row becomes a claim (matched by its text: a statement PolitiFact rated twice is one
claim), a statement by the speaker (key `liar:<id>`, stance asserts, the venue as context) and
a PolitiFact verdict (key `liar:<id>`). Speaker slugs become actors keyed by the slug, with the
slug as a `politifact` external id and the job as description.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from claimtrack.formats.plan import Bad, Item
from claimtrack.formats.source import Source, csv_reader

COLUMNS = ("id", "label", "statement", "subjects", "speaker", "speaker_job", "state", "party",
           "barely_true_count", "false_count", "half_true_count", "mostly_true_count", "pants_on_fire_count",
           "context")
#: PolitiFact's Truth-O-Meter, worst to best; rating_value is the position (0 = pants-fire, 5 = true)
LABELS = ("pants-fire", "false", "barely-true", "half-true", "mostly-true", "true")
REVIEWER = {"type": "actor", "key": "politifact", "name": "PolitiFact", "kind": "organization",
            "external_ids": {"website": "politifact.com"}}


def speaker_name(slug: str) -> str:
    """'barack-obama' -> 'Barack Obama' (LIAR keeps only the slug)."""
    return " ".join(part.capitalize() for part in slug.split("-") if part) or slug


def read_liar(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    seen_speakers: set[str] = set()
    reviewer_sent = False
    with source.open() as stream:
        reader = csv_reader(source, stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != len(COLUMNS):
                yield Bad(line, f"{len(row)} tab-separated fields; a LIAR row has {len(COLUMNS)} "
                                "(id, label, statement, …, context)", "\t".join(row))
                continue
            fields = dict(zip(COLUMNS, row))
            label = fields["label"].strip()
            if label not in LABELS:
                yield Bad(line, f"unknown label {label!r}; expected one of: {', '.join(LABELS)}", fields)
                continue
            if not fields["statement"].strip():
                yield Bad(line, "the statement column is empty", fields)
                continue
            key = f"liar:{fields['id'].strip()}"
            speaker = fields["speaker"].strip() or None
            if not reviewer_sent:
                reviewer_sent = True
                yield Item(line, [dict(REVIEWER)])
            if speaker is not None and speaker not in seen_speakers:
                seen_speakers.add(speaker)
                party = fields["party"].strip()
                yield Item(line, [{
                    "type": "actor", "key": speaker, "name": speaker_name(speaker),
                    "kind": "organization" if party == "organization" else "person",
                    "external_ids": {"politifact": speaker},
                    "description": fields["speaker_job"].strip() or None,
                }])
            yield Item(line, [
                {"type": "claim", "key": key, "text": fields["statement"].strip(), "language": "en"},
                {"type": "statement", "key": key, "claim": key, "speaker": speaker, "stance": "asserts",
                 "context": fields["context"].strip() or None, "language": "en"},
                {"type": "verdict", "key": key, "claim": key, "label": label,
                 "rating_value": LABELS.index(label), "best": len(LABELS) - 1, "worst": 0,
                 "reviewer": "politifact", "language": "en"},
            ], fields)
