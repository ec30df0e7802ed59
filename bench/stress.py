"""Stress: several processes log statements into one database at once.

    python bench/stress.py --db PATH_OR_URL --processes 8 --statements 500

Each process logs its statements one transaction each, through the services (the same code the
CLI runs), with `Database.run_write` re-running a transaction the database reports as busy or
conflicting. Afterwards it checks that every statement and its event is there, that the hash
chain verifies, and that no process saw an error (in particular no "database is locked").
Prints the figures; `--json` prints them as JSON. Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CLAIM_TEXT = "Stress test: several fact-checkers log statements about this claim at once"


def _counts(database: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from claimtrack.models import Event, Statement

    with database.read() as session:
        return {
            "statements": session.scalar(select(func.count()).select_from(Statement)) or 0,
            "events": session.scalar(select(func.count()).select_from(Event)) or 0,
        }


def _setup(url: str) -> int:
    """The shared claim every process logs statements about; its id."""
    from claimtrack.db import Database
    from claimtrack.services.claims import add_claim

    database = Database(url, user="stress-setup")
    try:
        return database.run_write(lambda session: add_claim(session, CLAIM_TEXT).claim.id)
    finally:
        database.dispose()


def _speaker_name(index: int) -> str:
    """Distinct, not-similar names, so name resolution never asks which one was meant."""
    first = ["Leonid", "Maria", "Dmitry", "Kira", "Ivan", "Lyubov", "Ruslan", "Georgy", "Olga", "Pavel"]
    last = ["Volkov", "Zakharova", "Peskov", "Yarmysh", "Zhdanov", "Sobol", "Shaveddinov", "Alburov",
            "Romanova", "Chikov"]
    return f"{first[index % 10]} {last[(index // 10 + index) % 10]} {index}"


def worker(url: str, index: int, statements: int, claim_id: int, queue: Any) -> None:
    """One process: its own speaker, then `statements` statements, one transaction each, through
    the one-line logging use case (`log_statement`, what `claimtrack log` runs)."""
    from claimtrack.db import Database
    from claimtrack.errors import ClaimtrackError
    from claimtrack.services.actors import add_actor

    try:
        from claimtrack.services.statements import log_statement
    except ImportError:  # an older tree: the plain service
        log_statement = None

    database = Database(url, user=f"stress-{index}")
    name = _speaker_name(index)
    errors: list[str] = []
    latencies: list[float] = []
    done = 0

    def one(session: Any, i: int) -> None:
        quote = f"process {index} statement {i}"
        if log_statement is not None:
            log_statement(session, speaker=name, claim=CLAIM_TEXT, stance="asserts", quote=quote)
            return
        from claimtrack.models import Actor, Claim
        from claimtrack.services.statements import add_statement

        speaker = session.scalar(__import__("sqlalchemy").select(Actor).where(Actor.name == name))
        add_statement(session, claim=session.get(Claim, claim_id), speaker=speaker, stance="asserts", quote=quote)

    try:
        database.run_write(lambda s: add_actor(s, name, allow_similar=True).id)
        for i in range(statements):
            started = time.perf_counter()
            try:
                database.run_write(lambda s, i=i: one(s, i))
                done += 1
            except ClaimtrackError as exc:  # what a user would have seen
                errors.append(str(exc))
            latencies.append(time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the run
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        database.dispose()
    queue.put({"index": index, "done": done, "errors": errors, "latencies": latencies})


def run(url: str, processes: int, statements: int) -> dict[str, Any]:
    from claimtrack.db import Database, resolve_url
    from claimtrack.services.events import verify_chain

    url = resolve_url(url)
    database = Database(url, user="stress")
    database.ensure_schema()
    claim_id = _setup(url)
    before = _counts(database)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    started = time.perf_counter()
    children = [
        context.Process(target=worker, args=(url, index, statements, claim_id, queue)) for index in range(processes)
    ]
    for child in children:
        child.start()
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    elapsed = time.perf_counter() - started
    after = _counts(database)
    with database.read() as session:
        chain = verify_chain(session)
    database.dispose()

    errors = [e for r in results for e in r["errors"]]
    latencies = sorted(x for r in results for x in r["latencies"])
    expected = processes * statements
    new_statements = after["statements"] - before["statements"]
    # one event per statement, plus one per process for its speaker
    new_events = after["events"] - before["events"]
    figures = {
        "backend": "sqlite" if url.startswith("sqlite") else "postgresql",
        "processes": processes,
        "statements_per_process": statements,
        "expected_statements": expected,
        "new_statements": new_statements,
        "new_events": new_events,
        "expected_events": expected + processes,
        "errors": len(errors),
        "locked_errors": sum("locked" in e.lower() for e in errors),
        "first_errors": errors[:5],
        "chain_ok": chain.ok,
        "chain_events": chain.events,
        "chain_problem": chain.problem.message if chain.problem else None,
        "seconds": round(elapsed, 2),
        "statements_per_second": round(new_statements / elapsed, 1) if elapsed else None,
        "latency_ms_median": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
        "latency_ms_max": round(latencies[-1] * 1000, 1) if latencies else None,
    }
    figures["ok"] = (
        not errors
        and new_statements == expected
        and new_events == expected + processes
        and chain.ok
        and all(child.exitcode == 0 for child in children)
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file path or URL, or postgresql://USER@HOST/DB")
    parser.add_argument("--processes", type=int, default=8, help="concurrent writer processes (default 8)")
    parser.add_argument("--statements", type=int, default=500, help="statements per process (default 500)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    from claimtrack.db import mask_url, resolve_url

    figures = run(args.db, args.processes, args.statements)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"database: {mask_url(resolve_url(args.db))}")
        for key, value in figures.items():
            print(f"  {key}: {value}")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
