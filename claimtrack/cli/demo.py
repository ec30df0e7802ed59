"""`claimtrack demo`: the seed reports in a fresh demo database, and a guided tour of them."""

from __future__ import annotations

from typing import Annotated

import typer


def demo(
    db_path: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Demo database file to (re)create. Default: demo.db in your user data directory. "
            "Never your own database: the root --db and $CLAIMTRACK_DATABASE_URL are not used.",
            show_default=False,
        ),
    ] = None,
    tour: Annotated[
        bool, typer.Option("--tour/--no-tour", help="Print the guided tour after loading (--no-tour: load only).")
    ] = True,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the tour as JSON instead: path, counts, conflicts, chain, "
                     "problems, next_commands."),
    ] = False,
    width: Annotated[
        int | None,
        typer.Option("--width", min=60, max=250, help="Tour width in columns. Default: the terminal's."),
    ] = None,
) -> None:
    """Load three real news reports (Navalny, 2021-2024), logged by hand, into a fresh demo
    database, then tour it: the conflicts side by side, one attribution chain, the audit's
    findings, and the commands to try next.

    The demo database is recreated on every run; your own database is never touched.
    """
    from claimtrack.cli.output import console
    from claimtrack.demo import build_tour, create_demo_database, demo_path_from
    from claimtrack.reports.tour import render_tour

    path = demo_path_from(db_path)
    database = create_demo_database(path)
    try:
        with database.read() as session:
            data = build_tour(session, path)
            if as_json:
                from claimtrack.cli.output import emit_json
                from claimtrack.demo import tour_json

                emit_json(tour_json(data))
                return
            out = console if width is None else type(console)(width=width)
            if tour:
                render_tour(data, out)
            else:
                out.print(f"Demo database ready: {path}")
    finally:
        database.dispose()


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("demo")(demo)
