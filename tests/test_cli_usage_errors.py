"""Bad option values exit 2 with claimtrack's own words, on every command (issue #15/#17).

Walks the whole command tree: every number, choice and date option is given a bad value and
must answer one `Error: --option: …` line naming the value and what is expected, exit 2, never a
Typer/click/pydantic internal phrase, and never touch (or create) the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claimtrack.cli.docgen import root_command, walk
from claimtrack.cli.usage import _kind, option_name

#: option names that take a date: each must refuse a non-date with exit 2
DATE_OPTIONS = {"--said", "--published", "--reviewed", "--retrieved", "--since", "--until", "--as-of",
                "--start", "--end"}
#: text options that take a word of claimtrack's vocabulary (stance, kinds, bounds, relation types)
VOCAB_OPTIONS = {"--stance", "--kind", "--quote-kind", "--quantity-bound", "--type", "--document-kind", "--status"}
INTERNAL_WORDS = ("pydantic", "Input should", "Invalid value for", "is not a valid", "x>=", "<=x",
                  "Traceback", "Usage:")


def _cases() -> list[Any]:
    cases = []
    for path, command in walk(root_command()):
        if getattr(command, "commands", None) and not getattr(command, "invoke_without_command", False):
            continue
        for param in command.params:
            if getattr(param, "param_type_name", "") != "option" or getattr(param, "hidden", False):
                continue
            name, kind = option_name(param), _kind(param.type)
            if kind in ("integer", "number"):
                bad = "abc"
            elif kind == "choice":
                bad = "no-such-choice"
            elif name in DATE_OPTIONS:
                bad = "2021-13-45"
            elif name in VOCAB_OPTIONS:
                bad = "no-such-word"
            else:
                continue
            arguments = ["1" for p in command.params if getattr(p, "param_type_name", "") == "argument"]
            for other in command.params:  # required options get a harmless value after ours
                if other.required and other is not param and getattr(other, "param_type_name", "") == "option":
                    arguments = [option_name(other), "1", *arguments]
            cases.append(pytest.param(list(path), name, bad, arguments, id=" ".join([*path, name])))
    return cases


CASES = _cases()


def test_the_walk_finds_the_options_it_should():
    ids = {case.id for case in CASES}
    assert {"actor list --limit", "audit --fail-on", "log --said", "verdict add --value", "log --stance",
            "actor add --kind"} <= ids
    assert len(CASES) > 20


@pytest.mark.parametrize(("path", "option", "bad", "arguments"), CASES)
def test_bad_option_value_exits_2_in_claimtracks_words(tmp_path: Path, path, option, bad, arguments):
    db = tmp_path / "never-created.db"
    # the option first: click converts what the command line gives in that order
    result = CliRunner().invoke(__import__("claimtrack.cli.app", fromlist=["app"]).app,
                                ["--db", str(db), *path, option, bad, *arguments], catch_exceptions=False)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"Error: {option}: "), result.stderr
    assert repr(bad) in first or bad in first, first
    for words in INTERNAL_WORDS:
        assert words not in result.stderr, result.stderr
    assert not db.exists(), "a usage error opened the database"


def test_range_and_choice_words(tmp_path: Path):
    from claimtrack.cli.app import app

    def error(*argv: str) -> str:
        result = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), *argv])
        assert result.exit_code == 2
        return result.stderr.splitlines()[0]

    assert error("actor", "list", "--limit", "abc") == (
        "Error: --limit: 'abc' is not a whole number (expected a whole number of at least 0)")
    assert error("demo", "--width", "10") == "Error: --width: 10 is out of range: expected a whole number from 60 to 250"
    assert error("audit", "--fail-on", "sometimes") == "Error: --fail-on: 'sometimes' is not one of: error, warning, info, never"
    assert error("verdict", "add", "1", "--label", "x", "--value", "lots").startswith(
        "Error: --value: 'lots' is not a number")
    assert "No such command 'stat'" in error("stat")


def test_bad_date_option_writes_nothing(cli, snapshot):
    before = snapshot()
    result = cli("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--claim", "A claim", "--new",
                 "--said", "2021-02-30", "--no-interactive")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --said: '2021-02-30' is not a real date")
    assert snapshot() == before


def test_date_options_read_numeric_dates_in_the_configured_order(cli, monkeypatch):
    """The option check reads dates as the command does ($CLAIMTRACK_DATE_ORDER, claimtrack.dates)."""
    ambiguous = cli("search", "x", "--since", "01/02/2021")
    assert ambiguous.exit_code == 2 and ambiguous.stderr.startswith("Error: --since: ")
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "DMY")
    assert cli("search", "x", "--since", "01/02/2021", "--json").exit_code == 0
