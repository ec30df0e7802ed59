"""A command server's worker: the child forked for one command (claimtrack.cli.daemon).

It takes the client's state (working directory, environment, umask, argv, stdio as text
streams with the client's encodings), restores the signal handlers a fresh Python process
starts with, and runs the command tree exactly as `claimtrack.cli.app:main` would, ending like
Python does (the exit code; an uncaught Ctrl-C kills it with SIGINT)."""

from __future__ import annotations

import io
import os
import signal
import sys
import time
from typing import Any


def default_signals() -> None:
    """What a fresh Python process starts with."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGWINCH", "SIGCHLD", "SIGUSR1", "SIGUSR2", "SIGTSTP",
                 "SIGTTIN", "SIGTTOU", "SIGCONT"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    for name in ("SIGPIPE", "SIGXFSZ"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, signal.SIG_IGN)


def text_stream(fd: int, info: list[Any], name: str) -> io.TextIOWrapper:
    """A text stream on fd as Python makes sys.stdin/stdout/stderr: the client's encoding and
    error handler, line-buffered on a terminal (stderr always), "\\n" line ends."""
    encoding, errors, tty = str(info[0]), str(info[1]), bool(info[2])
    reading = fd == 0
    raw = io.FileIO(fd, "rb" if reading else "wb", closefd=False)
    raw.name = name
    buffer: Any = io.BufferedReader(raw) if reading else io.BufferedWriter(raw)
    return io.TextIOWrapper(buffer, encoding=encoding, errors=errors, newline="\n",
                            line_buffering=not reading and (tty or fd == 2))


def take_client_state(request: dict[str, Any]) -> None:
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    time.tzset()
    os.umask(int(request["umask"]))
    sys.argv = [str(request["argv0"]), *map(str, request["argv"])]
    streams = [text_stream(fd, info, name)
               for fd, info, name in zip((0, 1, 2), request["stdio"], ("<stdin>", "<stdout>", "<stderr>"))]
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams  # type: ignore[misc]


def run_command(group: Any, argv: list[str], prog: str) -> int | None:
    """Run the command as the console script would in a fresh process, and end like Python
    does: the exit code (None: the process killed itself with the signal that ended it)."""
    import atexit

    import typer.main

    from claimtrack.cli.app import app

    build = typer.main.get_command  # the command tree was built once, in the server: reuse it
    typer.main.get_command = lambda typer_app: group if typer_app is app else build(typer_app)  # type: ignore[assignment]
    code: int | None = 0
    interrupted = False
    try:
        app(args=argv, prog_name=prog)
    except SystemExit as exc:
        code = exit_code(exc.code)
    except KeyboardInterrupt:
        sys.excepthook(*sys.exc_info())
        interrupted = True
    except BaseException:  # noqa: BLE001 - an uncaught error, shown as Python would show it
        sys.excepthook(*sys.exc_info())
        code = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        code = 120  # what Python exits with when stdout cannot be flushed at exit
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if interrupted:
        release_client_files()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return None
    return code


def exit_code(value: object) -> int:
    """sys.exit(value) as Python's own exit sees it."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    try:
        sys.stderr.write(f"{value}\n")
    except (OSError, ValueError):
        pass
    return 1


def release_client_files() -> None:
    """Let go of the client's stdin/stdout/stderr before it is told to exit."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
    except OSError:
        pass
