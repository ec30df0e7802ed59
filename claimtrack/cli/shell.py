"""`claimtrack shell`: one process and one open database for logging a whole article.

Any claimtrack command line is typed at the prompt (without `claimtrack`) and runs in-process
through the same command tree and error boundary as on the command line, each in its own
transaction: an error prints `Error: …` and the shell goes on, with no transaction left open.
`use document 12` makes a document current, so `log` needs no --url/--outlet/--title/--published.

The prompt is prompt_toolkit's: completion menus that can insert "Leonid Volkov" as one quoted
word and show what an id stands for (readline splits on spaces and shows bare words), a history
file, and the same behaviour on Windows, where the standard library's `cmd` has no readline.
Without a terminal (a pipe) the shell reads one command per line from stdin, with no prompt.
"""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import typer

from claimtrack.cli.context import AppContext, app_context

BUILTINS = {
    "use": "use document ID|KEY: the document `log` reports on; `use none` forgets it; `use` shows it",
    "help": "help: this list; COMMAND --help for a command",
    "exit": "exit (or quit, or Ctrl-D): leave the shell",
    "quit": "",
}
#: options that name an actor; their values complete from the database
ACTOR_OPTIONS = {"--speaker", "--outlet", "--via", "--on-behalf-of", "--reviewer", "--organization"}
CLAIM_OPTIONS = {"--claim-id"}
#: the options that say which document `log` is about: any of them switches the current one off
DOCUMENT_OPTIONS = {"--url", "--outlet", "--title", "--published", "--batch", "--document"}
#: argument names and what they complete with
ARGUMENT_KINDS = {"claim": "claims", "claim_ref": "claims", "source": "claims", "target": "claims",
                  "actor": "actors", "speaker": "actors", "outlet": "actors", "name": "actors",
                  "document": "documents", "ref": None}


def say(message: str) -> None:
    """A line for the person at the prompt, through the consoles that show user text literally."""
    from claimtrack.cli.objects import say as say_line

    say_line(message)


def history_path() -> Path:
    """The shell's history file, in the user data directory beside the default database."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("claimtrack", appauthor=False)) / "shell_history"


def quote_word(text: str) -> str:
    """A value as one shell word: "Leonid Volkov" in double quotes when it needs quoting."""
    if text and all(c.isalnum() or c in "-_.#:/@" for c in text):
        return text
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return shlex.quote(text)


def split_partial(text: str) -> tuple[list[str], str, int]:
    """The complete words before the cursor, the word being typed, and its length as typed."""
    try:
        words = shlex.split(text)
    except ValueError:  # an open quote: the word being typed starts at it
        start = max(text.rfind('"'), text.rfind("'"))
        try:
            words = shlex.split(text[:start])
        except ValueError:
            words = []
        return words, text[start + 1:], len(text) - start
    if not text or text[-1].isspace():
        return words, "", 0
    raw = text.rsplit(None, 1)[-1]
    return words[:-1], words[-1] if words else "", len(raw)


class Shell:
    """The shell's state and its one way of running a line (the prompt loop only feeds it)."""

    def __init__(self, context: AppContext) -> None:
        from claimtrack.cli.app import app

        self.context = context
        self.root = typer.main.get_command(app)
        self.document: dict[str, Any] | None = None
        self._names: Any | None = None

    # ------------------------------------------------------------------ running lines

    def prompt(self) -> str:
        return f"claimtrack [document {self.document['id']}]> " if self.document else "claimtrack> "

    def run_line(self, line: str) -> int:
        """Run one command line; return its exit code. Never raises for a user's mistake."""
        try:
            words = shlex.split(line)
        except ValueError as exc:
            self._say_error(f"cannot read that line: {exc} (close the quote)")
            return 2
        if words and words[0] == "claimtrack":
            words = words[1:]
        if not words:
            return 0
        if words[0] in BUILTINS:
            return self._builtin(words)
        try:
            return self._run(self._with_document(words))
        finally:
            self._names = None  # a command may have added names: read them again when needed
            self._close_leftovers()

    def _run(self, words: list[str]) -> int:
        from claimtrack.cli.usage import UsageError

        try:
            result = self.root.main(args=words, prog_name="claimtrack", standalone_mode=False, obj=self.context)
        except UsageError as exc:
            exc.show()  # type: ignore[attr-defined]
            return 2
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
        except KeyboardInterrupt:
            print("Interrupted: nothing of that command was written", file=sys.stderr)
            return 130
        except Exception as exc:
            if self.context.debug:
                raise
            if type(exc).__name__ == "Abort":
                print("Aborted: nothing of that command was written", file=sys.stderr)
                return 1
            self._say_error(f"unexpected {type(exc).__name__}: {exc}; nothing of that command was "
                            "written (start the shell with --debug for the traceback)")
            return 1
        return result if isinstance(result, int) else 0

    def _close_leftovers(self) -> None:
        """No command may leave a connection checked out (an open transaction) behind it."""
        database = self.context._database
        if database is None:
            return
        busy = [engine for engine in database._engines.values() if engine.pool.checkedout()]  # type: ignore[attr-defined]
        if busy:
            self._say_error("a command left a database connection open; it was closed (nothing of it kept)")
            database.dispose()

    def _with_document(self, words: list[str]) -> list[str]:
        """`log …` with the current document's options added, unless the line names a document."""
        if self.document is None or words[0] != "log" or (len(words) > 1 and not words[1].startswith("-")):
            return words
        given = {word.split("=", 1)[0] for word in words}
        if given & DOCUMENT_OPTIONS or {"-h", "--help"} & given:
            return words
        return [*words, *self.document["options"]]

    def _say_error(self, message: str) -> None:
        from claimtrack.cli.output import error

        error(message)

    # ------------------------------------------------------------------ built-ins

    def _builtin(self, words: list[str]) -> int:
        name = words[0]
        if name in ("exit", "quit"):
            raise EOFError
        if name == "help":
            print("Type any claimtrack command without `claimtrack`: log …, report claim 3, conflicts.")
            for text in BUILTINS.values():
                if text:
                    print(f"  {text}")
            print("Commands: " + ", ".join(self.root.list_commands(typer.Context(self.root))))  # type: ignore[attr-defined]
            return 0
        return self._use(words[1:])

    def _use(self, args: list[str]) -> int:
        if not args:
            say(self._describe() if self.document else "no current document: use document ID")
            return 0
        if args == ["none"]:
            self.document = None
            say("no current document")
            return 0
        if len(args) != 2 or args[0] != "document":
            self._say_error("use document ID|KEY, or use none")
            return 2
        from claimtrack.errors import ClaimtrackError
        from claimtrack.queries.lookup import get_document

        try:
            with self.context.database.read() as session:
                document = get_document(session, args[1])
                self.document = _document_state(document)
        except ClaimtrackError as exc:
            self._say_error(str(exc))
            return 1
        finally:
            self._close_leftovers()
        say(self._describe())
        return 0

    def _describe(self) -> str:
        assert self.document is not None
        return f"current document: {self.document['label']}  (log adds: {shlex.join(self.document['options'])})"

    # ------------------------------------------------------------------ names for completion

    def names(self) -> Any:
        """Actors, claims and documents from the database, read once until the next command."""
        if self._names is None:
            from claimtrack.errors import ClaimtrackError
            from claimtrack.queries.names import KnownNames, known_names

            try:
                with self.context.database.read() as session:
                    self._names = known_names(session)
            except ClaimtrackError:
                self._names = KnownNames()
            finally:
                self._close_leftovers()
        return self._names

    def completions(self, text: str) -> list[tuple[str, int, str]]:
        """(replacement, length of the typed word it replaces, what it is) for the text before the cursor."""
        words, current, typed = split_partial(text)
        out = [(word, typed, meta) for word, meta in self._candidates(words, current)]
        return out[:200]

    def _candidates(self, words: list[str], current: str) -> Iterator[tuple[str, str]]:
        if words and words[0] == "claimtrack":
            words = words[1:]
        if not words:
            names = [*self.root.list_commands(None), *[b for b in BUILTINS if BUILTINS[b]]]  # type: ignore[attr-defined]
            yield from ((n, "") for n in names if n.startswith(current))
            return
        if words[0] == "use":
            if len(words) == 1:
                yield from ((w, "") for w in ("document", "none") if w.startswith(current))
            elif words[1:] == ["document"]:
                yield from self._objects("documents", current)
            return
        command, rest = self._resolve(words)
        if command is None:
            return
        previous = rest[-1] if rest else None
        option = self._option(command, previous) if previous and previous.startswith("-") else None
        if option is not None and not option.is_flag:
            yield from self._option_values(option, previous or "", current)
            return
        if current.startswith("-"):
            for param in command.params:
                for name in [*param.opts, *param.secondary_opts]:
                    if name.startswith(current) and name.startswith("--"):
                        yield name, (param.help or "")[:60]
            return
        subcommands = getattr(command, "commands", None)
        if subcommands and not rest:
            yield from ((n, "") for n in command.list_commands(None) if n.startswith(current))
            return
        argument = self._next_argument(command, rest)
        if argument is not None:
            kind = ARGUMENT_KINDS.get(argument.name)
            if kind:
                yield from self._objects(kind, current)

    def _resolve(self, words: list[str]) -> tuple[Any, list[str]]:
        command: Any = self.root
        rest = list(words)
        while rest and getattr(command, "commands", None) is not None and not rest[0].startswith("-"):
            sub = command.get_command(None, rest[0]) if hasattr(command, "get_command") else None
            if sub is None:
                return (command, rest) if command is not self.root else (None, rest)
            command, rest = sub, rest[1:]
        return command, rest

    @staticmethod
    def _option(command: Any, name: str) -> Any | None:
        for param in command.params:
            if name in (*param.opts, *param.secondary_opts) and param.param_type_name == "option":
                return param
        return None

    @staticmethod
    def _next_argument(command: Any, rest: list[str]) -> Any | None:
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        positional = 0
        skip = False
        for word in rest:
            if skip:
                skip = False
                continue
            if word.startswith("-"):
                option = Shell._option(command, word)
                skip = option is not None and not option.is_flag
                continue
            positional += 1
        return arguments[positional] if positional < len(arguments) else None

    def _option_values(self, option: Any, name: str, current: str) -> Iterator[tuple[str, str]]:
        choices = getattr(option.type, "choices", None)
        if choices:
            yield from ((str(c), "") for c in (getattr(c, "value", c) for c in choices) if str(c).startswith(current))
            return
        if name in ACTOR_OPTIONS:
            yield from self._objects("actors", current)
        elif name in CLAIM_OPTIONS:
            yield from self._objects("claims", current)
        elif name == "--stance":
            from claimtrack.vocab import Stance

            yield from ((s.value, "") for s in Stance if s.value.startswith(current))

    def _objects(self, kind: str, current: str) -> Iterator[tuple[str, str]]:
        """Actors complete to their (quoted) name; claims and documents to their id, shown with
        their text. A typed word matches a name's or text's words from their start, or an id."""
        from claimtrack.normalize import fold

        wanted = fold(current)
        for item in getattr(self.names(), kind):
            text = fold(item.label)
            matches = (not wanted or text.startswith(wanted) or f" {wanted}" in f" {text}"
                       or str(item.id).startswith(current) or (item.key or "").startswith(current))
            if not matches:
                continue
            if kind == "actors":
                yield quote_word(item.label), f"actor {item.id}"
            else:
                yield str(item.id), item.label[:70]


def _document_state(document: Any) -> dict[str, Any]:
    """What `use document` remembers: a label and the options `log` gets."""
    options: list[str] = []
    if document.url:
        options = ["--url", document.url]
    else:
        if document.title:
            options += ["--title", document.title]
        if document.outlet_id:
            options += ["--outlet", f"#{document.outlet_id}"]
        if document.published is not None:
            options += ["--published", str(document.published)]
    outlet = document.outlet.name if document.outlet is not None else None
    label = " · ".join(str(part) for part in (f"document {document.id}", outlet, document.title or document.url) if part)
    return {"id": document.id, "label": label, "options": options}


def _prompt_lines(shell: Shell) -> Iterable[str]:
    """Lines typed at a prompt_toolkit prompt, with history and completion."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.history import FileHistory

    class ShellCompleter(Completer):
        def get_completions(self, document: Any, complete_event: Any) -> Iterator[Completion]:
            for text, typed, meta in shell.completions(document.text_before_cursor):
                yield Completion(text, start_position=-typed, display_meta=meta or None)

    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(path)), completer=ShellCompleter(),
                                                complete_while_typing=False)
    while True:
        try:
            yield session.prompt(shell.prompt())
        except KeyboardInterrupt:
            continue  # Ctrl-C clears the line, as in any shell


def shell(ctx: typer.Context) -> None:
    """An interactive shell: type claimtrack commands without `claimtrack` (log …, report claim 3),
    with history and Tab completion of commands, options and the names of actors, claims and
    documents. `use document ID` makes `log` report on that document until `use none`. One
    process and one open database; each command is its own transaction, and an error never
    ends the shell. `exit` or Ctrl-D leaves it."""
    context = app_context(ctx)
    context.shell = True
    context.database.ensure_schema()  # once, now: not before the first command
    runner = Shell(context)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if interactive:
        print(f"claimtrack shell on {context.database.display_url}: `help` lists what you can type, "
              "Tab completes, Ctrl-D leaves.")
    lines: Iterable[str] = _prompt_lines(runner) if interactive else (line.rstrip("\n") for line in sys.stdin)
    last = 0
    try:
        for line in lines:
            started = time.perf_counter()
            last = runner.run_line(line)
            if context.debug:
                print(f"({(time.perf_counter() - started) * 1000:.1f} ms, exit {last})", file=sys.stderr)
    except EOFError:
        pass
    finally:
        context.shell = False
    if not interactive and last:
        raise typer.Exit(last)  # a piped script's last command decides the exit code


def register(app: typer.Typer) -> None:
    app.command("shell")(shell)
