"""`claimtrack server status|start|stop`: the background command server that makes commands
start fast (claimtrack.cli.launch and claimtrack.cli.daemon; docs/performance.md, "Start-up")."""

from __future__ import annotations

import json
import os
import time
from typing import Annotated, Any

import typer

server_app = typer.Typer(
    help="The background command server: claimtrack loaded once, so that each command starts at "
         "once. It starts by itself after a command (unless CLAIMTRACK_SERVER=off) and stops after "
         "10 minutes without one.",
    no_args_is_help=True)

AllOption = Annotated[bool, typer.Option("--all", help="Every claimtrack server of yours (other "
                                                       "installations and stale versions too).")]


def _here() -> tuple[str | None, str]:
    """(the runtime folder or None, this installation's socket path)."""
    from claimtrack.cli import launch

    folder = launch.runtime_dir(create=False)
    return folder, launch.socket_path(folder, launch.key()) if folder else ""


def _sockets(folder: str | None, every: bool, own: str) -> list[str]:
    if folder is None:
        return []
    if not every:
        return [own] if os.path.exists(own) else []
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.startswith("s-") and "." not in name)


def _status(path: str) -> dict[str, Any] | None:
    from claimtrack.cli import launch

    answer = launch.ask(path, "status")
    try:
        return json.loads(answer) if answer else None
    except ValueError:
        return None


def _why_off() -> str | None:
    from claimtrack.cli import launch

    if not launch.supported():
        return "this system has no Unix sockets with descriptor passing or no fork: commands always run in their own process"
    if not launch.enabled():
        return f"{launch.ENV_SWITCH}=off: commands run in their own process and start no server"
    if launch.runtime_dir() is None:
        return "no private runtime folder (it must be yours and closed to others, mode 0700)"
    return None


@server_app.command("status")
def status(
    every: AllOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the servers as JSON.")] = False,
) -> None:
    """Show the command server of this installation (pid, uptime, commands served, socket)."""
    from claimtrack.cli.output import emit_json

    folder, own = _here()
    servers = [{**info, "current": path == own} for path in _sockets(folder, every, own)
               if (info := _status(path)) is not None]
    note = _why_off()
    if as_json:
        emit_json({"running": bool(servers), "servers": servers, "note": note})
        return
    if note:
        print(f"Note: {note}.")
    if not servers:
        print("No command server is running" + ("." if every else " for this installation.")
              + " The next claimtrack command starts one." * (note is None))
        return
    for info in servers:
        mark = "" if info["current"] else " (another installation or version)"
        served = f"{info['served']} command{'s' * (info['served'] != 1)}"
        print(f"Server {info['pid']}{mark}: up {info['uptime']:.0f} s, {served} served, "
              f"{info['running']} running, idle {info['idle_for']:.0f} of {info['idle_timeout']:.0f} s; "
              f"preloaded in {info['preload_seconds']:.2f} s; socket {info['socket']}")


@server_app.command("start")
def start(
    wait: Annotated[float, typer.Option("--wait", min=0, help="Seconds to wait for it to answer.")] = 60.0,
) -> None:
    """Start the command server now (commands start one by themselves after running)."""
    from claimtrack.cli import launch

    note = _why_off()
    if note and launch.supported() and launch.runtime_dir() is not None:
        print(f"Note: {note}; starting one anyway (`claimtrack server stop` stops it).")
    elif note:
        raise typer.BadParameter(note)
    folder = launch.runtime_dir()
    assert folder is not None
    key = launch.key()
    path = launch.socket_path(folder, key)
    if _status(path) is None:
        launch.spawn(path, key)
    deadline = time.monotonic() + wait
    while (info := _status(path)) is None:
        if time.monotonic() > deadline:
            from claimtrack.errors import ClaimtrackError

            raise ClaimtrackError(f"the command server did not answer within {wait:g} s "
                                  f"(see {os.path.join(folder, 'server.log')})")
        time.sleep(0.05)
    print(f"Server {info['pid']} is running (socket {info['socket']}).")


@server_app.command("stop")
def stop(every: AllOption = False) -> None:
    """Stop the command server (a command that is running finishes first)."""
    from claimtrack.cli import launch

    folder, own = _here()
    stopped = []
    for path in _sockets(folder, every, own):
        info = _status(path)
        if info is not None and launch.ask(path, "stop") == "ok":
            stopped.append(info["pid"])
            deadline = time.monotonic() + 10
            while os.path.exists(path) and time.monotonic() < deadline:
                time.sleep(0.02)
    print(f"Stopped the command server {', '.join(map(str, stopped))}." if stopped
          else "No command server was running.")


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")
