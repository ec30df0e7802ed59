"""The demo's guided tour, rendered with Rich from claimtrack.demo.Tour.

The sections reuse the real renderers (conflicts, chain tree) so the tour shows exactly what
the commands it points to will show.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from claimtrack.reports.text import user

if TYPE_CHECKING:  # the tour's data is built by claimtrack.demo; renderers only read it
    from claimtrack.demo import Tour

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}

INTRO = (
    "Three real news reports, logged by hand the way a careful fact-checker would: "
    "[bold]The New Indian Express[/] (2021-07-28, AFP copy) on police visits to Navalny "
    "supporters; a report on the January 2021 protests [dim](its publisher is not named in the "
    "text)[/]; and [bold]franceinfo[/] (2024-03, read in English translation) on exiles in London. "
    "Short quotes only."
)


def _section(console: Console, number: int, title: str, why: str) -> None:
    console.print()
    console.print(Rule(Text(f"{number}. {title}", style="bold"), align="left", style="blue"))
    console.print(Text(why, style="italic"))
    console.print()


def render_header(tour: Tour, console: Console) -> None:
    counts = tour.counts
    summary = " · ".join(
        f"{counts.get(name, 0)} {name}" for name in ("actors", "documents", "claims", "statements", "hops", "relations")
    )
    body = Text.from_markup(INTRO + f"\n\n[dim]Loaded: {summary}\nDemo database: {escape(str(tour.path))}[/]")
    console.print(Panel(body, title=Text("claimtrack demo", style="bold"), title_align="left", border_style="blue"))


def render_conflicts(tour: Tour, console: Console) -> None:
    from claimtrack.reports.conflicts import conflict_renderable

    _section(
        console,
        1,
        f"Conflicts side by side ({len(tour.conflicts)})",
        "Denials, contradicting claims and different figures for the same count, each with who "
        "said it, the quote, when, and where it was reported. A spreadsheet row cannot line these up.",
    )
    for conflict in tour.conflicts:
        console.print(conflict_renderable(conflict))


def render_chain(tour: Tour, console: Console) -> None:
    _section(
        console,
        2,
        "One attribution chain",
        "Where did a quote really come from? Leonid Volkov wrote on Telegram; AFP quoted him; "
        "The New Indian Express printed AFP's story. The chain ends at his own post: a primary source.",
    )
    if tour.chain is None:
        console.print(Text("(no chain)", style="dim"))
        return
    from claimtrack.reports.chain_tree import statement_tree

    console.print(Padding(statement_tree(tour.chain), (0, 0, 0, 2)))


def render_audit(tour: Tour, console: Console) -> None:
    problems = tour.problems
    _section(
        console,
        3,
        f"The audit: {len(problems)} findings",
        "Every gap in the record, named: the reporter's own voice, vague and anonymous sources, "
        "chains that never reach the speaker's own words, impossible dates, missing dates.",
    )
    by_rule: Counter[tuple[str, str]] = Counter((p.rule, p.severity) for p in problems)
    table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1))
    table.add_column("rule", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    table.add_column("for example", ratio=1, overflow="fold")
    order = {"error": 0, "warning": 1, "info": 2}
    for (rule, severity), count in sorted(by_rule.items(), key=lambda kv: (order.get(kv[0][1], 3), kv[0][0])):
        example = next(p for p in problems if p.rule == rule and p.severity == severity)
        table.add_row(
            Text(rule, style=SEVERITY_STYLE.get(severity, "")),
            str(count),
            user(example.message),
        )
    console.print(table)


def render_next(tour: Tour, console: Console) -> None:
    _section(console, 4, "Try next", "Every command takes --json for scripts; reports also take --markdown.")
    for command, what in tour.next_commands:
        # soft_wrap: a command is never broken across lines, so it can be copied and pasted
        console.print(Text("  $ ", style="dim") + Text(command, style="bold"), soft_wrap=True)
        console.print(Text(f"      {what}", style="dim"))
    console.print()
    console.print(
        Text.from_markup(
            "Your own work goes to your own database (the default, or --db / $CLAIMTRACK_DATABASE_URL); "
            "start with [bold]docs/tutorial.md[/]."
        )
    )


def render_tour(tour: Tour, console: Console) -> None:
    """The whole tour: header, conflicts, one chain, the audit, next commands."""
    render_header(tour, console)
    render_conflicts(tour, console)
    render_chain(tour, console)
    render_audit(tour, console)
    render_next(tour, console)


def tour_sections() -> list[Any]:
    """The section renderers in order (the screenshot script exports some of them alone)."""
    return [render_header, render_conflicts, render_chain, render_audit, render_next]
