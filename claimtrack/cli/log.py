"""`claimtrack log`: one line for the common case (placeholder: filled in by its issue).

`log` is a group: run bare with options it logs a statement; `log verify` and `log show`
(claimtrack.cli.history) read the change log.
"""

from __future__ import annotations

import typer

log_app = typer.Typer(help="Log a statement in one line; `log verify` / `log show` read the change log.")


@log_app.callback(invoke_without_command=True)
def log(ctx: typer.Context) -> None:
    """Log a statement in one line (placeholder)."""


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
