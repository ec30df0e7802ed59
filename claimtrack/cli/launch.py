"""The `claimtrack` console entry point: hand the command to a warm server, else run it here.

A one-shot process that imports SQLAlchemy's ORM spends about twice `sqlite-utils tables` before
any claimtrack code runs (docs/performance.md, "Start-up"). So, as Mercurial's `chg` does, the
command line goes to a long-running server that has imported everything already
(claimtrack.cli.daemon): this module connects to its Unix socket, sends argv, the working
directory, the environment, the umask and its stdio encodings, passes its own stdin, stdout and
stderr (SCM_RIGHTS), forwards the signals a terminal sends to the worker the server forked for
this command, and exits with the worker's exit code. The worker runs the same command tree with
the same error boundary, on the client's files, so what it prints and returns is what running
in-process would.

If there is no server, or anything about it is not as expected, the command runs in this
process exactly as before (`claimtrack.cli.app:main`), and then a server is started in the
background for the next command (unless `CLAIMTRACK_SERVER=off`). Nothing is ever run twice:
the fallback happens only when the server has not started the command.

This module imports only the standard library's cheapest parts (it is what every command pays).
"""

from __future__ import annotations

import os
import sys

#: `off` (or 0/no/false) disables the server: every command runs in its own process, as before.
ENV_SWITCH = "CLAIMTRACK_SERVER"
#: where the server's socket lives (default: $XDG_RUNTIME_DIR/claimtrack, see runtime_dir())
ENV_DIR = "CLAIMTRACK_SERVER_DIR"
#: seconds without a command after which the server exits
ENV_IDLE = "CLAIMTRACK_SERVER_IDLE"
IDLE_SECONDS = 600
#: commands that always run in the client's own process: long-running ones that own the
#: terminal (`shell`, `serve`), and `server` itself (it talks to the server)
IN_PROCESS = frozenset({"shell", "serve", "server"})
#: options that look at the process itself: completion set-up finds the user's shell from the
#: parent process (in a worker that would be the server)
IN_PROCESS_OPTIONS = frozenset({"--install-completion", "--show-completion"})
#: environment variables that libraries read once, at import (Typer, its Rich help, psycopg) and
#: Python reads at start-up: a server preloaded under other values would not behave the same, so
#: they are part of the server's key
IMPORT_TIME_ENV = ("TYPER_USE_RICH", "TERMINAL_WIDTH", "_TYPER_FORCE_DISABLE_TERMINAL", "GITHUB_ACTIONS",
                   "FORCE_COLOR", "PY_COLORS", "PSYCOPG_IMPL", "PYTHONHASHSEED", "PYTHONPATH",
                   "PYTHONWARNINGS", "PYTHONDONTWRITEBYTECODE", "PYTHONSAFEPATH", "PYTHONDEVMODE")
#: the signals a terminal (or `kill`) sends to the foreground command, passed on to the worker
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGWINCH", "SIGQUIT", "SIGUSR1", "SIGUSR2")
#: root options that take a value (to find the command name in argv)
_VALUED = {"--db", "--user"}
PROTOCOL = 1


def package_dir() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def enabled(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    return environ.get(ENV_SWITCH, "").strip().lower() not in ("off", "0", "no", "false")


def supported() -> bool:
    """A server needs fork, Unix sockets, fd passing and a way to learn who is connecting."""
    if os.name != "posix" or not hasattr(os, "fork"):
        return False
    import socket

    return (hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")
            and (hasattr(socket, "SO_PEERCRED") or sys.platform.startswith(("darwin", "freebsd"))))


def command_name(argv: list[str]) -> str | None:
    """The top-level command in `claimtrack [ROOT OPTIONS] COMMAND …` (None: there is none)."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def runtime_dir(create: bool = True) -> str | None:
    """The per-user directory of the server's socket, 0700 and ours, or None (no server then).

    $CLAIMTRACK_SERVER_DIR, else $XDG_RUNTIME_DIR/claimtrack, else /run/user/UID/claimtrack when
    that exists, else the user cache directory (~/.cache/claimtrack/run, ~/Library/Caches/… on
    macOS). platformdirs would say the same, but importing it costs every command 20-odd ms."""
    path = os.environ.get(ENV_DIR)
    if not path:
        base = os.environ.get("XDG_RUNTIME_DIR")
        if not base and os.path.isdir(f"/run/user/{os.getuid()}"):
            base = f"/run/user/{os.getuid()}"
        if base:
            path = os.path.join(base, "claimtrack")
        else:
            home = os.path.expanduser("~")
            cache = (os.path.join(home, "Library", "Caches") if sys.platform == "darwin"
                     else os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"))
            path = os.path.join(cache, "claimtrack", "run")
    try:
        if create:
            os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # someone else's, or others may enter it: do not trust a socket in it
    return path


def key() -> str:
    """What the server's preloaded code depends on, as a short hex string: the claimtrack
    version, the interpreter, UTF-8 mode, sys.path (but its first entry, the script's folder), the encodings, the import-time environment
    variables, every file of the package (name, size, mtime) and the site-packages folders'
    mtimes (an install changes them). An upgrade or an edit in a checkout gives another key, so
    a fresh server, and the old one notices and exits."""
    from claimtrack import __version__

    parts = [f"p{PROTOCOL}", __version__, sys.executable, sys.getfilesystemencoding(),
             f"utf8={sys.flags.utf8_mode}", *sys.path[1:],
             *(f"{name}={os.environ.get(name)}" for name in IMPORT_TIME_ENV)]
    try:
        import _locale

        parts.append(_locale.getencoding())
    except (ImportError, AttributeError):
        pass
    for folder in sys.path[1:]:
        if folder.endswith("-packages"):
            try:
                parts.append(str(os.stat(folder).st_mtime_ns))
            except OSError:
                pass
    stack = [package_dir()]
    while stack:
        try:
            entries = sorted(os.scandir(stack.pop()), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            else:
                try:
                    info = entry.stat()
                except OSError:
                    continue
                parts.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    import binascii

    text = "\0".join(parts).encode("utf-8", "surrogateescape")
    return f"{binascii.crc32(text):08x}{binascii.crc32(text[::-1]):08x}"


def socket_path(folder: str, server_key: str) -> str:
    return os.path.join(folder, f"s-{server_key}")


def program_name() -> str:
    """The program name in usage lines, as click would work it out in this process (the
    server's own `__main__` is another module)."""
    main = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv else "claimtrack"
    package = getattr(main, "__package__", None)
    if not package:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def _stream_info(stream: object) -> list[object] | None:
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):
        return None
    try:
        tty = bool(stream.isatty())  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return None
    return [encoding, getattr(stream, "errors", None) or "strict", tty]


class _Lost(Exception):
    """The server answered and then went away before it started the command: run it here."""


def through_server(path: str, argv: list[str]) -> int | None:
    """Run the command in the server at `path`: its exit code, or None when it did not run
    there (no server, a refusal, an error before the worker started): then run it here."""
    import socket

    streams = [_stream_info(s) for s in (sys.stdin, sys.stdout, sys.stderr)]
    if None in streams:
        return None
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    umask = os.umask(0o022)
    os.umask(umask)
    request = {"op": "run", "protocol": PROTOCOL, "argv": argv, "argv0": sys.argv[0] if sys.argv else "claimtrack",
               "prog": program_name(), "cwd": cwd, "env": dict(os.environ), "umask": umask, "stdio": streams}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    import json
    import signal
    import struct

    worker: list[int] = []
    pending: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        if worker:
            try:
                os.kill(worker[0], signum)
            except OSError:
                pass
        else:
            pending.append(signum)

    def stop(signum: int, frame: object) -> None:
        """Ctrl-Z: stop the worker with us, and wake it when the shell continues us."""
        if worker:
            try:
                os.kill(worker[0], signal.SIGSTOP)  # SIGTSTP would be ignored: it has no terminal
            except OSError:
                pass
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        signal.signal(signal.SIGTSTP, stop)  # continued
        if worker:
            try:
                os.kill(worker[0], signal.SIGCONT)
            except OSError:
                pass

    previous = {}
    for name in FORWARDED:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, forward)
    if hasattr(signal, "SIGTSTP"):
        previous[signal.SIGTSTP] = signal.signal(signal.SIGTSTP, stop)
    try:
        payload = json.dumps(request).encode("ascii")
        socket.send_fds(sock, [struct.pack("!I", len(payload))], [0, 1, 2])
        sock.sendall(payload)
        replies = sock.makefile("rb")
        for line in replies:
            word, _, value = line.decode("ascii", "replace").strip().partition(" ")
            if word == "pid":
                worker.append(int(value))
                for signum in pending:
                    forward(signum, None)
                pending.clear()
            elif word == "exit":
                return int(value)
            elif word == "signal":
                return _die_of(int(value))
            elif not worker:  # refused ("error …"): nothing ran
                return None
        if not worker:
            return None
        sys.stderr.write("claimtrack: the command server ended before the command reported how it ended; "
                         "see `claimtrack server status`, or set CLAIMTRACK_SERVER=off\n")
        return 1
    except (OSError, ValueError) as exc:
        if not worker:
            return None
        sys.stderr.write(f"claimtrack: lost the command server while it ran the command ({exc})\n")
        return 1
    finally:
        sock.close()
        for number, handler in previous.items():
            signal.signal(number, handler)


def ask(path: str, op: str, timeout: float = 5.0) -> str | None:
    """A `status` or `stop` request to the server at `path`: its one-line answer, or None."""
    import json
    import socket
    import struct

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
        payload = json.dumps({"op": op, "protocol": PROTOCOL}).encode("ascii")
        sock.sendall(struct.pack("!I", len(payload)) + payload)
        answer = sock.makefile("rb").readline()
    except OSError:
        return None
    finally:
        sock.close()
    return answer.decode("utf-8", "replace").strip() or None


def _die_of(signum: int) -> int:
    """The worker was killed by `signum`: end the same way, as a shell would see it."""
    import signal

    try:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    except (OSError, ValueError):
        pass
    return 128 + signum


def spawn(path: str, server_key: str) -> None:
    """Start a server for `path` in the background: double fork and setsid, stdio on /dev/null
    and every other inherited descriptor closed (no pipe of the caller stays open), then exec a
    fresh interpreter (this one has run a command). The server holds `path.lock` while it
    lives: when it is taken, one is starting already; of two started at once, one stays."""
    try:
        import fcntl

        try:  # not created here: the server makes it, and removes it when it ends
            lock = os.open(f"{path}.lock", os.O_RDWR)
        except FileNotFoundError:
            pass
        else:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # a server for this key is starting (or running and about to bind)
            finally:
                os.close(lock)
        pid = os.fork()
    except OSError:
        return
    if pid:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        return
    try:  # the child: nothing of the parent's may run here (os._exit, never return)
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        # run from the folder above the package: `-m` then finds this very claimtrack first
        os.chdir(os.path.dirname(package_dir()))
        os.execv(sys.executable, [sys.executable, "-m", "claimtrack.cli.daemon", server_key])
    finally:
        os._exit(127)


def in_process() -> None:
    from claimtrack.cli.app import main as app_main

    app_main()


def main() -> None:
    """Console-script entry point (and `python -m claimtrack`)."""
    argv = sys.argv[1:]
    path = server_key = None
    if enabled() and command_name(argv) not in IN_PROCESS and not IN_PROCESS_OPTIONS & set(argv) and supported():
        folder = runtime_dir()
        if folder is not None:
            server_key = key()
            path = socket_path(folder, server_key)
            code = through_server(path, argv)
            if code is not None:
                sys.exit(code)
    try:
        in_process()
    finally:
        if path is not None and server_key is not None:
            spawn(path, server_key)
