"""`claim merge` / `document merge` and `unmerge`: the loser points at the survivor, nothing is lost."""

from __future__ import annotations

import pytest


def _two_claims(cli) -> None:
    cli.ok("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--claim", "Police visited supporters",
           "--url", "https://tass.com/a", "--outlet", "TASS", "--new", "--no-interactive")
    cli.ok("log", "--speaker", "Dmitry Peskov", "--stance", "denies", "--claim", "Police visitted supporters",
           "--url", "https://tass.com/b", "--new", "--no-interactive")
    cli.ok("verdict", "add", "2", "--label", "false")


def test_claim_merge_moves_statements_and_verdicts_and_unmerge_undoes_it(cli):
    _two_claims(cli)
    out = cli.ok("claim", "merge", "1", "2").stdout
    assert "Merged claim 2 into claim 1" in out and "claimtrack claim unmerge 2" in out
    report = cli.json("report", "claim", "1")
    assert {g["side"]: g["total"] for g in report["groups"]} == {"supports": 1, "opposes": 1, "neutral": 0}
    assert len(report["verdicts"]) == 1
    assert [c["kind"] for c in cli.json("conflicts")] == ["stance"]
    assert cli.json("stats")["claims"] == 1 and cli.json("stats")["retired"]["claims"] == 1
    assert cli.json("claim", "show", "2")["merged_into_id"] == 1
    assert "[MERGED into claim 1]" in cli.ok("claim", "show", "2").stdout
    for claim in ("1", "2"):
        assert "merge" in [e["action"] for e in cli.json("history", "claim", claim)["events"]]
    # the merged wording now resolves to the survivor
    cli.ok("log", "--speaker", "Leonid Volkov", "--stance", "confirms", "--claim", "Police visitted supporters",
           "--url", "https://tass.com/c", "--no-interactive")
    assert cli.json("statement", "show", "3")["claim_id"] == 1
    cli.ok("claim", "unmerge", "2")
    assert cli.json("statement", "show", "2")["claim_id"] == 2
    assert cli.json("claim", "show", "2")["merged_into_id"] is None
    assert [e["action"] for e in cli.json("history", "claim", "1")["events"]][-1] == "unmerge"
    cli.ok("log", "verify")


def test_document_merge_moves_hops(cli):
    _two_claims(cli)
    cli.ok("document", "merge", "1", "2")
    assert [h["statement_id"] for h in cli.json("document", "show", "1")["hops"]] == [1, 2]
    assert cli.json("report", "outlet", "TASS")["documents"] == 1
    assert [d["status"] for d in cli.json("document", "list")] == ["normal", "merged"]
    cli.ok("document", "unmerge", "2")
    assert [h["statement_id"] for h in cli.json("document", "show", "2")["hops"]] == [2]


BAD = [
    (("claim", "merge", "1", "1"), "cannot merge claim 1 into itself"),
    (("claim", "merge", "3", "1"), "claim 3 is retracted (typo); a retired claim cannot be merged into"),
    (("claim", "merge", "1", "3"), "claim 3 is retracted (typo); a retired claim cannot be merged"),
    (("claim", "unmerge", "1"), "claim 1 is not merged into another claim"),
    (("document", "merge", "1", "9"), "document '9' not found"),
    (("document", "merge", "2", "2"), "cannot merge document 2 into itself"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_merges_write_nothing(cli, snapshot, argv, message):
    _two_claims(cli)
    cli.ok("claim", "add", "x")
    cli.ok("claim", "retract", "3", "--reason", "typo")
    before = snapshot()
    result = cli(*argv)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert snapshot() == before


def test_a_merged_claim_cannot_be_edited_or_merged_again(cli, snapshot):
    _two_claims(cli)
    cli.ok("claim", "merge", "1", "2")
    before = snapshot()
    result = cli("claim", "edit", "2", "--expect-version", "2", "--language", "en")
    assert result.exit_code == 1 and "claim 2 was merged into claim 1" in result.stderr
    result = cli("claim", "merge", "1", "2")
    assert result.exit_code == 1 and "claim 2 was already merged into claim 1" in result.stderr
    assert snapshot() == before
