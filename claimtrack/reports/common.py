"""Shared pieces of the Rich and Markdown renderers: one statement or verdict as text, export.

Renderers take the plain dataclasses of claimtrack.queries (conflicts, reports) and only format
them; the same data gives `--json`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from claimtrack.display import md_escape
from claimtrack.display import shown as s
from claimtrack.queries.conflicts import ClaimItem, Reported, StatementItem, VerdictItem
from claimtrack.reports.text import make_console

#: width of exported HTML/SVG documents: wider than a terminal, still readable in a mail client
EXPORT_WIDTH = 110

STANCE_STYLES = {
    "asserts": "green", "confirms": "green", "denies": "red", "disputes": "red", "retracts": "red",
    "declines_to_comment": "yellow", "did_not_respond": "yellow", "reports": "cyan",
}
SEVERITY_STYLES = {"high": "bold red", "medium": "bold yellow", "low": "dim"}


def speaker_text(item: StatementItem) -> str:
    if item.speaker is None:
        return "(unattributed: the reporter's own voice)"
    return f"\u201c{s(item.speaker)}\u201d (anonymous)" if item.anonymous else s(item.speaker)


def reported_text(r: Reported) -> str:
    where = r.outlet or r.document
    parts = [s(where) + (f" {s(r.date)}" if r.date else "")]
    if r.outlet and r.document and r.document != r.outlet:
        parts.append(f"\u201c{s(r.document)}\u201d")
    if r.chain:  # the chain summary already says "via …" and where the chain ends
        parts.append(s(r.chain))
    else:
        if r.via:
            parts.append(f"via {s(r.via)}")
        if r.primary:
            parts.append("primary source")
    return " · ".join(parts)


def statement_lines(item: StatementItem) -> list[tuple[str, str]]:
    """(text, style) lines describing one statement, most important first; every user string
    in them has been through `shown` (escaped controls, isolated right-to-left text)."""
    lines = [(speaker_text(item) + (f" — {s(item.role)}" if item.role else ""), "bold")]
    if item.on_behalf_of and (not item.role or item.on_behalf_of not in item.role):
        lines.append((f"for {s(item.on_behalf_of)}", ""))
    lines.append((item.stance.replace("_", " ") + (f" · {s(item.figure)}" if item.figure else ""),
                  STANCE_STYLES.get(item.stance, "")))
    if item.quote:
        lines.append((f"\u201c{s(item.quote)}\u201d" + (f" ({item.quote_kind})" if item.quote_kind else ""), "italic"))
    said = " · ".join(x for x in (s(item.cue), s(item.channel), f"said {item.said}" if item.said else None) if x)
    if said:
        lines.append((said, ""))
    if item.status != "normal":
        lines.append((f"[{item.status.upper()}: {s(item.status_reason) or 'no reason given'}]", "bold magenta"))
    for r in item.reported_in:
        lines.append(("in " + reported_text(r), "dim"))
    if not item.reported_in:
        lines.append(("not linked to any document", "dim"))
    return lines


def verdict_lines(item: VerdictItem) -> list[tuple[str, str]]:
    scale = f" ({item.normalized:.2f} on 0–1)" if item.normalized is not None else " (not on the scale)"
    lines = [(f"{s(item.reviewer) or 'unknown reviewer'}: {s(item.label)}", "bold"), (scale.strip(), "")]
    if item.value is not None:
        lines.append((f"rated {item.value:g} (worst {item.worst:g}, best {item.best:g})"
                      if item.best is not None and item.worst is not None else f"rated {item.value:g}", ""))
    if item.date:
        lines.append((f"reviewed {item.date}", ""))
    if item.status != "normal":
        lines.append((f"[{item.status.upper()}: {s(item.status_reason) or 'no reason given'}]", "bold magenta"))
    if item.url:
        lines.append((s(item.url), "dim"))
    return lines


def claim_lines(item: ClaimItem) -> list[tuple[str, str]]:
    lines = [(f"claim {item.claim_id}: {s(item.text)}", "bold")]
    if item.figure:
        lines.append((s(item.figure), ""))
    lines.append(("no statement on record", "dim"))
    return lines


def item_lines(item: Any) -> list[tuple[str, str]]:
    if isinstance(item, StatementItem):
        return statement_lines(item)
    if isinstance(item, VerdictItem):
        return verdict_lines(item)
    return claim_lines(item)


def item_renderable(item: Any) -> Text:
    text = Text()
    for index, (line, style) in enumerate(item_lines(item)):
        if index:
            text.append("\n")
        text.append(line, style=style or None)
    return text


def items_cell(items: Iterable[Any], total: int | None = None) -> RenderableType:
    items = list(items)
    blocks: list[RenderableType] = []
    for index, item in enumerate(items):
        if index:
            blocks.append(Text(""))
        blocks.append(item_renderable(item))
    if total is not None and total > len(items):
        blocks.append(Text(f"… and {total - len(items)} more", style="dim"))
    if not blocks:
        blocks.append(Text("(none)", style="dim"))
    return Group(*blocks)


def item_markdown(item: Any) -> str:
    """One item as a Markdown bullet with continuation lines."""
    lines = item_lines(item)
    first, *rest = [md_escape(text) for text, _ in lines]  # the lines are already `shown`
    return "\n".join([f"- **{first}**", *(f"  {line}  " for line in rest)])


def escape_md(text: str | None) -> str:
    """A user string for Markdown (claimtrack.display.md)."""
    from claimtrack.display import md

    return md(text)


def svg_format() -> str:
    """Rich's SVG template without its remote font: the picture uses the reader's own monospace
    fonts, so opening it fetches nothing (Rich's template loads Fira Code from a CDN)."""
    import re

    from rich._export_format import CONSOLE_SVG_FORMAT

    without_fonts = re.sub(r"@font-face \{\{.*?\}\}\s*", "", CONSOLE_SVG_FORMAT, flags=re.DOTALL)
    return without_fonts.replace("font-family: Fira Code, monospace;",
                                 "font-family: ui-monospace, Menlo, 'DejaVu Sans Mono', Consolas, monospace;")


def export_svg(renderables: Iterable[RenderableType], title: str) -> str:
    """The renderables as a terminal-style SVG picture (for slides), embedding nothing remote."""
    console = make_console(record=True, width=EXPORT_WIDTH, file=io.StringIO(), color_system="truecolor")
    for renderable in renderables:
        console.print(renderable)
    return console.export_svg(title=s(title), code_format=svg_format())


def export(renderables: Callable[[], Iterable[RenderableType]], html: Callable[[], str] | None, path: Path,
           title: str) -> None:
    """Write FILE.html (a standalone page from the templates) or FILE.svg (a terminal picture)."""
    if path.suffix.lower() == ".svg" or html is None:
        text = export_svg(renderables(), title)
    else:
        text = html()
    _write(path, text)


def _write(path: Path, text: str) -> None:
    # the CLI passes the temporary path of claimtrack.outfiles.output_path (refusal of existing
    # files, the database and the input, temp + rename); this only writes the bytes
    path.write_text(text, encoding="utf-8")


EXPORT_SUFFIXES = (".html", ".htm", ".svg")
