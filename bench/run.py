"""The claimtrack benchmark: one command, one table, every figure next to its baseline.

    .venv/bin/python bench/run.py                       # N=100,000, SQLite and PostgreSQL, all parts
    .venv/bin/python bench/run.py -n 1000000 --backends sqlite --parts import
    .venv/bin/python bench/run.py -n 10000 --parts startup,latency,plans --json out.json
    .venv/bin/python bench/run.py -n 1000000 --parts latency --cases outlet,search \
        --sqlite-db sqlite:////copy/1m.db --postgresql-db postgresql://USER@HOST/copy_1m

Parts:
- import   claimtrack's `import FILE --format jsonl` (a child process: wall time and peak RSS
           from os.wait4) vs the raw load of the same rows into the same schema
           (sqlite3 executemany / psycopg COPY, bench/rawload.py), both in this run;
- latency  the public query functions, called in-process on the imported database (or the
           raw-loaded one when the importer is missing): median of --runs after a warm-up,
           each next to the plain SQL it boils down to;
- plans    EXPLAIN (QUERY PLAN) of every SQL statement those functions issue; full scans listed;
- audit    the whole audit rule by rule (wall and CPU of each rule, their sum against < 30 s),
           in process on the imported database;
- startup  bench/startup.py: `--help` vs `python -c pass` (≤ 6x), every read command vs
           `sqlite-utils tables` (≤ 2x) and write commands (≤ 2.5x) on the demo database, median
           wall and CPU of 9 interleaved runs, warm (command server) and cold (own process), on
           SQLite and PostgreSQL; `log`/`report claim` inside `claimtrack shell` (< 30 ms).

The last lines sum up every target: how many rows meet it, and the worst miss with its cause.

A measurement whose code is not there yet is skipped with the reason printed; the run goes on.
Ratios are the figures to trust on a shared machine: numerator and baseline ran seconds apart.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate
import rawload

# Every claimtrack process the benchmark runs starts cold, in its own process, and none starts a
# background command server (claimtrack.cli.daemon): bench/startup.py measures the server itself,
# warm and cold, in a private folder it cleans up.
os.environ["CLAIMTRACK_SERVER"] = "off"

PG_DEFAULT = "postgresql://claimtrack:claimtrack@127.0.0.1/claimtrack_test"
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))


@dataclass
class Row:
    """One line of the results table."""

    part: str
    what: str
    backend: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_what: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""
    load: float | None = None  # the 1-minute load average when the figure was taken
    #: what the figure is by CPU time (ms for latency rows, the CPU ratio for import rows and
    #: for rows whose target is a multiple of their baseline, "≤ 2x"):
    #: on a shared machine the wall figure mostly waits for a core
    cpu: float | None = None
    #: why a missed target is missed (printed with the verdict): what the part knows of the cause
    why: str = ""

    def verdict(self) -> str:
        """met / MISSED by how much, and what the CPU time and the machine's load say about it."""
        if self.met is None:
            return ""
        if self.met:
            return "met"
        limit = _target_number(self.target)
        if limit is None or not self.value:
            return "MISSED"
        if self.unit == "stmt/s" and self.ratio:
            factor, cpu_met = limit / self.ratio, self.cpu is not None and self.cpu >= limit
        elif self.target.rstrip().endswith("x") and self.ratio:  # "≤ 2x" a baseline: cpu is the CPU ratio
            factor, cpu_met = self.ratio / limit, self.cpu is not None and self.cpu <= limit
        else:
            factor, cpu_met = self.value / limit, self.cpu is not None and self.cpu < limit
        why = [f"MISSED by {factor:.1f}x"]
        if cpu_met:
            why.append("met on CPU")
        if self.load is not None and self.load > (os.cpu_count() or 1):
            why.append(f"load {self.load:.0f} on {os.cpu_count()} cores")
        return ", ".join(why) + (f": {self.why}" if self.why else "")

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline


def _target_number(target: str) -> float | None:
    """The number in a target ("< 300 ms" -> 300, ">= 50% of raw" -> 0.5)."""
    match = re.search(r"([0-9][0-9,.]*)\s*(%?)", target)
    if not match:
        return None
    number = float(match.group(1).replace(",", ""))
    return number / 100 if match.group(2) else number


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: Row) -> None:
        if row.load is None:
            row.load = os.getloadavg()[0]
        self.rows.append(row)
        print(f"  {_format_row(row)}", flush=True)

    def skip(self, what: str, reason: str) -> None:
        self.skipped.append(f"{what}: {reason}")
        print(f"  SKIP {what}: {reason}", flush=True)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ----------------------------------------------------------------------------- databases


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def fresh_sqlite(path: Path) -> str:
    from claimtrack.migrate import upgrade

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    url = sqlite_url(path)
    upgrade(url)
    return url


def fresh_postgresql(admin_url: str, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from claimtrack.db import resolve_url
    from claimtrack.migrate import upgrade

    admin = resolve_url(admin_url)
    engine = create_engine(admin, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def fresh_database(backend: str, args: argparse.Namespace, label: str) -> str:
    if backend == "sqlite":
        return fresh_sqlite(Path(args.workdir) / f"{label}-{args.n}.db")
    return fresh_postgresql(args.pg_url, f"ct_bench_{label}_{args.n}")


def existing_database(backend: str, args: argparse.Namespace, label: str) -> str | None:
    """The URL of a database an earlier part (or run) loaded, if it holds statements."""
    if backend == "sqlite":
        path = Path(args.workdir) / f"{label}-{args.n}.db"
        if not path.exists():
            return None
        url = sqlite_url(path)
    else:
        from sqlalchemy.engine import make_url

        from claimtrack.db import resolve_url

        url = make_url(resolve_url(args.pg_url)).set(database=f"ct_bench_{label}_{args.n}").render_as_string(
            hide_password=False)
    try:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), poolclass=NullPool)
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM statements")).scalar()
        engine.dispose()
    except Exception:  # noqa: BLE001 (unreachable server or missing table: no database)
        return None
    return url if count else None


# ----------------------------------------------------------------------------- import


def dataset(args: argparse.Namespace) -> Path:
    path = Path(args.workdir) / f"bench-{args.n}-seed{args.seed}.jsonl"
    if not path.exists():
        log(f"generating {args.n:,} statements -> {path}")
        started = time.perf_counter()
        partial = path.with_name(path.name + ".part")  # an interrupted run leaves no half file behind
        counts = generate.write_jsonl(partial, args.n, seed=args.seed, actors=args.actors)
        partial.rename(path)
        log(f"generated in {time.perf_counter() - started:.1f} s: {counts}")
    return path


def importer_available() -> str | None:
    """None when `claimtrack import --format jsonl` exists, else why not."""
    done = subprocess.run(check=False, args=[CLAIMTRACK, "import", "--help"], capture_output=True, text=True)
    if done.returncode != 0:
        return "`claimtrack import` does not exist yet (issue 9)"
    if "--format" not in done.stdout:
        return "`claimtrack import` has no --format option yet"
    return None


def run_child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int, str]:
    """(wall seconds, peak RSS in MB, exit code, stderr tail) of one child process.

    The child is started by bench/childrss.py, a small process of its own: started from this
    one, its peak RSS would include ours (Linux keeps `ru_maxrss` across exec; see childrss.py).
    Output goes to temporary files, not pipes, so a chatty child cannot block on a full pipe.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ct-bench-") as folder:
        report = Path(folder) / "rusage.json"
        with open(Path(folder) / "out", "w+b") as out, open(Path(folder) / "err", "w+b") as err:
            subprocess.run([sys.executable, str(HERE / "childrss.py"), str(report), *command],
                           stdout=out, stderr=err, env=env, check=False)
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode(errors="replace")
            stderr = err.read().decode(errors="replace")
        if not report.exists():
            return 0.0, 0, 1, (stderr or stdout)[-800:]
        usage = json.loads(report.read_text(encoding="utf-8"))
    run_child.cpu_seconds = usage["cpu"]  # type: ignore[attr-defined]
    return usage["wall"], usage["maxrss_kb"] // 1024, usage["exit"], (stderr or stdout)[-800:]


def part_import(args: argparse.Namespace, results: Results, backend: str) -> None:
    path = dataset(args)
    n = args.n
    log(f"import · {backend} · N={n:,}")
    # the raw load first: it also leaves a database for the latency part when there is no importer
    url = fresh_database(backend, args, "raw")
    raw_load = os.getloadavg()[0]
    raw = (rawload.load_sqlite(path, url.removeprefix("sqlite:///")) if backend == "sqlite"
           else rawload.load_postgresql(path, url))
    raw_name = "sqlite3 executemany" if backend == "sqlite" else "psycopg COPY"
    raw_rate = n / raw.db_seconds
    results.add(Row("import", f"raw {raw_name} (db time only)", backend, raw_rate, "stmt/s",
                    note=f"{raw.db_seconds:.1f} s in the database, {raw.seconds:.1f} s with parsing "
                         f"(CPU {raw.cpu_seconds:.1f} s); {sum(raw.rows.values()):,} rows; "
                         f"load {raw_load:.1f} at its start"))
    reason = importer_available()
    if reason:
        results.skip(f"claimtrack import ({backend})", reason)
        return
    url = fresh_database(backend, args, "import")
    command = [CLAIMTRACK, "--db", url, "import", str(path), "--format", "jsonl"]
    import_load = os.getloadavg()[0]
    elapsed, rss_mb, code, tail = run_child(command)
    if code != 0:
        results.skip(f"claimtrack import ({backend})", f"exit {code}: {tail.strip()[-300:]}")
        return
    rate = n / elapsed
    goal = 0.5 if backend == "sqlite" else 0.3
    # SQLite runs inside both processes, so their CPU times compare whole; PostgreSQL's server
    # time is in neither, so no CPU verdict there
    cpu_ratio = raw.cpu_seconds / run_child.cpu_seconds if backend == "sqlite" else None  # type: ignore[attr-defined]
    results.add(Row("import", "claimtrack import --format jsonl", backend, rate, "stmt/s", raw_rate, raw_name,
                    f">= {goal:.0%} of raw", rate / raw_rate >= goal,
                    f"{elapsed:.1f} s wall incl. start-up (CPU {run_child.cpu_seconds:.1f} s); "
                    f"vs raw incl. parsing: {rate / (n / raw.seconds):.0%}"
                    + (f"; SQLite CPU vs raw CPU: {raw.cpu_seconds / run_child.cpu_seconds:.0%}"
                       if backend == "sqlite" else "")
                    + f"; load {import_load:.1f} at its start", cpu=cpu_ratio))
    results.add(Row("import", "import peak RSS", backend, rss_mb, "MB", target="< 300 MB", met=rss_mb < 300,
                    note=f"N={n:,}"))


# ----------------------------------------------------------------------------- latency


#: CPU milliseconds of the last timed() call's median run (this process only)
LAST_CPU_MS = [0.0]


def timed(fn: Callable[[], Any], runs: int) -> float:
    """Median wall milliseconds of `runs` calls after one warm-up call.

    The median CPU time of this process is kept in LAST_CPU_MS: on a shared machine it is the
    steadier figure (on SQLite it is nearly all the work; on PostgreSQL the server's share is
    not in it).
    """
    fn()
    samples, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    LAST_CPU_MS[0] = statistics.median(cpu)
    return statistics.median(samples)


def _module(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 (any failure skips one measurement)  # another helper's module half-written: report, do not crash
        return exc


def _find(candidates: list[tuple[str, str]]) -> tuple[Callable[..., Any] | None, str]:
    """The first (module, function) that exists, or None and why not."""
    reasons = []
    for module_name, function in candidates:
        module = _module(module_name)
        if isinstance(module, Exception):
            reasons.append(f"{module_name} fails to import ({type(module).__name__}: {module})")
            continue
        if module is not None and callable(getattr(module, function, None)):
            return getattr(module, function), f"{module_name}.{function}"
        reasons.append(f"no {module_name}.{function}")
    return None, "; ".join(reasons)


@dataclass(frozen=True)
class Lazy:
    """An argument built from the session at call time (an ORM object, like a command loads)."""

    build: Callable[[Any], Any]


def _call(fn: Callable[..., Any], session: Any, **wanted: Any) -> Any:
    """Call fn(session, ...) passing only the keyword arguments its signature accepts.

    The identity map is emptied first, so every call starts cold like a command does.
    """
    session.expunge_all()
    parameters = inspect.signature(fn).parameters
    kwargs = {k: (v.build(session) if isinstance(v, Lazy) else v) for k, v in wanted.items() if k in parameters}
    return fn(session, **kwargs)


def _claim(claim_id: int) -> Lazy:
    def build(session: Any) -> Any:
        from claimtrack.models import Claim

        return session.get(Claim, claim_id)

    return Lazy(build)


@dataclass
class Targets:
    """The objects the latency queries look at, found in the loaded database."""

    typical_claim: int
    big_claim: int
    deep_document: int
    deep_statement: int
    search_text: str
    rare_text: str
    big_outlet: int | None = None


def find_targets(session: Any) -> Targets:
    from sqlalchemy import text

    def one(sql: str) -> Any:
        return session.execute(text(sql)).scalar()

    # the generator's claim c20 has opposing stances; c0..c9 are the 'big stories'
    typical = one("SELECT id FROM claims WHERE key = 'c20'") or one("SELECT min(id) FROM claims")
    big = one("SELECT claim_id FROM statements GROUP BY claim_id ORDER BY count(*) DESC LIMIT 1")
    deep_statement = one("SELECT statement_id FROM hops GROUP BY statement_id ORDER BY count(*) DESC LIMIT 1")
    deep_document = one(f"SELECT document_id FROM hops WHERE statement_id = {deep_statement} "
                        "ORDER BY id DESC LIMIT 1")
    # a family name borne by one actor (the generator spells each index differently)
    rare = (one("SELECT name FROM actors WHERE key = 'a5000'") or one("SELECT max(name) FROM actors")).split()[-1]
    # the outlet whose documents carry the most hops (the slow outlet report of issue 17)
    big_outlet = one("SELECT d.outlet_id FROM hops h JOIN documents d ON d.id = h.document_id "
                     "WHERE d.outlet_id IS NOT NULL GROUP BY d.outlet_id ORDER BY count(*) DESC LIMIT 1")
    return Targets(typical, big, deep_document, deep_statement, "police detained protest", rare, big_outlet)


def _actor(actor_id: int | None) -> Lazy:
    def build(session: Any) -> Any:
        from claimtrack.models import Actor

        return session.get(Actor, actor_id)

    return Lazy(build)


# the plain SQL each query boils down to (named parameters; both backends)
BASELINE_SQL = {
    "claim": [
        ("SELECT s.id, s.stance, s.quote, s.cue, s.said_on, a.name, h.id, d.title, d.published_on, o.name "
        "FROM statements s LEFT JOIN actors a ON a.id = s.speaker_id "
        "LEFT JOIN hops h ON h.statement_id = s.id LEFT JOIN documents d ON d.id = h.document_id "
        "LEFT JOIN actors o ON o.id = d.outlet_id WHERE s.claim_id = :claim ORDER BY s.stance, s.id"),
        ("SELECT v.id, v.label, v.rating_value, a.name FROM verdicts v LEFT JOIN actors a ON a.id = v.reviewer_id "
        "WHERE v.claim_id = :claim"),
        ("SELECT id, source_claim_id, target_claim_id, type, status FROM claim_relations "
        "WHERE source_claim_id = :claim OR target_claim_id = :claim"),
    ],
    "conflicts_claim": [
        "SELECT stance, count(*) FROM statements WHERE claim_id = :claim GROUP BY stance",
        ("SELECT id FROM claim_relations WHERE type = 'contradicts' AND (source_claim_id = :claim "
        "OR target_claim_id = :claim)"),
        ("SELECT c2.id, c2.quantity_value, c2.quantity_bound FROM claims c1 JOIN claims c2 "
        "ON c2.quantity_subject = c1.quantity_subject AND c2.id <> c1.id WHERE c1.id = :claim"),
        "SELECT id, label FROM verdicts WHERE claim_id = :claim",
    ],
    "conflicts_all": [
        ("SELECT claim_id FROM statements GROUP BY claim_id HAVING "
        "sum(CASE WHEN stance IN ('asserts', 'confirms') THEN 1 ELSE 0 END) > 0 AND "
        "sum(CASE WHEN stance IN ('denies', 'disputes', 'retracts') THEN 1 ELSE 0 END) > 0 LIMIT 50"),
    ],
    "outlet": [
        ("SELECT count(*), count(h.via_actor_id), count(h.via_hop_id) FROM hops h "
         "JOIN documents d ON d.id = h.document_id WHERE d.outlet_id = :outlet"),
    ],
    "conflicts_reversal": [
        ("SELECT claim_id, speaker_id FROM statements WHERE speaker_id IS NOT NULL "
        "AND stance IN ('asserts', 'confirms', 'denies', 'disputes', 'retracts') "
        "GROUP BY claim_id, speaker_id HAVING "
        "sum(CASE WHEN stance IN ('asserts', 'confirms') THEN 1 ELSE 0 END) > 0 AND "
        "sum(CASE WHEN stance IN ('denies', 'disputes', 'retracts') THEN 1 ELSE 0 END) > 0 "
        "ORDER BY claim_id, speaker_id LIMIT 51"),
    ],
    "chain": [
        ("WITH RECURSIVE walk(hop_id) AS (SELECT id FROM hops WHERE document_id = :document "
        "UNION SELECT h.via_hop_id FROM hops h JOIN walk ON h.id = walk.hop_id WHERE h.via_hop_id IS NOT NULL) "
        "SELECT h.id, h.via_hop_id, h.quote, d.title, d.published_on FROM hops h "
        "JOIN documents d ON d.id = h.document_id WHERE h.id IN (SELECT hop_id FROM walk)"),
    ],
}
SEARCH_SQL = {
    "sqlite": "SELECT rowid, bm25(claims_fts) AS r FROM claims_fts WHERE claims_fts MATCH :q ORDER BY r LIMIT 50",
    "postgresql": "SELECT id FROM claims WHERE to_tsvector('simple', text) @@ plainto_tsquery('simple', :q) "
                  "LIMIT 50",
}


def _baseline(session: Any, statements: list[str], params: dict[str, Any]) -> Callable[[], Any]:
    from sqlalchemy import text

    compiled = [text(sql) for sql in statements]

    def run() -> Any:
        for sql in compiled:
            used = {k: v for k, v in params.items() if f":{k}" in sql.text}
            session.execute(sql, used).fetchall()

    return run


class SqlRecorder:
    """Collects the SQL an engine runs while active (for EXPLAIN)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.seen: list[tuple[str, Any]] = []

    def __enter__(self) -> Self:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, many: bool) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.seen.append((statement, parameters))


def explain(session: Any, backend: str, statement: str, parameters: Any) -> list[str]:
    raw = session.connection().connection.driver_connection
    cursor = raw.cursor()
    try:
        if backend == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters or ())
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + statement, parameters or None)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def full_scans(backend: str, plan: list[str], tables: set[str] | None = None) -> list[str]:
    if backend == "sqlite":
        # "SCAN t" reads a whole table (or a whole index); scans of CTEs, subqueries and FTS
        # virtual tables are not table scans
        found = []
        for line in plan:
            if not line.startswith("SCAN ") or "VIRTUAL TABLE" in line:
                continue
            name = line.split()[1]
            if tables is None or name in tables:
                found.append(line)
        return found
    return [line.strip() for line in plan if "Seq Scan" in line]


def latency_cases(backend: str, t: Targets) -> list[dict[str, Any]]:
    """name, target ms, candidate public functions with their keyword arguments, baseline SQL."""
    return [
        {"name": "report claim (data) · typical claim", "target": 50, "baseline": "claim",
         "params": {"claim": t.typical_claim},
         "candidates": [("claimtrack.queries.reports", "claim_report")],
         "kwargs": {"claim_id": t.typical_claim, "claim": _claim(t.typical_claim)}},
        {"name": "report claim (data) · biggest claim", "target": 50, "baseline": "claim",
         "params": {"claim": t.big_claim},
         "candidates": [("claimtrack.queries.reports", "claim_report")],
         "kwargs": {"claim_id": t.big_claim, "claim": _claim(t.big_claim)},
         "why": "about half is the chain summaries of the claim's hops (one loader for every hop)"},
        {"name": "conflicts --claim · typical claim", "target": 50, "baseline": "conflicts_claim",
         "params": {"claim": t.typical_claim},
         "candidates": [("claimtrack.queries.conflicts", "find_conflicts")],
         "kwargs": {"claim_id": t.typical_claim}},
        {"name": "conflicts --claim · biggest claim", "target": 50, "baseline": "conflicts_claim",
         "params": {"claim": t.big_claim},
         "candidates": [("claimtrack.queries.conflicts", "find_conflicts")],
         "kwargs": {"claim_id": t.big_claim}},
        {"name": "conflicts (global, first page of 50)", "scope": "global", "target": 1000, "baseline": "conflicts_all",
         "params": {}, "candidates": [("claimtrack.queries.conflicts", "find_conflicts")],
         "kwargs": {"limit": 50}},
        {"name": "report outlet (data) · biggest outlet", "target": 300, "baseline": "outlet",
         "params": {"outlet": t.big_outlet},
         "candidates": [("claimtrack.queries.outlet", "outlet_report")],
         "kwargs": {"actor": _actor(t.big_outlet)},
         "why": "one statement lookup and aggregation per hop of the outlet (PostgreSQL also reads "
                "pages its 128 MB shared_buffers cannot hold); per-outlet counts kept at write time would close it"},
        {"name": "conflicts --kind reversal (global, first page of 50)", "scope": "global", "target": 300,
         "baseline": "conflicts_reversal", "params": {},
         "candidates": [("claimtrack.queries.conflicts", "find_conflicts")],
         "kwargs": {"limit": 50, "kinds": ["reversal"]}},
        {"name": "serve /conflicts (global, first page of 100)", "scope": "global", "target": 1000,
         "baseline": "conflicts_all", "params": {},
         "candidates": [("claimtrack.queries.conflicts", "find_conflicts")],
         "kwargs": {"limit": 100}},
        {"name": "chain · document at depth 10", "target": 20, "baseline": "chain",
         "params": {"document": t.deep_document},
         "candidates": [("claimtrack.queries.chains", "document_chain")],
         "kwargs": {"document_id": t.deep_document}},
        {"name": "chain · statement with 10 hops", "target": 20, "baseline": None, "params": {},
         "candidates": [("claimtrack.queries.chains", "statement_chain")],
         "kwargs": {"statement_id": t.deep_statement}},
        {"name": f"search '{t.rare_text}' (a rare name)", "target": 100, "baseline": "search",
         "params": {"q": t.rare_text if backend == "postgresql" else f'"{t.rare_text.lower()}"'},
         "candidates": [("claimtrack.queries.search", "search")],
         "kwargs": {"text": t.rare_text, "query": t.rare_text, "limit": 50}},
        {"name": f"search '{t.search_text}' (common words)", "target": 100, "baseline": "search",
         "params": {"q": t.search_text if backend == "postgresql" else '"police" OR "detained" OR "protest"'},
         "candidates": [("claimtrack.queries.search", "search")],
         "kwargs": {"text": t.search_text, "query": t.search_text, "limit": 50},
         "why": "the full-text index reads each common word's whole posting list to rank the candidates"},
        {"name": "audit (whole database)", "scope": "global", "target": 30_000, "baseline": None, "params": {},
         "candidates": [("claimtrack.checks", "run_audit")],
         "kwargs": {}, "runs": 1},
    ]


def part_latency(args: argparse.Namespace, results: Results, backend: str, plans: bool) -> None:
    from claimtrack.db import Database

    given = getattr(args, f"{backend}_db", None)
    url, source = (given, "given") if given else (existing_database(backend, args, "import"), "imported")
    if url is None:
        url = existing_database(backend, args, "raw")
        source = "raw-loaded (no imported database)"
    if url is None:
        results.skip(f"latency ({backend})", f"no N={args.n:,} database: run --parts import first")
        return
    log(f"latency · {backend} · N={args.n:,} · {source} database")
    database = Database(url, user="bench")
    if backend == "postgresql":
        # a bulk load leaves the planner without statistics until autovacuum gets to it
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute("ANALYZE")
    with database.read() as session:
        targets = find_targets(session)
        log(f"targets: {targets}")
        engine = session.get_bind()
        for case in latency_cases(backend, targets):
            if args.cases and not any(word in case["name"] for word in args.cases.split(",")):
                continue
            fn, where = _find(case["candidates"])
            baseline_ms = None
            if case["baseline"] == "search":
                sql = [SEARCH_SQL[backend]]
            else:
                sql = BASELINE_SQL.get(case["baseline"] or "", [])
            if sql:
                try:
                    baseline_ms = timed(_baseline(session, sql, case["params"]), args.runs)
                except Exception as exc:  # noqa: BLE001 (any failure skips one measurement)
                    session.rollback()
                    results.skip(f"baseline of {case['name']} ({backend})", f"{type(exc).__name__}: {exc}"[:200])
            if fn is None:
                if baseline_ms is not None:
                    results.add(Row("latency", f"{case['name']} — plain SQL only", backend, baseline_ms, "ms",
                                    note="public function not there yet"))
                results.skip(f"{case['name']} ({backend})", where)
                continue
            call = lambda fn=fn, case=case: _call(fn, session, **case["kwargs"])
            try:
                with SqlRecorder(engine) as recorder:
                    call()
                ms = timed(call, case.get("runs", args.runs))
                cpu_ms = LAST_CPU_MS[0]
            except Exception as exc:  # noqa: BLE001 (any failure skips one measurement)
                session.rollback()
                results.skip(f"{case['name']} ({backend})", f"{where} raised {type(exc).__name__}: {exc}"[:300])
                continue
            results.add(Row("latency", case["name"], backend, ms, "ms", baseline_ms,
                            "plain SQL" if baseline_ms is not None else "", f"< {case['target']} ms",
                            ms < case["target"],
                            f"CPU {cpu_ms:.1f} ms; {where}; {len(recorder.seen)} SQL statements", cpu=cpu_ms,
                            why=case.get("why", "")))
            if plans:
                record_plans(results, session, backend, case["name"], recorder.seen, case.get("scope", "object"))


def part_incremental(args: argparse.Namespace, results: Results, backend: str) -> None:
    """Issue 17: after logging one statement into the archive, re-audit what changed (< 1 s).

    The mark is set at the newest event (as a previous `audit --since-last` would leave it), one
    statement is logged through the service `log` uses (an existing speaker and outlet, a new
    document), then the claims the new events touch are derived and audited, in process (the
    CLI's own start-up is the start-up part's figure), and once as `claimtrack audit
    --since-last` in a child process. Writes to the imported database (one statement, one mark).
    """
    url = existing_database(backend, args, "import")
    if url is None:
        results.skip(f"incremental audit ({backend})", f"no imported N={args.n:,} database: run --parts import")
        return
    from sqlalchemy import select, text

    from claimtrack.checks import Scope, run_audit
    from claimtrack.checks.incremental import changed_claims, head_event_id
    from claimtrack.db import Database
    from claimtrack.models import Actor, Claim
    from claimtrack.services.audit_marks import set_audit_mark
    from claimtrack.services.logging import log_statement

    log(f"incremental audit · {backend} · N={args.n:,}")
    database = Database(url, user="bench")
    with database.write() as session:
        mark = head_event_id(session)
        set_audit_mark(session, "bench", mark)
        speaker = session.execute(select(Actor.name).where(Actor.kind == "person").order_by(Actor.id).limit(1)).scalar()
        outlet = session.execute(select(Actor.name).where(Actor.kind == "outlet").order_by(Actor.id).limit(1)).scalar()
        claim = session.execute(select(Claim.text).where(Claim.key == "c20")).scalar()
        stamp = time.strftime("%Y%m%d%H%M%S")
        log_statement(session, speaker=speaker, claim=claim, stance="asserts", outlet=outlet,
                      url=f"https://bench.example/incremental-{stamp}", title="Benchmark: one more statement",
                      published="2024-01-02")
    with database.read() as session:
        session.execute(text("SELECT 1"))
        started, cpu_started = time.perf_counter(), time.process_time()
        claims = changed_claims(session, mark, head_event_id(session))
        problems = run_audit(session, Scope(claim_ids=frozenset(claims))) if claims else []
        ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000
    results.add(Row("audit", "incremental audit after logging 1 statement", backend, ms, "ms",
                    target="< 1000 ms", met=ms < 1000, cpu=cpu_ms,
                    note=f"CPU {cpu_ms:.0f} ms; {len(claims or ())} claim(s) re-checked, {len(problems)} problems; "
                         "in process (derive + audit)"))
    elapsed, _rss, code, tail = run_child([CLAIMTRACK, "--db", url, "--user", "bench", "audit", "--since-last",
                                           "--json"])
    if code in (0, 1):  # 1: problems found
        results.add(Row("audit", "claimtrack audit --since-last (CLI)", backend, elapsed * 1000, "ms",
                        note=f"CPU {run_child.cpu_seconds * 1000:.0f} ms incl. start-up; exit {code}; "  # type: ignore[attr-defined]
                             "the same re-check as a command: start-up, derive, audit, write the mark"))
    else:
        results.skip(f"claimtrack audit --since-last ({backend})", f"exit {code}: {tail.strip()[-200:]}")
    database.dispose()


def part_audit_rules(args: argparse.Namespace, results: Results, backend: str) -> None:
    """Issue 17: the whole audit rule by rule (< 30 s in all), in process on the imported database.

    Each rule runs once, in the audit's order, with the table of hops run_audit shares among them
    (checks.shared), so the rows add up to one run_audit minus acknowledgements and the sort.
    """
    url = (getattr(args, f"{backend}_db", None) or existing_database(backend, args, "import")
           or existing_database(backend, args, "raw"))
    if url is None:
        results.skip(f"audit by rule ({backend})", f"no N={args.n:,} database: run --parts import")
        return
    import gc

    from claimtrack.checks import _SHARED, RULE_NAMES, Scope, _registry
    from claimtrack.db import Database

    log(f"audit by rule · {backend} · N={args.n:,}")
    database = Database(url, user="bench")
    registry = _registry()
    spent: list[tuple[float, str]] = []
    total_ms = total_cpu = 0.0
    count = 0
    collecting = gc.isenabled()
    gc.disable()  # as run_audit does
    try:
        with database.read() as session:
            session.info[_SHARED] = {}
            for name in RULE_NAMES:
                started, cpu_started = time.perf_counter(), time.process_time()
                found = len(registry[name](session, Scope()))
                ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000
                total_ms, total_cpu, count = total_ms + ms, total_cpu + cpu_ms, count + found
                spent.append((cpu_ms, name))
                results.add(Row("audit", f"audit rule {name}", backend, ms, "ms", cpu=cpu_ms,
                                note=f"CPU {cpu_ms:.0f} ms; {found:,} problems"))
            session.info.pop(_SHARED, None)
    finally:
        if collecting:
            gc.enable()
    top = ", ".join(f"{name} {cpu / 1000:.1f} s" for cpu, name in sorted(spent, reverse=True)[:3])
    results.add(Row("audit", "audit, all rules (sum of the rows above)", backend, total_ms, "ms",
                    target="< 30000 ms", met=total_ms < 30_000, cpu=total_cpu,
                    note=f"CPU {total_cpu / 1000:.1f} s; {count:,} problems; the shared hop table is read by the "
                         "first rule that needs it (time-order)",
                    why=f"most CPU: {top}"))
    database.dispose()


def record_plans(results: Results, session: Any, backend: str, name: str, seen: list[tuple[str, Any]],
                 scope: str) -> None:
    tables: set[str] | None = None
    if backend == "sqlite":
        from sqlalchemy import text

        tables = set(session.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        # a query may alias a table ("actors AS actors_1"): SQLite's plan then names the alias
        tables |= {f"{t}_{i}" for t in list(tables) for i in range(1, 6)}
    distinct: dict[str, Any] = {}
    for statement, parameters in seen:
        distinct.setdefault(statement, parameters)
    for statement, parameters in distinct.items():
        try:
            plan = explain(session, backend, statement, parameters)
        except Exception as exc:  # noqa: BLE001 (any failure skips one measurement)
            session.rollback()
            plan = [f"EXPLAIN failed: {type(exc).__name__}: {exc}"]
        scans = full_scans(backend, plan, tables)
        results.plans.append({"query": name, "backend": backend, "scope": scope,
                              "sql": " ".join(statement.split())[:600], "plan": plan, "full_scans": scans})


# ----------------------------------------------------------------------------- startup


def wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """(median wall ms, last exit code, median CPU ms) of `runs` runs after one warm-up.

    CPU time (user + system, from os.wait4) is what the wall time would be on an idle machine
    for a CPU-bound start-up: on a shared machine it is the steadier of the two.
    """
    samples, cpu = [], []
    code = 0
    for i in range(runs + 1):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        if i == 0:
            continue  # the warm-up fills the page cache
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
        code = os.waitstatus_to_exitcode(status)
    return statistics.median(samples), code, statistics.median(cpu)


def demo_database(args: argparse.Namespace) -> str | None:
    """A demo-sized database: `claimtrack demo` if it can build one, else the packaged demo file."""
    path = Path(args.workdir) / "demo.db"
    if path.exists():
        return str(path)
    for command in ([CLAIMTRACK, "demo", "--db", str(path), "--no-tour"],
                    [CLAIMTRACK, "--db", str(path), "demo"]):
        done = subprocess.run(check=False, args=command, capture_output=True, text=True, input="")
        if done.returncode == 0 and path.exists():
            return str(path)
    demo_file = ROOT / "claimtrack" / "data" / "demo.jsonl"
    if demo_file.exists() and importer_available() is None:
        path.unlink(missing_ok=True)
        done = subprocess.run(check=False, args=[CLAIMTRACK, "--db", str(path), "import", str(demo_file), "--format", "jsonl"],
                              capture_output=True, text=True)
        if done.returncode == 0:
            return str(path)
    return None


def postgresql_demo(args: argparse.Namespace) -> str:
    """The demo's records in a fresh PostgreSQL database (what `claimtrack demo` loads)."""
    from claimtrack.db import Database
    from claimtrack.demo import DEMO_USER, demo_data_path
    from claimtrack.formats import import_native

    url = fresh_postgresql(args.pg_url, "ct_bench_startup_demo")
    database = Database(url, user=DEMO_USER)
    try:
        with database.write() as session, demo_data_path().open("rb") as stream:
            import_native(session, stream)
    finally:
        database.dispose()
    return url


def part_startup(args: argparse.Namespace, results: Results, backends: list[str]) -> None:
    """Start-up ratios and the shell's latency on each backend's demo database: bench/startup.py
    (targets from issue #17)."""
    import startup

    log("startup")
    demos = {}
    sqlite_demo = demo_database(args)
    if sqlite_demo is not None:
        demos["sqlite"] = sqlite_demo
    if "postgresql" in backends:
        try:
            demos["postgresql"] = postgresql_demo(args)
        except Exception as exc:  # noqa: BLE001 (no PostgreSQL: the SQLite rows still run)
            results.skip("start-up on PostgreSQL", f"no demo database on {args.pg_url}: {exc}")
    startup.part_startup(args, results, Row, CLAIMTRACK, demos)


def part_cli_large(args: argparse.Namespace, results: Results, backend: str) -> None:
    """CLI wall time of a couple of read commands on the N-statement database."""
    url = existing_database(backend, args, "import") or existing_database(backend, args, "raw")
    if url is None:
        return
    log(f"cli wall time · {backend} · N={args.n:,}")
    runs = max(3, args.runs // 2)
    for label, command in (("stats --json", ["stats", "--json"]),
                           ("conflicts --claim c20 --json", ["conflicts", "--claim", "c20", "--json"]),
                           ("report claim c20 --json", ["report", "claim", "c20", "--json"])):
        ms, code, cpu = wall([CLAIMTRACK, "--db", url, *command], runs)
        if code == 0:
            results.add(Row("cli", f"claimtrack {label} (N db)", backend, ms, "ms",
                            note=f"wall, incl. start-up; CPU {cpu:.0f} ms"))
        else:
            results.skip(f"claimtrack {label} on N db ({backend})", f"exit {code}")


# ----------------------------------------------------------------------------- output


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "stmt/s":
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


#: width of the `what` column (a start-up row: "claimtrack report claim 1 --json — cold (own process)")
WHAT = 56


def _format_row(row: Row) -> str:
    ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
    met = row.verdict()
    return (f"{row.part:8} {row.backend:10} {row.what[:WHAT]:{WHAT}} {_fmt(row.value, row.unit):>10} {row.unit:6} "
            f"{_fmt(row.baseline, row.unit):>10} {ratio:>7} {row.target:>16} {met:6} {_load(row)}{row.note}")


def _load(row: Row) -> str:
    return f"[load {row.load:.1f}] " if row.load is not None else ""


def markdown(args: argparse.Namespace, info: dict[str, Any], results: Results) -> str:
    """The results as a Markdown table, for docs/performance.md."""
    load = info.get("load_avg")
    lines = [f"N = {args.n:,}, seed {args.seed}, finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"load average at the start {load[0]:.1f}" if load else f"N = {args.n:,}", "",
             "| part | backend | what | value | baseline | ratio | target | | load | note |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results.rows:
        value = f"{_fmt(r.value, r.unit)} {r.unit}"
        baseline = f"{_fmt(r.baseline, r.unit)} {r.unit}" if r.baseline else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        met = r.verdict().replace("MISSED", "**missed**")
        note = r.note.replace("|", "/")
        load_text = f"{r.load:.1f}" if r.load is not None else ""
        lines.append(f"| {r.part} | {r.backend} | {r.what} | {value} | {baseline} | {ratio} | {r.target} | {met} "
                     f"| {load_text} | {note} |")
    for line in results.skipped:
        lines.append(f"\nskipped: {line}")
    return "\n".join(lines) + "\n"


def target_summary(results: Results) -> list[str]:
    """Every target of the run, one line each: how many rows meet it, and the worst miss."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for row in results.rows:
        if row.met is not None:
            kind = row.what.rsplit(" — ", 1)[1] if " — " in row.what else ""
            groups.setdefault((row.part, row.target, kind), []).append(row)
    lines = ["targets (issue #17): rows meeting each, and the worst miss with why"]
    for (part, target, kind), rows in groups.items():
        missed = [r for r in rows if not r.met]
        line = f"  {part:8} {target:>10} {kind[:28]:28} {len(rows) - len(missed)}/{len(rows)} met"
        if missed:
            worst = max(missed, key=lambda r: (r.ratio or 0) if r.target.rstrip().endswith("x") else (r.value or 0))
            line += f"; worst: [{worst.backend}] {worst.what.split(' — ')[0][:40]}: {worst.verdict()}"
        lines.append(line)
    return lines


def machine() -> dict[str, Any]:
    import sqlite3

    info: dict[str, Any] = {
        "nproc": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }
    try:
        with open("/proc/meminfo") as handle:
            info["memory_gb"] = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
        info["load_avg"] = os.getloadavg()
    except OSError:
        pass
    try:
        import psycopg

        with psycopg.connect(PG_DEFAULT, connect_timeout=3) as connection:
            info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 (unreachable server or missing table: no database)
        info["postgresql"] = "unreachable"
    import sqlalchemy

    info["sqlalchemy"] = sqlalchemy.__version__
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="claimtrack benchmark (see bench/README.md)")
    parser.add_argument("-n", type=int, default=100_000, help="statements in the synthetic archive")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma list: sqlite,postgresql")
    parser.add_argument("--parts", default="import,latency,plans,startup,cli,incremental,audit",
                        help="comma list: import,latency,plans,startup,cli,incremental,audit (the audit rule by rule)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per latency figure (median)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--actors", type=int, default=generate.DEFAULT_ACTORS)
    parser.add_argument("--workdir", default="/tmp/claimtrack-bench", help="datasets and SQLite files")
    parser.add_argument("--pg-url", default=os.environ.get("CLAIMTRACK_BENCH_POSTGRES_URL", PG_DEFAULT),
                        help="a PostgreSQL URL whose role may CREATE DATABASE")
    parser.add_argument("--sqlite-db", help="latency, audit: measure this SQLite URL instead of the imported database")
    parser.add_argument("--postgresql-db", help="latency, audit: measure this PostgreSQL URL instead of the imported database")
    parser.add_argument("--cases", default="", help="latency: only the cases whose name contains one of "
                                                    "these comma-separated words ('outlet,search')")
    parser.add_argument("--json", dest="json_out", help="also write the results (and plans) as JSON here")
    parser.add_argument("--markdown", dest="markdown_out", help="also write the results table as Markdown here")
    args = parser.parse_args(argv)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    parts = set(args.parts.split(","))
    backends = [b for b in args.backends.split(",") if b]

    results = Results()
    info = machine()
    log(f"machine: {info}")
    for backend in backends:
        if backend == "postgresql" and info.get("postgresql") == "unreachable":
            results.skip("postgresql", f"cannot reach {args.pg_url}")
            continue
        if "import" in parts:
            part_import(args, results, backend)
        if "latency" in parts or "plans" in parts:
            part_latency(args, results, backend, plans="plans" in parts)
        if "cli" in parts:
            part_cli_large(args, results, backend)
        if "audit" in parts:
            part_audit_rules(args, results, backend)
        if "incremental" in parts:
            part_incremental(args, results, backend)
    if "startup" in parts:
        part_startup(args, results, [b for b in backends if b != "postgresql" or info.get("postgresql") != "unreachable"])

    print()
    print(f"claimtrack benchmark · N={args.n:,} · seed {args.seed} · {info['nproc']} cores · "
          f"Python {info['python']} · SQLite {info['sqlite']} · PostgreSQL {info.get('postgresql')}")
    print(f"{'part':8} {'backend':10} {'what':{WHAT}} {'value':>10} {'unit':6} {'baseline':>10} {'ratio':>7} "
          f"{'target':>16} {'':6} note")
    for row in results.rows:
        print(_format_row(row))
    scans = [p for p in results.plans if p["full_scans"] and p["scope"] == "object"]
    whole = Counter((p["backend"], p["query"]) for p in results.plans if p["full_scans"] and p["scope"] == "global")
    print(f"\nquery plans: {len(results.plans)} statements explained; whole-database queries scan by nature:")
    for (backend, query), count in sorted(whole.items()):
        print(f"  [{backend}] {query}: {count} statements with a full scan")
    print(f"full scans in single-object queries ({len(scans)}; each shape listed once):")
    shown: set[tuple[str, str]] = set()
    for p in scans:
        shape = (p["backend"], re.sub(r"IN \([^)]*\)", "IN (…)", p["sql"])[:160])
        if shape in shown:
            continue
        shown.add(shape)
        print(f"  [{p['backend']}] {p['query']}: {'; '.join(p['full_scans'])}\n      {shape[1]}")
    for line in results.skipped:
        print(f"skipped: {line}")
    print()
    for line in target_summary(results):
        print(line)
    if args.markdown_out:
        Path(args.markdown_out).write_text(markdown(args, info, results))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"n": args.n, "seed": args.seed, "machine": info,
             "rows": [asdict(r) | {"ratio": r.ratio} for r in results.rows],
             "plans": results.plans, "skipped": results.skipped}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
