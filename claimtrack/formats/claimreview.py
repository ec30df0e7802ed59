"""schema.org ClaimReview JSON-LD: import (objects, arrays, @graph, DataFeed, Data Commons feed
lines) and export (Google's required and recommended fields).

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
from collections.abc import Callable, Iterator
from typing import Any, TextIO
from urllib.parse import urlsplit

from claimtrack.errors import ImportFailed
from claimtrack.formats.plan import Bad, Item, slug
from claimtrack.formats.source import Source, decode_lines, load_json
from claimtrack.normalize import normalize_url

_SCRIPT = re.compile(r"^\s*<script[^>]*>(?P<body>.*?)</script>\s*$", re.IGNORECASE | re.DOTALL)
GOOGLE_MAX_CLAIM = 75


def url_key(prefix: str, url: str) -> str:
    """A key from a URL: the normalized URL, or host + digest when that is too long for a key."""
    normalized = normalize_url(url)
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


def _is_claimreview(obj: Any) -> bool:
    kind = obj.get("@type") if isinstance(obj, dict) else None
    return kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind)


def claimreview_records(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """The native records one ClaimReview object stands for; ValueError names what is missing."""
    text = obj.get("claimReviewed")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("claimReviewed is missing")
    url = obj.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("url (the review's address) is missing")
    rating = _first(obj.get("reviewRating")) or {}
    if not isinstance(rating, dict):
        rating = {}
    label = rating.get("alternateName")
    if not isinstance(label, str) or not label.strip():
        value = rating.get("ratingValue")
        if value is None:
            raise ValueError("reviewRating.alternateName is missing")
        label = str(value)
    key = url_key("claimreview", url)
    language = obj.get("inLanguage") if isinstance(obj.get("inLanguage"), str) else None
    records: list[dict[str, Any]] = []
    author = _first(obj.get("author"))
    reviewer = organization_record(author.get("name"), author.get("url")) if isinstance(author, dict) else None
    if reviewer:
        records.append(reviewer)
    records.append({"type": "claim", "key": key, "text": text.strip(), "language": language})
    item = _first(obj.get("itemReviewed")) or {}
    if not isinstance(item, dict):
        item = {}
    speaker_record = None
    item_author = _first(item.get("author"))
    if isinstance(item_author, dict) and isinstance(item_author.get("name"), str) and item_author["name"].strip():
        kind = "person" if item_author.get("@type") == "Person" else "organization"
        speaker_record = organization_record(item_author["name"], item_author.get("url"), kind=kind)
        if speaker_record:
            records.append(speaker_record)
    appearances = _urls(item.get("firstAppearance")) + _urls(item.get("appearance"))
    said = date_part(item.get("datePublished"))
    if speaker_record or said or appearances:
        records.append({"type": "statement", "key": key, "claim": key,
                        "speaker": speaker_record["key"] if speaker_record else None,
                        "stance": "asserts", "said": said, "language": language})
        for link in dict.fromkeys(appearances):
            document_key = url_key("url", link)
            records.append({"type": "document", "key": document_key, "url": link, "kind": "other"})
            records.append({"type": "hop", "key": f"{key}@{document_key}"[:200] if len(f"{key}@{document_key}") <= 200
                            else f"{key}@{hashlib.sha1(document_key.encode()).hexdigest()[:16]}",
                            "document": document_key, "statement": key})
    label, explanation = fit_label(label, None)
    verdict: dict[str, Any] = {
        "type": "verdict", "key": key, "claim": key, "label": label, "explanation": explanation,
        "rating_value": _number(rating.get("ratingValue")), "best": _number(rating.get("bestRating")),
        "worst": _number(rating.get("worstRating")), "reviewer": reviewer["key"] if reviewer else None,
        "reviewed": date_part(obj.get("datePublished")), "url": url.strip(), "language": language,
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
            json.loads(first_line)
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
                data = json.loads(body)
            except json.JSONDecodeError as exc:
                yield Bad(number, f"column {exc.colno}: malformed JSON ({exc.msg})", text.rstrip("\n"))
                continue
            objects = list(_walk(data))
            if not objects:
                yield Bad(number, "no ClaimReview object on this line (@type \"ClaimReview\")", data)
            for obj in objects:
                yield _item(number, obj)


# --------------------------------------------------------------------------- export


def export_claimreview(session: Any, stream: TextIO, **options: Any) -> None:
    """A JSON array of ClaimReview objects, one per verdict, in verdict id order.

    Carries Google's required fields (claimReviewed, reviewRating.alternateName, url) and the
    recommended ones (author, datePublished, itemReviewed Claim with author, datePublished,
    appearance, firstAppearance). `warn` (a callable) hears about reviews Google would flag.
    """
    from sqlalchemy import select

    from claimtrack.dates import PartialDate
    from claimtrack.models import Actor, Claim, Document, Hop, Statement, Verdict

    warn: Callable[[str], None] = options.get("warn") or (lambda message: None)
    query = select(Verdict).order_by(Verdict.id)
    if options.get("claims"):
        from claimtrack.queries.lookup import get_claim

        ids = [get_claim(session, ref).id for ref in options["claims"]]
        query = query.where(Verdict.claim_id.in_(ids))
    stream.write("[")
    first = True
    for verdict in session.scalars(query):
        claim: Claim = verdict.claim
        review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
        if verdict.url:
            review["url"] = verdict.url
        else:
            warn(f"verdict {verdict.key or verdict.id} has no url; Google requires the review's URL")
        review["claimReviewed"] = claim.text
        if len(claim.text) > GOOGLE_MAX_CLAIM:
            warn(f"claim {claim.key or claim.id}: claimReviewed is {len(claim.text)} characters; "
                 f"Google recommends at most {GOOGLE_MAX_CLAIM}")
        reviewed = PartialDate.of(verdict.reviewed_on, verdict.reviewed_precision, verdict.reviewed_approx)
        if reviewed is not None:
            review["datePublished"] = str(reviewed).lstrip("~")
        if verdict.reviewer is not None:
            review["author"] = _actor_json(session, verdict.reviewer)
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
        for field, value in (("ratingValue", verdict.rating_value), ("bestRating", verdict.best),
                             ("worstRating", verdict.worst)):
            if value is not None:
                rating[field] = int(value) if float(value).is_integer() else value
        review["reviewRating"] = rating
        if verdict.language:
            review["inLanguage"] = verdict.language
        item: dict[str, Any] = {"@type": "Claim"}
        statements = [s for s in claim.statements if s.status == "normal"]
        asserting = next((s for s in statements if s.stance in ("asserts", "confirms") and s.speaker is not None),
                         next((s for s in statements if s.speaker is not None), None))
        if asserting is not None and asserting.speaker is not None:
            item["author"] = _actor_json(session, asserting.speaker)
            if asserting.said is not None:
                item["datePublished"] = str(asserting.said).lstrip("~")
        documents = session.scalars(
            select(Document).join(Hop, Hop.document_id == Document.id).join(Statement, Statement.id == Hop.statement_id)
            .where(Statement.claim_id == claim.id, Document.url.is_not(None)).order_by(Document.published_on, Document.id)
        ).unique().all()
        if documents:
            item["firstAppearance"] = {"@type": "CreativeWork", "url": documents[0].url}
            item["appearance"] = [{"@type": "CreativeWork", "url": d.url} for d in documents]
        review["itemReviewed"] = item
        stream.write(("\n" if first else ",\n") + json.dumps(review, ensure_ascii=False))
        first = False
    stream.write("\n]\n")
    _ = Actor


def _actor_json(session: Any, actor: Any) -> dict[str, Any]:
    kind = "Person" if actor.kind == "person" else "Organization"
    out: dict[str, Any] = {"@type": kind, "name": actor.name}
    website = next((e.value for e in actor.external_ids if e.scheme in ("website", "homepage")), None)
    if website:
        out["url"] = website if "://" in website else f"https://{website}"
    return out
