"""One process runs many commands (`claimtrack shell`, the tests' runner): each command's output
follows the environment of its own call, although Rich reads COLUMNS only when a Console is made."""


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_each_command_is_as_wide_as_its_own_columns(cli, monkeypatch):
    from claimtrack.cli import output

    cli.ok("actor", "add", "Maria Zakharova", "--description", "Spokeswoman of the Russian Foreign Ministry")
    monkeypatch.setattr(output, "_consoles", {})  # the first console is made with COLUMNS=40
    narrow = cli.ok("history", "actor", "1", env={"COLUMNS": "40"}).stdout
    wide = cli.ok("history", "actor", "1", env={"COLUMNS": "160"}).stdout
    again = cli.ok("history", "actor", "1", env={"COLUMNS": "40"}).stdout
    assert _widest(narrow) <= 40 and _widest(again) <= 40
    assert _widest(wide) > 40, wide  # before, the first command's width stuck for every later one
