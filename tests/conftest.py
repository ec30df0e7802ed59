"""Shared fixtures: a fresh, migrated database per test, on SQLite and (when configured) PostgreSQL.

- Every test that asks for `db_url`, `database` or `cli` runs once per backend. SQLite always;
  PostgreSQL when $CLAIMTRACK_TEST_POSTGRES_URL names a database whose role may CREATE DATABASE
  (`.ci/run` sets it up), otherwise those cases are skipped with the reason.
- The schema is built once per session with `alembic upgrade head` (so every run exercises the
  migrations) and copied per test: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
  PostgreSQL. Tests therefore see real, committed transactions on real databases.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
PG_ENV = "CLAIMTRACK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]

# No test starts a background command server by accident: every `claimtrack` process the suite
# runs (and all they start) sees the off switch. tests/test_cli_server.py turns it on, with a
# private runtime folder, and stops what it started.
os.environ["CLAIMTRACK_SERVER"] = "off"


def pg_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    from claimtrack.db import resolve_url

    return resolve_url(url)


def pg_url_for(database_name: str) -> str:
    from sqlalchemy.engine import make_url

    admin = pg_admin_url()
    assert admin
    return make_url(admin).set(database=database_name).render_as_string(hide_password=False)


def pg_execute(sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(pg_admin_url(), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def pg_drop_database(name: str) -> None:
    """Drop a test database; a leftover connection (another role's, a slow pool) must not fail
    the test that used it, so retry gently and then leave it with a warning."""
    import time
    import warnings

    from sqlalchemy import exc

    for attempt in range(3):
        try:
            pg_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except exc.DBAPIError:  # e.g. another role's session that we may not end yet
            time.sleep(0.2 * (attempt + 1))
    warnings.warn(f"could not drop test database {name}", stacklevel=2)


@contextmanager
def copied_database(url: str, folder: Path) -> Iterator[str]:
    """A copy of the database at `url` while the block runs: a file copy in `folder` on SQLite,
    `CREATE DATABASE … TEMPLATE` on PostgreSQL (dropped afterwards)."""
    if url.startswith("sqlite"):
        path = folder / f"{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(url.removeprefix("sqlite:///"), path)
        os.chmod(path, 0o600)
        yield f"sqlite:///{path}"
        return
    name = f"ct_{uuid.uuid4().hex[:16]}"
    pg_execute(f"CREATE DATABASE {name} TEMPLATE {url.rsplit('/', 1)[1].split('?')[0]}")
    try:
        yield pg_url_for(name)
    finally:
        pg_drop_database(name)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not pg_admin_url():
        pytest.skip(f"PostgreSQL tests need ${PG_ENV} (see .ci/run)")
    return request.param


@pytest.fixture(scope="session")
def template_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database that per-test databases are copied from."""
    from claimtrack.migrate import upgrade

    if backend == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        yield url
        return
    name = f"ct_template_{os.getpid()}"
    pg_execute(f"DROP DATABASE IF EXISTS {name}")
    pg_execute(f"CREATE DATABASE {name}")
    url = pg_url_for(name)
    upgrade(url)
    yield url
    pg_drop_database(name)


@pytest.fixture
def db_url(template_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for this test; its URL (a secret-free PostgreSQL URL in tests)."""
    with copied_database(template_url, tmp_path) as url:
        yield url


@pytest.fixture
def database(db_url: str) -> Iterator[Any]:
    """A claimtrack Database on the fresh test database, acting as user 'tester'."""
    from claimtrack.db import Database

    db = Database(db_url, user="tester")
    yield db
    db.dispose()


def _cache_typer_command_tree() -> None:
    """Build the Typer app's command tree once per test session, not once per invocation
    (rebuilding 40-odd commands' options was most of every in-process CLI call)."""
    import functools

    import typer.testing

    typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]


_cache_typer_command_tree()


class Cli:
    """Runs claimtrack commands in-process against one database, stdout and stderr apart."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, user: str = "tester", env: dict[str, str] | None = None) -> Any:
        from claimtrack.cli.app import app

        argv = ["--db", self.db_url, "--user", user, *args]
        return self.runner.invoke(app, argv, input=input, env=env, catch_exceptions=False)

    def ok(self, *args: str, **kwargs: Any) -> Any:
        """Run and assert exit code 0, showing stderr when it is not."""
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        """Run with --json and parse stdout."""
        import json

        return json.loads(self.ok(*args, "--json", **kwargs).stdout)


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def snapshot(database: Any) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Call to capture every row of every table; compare before/after to prove nothing was written."""
    from tests.helpers import db_snapshot

    return lambda: db_snapshot(database)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the checkout; tests that need it skip when it is absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"real third-party data not found at {path} (it sits beside the checkout in CI)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"seed reports not found at {path}")
    return path
