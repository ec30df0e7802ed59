"""The demo: the three seed reports, logged by hand, loaded into a fresh database of their own.

`claimtrack demo` must never touch the user's data, so the demo database is a separate SQLite
file (`demo.db` beside the default database, or `--db PATH`), recreated on every run. A file
that exists is only replaced when it is recognisably a previous demo (every change in its log
was made by the demo user), so a mistyped `--db` cannot wipe somebody's work.

This module builds the tour as plain data; `claimtrack.reports.tour` renders it with Rich.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from claimtrack.errors import InvalidInput

#: who the demo's changes are recorded as, in the change log of the demo database
DEMO_USER = "claimtrack-demo"
#: the native-format file inside the package (short quotes only, never the articles' text)
DEMO_RESOURCE = "demo.jsonl"

#: what the tour shows: the claims with conflicts the seed reports contain, and one chain
TOUR_CHAIN_DOCUMENT = "tnie-2021-07-28"
TOUR_CHAIN_STATEMENT = "volkov-telegram-night-visits"
TOUR_REPORT_CLAIMS = ("protesters-detained-3000", "former-ally-caused-leak", "us-embassy-interfered")


def demo_data_path() -> Any:
    """The packaged demo file (a Traversable; open it with `.open()`)."""
    return resources.files("claimtrack").joinpath("data", DEMO_RESOURCE)


def default_demo_path() -> Path:
    """`demo.db` in the user data directory, beside (never instead of) the user's database."""
    from claimtrack.db import default_path

    return default_path().parent / "demo.db"


def demo_path_from(option: str | None) -> Path:
    """The demo file for `--db`: a file path or a sqlite:/// URL; other databases are refused."""
    if option is None:
        return default_demo_path()
    value = option.strip()
    if "://" in value:
        scheme, rest = value.split("://", 1)
        if scheme.lower() not in ("sqlite", "sqlite+pysqlite") or not rest.startswith("/"):
            raise InvalidInput(
                f"demo --db {option!r}: the demo builds its own SQLite file, which it deletes and "
                "recreates on every run; give a file path such as ./demo.db"
            )
        value = rest[1:]
    if not value:
        raise InvalidInput("demo --db: give a file path such as ./demo.db")
    return Path(value).expanduser().resolve()


def _is_previous_demo(path: Path) -> bool:
    """True when `path` is empty, an empty claimtrack schema, or a claimtrack database with a
    change log whose every change was the demo's."""
    import sqlite3

    if path.stat().st_size == 0:
        return True
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return True
        if "events" not in tables:
            return False
        users = {row[0] for row in connection.execute("SELECT DISTINCT user FROM events")}
        if users:
            return users <= {DEMO_USER}
        # no change log at all: only an empty schema may go (rows without events are somebody's
        # data, e.g. written by another tool or with the log cleared)
        for table in sorted(tables):
            if table in ("alembic_version", "database_identity") or table.startswith("sqlite_") or "_fts" in table:
                continue
            if connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None:
                return False
        return True
    except sqlite3.Error:  # not a database at all
        return False
    finally:
        connection.close()


def _remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()


def create_demo_database(path: Path) -> Any:
    """Recreate the demo database at `path` and load the seed reports; returns the Database.

    Refuses (InvalidInput, nothing touched) when `path` holds anything but a previous demo.
    """
    from claimtrack.db import Database
    from claimtrack.formats import import_native

    if path.is_dir():
        raise InvalidInput(f"demo --db {path}: that is a folder; give a file path such as {path / 'demo.db'}")
    if path.exists() and not _is_previous_demo(path):
        raise InvalidInput(
            f"{path} exists and is not a claimtrack demo database (it holds data the demo did not "
            "write, or is not a claimtrack database); the demo deletes its file on every run, so "
            "give a new path with --db"
        )
    _remove_sqlite_file(path)
    database = Database("sqlite:///" + str(path), user=DEMO_USER)
    with database.write() as session, demo_data_path().open("rb") as stream:
        import_native(session, stream)
    return database


# --------------------------------------------------------------------------- the tour


@dataclass
class Tour:
    """Everything the guided tour shows, as data (rendered by claimtrack.reports.tour)."""

    path: Path
    counts: dict[str, int]
    conflicts: list[Any] = field(default_factory=list)
    chain: Any = None
    chain_ref: str = TOUR_CHAIN_STATEMENT
    problems: list[Any] = field(default_factory=list)
    next_commands: list[tuple[str, str]] = field(default_factory=list)


def tour_json(tour: Tour) -> dict[str, Any]:
    """The tour as JSON-ready data (`claimtrack demo --json`), in the commands' own JSON shapes."""
    from dataclasses import asdict

    return {
        "path": str(tour.path),
        "counts": tour.counts,
        "conflicts": [c.to_dict() for c in tour.conflicts],
        "chain": asdict(tour.chain) if tour.chain is not None else None,
        "problems": [p.as_dict() for p in tour.problems],
        "next_commands": [{"command": c, "shows": what} for c, what in tour.next_commands],
    }


def next_commands(path: Path) -> list[tuple[str, str]]:
    """Commands to try next against the demo database, each with what it shows."""
    db = f"claimtrack --db {shlex.quote(str(path))}"
    return [
        (f"{db} report claim protesters-detained-3000", "3,000 arrested (the report's own voice) vs 3,700 detained (OVD Info)"),
        (f"{db} report claim former-ally-caused-leak", "Zhdanov's blame vs the former ally's denial"),
        (f"{db} conflicts", "every conflict, most severe first"),
        (f"{db} chain statement:{TOUR_CHAIN_STATEMENT}", "from Volkov's Telegram post forward to the article"),
        (f"{db} audit --rule vague-source", "only the vague sources"),
        (f"{db} report speaker \"Alexey Navalny\"", "any of the three spellings finds one actor"),
        (f"{db} search Telegram", "full-text search over claims, quotes and names"),
    ]


def build_tour(session: Any, path: Path) -> Tour:
    """Collect the tour's data from the demo database (read-only session)."""
    from claimtrack.queries.stats import count_objects

    tour = Tour(path=path, counts=count_objects(session), next_commands=next_commands(path))
    tour.conflicts = _conflicts(session)
    tour.chain = _chain(session)
    tour.problems = _problems(session)
    return tour


def _conflicts(session: Any) -> list[Any]:
    from claimtrack.queries.conflicts import find_conflicts

    return list(find_conflicts(session).conflicts)


def _chain(session: Any) -> Any:
    from claimtrack.queries.chains import statement_chain
    from claimtrack.queries.lookup import get_statement

    return statement_chain(session, get_statement(session, TOUR_CHAIN_STATEMENT).id)


def _problems(session: Any) -> list[Any]:
    from claimtrack.checks import run_audit

    return list(run_audit(session))
