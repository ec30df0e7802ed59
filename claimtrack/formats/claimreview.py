"""schema.org ClaimReview JSON-LD import: objects, arrays, @graph, DataFeed, Data Commons feed
lines (the export is claimtrack.formats.claimreview_export).

One ClaimReview becomes: the reviewer (author) as an actor, `claimReviewed` as a claim, the
itemReviewed's author as the speaker of a statement (stance asserts, said = the item's
datePublished), each `appearance`/`firstAppearance` URL as a document with a hop to that
statement, and the rating as a verdict keyed by the review URL (`claimreview:<normalized url>`).
A repeated review (the same URL again) is the same verdict.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from claimtrack.errors import ImportFailed
from claimtrack.formats.plan import Bad, Item, slug
from claimtrack.formats.safejson import JsonProblem, parse_json
from claimtrack.formats.source import Source, decode_lines, load_json
from claimtrack.normalize import normalize_url

_SCRIPT = re.compile(r"^\s*<script[^>]*>(?P<body>.*?)</script>\s*$", re.IGNORECASE | re.DOTALL)
GOOGLE_MAX_CLAIM = 75


def url_key(prefix: str, url: str) -> str:
    """A key from a URL: the normalized URL, or host + digest when that is too long for a key."""
    # the form before escapes were normalized: keys already stored must stay the same
    normalized = normalize_url(url, canonical_escapes=False)
    key = f"{prefix}:{normalized}"
    if len(key) <= 200:
        return key
    host = urlsplit(normalized).hostname or "url"
    return f"{prefix}:{host}:{hashlib.sha1(normalized.encode('utf-8')).hexdigest()[:20]}"


def date_part(value: Any) -> str | None:
    """'2025-04-28T19:23:46Z' -> '2025-04-28' (the day in the zone written), '20190103' ->
    '2019-01-03'; None when absent. A date that cannot be read without a guess (01/02/2021,
    'yesterday') is passed on as written, so the import names it (or --date-order reads it)."""
    if not isinstance(value, str) or not value.strip():
        return None
    from claimtrack.dates import parse_date
    from claimtrack.errors import InvalidInput

    try:
        return str(parse_date(value))
    except InvalidInput:
        return value.strip()


def host_of(url: Any) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    host = urlsplit(url if "://" in url else "https://" + url).hostname or ""
    return host.removeprefix("www.") or None


def organization_record(name: Any, url: Any = None, *, kind: str = "organization") -> dict[str, Any] | None:
    """An actor record for a publisher/author; its website (host) is an external id for matching."""
    name = name.strip() if isinstance(name, str) else None
    host = host_of(url)
    if not name and not host:
        return None
    record: dict[str, Any] = {"type": "actor", "key": slug(name) if name else host, "name": name or host,
                              "kind": kind}
    if host:
        record["external_ids"] = {"website": host}
    return record


LABEL_MAX = 200


def fit_label(label: str, explanation: str | None) -> tuple[str, str | None]:
    """A verdict label fits 200 characters; a longer textual rating (real feeds hold whole
    paragraphs) is cut with '…' and kept in full at the head of the explanation."""
    label = label.strip()
    if len(label) <= LABEL_MAX:
        return label, explanation
    full = f"Rating: {label}"
    return label[:LABEL_MAX - 1].rstrip() + "…", f"{full}\n\n{explanation}" if explanation else full


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _urls(value: Any) -> list[str]:
    out: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str) and entry.strip():
            out.append(entry.strip())
        elif isinstance(entry, dict) and isinstance(entry.get("url"), str) and entry["url"].strip():
            out.append(entry["url"].strip())
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _kind(thing: dict[str, Any]) -> str:
    return "person" if thing.get("@type") == "Person" else "organization"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _license(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _name(value: Any) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _work(entry: Any) -> dict[str, Any] | None:
    """A CreativeWork (or a bare URL) of `appearance`: url, name, date, author, publisher."""
    if isinstance(entry, str):
        entry = {"url": entry}
    if not isinstance(entry, dict):
        return None
    url = entry.get("url") if isinstance(entry.get("url"), str) and entry["url"].strip() else None
    work = {"url": url.strip() if url else None, "name": _name(entry.get("name") or entry.get("headline")),
            "date": date_part(entry.get("datePublished")), "author": _name(entry.get("author")),
            "publisher": _first(entry.get("publisher"))}
    if not any(work.values()):
        return None
    return work


def _work_records(records: list[dict[str, Any]], work: dict[str, Any], language: str | None
                  ) -> tuple[str, list[dict[str, Any]]]:
    """(document key, the records of the document and its publisher) for one CreativeWork."""
    publisher = work["publisher"]
    outlet = None
    if isinstance(publisher, dict) and _name(publisher):
        outlet = organization_record(_name(publisher), publisher.get("url"),
                                     kind="person" if publisher.get("@type") == "Person" else "outlet")
    elif isinstance(publisher, str) and publisher.strip():
        outlet = organization_record(publisher, kind="outlet")
    if work["url"]:
        key = url_key("url", work["url"])
    else:
        signature = json.dumps([work["name"], work["date"], work["author"], outlet and outlet["key"]],
                               ensure_ascii=False)
        key = f"work:{slug(work['name'] or 'untitled', 40)}:{hashlib.sha1(signature.encode()).hexdigest()[:12]}"
    out = [outlet] if outlet else []
    out.append({"type": "document", "key": key, "url": work["url"], "kind": "other", "title": work["name"],
                "published": work["date"], "author": work["author"], "outlet": outlet["key"] if outlet else None})
    records.extend(out)
    return key, out


def _hop(statement_key: str, document_key: str, *, primary: bool) -> dict[str, Any]:
    key = f"{statement_key}@{document_key}"
    if len(key) > 200:
        key = f"{statement_key}@{hashlib.sha1(document_key.encode()).hexdigest()[:16]}"
    if len(key) > 200:
        key = hashlib.sha1(key.encode()).hexdigest()
    return {"type": "hop", "key": key, "document": document_key, "statement": statement_key, "primary": primary}


def _is_claimreview(obj: Any) -> bool:
    kind = obj.get("@type") if isinstance(obj, dict) else None
    return kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind)


def claimreview_records(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """The native records one ClaimReview object stands for; ValueError names what is missing."""
    text = obj.get("claimReviewed")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("claimReviewed is missing")
    url = obj.get("url")
    identifier = obj.get("identifier")
    if not isinstance(url, str) or not url.strip():
        # claimtrack's own export of a review without URL (--include-incomplete) names it by key
        if not isinstance(identifier, str) or not identifier.strip() or len(identifier.strip()) > 200:
            raise ValueError("url (the review's address) is missing")
        url = None
    rating = _first(obj.get("reviewRating")) or {}
    if not isinstance(rating, dict):
        rating = {}
    label = rating.get("alternateName")
    if not isinstance(label, str) or not label.strip():
        value = rating.get("ratingValue")
        if value is None:
            raise ValueError("reviewRating.alternateName is missing")
        label = str(value)
    key = url_key("claimreview", url) if url else str(identifier).strip()
    language = obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None
    records: list[dict[str, Any]] = []
    author = _first(obj.get("author"))
    reviewer = (organization_record(author.get("name"), author.get("url"), kind=_kind(author))
                if isinstance(author, dict) else None)
    if reviewer:
        records.append(reviewer)
    records.append({"type": "claim", "key": key, "text": text.strip(), "language": language})
    item = _first(obj.get("itemReviewed")) or {}
    if not isinstance(item, dict):
        item = {}
    speaker_record = None
    item_author = _first(item.get("author"))
    if isinstance(item_author, dict) and isinstance(item_author.get("name"), str) and item_author["name"].strip():
        speaker_record = organization_record(item_author["name"], item_author.get("url"), kind=_kind(item_author))
        if speaker_record:
            records.append(speaker_record)
    works = [w for w in (_work(entry) for entry in _list(item.get("appearance"))) if w is not None]
    first = _work(_first(item.get("firstAppearance")))
    said = date_part(item.get("datePublished"))
    if speaker_record or said or works or first:
        records.append({"type": "statement", "key": key, "claim": key,
                        "speaker": speaker_record["key"] if speaker_record else None,
                        "stance": "asserts", "said": said, "language": language})
        # appearance first (its order is the documents' order), then firstAppearance: the
        # claimant's first known occurrence of the claim, recorded as the primary source
        first_key = _work_records([], first, language)[0] if first is not None else None
        hops: dict[str, dict[str, Any]] = {}
        for work in works:
            document_key, document_records = _work_records([], work, language)
            if document_key not in hops:
                records.extend(document_records)
                hops[document_key] = _hop(key, document_key, primary=document_key == first_key)
        if first is not None and first_key is not None and first_key not in hops:
            records.extend(_work_records([], first, language)[1])
            hops[first_key] = _hop(key, first_key, primary=True)
        records.extend(hops.values())
    explanation = obj.get("reviewBody") if isinstance(obj.get("reviewBody"), str) and obj["reviewBody"].strip() else None
    label, explanation = fit_label(label, explanation)
    verdict: dict[str, Any] = {
        "type": "verdict", "key": key, "claim": key, "label": label, "explanation": explanation,
        "rating_value": _number(rating.get("ratingValue")), "best": _number(rating.get("bestRating")),
        "worst": _number(rating.get("worstRating")), "reviewer": reviewer["key"] if reviewer else None,
        "reviewed": date_part(obj.get("datePublished")), "url": url.strip() if url else None, "language": language,
        "license": _license(obj.get("sdLicense")),
    }
    records.append(verdict)
    return records


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """ClaimReview objects inside a JSON value: an object, an array, @graph, a DataFeed."""
    if isinstance(data, list):
        for entry in data:
            yield from _walk(entry)
    elif isinstance(data, dict):
        if _is_claimreview(data):
            yield data
        for field in ("@graph", "dataFeedElement", "item"):
            if field in data:
                yield from _walk(data[field])


def read_claimreview(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    head = source.head(65536).decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    first_line = head.split("\n", 1)[0]
    line_based = first_line.lower().startswith("<script")
    if not line_based and first_line.startswith("{"):
        try:  # a complete object on the first line: the feed is one object per line
            parse_json(first_line)
            line_based = "\n" in head.strip() or len(head) < 65536
        except ValueError:
            line_based = False
    if line_based:
        yield from _read_lines(source)
        return
    data = load_json(source)
    found = False
    for index, obj in enumerate(_walk(data), 1):
        found = True
        yield _item(index, obj, "object")
    if not found:
        raise ImportFailed(f"{source.name} holds no ClaimReview object (@type \"ClaimReview\")")


def _item(line: int, obj: dict[str, Any], unit: str = "line") -> Item | Bad:
    try:
        return Item(line, claimreview_records(obj), obj, unit=unit)
    except ValueError as exc:
        return Bad(line, f"ClaimReview: {exc}", obj, unit=unit)


def _read_lines(source: Source) -> Iterator[Item | Bad]:
    with source.open() as stream:
        for entry in decode_lines(stream):
            if isinstance(entry, Bad):
                yield entry
                continue
            number, text = entry
            if not text.strip():
                continue
            match = _SCRIPT.match(text)
            body = match.group("body") if match else text
            try:
                data = parse_json(body)
            except JsonProblem as exc:
                yield Bad(number, f"column {exc.column}: {exc.reason}", text.rstrip("\n"))
                continue
            objects = list(_walk(data))
            if not objects:
                yield Bad(number, "no ClaimReview object on this line (@type \"ClaimReview\")", data)
            for obj in objects:
                yield _item(number, obj)
