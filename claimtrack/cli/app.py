"""The root command: global options, the error boundary, and the command groups.

Command modules import only Typer (and Rich) at module level; services, queries and SQLAlchemy
are imported inside the commands, so `claimtrack --help` stays fast.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from claimtrack import __version__
from claimtrack.cli import (
    actor,
    audit,
    chain,
    claim,
    conflicts,
    db,
    demo,
    document,
    edit,
    extract,
    history,
    hop,
    log,
    report,
    search,
    serve,
    statement,
    stats,
    suggest,
    transfer,
    verdict,
)
from claimtrack.cli.context import AppContext
from claimtrack.errors import ClaimtrackError


class ClaimtrackGroup(TyperGroup):
    """The one error boundary: a ClaimtrackError becomes `Error: …` on stderr and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimtrackError as exc:
            if isinstance(ctx.obj, AppContext) and ctx.obj.debug:
                raise
            from claimtrack.cli.output import error

            error(str(exc), [str(c) for c in getattr(exc, "candidates", [])])
            raise typer.Exit(1) from None
        except Exception as exc:
            # a usage error prints itself (exit 2) and quotes what was typed: show it literally
            if hasattr(exc, "show") and isinstance(getattr(exc, "message", None), str):
                from claimtrack.display import escape_controls

                exc.message = escape_controls(exc.message)  # type: ignore[attr-defined]
            raise


app = typer.Typer(
    name="claimtrack",
    cls=ClaimtrackGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain help: Typer's Rich help renderer alone costs ~100 ms per `--help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db_option: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database: a SQLite file path or a URL (sqlite:///PATH, postgresql://USER@HOST/DB). "
            "Default: $CLAIMTRACK_DATABASE_URL, else claimtrack.db in your user data directory.",
            show_default=False,
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Who is acting, for the change log. Default: $CLAIMTRACK_USER, else your login."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks instead of one-line errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """claimtrack: log who said what, where it was reported and when; line up conflicting
    claims side by side; audit every attribution chain back to its primary source."""
    ctx.obj = AppContext(db_option=db_option, user=user, debug=debug)
    ctx.call_on_close(ctx.obj.close)


for module in (db, stats, actor, document, claim, statement, hop, verdict, log, search,
               conflicts, report, chain, audit, transfer, history, edit, demo, extract, suggest, serve):
    module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
