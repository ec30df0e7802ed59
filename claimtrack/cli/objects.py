"""Helpers shared by the logging commands (actor, document, claim, statement, hop, verdict, log).

Imported only inside command functions; it imports Rich and the services lazily as well.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimtrack.dates import PartialDate
    from claimtrack.models import Actor


def actor_ref(session: Session, ref: str, *, offer_new: bool = True) -> Actor:
    """An actor by id (digits), `#id`, key or any of its names; read commands pass
    offer_new=False (they cannot create the actor a "did you mean" misses)."""
    from claimtrack.services.resolve import resolve_actor

    text = ref.strip()
    return resolve_actor(session, "#" + text if text.isdigit() else text, offer_new=offer_new)


def optional_actor(session: Session, ref: str | None) -> Actor | None:
    return actor_ref(session, ref) if ref is not None and ref.strip() else None


def date_order() -> str | None:
    """How to read numeric dates such as 01/02/2021 in options: $CLAIMTRACK_DATE_ORDER (DMY,
    MDY or YMD), else None (such a date is then an error, never a guess)."""
    import os

    from claimtrack.dates import DATE_ORDERS

    value = os.environ.get("CLAIMTRACK_DATE_ORDER", "").strip().upper()
    if not value:
        return None
    if value not in DATE_ORDERS:
        raise typer.BadParameter(f"CLAIMTRACK_DATE_ORDER is {value!r}; expected one of: {', '.join(DATE_ORDERS)}")
    return value


def past_date(text: str | None, field: str) -> PartialDate | None:
    """A partial date that cannot lie in the future (said, published, reviewed)."""
    from claimtrack.dates import parse_optional_date

    return parse_optional_date(text, field, not_after=date.today(), order=date_order())


def any_date(text: str | None, field: str) -> PartialDate | None:
    from claimtrack.dates import parse_optional_date

    return parse_optional_date(text, field, order=date_order())


def is_interactive(flag: bool | None) -> bool:
    """--interactive/--no-interactive, else whether stdin is a terminal."""
    if flag is not None:
        return flag
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask_name(session: Session, option: str, name: str, *, new: bool = False) -> tuple[str, bool]:
    """On a terminal: resolve one typed name. An exact match stays; else "did you mean …?" for
    each close actor (a yes gives '#ID'); else create it — without asking when --new was given.
    Returns the name to resolve and whether the person chose to create it."""
    from claimtrack.errors import NotFound
    from claimtrack.services.resolve import candidates, find_exact

    stripped = name.strip()
    if stripped.startswith("#") or find_exact(session, stripped):
        return stripped, False
    for candidate in candidates(session, stripped):
        if typer.confirm(f"{option} {stripped!r}: did you mean {candidate.describe()}?", default=True):
            return f"#{candidate.actor_id}", False
    if new or typer.confirm(f"Create a new actor {stripped!r} for {option}?", default=False):
        return stripped, True
    raise NotFound(f"{option}: no actor {stripped!r} chosen or created; nothing was logged")


def confirm_names(ctx: typer.Context, names: dict[str, str | None], *, new: bool, force: bool,
                  interactive: bool | None = None) -> bool:
    """The near-duplicate check of `--new` on a terminal, before the write.

    `names` maps options ("--speaker") to typed names. With --new on a terminal each name that
    matches no actor exactly gets "did you mean …?"; a chosen actor replaces the name (as
    '#ID'). Returns whether a name close to an existing one may be created: with --force, or
    once every name was asked about. In scripts it returns False, and the write refuses a
    near-duplicate naming the candidates (claimtrack.services.resolve.near_duplicate).
    """
    if force:
        return True
    if not new or not is_interactive(interactive):
        return False
    from claimtrack.cli.context import read_session

    with read_session(ctx) as session:
        for option, value in list(names.items()):
            if value and value.strip():
                names[option] = ask_name(session, option, value, new=True)[0]
    return True


def say(message: Any) -> None:
    """A confirmation line for people (stdout): a str is shown literally (controls escaped,
    never markup); build lines that quote several user strings with claimtrack.reports.text."""
    from claimtrack.cli.output import console

    console.print(message, soft_wrap=True)


def kv_table(title: Any, rows: list[tuple[str, Any]]) -> None:
    """Render field/value pairs, skipping empty values."""
    from rich.table import Table
    from rich.text import Text

    from claimtrack.cli.output import console
    from claimtrack.reports.text import cell, literal

    table = Table(title=literal(title), show_header=False, title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in rows:
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            value = Text("\n").join(literal(v if isinstance(v, Text) else str(v)) for v in value)
        table.add_row(key, cell(value if isinstance(value, Text) else str(value)))
    console.print(table)


def list_table(title: Any, columns: list[str], rows: list[list[Any]], total: int | None = None) -> None:
    """Rows as a table; with `total` (rows in all) a list cut by --limit says so."""
    from rich.table import Table

    from claimtrack.cli.output import console
    from claimtrack.reports.text import cell, literal

    table = Table(title=literal(title), title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*[cell(v if v is None or hasattr(v, "__rich_console__") else str(v)) for v in row])
    console.print(table)
    if not rows:
        console.print("(none)")
    elif total is not None and total > len(rows):
        console.print(f"showing {len(rows):,} of {total:,} (--limit N for more, --limit 0 for all)",
                      markup=False, highlight=False)


def fail_usage(message: str, param: str | None = None) -> None:
    """A usage error (exit 2), for conflicting or missing options."""
    raise typer.BadParameter(message, param_hint=param)
