"""No write path skips the change log, and nothing is ever hard-deleted from the CLI.

A scenario runs every kind of CLI write that exists (actor add/alias/affiliate/merge, document
add, claim add/link/edit, statement add/retract, hop add, the one-line `log`, verdict add/edit,
import). Then every row of every table must be accounted for by an event: its own, its actor's
(aliases and ids added with the actor), a merge that moved it, or an import whose id ranges
cover it. Every row changed after creation (version > 1) must have a change event too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimtrack.models import Base

ROOT = Path(__file__).resolve().parent.parent

NATIVE = [
    {"type": "claimtrack", "format_version": 1},
    {"type": "actor", "key": "ovd-info", "name": "OVD-Info", "kind": "organization", "aliases": ["OVD Info"]},
    {"type": "claim", "key": "detained-3000", "text": "More than 3,000 people were detained on 23 January 2021",
     "quantity": {"subject": "people detained on 23 January 2021", "value": 3000, "bound": "more_than",
                  "unit": "people"}},
    {"type": "document", "key": "ovd-2021-01-24", "outlet": "ovd-info", "kind": "post",
     "url": "https://ovd.info/news/2021/01/24/x", "title": "Detentions", "published": "2021-01-24"},
    {"type": "statement", "key": "ovd-3000", "claim": "detained-3000", "speaker": "ovd-info", "stance": "asserts",
     "quote": "more than 3,000", "said": "2021-01-24"},
    {"type": "hop", "key": "ovd-own", "document": "ovd-2021-01-24", "statement": "ovd-3000", "primary": True},
    {"type": "verdict", "key": "check-1", "claim": "detained-3000", "label": "true", "reviewer": "ovd-info"},
]

SCENARIO: list[tuple[str, ...]] = [
    ("actor", "add", "Leonid Volkov", "--alias", "Leonid Wolkow", "--wikidata", "Q4527530"),
    ("actor", "add", "AFP", "--kind", "agency"),
    ("actor", "add", "The New Indian Express", "--kind", "outlet"),
    ("actor", "add", "Maria Zakharova"),
    ("actor", "add", "Russian Foreign Ministry", "--kind", "government"),
    ("actor", "affiliate", "Maria Zakharova", "--role", "spokeswoman", "--org", "Russian Foreign Ministry",
     "--start", "2015"),
    ("actor", "alias", "Leonid Volkov", "L. Volkov"),
    ("claim", "add", "Police visited Navalny supporters at home"),
    ("claim", "add", "Police visited Navalny supporters at their homes"),
    ("claim", "add", "Nobody was visited by the police"),
    ("claim", "link", "1", "3", "--type", "contradicts"),
    ("document", "add", "--url", "https://www.newindianexpress.com/world/2021/jul/28/x", "--outlet",
     "The New Indian Express", "--title", "Police visit supporters", "--published", "2021-07-28"),
    ("statement", "add", "--claim-id", "1", "--speaker", "Leonid Volkov", "--stance", "asserts", "--quote",
     "several dozen", "--said", "2021-07-28"),
    ("hop", "add", "--document", "1", "--statement", "1", "--via", "AFP", "--cue", "wrote on Telegram"),
    ("log", "--speaker", "Maria Zakharova", "--stance", "denies", "--claim", "Nobody was visited by the police",
     "--url", "https://tass.com/politics/1", "--outlet", "TASS", "--published", "2021-07-29", "--new",
     "--no-interactive"),
    ("verdict", "add", "1", "--label", "mostly-true", "--reviewer", "AFP"),
    ("statement", "retract", "1", "--reason", "misattributed: it was his aide"),
    ("claim", "edit", "1", "--expect-version", "1", "--language", "en"),
    ("verdict", "edit", "1", "--expect-version", "1", "--label", "true"),
    ("actor", "add", "Leonid Volkov Jr.", "--new"),
    ("actor", "merge", "Leonid Volkov", "Leonid Volkov Jr."),
    # corrections (issue 12): edit, retire with a reason, reject and withdraw relations, merge
    ("claim", "edit-relation", "2", "--expect-version", "1", "--note", "checked"),
    ("claim", "link", "1", "2", "--type", "same_as", "--reject", "--note", "different visits"),
    ("claim", "unlink", "1", "3", "--reason", "not a contradiction"),
    ("hop", "retract", "1", "--reason", "the article does not quote him"),
    ("verdict", "retract", "1", "--reason", "mistyped"),
    ("actor", "unaffiliate", "1", "--reason", "wrong dates", "--deprecate"),
    ("claim", "retract", "3", "--reason", "typo"),
    ("document", "retract", "1", "--reason", "wrong article"),
    ("claim", "add", "Police visited supporters of Navalny at home"),
    ("claim", "merge", "1", "4"),
    ("claim", "unmerge", "4"),
    ("claim", "merge", "1", "4"),
    ("document", "add", "--url", "https://tass.com/politics/2", "--outlet", "TASS"),
    ("document", "merge", "2", "3"),
    ("statement", "edit", "2", "--expect-version", "1", "--cue", "told TASS"),
    ("document", "edit", "2", "--expect-version", "1", "--title", "Zakharova on the visits"),
    ("actor", "edit", "AFP", "--expect-version", "1", "--description", "Agence France-Presse"),
]

DELETE_WORDS = re.compile(r"^(delete|del|remove|rm|drop|purge|erase|destroy|truncate|wipe|forget)(-|$)")


def _missing(result: Any) -> bool:
    return result.exit_code == 2 and "No such command" in result.stderr


def run_scenario(cli: Any, tmp_path: Path) -> list[tuple[str, ...]]:
    ran = []
    for argv in SCENARIO:
        result = cli(*argv)
        if _missing(result):
            continue
        assert result.exit_code == 0, f"{argv}: {result.stdout}\n{result.stderr}"
        ran.append(argv)
    native = tmp_path / "small.jsonl"
    native.write_text("\n".join(json.dumps(r) for r in NATIVE) + "\n", encoding="utf-8")
    result = cli("import", str(native), "--format", "jsonl")
    if not _missing(result):
        assert result.exit_code == 0, result.stderr
        ran.append(("import",))
    return ran


def _object_type(table: str) -> str:
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table:
            return re.sub(r"(?<!^)(?=[A-Z])", "_", mapper.class_.__name__).lower()
    return table


def coverage_problems(database: Any) -> list[str]:
    """Rows with no event that accounts for them, and changed rows without a change event."""
    from claimtrack.models import ActorAlias, Event, ExternalId

    with database.read() as s:
        events = list(s.scalars(select(Event).order_by(Event.id)))
        decoded = [(e, json.loads(e.after) if e.after else None) for e in events]
        own: dict[tuple[str, int], list[str]] = {}
        for event, _after in decoded:
            own.setdefault((event.object_type, event.object_id), []).append(event.action)
        imported: list[tuple[str, int, int]] = []
        merged: set[tuple[str, int]] = set()
        for event, after in decoded:
            if event.action == "import" and isinstance(after, dict):
                for table, span in (after.get("id_ranges") or {}).items():
                    if span:
                        imported.append((table, span[0], span[1]))
            if event.action in ("merge", "unmerge") and isinstance(after, dict):
                merged.add((event.object_type + "s", after["merged_id"]))
                for label, ids in (after.get("moved") or {}).items():
                    for moved_id in ids:
                        merged.add((label.split(".")[0], moved_id))
        problems = []
        for table in Base.metadata.sorted_tables:
            # database_identity is made by the migration that creates the schema, not by a user
            if table.name in ("events", "database_identity") or "id" not in table.c:
                continue
            kind = _object_type(table.name)
            for row in s.execute(select(table)).mappings():
                row_id = row["id"]
                covered = (kind, row_id) in own or any(
                    t == table.name and lo <= row_id <= hi for t, lo, hi in imported
                )
                if not covered and table.name in (ActorAlias.__tablename__, ExternalId.__tablename__):
                    # created together with their actor: the actor's own event records them
                    covered = ("actor", row["actor_id"]) in own or (table.name, row_id) in merged
                if not covered:
                    problems.append(f"{table.name} {row_id} has no event")
                    continue
                version = row.get("version")
                if version and version > 1:
                    changes = [a for a in own.get((kind, row_id), []) if a != "create"]
                    if not changes and (table.name, row_id) not in merged:
                        problems.append(f"{table.name} {row_id} is at version {version} but no change was logged")
    return problems


def test_every_cli_write_is_logged(cli, database, tmp_path):
    ran = run_scenario(cli, tmp_path)
    assert len(ran) >= 10, f"too few write commands exist yet: {ran}"
    assert coverage_problems(database) == []
    cli.ok("log", "verify")
    stats = cli.json("stats")
    assert stats["actors"] >= 5 and stats["events"] >= len(ran)
    assert stats["statements"] + stats["retired"]["statements"] >= 2


def test_coverage_check_notices_a_silent_write(database):
    """The check itself works: a row written without an event is reported."""
    from tests import factories as f

    with database.write() as s:
        f.claim(s, "Written behind the log's back")
    assert coverage_problems(database) == ["claims 1 has no event"]


def test_users_are_recorded(cli):
    cli.ok("actor", "add", "Leonid Volkov", user="alice")
    cli.ok("actor", "add", "Maria Zakharova", user="bob")
    events = cli.json("log", "show")
    assert [e["user"] for e in events] == ["alice", "bob"]
    only_bob = cli.json("log", "show", "--user", "bob")
    assert [e["after"]["name"] for e in only_bob] == ["Maria Zakharova"]


def test_user_from_environment(db_url):
    from typer.testing import CliRunner

    from claimtrack.cli.app import app

    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "actor", "add", "Leonid Volkov"], env={"CLAIMTRACK_USER": "carol"})
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["--db", db_url, "log", "show", "--json"])
    assert json.loads(result.stdout)[0]["user"] == "carol"


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path] if path else []
    for name, sub in (getattr(command, "commands", None) or {}).items():
        found += _commands(sub, (*path, name))
    return found


def test_no_command_hard_deletes():
    """Wrong data is retracted, deprecated or merged, never deleted: no such verb exists."""
    import typer

    from claimtrack.cli.app import app

    commands = _commands(typer.main.get_command(app))
    assert len(commands) > 10
    deleting = [path for path in commands if DELETE_WORDS.match(path[-1])]
    assert deleting == []


def test_no_code_path_deletes_rows():
    """No service, format or command issues DELETE (session.delete, delete(), DELETE FROM)."""
    pattern = re.compile(r"session\.delete\(|\bdelete\(\s*[A-Z]|DELETE\s+FROM", re.IGNORECASE)
    offenders = []
    for folder in ("services", "formats", "cli", "queries", "reports", "checks"):
        for path in (ROOT / "claimtrack" / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line) and not line.lstrip().startswith("#"):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("argv", [("statement", "retract", "1", "--reason", "wrong")])
def test_retracted_statement_stays_visible(cli, argv):
    cli.ok("actor", "add", "Leonid Volkov")
    cli.ok("claim", "add", "Police visited Navalny supporters at home")
    cli.ok("statement", "add", "--claim-id", "1", "--speaker", "Leonid Volkov", "--stance", "asserts")
    cli.ok(*argv)
    shown = cli.json("statement", "show", "1")
    assert shown["status"] == "retracted"
    history = cli.json("history", "statement", "1")
    assert [e["action"] for e in history["events"]] == ["create", "retract"]
    assert history["events"][1]["before"]["status"] == "normal"
    assert history["events"][1]["after"]["status"] == "retracted"
