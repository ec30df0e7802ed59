"""Rich rendering of `claimtrack audit`: problems grouped by severity, then a count per rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
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


def audit_renderables(problems: Sequence[Problem], *, show_all: bool = False) -> list[RenderableType]:
    """Problems (acknowledged ones only with `show_all`), a count per rule, and a summary line."""
    shown = [p for p in problems if show_all or not p.acknowledged]
    parts: list[RenderableType] = []
    if shown:
        parts += [problem_text(problem) for problem in shown]
        parts += [Text(""), rule_counts_table(problems)]
    else:
        parts.append(Text("No open problems: every chain is attributed, dated and traced.", style="green"))
    parts.append(summary_line(problems, len(shown)))
    return parts


def render_audit(problems: Sequence[Problem], console: Console, *, show_all: bool = False) -> None:
    """Print `audit_renderables` (one at a time: a whole-archive audit has many problems)."""
    for part in audit_renderables(problems, show_all=show_all):
        console.print(part)


def audit_markdown(problems: Sequence[Problem], *, show_all: bool = False) -> str:
    """The audit as Markdown: one bullet per problem (severity, rule, key, sentence), then counts."""
    from claimtrack.display import md

    shown_problems = [p for p in problems if show_all or not p.acknowledged]
    lines = ["# Audit", "", md(summary_line(problems, len(shown_problems)).plain), ""]
    for p in shown_problems:
        lines.append(f"- **{p.severity.upper()}** {p.rule} {md(p.key)}  ")
        lines.append(f"  {md(p.message)}" + (f"  \n  _acknowledged: {md(p.ack_reason)}_" if p.acknowledged else ""))
    if shown_problems:
        counts = Counter((p.rule, p.acknowledged) for p in problems)
        lines += ["", "| rule | open | acknowledged |", "|---|---|---|"]
        lines += [f"| {rule} | {counts[(rule, False)]} | {counts[(rule, True)]} |" for rule in RULE_NAMES
                  if counts[(rule, False)] or counts[(rule, True)]]
    else:
        lines.append("No open problems: every chain is attributed, dated and traced.")
    return "\n".join(lines) + "\n"
