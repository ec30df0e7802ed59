"""The hash chain: `log verify` passes on an intact log and names the first tampered event.

Tampering is done the way an insider would: plain SQL on the events table, bypassing claimtrack.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from tests import factories as f

COLUMNS = ("occurred_at", "\"user\"", "action", "object_type", "object_id", "before", "after", "row_hashes",
           "prev_hash", "hash")


def seed(database: Any, n: int = 6, start: int = 0) -> None:
    """n events, each in its own transaction, like n commands."""
    from claimtrack.services.events import record_event, snapshot

    for i in range(start, start + n):
        with database.write() as s:
            if i % 2 == 0:
                obj = f.actor(s, f"Speaker {i}")
                record_event(s, "create", obj)
            else:
                obj = f.claim(s, f"Claim number {i} with 'quotes' and % signs")
                before = snapshot(obj)
                record_event(s, "create", obj)
                obj.language = "en"
                s.flush()
                record_event(s, "update", obj, before=before)


def drop_guards(session: Any) -> None:
    """What an attacker with the owner's rights does first: drop the append-only triggers."""
    from claimtrack.events_ddl import drop_statements

    for statement in drop_statements(session.bind.dialect.name):
        session.execute(text(statement))


def sql(database: Any, statement: str, **params: Any) -> None:
    with database.write() as s:
        drop_guards(s)
        s.execute(text(statement), params)


def rows(database: Any) -> list[dict[str, Any]]:
    with database.read() as s:
        return [dict(r._mapping) for r in s.execute(text("SELECT * FROM events ORDER BY id"))]


def swap(database: Any, a: int, b: int, columns: tuple[str, ...]) -> None:
    """Exchange the given columns of events a and b (hash is unique: park one first)."""
    by_id = {r["id"]: r for r in rows(database)}
    plain = [c.strip('"') for c in columns]
    with database.write() as s:
        drop_guards(s)
        if "hash" in plain:
            s.execute(text("UPDATE events SET hash = :h WHERE id = :id"), {"h": "0" * 64, "id": a})
        for target, source in ((b, a), (a, b)):
            assignments = ", ".join(f"{c} = :{p}" for c, p in zip(columns, plain))
            s.execute(
                text(f"UPDATE events SET {assignments} WHERE id = :id"),
                {**{p: by_id[source][p] for p in plain}, "id": target},
            )


def verify(cli: Any, *extra: str) -> Any:
    return cli("log", "verify", *extra)


def test_intact_chain_verifies_and_prints_head(cli, database):
    seed(database)
    result = cli.ok("log", "verify")
    head = rows(database)[-1]
    assert f"{len(rows(database))} events" in result.stdout
    assert head["hash"] in result.stdout
    data = cli.json("log", "verify")
    assert data == {"ok": True, "events": 9, "head_id": 9, "head_hash": head["hash"], "problem": None,
                    "rows": 9, "counts": {"edited": 0, "inserted": 0, "deleted": 0}, "findings": [],
                    "checkpoint": None}


def test_empty_log_verifies(cli):
    assert "no events" in cli.ok("log", "verify").stdout


@pytest.mark.parametrize("column, value", [("\"user\"", "mallory"), ("action", "retract"), ("object_id", "99"),
                                           ("after", '{"name":"Someone else"}'), ("occurred_at", None)])
def test_altered_field_is_named(cli, database, column, value):
    seed(database)
    if column == "occurred_at":
        sql(database, "UPDATE events SET occurred_at = :t WHERE id = 4",
            t=__import__("datetime").datetime(2020, 1, 1, tzinfo=__import__("datetime").timezone.utc))
    else:
        sql(database, f"UPDATE events SET {column} = :v WHERE id = 4", v=int(value) if value.isdigit() else value)
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 4 was altered" in result.stderr
    assert "3 events verified" in result.stdout


def test_reserialized_json_is_altered(cli, database):
    """Same data, different spelling (spaces): the hash covers the exact canonical text."""
    seed(database)
    after = rows(database)[2]["after"]
    sql(database, "UPDATE events SET after = :v WHERE id = 3", v=after.replace(",", ", "))
    result = verify(cli)
    assert result.exit_code == 1 and "event 3 was altered" in result.stderr


def test_deleted_middle_event_is_named(cli, database):
    seed(database)
    sql(database, "DELETE FROM events WHERE id = 5")
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 5 missing" in result.stderr
    problem = cli("log", "verify", "--json")
    assert problem.exit_code == 1
    import json

    assert json.loads(problem.stdout)["problem"]["kind"] == "deleted"


def test_deleted_first_event_is_named(cli, database):
    seed(database)
    sql(database, "DELETE FROM events WHERE id = 1")
    result = verify(cli)
    assert result.exit_code == 1 and "event 1 missing" in result.stderr


def test_deleted_and_renumbered_is_caught(cli, database):
    """Deleting event 3 and shifting the later ids down to close the gap still breaks the chain."""
    seed(database)
    sql(database, "DELETE FROM events WHERE id = 3")
    for i in range(4, 10):
        sql(database, "UPDATE events SET id = :new WHERE id = :old", new=i - 1, old=i)
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 3" in result.stderr


def test_swapped_contents_are_reordered(cli, database):
    """Two events exchange everything but their sequence number."""
    seed(database)
    swap(database, 2, 5, COLUMNS)
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 2" in result.stderr and "event 5" in result.stderr
    assert "reordered" in result.stderr or "swapped" in result.stderr


def test_swapped_payloads_keeping_hashes(cli, database):
    """Only the data moves; the hash columns stay put."""
    seed(database)
    swap(database, 3, 6, ("occurred_at", "\"user\"", "action", "object_type", "object_id", "before", "after",
                          "row_hashes"))
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 3 holds the contents of event 6" in result.stderr


def test_swapped_ids_are_reordered(cli, database):
    seed(database)
    sql(database, "UPDATE events SET id = 100 WHERE id = 2")
    sql(database, "UPDATE events SET id = 2 WHERE id = 6")
    sql(database, "UPDATE events SET id = 6 WHERE id = 100")
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 2" in result.stderr and ("reordered" in result.stderr or "swapped" in result.stderr)


def test_changed_hash_is_named(cli, database):
    seed(database)
    sql(database, "UPDATE events SET hash = :h WHERE id = 7", h="f" * 64)
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 7 was altered: its stored hash was overwritten" in result.stderr


def test_rehashed_event_breaks_the_next_link(cli, database):
    """An insider who alters event 4 and recomputes its hash is caught at event 5."""
    from claimtrack.services.events import event_hash

    seed(database)
    old = rows(database)[3]
    sql(database, "UPDATE events SET \"user\" = 'mallory' WHERE id = 4")
    with database.read() as s:
        from claimtrack.models import Event
        from claimtrack.services.events import hashed_fields

        event = s.get(Event, 4)
        new_hash = event_hash(event.prev_hash, hashed_fields(event))
    assert new_hash != old["hash"]
    sql(database, "UPDATE events SET hash = :h WHERE id = 4", h=new_hash)
    result = verify(cli)
    assert result.exit_code == 1
    assert "event 5" in result.stderr


def test_inserted_event_is_caught(cli, database):
    """A fabricated event appended with a made-up hash."""
    seed(database)
    head = rows(database)[-1]
    sql(database,
        "INSERT INTO events (id, occurred_at, \"user\", action, object_type, object_id, before, after, prev_hash, hash)"
        " VALUES (10, :t, 'mallory', 'create', 'actor', 1, NULL, '{}', :p, :h)",
        t=head["occurred_at"], p=head["hash"], h="a" * 64)
    result = verify(cli)
    assert result.exit_code == 1 and "event 10 was altered" in result.stderr


def test_truncation_needs_the_recorded_head(cli, database):
    seed(database)
    head = cli.json("log", "verify")["head_hash"]
    sql(database, "DELETE FROM events WHERE id >= 8")
    # a shorter chain is still a valid chain ...
    cli.ok("log", "verify", "--chain-only")
    # ... though the rows those events created are now accounted for by no event
    result = verify(cli)
    assert result.exit_code == 1 and "inserted claims 3: in the database, but no event created it" in result.stdout
    # ... but not one that contains the head recorded earlier
    result = verify(cli, "--expect-head", head)
    assert result.exit_code == 1
    assert "not in the log" in result.stderr and "ends at event 7" in result.stderr


def test_expect_head_passes_when_log_grew(cli, database):
    seed(database, 2)
    head = cli.json("log", "verify")["head_hash"]
    seed(database, 2, start=2)
    cli.ok("log", "verify", "--expect-head", head)


def test_verify_is_read_only(cli, database, snapshot):
    seed(database)
    sql(database, "DELETE FROM events WHERE id = 5")
    before = snapshot()
    verify(cli)
    assert snapshot() == before


def test_expect_head_must_look_like_a_hash(cli, snapshot):
    before = snapshot()
    result = verify(cli, "--expect-head", "abc123")
    assert result.exit_code == 2
    assert "'abc123' is not a head hash; expected the 64 hexadecimal digits" in result.stderr
    assert snapshot() == before
