"""The demo: the seed reports as a native-format file, loaded and toured.

The data tests check what a careful fact-checker would check in the file itself; the loaded
tests check that the seed example shows what issue 7 (and issues 4 and 5) promise: the conflicts,
the chain, the audit findings; the CLI tests check that the demo never touches the user's data.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from claimtrack.demo import DEMO_USER, demo_data_path


def _records() -> list[dict]:
    with demo_data_path().open("rb") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def _by_key(kind: str) -> dict[str, dict]:
    return {r["key"]: r for r in _records() if r["type"] == kind}


# --------------------------------------------------------------------------- the file itself


def test_file_references_only_earlier_records_and_keys_are_unique():
    records = _records()
    assert records[0] == {"type": "claimtrack", "format_version": 1}
    seen: dict[str, set[str]] = {}
    ref_fields = {"outlet": "actor", "speaker": "actor", "on_behalf_of": "actor", "via_actor": "actor",
                  "actor": "actor", "organization": "actor", "claim": "claim", "document": "document",
                  "statement": "statement", "via_hop": "hop", "parent": "statement", "source": "claim",
                  "target": "claim"}
    for record in records[1:]:
        for field, kind in ref_fields.items():
            if record.get(field) is not None:
                assert record[field] in seen.get(kind, set()), f"{record.get('key')}: {field} {record[field]!r}"
        if "key" in record:
            assert record["key"] not in seen.setdefault(record["type"], set()), record["key"]
            seen[record["type"]].add(record["key"])


def test_short_quotes_only_and_no_quote_in_the_reporters_own_voice():
    for record in _records():
        for field in ("quote", "original_text"):
            if record.get(field):
                assert len(record[field]) <= 200, f"{record['key']}: quotes must stay short"
        if record["type"] == "statement" and not record.get("speaker") and not record.get("speaker_descriptor"):
            assert not record.get("quote"), f"{record['key']}: the reporter's own voice cannot be quoted"


def test_the_seed_details_a_fact_checker_needs_are_logged():
    actors, statements, claims = _by_key("actor"), _by_key("statement"), _by_key("claim")
    assert set(actors["alexei-navalny"]["aliases"]) == {"Alexey Navalny", "Alexeï Navalny"}
    assert actors["ovd-info"]["aliases"] == ["OVD Info"]
    assert actors["local-media"]["kind"] == actors["state-run-media"]["kind"] == "unspecified"
    assert actors["afp"]["kind"] == "agency"
    stances = {s["stance"] for s in statements.values()}
    assert {"asserts", "confirms", "denies", "did_not_respond", "reports"} <= stances
    assert {s.get("channel") for s in statements.values()} >= {"telegram", "facebook", "twitter"}
    assert {s.get("quote_kind") for s in statements.values()} >= {"direct", "indirect", "mixed"}
    assert statements["ryabkov-strong-protest"]["parent"] == "zakharova-ryabkov-talks"
    assert statements["visited-person-asked-report"]["parent"] == "ovd-info-relays-visited-person"
    assert statements["embassy-spokeswoman-routine"]["on_behalf_of"] == "us-embassy-moscow"
    subject = claims["protesters-detained-3000"]["quantity"]["subject"]
    assert claims["protesters-detained-3700"]["quantity"]["subject"] == subject
    assert claims["visited-at-least-20"]["quantity"]["subject"] == claims["visited-several-dozen"]["quantity"]["subject"]
    documents = _by_key("document")
    assert documents["franceinfo-london-exiles-2024-03"]["kind"] == "translation"
    assert documents["volkov-telegram-2021-07"]["kind"] == "post"


# --------------------------------------------------------------------------- loaded


@pytest.fixture
def demo_db(database):
    """The demo file imported into the test database (SQLite and PostgreSQL)."""
    from claimtrack.formats import import_native

    with database.write() as session, demo_data_path().open("rb") as stream:
        import_native(session, stream)
    return database


def test_loads_everything_once(demo_db):
    from claimtrack.queries.stats import count_objects

    kinds = {}
    for record in _records()[1:]:
        kinds[record["type"]] = kinds.get(record["type"], 0) + 1
    with demo_db.read() as session:
        counts = count_objects(session)
    assert counts["actors"] == kinds["actor"]
    assert counts["documents"] == kinds["document"]
    assert counts["claims"] == kinds["claim"]
    assert counts["statements"] == kinds["statement"]
    assert counts["hops"] == kinds["hop"]
    assert counts["relations"] == kinds["relation"]
    assert counts["events"] > 0  # the import is in the change log


def test_three_spellings_are_one_actor(demo_db):
    from sqlalchemy import select

    from claimtrack.models import ActorAlias
    from claimtrack.normalize import normalize_name

    with demo_db.read() as session:
        owners = {
            session.scalar(select(ActorAlias.actor_id).where(ActorAlias.normalized == normalize_name(name)))
            for name in ("Alexei Navalny", "Alexey Navalny", "Alexeï Navalny")
        }
    assert len(owners) == 1 and None not in owners


def test_conflicts_the_issue_promises(demo_db):
    from claimtrack.queries.conflicts import find_conflicts
    from claimtrack.queries.lookup import get_claim

    with demo_db.read() as session:
        ids = {key: get_claim(session, key).id for key in (
            "former-ally-caused-leak", "us-embassy-interfered", "embassy-alerts-routine",
            "protesters-detained-3000", "protesters-detained-3700", "visited-at-least-20",
            "visited-several-dozen", "photo-dated-2020-01-23", "rallies-held-2021-01-23")}
        found = {(c.kind, frozenset(c.claim_ids)) for c in find_conflicts(session).conflicts}
    assert ("stance", frozenset({ids["former-ally-caused-leak"]})) in found
    assert ("relation", frozenset({ids["us-embassy-interfered"], ids["embassy-alerts-routine"]})) in found
    assert ("relation", frozenset({ids["photo-dated-2020-01-23"], ids["rallies-held-2021-01-23"]})) in found
    assert ("quantity", frozenset({ids["protesters-detained-3000"], ids["protesters-detained-3700"]})) in found
    assert ("quantity", frozenset({ids["visited-at-least-20"], ids["visited-several-dozen"]})) in found


def test_audit_flags_the_gaps_of_the_seed(demo_db):
    from claimtrack.checks import run_audit

    with demo_db.read() as session:
        problems = run_audit(session)
    text = {rule: " | ".join(p.message for p in problems if p.rule == rule) for rule in {p.rule for p in problems}}
    assert "local media" in text["vague-source"] and "state-run media" in text["vague-source"]
    assert "a former Navalny ally" in text["anonymous-speaker"]
    assert "U.S. Embassy spokeswoman" in text["anonymous-speaker"]
    assert "3,000" in text["unattributed"]
    assert "2020-01-23" in text["time-order"]  # the photo caption that dates the 2021 rally "2020"


def test_volkov_chain_reaches_his_telegram_post(demo_db):
    from claimtrack.demo import TOUR_CHAIN_STATEMENT
    from claimtrack.queries.chains import document_chain
    from claimtrack.queries.lookup import get_document

    with demo_db.read() as session:
        chain = document_chain(session, get_document(session, "tnie-2021-07-28").id)
    branch = next(b for b in chain.statements if b.statement.key == TOUR_CHAIN_STATEMENT)
    path = list(branch.hop.path())
    assert [node.document.key for node in path] == ["tnie-2021-07-28", "volkov-telegram-2021-07"]
    assert path[0].via_actor.name == "AFP"
    assert path[-1].is_primary


# --------------------------------------------------------------------------- the command


def _events_users(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT user FROM events")}


def test_demo_command_tours_a_fresh_database(cli, snapshot, tmp_path):
    before = snapshot()
    path = tmp_path / "demo.db"
    result = cli.ok("demo", "--db", str(path), "--width", "100")
    out = result.stdout
    for section in ("Conflicts side by side", "One attribution chain", "The audit", "Try next"):
        assert section in out
    for needle in ("more than 3,000", "more than 3,700", "a former Navalny ally", "routine practice",
                   "Telegram", "vague-source", f"claimtrack --db {path} report claim"):
        assert needle in out, needle
    assert _events_users(path) == {DEMO_USER}
    # the root --db (the user's own database) received nothing
    assert snapshot() == before
    # run again: recreated, not doubled
    cli.ok("demo", "--db", str(path), "--no-tour")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM statements").fetchone()[0] == len(_by_key("statement"))


def test_demo_default_path_is_beside_the_users_database(tmp_path):
    from typer.testing import CliRunner

    from claimtrack.cli.app import app

    user_db = tmp_path / "mine.db"
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path),
           "CLAIMTRACK_DATABASE_URL": f"sqlite:///{user_db}"}
    result = CliRunner().invoke(app, ["demo", "--no-tour"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "claimtrack" / "demo.db").exists()
    assert not user_db.exists()  # $CLAIMTRACK_DATABASE_URL is the user's: never the demo's


def test_demo_refuses_to_overwrite_other_data(cli, tmp_path):
    from claimtrack.db import Database

    path = tmp_path / "work.db"
    Database(f"sqlite:///{path}").ensure_schema()  # a real claimtrack database...
    with sqlite3.connect(path) as connection:  # ...with somebody's work in its log
        connection.execute(
            "INSERT INTO events (id, occurred_at, user, action, object_type, hash) "
            "VALUES (1, '2024-01-01 00:00:00', 'alice', 'create', 'claim', :h)", {"h": "a" * 64})
    before = path.read_bytes()
    result = cli("demo", "--db", str(path))
    assert result.exit_code == 1
    assert "is not a claimtrack demo database" in result.stderr
    assert path.read_bytes() == before

    other = tmp_path / "notes.txt"
    other.write_text("my notes")
    result = cli("demo", "--db", str(other))
    assert result.exit_code == 1 and "not a claimtrack demo database" in result.stderr
    assert other.read_text() == "my notes"


def test_demo_refuses_a_server_database(cli):
    result = cli("demo", "--db", "postgresql://someone@localhost/newsroom")
    assert result.exit_code == 1
    assert "the demo builds its own SQLite file" in result.stderr


def test_quotes_are_verbatim_from_the_seed_reports(seeds_dir):
    """Every quote in the demo is the reports' own words (short excerpts, never paraphrased)."""
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt")))
    for record in _records():
        if record["type"] in ("statement", "hop") and record.get("quote"):
            assert record["quote"].rstrip(".") in text, f"{record['key']}: quote not found in the seeds"


def test_demo_json_gives_the_tour_as_data(tmp_path):
    from typer.testing import CliRunner

    from claimtrack.cli.app import app

    path = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--db", str(path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["path"] == str(path)
    assert data["counts"]["statements"] == len(_by_key("statement"))
    assert {c["kind"] for c in data["conflicts"]} >= {"stance", "relation", "quantity"}
    assert data["chain"]["statement"]["key"] == "volkov-telegram-night-visits"
    assert {"rule", "severity", "message", "objects"} <= set(data["problems"][0])
    assert all(c["command"].startswith(f"claimtrack --db {path} ") for c in data["next_commands"])


def test_every_next_command_of_the_tour_works(tmp_path):
    """The commands the tour tells a newcomer to try all run against the demo database."""
    import shlex

    from typer.testing import CliRunner

    from claimtrack.cli.app import app
    from claimtrack.demo import create_demo_database, next_commands

    path = tmp_path / "demo.db"
    create_demo_database(path).dispose()
    runner = CliRunner()
    for command, _what in next_commands(path):
        argv = shlex.split(command)
        result = runner.invoke(app, argv[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{command}\n{result.stderr}"
        assert result.stdout.strip(), command
