"""What the tamper evidence costs (#13): `log verify`, `log checkpoint`, and row hashing in an import.

    .venv/bin/python bench/integrity.py -n 100000 [--backends sqlite,postgresql] [--pg-url URL]

Per backend, in one process, seconds apart (ratios are the figures to trust on a shared machine):
- import of the bench/generate.py archive with row hashing vs the same import with the
  importer's row hashing switched off (the cost an import pays for its segments);
- full `log verify` (chain + every row's hash compared with the log) vs a plain streaming
  `SELECT *` of the same tables' rows, fetched in the same way;
- `log checkpoint` (the RFC 6962 root over the event hashes, signed).
Wall and CPU time of this process are both printed (PostgreSQL's server time is wall only).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import generate

PG_DEFAULT = "postgresql://claimtrack:claimtrack@127.0.0.1/claimtrack_test"


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def fresh(backend: str, label: str, args: argparse.Namespace) -> str:
    if backend == "sqlite":
        path = Path(args.workdir) / f"integrity-{label}-{args.n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ct_bench_integrity_{label}_{args.n}"
    engine = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)


def do_import(url: str, data: Path, *, hashing: bool) -> float:
    from claimtrack.db import Database
    from claimtrack.formats import apply, import_file

    original = apply.Applier._hash_rows
    if not hashing:
        apply.Applier._hash_rows = lambda self, name, rows: None  # type: ignore[method-assign]
    try:
        database = Database(url, user="bench")
        database.ensure_schema()
        wall, cpu, _ = timed(lambda: _import(database, data, import_file))
        database.dispose()
    finally:
        apply.Applier._hash_rows = original  # type: ignore[method-assign]
    print(f"  import {'with' if hashing else 'without'} row hashes: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    return wall


def _import(database: Any, data: Path, import_file: Any) -> None:
    with database.write() as session:
        import_file(session, data, "jsonl")


def plain_select(url: str) -> tuple[float, float, int]:
    from claimtrack.db import Database
    from claimtrack.rowhash import RowEncoder, select_sql, tracked_tables

    database = Database(url)

    def run() -> int:
        count = 0
        with database.read() as session:
            connection = session.connection()
            for table in tracked_tables():
                sql = select_sql(RowEncoder(table))
                result = connection.execution_options(stream_results=True, yield_per=5000).exec_driver_sql(sql)
                for _row in result:
                    count += 1
        return count

    wall, cpu, count = timed(run)
    database.dispose()
    return wall, cpu, count


def verify(url: str) -> tuple[float, float, Any]:
    from claimtrack.db import Database
    from claimtrack.services.events import verify_chain
    from claimtrack.services.verify_data import verify_data

    database = Database(url)

    def run() -> Any:
        with database.read() as session:
            return verify_chain(session), verify_data(session)

    result = timed(run)
    database.dispose()
    return result


def checkpoint(url: str, workdir: Path) -> tuple[float, float]:
    from sqlalchemy import select

    from claimtrack.db import Database
    from claimtrack.models import Event
    from claimtrack.services.checkpoints import read_signer, sign_checkpoint, write_key_files

    key = workdir / "bench-log.key"
    if not key.exists():
        write_key_files(key, "bench.example/claimtrack")
    database = Database(url)

    def run() -> str:
        with database.read() as session:
            hashes = list(session.execute(select(Event.hash).order_by(Event.id)).scalars())
        return sign_checkpoint(read_signer(key), hashes)

    wall, cpu, _ = timed(run)
    database.dispose()
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("CLAIMTRACK_BENCH_POSTGRES_URL", PG_DEFAULT))
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "claimtrack-bench"))
    args = parser.parse_args(argv)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    data = Path(args.workdir) / f"bench-{args.n}.jsonl"
    if not data.exists():
        generate.write_jsonl(data, args.n)
    print(f"N = {args.n:,} statements, load average {os.getloadavg()[0]:.1f}", flush=True)
    for backend in args.backends.split(","):
        print(f"{backend}:", flush=True)
        plain_url = fresh(backend, "plain", args)
        without = do_import(plain_url, data, hashing=False)
        url = fresh(backend, "hashed", args)
        with_ = do_import(url, data, hashing=True)
        print(f"  import cost of row hashing: {100 * (with_ / without - 1):+.1f}% (target < 15%)", flush=True)
        base_wall, base_cpu, rows = plain_select(url)
        print(f"  plain SELECT of {rows:,} rows: {base_wall:.1f} s wall, {base_cpu:.1f} s CPU", flush=True)
        wall, cpu, (chain, report) = verify(url)
        status = "clean" if chain.ok and not report.findings else f"FINDINGS {report.counts}"
        print(f"  log verify ({report.rows:,} rows, {chain.events} events, {status}): {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU = {wall / base_wall:.1f}x the plain SELECT", flush=True)
        c_wall, c_cpu = checkpoint(url, Path(args.workdir))
        print(f"  log checkpoint: {c_wall * 1000:.0f} ms wall, {c_cpu * 1000:.0f} ms CPU", flush=True)
        print(f"  load average now {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
