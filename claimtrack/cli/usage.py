"""Usage errors in claimtrack's own words: `Error: --limit: 'abc' is not a whole number…`, exit 2.

Typer/click word a bad value for programmers ("'abc' is not a valid int range", "0 is not in
the range x>=1") and print the usage block first. Here every option's value type is given a
conversion that names the option, the value and what is expected, and the root group prints
any usage error as one `Error:` line and a pointer to `--help`. The command modules need not
do anything: the types are adapted when the command tree is built (claimtrack.cli.app).

Date options validate through claimtrack.dates with `callback=date_option` (exit 2 too).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import typer

# Typer vendors click and exports only BadParameter; the base class of every usage error (and
# the one click's parser raises for unknown options and missing values) is its parent.
UsageError: type[Exception] = typer.BadParameter.__mro__[1]


def option_name(param: Any) -> str:
    """How a user writes the parameter: `--limit`, or the argument's metavar (`CLAIM`)."""
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name or "").upper()
    opts = [*getattr(param, "opts", [])]
    long = [o for o in opts if o.startswith("--")]
    return (long or opts or [str(param.name)])[0]


def _number_range(kind: Any) -> str:
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    if low is not None and high is not None:
        return f"from {low} to {high}"
    if low is not None:
        return f"{'above' if getattr(kind, 'min_open', False) else 'of at least'} {low}"
    if high is not None:
        return f"{'below' if getattr(kind, 'max_open', False) else 'of at most'} {high}"
    return ""


def _kind(param_type: Any) -> str:
    """integer, number, choice, boolean, text or other, from the click type's class family."""
    names = {c.__name__ for c in type(param_type).__mro__}
    for family, kind in (("IntParamType", "integer"), ("IntRange", "integer"), ("FloatParamType", "number"),
                         ("FloatRange", "number"), ("Choice", "choice"), ("BoolParamType", "boolean"),
                         ("StringParamType", "text")):
        if any(name.endswith(family) for name in names):  # TyperChoice is a Choice
            return kind
    return "other"


def _own_words(param_type: Any, value: Any, original: str) -> str:
    """What was wrong with `value` for a parameter of this click type, and what is expected."""
    kind = _kind(param_type)
    shown = repr(value) if isinstance(value, str) else str(value)
    if kind in ("integer", "number"):
        whole = kind == "integer"
        noun = "a whole number" if whole else "a number"
        bounds = _number_range(param_type)
        try:
            (int if whole else float)(value)
        except (TypeError, ValueError):
            example = "20" if whole else "3000 or 2.5"
            expected = f"{noun} {bounds}" if bounds else f"{noun}, e.g. {example}"
            return f"{shown} is not {noun} (expected {expected})"
        return f"{value} is out of range: expected {noun} {bounds}"
    if kind == "choice":
        choices = ", ".join(str(getattr(c, "value", c)) for c in param_type.choices)
        return f"{shown} is not one of: {choices}"
    if kind == "boolean":
        return f"{shown} is not yes or no (true/false, 1/0)"
    text = original.rstrip(".")
    return text[:1].lower() + text[1:]


@cache
def _friendly_class(base: Any) -> Any:
    """`base` with a convert() whose failures are said in claimtrack's words."""

    def convert(self: Any, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return base.convert(self, value, param, ctx)
        except typer.BadParameter as exc:
            raise typer.BadParameter(_own_words(self, value, exc.message), ctx=ctx, param=param) from None

    return type(base.__name__, (base,), {"convert": convert, "__module__": __name__})


def adapt(command: Any) -> Any:
    """Give every parameter of `command` (and of its subcommands) claimtrack's conversion words.

    Each parameter gets its own copy of its type: click shares type instances between options."""
    import copy

    for param in getattr(command, "params", []):
        param_type = getattr(param, "type", None)
        if param_type is None or _kind(param_type) in ("text", "boolean") \
                or type(param_type).__module__ == __name__:
            continue
        adapted = copy.copy(param_type)
        base: Any = type(param_type)
        adapted.__class__ = _friendly_class(base)
        param.type = adapted
    subcommands = getattr(command, "commands", None)
    if isinstance(subcommands, dict):
        for sub in subcommands.values():
            adapt(sub)
    return command


def message(exc: Any) -> str:
    """One line for a usage error: `--limit: 'abc' is not a whole number (expected at least 1)`."""
    if type(exc).__name__ != "BadParameter":  # missing values, unknown options and commands
        return str(exc.format_message())
    hint = exc.param_hint
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    hint = (hint or option_name(exc.param)).replace("'", "")
    return f"{hint}: {exc.message}" if hint else str(exc.message)


def show(exc: Any) -> None:
    """Print a usage error the claimtrack way: `Error: …` and where the help is."""
    from claimtrack.cli.output import error

    error(message(exc))
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        print(f"See: {ctx.command_path} --help", file=sys.stderr)


class ClaimtrackUsageError(UsageError):  # type: ignore[misc, valid-type]
    """A usage error that prints itself in claimtrack's words (exit 2)."""

    exit_code = 2

    def __init__(self, original: Any) -> None:
        super().__init__(message(original), ctx=getattr(original, "ctx", None))
        self.original = original

    def show(self, file: Any = None) -> None:
        show(self.original)


def _check_dates(ctx: Any, param: Any, value: Any, *, past: bool) -> Any:
    if value is None or value == "" or isinstance(value, (list, tuple)) and not value:
        return value
    from datetime import date

    from claimtrack.cli.objects import date_order
    from claimtrack.dates import parse_optional_date
    from claimtrack.errors import ClaimtrackError

    name = option_name(param)
    for item in value if isinstance(value, (list, tuple)) else [value]:
        try:
            parse_optional_date(item, name, not_after=date.today() if past else None, order=date_order())
        except ClaimtrackError as exc:
            raise typer.BadParameter(str(exc).removeprefix(f"{name}: "), ctx=ctx, param=param) from None
    return value


def date_option(ctx: Any, param: Any, value: Any) -> Any:
    """Typer callback for a date option (`--since`): a value that is not a date is a usage error
    (exit 2). The text is passed on as given; the command parses it where it uses it."""
    return _check_dates(ctx, param, value, past=False)


def past_date_option(ctx: Any, param: Any, value: Any) -> Any:
    """Typer callback for a date that cannot lie in the future (`--said`, `--published`)."""
    return _check_dates(ctx, param, value, past=True)


def vocab_option(enum_name: str, field: str, *extra: str) -> Any:
    """A Typer callback refusing a value outside one of claimtrack.vocab's vocabularies (exit 2),
    in the words the services use: `--stance: unknown stance 'deny'; expected one of: …`."""

    def check(ctx: Any, param: Any, value: Any) -> Any:
        if value is None or value == "" or value in extra:
            return value
        from claimtrack import vocab
        from claimtrack.errors import ClaimtrackError

        try:
            vocab.parse_choice(getattr(vocab, enum_name), value, field)
        except ClaimtrackError as exc:
            also = f", {', '.join(extra)}" if extra else ""
            raise typer.BadParameter(str(exc) + also, ctx=ctx, param=param) from None
        return value

    return check
