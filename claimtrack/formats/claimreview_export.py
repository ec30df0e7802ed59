"""schema.org ClaimReview JSON-LD export: what claimtrack's own importer reads back, unchanged.

One ClaimReview per verdict, in verdict id order, with Google's required fields (url,
claimReviewed, reviewRating.alternateName) and the recommended ones: author, datePublished,
reviewBody (the explanation), inLanguage, sdLicense, and an itemReviewed Claim with its
author (the first asserting speaker), datePublished, `appearance` (every document that reports
the claim, as a CreativeWork with url, name, datePublished, author and publisher where known)
and `firstAppearance` (the primary source, else the earliest dated document; never an undated
repost, and absent when nothing is dated).

A ClaimReview asserts a rating, and the format has no way to say "withdrawn": so a retracted
or deprecated verdict, and every verdict on a retired or merged claim, is left out (with a
count); the appearances and the claim's author come from live records only (a retired
statement, hop or document is no appearance of the claim). The native export keeps them all.

A verdict without a review URL is refused by ClaimReview consumers and by claimtrack's own
importer, so it is left out with a count, or, with `include_incomplete`, written with its key
as `identifier` instead of `url` (which the importer accepts). Export → import → export is
byte-identical (tests/test_claimreview_roundtrip.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

GOOGLE_MAX_CLAIM = 75
#: long claims named one by one before the rest are only counted
WARN_EACH = 5


def export_claimreview(session: Any, stream: TextIO, **options: Any) -> None:
    """A JSON array of ClaimReview objects, one per verdict (see the module docstring)."""
    from sqlalchemy import func, or_, select

    from claimtrack.dates import PartialDate
    from claimtrack.models import Claim, Verdict
    from claimtrack.queries.live import live_claim

    warn: Callable[[str], None] = options.get("warn") or (lambda message: None)
    include_incomplete = bool(options.get("include_incomplete"))
    query = select(Verdict).order_by(Verdict.id)
    if options.get("claims"):
        from claimtrack.queries.lookup import get_claim

        ids = [get_claim(session, ref).id for ref in options["claims"]]
        query = query.where(Verdict.claim_id.in_(ids))
    retired = session.scalar(select(func.count()).select_from(
        query.join(Claim, Claim.id == Verdict.claim_id)
        .where(or_(Verdict.status != "normal", ~live_claim())).order_by(None).subquery())) or 0
    query = query.join(Claim, Claim.id == Verdict.claim_id).where(Verdict.status == "normal", live_claim())
    stream.write("[")
    first = True
    left_out = 0
    long_claims: set[int] = set()
    items: dict[int, dict[str, Any]] = {}
    for verdict in session.scalars(query):
        claim = verdict.claim
        review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
        if verdict.url:
            review["url"] = verdict.url
        elif include_incomplete:
            review["identifier"] = verdict.key or f"verdict-{verdict.id}"
        else:
            left_out += 1
            continue
        review["claimReviewed"] = claim.text
        if len(claim.text) > GOOGLE_MAX_CLAIM and claim.id not in long_claims:
            long_claims.add(claim.id)
            if len(long_claims) <= WARN_EACH:
                warn(f"claim {claim.key or claim.id}: claimReviewed is {len(claim.text)} characters; "
                     f"Google recommends at most {GOOGLE_MAX_CLAIM}")
        reviewed = PartialDate.of(verdict.reviewed_on, verdict.reviewed_precision, verdict.reviewed_approx)
        if reviewed is not None:
            review["datePublished"] = _date(reviewed)
        if verdict.reviewer is not None:
            review["author"] = actor_json(verdict.reviewer)
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
        for field, value in (("ratingValue", verdict.rating_value), ("bestRating", verdict.best),
                             ("worstRating", verdict.worst)):
            if value is not None:
                rating[field] = int(value) if float(value).is_integer() else value
        review["reviewRating"] = rating
        if verdict.explanation:
            review["reviewBody"] = verdict.explanation
        if verdict.language:
            review["inLanguage"] = verdict.language
        if verdict.license:
            review["sdLicense"] = verdict.license
        if claim.id not in items:
            items[claim.id] = _item(session, claim)
        review["itemReviewed"] = items[claim.id]
        stream.write(("\n" if first else ",\n") + _dumps(review, verdict))
        first = False
    stream.write("\n]\n")
    if len(long_claims) > WARN_EACH:
        warn(f"{len(long_claims) - WARN_EACH} more claims have a claimReviewed longer than {GOOGLE_MAX_CLAIM} "
             f"characters ({len(long_claims)} in all)")
    if retired:
        warn(f"{retired} retracted or deprecated verdict{'s' if retired != 1 else ''} (or verdicts on a retired "
             "or merged claim) left out: a ClaimReview cannot say it was withdrawn; the native export keeps them")
    if left_out:
        warn(f"{left_out} verdict{'s' if left_out != 1 else ''} without a review URL left out "
             "(ClaimReview requires the review's url); --include-incomplete writes them with their key "
             "as identifier, which claimtrack can import back")


def _dumps(review: dict[str, Any], verdict: Any) -> str:
    try:
        return json.dumps(review, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or Infinity stored before imports refused them: never write bad JSON
        from claimtrack.errors import InvalidInput

        raise InvalidInput(f"verdict {verdict.key or verdict.id} holds NaN or Infinity, which JSON cannot carry; "
                           "correct the figure (claimtrack verdict edit …) and export again") from None


def _date(value: Any) -> str:
    return str(value).lstrip("~")


def _item(session: Any, claim: Any) -> dict[str, Any]:
    """The itemReviewed Claim: its author, when it was said, and where it appeared."""
    from sqlalchemy import select

    from claimtrack.models import Document, Hop, Statement
    from claimtrack.queries.live import live_hop

    item: dict[str, Any] = {"@type": "Claim"}
    statements = sorted((s for s in claim.statements if s.status == "normal"), key=lambda s: s.id)
    asserting = next((s for s in statements if s.stance in ("asserts", "confirms") and s.speaker is not None),
                     next((s for s in statements if s.speaker is not None), None))
    if asserting is not None and asserting.speaker is not None:
        item["author"] = actor_json(asserting.speaker)
        if asserting.said is not None:
            item["datePublished"] = _date(asserting.said)
    rows = session.execute(
        select(Document, Hop.is_primary)
        .join(Hop, Hop.document_id == Document.id).join(Statement, Statement.id == Hop.statement_id)
        .where(Statement.claim_id == claim.id, live_hop())
    ).all()
    works: dict[int, dict[str, Any]] = {}
    primaries: set[int] = set()
    documents: dict[int, Any] = {}
    for document, is_primary in rows:
        if document.id not in works:
            documents[document.id] = document
            works[document.id] = _work(document)
        if is_primary:
            primaries.add(document.id)
    if not works:
        return item
    # dated documents by date, then undated ones; ties by what is written (not by id, which an
    # import into another database does not reproduce)
    order = sorted(works, key=lambda i: (documents[i].published_on is None, documents[i].published_on or 0,
                                         json.dumps(works[i], ensure_ascii=False, sort_keys=True), i))
    works = {i: works[i] for i in order}
    primary = next((documents[i] for i in order if i in primaries), None)
    origin = primary or next((d for d in documents.values() if d.published_on is not None), None)
    if origin is not None:
        item["firstAppearance"] = works[origin.id]
    item["appearance"] = list(works.values())
    return item


def _work(document: Any) -> dict[str, Any]:
    from claimtrack.dates import PartialDate

    work: dict[str, Any] = {"@type": "CreativeWork"}
    if document.url:
        work["url"] = document.url
    if document.title:
        work["name"] = document.title
    published = PartialDate.of(document.published_on, document.published_precision, document.published_approx)
    if published is not None:
        work["datePublished"] = _date(published)
    if document.author:
        work["author"] = {"@type": "Person", "name": document.author}
    if document.outlet is not None:
        work["publisher"] = actor_json(document.outlet)
    return work


def actor_json(actor: Any) -> dict[str, Any]:
    """A Person or Organization with its website (the importer matches on it)."""
    kind = "Person" if actor.kind == "person" else "Organization"
    out: dict[str, Any] = {"@type": kind, "name": actor.name}
    website = next((e.value for e in sorted(actor.external_ids, key=lambda e: e.id)
                    if e.scheme in ("website", "homepage")), None)
    if website:
        out["url"] = website if "://" in website else f"https://{website}"
    return out
