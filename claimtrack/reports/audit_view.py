"""Rich rendering of `claimtrack audit`: problems grouped by severity, then a count per rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from claimtrack.checks import RULE_NAMES, SEVERITIES, Problem
from claimtrack.display import shown
from claimtrack.reports.text import user

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def problem_text(problem: Problem) -> Group:
    """One problem as a block: severity, rule and key on a line, then the sentence, indented."""
    head = Text()
    head.append(f"{problem.severity.upper():<7}", style=_STYLE[problem.severity])
    head.append(f" {problem.rule}", style="bold")
    head.append(f"  {shown(problem.key)}", style="dim")
    body = user(problem.message, style="dim" if problem.acknowledged else "")
    if problem.acknowledged:
        body.append(f"\nacknowledged: {shown(problem.ack_reason)}", style="green")
    return Group(head, Padding(body, (0, 0, 0, 2)))


def summary_line(problems: Sequence[Problem], shown: int) -> Text:
    counts = {s: 0 for s in SEVERITIES}
    acknowledged = 0
    for problem in problems:
        if problem.acknowledged:
            acknowledged += 1
        else:
            counts[problem.severity] += 1
    text = Text()
    for severity in SEVERITIES:
        text.append(f"{counts[severity]} {severity}{'s' if counts[severity] != 1 else ''}", style=_STYLE[severity])
        text.append(", ")
    text.append(f"{acknowledged} acknowledged")
    if acknowledged and shown < len(problems):
        text.append(" (hidden; --all shows them)", style="dim")
    return text


def rule_counts_table(problems: Sequence[Problem]) -> Table:
    table = Table(title="problems per rule", show_header=True)
    table.add_column("rule")
    table.add_column("open", justify="right")
    table.add_column("acknowledged", justify="right")
    # one pass over the problems (a whole-archive audit has a million), not two per rule
    counts = Counter((p.rule, p.acknowledged) for p in problems)
    for rule in RULE_NAMES:
        open_count, acked = counts[(rule, False)], counts[(rule, True)]
        if open_count or acked:
            table.add_row(rule, str(open_count), str(acked))
    return table


def render_audit(problems: Sequence[Problem], console: Console, *, show_all: bool = False) -> None:
    """Problems (acknowledged ones only with `show_all`), a count per rule, and a summary line."""
    shown = [p for p in problems if show_all or not p.acknowledged]
    if shown:
        for problem in shown:
            console.print(problem_text(problem))
        console.print()
        console.print(rule_counts_table(problems))
    else:
        console.print(Text("No open problems: every chain is attributed, dated and traced.", style="green"))
    console.print(summary_line(problems, len(shown)))
