"""Access that fits a newsroom: read-only roles, owner-only files, secret-free output, verbatim text.

- On PostgreSQL a role with only SELECT rights runs every read command; any write fails with
  one clear line and writes nothing.
- The default SQLite file (and a new --db file) is readable by its owner only.
- A password in a database URL never appears in output, errors or events.
- Names and search terms full of SQL metacharacters are stored and found verbatim.
"""

from __future__ import annotations

import gc
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from tests import factories as f
from tests.conftest import Cli, pg_admin_url, pg_execute


def run(*args: str, env: dict[str, str | None] | None = None) -> Any:
    from claimtrack.cli.app import app

    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- file permissions


def test_new_db_file_is_owner_only(tmp_path):
    path = tmp_path / "newsroom" / "new.db"
    old_umask = os.umask(0)  # even a permissive umask must not widen it
    try:
        result = run("--db", str(path), "--user", "tester", "actor", "add", "Leonid Volkov")
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.stderr
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            assert mode(extra) & 0o077 == 0


def test_default_db_file_is_owner_only(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CLAIMTRACK_DATABASE_URL": None}
    result = run("--user", "tester", "actor", "add", "Leonid Volkov", env=env)
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "data" / "claimtrack" / "claimtrack.db"
    assert path.exists()
    assert mode(path) == 0o600


# --------------------------------------------------------------------------- PostgreSQL roles


def _admin_engine(db_url: str) -> Any:
    return create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool,
                         isolation_level="AUTOCOMMIT")


@pytest.fixture
def pg_role(db_url: str) -> Iterator[Any]:
    """make(kind) -> a URL for a new login role on the test database: 'reader' gets SELECT only,
    'writer' what a newsroom writer gets (docs/postgresql.md). Dropped afterwards."""
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL roles")
    made: list[str] = []
    engine = _admin_engine(db_url)

    def make(kind: str, password: str = "Pw-Unique-7781") -> str:
        name = f"ct_{kind}_{uuid.uuid4().hex[:8]}"
        pg_execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        made.append(name)
        database = make_url(db_url).database
        with engine.connect() as connection:
            connection.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {name}"))
            connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {name}"))
            connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}"))
            if kind == "writer":  # exactly as docs/postgresql.md sets up a writer
                connection.execute(text(f"GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {name}"))
                connection.execute(text(f"REVOKE UPDATE ON events, alembic_version FROM {name}"))
                connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}"))
        return (
            make_url(db_url).set(username=name, password=password).render_as_string(hide_password=False)
        )

    yield make
    gc.collect()  # close pooled connections of the in-process CLI runs
    database = make_url(db_url).database
    with engine.connect() as connection:
        for name in made:
            connection.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}"))
            connection.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {name}"))
            connection.execute(text(f"REVOKE ALL ON SCHEMA public FROM {name}"))
            connection.execute(text(f"REVOKE ALL ON DATABASE {database} FROM {name}"))
    engine.dispose()
    for name in made:
        pg_execute(f"DROP ROLE IF EXISTS {name}")


def _seed(database: Any) -> None:
    from claimtrack.services.events import record_event

    with database.write() as s:
        volkov = f.actor(s, "Leonid Volkov")
        outlet = f.actor(s, "The New Indian Express", kind="outlet")
        claim = f.claim(s, "Police visited Navalny supporters at home")
        statement = f.statement(s, claim, volkov, quote="several dozen", said="2021-07-28")
        document = f.document(s, outlet, url="https://example.org/tnie", published="2021-07-28")
        f.hop(s, document, statement, cue="wrote on Telegram")
        f.verdict(s, claim, "mostly-true")
        for obj in (volkov, outlet, claim, statement):
            record_event(s, "create", obj)


#: read commands that must succeed (exit 0) for a SELECT-only role, where they exist
READ_COMMANDS: list[tuple[str, ...]] = [
    ("stats",), ("actor", "list"), ("actor", "show", "1"), ("document", "list"), ("document", "show", "1"),
    ("claim", "list"), ("claim", "show", "1"), ("statement", "show", "1"), ("verdict", "list"),
    ("log", "show"), ("log", "show", "--json"), ("log", "verify"), ("history", "claim", "1"),
    ("history", "actor", "1"), ("history", "statement", "1"), ("report", "claim", "1"),
    ("report", "speaker", "1"), ("report", "outlet", "2"), ("report", "timeline"), ("export",),
    ("export", "--format", "json"), ("search", "Volkov"), ("search", "police", "--json"), ("conflicts",),
    ("conflicts", "--json"), ("chain", "1"),
]
#: read commands that may exit 1 for their own reasons (an audit that finds problems), but never
#: for want of rights
OTHER_READS: list[tuple[str, ...]] = [("audit",), ("audit", "--json"), ("report", "claim", "1", "--markdown")]


def _exists(cli: Cli, argv: tuple[str, ...]) -> bool:
    result = cli(*argv[:2], "--help") if len(argv) > 1 else cli(argv[0], "--help")
    return result.exit_code == 0 and "No such command" not in result.stderr


def test_select_only_role_runs_every_read_command(database, db_url, pg_role, snapshot):
    _seed(database)
    reader = Cli(pg_role("reader"))
    ran = 0
    for argv in READ_COMMANDS:
        if not _exists(reader, argv):
            continue
        result = reader(*argv)
        assert result.exit_code == 0, f"{argv}: {result.stderr}"
        ran += 1
    for argv in OTHER_READS:
        result = reader(*argv)
        combined = (result.stdout + result.stderr).lower()
        assert "permission denied" not in combined and "cannot write" not in combined, f"{argv}: {combined}"
    assert ran >= 10


def test_select_only_role_cannot_write(database, db_url, pg_role, snapshot):
    _seed(database)
    reader_url = pg_role("reader")
    reader = Cli(reader_url)
    name = make_url(reader_url).username
    before = snapshot()
    for argv in (("actor", "add", "Maria Zakharova"), ("claim", "add", "A new claim"),
                 ("statement", "add", "--claim-id", "1", "--speaker", "Leonid Volkov", "--stance", "denies")):
        result = reader(*argv)
        assert result.exit_code == 1, f"{argv}: {result.stdout}{result.stderr}"
        line = result.stderr.strip()
        assert line.startswith(f"Error: cannot write: the role '{name}' has read-only rights on "), line
        assert "Pw-Unique-7781" not in line
        assert len(line.splitlines()) == 1
    assert snapshot() == before


def test_writer_role_writes_and_its_password_stays_secret(database, db_url, pg_role):
    password = "p@ss/Unique%77"
    writer_url = pg_role("writer", password=password)
    encoded = writer_url.split("//", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert encoded != password  # the URL holds the percent-encoded spelling
    writer = Cli(writer_url)
    outputs = []
    for argv in (("actor", "add", "Leonid Volkov"), ("claim", "add", "Police visited supporters"),
                 ("log", "show", "--json"), ("log", "verify"), ("stats",), ("--debug", "stats")):
        result = writer.ok(*argv) if argv[0] != "--debug" else writer(*argv)
        outputs.append(result.stdout + result.stderr)
    with database.read() as s:
        events = [tuple(map(str, row)) for row in s.execute(text("SELECT * FROM events"))]
    assert len(events) == 2
    # the writer edits (UPDATE) but cannot rewrite the change log, even with plain SQL
    writer.ok("claim", "edit", "1", "--expect-version", "1", "--language", "en")
    engine = create_engine(writer_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool)
    with pytest.raises(Exception, match="permission denied for table events"), engine.begin() as connection:
        connection.execute(text("UPDATE events SET \"user\" = 'mallory'"))
    with pytest.raises(Exception, match="permission denied for table events"), engine.begin() as connection:
        connection.execute(text("DELETE FROM events"))
    engine.dispose()
    writer.ok("log", "verify")
    for blob in outputs + [" ".join(row) for row in events]:
        assert password not in blob and encoded not in blob


@pytest.mark.parametrize("suffix", ["", ":1"])
def test_bad_password_or_port_never_shows_the_password(suffix):
    admin = pg_admin_url()
    if not admin:
        pytest.skip("PostgreSQL tests need $CLAIMTRACK_TEST_POSTGRES_URL")
    url = make_url(admin).set(password="Wr0ng-S3cret!")
    if suffix:
        url = url.set(port=1)
    rendered = url.render_as_string(hide_password=False)
    for argv in (("stats",), ("actor", "add", "X"), ("db", "upgrade"), ("db", "current"), ("log", "verify")):
        result = run("--db", rendered, *argv)
        assert result.exit_code == 1, (argv, result.stdout, result.stderr)
        blob = result.stdout + result.stderr
        assert "Wr0ng-S3cret" not in blob and "Wr0ng" not in blob
        assert "***" in blob
        assert len(result.stderr.strip().splitlines()) == 1


def test_mask_secrets_handles_encoded_passwords():
    from claimtrack.db import mask_secrets, mask_url

    url = "postgresql+psycopg://bob:p%40ss%2Fword@db.example/news"
    assert "p%40ss" not in mask_url(url)
    message = mask_secrets(f"failed for {url} with p@ss/word and p%40ss%2Fword", url)
    assert "p@ss/word" not in message and "p%40ss%2Fword" not in message


# --------------------------------------------------------------------------- verbatim text


NASTY_NAME = "O'Brien \"Bobby\" 100%_x; DROP TABLE actors;--"
NASTY_CLAIM = "It's 50% _true_ \\ ; DELETE FROM claims; -- [bold]not markup[/bold]"


def test_sql_metacharacters_are_stored_and_found_verbatim(cli, database):
    cli.ok("actor", "add", NASTY_NAME)
    cli.ok("actor", "add", "Plain Person", "--new")
    cli.ok("claim", "add", NASTY_CLAIM)
    cli.ok("claim", "add", "Exactly 50 people were detained")
    names = [a["name"] for a in cli.json("actor", "list")]
    assert NASTY_NAME in names and len(names) == 2
    claims = {c["text"] for c in cli.json("claim", "list")}
    assert NASTY_CLAIM in claims and len(claims) == 2
    # the change log keeps them verbatim too
    events = cli.json("log", "show")
    assert events[0]["after"]["name"] == NASTY_NAME
    assert any((e["after"] or {}).get("text") == NASTY_CLAIM for e in events)
    cli.ok("log", "verify")
    # and the table rendering shows them literally (no Rich markup applied)
    shown = cli.ok("log", "show").stdout
    assert "[bold]" in shown.replace("\n", "").replace("│", "") or "not markup" in shown
    # search, where it exists, finds the text by its metacharacters, literally
    if "No such command" not in cli("search", "--help").stderr and cli("search", "--help").exit_code == 0:
        for term in ("50%", "O'Brien", "_true_"):
            result = cli("search", term, "--json")
            assert result.exit_code == 0, result.stderr
            assert ("O'Brien" in result.stdout) or ("50%" in result.stdout), (term, result.stdout)
        # '%' and '_' are not wildcards: they do not match everything
        result = cli("search", "%", "--json")
        assert result.exit_code in (0, 1)
        assert "Plain Person" not in result.stdout


def test_read_commands_find_objects_by_nasty_keys(cli):
    key = "key'; DROP TABLE claims;--%_"
    cli.ok("claim", "add", "Some claim with a strange key", "--key", key)
    shown = cli.json("claim", "show", key)
    assert shown["text"] == "Some claim with a strange key"
    history = cli.json("history", "claim", key)
    assert history["events"][0]["after"]["key"] == key


# --------------------------------------------------------------------------- roles, as documented


NATIVE = Path(__file__).parent / "fixtures" / "formats" / "native_small.jsonl"


def test_writer_role_imports_and_then_adds_rows_after_the_imported_ids(database, db_url, pg_role):
    """The writer of docs/postgresql.md (USAGE on sequences, no UPDATE on them) can import; the
    sequences then hand out ids after the imported ones."""
    writer = Cli(pg_role("writer"))
    assert writer.json("import", str(NATIVE), "--dry-run")["dry_run"] is True
    summary = writer.json("import", str(NATIVE))
    assert summary["counts"]["claim"]["created"] >= 1
    top = summary["id_ranges"]["actors"][1]
    writer.ok("actor", "add", "Someone Entirely New", "--new")
    writer.ok("claim", "add", "A claim added after the import")
    with database.read() as s:
        newest = s.execute(text("SELECT max(id) FROM actors")).scalar()
        name = s.execute(text("SELECT name FROM actors WHERE id = :i"), {"i": newest}).scalar()
    assert newest > top and name == "Someone Entirely New"
    writer.ok("log", "verify")
    again = writer.json("import", str(NATIVE))
    assert again["counts"]["claim"]["created"] == 0


@pytest.mark.parametrize("argv", [
    ("import", str(NATIVE)),
    ("import", str(NATIVE), "--skip-bad", "REJECTS"),
    ("actor", "add", "Maria Zakharova"),
    ("claim", "add", "A new claim"),
    ("verdict", "add", "1", "--label", "false"),
])
def test_reader_role_gets_the_one_line_refusal_on_every_write(database, db_url, pg_role, snapshot, tmp_path, argv):
    _seed(database)
    reader_url = pg_role("reader")
    name = make_url(reader_url).username
    argv = tuple(str(tmp_path / "rejects.jsonl") if a == "REJECTS" else a for a in argv)
    before = snapshot()
    result = Cli(reader_url)(*argv)
    assert result.exit_code == 1, f"{argv}: {result.stdout}{result.stderr}"
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1, line
    assert line.startswith(f"Error: cannot write: the role '{name}' has read-only rights on "), line
    assert "Pw-Unique-7781" not in line
    assert snapshot() == before
    assert not (tmp_path / "rejects.jsonl").exists()


def test_reader_role_may_dry_run_an_import(database, db_url, pg_role, snapshot):
    reader = Cli(pg_role("reader"))
    before = snapshot()
    summary = reader.json("import", str(NATIVE), "--dry-run")
    assert summary["dry_run"] is True and summary["counts"]["claim"]["created"] >= 1
    assert snapshot() == before
