"""`--format auto`, and the check that a file really is in the format `--format` names.

Detection reads only the first 64 KiB and answers only when the content is unambiguous:
a native header or record line, a `claimtrack_format` document, ClaimReview JSON-LD (`@type`
ClaimReview, `@graph`, or `<script type="application/ld+json">` lines), a `claims:search`
response (`claimReview` lists), the PolNeAR TSV header, the Emergent CSV header, LIAR rows
(14 tab-separated fields, the first like `2635.json`), or a folder of brat `.ann` files.
Generic CSV is never guessed: it needs `--map`.
"""

from __future__ import annotations

import re
from typing import Any

from claimtrack.errors import ImportFailed
from claimtrack.formats.plan import RECORD_TYPES
from claimtrack.formats.safejson import MAX_DEPTH, parse_json
from claimtrack.formats.source import Source

LABELS = {
    "jsonl": "claimtrack native jsonl",
    "json": "claimtrack native json",
    "claimreview": "ClaimReview JSON-LD",
    "google-factcheck": "Google Fact Check Tools (claims:search)",
    "liar": "LIAR TSV",
    "emergent": "Emergent CSV",
    "polnear": "PolNeAR",
    "csv": "CSV",
}
POLNEAR_COLUMNS = ("article", "annotator", "source", "cue", "content")
EMERGENT_COLUMNS = ("claimHeadline", "articleHeadline", "articleHeadlineStance")
_LIAR_ID = re.compile(r"^\d+\.json$")


def _is_claimreview(obj: Any) -> bool:
    if not isinstance(obj, dict):
        return False
    kind = obj.get("@type")
    return kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind) or "@graph" in obj


def _first_record(line: str) -> Any:
    """The first line parsed as JSON when it is a plausible record, else None.

    A line that opens more brackets than any record has is not parsed at all: a CSV or LIAR
    file may start with `[[[[…` as data, and sniffing must never choke on it.
    """
    if line.count("[") + line.count("{") > MAX_DEPTH:
        return None
    try:
        return parse_json(line)
    except (ValueError, RecursionError):
        return None


def sniff(source: Source) -> str | None:
    """The format the content shows unambiguously, or None."""
    if source.path is not None and source.path.is_dir():
        if any(source.path.rglob("*.ann")):
            return "polnear"
        return None
    head = source.head(65536)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text = head.decode("utf-8", errors="ignore").lstrip()
    if not text:
        return None
    first_line = text.split("\n", 1)[0].strip()
    if first_line.lower().startswith("<script"):
        return "claimreview"
    if text[0] in "{[":
        first = _first_record(first_line)
        if isinstance(first, dict):
            if first.get("type") == "claimtrack" or first.get("type") in RECORD_TYPES:
                return "jsonl"
            if _is_claimreview(first):
                return "claimreview"
        if re.match(r'^\{\s*"claimtrack_format"', text):
            return "json"
        if '"claimReview"' in text:
            return "google-factcheck"
        if '"ClaimReview"' in text or '"@graph"' in text:
            return "claimreview"
        return None
    header = first_line
    if all(column in header.split("\t") for column in POLNEAR_COLUMNS):
        return "polnear"
    if all(column in header for column in EMERGENT_COLUMNS):
        return "emergent"
    fields = header.split("\t")
    if len(fields) == 14 and _LIAR_ID.match(fields[0]):
        return "liar"
    return None


def detect_format(source: Source, options: dict[str, Any]) -> str:
    """The format for `--format auto`; ImportFailed when the content does not say."""
    if options.get("mapping"):
        return "csv"
    found = sniff(source)
    if found is None:
        raise ImportFailed(f"cannot tell the format of {source.name} from its content; give --format "
                           "(jsonl, json, claimreview, google-factcheck, liar, emergent, polnear, or csv with --map)")
    return found


def check_format(source: Source, format: str, options: dict[str, Any]) -> None:
    """Refuse a file whose content clearly belongs to another format than the one named."""
    found = sniff(source)
    if found is None or found == format:
        return
    if format == "csv" and found in ("liar", "emergent", "polnear"):
        return  # any delimited file may be read with an explicit --map
    raise ImportFailed(f"{source.name}, line 1: looks like {LABELS.get(found, found)} data, not "
                       f"{LABELS.get(format, format)}; use --format {found}")
