"""Conflicts and reports on real third-party data (../shared/data), through the real importers.

Skipped when ../shared is absent, and (with the reason) when the importer of a format is not in
this checkout yet. Expected figures are computed from the files themselves, not hard-coded.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from claimtrack.normalize import claim_hash, fold, normalize_url


def _needs_importer(module: str) -> None:
    if importlib.util.find_spec(f"claimtrack.formats.{module}") is None:
        pytest.skip(f"claimtrack.formats.{module} (the importer) is not in this checkout yet")


def _import(database: Any, path: Path, format: str) -> None:
    from claimtrack.formats import import_file

    with database.write() as s:
        import_file(s, path, format)


def _claim_ids(database: Any, texts: set[str]) -> dict[str, int]:
    """Claim id by text, for the claims (matched on claim_hash, as the importers dedupe them)."""
    from sqlalchemy import select

    from claimtrack.models import Claim

    hashes = {claim_hash(t): t for t in texts}
    with database.read() as s:
        rows = s.execute(select(Claim.text_hash, Claim.id).where(Claim.text_hash.in_(list(hashes)))).all()
    return {hashes[h]: i for h, i in rows}


def test_emergent_for_and_against_are_stance_conflicts(database, shared_data):
    _needs_importer("emergent")
    path = shared_data / "emergent" / "url-versions-2015-06-14-clean.csv"
    stances: dict[str, set[str]] = collections.defaultdict(set)
    headline: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            stances[row["claimId"]].add(row["articleHeadlineStance"])
            headline[row["claimId"]] = row["claimHeadline"]
    both = {headline[c] for c, s in stances.items() if {"for", "against"} <= s}
    assert len(both) == 86  # the dataset's own figure (data/README.md)

    _import(database, path, "emergent")
    ids = _claim_ids(database, both)
    assert len(ids) == 86
    from claimtrack.queries.conflicts import find_conflicts

    with database.read() as s:
        result = find_conflicts(s, kinds=["stance"], limit=None)
    conflicted = {c.claim_ids[0]: c for c in result.conflicts}
    missing = sorted(t for t, i in ids.items() if i not in conflicted)
    assert not missing, f"{len(missing)} Emergent claims with for+against reports are not stance conflicts: {missing[:3]}"
    assert len(conflicted) == 86  # and nothing else: 'observing' takes no side
    for conflict in conflicted.values():
        assert all(side for side in conflict.sides)
        assert {i.stance for i in conflict.sides[1]} <= {"denies", "disputes", "retracts"}


def test_liar_identical_statements_with_different_labels_are_verdict_conflicts(database, shared_data, tmp_path):
    _needs_importer("liar")
    rows: list[list[str]] = []
    for name in ("train.tsv", "valid.tsv"):
        with (shared_data / "liar" / name).open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    labels: dict[str, set[str]] = collections.defaultdict(set)
    text_of: dict[str, str] = {}
    for row in rows:
        labels[fold(row[2])].add(row[1])
        text_of[fold(row[2])] = row[2]
    disagreeing = {key for key, found in labels.items() if len(found) > 1}
    assert disagreeing, "LIAR is known to repeat a few statements with different labels"
    # Import the repeated statements and a slice of the others (the whole 11,553 rows would cost
    # the suite a minute per backend and prove nothing more about conflicts).
    keep = [row for row in rows if fold(row[2]) in disagreeing] + rows[:200]
    subset = tmp_path / "liar_subset.tsv"
    with subset.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n").writerows(keep)
    _import(database, subset, "liar")

    ids = _claim_ids(database, {text_of[k] for k in disagreeing})
    assert len(ids) == len(disagreeing)
    from claimtrack.queries.conflicts import find_conflicts

    with database.read() as s:
        result = find_conflicts(s, kinds=["verdict"], limit=None)
    by_claim = {c.claim_ids[0]: c for c in result.conflicts}
    for text, claim_id in ids.items():
        assert claim_id in by_claim, f"no verdict conflict for the repeated LIAR statement {text!r}"
        found = {v.label for side in by_claim[claim_id].sides for v in side}
        assert found == labels[fold(text)]
        assert all(v.normalized is not None for side in by_claim[claim_id].sides for v in side)


def test_google_factcheck_several_reviews_side_by_side(database, cli, shared_data):
    _needs_importer("google_factcheck")
    path = shared_data / "claimreview" / "google_factcheck_api_ar.json"
    reviews: dict[str, set[str]] = collections.defaultdict(set)
    owners: dict[str, set[str]] = collections.defaultdict(set)
    text_of: dict[str, str] = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        for review in entry.get("claimReview", []):
            url = normalize_url(review["url"])  # one review, however its URL is spelled
            reviews[fold(entry["text"])].add(url)
            owners[url].add(fold(entry["text"]))
            text_of[fold(entry["text"])] = entry["text"]
    # a verdict is one review (keyed by its URL): the two review URLs filed under two different
    # claim texts in the sample can sit on only one of them, so they are not expected on both
    reviews = {key: {u for u in urls if len(owners[u]) == 1} for key, urls in reviews.items()}
    several = {key for key, urls in reviews.items() if len(urls) > 1}
    assert several

    _import(database, path, "google-factcheck")
    from sqlalchemy import select

    from claimtrack.models import Claim, Verdict
    from claimtrack.queries.reports import claim_report

    shown = []
    with database.read() as s:
        stored = s.execute(select(Verdict.claim_id, Verdict.url).where(Verdict.url.is_not(None))).all()
        for key in sorted(several):
            urls = reviews[key]
            # the importer may file a rewording under the claim a shared review was first seen
            # with; either way, all reviews of one claim text must sit on one claim, together
            holders = {claim_id for claim_id, url in stored if normalize_url(url) in urls}
            assert len(holders) == 1, f"the reviews of {text_of[key][:60]!r} are split over claims {holders}"
            claim_id = holders.pop()
            report = claim_report(s, s.get(Claim, claim_id))
            assert {normalize_url(entry.verdict.url or "") for entry in report.verdicts} >= urls
            shown.append(claim_id)
    # in the terminal, the reviews of one claim stand next to each other in its report
    data = cli.json("report", "claim", str(shown[0]))
    assert len(data["verdicts"]) >= 2
    out = cli.ok("report", "claim", str(shown[0])).stdout
    reviewers = {v["verdict"]["reviewer"] for v in data["verdicts"]}
    assert all(r in out for r in reviewers if r)
