"""Any CSV/TSV with a header, mapped with `--map FIELD=COLUMN` (see docs/formats.md).

Fields: claim (required), speaker, stance, quote, said, language — a statement; outlet, url,
title, published — the document that reported it (with a hop to the statement); verdict,
rating_value, best, worst, reviewer — a verdict on the claim.
Keys: a statement is `csv:<digest of the row's mapped values>`, its verdict the same with
`:verdict`; documents are keyed by their URL; speakers, outlets and reviewers by the slug of
their name. Re-importing the same rows therefore matches everything.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from claimtrack.errors import ImportFailed
from claimtrack.formats.claimreview import url_key
from claimtrack.formats.plan import Bad, Item, slug
from claimtrack.formats.source import Source, decode_text_lines

FIELDS = ("claim", "speaker", "stance", "quote", "said", "outlet", "url", "title", "published", "verdict",
          "rating_value", "best", "worst", "reviewer", "language")
STATEMENT_FIELDS = ("speaker", "stance", "quote", "said", "outlet", "url", "title", "published")


def read_csv(source: Source, *, mapping: dict[str, str] | None = None, delimiter: str | None = None,
             **_options: Any) -> Iterator[Item | Bad]:
    mapping = dict(mapping or {})
    if "claim" not in mapping:
        raise ImportFailed("csv import needs --map claim=COLUMN (the column holding the claim)")
    unknown = [f for f in mapping if f not in FIELDS]
    if unknown:
        raise ImportFailed(f"--map: unknown field {unknown[0]!r}; expected one of: {', '.join(FIELDS)}")
    if delimiter is None:
        delimiter = "\t" if source.name.lower().endswith(".tsv") else ","
    with source.open() as stream:
        reader = csv.reader(decode_text_lines(source, stream), delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise ImportFailed(f"{source.name} is empty: nothing to import")
        header = [h.strip() for h in header]
        for field, column in mapping.items():
            if column not in header:
                raise ImportFailed(f"{source.name}: --map {field}={column}: there is no column {column!r}; "
                                   f"the header has: {', '.join(header)}")
        index = {field: header.index(column) for field, column in mapping.items()}
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield Bad(line, f"{len(row)} columns; the header has {len(header)}", row)
                continue
            values = {field: row[i].strip() or None for field, i in index.items()}
            try:
                yield Item(line, _records(values), values)
            except ValueError as exc:
                yield Bad(line, str(exc), values)


def _number(values: dict[str, str | None], field: str) -> float | None:
    value = values.get(field)
    if value is None:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"{field} {value!r} is not a number") from None


def _records(v: dict[str, str | None]) -> list[dict[str, Any]]:
    claim_text = v.get("claim")
    if not claim_text:
        raise ValueError(f"the claim column ({'claim'}) is empty")
    digest = hashlib.sha1(json.dumps(v, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
    key = f"csv:{digest}"
    records: list[dict[str, Any]] = [{"type": "claim", "key": key, "text": claim_text, "language": v.get("language")}]
    if any(v.get(f) for f in STATEMENT_FIELDS):
        speaker = None
        if v.get("speaker"):
            speaker = slug(v["speaker"])  # type: ignore[arg-type]
            records.append({"type": "actor", "key": speaker, "name": v["speaker"], "kind": "person"})
        quote = v.get("quote")
        records.append({"type": "statement", "key": key, "claim": key, "speaker": speaker,
                        "stance": v.get("stance") or "asserts", "quote": quote,
                        "quote_kind": "direct" if quote else None, "said": v.get("said"), "language": v.get("language")})
        if v.get("url") or v.get("outlet") or v.get("title"):
            outlet = None
            if v.get("outlet"):
                outlet = slug(v["outlet"])  # type: ignore[arg-type]
                records.append({"type": "actor", "key": outlet, "name": v["outlet"], "kind": "outlet"})
            document_key = url_key("url", v["url"]) if v.get("url") else f"{key}:document"  # type: ignore[arg-type]
            records.append({"type": "document", "key": document_key, "outlet": outlet, "url": v.get("url"),
                            "title": v.get("title"), "published": v.get("published"), "language": v.get("language")})
            records.append({"type": "hop", "key": f"{key}:hop", "document": document_key, "statement": key,
                            "quote": quote})
    if v.get("verdict"):
        reviewer = None
        if v.get("reviewer"):
            reviewer = slug(v["reviewer"])  # type: ignore[arg-type]
            records.append({"type": "actor", "key": reviewer, "name": v["reviewer"], "kind": "organization"})
        records.append({"type": "verdict", "key": f"{key}:verdict", "claim": key, "label": v["verdict"],
                        "rating_value": _number(v, "rating_value"), "best": _number(v, "best"),
                        "worst": _number(v, "worst"), "reviewer": reviewer, "language": v.get("language")})
    return records
