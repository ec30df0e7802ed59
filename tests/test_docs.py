"""The documentation stays true: the CLI reference is generated and current, every command and
option explains itself, every doc is reachable from the index, and the README's commands are
the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
REGENERATE = "python -m claimtrack.cli.docgen > docs/cli.md"


def _commands() -> list[tuple[str, object]]:
    from claimtrack.cli.docgen import root_command, walk

    return [(" ".join(("claimtrack", *path)), command) for path, command in walk(root_command())]


def test_cli_reference_is_up_to_date():
    from claimtrack.cli.docgen import render

    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == render(), f"docs/cli.md is out of date with the commands; regenerate it: {REGENERATE}"


@pytest.mark.parametrize("name,command", _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help(name, command):
    from claimtrack.cli.docgen import help_text

    assert help_text(command), f"`{name}` has no help text: give the command function a docstring"


def test_every_option_has_help():
    from claimtrack.cli.docgen import documented_params, param_help

    missing = [
        f"{name} {param.opts[0] if param.opts else param.name}"
        for name, command in _commands()
        for param in documented_params(command)
        if not param_help(param)
    ]
    assert not missing, "options or arguments without help=…: " + ", ".join(missing)


def test_reference_lists_every_command():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name, _command in _commands()[1:]:
        assert f"## {name}\n" in text, f"docs/cli.md has no section for `{name}`"


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)


def test_index_links_every_doc():
    linked = set(_links(DOCS / "index.md"))
    for doc in sorted(DOCS.glob("*.md")):
        if doc.name != "index.md":
            assert doc.name in linked, f"docs/index.md does not link {doc.name}"


@pytest.mark.parametrize("path", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_relative_links_resolve(path: Path):
    for target in _links(path):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (path.parent / target).exists(), f"{path.name} links {target}, which does not exist"


def test_readme_commands_are_the_ones_ci_and_users_run():
    readme = README.read_text(encoding="utf-8")
    run = "python3 -m venv .venv && .venv/bin/pip install '.[postgresql]' && .venv/bin/claimtrack demo"
    test = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    assert run in readme
    assert test in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # CI adds -q to pip only; the commands are otherwise the README's, word for word
    assert test.replace("pip install -e", "pip install -q -e") in ci or test in ci


def test_readme_excerpt_is_real_demo_output(tmp_path):
    """The side-by-side excerpt pasted in the README is what the command prints today."""
    import os
    import subprocess
    import sys

    from claimtrack.demo import create_demo_database

    readme = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- demo-excerpt -->\n```text\n(.*?)```", readme, re.DOTALL)
    assert match, "README.md has no ```text block after <!-- demo-excerpt -->"
    command = re.search(r"`claimtrack --db <demo path> ([^`]+)`:\n\n<!-- demo-excerpt -->", readme)
    assert command, "README.md must name the command its excerpt comes from"
    path = tmp_path / "demo.db"
    create_demo_database(path).dispose()
    result = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--db", str(path), *command.group(1).split()],
        env={**os.environ, "COLUMNS": "92", "NO_COLOR": "1"}, capture_output=True, text=True, check=True,
    )
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    pasted = [line.rstrip() for line in match.group(1).splitlines()]
    assert pasted == printed, "the README's excerpt is stale: paste the command's current output (COLUMNS=92)"
