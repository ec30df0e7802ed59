"""ClaimReview export is re-importable: export → import → export is byte-identical (a property
over generated feeds), incomplete verdicts are left out or written in an importable form, and
reviewBody, sdLicense, language, appearances without URL and firstAppearance travel."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_roundtrip import fresh

TEXTS = ["The mayor doubled the budget", "Police detained 3,000 people", "تم اعتقال 3000 شخص",
         "Le maire a menti"]
REVIEWERS = [("Example Checks", "https://checks.example.org"), ("Misbar", "https://misbar.example"),
             ("Jane Reviewer", None)]
SPEAKERS = ["Jane Doe", "Ivan Zhdanov", "محمد علي"]
OUTLETS = ["Daily Planet", "Wire Service"]
DATES = st.one_of(st.none(), st.sampled_from(["2021-01-23", "2021-01", "2021", "2020-12-31"]))
LABELS = st.sampled_from(["False", "Mostly true", "Fake", "مضلل"])


@st.composite
def works(draw: Any, index: int) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if draw(st.booleans()):
        work["url"] = f"https://news{index}.example/story"
    if draw(st.booleans()) or "url" not in work:
        work["name"] = f"Story {index}"
    date = draw(DATES)
    if date:
        work["datePublished"] = date
    if draw(st.booleans()):
        work["author"] = {"@type": "Person", "name": f"Reporter {index}"}
    if draw(st.booleans()):
        work["publisher"] = {"@type": "Organization", "name": draw(st.sampled_from(OUTLETS))}
    return work


@st.composite
def feeds(draw: Any) -> list[dict[str, Any]]:
    pool = [draw(works(i)) for i in range(draw(st.integers(0, 4)))]
    reviews = []
    for n in range(draw(st.integers(1, 4))):
        review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview",
                                  "url": f"https://checks.example.org/review/{n}",
                                  "claimReviewed": draw(st.sampled_from(TEXTS))}
        date = draw(DATES)
        if date:
            review["datePublished"] = date
        reviewer = draw(st.one_of(st.none(), st.sampled_from(REVIEWERS)))
        if reviewer:
            review["author"] = {"@type": "Person" if reviewer[1] is None else "Organization", "name": reviewer[0],
                                **({"url": reviewer[1]} if reviewer[1] else {})}
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": draw(LABELS)}
        if draw(st.booleans()):
            rating.update(ratingValue=draw(st.integers(1, 5)), bestRating=5, worstRating=1)
        review["reviewRating"] = rating
        if draw(st.booleans()):
            review["reviewBody"] = "Because the records say otherwise."
        if draw(st.booleans()):
            review["inLanguage"] = draw(st.sampled_from(["en", "ar", "fr"]))
        if draw(st.booleans()):
            review["sdLicense"] = "https://creativecommons.org/licenses/by/4.0/"
        item: dict[str, Any] = {"@type": "Claim"}
        speaker = draw(st.one_of(st.none(), st.sampled_from(SPEAKERS)))
        if speaker:
            item["author"] = {"@type": "Person", "name": speaker}
            said = draw(DATES)
            if said:
                item["datePublished"] = said
        chosen = draw(st.lists(st.sampled_from(pool), unique_by=json.dumps, max_size=3)) if pool else []
        if chosen:
            item["appearance"] = chosen
            if draw(st.booleans()):
                item["firstAppearance"] = draw(st.sampled_from(chosen))
        review["itemReviewed"] = item
        reviews.append(review)
    return reviews


def _import(database: Any, path: Path) -> Any:
    from claimtrack.formats import import_file

    with database.write() as session:
        return import_file(session, path, "claimreview")


def _export(database: Any, **options: Any) -> str:
    from claimtrack.formats import export

    stream = io.StringIO()
    with database.read() as session:
        export(session, "claimreview", stream, **options)
    return stream.getvalue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(feed=feeds())
def test_export_import_export_is_identical(feed: list[dict[str, Any]], backend: str, template_url: str,
                                           tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("the property runs on SQLite; the tests below cover PostgreSQL")
    source, target = fresh(template_url, tmp_path), fresh(template_url, tmp_path)
    try:
        path = tmp_path / f"{uuid.uuid4().hex[:10]}.json"
        path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
        assert _import(source, path).rejected == 0
        first = _export(source)
        again = tmp_path / f"{uuid.uuid4().hex[:10]}.json"
        again.write_text(first, encoding="utf-8")
        assert _import(target, again).rejected == 0
        assert _export(target) == first
    finally:
        source.dispose()
        target.dispose()


FEED = [{
    "@context": "https://schema.org", "@type": "ClaimReview", "url": "https://checks.example.org/r/1",
    "claimReviewed": "Police detained 3,000 people", "datePublished": "2021-01-25",
    "author": {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org"},
    "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"},
    "reviewBody": "OVD-Info counted more than 3,700.", "inLanguage": "en",
    "sdLicense": "https://creativecommons.org/licenses/by/4.0/",
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "OVD-Info"},
                     "datePublished": "2021-01-23",
                     "appearance": [
                         {"@type": "CreativeWork", "url": "https://repost.example/copy", "name": "A repost"},
                         {"@type": "CreativeWork", "name": "Evening bulletin", "datePublished": "2021-01-24",
                          "author": {"@type": "Person", "name": "A. Reporter"},
                          "publisher": {"@type": "Organization", "name": "Radio One"}},
                     ]},
}]


def test_review_fields_and_appearances_travel(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(FEED), encoding="utf-8")
    cli.ok("import", str(path))
    [review] = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    assert review["reviewBody"] == "OVD-Info counted more than 3,700."
    assert review["sdLicense"] == "https://creativecommons.org/licenses/by/4.0/"
    assert review["inLanguage"] == "en"
    item = review["itemReviewed"]
    bulletin = {"@type": "CreativeWork", "name": "Evening bulletin", "datePublished": "2021-01-24",
                "author": {"@type": "Person", "name": "A. Reporter"},
                "publisher": {"@type": "Organization", "name": "Radio One"}}
    # the dated document without URL is listed; the undated repost is never the first appearance
    assert item["appearance"] == [bulletin, {"@type": "CreativeWork", "url": "https://repost.example/copy",
                                             "name": "A repost"}]
    assert item["firstAppearance"] == bulletin


def test_first_appearance_is_the_primary_source(cli: Any, tmp_path: Path) -> None:
    feed = json.loads(json.dumps(FEED))
    feed[0]["itemReviewed"]["firstAppearance"] = {"@type": "CreativeWork", "url": "https://ovd.example/post",
                                                  "name": "OVD-Info's post"}
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    cli.ok("import", str(path))
    [review] = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    assert review["itemReviewed"]["firstAppearance"]["url"] == "https://ovd.example/post"
    assert "https://ovd.example/post" in {w.get("url") for w in review["itemReviewed"]["appearance"]}


def test_first_appearance_is_absent_when_nothing_is_dated(cli: Any, tmp_path: Path) -> None:
    feed = json.loads(json.dumps(FEED))
    feed[0]["itemReviewed"]["appearance"] = [{"@type": "CreativeWork", "url": "https://repost.example/copy"}]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    cli.ok("import", str(path))
    [review] = json.loads(cli.ok("export", "--format", "claimreview").stdout)
    assert "firstAppearance" not in review["itemReviewed"]


def test_verdicts_without_url_are_left_out_or_written_importably(cli: Any, tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "formats"
    cli.ok("import", str(fixtures / "liar_small.tsv"))
    result = cli.ok("export", "--format", "claimreview")
    assert json.loads(result.stdout) == []
    assert "without a review URL left out" in result.stderr and "--include-incomplete" in result.stderr
    out = tmp_path / "incomplete.json"
    cli.ok("export", "--format", "claimreview", "--include-incomplete", "-o", str(out))
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert reviews and all("identifier" in r and "url" not in r for r in reviews)
    summary = cli.json("import", str(out))
    assert summary["rejected"] == 0
    assert summary["counts"]["verdict"]["created"] == 0  # the same verdicts, matched by key


def test_include_incomplete_only_for_claimreview(cli: Any) -> None:
    result = cli("export", "--format", "jsonl", "--include-incomplete")
    assert result.exit_code == 2 and "--include-incomplete only applies to --format claimreview" in result.stderr
