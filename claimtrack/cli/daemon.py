"""The command server: claimtrack imported once, a forked worker per command (`chg`'s design).

Started in the background by claimtrack.cli.launch (`python -m claimtrack.cli.daemon KEY`), it
imports what commands import (the command tree with every command module, SQLAlchemy's ORM with
the models' mappers configured, Rich and the report renderers, the formats and checks), but
opens no database and creates no console: all of that happens in the worker, per command, from
the client's environment. It listens on a Unix socket in a 0700 directory of the user's, named
after the key of the code it preloaded (launch.key()), and accepts only the same user.

Per command it forks; the worker puts the client's stdin/stdout/stderr on 0/1/2, makes new text
streams with the client's encodings, takes the client's working directory, environment and
umask, restores the default signal handlers and runs the command tree exactly as
`claimtrack.cli.app:main` does (same error boundary, same exit codes), then reports the exit
code and ends. The server reaps its workers (a worker killed by a signal is reported as such).

It exits after CLAIMTRACK_SERVER_IDLE seconds without a command (default 600), when its key no
longer matches the installed code (an upgrade, an edit in a checkout), when its socket is
removed or replaced, on `claimtrack server stop`, and on SIGTERM. It must stay single-threaded:
it forks.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import struct
import sys
import time
from typing import Any

from claimtrack.cli import launch, runfolder, worker

CHECK_SECONDS = 20.0
REQUEST_TIMEOUT = 5.0
MAX_REQUEST = 64 << 20
LOG_LIMIT = 256 << 10
#: modules never imported ahead: they run something at import, or are for commands that stay
#: in the client's process (`serve`: the web view)
NOT_PRELOADED = ("claimtrack.__main__", "claimtrack.migrations", "claimtrack.web", "claimtrack.cli.daemon",
                 "claimtrack.cli.serve")


def peer_uid(conn: socket.socket) -> int | None:
    """The uid of the process at the other end (SO_PEERCRED; LOCAL_PEERCRED on BSD/macOS)."""
    try:
        if hasattr(socket, "SO_PEERCRED"):
            size = struct.calcsize("3i")
            _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, size))
            return int(uid)
        data = conn.getsockopt(0, 1, struct.calcsize("IIh2x16I"))  # SOL_LOCAL, LOCAL_PEERCRED: struct xucred
        _version, uid = struct.unpack_from("II", data)
        return int(uid)
    except (OSError, struct.error):
        return None


def read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """One request: a 4-byte length (with the client's descriptors attached), then JSON."""
    flags = getattr(socket, "MSG_CMSG_CLOEXEC", 0)
    header, fds, _flags, _addr = socket.recv_fds(conn, 4, 3, flags)
    try:
        while len(header) < 4:
            more = conn.recv(4 - len(header))
            if not more:
                raise ValueError("short request")
            header += more
        (size,) = struct.unpack("!I", header)
        if size > MAX_REQUEST:
            raise ValueError("request too large")
        chunks, got = [], 0
        while got < size:
            chunk = conn.recv(min(size - got, 1 << 20))
            if not chunk:
                raise ValueError("short request")
            chunks.append(chunk)
            got += len(chunk)
        request = json.loads(b"".join(chunks))
        if not isinstance(request, dict):
            raise TypeError("not a request")
        return request, fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _our_modules(package: Any, prefix: str) -> list[str]:
    """claimtrack's modules, without entering (importing) the packages never preloaded."""
    import pkgutil

    names = []
    for info in pkgutil.iter_modules(package.__path__, prefix):
        if info.name.startswith(NOT_PRELOADED):
            continue
        names.append(info.name)
        if info.ispkg:
            import importlib

            try:
                names.extend(_our_modules(importlib.import_module(info.name), info.name + "."))
            except ImportError:  # an optional dependency missing: its command says so itself
                pass
    return names


def preload() -> Any:
    """Import what the commands import, build the command tree once; return its root group."""
    import importlib

    import typer

    import claimtrack
    from claimtrack.cli.app import app

    group = typer.main.get_command(app)
    group.commands.load_all()  # type: ignore[attr-defined]
    for name in _our_modules(claimtrack, "claimtrack."):
        with contextlib.suppress(ImportError):  # an optional dependency: its command says so itself
            importlib.import_module(name)
    import sqlalchemy.orm

    sqlalchemy.orm.configure_mappers()
    for name in ("sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.postgresql.psycopg", "psycopg",
                 "rich.console", "rich.table", "rich.text", "rich.panel", "rich.tree", "rich.markup"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    return group


class Server:
    def __init__(self, folder: str, key: str, idle: float) -> None:
        self.folder, self.key, self.idle = folder, key, idle
        self.path = launch.socket_path(folder, key)
        self.children: dict[int, socket.socket] = {}
        self.started = time.time()
        self.last = self.checked = time.monotonic()
        self.served = 0
        self.worker_cpu = 0.0  # CPU seconds of the workers that ended (bench/startup.py adds it up)
        self.preload_seconds = 0.0
        self.stopping = False
        self.group: Any = None
        self.lock_fd = -1
        self.listener: socket.socket | None = None
        self.inode: int | None = None
        self.wake_r, self.wake_w = socket.socketpair()

    # ------------------------------------------------------------------ life

    def log(self, message: str) -> None:
        path = os.path.join(self.folder, "server.log")
        try:
            if os.path.exists(path) and os.path.getsize(path) > LOG_LIMIT:
                os.replace(path, path + ".1")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as log:
                log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {os.getpid()} {self.key}: {message}\n")
        except OSError:
            pass

    def take_lock(self) -> bool:
        fd = runfolder.take(f"{self.path}.lock")
        if fd is None:
            return False
        self.lock_fd = fd
        return True

    def bind(self) -> None:
        """Listen on a new socket, then rename it into place: a client never meets a half-made
        server, and a stale socket of a dead one is replaced."""
        temporary = f"{self.path}.{os.getpid()}"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        listener.bind(temporary)
        os.chmod(temporary, 0o600)
        listener.listen(64)
        os.replace(temporary, self.path)
        self.inode = os.stat(self.path).st_ino
        self.listener = listener

    def run(self) -> None:
        started = time.perf_counter()
        self.group = preload()
        self.preload_seconds = time.perf_counter() - started
        import gc

        gc.collect()
        gc.freeze()  # the preloaded objects stay shared with the workers (copy-on-write)
        for sock in (self.wake_r, self.wake_w):
            sock.setblocking(False)
        signal.set_wakeup_fd(self.wake_w.fileno())
        signal.signal(signal.SIGCHLD, lambda *_: None)
        for name in ("SIGTERM", "SIGINT", "SIGHUP"):
            signal.signal(getattr(signal, name), self._stop_signal)
        self.bind()
        self.log(f"serving on {self.path} (preloaded in {self.preload_seconds:.2f} s)")
        removed = runfolder.sweep(self.folder, self.path)
        if removed:
            self.log(f"removed what stopped servers left: {', '.join(removed)}")
        try:
            self.loop()
        finally:
            self.shutdown()

    def _stop_signal(self, signum: int, _frame: Any) -> None:
        self.stopping = True

    def loop(self) -> None:
        assert self.listener is not None
        while not self.stopping:
            try:
                readable = select.select([self.listener, self.wake_r], [], [], CHECK_SECONDS)[0]
            except InterruptedError:
                readable = []
            if self.wake_r in readable:
                try:
                    while self.wake_r.recv(512):
                        pass
                except BlockingIOError:
                    pass
            self.reap()
            if self.listener in readable:
                self.accept()
            now = time.monotonic()
            if now - self.checked >= CHECK_SECONDS:
                self.checked = now
                reason = self.stale()
                if reason:
                    self.log(f"stopping: {reason}")
                    return
            if not self.children and now - self.last >= self.idle:
                self.log(f"stopping: idle for {self.idle:g} s")
                return

    def stale(self) -> str | None:
        try:
            if os.stat(self.path).st_ino != self.inode:
                return "its socket was replaced"
        except OSError:
            return "its socket was removed"
        if launch.key() != self.key:
            return "the installed code changed (another key)"
        return None

    def shutdown(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None
            try:
                if os.stat(self.path).st_ino == self.inode:
                    os.unlink(self.path)
            except OSError:
                pass
        while self.children:  # running commands end as they would have; report them
            try:
                pid, status, usage = os.wait4(-1, 0)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            self._reported(pid, status, usage)
        if self.lock_fd >= 0:
            runfolder.give_back(f"{self.path}.lock", self.lock_fd)
            self.lock_fd = -1

    def reap(self) -> None:
        while self.children:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self._reported(pid, status, usage)

    def _reported(self, pid: int, status: int, usage: Any) -> None:
        """Tell the client how its worker ended (it has usually said so itself; the client reads
        the first answer): a worker killed by a signal cannot say it."""
        self.last = time.monotonic()
        self.worker_cpu += usage.ru_utime + usage.ru_stime
        conn = self.children.pop(pid, None)
        if conn is None:
            return
        line = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.waitstatus_to_exitcode(status)}"
        try:
            conn.sendall(f"{line}\n".encode("ascii"))
        except OSError:
            pass
        conn.close()

    # ------------------------------------------------------------------ requests

    def accept(self) -> None:
        assert self.listener is not None
        try:
            conn, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        self.last = time.monotonic()
        conn.settimeout(REQUEST_TIMEOUT)
        fds: list[int] = []
        try:
            if peer_uid(conn) != os.getuid():
                self.log("refused a connection from another user")
                conn.close()
                return
            request, fds = read_request(conn)
            op = request.get("op")
            if op == "run" and len(fds) == 3 and request.get("protocol") == launch.PROTOCOL:
                self.fork_worker(conn, fds, request)
                return
            if op == "status":
                conn.sendall((json.dumps(self.status()) + "\n").encode("utf-8"))
            elif op == "stop":
                self.stopping = True
                conn.sendall(b"ok\n")
            else:
                conn.sendall(b"error unknown request\n")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.log(f"bad request: {exc!r}")
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        conn.close()

    def status(self) -> dict[str, Any]:
        import resource

        own = resource.getrusage(resource.RUSAGE_SELF)
        return {"pid": os.getpid(), "key": self.key, "socket": self.path, "python": sys.executable,
                "worker_cpu": self.worker_cpu, "server_cpu": own.ru_utime + own.ru_stime, "started": self.started, "uptime": time.time() - self.started, "served": self.served,
                "running": len(self.children), "idle_timeout": self.idle,
                "idle_for": time.monotonic() - self.last, "preload_seconds": self.preload_seconds}

    def fork_worker(self, conn: socket.socket, fds: list[int], request: dict[str, Any]) -> None:
        pid = os.fork()
        if pid == 0:
            try:
                self._worker(conn, fds, request)
            finally:
                os._exit(1)  # _worker never returns; this only guards against a bug in it
        self.served += 1
        self.children[pid] = conn
        conn.settimeout(None)

    # ------------------------------------------------------------------ the worker (a child)

    def _worker(self, conn: socket.socket, fds: list[int], request: dict[str, Any]) -> None:
        code: int | None = 1
        try:
            signal.set_wakeup_fd(-1)
            for sock in (self.wake_r, self.wake_w, self.listener, *self.children.values()):
                if sock is not None:
                    sock.close()
            os.close(self.lock_fd)
            worker.default_signals()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            conn.settimeout(None)
            conn.sendall(f"pid {os.getpid()}\n".encode("ascii"))
            worker.take_client_state(request)
            code = worker.run_command(self.group, list(request["argv"]), str(request["prog"]))
        except BaseException as exc:  # noqa: BLE001 - a worker never returns into the server's loop
            try:
                sys.stderr.write(f"claimtrack: the command server could not run the command: {exc!r}\n"
                                 "(set CLAIMTRACK_SERVER=off to run commands without it)\n")
                sys.stderr.flush()
            except BaseException:  # noqa: BLE001, S110 - no stderr left to say it on
                pass
            code = 1
        if code is None:  # killed itself with the signal that ended it (an uncaught Ctrl-C)
            os._exit(1)
        worker.release_client_files()
        try:
            conn.sendall(f"exit {code}\n".encode("ascii"))
        except OSError:
            pass
        os._exit(code & 0xFF)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    folder = launch.runtime_dir()
    if folder is None or not launch.supported():
        return
    key = launch.key()
    if args and args[0] != key:
        return  # this interpreter sees other code than the client that started it
    try:
        idle = float(os.environ.get(launch.ENV_IDLE) or launch.IDLE_SECONDS)
    except ValueError:
        idle = launch.IDLE_SECONDS
    server = Server(folder, key, idle)
    if not server.take_lock():
        return  # another server for this key is starting or running
    os.chdir("/")
    try:
        server.run()
    except Exception as exc:
        server.log(f"failed: {exc!r}")
        raise


if __name__ == "__main__":
    main()
