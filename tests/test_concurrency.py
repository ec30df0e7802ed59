"""Concurrent writers and optimistic locking, on SQLite and PostgreSQL.

- a small version of bench/stress.py (4 processes × 50 statements): every row and event there,
  the chain verifies, no error reaches the user;
- a writer that waits for another one's lock succeeds (busy timeout), and `run_write` re-runs
  a whole transaction the database reported as busy, a bounded number of times;
- edits of claims and verdicts fail with a clear message when the version read is stale.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent


def test_stress_small(db_url):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "stress.py"), "--db", db_url, "--processes", "4",
         "--statements", "50", "--json"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["new_statements"] == 200
    assert figures["new_events"] == 204  # one per statement, one per process's speaker
    assert figures["errors"] == 0 and figures["locked_errors"] == 0
    assert figures["chain_ok"] is True
    assert "locked" not in result.stderr.lower()


def test_writer_waits_for_a_held_sqlite_lock(database, tmp_path):
    """Another process's open write transaction delays a command; it does not fail it."""
    if database.dialect != "sqlite":
        pytest.skip("SQLite locking")
    import sqlite3

    from claimtrack.models import Actor

    path = database.url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO actors (name, kind, version, created_at) VALUES ('Held', 'person', 1, '2021-01-01')")
    released = threading.Event()

    def release() -> None:
        released.wait(5)
        holder.execute("COMMIT")
        holder.close()

    thread = threading.Thread(target=release)
    thread.start()
    timer = threading.Timer(0.5, released.set)
    timer.start()
    with database.write() as s:  # blocks on BEGIN IMMEDIATE until the holder commits
        f.actor(s, "Waiting Writer")
    thread.join()
    with database.read() as s:
        names = set(s.scalars(select(Actor.name)))
    assert names == {"Held", "Waiting Writer"}


def test_run_write_reruns_a_busy_transaction(database):
    from claimtrack.db import Busy
    from claimtrack.models import Actor

    attempts: list[int] = []

    def work(s: Any) -> int:
        attempts.append(1)
        actor = f.actor(s, f"Attempt {len(attempts)}")
        if len(attempts) < 3:
            raise Busy("simulated: the server reported a serialization failure")
        return actor.id

    database.run_write(work)
    assert len(attempts) == 3
    with database.read() as s:
        # the two failed attempts were rolled back whole
        assert list(s.scalars(select(Actor.name))) == ["Attempt 3"]


def test_run_write_gives_up_with_a_clear_message(database, snapshot):
    from claimtrack.db import Busy

    before = snapshot()

    def work(s: Any) -> None:
        f.actor(s, "Never")
        raise Busy("simulated busy")

    with pytest.raises(Busy):
        database.run_write(work, attempts=2)
    assert snapshot() == before


def test_transient_errors_are_classified(database):
    from sqlalchemy import exc as sa_exc

    from claimtrack.db import Busy, is_transient

    class Orig(Exception):
        def __init__(self, message: str, sqlstate: str | None = None) -> None:
            super().__init__(message)
            self.sqlstate = sqlstate

    locked = sa_exc.OperationalError("BEGIN IMMEDIATE", {}, Orig("database is locked"))
    deadlock = sa_exc.OperationalError("UPDATE", {}, Orig("deadlock detected", "40P01"))
    serial = sa_exc.OperationalError("UPDATE", {}, Orig("could not serialize access", "40001"))
    other = sa_exc.OperationalError("SELECT", {}, Orig("no such table: nope"))
    assert is_transient(locked) and is_transient(deadlock) and is_transient(serial)
    assert not is_transient(other)
    error = database._database_error(locked)
    assert isinstance(error, Busy)
    assert "locked" not in str(error) and "try the command again" in str(error)


# --------------------------------------------------------------------------- optimistic locking


def _claim(database: Any) -> int:
    with database.write() as s:
        return f.claim(s, "Police visited Navalny supporters at home").id


def _verdict(database: Any) -> int:
    with database.write() as s:
        c = f.claim(s, "More than 3,000 people were detained")
        return f.verdict(s, c, "mostly-true", rating_value=4, best=5, worst=1).id


def test_edit_claim_with_current_version(database):
    from claimtrack.models import Claim, Event
    from claimtrack.services.edits import edit_claim

    claim_id = _claim(database)
    with database.write() as s:
        claim = s.get(Claim, claim_id)
        assert edit_claim(s, claim, expect_version=1, text="Police visited supporters at their homes", language="en")
    with database.read() as s:
        claim = s.get(Claim, claim_id)
        assert claim.version == 2 and claim.language == "en"
        event = s.scalars(select(Event).order_by(Event.id.desc())).first()
        assert event.action == "update" and event.object_type == "claim" and event.object_id == claim_id
        assert json.loads(event.before)["text"] == "Police visited Navalny supporters at home"
        assert json.loads(event.after)["version"] == 2


def test_stale_claim_edit_fails_and_writes_nothing(database, snapshot):
    from claimtrack.errors import ConcurrentEdit
    from claimtrack.models import Claim
    from claimtrack.services.edits import edit_claim

    claim_id = _claim(database)
    # Alice and Bob both read version 1; Alice saves first
    with database.write() as s:
        edit_claim(s, s.get(Claim, claim_id), expect_version=1, language="en")
    before = snapshot()
    with pytest.raises(ConcurrentEdit) as caught, database.write() as s:
        edit_claim(s, s.get(Claim, claim_id), expect_version=1, language="ru")
    assert str(caught.value) == (
        f"claim {claim_id} was changed by someone else since you read it (version 1, now 2); "
        f"re-read it with `claimtrack claim show {claim_id}` and try again"
    )
    assert snapshot() == before


def test_race_past_the_check_is_caught_by_the_version_column(database, snapshot):
    """The row changes between reading it and flushing: the versioned UPDATE matches nothing."""
    from claimtrack.errors import ConcurrentEdit
    from claimtrack.models import Claim
    from claimtrack.services.edits import edit_claim

    claim_id = _claim(database)
    before = snapshot()
    with pytest.raises(ConcurrentEdit, match=f"claim {claim_id} was changed by someone else"), database.write() as s:
        claim = s.get(Claim, claim_id)
        s.execute(text("UPDATE claims SET version = version + 1 WHERE id = :id"), {"id": claim_id})
        edit_claim(s, claim, expect_version=1, language="en")
    assert snapshot() == before


def test_plain_orm_stale_update_becomes_concurrent_edit(database):
    """Any write path, not only edits: db.write() turns StaleDataError into ConcurrentEdit."""
    from claimtrack.errors import ConcurrentEdit
    from claimtrack.models import Verdict

    verdict_id = _verdict(database)
    with pytest.raises(ConcurrentEdit, match="the verdict was changed by someone else since you read it"), database.write() as s:
        verdict = s.get(Verdict, verdict_id)
        s.execute(text("UPDATE verdicts SET version = 7 WHERE id = :id"), {"id": verdict_id})
        verdict.label = "false"


def test_verdict_edit_and_stale_edit(database, snapshot):
    from claimtrack.errors import ConcurrentEdit, InvalidInput
    from claimtrack.models import Verdict
    from claimtrack.services.edits import edit_verdict

    verdict_id = _verdict(database)
    with database.write() as s:
        assert edit_verdict(s, s.get(Verdict, verdict_id), expect_version=1, label="half-true", value=3)
    before = snapshot()
    with pytest.raises(ConcurrentEdit, match=r"\(version 1, now 2\)"), database.write() as s:
        edit_verdict(s, s.get(Verdict, verdict_id), expect_version=1, label="false")
    with pytest.raises(InvalidInput, match="outside the scale"), database.write() as s:
        edit_verdict(s, s.get(Verdict, verdict_id), expect_version=2, value=9)
    assert snapshot() == before


def test_unchanged_edit_writes_nothing(database, snapshot):
    from claimtrack.models import Claim
    from claimtrack.services.edits import edit_claim

    claim_id = _claim(database)
    before = snapshot()
    with database.write() as s:
        assert edit_claim(s, s.get(Claim, claim_id), expect_version=1,
                          text="Police visited Navalny supporters at home") is False
    assert snapshot() == before


def _has_command(cli: Any, group: str) -> bool:
    return "edit" in cli(group, "--help").stdout


def test_cli_claim_edit(cli, database, snapshot):
    if not _has_command(cli, "claim"):
        pytest.skip("the claim command group does not exist yet")
    claim_id = _claim(database)
    result = cli.ok("claim", "edit", str(claim_id), "--expect-version", "1", "--language", "en")
    assert f"claim {claim_id} updated (version 2)" in result.stdout
    before = snapshot()
    stale = cli("claim", "edit", str(claim_id), "--expect-version", "1", "--language", "fr")
    assert stale.exit_code == 1
    assert "was changed by someone else since you read it (version 1, now 2)" in stale.stderr
    assert snapshot() == before
    missing = cli("claim", "edit", str(claim_id), "--language", "fr")
    assert missing.exit_code == 2 and "--expect-version" in missing.stderr


def test_cli_verdict_edit(cli, database, snapshot):
    if not _has_command(cli, "verdict"):
        pytest.skip("the verdict command group does not exist yet")
    verdict_id = _verdict(database)
    cli.ok("verdict", "edit", str(verdict_id), "--expect-version", "1", "--label", "false", "--reviewed", "2021-02")
    before = snapshot()
    stale = cli("verdict", "edit", str(verdict_id), "--expect-version", "1", "--label", "true")
    assert stale.exit_code == 1 and f"verdict {verdict_id} was changed by someone else" in stale.stderr
    assert snapshot() == before


# --------------------------------------------------------------------------- real driver errors


def _short_busy_timeout(monkeypatch: Any, database: Any) -> None:
    """A 100 ms busy timeout, so a held lock turns into SQLite's own 'database is locked' fast."""
    import claimtrack.db

    monkeypatch.setattr(claimtrack.db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    database.dispose()


def _hold_sqlite_lock(database: Any) -> Any:
    import sqlite3

    holder = sqlite3.connect(database.url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_locked_sqlite_is_retried_then_succeeds(database, monkeypatch):
    if database.dialect != "sqlite":
        pytest.skip("SQLite locking")
    from claimtrack.models import Actor

    database.ensure_schema()
    _short_busy_timeout(monkeypatch, database)
    holder = _hold_sqlite_lock(database)
    # released while write() is still retrying BEGIN IMMEDIATE (5 attempts, growing waits)
    timer = threading.Timer(0.3, lambda: (holder.execute("COMMIT"), holder.close()))
    timer.start()
    with database.write() as s:
        f.actor(s, "Patient Writer")
    timer.join()
    with database.read() as s:
        assert list(s.scalars(select(Actor.name))) == ["Patient Writer"]


def test_busy_sqlite_message_is_clear(cli, database, monkeypatch, snapshot):
    if database.dialect != "sqlite":
        pytest.skip("SQLite locking")
    database.ensure_schema()
    before = snapshot()
    _short_busy_timeout(monkeypatch, database)
    holder = _hold_sqlite_lock(database)
    try:
        result = cli("actor", "add", "Blocked Writer")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "database is locked" not in result.stderr
    assert "stayed busy" in result.stderr and "nothing was written, try the command again" in result.stderr
    assert snapshot() == before


def test_postgresql_serialization_failure_is_rerun(database):
    """A real SQLSTATE 40001 from the server: run_write re-runs the whole transaction."""
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL SQLSTATEs")
    from claimtrack.db import Busy
    from claimtrack.models import Actor

    attempts: list[int] = []

    def work(s: Any) -> None:
        attempts.append(1)
        f.actor(s, f"Attempt {len(attempts)}")
        if len(attempts) < 3:
            s.execute(text("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = 'serialization_failure'; END $$"))

    database.run_write(work)
    assert len(attempts) == 3
    with database.read() as s:
        assert list(s.scalars(select(Actor.name))) == ["Attempt 3"]
    with pytest.raises(Busy, match="stayed busy"), database.write() as s:
        s.execute(text("DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = 'deadlock_detected'; END $$"))
