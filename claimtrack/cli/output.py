"""Output helpers shared by the commands: JSON for scripts, Rich for people, errors to stderr."""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    console: Console
    err_console: Console

_consoles: dict[tuple[str, tuple[str | None, ...]], Any] = {}

#: the variables Rich reads once, when a Console is made (width, height, colour, terminal)
_CONSOLE_ENV = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE",
                "TTY_INTERACTIVE")


def __getattr__(name: str) -> Any:
    """`console` and `err_console`, made on first use: `--json` output never imports Rich.

    Every str these consoles are handed is shown literally (claimtrack.reports.text): user text
    can never act as markup or reach the terminal as a control sequence. A console is kept per
    environment it was made in: Rich reads COLUMNS and the colour variables only when a Console
    is made, and one process runs many commands (the shell, the tests' runner), each with the
    environment of its own call."""
    if name not in ("console", "err_console"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import os

    key = (name, tuple(os.environ.get(variable) for variable in _CONSOLE_ENV))
    if key not in _consoles:
        from claimtrack.reports.text import make_console

        _consoles[key] = make_console(stderr=name == "err_console")
    return _consoles[key]


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(value)
    return str(value)


def to_json(data: Any) -> str:
    """The documented JSON form: UTF-8, two-space indent, dates in ISO form, partial dates with
    their precision (claimtrack.viewjson).

    Strings are the stored text exactly; the few characters that would act on a terminal if the
    JSON is simply printed (C1 controls, bidi overrides and isolates; json already escapes C0)
    are written with JSON's own `\\uXXXX` escape, so every parser still reads the exact text."""
    from claimtrack.display import CONTROL_RE
    from claimtrack.viewjson import dumps

    text = dumps(data, default=_default)
    return CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if not text.isascii() else text


def emit_json(data: Any) -> None:
    """Print JSON to stdout without Rich markup or wrapping, so scripts can parse it."""
    sys.stdout.write(to_json(data) + "\n")


def error(message: str, candidates: list[str] | None = None) -> None:
    """`Error: …` on stderr; the message (which quotes what the user typed) and the "did you
    mean" candidates are shown literally, controls escaped."""
    from rich.text import Text

    from claimtrack.reports.text import user

    stderr = __getattr__("err_console")
    stderr.print(Text("Error:", style="bold red"), user(message), soft_wrap=True)
    for candidate in candidates or []:
        stderr.print(Text("  ").append_text(user(candidate)), soft_wrap=True)
