"""`claimtrack extract FILE|-`: candidate attributions in a saved page, without a database."""

from __future__ import annotations

import sys
from typing import Annotated

import typer


def read_input(file: str) -> tuple[bytes, str]:
    """The bytes of FILE, or of standard input for `-`, and the name to show in errors."""
    from claimtrack.errors import InvalidInput

    if file == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    from pathlib import Path

    path = Path(file)
    if path.is_dir():
        raise InvalidInput(f"{file}: is a folder; expected a saved page (.html or .txt)")
    if not path.is_file():
        raise InvalidInput(f"{file}: no such file")
    try:
        return path.read_bytes(), file
    except OSError as exc:
        raise InvalidInput(f"{file}: cannot read it ({exc.strerror})") from None


def write_text(text: str) -> None:
    """The text exactly as stored (offsets refer to it), with a final newline added if it has none.
    On a terminal, control characters are shown escaped (\\x1b) so the text cannot act on the screen."""
    if sys.stdout.isatty():
        from claimtrack.display import escape_controls

        text = escape_controls(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def extract(
    file: Annotated[str, typer.Argument(help="A saved page (.html or .txt), or - for standard input.",
                                        show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the contract in docs/formats.md).")] = False,
    print_text: Annotated[bool, typer.Option(
        "--print-text", help="Print the text the offsets refer to (for HTML: the extracted text) and stop.")] = False,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", min=0.0, max=1.0, help="Leave out candidates below this confidence.")] = 0.0,
) -> None:
    """Propose attributions (SOURCE — CUE — CONTENT) found in a saved article.

    Needs no database and writes nothing. Offsets are characters into the text as read
    (UTF-8); for HTML, into the article text extracted from it (see --print-text). Every
    candidate is a suggestion to review, with a confidence between 0 and 1.
    """
    from claimtrack.extract import candidate_dicts
    from claimtrack.extract import extract as run
    from claimtrack.extract.page import read_page

    data, name = read_input(file)
    page = read_page(data, name)
    if print_text:
        write_text(page.text)
        return
    candidates = [c for c in run(page.text) if c.confidence >= min_confidence]
    if as_json:
        from claimtrack.cli.output import emit_json

        emit_json(candidate_dicts(candidates))
        return
    _table(candidates)


def _table(candidates: list) -> None:
    from rich.table import Table
    from rich.text import Text

    from claimtrack.cli.output import console
    from claimtrack.reports.text import user

    if not candidates:
        console.print(Text("No attributions found."))
        return
    table = Table(title=Text(f"{len(candidates)} candidate attributions"), show_lines=False, expand=False)
    for col in ("#", "source", "cue", "content", "kind", "conf."):
        table.add_column(col, overflow="fold")
    for i, c in enumerate(candidates):
        cue = c.cue + (f" [in {c.nested_in}]" if c.nested_in is not None else "")
        if c.stance not in ("asserts",):
            cue += f" ({c.stance})"
        table.add_row(Text(str(i)), user(c.source or "—"), user(cue), user(_short(c.content or "—")),
                      Text(c.quote_kind), Text(f"{c.confidence:.2f}"))
    console.print(table)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("extract")(extract)
