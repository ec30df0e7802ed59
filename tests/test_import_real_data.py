"""Real third-party data from ../shared/data (skipped when absent): counts, spot values, re-import no-op.

Counts are derived as follows (see docs/formats.md for the identity rules):
- LIAR: every row is a statement and a verdict (train 10,269; valid 1,284). Claims are unique
  by folded text, and a few statements occur twice (train 21 repeats -> 10,248 claims; valid 1
  -> 1,283). Actors are the distinct speaker slugs plus PolitiFact (train 2,916 + 1).
- Emergent: 300 claims, 2,595 statements, 2,595 article documents and hops; 86 claims have
  both `for` (asserts) and `against` (denies) headlines.
- Google claims:search sample: 1,762 entries, 1,334 distinct (428 exact repeats, matched).
  Claims: 1,274 distinct texts -> 1,270 once folded (4 differ only by case/punctuation)
  -> 1,268, because 2 review URLs reappear under another wording, which is attached to the
  claim the review was first seen with. Verdicts: 1,291 distinct review URLs -> 1,285 once
  normalized (scheme, www., trailing slash). Statements: one per distinct (claim, claimant,
  claim date) among entries that name a claimant: 1,210. Actors: 15 publisher sites + 194
  claimant slugs = 209.
- Data Commons feed: 6 reviews -> 6 claims, statements and verdicts; 8 actors (PolitiFact and
  another reviewer, 6 claim authors).
- PolNeAR dev TSV: 2,320 rows, one entirely empty (skipped) -> 2,319 statements and hops;
  84 article documents; 2,155 claims (identical contents fold together); the brat folder
  yields the very same records (every one matched).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from claimtrack.formats import import_file


def assert_verifies(database: Any) -> None:
    """`log verify` is clean: the chain, and every imported row's hash against the import's event."""
    from claimtrack.services.events import verify_chain
    from claimtrack.services.verify_data import verify_data

    with database.read() as session:
        chain, data = verify_chain(session), verify_data(session)
    assert chain.ok and data.findings == [] and data.rows > 0, (chain.problem, data.findings[:5])


def created(summary: Any) -> dict[str, int]:
    return {kind: c.created for kind, c in summary.counts.items() if c.created}


def test_liar_train_full_import_then_noop(database: Any, shared_data: Path) -> None:
    from claimtrack.models import Actor, Statement, Verdict

    path = shared_data / "liar" / "train.tsv"
    with database.write() as session:
        summary = import_file(session, path, "auto")
    assert summary.format == "liar"
    assert created(summary) == {"actor": 2917, "claim": 10248, "statement": 10269, "verdict": 10269}
    with database.write() as session:
        again = import_file(session, path, "liar")
    assert created(again) == {} and again.id_ranges == {}
    with database.read() as session:
        statement = session.scalar(select(Statement).where(Statement.key == "liar:2635.json"))
        assert (statement.speaker.key, statement.speaker.description, statement.context) == (
            "dwayne-bohac", "State representative", "a mailer")
        assert statement.claim.text == "Says the Annies List political group supports third-trimester abortions on demand."
        verdict = session.scalar(select(Verdict).where(Verdict.key == "liar:2635.json"))
        assert (verdict.label, verdict.reviewer.key) == ("false", "politifact")
        assert session.scalar(select(func.count()).select_from(Actor).where(Actor.kind == "organization")) > 1
    assert_verifies(database)


def test_liar_valid(database: Any, shared_data: Path) -> None:
    with database.write() as session:
        summary = import_file(session, shared_data / "liar" / "valid.tsv", "liar")
    assert created(summary) == {"actor": 663, "claim": 1283, "statement": 1284, "verdict": 1284}
    assert_verifies(database)


def test_emergent(database: Any, shared_data: Path) -> None:
    from claimtrack.models import Statement

    path = shared_data / "emergent" / "url-versions-2015-06-14-clean.csv"
    with database.write() as session:
        summary = import_file(session, path)
    assert summary.format == "emergent"
    assert created(summary) == {"claim": 300, "statement": 2595, "document": 2595, "hop": 2595}
    with database.read() as session:
        stances = dict(session.execute(select(Statement.stance, func.count()).group_by(Statement.stance)).all())
        assert stances == {"asserts": 1238, "denies": 395, "reports": 962}
        claims_for = set(session.scalars(select(Statement.claim_id).where(Statement.stance == "asserts")))
        claims_against = set(session.scalars(select(Statement.claim_id).where(Statement.stance == "denies")))
        assert len(claims_for & claims_against) == 86
        statement = session.scalar(select(Statement).where(Statement.key == "emergent:1"))
        assert statement.claim.text == "Two Australian men kept a McDonald's Quarter Pounder with Cheese for 20 years"
        assert statement.quote == "World's oldest burger"
    with database.write() as session:
        assert created(import_file(session, path, "emergent")) == {}
    assert_verifies(database)


def test_google_factcheck_sample(database: Any, shared_data: Path) -> None:
    from claimtrack.models import Verdict

    path = shared_data / "claimreview" / "google_factcheck_api_ar.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert len(entries) == 1762
    assert len({json.dumps(e, sort_keys=True) for e in entries}) == 1334
    with database.write() as session:
        summary = import_file(session, path)
    assert summary.format == "google-factcheck" and summary.rejected == 0
    assert created(summary) == {"actor": 209, "claim": 1268, "statement": 1210, "verdict": 1285}
    with database.read() as session:
        first = session.scalar(select(Verdict).order_by(Verdict.id))
        assert (first.label, first.language, str(first.reviewed)) == ("excitement", "ar", "2025-04-28")
        assert first.reviewer.key == "misbar.com" and first.reviewer.name == "مسبار"
        assert first.claim.text.startswith("خبر جرى تداوله يفيد بانقطاع التيار الكهربائي")
        # a textual rating longer than a label is cut, and kept whole in the explanation
        long = session.scalar(select(Verdict).where(Verdict.explanation.like("Rating: %")).order_by(Verdict.id))
        assert long is not None and len(long.label) == 200 and long.label.endswith("…")
    with database.write() as session:
        assert created(import_file(session, path, "google-factcheck")) == {}
    assert_verifies(database)


def test_datacommons_feed(database: Any, shared_data: Path) -> None:
    from claimtrack.models import Verdict

    path = shared_data / "claimreview" / "datacommons_feed_sample.jsonl"
    with database.write() as session:
        summary = import_file(session, path)
    assert summary.format == "claimreview"
    assert created(summary) == {"actor": 8, "claim": 6, "statement": 6, "verdict": 6}
    with database.read() as session:
        verdict = session.scalar(select(Verdict).order_by(Verdict.id))
        assert (verdict.label, verdict.reviewer.name, str(verdict.reviewed)) == ("Pants on Fire", "PolitiFact", "2019-01-03")
        statement = verdict.claim.statements[0]
        assert (statement.speaker.name, str(statement.said)) == ("Facebook posts", "2019-01-01")
    with database.write() as session:
        assert created(import_file(session, path, "claimreview")) == {}
    assert_verifies(database)


def test_polnear_dev_tsv_and_brat_agree(database: Any, shared_data: Path) -> None:
    from claimtrack.models import Statement

    with database.write() as session:
        summary = import_file(session, shared_data / "polnear" / "polnear_dev_attributions.tsv")
    assert summary.format == "polnear"
    assert created(summary) == {"actor": 709, "document": 84, "claim": 2155, "statement": 2319, "hop": 2319}
    assert summary.counts["statement"].skipped == 1
    with database.write() as session:
        brat = import_file(session, shared_data / "polnear" / "dev", "auto")
    assert brat.format == "polnear" and created(brat) == {} and brat.counts["statement"].matched == 2319
    with database.read() as session:
        post = session.scalar(select(Statement).where(
            Statement.key == "polnear:breitbart_2016-09-12_stealth-over-health-hillary-clin:ef2d:E1"))
        assert (post.speaker.name, post.speaker.kind, post.cue) == ("The New York Post", "outlet", "reports")
        assert post.hops[0].via_actor_id == post.speaker_id
        assert post.hops[0].document.outlet.name == "Breitbart"
        vague = session.scalar(select(Statement).where(
            Statement.key == "polnear:breitbart_2016-09-12_stealth-over-health-hillary-clin:ef2d:E3"))
        assert (vague.speaker_id, vague.speaker_descriptor) == (None, "sources")
    assert_verifies(database)
