"""Google Fact Check Tools: the `claims:search` response (`{"claims": [...]}` or the bare list).

Per entry: `text` is a claim; the `claimant` (free text — a platform, "social media users" or a
name, which cannot be told apart) is an actor of kind unspecified keyed by its slug, speaking a
statement (stance asserts, said = claimDate); each `claimReview` is a verdict keyed by its
review URL (`claimreview:<normalized url>`, the same key the ClaimReview importer uses) by the
publisher (keyed by its site, e.g. `misbar.com`), with `title` as the explanation.

Repetition in real responses: an entry returned for several queries repeats exactly and matches
the records of its first occurrence. A review URL that reappears under another wording of the
claim is the same review of the same claim: the later wording is attached to the first claim.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from claimtrack.errors import ImportFailed
from claimtrack.formats.claimreview import date_part, fit_label, url_key
from claimtrack.formats.plan import Bad, Item, slug
from claimtrack.formats.source import Source, load_json
from claimtrack.normalize import claim_hash


def read_google_factcheck(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    data = load_json(source)
    entries = data.get("claims") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ImportFailed(f"{source.name} is not a claims:search response: expected {{\"claims\": [...]}} or a list")
    claim_of_review: dict[str, str] = {}  # review key -> key of the claim it was first seen with
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            yield Bad(index, "not an object", entry, unit="entry")
            continue
        text = entry.get("text")
        reviews = entry.get("claimReview") or []
        if not isinstance(text, str) or not text.strip():
            yield Bad(index, "no claim text", entry, unit="entry")
            continue
        if not isinstance(reviews, list):
            yield Bad(index, "claimReview must be a list", entry, unit="entry")
            continue
        claim_key = "gfc:" + claim_hash(text)[:20]
        try:
            review_keys = [url_key("claimreview", r["url"]) for r in reviews
                           if isinstance(r, dict) and isinstance(r.get("url"), str) and r["url"].strip()]
        except ValueError as exc:  # whatever the URL normalizer refuses
            yield Bad(index, f"a review url is not a usable URL ({exc})", entry, unit="entry")
            continue
        earlier = next((claim_of_review[k] for k in review_keys if k in claim_of_review), None)
        records: list[dict[str, Any]] = []
        language = next((r.get("languageCode") for r in reviews if isinstance(r, dict) and r.get("languageCode")), None)
        if earlier is not None and earlier != claim_key:
            claim_key = earlier  # another wording of a review seen before: the same claim
        else:
            records.append({"type": "claim", "key": claim_key, "text": text.strip(), "language": language})
        for key in review_keys:
            claim_of_review.setdefault(key, claim_key)
        claimant = entry.get("claimant")
        if isinstance(claimant, str) and claimant.strip():
            actor_key = slug(claimant.strip(), 80)
            records.append({"type": "actor", "key": actor_key, "name": claimant.strip(), "kind": "unspecified"})
            said = date_part(entry.get("claimDate"))
            digest = hashlib.sha1(f"{claim_key}|{claimant.strip()}|{said}".encode()).hexdigest()[:16]
            records.append({"type": "statement", "key": f"gfc:{digest}", "claim": claim_key, "speaker": actor_key,
                            "stance": "asserts", "said": said, "language": language})
        for number, review in enumerate(reviews, 1):
            if not isinstance(review, dict) or not isinstance(review.get("url"), str) or not review["url"].strip():
                yield Bad(index, f"review {number}: the review url is missing", entry, unit="entry")
                break
            label = review.get("textualRating")
            if not isinstance(label, str) or not label.strip():
                yield Bad(index, f"review {number}: textualRating is missing", entry, unit="entry")
                break
            publisher = review.get("publisher") or {}
            site = publisher.get("site") if isinstance(publisher, dict) else None
            name = publisher.get("name") if isinstance(publisher, dict) else None
            reviewer_key = None
            if isinstance(site, str) and site.strip():
                reviewer_key = site.strip().lower().removeprefix("www.")
                records.append({"type": "actor", "key": reviewer_key, "name": (name or site).strip(),
                                "kind": "organization", "external_ids": {"website": reviewer_key}})
            elif isinstance(name, str) and name.strip():
                reviewer_key = slug(name)
                records.append({"type": "actor", "key": reviewer_key, "name": name.strip(), "kind": "organization"})
            label, explanation = fit_label(label, review.get("title") or None)
            records.append({"type": "verdict", "key": url_key("claimreview", review["url"]), "claim": claim_key,
                            "label": label, "reviewer": reviewer_key,
                            "reviewed": date_part(review.get("reviewDate")), "url": review["url"].strip(),
                            "explanation": explanation, "language": review.get("languageCode")})
        else:
            yield Item(index, records, entry, unit="entry")
