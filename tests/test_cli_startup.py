"""Start-up budget, guarded by counting what a command imports (never by timing it).

Every command pays its imports before it does anything; bench/run.py measures the time, these
tests keep the causes out: `--help` imports no database layer, a read command imports only its
own command module and none of formats/checks/services/alembic/Rich (for --json), nothing
imports pydantic.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from claimtrack.cli.app import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
heavy = [m for m in ("sqlalchemy", "alembic", "psycopg", "rapidfuzz", "pydantic") if m in sys.modules]
print("HEAVY:" + ",".join(heavy))
print("MODULES:" + ",".join(sorted(m for m in sys.modules if m.startswith("claimtrack")
                                    or m.split(".")[0] in ("rich", "pydantic", "alembic", "sqlalchemy", "jinja2"))))
"""


def probe(*argv: str) -> tuple[list[str], set[str]]:
    """Run a command in a fresh interpreter: (heavy packages imported, modules imported)."""
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("MODULES:"), result.stdout + result.stderr
    heavy = [m for m in lines[-2].removeprefix("HEAVY:").split(",") if m]
    return heavy, set(lines[-1].removeprefix("MODULES:").split(","))


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["report", "--help"], ["log", "--help"],
                                  ["import", "--help"], ["audit", "--help"], ["claim", "--help"]])
def test_help_does_not_import_the_database_layer(argv):
    heavy, _ = probe(*argv)
    assert heavy == [], f"{argv} imported {heavy}"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from claimtrack.demo import create_demo_database

    path = tmp_path_factory.mktemp("startup") / "demo.db"
    create_demo_database(path)
    return path


def _claimtrack_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.startswith("claimtrack.")}


def test_stats_imports_only_what_it_uses(demo_file):
    heavy, modules = probe("--db", str(demo_file), "stats", "--json")
    assert "pydantic" not in heavy and "alembic" not in heavy and "rapidfuzz" not in heavy
    ours = _claimtrack_modules(modules)
    assert {"claimtrack.cli.stats", "claimtrack.queries.stats"} <= ours
    layers = {m.split(".")[1] for m in ours}
    assert not layers & {"formats", "checks", "reports", "services", "migrate"}, sorted(ours)
    other_commands = {m for m in ours if m.startswith("claimtrack.cli.")} - {
        "claimtrack.cli.app", "claimtrack.cli.context", "claimtrack.cli.output", "claimtrack.cli.usage",
        "claimtrack.cli.stats"}
    assert other_commands == set(), "stats loaded other command modules"
    assert not any(m == "rich" or m.startswith("rich.") for m in modules), "--json needs no Rich"
    # a partial index declared with dialect kwargs made SQLAlchemy import every dialect so named
    assert "sqlalchemy.dialects.postgresql" not in modules, "a SQLite command imported the PostgreSQL dialect"


@pytest.mark.parametrize("argv", [["report", "claim", "1", "--json"], ["claim", "show", "1", "--json"],
                                  ["conflicts", "--json"], ["search", "Navalny", "--json"]])
def test_read_commands_import_no_alembic_pydantic_or_writers(demo_file, argv):
    heavy, modules = probe("--db", str(demo_file), *argv)
    assert "alembic" not in heavy and "pydantic" not in heavy, heavy
    layers = {m.split(".")[1] for m in _claimtrack_modules(modules)}
    assert not layers & {"formats", "checks", "migrate"}, sorted(_claimtrack_modules(modules))
    assert "claimtrack.cli.transfer" not in modules and "claimtrack.cli.audit" not in modules


@pytest.mark.parametrize("argv", [["report", "claim", "1", "--json"], ["report", "speaker", "Leonid Volkov", "--json"],
                                  ["report", "outlet", "AFP", "--json"], ["chain", "1", "--json"],
                                  ["conflicts", "--json"], ["conflicts", "--claim", "1", "--json"]])
def test_report_json_imports_no_renderers(demo_file, argv):
    """`report … --json` builds the report's data only: Rich and the HTML templates are imported
    by the callables that render (they were imported up front once, and that crept back)."""
    _heavy, modules = probe("--db", str(demo_file), *argv)
    renderers = {"claimtrack.reports.views", "claimtrack.reports.html", "claimtrack.reports.chain_tree",
                 "claimtrack.reports.conflicts", "jinja2"}
    assert not renderers & modules, sorted(_claimtrack_modules(modules))
    assert not any(m == "rich" or m.startswith("rich.") for m in modules), "--json needs no Rich"


def test_no_command_module_imports_pydantic_or_the_database_at_import():
    """Importing every command module (what `--help` does) stays free of the heavy layers."""
    code = ("import sys; from claimtrack.cli.app import app, LazyCommands; import typer;"
            "typer.main.get_command(app).commands.load_all();"
            "print([m for m in ('sqlalchemy', 'pydantic', 'alembic', 'rich.table') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def _subcommands_probe(modules: tuple[str, ...], name: str) -> set[str]:
    """The subcommands of `name` when only `modules` are registered, in a fresh interpreter
    (modules add to each other's groups, so one process cannot test them apart)."""
    code = ("import sys, typer; from claimtrack.cli.app import _typer_for_modules;"
            f"g = typer.main.get_group(_typer_for_modules({modules!r})).commands.get({name!r});"
            "print(sorted(getattr(g, 'commands', {})) if g is not None else 'MISSING')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(eval(result.stdout)) if result.stdout.strip() != "MISSING" else {"MISSING"}


def test_the_command_table_lists_every_command():
    """A new command module: add it to MODULES and its command names to COMMANDS."""
    import typer

    from claimtrack.cli.app import COMMANDS, MODULES, _typer_for_modules

    everything = typer.main.get_group(_typer_for_modules(MODULES))
    assert set(COMMANDS) == set(everything.commands), "COMMANDS and the registered commands differ"


@pytest.mark.parametrize("name", sorted(__import__("claimtrack.cli.app", fromlist=["COMMANDS"]).COMMANDS))
def test_the_command_table_names_the_modules_that_build_each_command(name):
    """Loading COMMANDS[name] alone gives the command with all of its subcommands."""
    from claimtrack.cli.app import COMMANDS, MODULES

    assert _subcommands_probe(COMMANDS[name], name) == _subcommands_probe(MODULES, name), (
        f"{name}: built by more modules than COMMANDS[{name!r}] = {COMMANDS[name]}")


def test_version_and_module_entry_point():
    from claimtrack import __version__

    result = subprocess.run([sys.executable, "-m", "claimtrack", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"claimtrack {__version__}"


def test_usage_errors_exit_2(cli):
    result = cli("no-such-command")
    assert result.exit_code == 2


def test_root_help_lists_commands_without_building_them_and_says_the_same():
    """`claimtrack --help` reads the command list from the registrations; it must print exactly
    what the fully built command tree prints."""
    code = ("import sys, io, contextlib, typer\n"
            "from claimtrack.cli.app import app\n"
            "def helptext(group):\n"
            "    out = io.StringIO()\n"
            "    with contextlib.redirect_stdout(out):\n"
            "        try: group.main(['--help'], prog_name='claimtrack')\n"
            "        except SystemExit: pass\n"
            "    return out.getvalue()\n"
            "g = typer.main.get_command(app)\n"
            "fast = helptext(g)\n"
            "built = [n for n, c in dict.items(g.commands._commands)]\n"
            "g.commands.load_all()\n"
            "print(repr(fast == helptext(g)), built)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True []", result.stdout + result.stderr
