"""The foundation engine: integrity, real rollback, SQLite pragmas, and one clear line (exit 1,
nothing created or changed) for every database that cannot be used."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text
from typer.testing import CliRunner

from tests import factories as f


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    from claimtrack.cli.app import app

    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def one_line_error(result: Any) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.stdout + result.stderr
    return lines[0]


def file_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------- integrity and rollback


def test_foreign_keys_are_enforced(database, snapshot):
    from claimtrack.models import Statement

    before = snapshot()
    with pytest.raises(sa_exc.IntegrityError), database.write() as s:
        s.add(Statement(claim_id=999, stance="asserts"))
        s.flush()
    assert snapshot() == before


def test_failing_command_leaves_no_rows(database, snapshot):
    """Rows flushed (and events appended) before an error are all rolled back."""
    from claimtrack.errors import InvalidInput
    from claimtrack.services.events import record_event

    before = snapshot()
    with pytest.raises(InvalidInput), database.write() as s:
        actor = f.actor(s, "Leonid Volkov")
        record_event(s, "create", actor)
        claim = f.claim(s, "Police visited supporters")
        record_event(s, "create", claim)
        raise InvalidInput("late failure after several flushed rows")
    assert snapshot() == before


def test_failing_cli_command_leaves_no_rows(cli, snapshot):
    """A CLI write that fails half-way (unknown speaker after the claim was resolved) writes nothing."""
    before = snapshot()
    result = cli("statement", "add", "--claim", "999", "--speaker", "Nobody Known", "--stance", "asserts")
    assert result.exit_code in (1, 2)
    assert snapshot() == before


def test_savepoint_rollback_keeps_the_outer_transaction(database):
    from claimtrack.models import Actor

    with database.write() as s:
        f.actor(s, "Kept")
        nested = s.begin_nested()
        f.actor(s, "Dropped")
        nested.rollback()
    with database.read() as s:
        assert list(s.scalars(select(Actor.name))) == ["Kept"]


def test_read_session_cannot_write(database, snapshot):
    from claimtrack.errors import ReadOnly

    before = snapshot()
    with pytest.raises(ReadOnly, match="^cannot write"), database.read() as s:
        s.execute(text("INSERT INTO actors (name, kind, version, created_at) VALUES ('X', 'person', 1, '2021-01-01')"))
    assert snapshot() == before


def test_sqlite_pragmas(database):
    if database.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    with database.write() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with database.read() as s:
        assert s.execute(text("PRAGMA query_only")).scalar() == 1
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgresql_read_session_is_read_only(database):
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL settings")
    with database.read() as s:
        assert s.execute(text("SHOW transaction_read_only")).scalar() == "on"
    with database.write() as s:
        assert s.execute(text("SHOW transaction_read_only")).scalar() == "off"


# --------------------------------------------------------------------------- unusable databases


def test_unknown_scheme(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_line_error(run("--db", "mysql://user:Sekr1t@host/db", "stats"))
    assert "unknown database scheme 'mysql'" in line
    assert "Sekr1t" not in line
    assert list(tmp_path.iterdir()) == []


def test_unreachable_server(tmp_path):
    line = one_line_error(run("--db", "postgresql://someone:Sekr1t-pass@127.0.0.1:1/claimtrack", "stats"))
    assert "cannot open database postgresql+psycopg://someone:***@127.0.0.1:1/claimtrack" in line
    assert "Sekr1t" not in line


def test_a_text_file_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    before = file_state(tmp_path)
    line = one_line_error(run("--db", str(path), "stats"))
    assert "is not a claimtrack database" in line
    assert file_state(tmp_path) == before


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO recipes (name) VALUES ('borscht')")
    connection.commit()
    connection.close()
    before = file_state(tmp_path)
    line = one_line_error(run("--db", str(path), "actor", "add", "Leonid Volkov"))
    assert "is not a claimtrack database" in line
    assert file_state(tmp_path) == before


def test_a_newer_revision_is_refused(db_url, snapshot):
    """A database migrated by a newer claimtrack: nothing is read, written or migrated."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))

    def rows() -> list[Any]:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text("SELECT * FROM alembic_version"))] + [
                tuple(r) for r in connection.execute(text("SELECT count(*) FROM actors"))
            ]

    before = rows()
    line = one_line_error(run("--db", db_url, "actor", "add", "Leonid Volkov"))
    assert "schema revision 0099_from_the_future, newer than this claimtrack understands" in line
    one_line_error(run("--db", db_url, "stats"))
    assert rows() == before
    engine.dispose()


def test_missing_parent_folder_is_created_for_a_new_file(tmp_path):
    path = tmp_path / "a" / "b" / "new.db"
    result = run("--db", str(path), "--user", "tester", "actor", "add", "Leonid Volkov")  # a write creates it
    assert result.exit_code == 0, result.stderr
    assert path.exists()
    assert run("--db", str(path), "stats").exit_code == 0
