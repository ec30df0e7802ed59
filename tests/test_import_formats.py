"""Each import format on small hand-written fixtures: what it creates, and re-import as a no-op."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SHEET_MAP = ["--map", "claim=Statement", "--map", "speaker=Who", "--map", "stance=Position", "--map", "quote=Words",
             "--map", "said=When", "--map", "outlet=Paper", "--map", "url=Link", "--map", "verdict=Rating",
             "--map", "reviewer=Checker"]


def created(summary: dict[str, Any]) -> dict[str, int]:
    return {kind: c["created"] for kind, c in summary["counts"].items() if c["created"]}


@pytest.mark.parametrize("fixture,format,expected", [
    ("liar_small.tsv", "liar", {"actor": 4, "claim": 2, "statement": 3, "verdict": 3}),
    ("emergent_small.csv", "emergent", {"document": 3, "claim": 2, "statement": 3, "hop": 3}),
    ("claimreview_single.json", "claimreview", {"actor": 2, "document": 2, "claim": 1, "statement": 1, "hop": 2,
                                                "verdict": 1}),
    ("claimreview_graph.json", "claimreview", {"actor": 1, "claim": 2, "verdict": 2}),
    ("claimreview_array.json", "claimreview", {"actor": 1, "claim": 2, "verdict": 2}),
    ("claimreview_feed.jsonl", "claimreview", {"actor": 1, "claim": 2, "verdict": 2}),
    ("google_factcheck_small.json", "google-factcheck", {"actor": 4, "claim": 2, "statement": 2, "verdict": 2}),
    ("polnear_small.tsv", "polnear", {"actor": 3, "document": 1, "claim": 4, "statement": 4, "hop": 4}),
    ("polnear_brat", "polnear", {"actor": 3, "document": 1, "claim": 4, "statement": 4, "hop": 4}),
])
def test_auto_detects_imports_and_reimports_as_noop(cli: Any, fixture: str, format: str,
                                                    expected: dict[str, int]) -> None:
    first = cli.json("import", str(FIXTURES / fixture))
    assert first["format"] == format
    assert created(first) == expected
    again = cli.json("import", str(FIXTURES / fixture), "--format", format)
    assert created(again) == {}


def test_liar_rows(database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Actor, Statement, Verdict

    with database.write() as session:
        import_file(session, FIXTURES / "liar_small.tsv", "liar")
    with database.read() as session:
        jane = session.scalar(select(Actor).where(Actor.key == "jane-doe"))
        assert (jane.name, jane.kind, jane.description) == ("Jane Doe", "person", "Mayor")
        assert [(e.scheme, e.value) for e in jane.external_ids] == [("politifact", "jane-doe")]
        statement = session.scalar(select(Statement).where(Statement.key == "liar:101.json"))
        assert (statement.stance, statement.context, statement.speaker.key) == ("asserts", "a press release", "jane-doe")
        verdicts = session.scalars(select(Verdict).where(Verdict.claim_id == statement.claim_id)
                                   .order_by(Verdict.id)).all()
        # the same statement rated twice: one claim, two disagreeing PolitiFact verdicts
        assert [(v.label, v.rating_value, v.reviewer.name) for v in verdicts] == [
            ("false", 1, "PolitiFact"), ("pants-fire", 0, "PolitiFact")]


def test_emergent_stances_and_documents(database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Statement

    with database.write() as session:
        import_file(session, FIXTURES / "emergent_small.csv", "emergent")
    with database.read() as session:
        rows = session.scalars(select(Statement).order_by(Statement.id)).all()
        assert [s.stance for s in rows] == ["asserts", "denies", "reports"]
        assert rows[1].quote == 'No, that "giant squid" photo is a hoax'
        assert rows[1].speaker_descriptor == "an unnamed news outlet"
        assert rows[1].hops[0].document.title == rows[1].quote and rows[1].hops[0].document.outlet is None


def test_claimreview_fields(database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Verdict

    with database.write() as session:
        import_file(session, FIXTURES / "claimreview_single.json")
    with database.read() as session:
        verdict = session.scalar(select(Verdict))
        assert verdict.key == "claimreview:https://factcheck.example.org/reviews/squid"
        assert (verdict.label, verdict.rating_value, verdict.best, verdict.worst) == ("Mostly false", 2, 5, 1)
        assert (verdict.reviewer.name, str(verdict.reviewed)) == ("Example Checks", "2021-03-02")
        statement = verdict.claim.statements[0]
        assert (statement.speaker.name, statement.speaker.kind, str(statement.said)) == ("Jane Doe", "person", "2021-02-27")
        assert sorted(h.document.url for h in statement.hops) == [
            "https://news.example.net/squid", "https://social.example.com/jane/1"]


def test_google_repeats_are_the_same_records(database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Claim, Verdict

    with database.write() as session:
        summary = import_file(session, FIXTURES / "google_factcheck_small.json")
    # entry 2 repeats entry 1 exactly; entry 3 is another wording under the same review URL
    assert summary.counts["verdict"].created == 2 and summary.counts["verdict"].matched == 2
    with database.read() as session:
        assert session.scalars(select(Claim.text).order_by(Claim.id)).all() == [
            "The city budget doubled in two years", "Unemployment fell below 4 percent"]
        verdict = session.scalar(select(Verdict).order_by(Verdict.id))
        assert (verdict.label, verdict.explanation, verdict.reviewer.key) == (
            "False", "No, the budget did not double", "factcheck.example.org")


def test_polnear_source_rules(database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Statement

    with database.write() as session:
        import_file(session, FIXTURES / "polnear_small.tsv")
    with database.read() as session:
        rows = session.scalars(select(Statement).order_by(Statement.id)).all()
        outlet, vague, named, unattributed = rows
        assert (outlet.speaker.name, outlet.speaker.kind, outlet.hops[0].via_actor.name) == (
            "The Springfield Post", "outlet", "The Springfield Post")
        assert (vague.speaker, vague.speaker_descriptor, vague.cue) == (None, "officials", "said")
        assert (named.speaker.name, named.quote_kind) == ("Jane Doe", "direct")
        assert (unattributed.speaker, unattributed.speaker_descriptor, unattributed.quote) == (None, None, None)
        assert unattributed.hops[0].quote == "the budget grew"
        document = outlet.hops[0].document
        assert (document.outlet.name, document.title, str(document.published)) == (
            "The New York Times", "Budget story", "2016-10-01")


def test_csv_with_map(cli: Any, database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.models import Statement

    summary = cli.json("import", str(FIXTURES / "sheet.csv"), "--format", "csv", *SHEET_MAP)
    assert created(summary) == {"actor": 4, "document": 1, "claim": 2, "statement": 3, "hop": 1, "verdict": 1}
    assert created(cli.json("import", str(FIXTURES / "sheet.csv"), *SHEET_MAP)) == {}
    with database.read() as session:
        rows = session.scalars(select(Statement).order_by(Statement.id)).all()
        assert [(s.speaker.name, s.stance, s.quote) for s in rows] == [
            ("Jane Doe", "asserts", "it doubled"), ("John Roe", "denies", None), ("John Roe", "asserts", None)]
        assert rows[0].hops[0].document.outlet.name == "Daily Planet"
        assert rows[0].claim.verdicts[0].reviewer.name == "Example Checks"


def test_csv_delimiter(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "semi.txt"
    path.write_text("Claim;Person\nThe sky is green;Jane Doe\n", encoding="utf-8")
    summary = cli.json("import", str(path), "--format", "csv", "--delimiter", ";", "--map", "claim=Claim",
                       "--map", "speaker=Person")
    assert created(summary) == {"actor": 1, "claim": 1, "statement": 1}


def test_claimreview_datafeed_and_excel_bom_csv(cli: Any, tmp_path: Path) -> None:
    import json

    review = json.loads((FIXTURES / "claimreview_single.json").read_text(encoding="utf-8"))
    feed = {"@context": "https://schema.org", "@type": "DataFeed",
            "dataFeedElement": [{"@type": "DataFeedItem", "item": [review]}]}
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    summary = cli.json("import", str(path), "--format", "claimreview")
    assert created(summary)["verdict"] == 1
    sheet = tmp_path / "excel.csv"
    sheet.write_bytes("\ufeffClaim,Label\nThe moon is cheese,False\n".encode())
    summary = cli.json("import", str(sheet), "--map", "claim=Claim", "--map", "verdict=Label")
    assert created(summary) == {"claim": 1, "verdict": 1}
