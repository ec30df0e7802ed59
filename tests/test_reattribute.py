"""A wrong speaker, claim or outlet is corrected in place (`statement edit --speaker / --on-behalf-of
/ --claim`, `document edit --outlet`): the statement keeps its hops and history, names resolve as
`log` resolves them, a move that repeats a logged statement is refused as `log` refuses it, and
the incremental audit re-checks both the old and the new claim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parent.parent / "claimtrack" / "data" / "demo.jsonl"


def _setup(cli: Any) -> None:
    cli.ok("actor", "add", "Maria Zakharova")
    cli.ok("actor", "add", "Dmitry Peskov")
    cli.ok("actor", "add", "Russian Foreign Ministry", "--kind", "government")
    cli.ok("log", "--speaker", "Maria Zakharova", "--stance", "denies", "--claim", "The embassy interfered",
           "--quote", "no interference", "--outlet", "TASS", "--url", "https://tass.com/1", "--title", "Embassy",
           "--published", "2021-01-24", "--said", "2021-01-24", "--new", "--no-interactive")
    cli.ok("claim", "add", "The embassy meddled")


def test_a_wrong_speaker_is_corrected_in_place(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one history row a line
    _setup(cli)
    out = cli.ok("statement", "edit", "1", "--expect-version", "1", "--speaker", "Dmitry Peskov").stdout
    assert out == "statement 1 updated (version 2)\n"
    st = cli.json("statement", "show", "1")
    assert (st["speaker"], st["speaker_id"], st["version"]) == ("Dmitry Peskov", 2, 2)
    assert [r["document_id"] for r in st["reported_in"]] == [1]  # the hop stays
    event = cli.json("history", "statement", "1")["events"][-1]
    assert (event["action"], event["before"]["speaker_id"], event["after"]["speaker_id"]) == ("update", 1, 2)
    wide = {"COLUMNS": "200"}  # the change is one table cell: at a narrow terminal it wraps
    assert "speaker: 'Maria Zakharova' (actor 1) → 'Dmitry Peskov' (actor 2)" in cli.ok(
        "history", "statement", "1", env=wide).stdout
    assert cli.json("report", "speaker", "Dmitry Peskov")["statements_total"] == 1
    assert cli.json("report", "speaker", "Maria Zakharova")["statements_total"] == 0
    cli.ok("log", "verify")


def test_speaker_names_resolve_as_log_resolves_them(cli: Any) -> None:
    _setup(cli)
    result = cli("statement", "edit", "1", "--expect-version", "1", "--speaker", "Dmitri Peskof", "--new")
    assert result.exit_code == 1 and "did you mean 'Dmitry Peskov'?" in result.stderr
    result = cli("statement", "edit", "1", "--expect-version", "1", "--speaker", "Ilya Yashin")
    assert result.exit_code == 1 and "--speaker: no actor named 'Ilya Yashin' (use --new to create it)" in result.stderr
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--speaker", "Ilya Yashin", "--new")
    assert cli.json("statement", "show", "1")["speaker"] == "Ilya Yashin"
    cli.ok("statement", "edit", "1", "--expect-version", "2", "--speaker", "Dmitri Peskof", "--new", "--force")
    assert cli.json("statement", "show", "1")["speaker"] == "Dmitri Peskof"
    cli.ok("statement", "edit", "1", "--expect-version", "3", "--speaker", "#2")
    assert cli.json("statement", "show", "1")["speaker"] == "Dmitry Peskov"


def test_on_behalf_of_is_set_and_cleared(cli: Any) -> None:
    _setup(cli)
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--on-behalf-of", "Russian Foreign Ministry")
    assert cli.json("statement", "show", "1")["on_behalf_of"] == "Russian Foreign Ministry"
    cli.ok("statement", "edit", "1", "--expect-version", "2", "--on-behalf-of", "")
    assert cli.json("statement", "show", "1")["on_behalf_of"] is None


def test_an_anonymous_speaker_is_named_and_a_named_one_made_anonymous(cli: Any) -> None:
    _setup(cli)
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--speaker", "", "--anonymous", "a diplomat")
    st = cli.json("statement", "show", "1")
    assert (st["speaker_id"], st["speaker_descriptor"]) == (None, "a diplomat")
    cli.ok("statement", "edit", "1", "--expect-version", "2", "--speaker", "Maria Zakharova", "--anonymous", "")
    st = cli.json("statement", "show", "1")
    assert (st["speaker"], st["speaker_descriptor"]) == ("Maria Zakharova", None)


def test_a_statement_moves_to_another_claim(cli: Any) -> None:
    _setup(cli)
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--claim", "2")
    assert cli.json("statement", "show", "1")["claim_id"] == 2
    assert [s["id"] for s in cli.json("claim", "show", "2")["statements"]] == [1]
    assert not cli.json("claim", "show", "1")["statements"]
    event = cli.json("history", "statement", "1")["events"][-1]
    assert (event["before"]["claim_id"], event["after"]["claim_id"]) == (1, 2)
    cli.ok("log", "verify")


def test_moving_a_statement_onto_a_logged_one_is_refused_unless_forced(cli: Any, snapshot: Any) -> None:
    _setup(cli)
    cli.ok("log", "--speaker", "Dmitry Peskov", "--stance", "denies", "--claim", "The embassy interfered",
           "--quote", "No interference!", "--url", "https://tass.com/1", "--no-interactive")
    before = snapshot()
    result = cli("statement", "edit", "2", "--expect-version", "1", "--speaker", "Maria Zakharova")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith("Error: statement 1 already records this: the same speaker denies claim 1 "
                                    "in document 1 with the same quote"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before
    cli.ok("statement", "edit", "2", "--expect-version", "1", "--speaker", "Maria Zakharova", "--force")
    assert cli.json("statement", "show", "2")["speaker"] == "Maria Zakharova"


def test_a_documents_outlet_is_corrected(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    _setup(cli)
    cli.ok("document", "edit", "1", "--expect-version", "1", "--outlet", "RIA Novosti", "--new")
    doc = cli.json("document", "show", "1")
    assert (doc["outlet"], doc["version"]) == ("RIA Novosti", 2)
    assert "outlet: 'TASS' (actor 4) → 'RIA Novosti' (actor 5)" in cli.ok(
        "history", "document", "1", env={"COLUMNS": "200"}).stdout  # one table cell: it wraps when narrow
    cli.ok("document", "edit", "1", "--expect-version", "2", "--outlet", "")  # it has a URL: still found
    assert cli.json("document", "show", "1")["outlet"] is None
    cli.ok("log", "verify")


REFUSED = [
    (("document", "edit", "2", "--expect-version", "1", "--outlet", ""),
     ("document 2 has no URL, so its outlet (with its title and date) is what finds it again; give another "
     "--outlet, or a --url first")),
    (("document", "edit", "2", "--expect-version", "1", "--outlet", "TASS"),
     ("document 1 is already this article of TASS (same title and date); merge the two with "
     "`claimtrack document merge 1 2`")),
    (("statement", "edit", "1", "--expect-version", "1", "--claim", "3"),
     "--claim: claim 3 was merged into claim 2; give --claim 2"),
    (("statement", "edit", "1", "--expect-version", "1", "--claim", "4"),
     "--claim: claim 4 is retracted (typo); a statement cannot be moved to a retired claim"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=[" ".join(a[:1] + a[-2:]) for a, _ in REFUSED])
def test_refused_corrections_write_nothing(cli: Any, snapshot: Any, argv: tuple[str, ...], message: str) -> None:
    _setup(cli)
    cli.ok("log", "--speaker", "Dmitry Peskov", "--stance", "asserts", "--claim", "The embassy meddled",
           "--outlet", "RIA Novosti", "--title", "Embassy", "--published", "2021-01-24", "--new", "--no-interactive")
    cli.ok("claim", "add", "The embassy medled")
    cli.ok("claim", "merge", "2", "3")
    cli.ok("claim", "add", "The embasy")
    cli.ok("claim", "retract", "4", "--reason", "typo")
    before = snapshot()
    result = cli(*argv)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot() == before


def _document_free(session: Any) -> dict[str, dict[str, Any]]:
    """Every finding but the document ones: a claim-scoped audit never lists those
    (unfindable-document), so the incremental audit is checked on what belongs to claims."""
    from tests.test_audit_incremental import _findings

    return {k: v for k, v in _findings(session).items() if ":document:" not in k}


def _check_each(database: Any, planned: list[tuple[str, int, dict[str, Any]]]) -> None:
    """Apply each correction; after each, the claims the incremental audit re-checks give exactly
    the whole audit's findings there, and no finding changed outside them."""
    from claimtrack.checks import Scope, run_audit
    from claimtrack.checks.incremental import changed_claims, head_event_id
    from claimtrack.models import Document, Statement
    from claimtrack.services.edits import edit_object
    from tests.test_audit_incremental import _claim_of

    models = {"statement": Statement, "document": Document}
    for kind, object_id, change in planned:
        with database.read() as session:
            mark = head_event_id(session)
            before = _document_free(session)
            claim_before = {key: _claim_of(session, key) for key in before}
        with database.write() as session:
            obj = session.get_one(models[kind], object_id)
            assert edit_object(session, kind, obj, change, expect_version=obj.version, force=True), change
        with database.read() as session:
            claims = changed_claims(session, mark)
            assert claims, change
            after = _document_free(session)
            claim_after = {key: _claim_of(session, key) for key in after}
            incremental = {p.key: p.as_dict() for p in run_audit(session, Scope(claim_ids=frozenset(claims)))
                           if ":document:" not in p.key}
        assert incremental == {k: v for k, v in after.items() if claim_after[k] in claims}, change
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        missed = {k for k in changed if claim_before.get(k) not in claims and claim_after.get(k) not in claims}
        assert not missed, (change, sorted(missed))


def test_incremental_audit_after_corrections_equals_the_whole_audit(database: Any) -> None:
    """Each correction of the demo re-audits what it touched: `audit --since-last`'s scope finds
    exactly what a whole audit finds there, and no finding changed outside it."""
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Actor, Document, Hop, Statement

    with database.write() as session:
        import_file(session, DEMO, "jsonl")
    with database.read() as session:
        statements = list(session.scalars(select(Statement.id).where(Statement.speaker_id.is_not(None))
                                          .order_by(Statement.id)))
        people = list(session.scalars(select(Actor.id).where(Actor.kind == "person").order_by(Actor.id)))
        documents = list(session.scalars(select(Document.id).order_by(Document.id)))
        outlets = list(session.scalars(select(Actor.id).where(Actor.kind.in_(("outlet", "agency")))
                                       .order_by(Actor.id)))
        primary = session.scalar(select(Hop.statement_id).where(Hop.is_primary.is_(True)).order_by(Hop.id).limit(1))
    _check_each(database, [
        ("statement", statements[0], {"speaker": f"#{people[-1]}"}),
        ("statement", statements[3], {"claim": "1"}),
        ("statement", primary, {"speaker": f"#{people[2]}", "claim": "3"}),
        ("statement", statements[5], {"on_behalf_of": f"#{outlets[0]}"}),
        ("document", documents[0], {"outlet": f"#{outlets[-1]}"}),
        ("document", documents[-1], {"outlet": f"#{outlets[0]}"}),
    ])


def test_moving_statements_off_an_echoed_claim_re_audits_the_claim_they_left(database: Any, tmp_path: Path) -> None:
    """An echo finding counts a claim's reports: moving a statement to another claim changes the
    finding of the claim it left, which only the event's *before* names."""
    from sqlalchemy import select

    from claimtrack.formats import import_file
    from claimtrack.models import Statement
    from tests.helpers import generated_jsonl
    from tests.test_audit_incremental import _findings

    archive = generated_jsonl(tmp_path / "archive.jsonl", 300, actors=60)
    with database.write() as session:
        import_file(session, archive, "jsonl")
    with database.read() as session:
        echoed = sorted(int(key.rsplit(":", 1)[1]) for key in _findings(session) if key.startswith("echo:claim:"))
        assert len(echoed) >= 2, "the generated archive has echoed claims"
        moved = list(session.scalars(select(Statement.id).where(Statement.claim_id == echoed[0])
                                     .order_by(Statement.id).limit(2)))
    _check_each(database, [("statement", statement_id, {"claim": str(echoed[1])}) for statement_id in moved])
