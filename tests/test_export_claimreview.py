"""ClaimReview export: Google's required and recommended fields, and the >75 characters warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def test_export_carries_required_and_recommended_fields(cli: Any) -> None:
    cli.ok("import", str(FIXTURES / "claimreview_single.json"))
    result = cli.ok("export", "--format", "claimreview")
    assert result.stderr == ""
    [review] = json.loads(result.stdout)
    assert review["@type"] == "ClaimReview" and review["url"] == "https://factcheck.example.org/reviews/squid"
    assert review["claimReviewed"] == "A giant squid washed up on a beach in Spain"
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly false", "ratingValue": 2,
                                      "bestRating": 5, "worstRating": 1}
    assert review["author"] == {"@type": "Organization", "name": "Example Checks",
                                "url": "https://factcheck.example.org"}
    assert review["datePublished"] == "2021-03-02"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert item["datePublished"] == "2021-02-27"
    assert {a["url"] for a in item["appearance"]} == {"https://social.example.com/jane/1", "https://news.example.net/squid"}
    assert item["firstAppearance"]["url"] in {a["url"] for a in item["appearance"]}


def test_export_reimports_as_the_same_records(cli: Any, tmp_path: Path) -> None:
    cli.ok("import", str(FIXTURES / "claimreview_graph.json"))
    out = tmp_path / "reviews.json"
    cli.ok("export", "--format", "claimreview", "-o", str(out))
    again = cli.json("import", str(out))
    assert again["format"] == "claimreview"
    assert all(c["created"] == 0 for c in again["counts"].values())


def test_warns_when_claim_reviewed_is_long_or_url_missing(cli: Any, tmp_path: Path) -> None:
    cli.ok("import", str(FIXTURES / "liar_small.tsv"))
    result = cli.ok("export", "--format", "claimreview", "--claim", "liar:102.json")
    assert "1 verdict without a review URL left out" in result.stderr
    assert json.loads(result.stdout) == []
    long_text = "x" * 80
    data = json.loads((FIXTURES / "claimreview_single.json").read_text(encoding="utf-8"))
    data["claimReviewed"] = "A very long claim " + long_text
    long_file = tmp_path / "long.json"
    long_file.write_text(json.dumps(data), encoding="utf-8")
    cli.ok("import", str(long_file))
    result = cli.ok("export", "--format", "claimreview")
    assert "claimReviewed is 98 characters; Google recommends at most 75" in result.stderr
