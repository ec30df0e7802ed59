"""`claimtrack log --batch FILE|-`: JSON lines, one transaction, all or nothing, numbered errors."""

from __future__ import annotations

import json
from pathlib import Path

URL = "https://www.newindianexpress.com/world/2021/jul/28/navalny-supporters"
GOOD = [
    {"speaker": "Leonid Volkov", "stance": "asserts", "claim": "Police visited Navalny supporters at home",
     "quote": "several dozen", "url": URL, "outlet": "The New Indian Express", "published": "2021-07-28",
     "via": "AFP", "via-cue": "told AFP", "said": "2021-07-28", "new": True},
    {"speaker": "Leonid Volkov", "stance": "asserts", "claim": "The leak came from a hacked database",
     "url": URL, "quote_kind": "indirect", "quote": "a hacked database"},
]


def _write(tmp_path: Path, rows: list[object], name: str = "batch.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_batch_logs_every_line_in_one_transaction(cli, tmp_path):
    path = _write(tmp_path, [GOOD[0], "", GOOD[1]])
    results = cli.json("log", "--batch", str(path))
    assert [r["line"] for r in results] == [1, 3]
    assert results[0]["document_id"] == results[1]["document_id"]  # same URL, same document
    assert cli.json("stats")["statements"] == 2
    # one more report of a logged statement, by its id
    echo = {"statement": str(results[0]["statement_id"]), "url": "https://example.org/echo",
            "outlet": "Echo Daily", "new": True}
    again = cli.json("log", "--batch", str(_write(tmp_path, [echo], "echo.jsonl")))
    assert again[0]["statement_id"] == results[0]["statement_id"] and again[0]["hop_id"]


def test_batch_from_stdin_and_text_output(cli):
    result = cli.ok("log", "--batch", "-", "--new", input=json.dumps(GOOD[0]) + "\n")
    assert result.stdout.startswith("Logged 1 statement from stdin in one transaction")
    assert "line 1: statement 1 on claim 1" in result.stdout


def test_a_bad_line_writes_nothing_and_every_bad_line_is_named(cli, tmp_path, snapshot):
    cli.ok("actor", "add", "Leonid Volkov")
    before = snapshot()
    rows = [GOOD[1] | {"url": "https://example.org/a"}, "{not json", {"speker": "x", "stance": "asserts", "claim": "c"},
            {"claim": "c", "stance": "asserts", "primary": "yes"}, {"speaker": "Leonid Volkov"}, [1, 2]]
    result = cli("log", "--batch", str(_write(tmp_path, rows)))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {tmp_path / 'batch.jsonl'}: 5 problems; nothing was logged"
    assert lines[1].strip().startswith("line 2: not JSON")
    assert lines[2].strip().startswith("line 3: unknown field 'speker' (did you mean 'speaker'?)")
    assert lines[3].strip() == 'line 4: primary: expected true or false, not "yes"'
    assert lines[4].strip() == "line 5: missing claim and stance"
    assert lines[5].strip().startswith("line 6: expected a JSON object")
    assert snapshot() == before


def test_errors_found_while_logging_roll_back_the_lines_before_them(cli, tmp_path, snapshot):
    cli.ok("log", "--batch", str(_write(tmp_path, [GOOD[0]], "first.jsonl")))
    before = snapshot()
    rows = [GOOD[1], {"speaker": "Leonid Volkow", "stance": "asserts", "claim": "Another claim"},
            {"speaker": "Leonid Volkov", "stance": "deny", "claim": "A third claim"},
            {"speaker": "Leonid Volkov", "stance": "asserts", "claim": "A fourth", "said": "2021-02-30"}]
    result = cli("log", "--batch", str(_write(tmp_path, rows)))
    assert result.exit_code == 1, result.stderr
    assert "3 problems; nothing was logged" in result.stderr
    assert "line 2: no actor named 'Leonid Volkow'" in result.stderr
    assert "line 3: unknown stance 'deny'; expected one of" in result.stderr
    assert "line 4: said: '2021-02-30' is not a real date" in result.stderr
    assert snapshot() == before  # line 1 was good, and is not written either


def test_batch_refuses_other_statement_options_and_bad_files(cli, tmp_path, snapshot):
    before = snapshot()
    mixed = cli("log", "--batch", "-", "--speaker", "Leonid Volkov", input="")
    assert mixed.exit_code == 2
    assert mixed.stderr.startswith("Error: --batch: it takes every statement from the file: drop --speaker")
    missing = cli("log", "--batch", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 1 and "nope.jsonl: no such file" in missing.stderr
    empty = cli("log", "--batch", str(_write(tmp_path, [""], "empty.jsonl")))
    assert empty.exit_code == 1 and "has no lines to log" in empty.stderr
    (tmp_path / "latin1.jsonl").write_bytes(b'{"claim": "caf\xe9", "stance": "asserts"}\n')
    latin = cli("log", "--batch", str(tmp_path / "latin1.jsonl"))
    assert latin.exit_code == 1 and "not UTF-8" in latin.stderr
    assert snapshot() == before
