"""Conflicts side by side: one panel per conflict, one column per side."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimtrack.queries.conflicts import Conflict, ConflictList
from claimtrack.queries.conflicts.text import conflict_notes
from claimtrack.reports.common import SEVERITY_STYLES, escape_md, item_markdown, items_cell
from claimtrack.reports.text import user


def conflict_renderable(conflict: Conflict) -> RenderableType:
    """A panel: the summary, then the sides as columns of a table (they wrap at 80 columns)."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=False, padding=(0, 1))
    for label in conflict.side_labels:
        table.add_column(user(label), ratio=1, overflow="fold", vertical="top")
    table.add_row(*(items_cell(side, total) for side, total in zip(conflict.sides, conflict.side_totals)))
    title = Text.assemble(
        (f" {conflict.severity_label.upper()} ", SEVERITY_STYLES[conflict.severity_label]),
        (f"{conflict.kind} · claim{'s' if len(conflict.claim_ids) > 1 else ''} "
         + ", ".join(map(str, conflict.claim_ids)), "bold"),
        (" · suggested" if conflict.suggested else "", "yellow"),
    )
    body = Group(user(conflict.summary), user(conflict.explanation, style="dim italic"), table)
    return Panel(body, title=title, title_align="left", border_style=SEVERITY_STYLES[conflict.severity_label])


def conflicts_renderables(result: ConflictList) -> list[RenderableType]:
    parts: list[RenderableType] = [conflict_renderable(c) for c in result.conflicts]
    parts.extend(Text(note, style="dim") for note in conflict_notes(result))
    return parts


def conflict_markdown(conflict: Conflict) -> str:
    lines = [f"## {conflict.severity_label.upper()} · {conflict.kind} · claims "
             f"{', '.join(map(str, conflict.claim_ids))}" + (" (suggested)" if conflict.suggested else ""), "",
             escape_md(conflict.summary), "", f"_{escape_md(conflict.explanation)}_", ""]
    for label, side, total in zip(conflict.side_labels, conflict.sides, conflict.side_totals):
        lines.append(f"### {escape_md(label)}")
        lines.append("")
        lines.extend(item_markdown(item) for item in side)
        if total > len(side):
            lines.append(f"- … and {total - len(side)} more")
        lines.append("")
    return "\n".join(lines)


def conflicts_markdown(result: ConflictList) -> str:
    parts = ["# Conflicts", ""]
    parts.extend(conflict_markdown(c) for c in result.conflicts)
    parts.extend(f"_{note}_\n" for note in conflict_notes(result))
    return "\n".join(parts)
