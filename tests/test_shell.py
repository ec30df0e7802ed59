"""`claimtrack shell`: in-process commands, a current document, completion, the error boundary.

The Shell object is tested on both backends; a pseudo-terminal test (pexpect) drives the real
prompt: log a few statements, complete a name with Tab, recover from an error, leave.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import pytest

VOLKOV = '--speaker "Leonid Volkov" --stance asserts --no-interactive'


@pytest.fixture
def shell(cli, db_url):
    from claimtrack.cli.context import AppContext
    from claimtrack.cli.shell import Shell

    cli.ok("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--claim", "Police visited supporters",
           "--url", "https://example.org/a", "--outlet", "The New Indian Express", "--published", "2021-07-28",
           "--new")
    cli.ok("document", "add", "--title", "Volkov on Telegram", "--outlet", "Leonid Volkov", "--published", "2021-07")
    context = AppContext(db_option=db_url, user="tester", shell=True)
    yield Shell(context)
    context.close()


def run(shell, line: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = shell.run_line(line)
    return code, out.getvalue(), err.getvalue()


def test_commands_run_in_process_on_one_database(shell, cli):
    code, out, _ = run(shell, "stats --json")
    assert code == 0 and '"statements": 1' in out
    engines = dict(shell.context.database._engines)
    run(shell, "report claim 1 --json")
    code, out, err = run(shell, f'log --claim "A second claim" --url https://example.org/a {VOLKOV}')
    assert code == 0, err
    assert shell.context.database._engines == engines or set(engines) <= set(shell.context.database._engines)
    assert all(engine.pool.checkedout() == 0 for engine in shell.context.database._engines.values())
    assert cli.json("stats")["statements"] == 2


def test_use_document_fills_in_log(shell, cli):
    code, out, _ = run(shell, "use document 2")
    assert code == 0 and "current document: document 2 · Leonid Volkov · Volkov on Telegram" in out
    assert shell.prompt() == "claimtrack [document 2]> "
    code, out, err = run(shell, 'log --speaker "Leonid Volkov" --stance asserts --claim "Said on Telegram" '
                                '--primary --no-interactive --json')
    assert code == 0, err
    assert '"document_id": 2' in out
    run(shell, "use document 1")
    code, out, err = run(shell, 'log --speaker "Leonid Volkov" --stance denies --claim "Another" --no-interactive --json')
    assert code == 0 and '"document_id": 1' in out, err
    # a line that names its own document keeps it
    code, out, err = run(shell, 'log --speaker "Leonid Volkov" --stance asserts --claim "Elsewhere" '
                                '--url https://example.org/b --no-interactive --json')
    assert code == 0 and '"document_id": 3' in out, err
    run(shell, "use none")
    assert shell.document is None and shell.prompt() == "claimtrack> "


def test_errors_never_end_the_shell_or_leave_a_transaction(shell, snapshot):
    before = snapshot()
    code, _, err = run(shell, "report claim 999")
    assert code == 1 and err.startswith("Error: claim '999' not found")
    code, _, err = run(shell, "actor list --limit abc")
    assert code == 2 and err.startswith("Error: --limit: 'abc' is not a whole number")
    code, _, err = run(shell, 'log --claim "x" --stance deny')
    assert code == 2 and "unknown stance 'deny'" in err
    code, _, err = run(shell, 'log --claim "unclosed')
    assert code == 2 and "close the quote" in err
    code, _, err = run(shell, "--db other.db stats")
    assert code == 2 and "the shell keeps the --db" in err
    code, _, err = run(shell, "use document 42")
    assert code == 1 and "not found" in err
    code, _, err = run(shell, "no-such-command")
    assert code == 2 and "No such command" in err
    assert all(engine.pool.checkedout() == 0 for engine in shell.context.database._engines.values())
    assert snapshot() == before
    code, out, _ = run(shell, "stats --json")
    assert code == 0 and '"claims": 1' in out


def test_an_unexpected_error_is_contained(shell, monkeypatch):
    from claimtrack.queries import stats

    def broken(session):
        session.execute(__import__("sqlalchemy").text("SELECT 1"))
        raise RuntimeError("boom")

    monkeypatch.setattr(stats, "tally", broken)
    code, _, err = run(shell, "stats")
    assert code == 1 and "unexpected RuntimeError: boom" in err
    assert all(engine.pool.checkedout() == 0 for engine in shell.context.database._engines.values())


def test_completion_of_commands_options_and_names(shell):
    def texts(line: str) -> list[str]:
        return [text for text, _, _ in shell.completions(line)]

    assert "report" in texts("rep") and "use" in texts("u")
    assert texts("report cl") == ["claim"]
    assert texts("stats --js") == ["--json"]
    assert '"Leonid Volkov"' in texts('log --speaker "Leo')
    assert '"Leonid Volkov"' in texts("log --speaker volk")  # any word of the name
    completions = shell.completions("report claim pol")
    assert completions == [("1", 3, "Police visited supporters")]
    assert "2" in texts("use document ") and texts("use doc") == ["document"]
    assert "denies" in texts("log --stance de")
    assert texts("audit --fail-on w") == ["warning"]
    assert '"The New Indian Express"' in texts("report outlet The")


def test_piped_lines_run_one_after_another(cli, db_url):
    result = cli("shell", input='stats --json\nreport claim 1\nlog --claim "Piped" --stance asserts --no-interactive\n')
    assert result.exit_code == 0  # like sh: the last line decides; the failed one in the middle did not stop it
    assert '"actors": 0' in result.stdout
    assert "Error: claim '1' not found" in result.stderr
    assert cli.json("stats")["statements"] == 1


# ----------------------------------------------------------------------------- pseudo-terminal

@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_shell_through_a_pseudo_terminal(tmp_path: Path):
    pexpect = pytest.importorskip("pexpect")
    from claimtrack.demo import create_demo_database

    db = tmp_path / "demo.db"
    create_demo_database(db)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1",
           "COLUMNS": "100", "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "claimtrack", "--db", str(db), "--user", "tester", "shell"],
                          env=env, encoding="utf-8", timeout=60, dimensions=(40, 100))
    try:
        child.expect("Tab completes")
        child.expect("claimtrack>")
        child.sendline("use document 1")
        child.expect("current document: document 1")
        child.expect(r"claimtrack \[document 1\]>")
        for number in (1, 2):
            child.sendline(f'log --speaker "Leonid Volkov" --stance asserts --claim "Shell claim {number}" '
                           f'--quote "words {number}" --no-interactive')
            child.expect("Logged statement")
            child.expect(r"claimtrack \[document 1\]>")
        # a name completed with Tab: "Leo -> "Leonid Volkov"
        child.send('report speaker "Leo')
        child.send("\t")
        child.expect('nid Volkov"')  # the completion redraws only what it added
        child.send(" --json\r")
        child.expect('"key": "leonid-volkov"')
        child.expect(r"claimtrack \[document 1\]>")
        # an error, then the shell goes on
        child.sendline("report claim 999")
        child.expect("claim '999' not found")  # after a coloured Error:
        child.expect(r"claimtrack \[document 1\]>")
        child.sendline("stats --json")
        child.expect('"statements": 33')
        child.expect(r"claimtrack \[document 1\]>")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    history = (tmp_path / "data" / "claimtrack" / "shell_history").read_text(encoding="utf-8")
    assert "+use document 1" in history and "+report claim 999" in history
