"""`history claim|statement|actor|verdict ID` and `log show`: who changed what and when."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path


def _setup(cli) -> None:
    cli.ok("actor", "add", "Leonid Volkov", user="alice")
    cli.ok("claim", "add", "Police visited Navalny supporters at home", user="alice")
    cli.ok("claim", "add", "Nobody was visited by the police", user="bob")
    cli.ok("claim", "link", "1", "2", "--type", "contradicts", user="bob")
    cli.ok("statement", "add", "--claim-id", "1", "--speaker", "Leonid Volkov", "--stance", "asserts", user="alice")
    cli.ok("claim", "edit", "1", "--expect-version", "1", "--language", "en", user="carol")


def test_claim_history_json(cli):
    _setup(cli)
    data = cli.json("history", "claim", "1")
    assert data["object_type"] == "claim" and data["object_id"] == 1 and data["version"] == 2
    actions = [(e["action"], e["object_type"], e["user"]) for e in data["events"]]
    assert actions == [("create", "claim", "alice"), ("link", "claim_relation", "bob"), ("update", "claim", "carol")]
    update = data["events"][-1]
    assert update["before"]["language"] is None and update["after"]["language"] == "en"
    assert set(update) == {"id", "occurred_at", "user", "action", "object_type", "object_id", "before", "after",
                           "prev_hash", "hash"}
    assert update["occurred_at"].endswith("Z")


def test_history_by_key_and_table(cli):
    cli.ok("claim", "add", "A keyed claim", "--key", "keyed-claim")
    shown = cli.ok("history", "claim", "keyed-claim").stdout
    assert "history of claim 1 (version 1)" in shown and "create" in shown and "A keyed claim" in shown


def test_history_table_shows_changed_fields(cli):
    _setup(cli)
    shown = cli.ok("history", "claim", "1").stdout
    assert "language: None →" in shown and "'en'" in shown


def test_statement_and_actor_history(cli):
    _setup(cli)
    statement = cli.json("history", "statement", "1")
    assert [e["action"] for e in statement["events"]] == ["create"]
    actor = cli.json("history", "actor", "1")
    assert actor["events"][0]["after"]["name"] == "Leonid Volkov"


def test_merged_actor_history_shows_the_merge(cli):
    cli.ok("actor", "add", "Leonid Volkov")
    cli.ok("actor", "add", "Leonid Volkov Jr.", "--new")
    cli.ok("actor", "merge", "1", "2")
    duplicate = cli.json("history", "actor", "2")
    assert [e["action"] for e in duplicate["events"]] == ["create", "merge"]
    survivor = cli.json("history", "actor", "1")
    assert [e["action"] for e in survivor["events"]] == ["create", "merge"]


def test_imported_object_history_shows_the_import(cli, tmp_path: Path):
    records = [
        {"type": "actor", "key": "ovd-info", "name": "OVD-Info", "kind": "organization"},
        {"type": "claim", "key": "detained", "text": "More than 3,000 people were detained"},
        {"type": "statement", "key": "ovd-3000", "claim": "detained", "speaker": "ovd-info", "stance": "asserts"},
    ]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    cli.ok("import", str(path), "--format", "jsonl")
    for kind, key in (("claim", "detained"), ("statement", "ovd-3000"), ("actor", "ovd-info")):
        events = cli.json("history", kind, key)["events"]
        assert [e["action"] for e in events] == ["import"], kind
    shown = cli.ok("history", "claim", "detained").stdout
    assert "small.jsonl" in shown and "created" in shown


def test_unknown_object(cli, snapshot):
    before = snapshot()
    result = cli("history", "claim", "42")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: claim '42' not found (give its id or key)"
    result = cli("history", "document", "1")
    assert result.exit_code == 1 and "document '1' not found" in result.stderr
    result = cli("history", "event", "1")
    assert result.exit_code == 2
    assert snapshot() == before


def test_log_show_filters(cli, database):
    _setup(cli)
    all_events = cli.json("log", "show")
    assert [e["id"] for e in all_events] == list(range(1, 7))
    assert {e["user"] for e in cli.json("log", "show", "--user", "bob")} == {"bob"}
    assert [e["id"] for e in cli.json("log", "show", "--limit", "2")] == [5, 6]
    assert [e["action"] for e in cli.json("log", "show", "--action", "link")] == ["link"]
    # --since: move the first three events into 2020 and ask for what happened since 2021
    from sqlalchemy import text

    from claimtrack.events_ddl import drop_statements
    from claimtrack.models import Event

    with database.write() as s:  # through the ORM, so each backend stores the time its own way
        for statement in drop_statements(database.dialect):  # events are append-only otherwise
            s.execute(text(statement))
        for event_id in (1, 2, 3):
            s.get(Event, event_id).occurred_at = datetime(2020, 5, 1, tzinfo=UTC)
    assert [e["id"] for e in cli.json("log", "show", "--since", "2021-01-01")] == [4, 5, 6]
    assert [e["id"] for e in cli.json("log", "show", "--since", "2020-05-01T00:00")] == [1, 2, 3, 4, 5, 6]
    table = cli.ok("log", "show", "--user", "carol").stdout
    assert "carol" in table and "update" in table


def test_log_show_bad_since(cli, snapshot):
    before = snapshot()
    result = cli("log", "show", "--since", "last tuesday")
    assert result.exit_code == 2
    assert "'last tuesday' is not a date; expected YYYY-MM-DD" in result.stderr
    assert snapshot() == before


def test_log_show_empty(cli):
    assert cli.json("log", "show") == []
    assert "no events" in cli.ok("log", "show").stdout


def test_user_falls_back_to_the_os_login(monkeypatch):
    import getpass

    from claimtrack.db import current_user

    monkeypatch.delenv("CLAIMTRACK_USER", raising=False)
    assert current_user(None) == getpass.getuser()
    monkeypatch.setenv("CLAIMTRACK_USER", "dana")
    assert current_user(None) == "dana"
    assert current_user("erin") == "erin"
