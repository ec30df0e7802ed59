"""`claimtrack stats`: what the database holds."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import app_context, read_session


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Count the actors, documents, claims, statements, hops, relations, verdicts and events."""
    from claimtrack.queries.stats import count_objects

    with read_session(ctx) as session:
        counts = count_objects(session)
    from claimtrack.cli.output import console, emit_json

    if as_json:
        emit_json(counts)
        return
    from rich.table import Table

    table = Table(title=f"claimtrack · {app_context(ctx).database.display_url}", show_header=False)
    for name, value in counts.items():
        table.add_row(name, f"{value:,}")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
