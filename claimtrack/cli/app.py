"""The root command: global options, the error boundary, and the command groups.

Start-up is paid on every command, so nothing is imported before it is needed:
- the command modules are loaded lazily: `claimtrack stats` imports claimtrack.cli.stats and
  nothing of `report`, `import` or `audit` (`--help`, shell completion and docgen load them all);
- command modules import only Typer at module level; services, queries and SQLAlchemy are
  imported inside the command functions, so `claimtrack --help` never touches the database layer.

A new command module gets one line in MODULES (and one per command name in COMMANDS);
tests/test_cli_startup.py checks both tables against what every module's `register(app)` adds.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from claimtrack import __version__
from claimtrack.cli.context import AppContext
from claimtrack.cli.usage import UsageError
from claimtrack.errors import ClaimtrackError

#: Every command module under claimtrack.cli, each with `register(app)`.
MODULES: tuple[str, ...] = (
    "db", "stats", "actor", "document", "claim", "statement", "hop", "verdict", "log", "search",
    "conflicts", "report", "chain", "audit", "transfer", "history", "edit", "demo", "extract", "suggest",
    "serve", "shell", "server",
)

#: Top-level command name -> the modules whose `register` builds it (a module may add to a group
#: that another one owns: `edit` adds `claim edit`, `history` adds `log show`). Only these are
#: imported when the command runs; a name missing here still works, by loading every module.
COMMANDS: dict[str, tuple[str, ...]] = {
    "db": ("db",),
    "stats": ("stats",),
    "actor": ("actor", "edit"),
    "document": ("document", "edit"),
    "claim": ("claim", "edit"),
    "statement": ("statement", "edit"),
    "hop": ("hop", "edit"),
    "verdict": ("verdict", "edit"),
    "log": ("log", "history"),
    "search": ("search",),
    "conflicts": ("conflicts",),
    "report": ("report",),
    "chain": ("chain",),
    "audit": ("audit",),
    "import": ("transfer",),
    "export": ("transfer",),
    "history": ("history",),
    "demo": ("demo",),
    "extract": ("extract",),
    "suggest": ("suggest",),
    "serve": ("serve",),
    "shell": ("shell",),
    "server": ("server",),
}


def _typer_for_modules(modules: tuple[str, ...]) -> typer.Typer:
    """A throwaway Typer app with these modules registered on it (same help style as the root)."""
    holder = typer.Typer(rich_markup_mode=None, add_completion=False)
    for name in modules:
        importlib.import_module(f"claimtrack.cli.{name}").register(holder)
    return holder


class LazyCommands(MutableMapping[str, Any]):
    """The root group's subcommands, built from their modules on first use.

    Looking one name up loads only the modules that build it; iterating (help, completion, the
    generated reference) loads them all, in MODULES order.
    """

    def __init__(self, initial: MutableMapping[str, Any] | None = None) -> None:
        self._commands: dict[str, Any] = dict(initial or {})
        self._complete = False

    def _load(self, modules: tuple[str, ...]) -> list[str]:
        from claimtrack.cli.usage import adapt

        group = adapt(typer.main.get_group(_typer_for_modules(modules)))
        for name, command in group.commands.items():
            self._commands.setdefault(name, command)
        return list(group.commands)

    @property
    def complete(self) -> bool:
        return self._complete

    def load_all(self) -> None:
        if self._complete:
            return
        order = self._load(MODULES)
        ordered = {name: self._commands[name] for name in order}
        ordered.update(self._commands)  # commands added directly (tests, plug-ins) keep their place
        self._commands = ordered
        self._complete = True

    def _find(self, name: str) -> Any | None:
        if name not in self._commands and not self._complete:
            if name in COMMANDS:
                self._load(COMMANDS[name])
            if name not in self._commands:
                self.load_all()
        return self._commands.get(name)

    def __getitem__(self, name: str) -> Any:
        command = self._find(name)
        if command is None:
            raise KeyError(name)
        return command

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._find(name) is not None

    def __setitem__(self, name: str, command: Any) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._commands[name]

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return iter(list(self._commands))

    def __len__(self) -> int:
        self.load_all()
        return len(self._commands)


def _own_usage_error(exc: Exception) -> Exception:
    """A usage error as claimtrack says it (help requests and ours pass through unchanged)."""
    from claimtrack.cli.usage import ClaimtrackUsageError

    if isinstance(exc, ClaimtrackUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
        return exc
    return ClaimtrackUsageError(exc)


def summaries() -> list[tuple[str, str | None, str | None, bool]]:
    """(name, help, short help, hidden) of every top-level command, in Typer's order (commands,
    then groups), read from the registrations without building any command's parameters."""
    import inspect

    from typer.main import get_command_name, solve_typer_info_defaults

    holder = _typer_for_modules(MODULES)
    rows: list[tuple[str, str | None, str | None, bool]] = []
    for info in holder.registered_commands:
        assert info.callback is not None
        text = inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback)
        rows.append((info.name or get_command_name(info.callback.__name__), text, info.short_help, bool(info.hidden)))
    for group in holder.registered_groups:
        solved = solve_typer_info_defaults(group)
        rows.append((str(solved.name), solved.help, solved.short_help, bool(solved.hidden)))
    return rows


class ClaimtrackGroup(TyperGroup):
    """The root group: lazily loaded commands and the one error boundary (a ClaimtrackError
    becomes `Error: …` on stderr and exit 1; a usage error `Error: …` and exit 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """`claimtrack --help` lists the commands from their docstrings alone: building all
        of them (every option of 40-odd commands) was half of the time `--help` took."""
        if not isinstance(self.commands, LazyCommands) or self.commands.complete:
            return super().format_commands(ctx, formatter)
        from typer.core import TyperCommand

        shown = [row for row in summaries() if not row[3]]
        if not shown:
            return None
        limit = formatter.width - 6 - max(len(name) for name, *_ in shown)
        rows = [(name, TyperCommand(name=name, help=text, short_help=short).get_short_help_str(limit))
                for name, text, short, _hidden in shown]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        return None

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            raise _own_usage_error(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise _own_usage_error(exc) from None
        except ClaimtrackError as exc:
            if isinstance(ctx.obj, AppContext) and ctx.obj.debug:
                raise
            from claimtrack.cli.output import error

            details = [*getattr(exc, "candidates", []), *getattr(exc, "details", [])]
            error(str(exc), [str(d) for d in details])
            raise typer.Exit(1) from None


app = typer.Typer(
    name="claimtrack",
    cls=ClaimtrackGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain help: Typer's Rich help renderer alone costs ~100 ms per `--help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db_option: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database: a SQLite file path or a URL (sqlite:///PATH, postgresql://USER@HOST/DB). "
            "Default: $CLAIMTRACK_DATABASE_URL, else claimtrack.db in your user data directory.",
            show_default=False,
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Who is acting, for the change log. Default: $CLAIMTRACK_USER, else your login."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks instead of one-line errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """claimtrack: log who said what, where it was reported and when; line up conflicting
    claims side by side; audit every attribution chain back to its primary source."""
    if isinstance(ctx.obj, AppContext) and ctx.obj.shell:
        # a line typed in `claimtrack shell`: keep the shell's database open across commands
        if db_option is not None or user is not None or debug:
            raise typer.BadParameter("the shell keeps the --db, --user and --debug it was started with; "
                                     "start another shell for others", param_hint="--db / --user / --debug")
        return
    ctx.obj = AppContext(db_option=db_option, user=user, debug=debug)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
