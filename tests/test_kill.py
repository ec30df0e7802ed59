"""A killed import leaves the database exactly as before it started.

A subprocess runs `claimtrack import big.jsonl --format jsonl` (a native file made by
bench/generate.py). Once the import is visibly writing inside its transaction (SQLite: its
uncommitted pages are in the WAL; PostgreSQL: it holds claimtrack's write lock), it is killed
with SIGKILL: no handler runs, nothing is cleaned up. The database must then hold exactly the
rows it held before, the change log must verify, and the next write must work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests import factories as f
from tests.helpers import generated_jsonl

ROOT = Path(__file__).resolve().parent.parent
STATEMENTS = 12_000  # about 40,000 rows: several seconds of importing, even on a fast machine


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_jsonl(tmp_path_factory.mktemp("kill") / "big.jsonl", STATEMENTS, actors=500)


def _writing(db_url: str, engine: Any) -> bool:
    """Whether the import's write transaction is open and has written something."""
    if db_url.startswith("sqlite"):
        wal = Path(db_url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    from claimtrack.db import WRITE_LOCK_KEY

    with engine.connect() as connection:
        held = connection.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = :key AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
            {"key": WRITE_LOCK_KEY},
        ).scalar()
        inserted = connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND state = 'active' AND (query ILIKE 'INSERT%' OR query ILIKE 'COPY%')")
        ).scalar()
    return bool(held) and bool(inserted)


def test_sigkill_mid_import_leaves_database_unchanged(database, db_url, snapshot, big_jsonl, cli):
    from claimtrack.services.events import record_event

    with database.write() as s:
        volkov = f.actor(s, "Leonid Volkov")
        record_event(s, "create", volkov)
        claim = f.claim(s, "Police visited Navalny supporters at home")
        record_event(s, "create", claim)
    before = snapshot()
    database.dispose()

    engine = None if db_url.startswith("sqlite") else create_engine(
        db_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "claimtrack", "--db", db_url, "--user", "importer", "import", str(big_jsonl),
         "--format", "jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _writing(db_url, engine):
            if process.poll() is not None:
                _, err = process.communicate()
                pytest.fail(f"the import ended (exit {process.returncode}) before it was seen writing: {err!r}")
            if time.monotonic() > deadline:
                pytest.fail("the import was not seen writing within 120 s")
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed: use a bigger file"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if engine is not None:
            engine.dispose()
    assert process.returncode == -signal.SIGKILL

    # PostgreSQL notices the dead client and rolls back on its own; wait until it has
    if engine is not None:
        _wait_for_backend_gone(db_url)
    assert snapshot() == before
    cli.ok("log", "verify")
    # and the database is usable: the next write takes the lock and links into the chain
    cli.ok("actor", "add", "Maria Zakharova")
    cli.ok("log", "verify")


def _wait_for_backend_gone(db_url: str) -> None:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1), poolclass=NullPool)
    try:
        for _ in range(200):
            with engine.connect() as connection:
                others = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         "AND pid <> pg_backend_pid() AND state <> 'idle'")
                ).scalar()
            if not others:
                return
            time.sleep(0.05)
    finally:
        engine.dispose()
