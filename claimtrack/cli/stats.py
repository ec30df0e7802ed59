"""`claimtrack stats`: what the database holds."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import app_context, read_session


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Count the actors, documents, claims, statements, hops, relations, verdicts and events.

    Retracted, deprecated and merged records are kept but not counted; they are listed apart
    (JSON: "retired")."""
    from claimtrack.queries.stats import tally

    with read_session(ctx) as session:
        counts, retired = tally(session)
    if as_json:
        from claimtrack.cli.output import emit_json

        emit_json({**counts, "retired": retired})
        return
    from rich.table import Table
    from rich.text import Text

    from claimtrack.cli.output import console

    # the database's name above the table, not as its title: a title wraps to the narrow table
    console.print(Text(f"claimtrack · {app_context(ctx).database.display_url}", style="bold"))
    table = Table(show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for name, value in counts.items():
        table.add_row(name, f"{value:,}")
    kept = [f"{value:,} {name if value != 1 else name.removesuffix('s')}" for name, value in retired.items() if value]
    if kept:
        table.add_section()
        table.add_row("retired (not counted)", ", ".join(kept))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
