"""Tampering with the data behind claimtrack's back is detected and named, on both backends.

A small record is built through the CLI (single writes, an import, an edit, a retraction, a
merge); then each case changes it with plain SQL, as an insider with database access would —
dropping the append-only triggers first when it touches the log — and `log verify` must name
what happened: the kind (edited, inserted, deleted, or the chain problem), the table and the id.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.conftest import Cli, copied_database, pg_drop_database, pg_execute, pg_url_for

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
    {"type": "verdict", "key": "check-1", "claim": "detained-3000", "label": "true", "reviewer": "ovd-info",
     "evidence_urls": ["https://ovd.info/a"]},
]

SCENARIO: list[tuple[str, ...]] = [
    ("actor", "add", "Leonid Volkov"),                                               # actor 1
    ("actor", "add", "AFP", "--kind", "agency"),                                      # actor 2
    ("claim", "add", "Police visited Navalny supporters at home"),                    # claim 1
    ("claim", "add", "Nobody was visited by the police"),                             # claim 2
    ("document", "add", "--url", "https://example.org/a", "--outlet", "AFP", "--title", "Police visit supporters",
     "--published", "2021-07-28"),                                                    # document 1
    ("statement", "add", "--claim-id", "1", "--speaker", "Leonid Volkov", "--stance", "asserts", "--quote",
     "several dozen", "--said", "2021-07-28"),                                        # statement 1
    ("statement", "add", "--claim-id", "2", "--speaker", "Leonid Volkov", "--stance", "denies"),  # statement 2
    ("hop", "add", "--document", "1", "--statement", "1", "--via", "AFP", "--cue", "told AFP"),   # hop 1
    ("verdict", "add", "1", "--label", "mostly-true", "--value", "3", "--best", "4", "--worst", "0",
     "--reviewer", "AFP"),                                                            # verdict 1
    ("import", "{native}", "--format", "jsonl"),  # actor 3, claim 3, document 2, statement 3, hop 2, verdict 2
    ("claim", "edit", "1", "--expect-version", "1", "--language", "en"),
    ("statement", "retract", "2", "--reason", "misattributed: it was his aide"),
    ("actor", "add", "Leonid Volkov Jr.", "--new"),                                   # actor 4
    ("actor", "merge", "Leonid Volkov", "Leonid Volkov Jr."),
]


def _build(url: str, folder: Path) -> None:
    native = folder / "small.jsonl"
    native.write_text("\n".join(json.dumps(r) for r in NATIVE) + "\n", encoding="utf-8")
    cli = Cli(url)
    for argv in SCENARIO:
        cli.ok(*[a.format(native=native) for a in argv])


@pytest.fixture(scope="module")
def scenario_url(template_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from claimtrack.db import Database

    folder = tmp_path_factory.mktemp("tamper")
    with copied_database(template_url, folder) as url:
        _build(url, folder)
        Database(url).dispose()  # no connection left open: PostgreSQL copies only an idle template
        yield url


@pytest.fixture
def copy_url(scenario_url: str, tmp_path: Path) -> Iterator[str]:
    with copied_database(scenario_url, tmp_path) as url:
        yield url


def attack(url: str, *statements: str) -> None:
    """Plain SQL as the database owner, the append-only triggers dropped first."""
    from claimtrack.events_ddl import drop_statements

    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        for statement in drop_statements(engine.dialect.name):
            connection.execute(text(statement))
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def verify(url: str, *args: str) -> tuple[int, dict[str, Any]]:
    result = Cli(url)("log", "verify", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def named(report: dict[str, Any]) -> set[tuple[str, str, int]]:
    """(kind, table, id) of every finding, each id of its ranges."""
    found = set()
    for finding in report["findings"]:
        for first, last in finding["ids"]:
            for row_id in range(first, last + 1):
                found.add((finding["kind"], finding["table"], row_id))
    return found


def test_the_honest_record_verifies(scenario_url):
    code, report = verify(scenario_url)
    assert (code, report["findings"], report["problem"]) == (0, [], None)
    assert report["rows"] >= 20


# (case, SQL, the findings that must be reported)
DATA_CASES: list[tuple[str, tuple[str, ...], set[tuple[str, str, int]]]] = [
    ("quote", ("UPDATE statements SET quote = 'several hundred' WHERE id = 1",), {("edited", "statements", 1)}),
    ("claim text", ("UPDATE claims SET text = 'Police never visited anyone' WHERE id = 1",), {("edited", "claims", 1)}),
    ("stance", ("UPDATE statements SET stance = 'confirms' WHERE id = 2",), {("edited", "statements", 2)}),
    ("said date", ("UPDATE statements SET said_on = '2021-07-01' WHERE id = 1",), {("edited", "statements", 1)}),
    ("verdict label", ("UPDATE verdicts SET label = 'false' WHERE id = 1",), {("edited", "verdicts", 1)}),
    ("verdict value", ("UPDATE verdicts SET rating_value = 1 WHERE id = 1",), {("edited", "verdicts", 1)}),
    ("actor name", ("UPDATE actors SET name = 'Somebody Else' WHERE id = 1",), {("edited", "actors", 1)}),
    ("document url", ("UPDATE documents SET url = 'https://evil.example/a' WHERE id = 1",),
     {("edited", "documents", 1)}),
    ("hop via", ("UPDATE hops SET via_actor_id = NULL WHERE id = 1",), {("edited", "hops", 1)}),
    ("imported quote", ("UPDATE statements SET quote = 'fewer than 300' WHERE id = 3",),
     {("edited", "statements", 3)}),
    ("imported boolean", ("UPDATE hops SET is_primary = false WHERE id = 2",), {("edited", "hops", 2)}),
    ("imported json", ("UPDATE verdicts SET evidence_urls = '[\"https://evil.example\"]' WHERE id = 2",),
     {("edited", "verdicts", 2)}),
    ("timestamp", ("UPDATE claims SET created_at = '2020-01-01 00:00:00' WHERE id = 2",), {("edited", "claims", 2)}),
    ("alias", ("UPDATE actor_aliases SET alias = 'Someone' WHERE id = 1",), {("edited", "actor_aliases", 1)}),
    ("delete statement", ("DELETE FROM statements WHERE id = 2",), {("deleted", "statements", 2)}),
    ("delete hop", ("DELETE FROM hops WHERE id = 1",), {("deleted", "hops", 1)}),
    ("delete imported hop", ("DELETE FROM hops WHERE id = 2",), {("deleted", "hops", 2)}),
    ("delete verdict", ("DELETE FROM verdicts WHERE id = 1",), {("deleted", "verdicts", 1)}),
    ("insert statement", (
        ("INSERT INTO statements (id, claim_id, speaker_id, stance, quote, said_approx, status, created_at, version) "
        "VALUES (50, 2, 2, 'asserts', 'made up', false, 'normal', '2021-07-29 10:00:00', 1)"),),
     {("inserted", "statements", 50)}),
    ("swap quotes", (
        ("UPDATE statements SET quote = CASE id WHEN 1 THEN 'more than 3,000' ELSE 'several dozen' END "
        "WHERE id IN (1, 3)"),), {("edited", "statements", 1), ("edited", "statements", 3)}),
    ("undo a retraction", ("UPDATE statements SET status = 'normal', status_reason = NULL WHERE id = 2",),
     {("edited", "statements", 2)}),
    ("undo a merge", ("UPDATE actors SET merged_into_id = NULL WHERE id = 4",), {("edited", "actors", 4)}),
]


@pytest.mark.parametrize(("case", "statements", "wanted"), DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_data_tampering_is_named(copy_url, case, statements, wanted):
    attack(copy_url, *statements)
    code, report = verify(copy_url)
    assert code == 1
    assert named(report) == wanted, report["findings"]
    assert report["problem"] is None  # the log itself was not touched
    for kind in {w[0] for w in wanted}:
        assert report["counts"][kind] >= 1


def test_text_output_names_table_and_id(copy_url):
    attack(copy_url, "UPDATE statements SET quote = 'several hundred' WHERE id = 1")
    result = Cli(copy_url)("log", "verify")
    assert result.exit_code == 1
    assert "edited   statements 1: its content no longer matches event" in result.stdout
    assert "data verification failed: 1 finding(s) (1 edited)" in result.stderr


def _event_ids(url: str) -> list[int]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        ids = list(connection.execute(text("SELECT id FROM events ORDER BY id")).scalars())
    engine.dispose()
    return ids


def test_edited_event_is_named(copy_url):
    attack(copy_url, "UPDATE events SET \"user\" = 'mallory' WHERE id = 3")
    code, report = verify(copy_url)
    assert code == 1 and report["problem"]["kind"] == "altered" and report["problem"]["event_id"] == 3


def test_deleted_event_is_named(copy_url):
    attack(copy_url, "DELETE FROM events WHERE id = 4")
    code, report = verify(copy_url)
    assert code == 1 and report["problem"]["kind"] == "deleted" and report["problem"]["event_id"] == 4


def test_reordered_events_are_named(copy_url):
    attack(copy_url, "UPDATE events SET id = -1 WHERE id = 2", "UPDATE events SET id = 2 WHERE id = 3",
           "UPDATE events SET id = 3 WHERE id = -1")
    code, report = verify(copy_url)
    assert code == 1 and report["problem"]["kind"] == "reordered"


def test_edit_then_honest_change_is_still_caught(copy_url):
    """A row changed behind claimtrack's back, then edited through claimtrack: the later event
    found content its predecessor never recorded."""
    attack(copy_url, "UPDATE claims SET text = 'Police never visited anyone' WHERE id = 2")
    Cli(copy_url).ok("claim", "edit", "2", "--expect-version", "1", "--language", "en")
    code, report = verify(copy_url)
    assert code == 1 and ("edited", "claims", 2) in named(report)


def test_truncated_tail_leaves_rows_no_event_accounts_for(copy_url):
    last = _event_ids(copy_url)[-1]
    attack(copy_url, f"DELETE FROM events WHERE id = {last}")  # the merge
    code, report = verify(copy_url)
    assert code == 1 and report["problem"] is None
    # the merge's rows now differ from the last events that remain
    assert {("edited", "actors", 4)} <= named(report)


# --------------------------------------------------------------------------- checkpoints


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "log.key"
    result = Cli("sqlite:///unused.db")("log", "keygen", "--name", "newsroom.example/claimtrack", "--key", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def checkpoint(url: str, key: Path, out: Path) -> Path:
    Cli(url).ok("log", "checkpoint", "--key", str(key), "-o", str(out))
    return out


def forge(url: str, change: Any) -> None:
    """Rewrite the whole log consistently: `change(events)` edits the event rows (dicts), then
    every hash is recomputed from the first event on, as an attacker holding the code would."""
    from claimtrack.services.events import event_hash, hashed_values

    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        events = [dict(r._mapping) for r in connection.execute(text("SELECT * FROM events ORDER BY id"))]
    engine.dispose()
    change(events)
    prev = None
    for event in events:
        event["prev_hash"] = prev
        fields = dict(event)
        if isinstance(fields["occurred_at"], str):  # SQLite hands back the stored text
            fields["occurred_at"] = datetime.fromisoformat(fields["occurred_at"])
        event["hash"] = prev = event_hash(prev, hashed_values(fields))
    statements = ["DELETE FROM events"]
    attack(url, *statements)
    engine = create_engine(url, poolclass=NullPool)
    from claimtrack.events_ddl import drop_statements

    with engine.begin() as connection:
        for statement in drop_statements(engine.dialect.name):
            connection.execute(text(statement))
        for event in events:
            columns = ", ".join(f'"{c}"' for c in event)
            values = ", ".join(f":{c}" for c in event)
            connection.execute(text(f"INSERT INTO events ({columns}) VALUES ({values})"), event)
    engine.dispose()


def test_keygen_writes_a_private_key_it_never_prints(tmp_path):
    path = tmp_path / "k" / "log.key"
    result = Cli("sqlite:///unused.db")("log", "keygen", "--name", "newsroom.example/claimtrack", "--key", str(path))
    assert result.exit_code == 0
    secret = path.read_text().strip().split("+", 4)[4]  # base64 may itself contain "+"
    assert secret not in result.stdout + result.stderr
    assert (path.stat().st_mode & 0o777) == 0o600
    public = (tmp_path / "k" / "log.key.pub").read_text()
    assert public.startswith("newsroom.example/claimtrack+") and public.strip() in result.stdout
    again = Cli("sqlite:///unused.db")("log", "keygen", "--name", "x.example/y", "--key", str(path))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert path.read_text().strip().endswith(secret)


def test_checkpoint_is_a_c2sp_signed_note(copy_url, key, tmp_path):
    note = checkpoint(copy_url, key, tmp_path / "cp").read_text(encoding="utf-8")
    lines = note.split("\n")
    assert lines[0] == "newsroom.example/claimtrack"
    assert int(lines[1]) == len(_event_ids(copy_url))
    assert len(__import__("base64").b64decode(lines[2])) == 32
    assert lines[3] == "" and lines[4].startswith("\u2014 newsroom.example/claimtrack ")
    assert note.endswith("\n")


def test_checkpoint_verifies_as_the_log_grows(copy_url, key, tmp_path):
    cp = checkpoint(copy_url, key, tmp_path / "cp")
    Cli(copy_url).ok("claim", "add", "A claim logged after the checkpoint")
    result = Cli(copy_url).ok("log", "verify", "--checkpoint", str(cp), "--key", f"{key}.pub")
    assert "checkpoint OK" in result.stdout


def test_truncated_tail_is_caught_by_the_checkpoint(copy_url, key, tmp_path):
    cp = checkpoint(copy_url, key, tmp_path / "cp")
    last = _event_ids(copy_url)[-1]
    attack(copy_url, f"DELETE FROM events WHERE id >= {last - 1}")
    code, report = verify(copy_url, "--checkpoint", str(cp), "--key", f"{key}.pub", "--chain-only")
    assert code == 1 and report["problem"] is None
    assert report["checkpoint"]["ok"] is False and "truncated" in report["checkpoint"]["message"]


def test_consistent_forgery_is_caught_only_by_the_checkpoint(copy_url, key, tmp_path):
    """A quote rewritten, its event's row hash recomputed to match, and every event re-hashed:
    the chain and the data agree with each other; only the checkpoint held elsewhere does not."""
    from claimtrack.rowhash import RowEncoder, tracked_tables

    cp = checkpoint(copy_url, key, tmp_path / "cp")
    attack(copy_url, "UPDATE statements SET quote = 'several hundred' WHERE id = 1")
    engine = create_engine(copy_url, poolclass=NullPool)
    table = next(t for t in tracked_tables() if t.name == "statements")
    encoder = RowEncoder(table, json_as_text=engine.dialect.name == "sqlite")
    with engine.connect() as connection:
        row = connection.execute(text(f"SELECT {', '.join(encoder.column_names)} FROM statements WHERE id = 1")).one()
    engine.dispose()
    forged = encoder.hash_values(tuple(row)).hex()

    def change(events: list[dict[str, Any]]) -> None:
        for event in events:
            payload = json.loads(event["row_hashes"]) if event["row_hashes"] else {}
            for entry in payload.get("rows", {}).get("statements", []):
                if entry[0] == 1 and entry[2] is not None:
                    entry[2] = forged
                    if event["after"]:
                        after = json.loads(event["after"])
                        if "quote" in after:
                            after["quote"] = "several hundred"
                            from claimtrack.services.events import canonical_json

                            event["after"] = canonical_json(after)
                    from claimtrack.services.events import canonical_json

                    event["row_hashes"] = canonical_json(payload)

    forge(copy_url, change)
    code, report = verify(copy_url)
    assert code == 0, report  # consistent: nothing inside the database can tell
    code, report = verify(copy_url, "--checkpoint", str(cp), "--key", f"{key}.pub")
    assert code == 1 and report["checkpoint"]["ok"] is False
    assert "rewritten" in report["checkpoint"]["message"]


def test_altered_checkpoint_or_wrong_key_is_refused(copy_url, key, tmp_path):
    cp = checkpoint(copy_url, key, tmp_path / "cp")
    lines = cp.read_text(encoding="utf-8").split("\n")
    lines[1] = str(int(lines[1]) - 1)
    bad = tmp_path / "bad"
    bad.write_text("\n".join(lines), encoding="utf-8")
    result = Cli(copy_url)("log", "verify", "--checkpoint", str(bad), "--key", f"{key}.pub")
    assert result.exit_code == 1 and "does not verify" in result.stderr
    other = tmp_path / "other" / "log.key"
    Cli(copy_url).ok("log", "keygen", "--name", "newsroom.example/claimtrack", "--key", str(other))
    result = Cli(copy_url)("log", "verify", "--checkpoint", str(cp), "--key", f"{other}.pub")
    assert result.exit_code == 1 and "not signed by the key" in result.stderr


def test_export_verifies_offline_and_names_an_edited_event(copy_url, key, tmp_path):
    cp = checkpoint(copy_url, key, tmp_path / "cp")
    exported = tmp_path / "events.jsonl"
    Cli(copy_url).ok("log", "export", "-o", str(exported))
    nowhere = "sqlite:///" + str(tmp_path / "never-created.db")
    result = Cli(nowhere).ok("log", "verify", "--events", str(exported), "--checkpoint", str(cp), "--key", f"{key}.pub")
    assert "checkpoint OK" in result.stdout
    assert not (tmp_path / "never-created.db").exists()
    lines = exported.read_text(encoding="utf-8").splitlines()
    third = json.loads(lines[2])
    third["user"] = "mallory"
    lines[2] = json.dumps(third)
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = Cli(nowhere)("log", "verify", "--events", str(exported), "--checkpoint", str(cp), "--key", f"{key}.pub")
    assert result.exit_code == 1 and "event 3 was altered" in result.stderr


def test_checkpoint_and_export_never_overwrite(copy_url, key, tmp_path, backend):
    taken = tmp_path / "taken.txt"
    taken.write_text("mine\n", encoding="utf-8")
    for argv in (("log", "checkpoint", "--key", str(key), "-o", str(taken)), ("log", "export", "-o", str(taken)),
                 ("log", "checkpoint", "--key", str(key), "-o", str(key))):
        result = Cli(copy_url)(*argv)
        assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert taken.read_text(encoding="utf-8") == "mine\n" and key.read_text().startswith("PRIVATE+KEY+")
    if backend == "sqlite":
        database_file = copy_url.removeprefix("sqlite:///")
        before = Path(database_file).read_bytes()
        result = Cli(copy_url)("log", "export", "-o", database_file, "--force")
        assert result.exit_code == 1 and Path(database_file).read_bytes() == before


# --------------------------------------------------------------------------- migrations


def _before_row_hashes() -> str:
    """The revision just before the one that introduced row hashes."""
    from alembic.script import ScriptDirectory

    from claimtrack.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revision = script.get_revision("0004_row_hashes")
    assert revision is not None and isinstance(revision.down_revision, str)
    return revision.down_revision


@pytest.fixture
def baseline_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database at the revision before row hashes."""
    from claimtrack.migrate import upgrade

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        upgrade(url, _before_row_hashes())
        yield url
        return
    name = f"ct_old_{uuid.uuid4().hex[:12]}"
    pg_execute(f"CREATE DATABASE {name}")
    url = pg_url_for(name)
    upgrade(url, _before_row_hashes())
    yield url
    pg_drop_database(name)


def test_upgrade_rehashes_existing_rows(baseline_url):
    """Rows written before row hashes existed are vouched for by the migration's rehash event,
    so an upgraded database verifies clean, and a change made after the upgrade is caught."""
    from claimtrack.migrate import upgrade

    engine = create_engine(baseline_url, poolclass=NullPool)
    with engine.begin() as connection:  # plain SQL: the models may be ahead of this revision
        connection.execute(text(
            "INSERT INTO actors (id, name, kind, created_at, version) "
            "VALUES (1, 'Leonid Volkov', 'person', '2021-07-28 10:00:00', 1)"))
        connection.execute(text(
            "INSERT INTO claims (id, text, text_hash, created_at, version) "
            "VALUES (1, 'Police visited Navalny supporters at home', 'h1', '2021-07-28 10:00:00', 1)"))
        connection.execute(text(
            "INSERT INTO statements (id, claim_id, speaker_id, stance, quote, said_approx, status, created_at, "
            "version) VALUES (1, 1, 1, 'asserts', 'several dozen', false, 'normal', '2021-07-28 10:00:00', 1)"))
    engine.dispose()
    upgrade(baseline_url)
    code, report = verify(baseline_url)
    assert (code, report["findings"]) == (0, []) and report["rows"] >= 3
    events = Cli(baseline_url).json("log", "show")
    # 0004 vouches for the rows written before row hashes; 0007_retire_and_merge re-hashes the
    # tables whose encoding its new status/version columns changed
    assert [(e["action"], e["object_type"]) for e in events] == [("rehash", "database"), ("rehash", "database")]
    attack(baseline_url, "UPDATE statements SET quote = 'several hundred' WHERE id = 1")
    code, report = verify(baseline_url)
    assert code == 1 and named(report) == {("edited", "statements", 1)}


def test_upgrading_an_empty_database_records_nothing(baseline_url):
    from claimtrack.migrate import upgrade

    upgrade(baseline_url)
    assert Cli(baseline_url).json("log", "show") == []
