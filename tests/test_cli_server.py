"""The warm command server (claimtrack.cli.launch + claimtrack.cli.daemon): a command run through
it prints and returns exactly what it does in its own process, on the client's files,
environment and terminal; when anything about the server is wrong, the command runs in-process.

The suite runs with CLAIMTRACK_SERVER=off (tests/conftest.py); these tests turn it on with a
private runtime folder and stop every server they started (none outlives the module).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimtrack.cli import launch

pytestmark = pytest.mark.skipif(not launch.supported(), reason="no fork / Unix sockets with fd passing here: "
                                                                 "commands always run in-process")
CLAIMTRACK = [sys.executable, "-m", "claimtrack"]


class Servers:
    """Runs claimtrack through a server in a private runtime folder, or in-process to compare."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.env = {**os.environ, "CLAIMTRACK_SERVER": "on", "CLAIMTRACK_SERVER_DIR": folder,
                    "CLAIMTRACK_SERVER_IDLE": "120"}

    def run(self, *args: str, server: bool = True, env: dict[str, str] | None = None,
            **kwargs: Any) -> subprocess.CompletedProcess[str]:
        full = {**self.env, **(env or {})}
        if not server:
            full["CLAIMTRACK_SERVER"] = "off"
        return subprocess.run([*CLAIMTRACK, *args], env=full, capture_output=True, text=True, timeout=120,
                              check=False, **kwargs)

    def status(self, *extra: str, env: dict[str, str] | None = None) -> dict[str, Any]:
        result = self.run("server", "status", "--json", *extra, env=env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def live(self) -> list[dict[str, Any]]:
        """Every server answering in the folder (asked from here: no claimtrack process to start)."""
        answers = [launch.ask(os.path.join(self.folder, name), "status") for name in sorted(os.listdir(self.folder))
                   if name.startswith("s-") and "." not in name]
        return [json.loads(answer) for answer in answers if answer]

    def served(self) -> int:
        return sum(info["served"] for info in self.live())

    def start(self, env: dict[str, str] | None = None) -> dict[str, Any]:
        result = self.run("server", "start", env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        return self.status(env=env)["servers"][0]

    def held_locks(self) -> list[str]:
        """Lock files some live server holds (one that is still preloading has no socket yet)."""
        held = []
        for name in os.listdir(self.folder):
            if not name.endswith(".lock"):
                continue
            try:
                fd = os.open(os.path.join(self.folder, name), os.O_RDWR)
            except FileNotFoundError:
                continue  # its server removed it as it ended
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                held.append(name)
            finally:
                os.close(fd)
        return held

    def stop_everything(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            for info in self.status("--all")["servers"]:
                self.run("server", "stop", "--all")
                try:
                    os.kill(info["pid"], 0)
                except ProcessLookupError:
                    continue
            if not self.held_locks():
                return
            if time.monotonic() > deadline:
                pytest.fail(f"a command server did not stop: {self.held_locks()}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    # a short folder: a Unix socket's path is at most ~104 bytes
    folder = tempfile.mkdtemp(prefix="cts-", dir="/tmp" if os.path.isdir("/tmp") else None)
    os.chmod(folder, 0o700)
    runner = Servers(folder)
    try:
        runner.start()
        yield runner
    finally:
        runner.stop_everything()
        shutil.rmtree(folder, ignore_errors=True)


def _same(servers: Servers, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run through the server and in-process: same stdout, stderr and exit code; the server's result."""
    before = servers.served()
    warm = servers.run(*args, **kwargs)
    assert servers.served() == before + 1, "the command did not go through the server"
    cold = servers.run(*args, server=False, **kwargs)
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    return warm


def test_reads_writes_errors_and_help_are_the_same_as_in_process(servers, db_url, snapshot):
    db = ["--db", db_url, "--user", "tester"]
    added = servers.run(*db, "actor", "add", "Leonid Volkov")
    assert (added.returncode, added.stdout) == (0, "Added actor 1: Leonid Volkov\n"), added.stderr
    assert _same(servers, *db, "actor", "show", "Leonid Volkov", "--json").returncode == 0
    assert _same(servers, *db, "stats").returncode == 0
    assert _same(servers, "--help").returncode == 0
    assert _same(servers, "report", "--help").returncode == 0
    usage = _same(servers, *db, "stats", "--limit", "abc")
    assert usage.returncode == 2 and usage.stderr.startswith("Error:")
    before = snapshot()
    bad = _same(servers, *db, "actor", "show", "Leonid Volkow")
    assert bad.returncode == 1 and "did you mean" in bad.stderr
    refused = servers.run(*db, "statement", "add", "--claim-id", "99", "--speaker", "Leonid Volkov", "--stance", "asserts")
    assert refused.returncode == 1 and refused.stderr.startswith("Error:"), refused.stderr
    assert snapshot() == before
    # a write through the server, then read back in-process
    wrote = servers.run(*db, "actor", "add", "Alexei Navalny")
    assert wrote.returncode == 0, wrote.stderr
    names = json.loads(servers.run(*db, "actor", "list", "--json", server=False).stdout)
    assert sorted(a["name"] for a in names) == ["Alexei Navalny", "Leonid Volkov"]


def test_relative_paths_resolve_against_the_clients_folder(servers, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    made = servers.run("--db", "rel.db", "db", "upgrade", cwd=work)
    assert made.returncode == 0, made.stderr
    assert (work / "rel.db").exists()
    assert servers.run("--db", "rel.db", "actor", "add", "Leonid Volkov", cwd=work).returncode == 0
    exported = servers.run("--db", "rel.db", "export", "--output", "out.jsonl", cwd=work)
    assert exported.returncode == 0, exported.stderr
    assert (work / "out.jsonl").exists() and "Leonid Volkov" in (work / "out.jsonl").read_text(encoding="utf-8")
    # umask: a file the command creates has the client's permissions
    exported = servers.run("--db", "rel.db", "export", "--output", "out2.jsonl", cwd=work,
                           preexec_fn=lambda: os.umask(0o077))
    assert exported.returncode == 0, exported.stderr
    assert (work / "out2.jsonl").stat().st_mode & 0o077 == 0


def test_the_clients_environment_reaches_the_command(servers, db_url):
    env = {"CLAIMTRACK_DATABASE_URL": db_url, "CLAIMTRACK_USER": "env-user", "COLUMNS": "50"}
    assert servers.run("actor", "add", "Leonid Volkov", env=env).returncode == 0
    shown = _same(servers, "actor", "show", "1", env=env)
    assert "Leonid Volkov" in shown.stdout
    assert max(len(line) for line in shown.stdout.splitlines()) <= 50
    log = json.loads(servers.run("log", "show", "--json", env=env).stdout)
    assert any(entry.get("user") == "env-user" for entry in log), log


def _pty_log(servers: Servers, db: str, server: bool) -> Any:
    pexpect = pytest.importorskip("pexpect")
    env = {**servers.env, "TERM": "dumb", "COLUMNS": "100"}
    if not server:
        env["CLAIMTRACK_SERVER"] = "off"
    return pexpect.spawn(CLAIMTRACK[0], [*CLAIMTRACK[1:], "--db", db, "--user", "tester", "log", "--speaker",
                                         "Leonid Volkow", "--stance", "asserts", "--claim", "A claim on a terminal",
                                         "--url", "https://example.org/a"],
                         env=env, encoding="utf-8", timeout=60, dimensions=(40, 100))


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_prompt_on_a_terminal_works_through_the_server(servers, db_url):
    assert servers.run("--db", db_url, "actor", "add", "Leonid Volkov").returncode == 0
    before = servers.served()
    child = _pty_log(servers, db_url, server=True)
    try:
        child.expect("did you mean Leonid Volkov")
        child.sendline("y")
        child.expect(r"statement 1\b")
        child.expect(__import__("pexpect").EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert servers.served() == before + 1
    shown = json.loads(servers.run("--db", db_url, "statement", "show", "1", "--json").stdout)
    assert shown["speaker_id"] == 1


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_ctrl_c_in_the_client_ends_the_worker(servers, db_url, snapshot):
    assert servers.run("--db", db_url, "actor", "add", "Leonid Volkov").returncode == 0
    before = snapshot()
    ends = []
    for server in (True, False):
        child = _pty_log(servers, db_url, server=server)
        try:
            child.expect("did you mean Leonid Volkov")
            child.sendintr()
            child.expect(__import__("pexpect").EOF)
        finally:
            child.close()
        ends.append((child.exitstatus, child.signalstatus, "Aborted" in (child.before or "")))
    assert ends[0] == ends[1], ends
    assert snapshot() == before
    deadline = time.monotonic() + 10
    while sum(info["running"] for info in servers.live()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sum(info["running"] for info in servers.live()) == 0, "the worker outlived Ctrl-C"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_another_key_gets_its_own_server_and_a_dead_server_falls_back(servers, db_url):
    """A client whose code differs (here an import-time variable) does not use the running
    server: it runs the command itself and starts a server of its own; a killed server's
    leftover socket makes the client run the command itself, with the right result."""
    [first] = servers.live()
    other = {"TERMINAL_WIDTH": "77"}
    assert servers.run("--db", db_url, "actor", "add", "Leonid Volkov").returncode == 0
    ran = servers.run("--db", db_url, "actor", "show", "1", "--json", env=other)
    assert ran.returncode == 0 and json.loads(ran.stdout)["name"] == "Leonid Volkov"
    assert servers.served() == first["served"] + 1  # the first server saw only the `add`
    deadline = time.monotonic() + 90
    while not (others := [info for info in servers.live() if info["key"] != first["key"]]):
        assert time.monotonic() < deadline, "no server was started for the other key"
        time.sleep(0.1)
    [second] = others
    assert second["pid"] != first["pid"]

    os.kill(second["pid"], signal.SIGKILL)
    while True:
        try:
            os.kill(second["pid"], 0)
        except ProcessLookupError:
            break
        time.sleep(0.02)
    assert os.path.exists(second["socket"])  # left behind: nobody listens on it
    fallback = servers.run("--db", db_url, "actor", "show", "1", "--json", env=other)
    assert fallback.returncode == 0 and json.loads(fallback.stdout)["name"] == "Leonid Volkov"
    deadline = time.monotonic() + 90
    while not (replaced := [info for info in servers.live() if info["key"] == second["key"]]):
        assert time.monotonic() < deadline, "the dead server was not replaced"
        time.sleep(0.1)
    assert replaced[0]["pid"] != second["pid"]
    stopped = servers.run("server", "stop", env=other)
    assert stopped.returncode == 0 and str(replaced[0]["pid"]) in stopped.stdout
    assert [info["key"] for info in servers.live()] == [first["key"]]


def test_servers_leave_no_files_behind_and_remove_what_killed_ones_left():
    """A server that stops removes its socket and its lock file (a checkout makes a new key at
    every edit: each used to leave an empty lock file); a server that starts removes the socket
    and lock file of a killed one (nobody holds its lock) and keeps those of a live one."""
    folder = tempfile.mkdtemp(prefix="ctl-", dir="/tmp" if os.path.isdir("/tmp") else None)
    os.chmod(folder, 0o700)
    runner = Servers(folder)

    def socket_file(name: str) -> None:  # a socket nobody listens on, as a SIGKILL leaves it
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(os.path.join(folder, name))
        sock.close()

    socket_file("s-00000000deadbeef")
    Path(folder, "s-00000000deadbeef.lock").touch()
    Path(folder, "s-000000000000aaaa.lock").touch()
    socket_file("s-00000000c0ffee00")  # its server is preloading: it holds its lock, no socket yet
    holder = os.open(os.path.join(folder, "s-00000000c0ffee00.lock"), os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        own = os.path.basename(runner.start()["socket"])
        names = set(os.listdir(folder))
        assert names & {"s-00000000deadbeef", "s-00000000deadbeef.lock", "s-000000000000aaaa.lock"} == set()
        assert {own, f"{own}.lock", "s-00000000c0ffee00", "s-00000000c0ffee00.lock"} <= names
        assert "s-00000000deadbeef.lock" in Path(folder, "server.log").read_text()
        assert runner.run("server", "stop").returncode == 0
        deadline = time.monotonic() + 60
        while f"{own}.lock" in os.listdir(folder):
            assert time.monotonic() < deadline, "the stopped server left its lock file"
            time.sleep(0.05)
        assert own not in os.listdir(folder)
    finally:
        os.close(holder)
        runner.stop_everything()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_key_follows_the_package_files(tmp_path, monkeypatch):
    package = tmp_path / "claimtrack"
    (package / "cli").mkdir(parents=True)
    (package / "cli" / "app.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(launch, "package_dir", lambda: str(package))
    first = launch.key()
    assert launch.key() == first
    os.utime(package / "cli" / "app.py", ns=(0, 10**18))
    assert launch.key() != first


def test_the_runtime_folder_must_be_private(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    monkeypatch.setenv(launch.ENV_DIR, str(folder))
    assert launch.runtime_dir() is None  # others may enter it: no server there
    os.chmod(folder, 0o700)
    assert launch.runtime_dir() == str(folder)


def test_the_server_checks_who_connects():
    """Another user's connection cannot be made in a test; the check itself is exercised here."""
    from claimtrack.cli.daemon import peer_uid

    one, two = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with one, two:
        assert peer_uid(one) == os.getuid()


@pytest.mark.skip(reason="a connection from another uid needs a second user account; the server refuses "
                         "any peer whose SO_PEERCRED uid is not its own (claimtrack.cli.daemon.Server.accept)")
def test_another_user_is_refused() -> None:
    raise AssertionError


def test_the_off_switch_and_in_process_commands(servers, tmp_path):
    assert launch.command_name(["--db", "x.db", "--debug", "shell"]) == "shell"
    assert launch.command_name(["--user", "stats", "report"]) == "report"
    assert launch.command_name(["--help"]) is None
    for command in ("shell", "serve", "server"):
        assert command in launch.IN_PROCESS
    before = servers.served()
    assert servers.run("--version", server=False).returncode == 0
    status = servers.run("server", "status")
    assert status.returncode == 0 and " served, " in status.stdout, status.stdout
    assert servers.served() == before


LAUNCHER_PROBE = """
import sys
sys.argv = ["claimtrack", *sys.argv[1:]]
from claimtrack.cli import launch
try:
    launch.main()
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "typer", "click", "rich", "pydantic")
               or m == "claimtrack.cli.app")
print(f"CODE {code} HEAVY [{','.join(heavy)}]")
"""


def test_the_launcher_imports_nothing_heavy_when_a_server_answers(servers, db_url):
    result = subprocess.run([sys.executable, "-c", LAUNCHER_PROBE, "--db", db_url, "stats", "--json"],
                            env=servers.env, capture_output=True, text=True, check=False, timeout=120)
    last = result.stdout.strip().splitlines()[-1]
    assert last == "CODE 0 HEAVY []", result.stdout + result.stderr
    assert json.loads(result.stdout[: result.stdout.rindex("CODE")])["actors"] == 0


def test_launcher_falls_back_when_the_folder_is_unusable(tmp_path, db_url):
    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, 0o777)
    env = {**os.environ, "CLAIMTRACK_SERVER": "on", "CLAIMTRACK_SERVER_DIR": str(folder)}
    result = subprocess.run([*CLAIMTRACK, "--db", db_url, "stats", "--json"], env=env, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert os.listdir(folder) == []  # no server, no socket, no lock in a folder others may enter
    assert Path(folder).stat().st_mode & 0o777 == 0o777
