"""The triggers that make `events` append-only, one flavour per backend (docs/history.md).

- UPDATE and DELETE of an event are refused (and TRUNCATE on PostgreSQL).
- An INSERT must extend the chain at its head: its id is the newest id + 1 and its
  `prev_hash` is the newest event's hash. (Whether its own hash is right is what `log verify`
  checks; SQL cannot recompute it.)

An attacker with the owner's rights can still drop or disable the triggers (on PostgreSQL
only the table's owner or a superuser can); the row hashes and checkpoints are what catch
what they do then. Used by the migration that installs them and by the tests that play
that attacker.
"""

from __future__ import annotations

MESSAGE = "events are append-only"

SQLITE_CREATE = (
    f"""CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: an event cannot be changed'); END""",
    f"""CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: an event cannot be deleted'); END""",
    f"""CREATE TRIGGER events_append_at_head BEFORE INSERT ON events
WHEN NEW.id IS NOT coalesce((SELECT max(id) FROM events), 0) + 1
  OR NEW.prev_hash IS NOT (SELECT hash FROM events ORDER BY id DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: a new event must follow the newest one'); END""",
)
SQLITE_DROP = tuple(
    f"DROP TRIGGER IF EXISTS {name}" for name in ("events_no_update", "events_no_delete", "events_append_at_head")
)

PG_CREATE = (
    f"""CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.id IS DISTINCT FROM coalesce((SELECT max(id) FROM events), 0) + 1
           OR NEW.prev_hash IS DISTINCT FROM (SELECT hash FROM events ORDER BY id DESC LIMIT 1) THEN
            RAISE EXCEPTION '{MESSAGE}: a new event must follow the newest one'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}: an event cannot be %', CASE TG_OP WHEN 'UPDATE' THEN 'changed'
        WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
        USING ERRCODE = 'integrity_constraint_violation';
END
$$""",
    ("CREATE TRIGGER events_append_only BEFORE INSERT OR UPDATE OR DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION events_append_only()"),
    ("CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
    "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"),
)
PG_DROP = (
    "DROP TRIGGER IF EXISTS events_no_truncate ON events",
    "DROP TRIGGER IF EXISTS events_append_only ON events",
    "DROP FUNCTION IF EXISTS events_append_only()",
)


def create_statements(dialect: str) -> tuple[str, ...]:
    return PG_CREATE if dialect == "postgresql" else SQLITE_CREATE


def drop_statements(dialect: str) -> tuple[str, ...]:
    return PG_DROP if dialect == "postgresql" else SQLITE_DROP
