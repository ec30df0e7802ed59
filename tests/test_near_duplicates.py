"""Every command that creates an actor on the fly (`--new`) runs the near-duplicate check of
`log --new`: in scripts it refuses a second spelling, naming the candidates, unless `--force`;
on a terminal it asks "did you mean …?" (issue #12)."""

from __future__ import annotations

from typing import Any

import pytest

SECOND_SPELLING = "Alexey Navalnyy"

COMMANDS = {
    "statement add --speaker": ("--speaker", ("statement", "add", "--claim", "Another claim", "--stance", "asserts",
                                              "--speaker", SECOND_SPELLING, "--new")),
    "statement add --on-behalf-of": ("--on-behalf-of", ("statement", "add", "--claim", "Another claim", "--stance",
                                                        "asserts", "--on-behalf-of", SECOND_SPELLING, "--new")),
    "hop add --via": ("--via", ("hop", "add", "--document", "2", "--statement", "1", "--via", SECOND_SPELLING, "--new")),
    "verdict add --reviewer": ("--reviewer", ("verdict", "add", "1", "--label", "false", "--reviewer", SECOND_SPELLING,
                                              "--new")),
    "document add --outlet": ("--outlet", ("document", "add", "--title", "Another report", "--outlet", SECOND_SPELLING,
                                           "--new")),
    "log --statement --outlet": ("--outlet", ("log", "--statement", "1", "--title", "Another report", "--outlet",
                                              SECOND_SPELLING, "--new", "--no-interactive")),
    "log --statement --via": ("--via", ("log", "--statement", "1", "--url", "https://example.org/b", "--via",
                                        SECOND_SPELLING, "--new", "--no-interactive")),
}


def _logged(cli: Any) -> None:
    cli.ok("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "Putin\u2019s regime must go",
           "--outlet", "franceinfo", "--title", "Navalny speaks from prison", "--published", "2024-01-05",
           "--new", "--no-interactive")
    cli.ok("document", "add", "--url", "https://example.org/a", "--title", "A second report")


def _actors(cli: Any) -> list[str]:
    return [a["name"] for a in cli.json("actor", "list")]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_new_refuses_a_second_spelling_without_a_terminal(cli: Any, snapshot: Any, name: str) -> None:
    option, argv = COMMANDS[name]
    _logged(cli)
    before = snapshot()
    result = cli(*argv)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith(
        f"Error: {option}: no actor named '{SECOND_SPELLING}', but similar ones exist (did you mean "
        f"'Alexei Navalny'?); name it as logged, or add --force to create '{SECOND_SPELLING}' anyway")
    assert "Alexei Navalny \u2014 actor 1" in result.stderr  # the candidates, with their ids
    assert snapshot() == before
    cli.ok(*argv, "--force")
    assert SECOND_SPELLING in _actors(cli)


@pytest.mark.parametrize("name", ["statement add --speaker", "hop add --via", "verdict add --reviewer",
                                  "document add --outlet", "log --statement --via"])
def test_new_on_a_terminal_asks_did_you_mean(cli: Any, monkeypatch: Any, name: str) -> None:
    import claimtrack.cli.objects

    option, argv = COMMANDS[name]
    _logged(cli)
    before = _actors(cli)
    monkeypatch.setattr(claimtrack.cli.objects, "is_interactive", lambda flag=None: True if flag is None else flag)
    argv = tuple(a for a in argv if a != "--no-interactive")
    out = cli.ok(*argv, input="y\n").stdout
    assert f"{option} '{SECOND_SPELLING}': did you mean Alexei Navalny \u2014 actor 1" in out
    assert _actors(cli) == before  # the existing actor was used: no second spelling


def test_new_on_a_terminal_creates_when_the_candidates_are_declined(cli: Any, monkeypatch: Any) -> None:
    import claimtrack.cli.objects

    _logged(cli)
    monkeypatch.setattr(claimtrack.cli.objects, "is_interactive", lambda flag=None: True)
    cli.ok("verdict", "add", "1", "--label", "false", "--reviewer", SECOND_SPELLING, "--new", input="n\n")
    assert SECOND_SPELLING in _actors(cli)
    assert cli.json("verdict", "list")[0]["reviewer"] == SECOND_SPELLING


def test_new_still_creates_a_name_nobody_is_close_to(cli: Any) -> None:
    _logged(cli)
    cli.ok("hop", "add", "--document", "2", "--statement", "1", "--via", "Agence France-Presse", "--new")
    cli.ok("statement", "add", "--claim", "Another claim", "--stance", "denies", "--speaker", "Dmitry Peskov", "--new")
    assert {"Agence France-Presse", "Dmitry Peskov"} <= set(_actors(cli))


def test_exact_and_folded_spellings_need_no_force(cli: Any) -> None:
    _logged(cli)
    cli.ok("statement", "add", "--claim", "Another claim", "--stance", "denies", "--speaker", "alexei  NAVALNY", "--new")
    assert _actors(cli).count("Alexei Navalny") == 1
