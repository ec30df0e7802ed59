"""Start-up figures for bench/run.py (`--parts startup`), each as a ratio to a baseline measured
in the same run, interleaved run by run so that machine load hits both alike (issue #17):

- `claimtrack --help`            within 6x `python -c pass`
- every read command (demo db)   within 2x `sqlite-utils tables demo.db`
- write commands (demo db copy)  within 2.5x `sqlite-utils tables demo.db`
- inside `claimtrack shell`      `log` and `report claim` under 30 ms (median, in-process)

on the SQLite demo file and on the same records in a PostgreSQL database (bench/run.py makes it
when PostgreSQL is among --backends); the baseline is always `sqlite-utils tables` on the file.
claimtrack's bytecode is written first (compile_bytecode): an installed claimtrack has it.

Every command is measured twice against the same baselines:
- **warm**: the command server is running (claimtrack.cli.daemon, started here in a private
  folder and stopped at the end): what every command but the first costs;
- **cold**: `CLAIMTRACK_SERVER=off`, the command in its own process: what the first command
  costs (it then starts the server in the background: one fork, after its output).

Each process figure is the median wall time and the median CPU time of 9 runs after a warm-up;
the CPU ratio is the steadier one on a shared machine. A warm command's CPU is the client's
(user + system, os.wait4) plus what the server spent on it: its worker's CPU (os.wait4 in the
server) and the server's own (the fork), read from `status` before and after each run. The
floor rows (`import sqlalchemy.orm`, `import claimtrack.models` + mapper configuration, the
launcher alone) say how much of a miss no claimtrack code can remove.

sqlite-utils is only the yardstick: `pip install -e '.[bench]'` (not a dependency of claimtrack).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

RUNS = 9
HELP_TARGET, READ_TARGET, WRITE_TARGET, SHELL_TARGET_MS = 6.0, 2.0, 2.5, 30.0
READS = [
    ["stats", "--json"], ["stats"], ["report", "claim", "1", "--json"], ["report", "claim", "1"],
    ["claim", "show", "1", "--json"], ["conflicts", "--json"], ["search", "Navalny", "--json"],
    ["chain", "1", "--json"], ["audit", "--json"], ["log", "show", "--json"],
]


COLD = {**os.environ, "CLAIMTRACK_SERVER": "off"}


class Server:
    """A command server in a private folder for the warm figures; stopped on exit."""

    def __init__(self, claimtrack: str) -> None:
        import tempfile

        self.claimtrack = claimtrack
        self.folder = tempfile.mkdtemp(prefix="ctb-", dir="/tmp" if os.path.isdir("/tmp") else None)  # a short socket path
        os.chmod(self.folder, 0o700)
        self.env = {**os.environ, "CLAIMTRACK_SERVER": "on", "CLAIMTRACK_SERVER_DIR": self.folder,
                    "CLAIMTRACK_SERVER_IDLE": "1800"}
        self.socket = ""

    def __enter__(self) -> Self:
        import json

        started = subprocess.run([self.claimtrack, "server", "start"], env=self.env, capture_output=True, text=True,
                                 check=False)
        if started.returncode != 0:
            raise RuntimeError(f"claimtrack server start: {started.stdout}{started.stderr}")
        status = subprocess.run([self.claimtrack, "server", "status", "--json"], env=self.env, capture_output=True,
                                text=True, check=True)
        self.socket = json.loads(status.stdout)["servers"][0]["socket"]
        try:
            self.check_served()
        except BaseException:
            self.__exit__()
            raise
        return self

    def check_served(self) -> None:
        """One `claimtrack --version` must go through the server, or every warm figure would be
        a cold one (and the served count would never move)."""
        _before, served = self.spent()
        subprocess.run([self.claimtrack, "--version"], env=self.env, capture_output=True, check=False)
        if self.spent()[1] != served + 1:
            raise NotServed(f"{self.claimtrack} --version ran in its own process, not through the command server: "
                            f"{_entry_point(self.claimtrack)}")

    def __exit__(self, *_exc: object) -> None:
        subprocess.run([self.claimtrack, "server", "stop", "--all"], env=self.env, capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def status(self) -> dict[str, Any]:
        import json

        from claimtrack.cli.launch import ask

        answer = ask(self.socket, "status")
        if answer is None:
            raise RuntimeError("the command server stopped answering during the benchmark")
        return dict(json.loads(answer))

    def spent(self) -> tuple[float, int]:
        """(CPU ms the server and its ended workers have used, commands served), once every
        worker has ended (a worker reports its exit code just before it ends: the client may
        be gone a moment before its worker is reaped)."""
        deadline = time.monotonic() + 30
        while True:
            info = self.status()
            if info["running"] == 0:
                return (info["worker_cpu"] + info["server_cpu"]) * 1000, info["served"]
            if time.monotonic() > deadline:
                raise RuntimeError(f"a command's worker did not end within 30 s ({info['running']} running)")
            time.sleep(0.002)


class NotServed(RuntimeError):
    """A warm run did not go through the command server."""


def _entry_point(script: str) -> str:
    """Why a console script may bypass the server: the entry point it was generated for."""
    try:
        text = Path(script).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"cannot read it ({exc})"
    if "claimtrack.cli.launch" in text:
        return "its console script is the launcher; see the server's log (`claimtrack server status`)"
    return ("its console script does not run claimtrack.cli.launch:main (an install made before the command "
            "server keeps the old script, which runs every command in-process): `pip install -e .` again")


def _once(command: list[str], env: dict[str, str] | None = None,
          server: Server | None = None) -> tuple[float, float, int]:
    before, served = server.spent() if server else (0.0, 0)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                               env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    if server is not None:
        # the client ends only once its worker has reported: by then the server has counted it
        after, now_served = server.spent()
        if now_served != served + 1:
            raise NotServed(f"{' '.join(command)} did not go through the command server "
                            f"({now_served - served} commands served): {_entry_point(command[0])}")
        cpu += after - before
    return wall, cpu, os.waitstatus_to_exitcode(status)


def paired(make: Callable[[int], list[str]], baseline: list[str], runs: int = RUNS, env: dict[str, str] | None = None,
           server: Server | None = None) -> dict[str, Any]:
    """Median wall/CPU of `make(i)` and of `baseline`, run alternately, after one warm-up each."""
    ours: list[tuple[float, float]] = []
    base: list[tuple[float, float]] = []
    codes = set()
    env = server.env if server is not None else env or COLD
    _once(baseline)
    _once(make(-1), env, server)
    for i in range(runs):
        wall, cpu, _ = _once(baseline)
        base.append((wall, cpu))
        wall, cpu, code = _once(make(i), env, server)
        ours.append((wall, cpu))
        codes.add(code)

    def median(rows: list[tuple[float, float]], index: int) -> float:
        return statistics.median(r[index] for r in rows)

    return {"wall": median(ours, 0), "cpu": median(ours, 1), "base_wall": median(base, 0),
            "base_cpu": median(base, 1), "codes": codes}


def _sqlite_utils() -> str | None:
    beside = Path(sys.executable).with_name("sqlite-utils")
    return str(beside) if beside.exists() else shutil.which("sqlite-utils")


def _row(row_type: Any, what: str, backend: str, m: dict[str, Any], baseline_what: str, target: float,
         cold: bool = False, floor: str = "") -> Any:
    wall_ratio, cpu_ratio = m["wall"] / m["base_wall"], m["cpu"] / m["base_cpu"]
    met = wall_ratio <= target and cpu_ratio <= target
    what = f"{what} — {'cold (own process)' if cold else 'warm (server)'}"
    return row_type("startup", what, backend, m["wall"], "ms", m["base_wall"], baseline_what, f"≤ {target:g}x",
                    met, f"CPU {m['cpu']:.0f} ms = {cpu_ratio:.2f}x of {m['base_cpu']:.0f} ms; "
                         f"exit {sorted(m['codes'])}", cpu=cpu_ratio, why=floor if cold else "")


#: what a one-shot command imports before any claimtrack code can run (the floor rows)
FLOORS = {
    "launcher": ("import claimtrack.cli.launch as l; l.key()",
                 "floor: the launcher alone (python + claimtrack.cli.launch + the key)"),
    "orm": ("import sqlalchemy, sqlalchemy.orm", "floor: import sqlalchemy.orm"),
    "models": ("import claimtrack.models, sqlalchemy.orm as o; o.configure_mappers()",
               "floor: models + mapper configuration"),
    "postgresql": ("import sqlalchemy.orm, sqlalchemy.dialects.postgresql.psycopg, psycopg",
                   "floor: import sqlalchemy.orm + psycopg (PostgreSQL)"),
}


def _floors(row_type: Any, results: Any, base: list[str], baseline_what: str) -> dict[str, float]:
    """The floor rows; their CPU ratios by name."""
    ratios = {}
    for name, (code, what) in FLOORS.items():
        m = paired(lambda _i, c=code: [sys.executable, "-c", c], base)
        ratios[name] = m["cpu"] / m["base_cpu"]
        results.add(row_type("startup", what, "-", m["wall"], "ms", m["base_wall"], baseline_what, "",
                             None, f"CPU {m['cpu']:.0f} ms = {ratios[name]:.2f}x of {m['base_cpu']:.0f} ms; "
                                   "the part no claimtrack code can remove", cpu=ratios[name]))
    return ratios


def compile_bytecode() -> None:
    """Write claimtrack's bytecode (__pycache__), as installing a wheel does: with
    PYTHONDONTWRITEBYTECODE set (this machine sets it) a checkout would otherwise compile every
    module it imports on every cold start, which no installed claimtrack does."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "claimtrack"), quiet=1)


def _words() -> str:
    """A few random words: a claim text unlike every other one."""
    import uuid

    letters = uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))
    return " ".join(letters[i:i + 6] for i in range(0, 30, 6))


def shell_latency(db: str, runs: int = 30) -> dict[str, tuple[float, float]]:
    """Median (wall ms, CPU ms) of `log` and `report claim` typed into one in-process shell."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from claimtrack.cli.context import AppContext
    from claimtrack.cli.shell import Shell

    context = AppContext(db_option=db, user="bench", shell=True)
    shell = Shell(context)
    figures = {}
    with contextlib.redirect_stdout(io.StringIO()):
        shell.run_line("use document 1")
        # distinct claims (similar ones would also log "suggested same as" relations each time)
        cases = {"log (current document)": 'log --speaker "Leonid Volkov" --stance asserts '
                                           '--claim "{words}" --quote "{words}" --no-interactive',
                 "report claim 1 --json": "report claim 1 --json",
                 "report claim 1 (Rich)": "report claim 1"}
        for label, line in cases.items():
            samples = []
            for i in range(-3, runs):  # three warm-ups
                started, cpu = time.perf_counter(), time.process_time()
                code = shell.run_line(line.format(words=_words()))
                if i >= 0:
                    samples.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
                if code != 0:
                    raise RuntimeError(f"shell: {line!r} exited {code}")
            figures[label] = (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))
    context.close()
    return figures


def part_startup(args: Any, results: Any, row_type: Any, claimtrack: str, demos: dict[str, str]) -> None:
    """Every row on each demo database in `demos` (backend -> URL or path; the baseline is always
    `sqlite-utils tables` on the SQLite demo file)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    compile_bytecode()
    try:
        server = Server(claimtrack).__enter__()
    except NotServed as exc:
        results.skip("warm start-up (command server)", str(exc))
        _measure(args, results, row_type, claimtrack, demos, None)
        return
    try:
        _measure(args, results, row_type, claimtrack, demos, server)
    finally:
        server.__exit__()


def _writes(claimtrack: str, db: str) -> dict[str, Callable[[int], list[str]]]:
    return {
        "log (new claim, existing speaker)": lambda i: [
            claimtrack, "--db", db, "log", "--speaker", "Leonid Volkov", "--stance", "asserts",
            "--claim", _words(), "--url", "https://example.org/bench", "--no-interactive"],
        "actor add": lambda i: [claimtrack, "--db", db, "actor", "add", _words().title()],
        "verdict add": lambda i: [claimtrack, "--db", db, "verdict", "add", "1", "--label", "misleading",
                                  "--url", f"https://example.org/check/{time.time_ns()}"],
    }


def _measure(args: Any, results: Any, row_type: Any, claimtrack: str, demos: dict[str, str],
             server: Server | None) -> None:
    """Every row warm (through `server`) and cold; cold only when there is no server."""
    python = [sys.executable, "-c", "pass"]
    modes = (False, True) if server is not None else (True,)
    for cold in modes:
        m = paired(lambda _i: [claimtrack, "--help"], python, server=None if cold else server)
        results.add(_row(row_type, "claimtrack --help", "-", m, "python -c pass", HELP_TARGET, cold))
    if "sqlite" not in demos:
        results.skip("start-up on the demo database", "no SQLite demo database could be built (the baseline's file)")
        return
    tool = _sqlite_utils()
    if tool is None:
        results.skip("start-up ratios to sqlite-utils", "sqlite-utils is not installed (pip install -e '.[bench]')")
        return
    baseline = [tool, "tables", demos["sqlite"]]
    base_what = "sqlite-utils tables"
    floors = _floors(row_type, results, baseline, base_what)
    for backend, demo in demos.items():
        floor = floors["postgresql" if backend == "postgresql" else "orm"]
        why = (f"a command in its own process imports SQLAlchemy's ORM{' and psycopg' * (backend == 'postgresql')}: "
               f"{floor:.2f}x the baseline alone, {floors['models']:.2f}x with the models (floor rows)")
        for command in READS:
            for cold in modes:
                m = paired(lambda _i, c=command, d=demo: [claimtrack, "--db", d, *c], baseline,
                           server=None if cold else server)
                results.add(_row(row_type, f"claimtrack {' '.join(command)}", backend, m, base_what, READ_TARGET, cold,
                                 why))
        work = demo
        if backend == "sqlite":
            work = str(Path(args.workdir) / "startup-writes.db")
            shutil.copyfile(demo, work)
        for label, make in _writes(claimtrack, work).items():
            for cold in modes:
                m = paired(make, baseline, server=None if cold else server)
                results.add(_row(row_type, f"claimtrack {label}", backend, m, base_what, WRITE_TARGET, cold, why))
        if backend == "sqlite":
            shutil.copyfile(demo, work)
        for label, (wall, cpu) in shell_latency(work).items():
            # the target is on the demo database (SQLite); PostgreSQL is shown beside it
            demo_target = backend == "sqlite"
            results.add(row_type("startup", f"inside claimtrack shell: {label}", backend, wall, "ms", None, "",
                                 f"< {SHELL_TARGET_MS:g} ms" if demo_target else "",
                                 wall < SHELL_TARGET_MS if demo_target else None,
                                 f"median of 30 in one process; CPU {cpu:.1f} ms"
                                 + ("" if demo_target else " (client only; for comparison: the target is on the "
                                                           "SQLite demo)"), cpu=cpu))
