"""One thing, one record: documents by URL or outlet + folded title + date, near-duplicate names
refused by `log --new`, "did you mean" for vocabulary words (issue #12)."""

from __future__ import annotations

import pytest


def _logged(cli) -> None:
    cli.ok("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "Putin\u2019s regime must go",
           "--outlet", "franceinfo", "--title", "Navalny \u201cspeaks\u201d \u2014 from prison", "--published",
           "2024-01-05", "--new", "--no-interactive")


def test_folded_title_finds_the_same_document(cli):
    _logged(cli)
    cli.ok("log", "--speaker", "Alexei Navalny", "--stance", "confirms", "--claim", "Putin's regime must go",
           "--outlet", "franceinfo", "--title", "navalny \"speaks\" - from  prison", "--published", "2024-01-05",
           "--no-interactive")
    assert len(cli.json("document", "list")) == 1
    assert len(cli.json("claim", "list")) == 1  # the claim's apostrophes fold alike too
    # another date is another document
    cli.ok("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "Putin's regime must go",
           "--outlet", "franceinfo", "--title", "Navalny speaks from prison", "--published", "2024-01-06",
           "--no-interactive")
    assert len(cli.json("document", "list")) == 2


def test_log_document_reuses_a_document_by_id(cli):
    _logged(cli)
    result = cli.json("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "Another claim",
                      "--document", "1", "--no-interactive")
    assert result["document_id"] == 1 and not result["document_created"]


def test_log_new_refuses_a_second_spelling_unless_forced(cli, snapshot):
    _logged(cli)
    before = snapshot()
    result = cli("log", "--speaker", "Alexey Navalnyy", "--stance", "asserts", "--claim", "Another claim",
                 "--new", "--no-interactive")
    assert result.exit_code == 1
    assert "did you mean 'Alexei Navalny'?" in result.stderr and "--force" in result.stderr
    assert "Alexei Navalny \u2014 actor 1" in result.stderr
    assert snapshot() == before
    forced = cli.json("log", "--speaker", "Alexey Navalnyy", "--stance", "asserts", "--claim", "Another claim",
                      "--new", "--force", "--no-interactive")
    assert forced["speaker_id"] == 3


def test_log_new_on_a_terminal_asks_did_you_mean(cli):
    _logged(cli)
    out = cli.ok("log", "--speaker", "Alexey Navalnyy", "--stance", "asserts", "--claim", "Another claim",
                 "--new", "--interactive", input="y\n").stdout
    assert "did you mean Alexei Navalny" in out
    assert cli.json("statement", "show", "2")["speaker_id"] == 1
    assert len(cli.json("actor", "list")) == 2  # Navalny and franceinfo: no second spelling


def test_document_add_url_attaches_to_the_document_logged_without_one(cli):
    _logged(cli)
    url = "https://www.francetvinfo.fr/navalny-speaks"
    result = cli("document", "add", "--url", url, "--outlet", "franceinfo", "--title", "Navalny \"speaks\" - from prison",
                 "--published", "2024-01-05")
    assert result.exit_code == 1 and "--attach-to 1" in result.stderr
    out = cli.ok("document", "add", "--url", url, "--outlet", "franceinfo", "--title", "Navalny speaks from prison",
                 "--published", "2024-01-05", "--attach-to", "1").stdout
    assert "Attached the URL to document 1" in out
    assert cli.json("document", "show", "1")["url"] == url
    assert "update" in [e["action"] for e in cli.json("history", "document", "1")["events"]]
    assert "Already logged: document 1" in cli.ok("document", "add", "--url", url + "?utm_source=x").stdout


BAD = [
    (("document", "add", "--url", "https://x.example/b", "--attach-to", "2"), "already has a URL"),
    (("document", "add", "--url", "https://x.example/b", "--attach-to", "9"), "document 9 not found"),
    (("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "c", "--document", "1", "--url",
      "https://x.example/c", "--no-interactive"), "--document reuses a logged document: drop --url"),
    (("log", "--speaker", "Alexei Navalny", "--stance", "denial", "--claim", "c", "--no-interactive"),
     "did you mean 'denies'?"),
    (("statement", "add", "--claim", "c", "--stance", "no-response"), "did you mean 'did_not_respond'?"),
    (("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "c", "--document", "9",
      "--no-interactive"), "document '9' not found"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a[:4]) for a, _ in BAD])
def test_bad_identity_input_writes_nothing(cli, snapshot, argv, message):
    _logged(cli)
    cli.ok("document", "add", "--url", "https://x.example/a", "--title", "Other")
    before = snapshot()
    result = cli(*argv)
    assert result.exit_code in (1, 2), result.stdout
    assert message in result.stderr, result.stderr
    assert snapshot() == before


def test_logging_the_same_line_twice_is_refused_unless_forced(cli, snapshot):
    line = ("log", "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim", "Putin's regime must go",
            "--quote", "The regime must go", "--document", "1", "--no-interactive")
    _logged(cli)
    cli.ok(*line)
    before = snapshot()
    # the same line again, with the quote's case and spacing changed: still the same statement
    again = cli(*line[:7], "--quote", "the  regime must go", *line[9:])
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: statement 2 already records this: the same speaker asserts claim 1 "
                                   "in document 1 with the same quote; correct it with `statement edit 2`, or "
                                   "add --force if it was said twice")
    assert snapshot() == before
    # a date said added to an undated twin: the same statement (edit it instead)
    assert cli(*line, "--said", "2024-01-04").exit_code == 1
    # another quote, another stance or another date said is another statement
    cli.ok(*line[:7], "--quote", "They will fall", *line[9:], "--said", "2024-01-03")
    cli.ok(*line[:7], "--quote", "They will fall", *line[9:], "--said", "2024-01-04")
    cli.ok(*line[:4], "confirms", *line[5:])
    forced = cli.json(*line, "--force")
    assert forced["statement_id"] == 6
    # retracted twins do not block logging the line again
    for statement in ("2", "6"):
        cli.ok("statement", "retract", statement, "--reason", "logged by mistake")
    assert cli.json(*line)["statement_id"] == 7
