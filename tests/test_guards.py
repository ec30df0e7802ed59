"""Guards against losing data by mistake: downgrades with data, `demo --db` over a database,
reading a database in a read-only folder, and password masking that masks only the password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.util import CommandError
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from claimtrack.migrate import downgrade

ROOT = Path(__file__).resolve().parent.parent


def _tables(db_url: str) -> set[str]:
    engine = create_engine(db_url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- downgrades


def test_downgrade_with_data_needs_yes_drop_data(cli: Any, db_url: str, snapshot: Any) -> None:
    cli.ok("actor", "add", "Leonid Volkov")
    before = snapshot()
    result = cli("db", "downgrade", "base")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert message.startswith("Error: the database has data (table ") and "--yes-drop-data" in message
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot() == before
    with pytest.raises(CommandError, match="the database has data"):
        downgrade(db_url, "base")
    assert snapshot() == before
    result = cli.ok("db", "downgrade", "base", "--yes-drop-data")
    assert "at revision none" in result.stdout
    assert _tables(db_url) == set()


def test_downgrade_of_an_empty_database_needs_no_flag(db_url: str) -> None:
    downgrade(db_url, "base")
    assert _tables(db_url) == set()


def test_plain_alembic_downgrade_is_guarded_too(cli: Any, db_url: str, snapshot: Any) -> None:
    cli.ok("actor", "add", "Leonid Volkov")
    before = snapshot()
    env = {**os.environ, "CLAIMTRACK_DATABASE_URL": db_url}
    alembic = [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini")]
    result = subprocess.run([*alembic, "downgrade", "base"], capture_output=True, text=True, env=env, cwd=ROOT,
                            check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr  # alembic prints FAILED: … on stdout
    assert "FAILED: the database has data" in output and "Traceback" not in output
    assert snapshot() == before
    result = subprocess.run([*alembic, "-x", "yes-drop-data", "downgrade", "base"], capture_output=True, text=True,
                            check=False,
                            env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert _tables(db_url) == set()


# --------------------------------------------------------------------------- demo --db


def test_demo_refuses_a_database_with_rows_but_no_events(tmp_path: Path) -> None:
    import sqlite3

    from typer.testing import CliRunner

    from claimtrack.cli.app import app
    from claimtrack.db import Database

    path = tmp_path / "work.db"
    database = Database(f"sqlite:///{path}")
    database.ensure_schema()
    database.dispose()
    with sqlite3.connect(path) as connection:  # rows written by another tool, no change log
        connection.execute("INSERT INTO actors (id, name, kind, created_at, version) "
                           "VALUES (1, 'Alice Work', 'person', '2024-01-01 00:00:00', 1)")
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["demo", "--db", str(path), "--no-tour"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "is not a claimtrack demo database" in result.stderr
    assert path.read_bytes() == before

    empty = tmp_path / "empty.db"  # an empty schema holds nothing: the demo may take it
    database = Database(f"sqlite:///{empty}")
    database.ensure_schema()
    database.dispose()
    result = CliRunner().invoke(app, ["demo", "--db", str(empty), "--no-tour"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


# --------------------------------------------------------------------------- read-only folders


def test_a_database_in_a_read_only_folder_can_be_read(tmp_path: Path, monkeypatch: Any) -> None:
    """Read commands open SQLite read-only, immutable when the WAL files cannot be created: no
    -wal/-shm appears and the file is not touched. (Root ignores folder permissions, so the
    folder's unwritability is simulated where claimtrack asks for it.)"""
    import hashlib

    import claimtrack.db as db_module
    from tests.conftest import Cli

    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "claims.db"
    cli = Cli(f"sqlite:///{path}")
    cli.ok("actor", "add", "Leonid Volkov")
    cli.ok("claim", "add", "Police visited Navalny supporters at home")
    assert not Path(str(path) + "-wal").exists()  # the last writer closed: no WAL files left
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    real_access = os.access
    monkeypatch.setattr(db_module.os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode))
    os.chmod(folder, 0o555)
    try:
        assert [a["name"] for a in cli.json("actor", "list")] == ["Leonid Volkov"]
        assert cli.json("stats")
        cli.ok("export")
        assert sorted(p.name for p in folder.iterdir()) == ["claims.db"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    finally:
        os.chmod(folder, 0o755)


def test_read_commands_refuse_a_missing_file_and_create_nothing(tmp_path: Path) -> None:
    from tests.conftest import Cli

    path = tmp_path / "typo.db"
    cli = Cli(f"sqlite:///{path}")
    for argv in (("stats",), ("actor", "list"), ("search", "x"), ("export",), ("log", "verify")):
        result = cli(*argv)
        assert result.exit_code == 1, argv
        assert result.stderr.strip() == f"Error: no database at {path}: run claimtrack db upgrade or check --db"
    result = cli("db", "current")
    assert result.exit_code == 0 and not path.exists()
    assert not list(tmp_path.iterdir())
    cli.ok("actor", "add", "Leonid Volkov")  # a write creates it
    assert path.exists()


def test_the_default_database_is_created_on_first_use_even_by_a_read(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimtrack.cli.app import app

    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CLAIMTRACK_DATABASE_URL": None}
    result = CliRunner().invoke(app, ["stats"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "claimtrack" / "claimtrack.db").exists()


def test_no_read_command_creates_the_schema_of_an_empty_postgresql_database(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("an empty PostgreSQL database")
    from sqlalchemy.engine import make_url

    from tests.conftest import Cli, pg_drop_database, pg_execute, pg_url_for

    name = f"ct_empty_{os.getpid()}"
    pg_execute(f"DROP DATABASE IF EXISTS {name}")
    pg_execute(f"CREATE DATABASE {name}")
    try:
        url = pg_url_for(name)
        cli = Cli(url)
        for argv in (("stats",), ("actor", "list"), ("export",)):
            result = cli(*argv)
            assert result.exit_code == 1, argv
            assert "has no claimtrack schema yet; a read command does not create one" in result.stderr
        assert _tables(url) == set()
        cli.ok("db", "upgrade")
        cli.ok("stats")
        assert make_url(url).database == name
    finally:
        pg_drop_database(name)


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize("password", ["e", "on", "tion", "x"])
def test_masking_a_short_password_changes_nothing_but_the_password(password: str) -> None:
    from claimtrack.db import mask_secrets, mask_url

    url = f"postgresql+psycopg://bob:{password}@db.example/newsroom"
    message = f'connection to server at "db.example" failed: password authentication failed for user "bob" ({url})'
    masked = mask_secrets(message, url)
    assert masked == message.replace(url, "postgresql+psycopg://bob:***@db.example/newsroom")
    assert "connection" in masked and "authentication" in masked
    assert mask_url(url) == "postgresql+psycopg://bob:***@db.example/newsroom"
    assert mask_secrets(f"dsn: host=db.example password={password} user=bob", url) == \
        "dsn: host=db.example password=*** user=bob"


# --------------------------------------------------------------------------- the postgresql extra


def test_a_postgresql_url_without_psycopg_names_the_extra(monkeypatch: Any) -> None:
    from typer.testing import CliRunner

    from claimtrack.cli.app import app

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    for argv in (("stats",), ("actor", "add", "X"), ("db", "upgrade")):
        result = CliRunner().invoke(app, ["--db", "postgresql://alice:secret@db.example.org/newsroom", *argv],
                                    catch_exceptions=False)
        assert result.exit_code == 1, argv
        assert result.stderr.strip() == (
            "Error: postgresql+psycopg://alice:***@db.example.org/newsroom is a PostgreSQL database, and its "
            "driver (psycopg) is not installed: pip install 'claimtrack[postgresql]'")


def test_the_test_extra_brings_the_postgresql_driver() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(d.startswith("psycopg") for d in project["dependencies"])
    assert project["optional-dependencies"]["postgresql"] == ["psycopg[binary]>=3.1,<4"]
    assert "claimtrack[postgresql]" in project["optional-dependencies"]["test"]
    assert "pip install '.[postgresql]'" in (ROOT / "README.md").read_text(encoding="utf-8")
