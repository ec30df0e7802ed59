"""Lists cut by --limit say "showing N of M"; --limit 0 means all."""

from __future__ import annotations

from typing import Any


def test_lists_say_when_they_are_cut_and_limit_zero_means_all(cli: Any) -> None:
    for n in range(3):
        cli.ok("claim", "add", f"Claim number {n} about the budget")
        cli.ok("actor", "add", ["Alexei Navalny", "Maria Zakharova", "Leonid Volkov"][n], "--kind", "person")
    for command in (("claim", "list"), ("actor", "list")):
        cut = cli.ok(*command, "--limit", "2").stdout
        assert "showing 2 of 3 (--limit N for more, --limit 0 for all)" in cut
        every = cli.ok(*command, "--limit", "0").stdout
        assert "showing" not in every and ("Claim number 2" in every or "Leonid Volkov" in every)
        assert len(cli.json(*command, "--limit", "0")) == 3
        assert len(cli.json(*command, "--limit", "2")) == 2
    assert "showing" not in cli.ok("claim", "list").stdout
    assert len(cli.json("log", "show", "--limit", "0")) >= 6


def test_negative_limit_is_a_usage_error(cli: Any) -> None:
    result = cli("claim", "list", "--limit", "-1")
    assert result.exit_code == 2
