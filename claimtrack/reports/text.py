"""The rendering boundary for Rich: user text becomes a literal `Text`, never markup.

Every renderer and command builds what it prints from

- `user(s, style)`: a user string (name, quote, title, label, reason, key, URL…) as a `Text`
  literal, control characters escaped and right-to-left text isolated (claimtrack.display);
- `cell(value)`: a table cell or tree label: `Text` passes through, None is empty, anything else
  is a user string;
- `join(*parts)`: a line mixing claimtrack's words (`("denies ", "red")`, plain `str` of our own)
  with user strings (`user(...)`), without any markup parsing;
- `SafeConsole` (via `make_console`): a Console for which *every* plain `str` it is handed, in
  `print`, a table cell, a tree label or a rule title, is user text (shown literally, never as
  markup), and which, as a last safety net, escapes any control character that still reaches a
  rendered segment. claimtrack's own styled words are built as `Text` (`Text.from_markup` on a
  constant we wrote, never on data).

Rich's own `Panel` parses a `str` title as markup whatever the console says: give it a `Text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from claimtrack.display import FOREIGN_CONTROL_RE, escape_foreign_controls, shown

__all__ = ["SafeConsole", "cell", "join", "literal", "make_console", "user"]


def user(text: object, style: str | Style | None = None) -> Text:
    """A user-supplied string as a literal Text (escaped controls, isolated right-to-left text)."""
    return Text(shown(text), style=style or "")


def cell(value: Any) -> RenderableType:
    """A table cell or a tree label: Text and other renderables as they are, None as "",
    numbers as digits, and any string as user text."""
    if value is None:
        return Text("")
    if hasattr(value, "__rich_console__"):
        return value
    return literal(value)


def literal(value: Any) -> Text:
    """Like `cell`, always a Text: a Text as it is, None as "", any other value as user text."""
    if value is None:
        return Text("")
    if isinstance(value, Text):
        return value
    if isinstance(value, (bool, int, float)):
        return Text(str(value))
    return user(value)


def join(*parts: Text | str | tuple[str, str] | None) -> Text:
    """One Text from pieces: `Text` (already safe), `(words, style)` or `str` of claimtrack's own
    wording (literal, never markup), None skipped."""
    out = Text()
    for part in parts:
        if part is None:
            continue
        if isinstance(part, Text):
            out.append_text(part)
        elif isinstance(part, tuple):
            out.append(part[0], style=part[1] or None)
        else:
            out.append(part)
    return out


class SafeConsole(Console):
    """A Console on which a plain str is always literal user text, and no control character
    reaches the output even if a renderer forgot `user()`."""

    def render_str(self, text: str, *, style: str | Style = "", justify: Any = None, overflow: Any = None,
                   emoji: bool | None = None, markup: bool | None = None, highlight: bool | None = None,
                   highlighter: Any = None) -> Text:
        # markup, emoji codes and highlighting are all ways data could act: none apply to data
        return Text(shown(text), style=style, justify=justify, overflow=overflow)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            text = segment.text
            if not segment.control and text and FOREIGN_CONTROL_RE.search(text):
                yield Segment(escape_foreign_controls(text), segment.style, segment.control)
            else:
                yield segment


def make_console(**kwargs: Any) -> SafeConsole:
    """A SafeConsole (the only kind claimtrack prints with); highlighting off, so numbers and
    URLs inside data are not coloured as if they meant something."""
    kwargs.setdefault("highlight", False)
    return SafeConsole(**kwargs)
