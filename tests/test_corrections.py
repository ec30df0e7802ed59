"""Retire with a reason, never delete: claims, documents, hops, verdicts, relations, affiliations.

Retired records stay visible and marked, and leave every count and conflict (issue #12).
"""

from __future__ import annotations

import pytest


def _denied(cli) -> None:
    """Volkov asserts a claim, Peskov denies it, both reported by one TASS article."""
    cli.ok("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--claim", "Police visited supporters",
           "--outlet", "TASS", "--url", "https://tass.com/a", "--title", "Visits", "--published", "2021-07-28",
           "--new", "--no-interactive")
    cli.ok("log", "--speaker", "Dmitry Peskov", "--stance", "denies", "--claim", "Police visited supporters",
           "--url", "https://tass.com/a", "--new", "--no-interactive")


def test_retracted_denial_leaves_the_claim_report_and_conflicts(cli):
    _denied(cli)
    assert [c["kind"] for c in cli.json("conflicts")] == ["stance"]
    cli.ok("statement", "retract", "2", "--reason", "Peskov did not say it")
    report = cli.json("report", "claim", "1")
    totals = {g["side"]: g["total"] for g in report["groups"]}
    assert totals == {"supports": 1, "opposes": 0, "neutral": 0}
    assert report["retired"]["total"] == 1 and report["retired"]["statements"][0]["status"] == "retracted"
    shown = cli.ok("report", "claim", "1").stdout
    assert "Retracted or deprecated (not counted) · 1" in shown and "[RETRACTED: Peskov did not say it]" in shown
    assert cli.json("conflicts") == []
    with_retired = cli.json("conflicts", "--include-retracted")
    assert [c["severity_label"] for c in with_retired] == ["low"]
    speaker = cli.json("report", "speaker", "Dmitry Peskov")
    assert speaker["statements_total"] == 0 and speaker["by_status"] == {"retracted": 1}


def test_retracted_claim_leaves_counts_and_conflicts(cli):
    _denied(cli)
    cli.ok("claim", "add", "x")
    out = cli.ok("claim", "retract", "1", "--reason", "logged against the wrong wording").stdout
    assert "Claim 1 is now retracted: logged against the wrong wording" in out
    cli.ok("claim", "retract", "2", "--reason", "typo", "--deprecate")
    stats = cli.json("stats")
    assert stats["claims"] == 0 and stats["statements"] == 0
    assert stats["retired"]["claims"] == 2 and stats["retired"]["statements"] == 2
    assert cli.json("conflicts") == []
    assert "A claim in it is retracted" in cli.json("conflicts", "--include-retracted")[0]["summary"]
    rows = cli.json("claim", "list")
    assert [(r["id"], r["status"]) for r in rows] == [(1, "retracted"), (2, "deprecated")]
    shown = cli.ok("claim", "show", "1").stdout
    assert "[RETRACTED]" in shown and "logged against the wrong wording" in shown
    assert cli.json("report", "speaker", "Leonid Volkov")["statements_total"] == 0
    history = cli.json("history", "claim", "1")
    assert history["events"][-1]["action"] == "retract"
    assert history["events"][-1]["after"]["status_reason"] == "logged against the wrong wording"


def test_retracted_claim_wording_is_not_reused_silently(cli, snapshot):
    cli.ok("claim", "add", "x")
    cli.ok("claim", "retract", "1", "--reason", "typo")
    before = snapshot()
    result = cli("claim", "add", "x")
    assert result.exit_code == 1
    assert "Error: claim 1 has this wording and is retracted (typo)" in result.stderr
    assert snapshot() == before


def test_retracted_document_and_hop_leave_outlet_counts(cli):
    _denied(cli)
    outlet = cli.json("report", "outlet", "TASS")
    assert outlet["documents"] == 1 and outlet["hops"] == 2
    cli.ok("hop", "retract", "2", "--reason", "the article does not quote Peskov")
    outlet = cli.json("report", "outlet", "TASS")
    assert outlet["hops"] == 1 and outlet["statements"] == 1
    cli.ok("document", "retract", "1", "--reason", "wrong article", "--deprecate")
    outlet = cli.json("report", "outlet", "TASS")
    assert outlet["documents"] == 0 and outlet["hops"] == 0
    shown = cli.ok("document", "show", "1").stdout
    assert "[DEPRECATED]" in shown and "wrong article" in shown and "[RETRACTED: the article" in shown
    assert [d["status"] for d in cli.json("document", "list")] == ["deprecated"]
    stats = cli.json("stats")
    assert stats["documents"] == 0 and stats["hops"] == 0 and stats["retired"]["hops"] == 2


def test_retracted_verdict_and_affiliation(cli):
    cli.ok("claim", "add", "Crime fell by half")
    cli.ok("verdict", "add", "1", "--label", "false", "--reviewer", "PolitiFact", "--new")
    cli.ok("verdict", "add", "1", "--label", "true", "--reviewer", "Snopes", "--new")
    assert [c["kind"] for c in cli.json("conflicts")] == ["verdict"]
    cli.ok("verdict", "retract", "2", "--reason", "mistyped label")
    assert cli.json("conflicts") == []
    assert cli.json("stats")["verdicts"] == 1
    cli.ok("actor", "add", "Maria Zakharova")
    cli.ok("actor", "add", "Foreign Ministry", "--kind", "government")
    cli.ok("actor", "affiliate", "Maria Zakharova", "--role", "spokeswoman", "--org", "Foreign Ministry")
    out = cli.ok("actor", "unaffiliate", "1", "--reason", "wrong ministry").stdout
    assert "Affiliation 1 is now retracted: wrong ministry" in out
    view = cli.json("actor", "show", "Maria Zakharova")
    assert view["affiliations"][0]["status"] == "retracted"
    assert "RETRACTED" in cli.ok("actor", "show", "Maria Zakharova").stdout


def test_reject_a_suggested_relation_and_unlink_a_confirmed_one(cli):
    cli.ok("claim", "add", "Police visited Navalny supporters at home")
    cli.ok("claim", "add", "Police visited Navalny supporters at their homes")
    cli.ok("claim", "add", "Nobody was visited")
    out = cli.ok("claim", "link", "2", "1", "--type", "same_as", "--reject", "--note", "different visits").stdout
    assert "(rejected)" in out
    relation = cli.json("claim", "show", "1")["relations"][0]
    assert relation["status"] == "rejected" and relation["status_reason"] == "different visits"
    # a claim with the same near wording is not suggested against the rejected pair's claims again
    cli.ok("claim", "link", "1", "3", "--type", "contradicts")
    assert cli.json("stats")["relations"] == 1
    out = cli.ok("claim", "unlink", "1", "3", "--reason", "not the same visits").stdout
    assert "(retracted)" in out
    assert cli.json("conflicts") == []
    assert cli.json("stats")["retired"]["relations"] == 2
    events = [e["action"] for e in cli.json("history", "claim", "1")["events"]]
    assert events.count("reject") == 1 and events.count("retract") == 1


def test_unlink_records_a_rejection_so_the_pair_is_never_suggested(cli, database):
    cli.ok("claim", "add", "Police visited Navalny supporters at home")
    cli.ok("claim", "add", "Something else entirely")
    cli.ok("claim", "unlink", "1", "2", "--type", "same_as", "--reason", "unrelated")
    from claimtrack.services.corrections import rejected_pair

    with database.read() as s:
        assert rejected_pair(s, 2, 1)


BAD = [
    (("claim", "retract", "1"), "Error: retiring needs --reason"),
    (("claim", "retract", "9", "--reason", "x"), "Error: claim '9' not found"),
    (("claim", "retract", "2", "--reason", "again"), "Error: claim 2 is already retracted: typo"),
    (("claim", "edit", "2", "--expect-version", "2", "--language", "en"), "Error: claim 2 is retracted (typo)"),
    (("claim", "link", "1", "3", "--type", "same_as", "--reject"), "is already rejected"),
    (("claim", "link", "1", "1", "--type", "same_as", "--reject"), "cannot be linked to itself"),
    (("claim", "unlink", "1", "1"), "cannot be unlinked from itself"),
    (("claim", "unlink", "1", "2"), "are not linked"),
    (("claim", "unlink", "1", "3"), "no live relation to withdraw"),
    (("verdict", "retract", "1", "--reason", " "), "Error: retiring needs --reason"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_retirements_write_nothing(cli, snapshot, argv, message):
    cli.ok("claim", "add", "Police visited Navalny supporters at home")
    cli.ok("claim", "add", "x")
    cli.ok("claim", "add", "Police visited Navalny supporters at their homes")
    cli.ok("claim", "retract", "2", "--reason", "typo")
    cli.ok("claim", "link", "1", "3", "--type", "same_as", "--reject")
    cli.ok("verdict", "add", "1", "--label", "false")
    before = snapshot()
    result = cli(*argv)
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert snapshot() == before


def test_retired_records_survive_a_native_round_trip(cli, tmp_path, db_url):
    _denied(cli)
    cli.ok("actor", "add", "Foreign Ministry", "--kind", "government")
    cli.ok("actor", "affiliate", "Dmitry Peskov", "--role", "spokesman", "--org", "Foreign Ministry")
    cli.ok("claim", "add", "Nobody was visited")
    cli.ok("claim", "link", "1", "2", "--type", "contradicts")
    cli.ok("claim", "unlink", "1", "2", "--reason", "not the same visits")
    cli.ok("hop", "retract", "2", "--reason", "not in the article")
    cli.ok("document", "retract", "1", "--reason", "wrong article", "--deprecate")
    cli.ok("claim", "retract", "2", "--reason", "typo")
    cli.ok("actor", "unaffiliate", "1", "--reason", "wrong ministry")
    out = tmp_path / "all.jsonl"
    cli.ok("export", "--format", "jsonl", "-o", str(out))
    records = [__import__("json").loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    retired = {(r["type"], r.get("status")) for r in records if r.get("status") in ("retracted", "deprecated")}
    assert retired == {("claim", "retracted"), ("document", "deprecated"), ("hop", "retracted"),
                       ("affiliation", "retracted"), ("relation", "retracted")}
    from tests.conftest import Cli

    other = tmp_path / "other.db"
    fresh = Cli(f"sqlite:///{other}")
    fresh.ok("db", "upgrade")
    fresh.ok("import", str(out), "--format", "jsonl")
    stats = fresh.json("stats")
    assert stats["retired"]["claims"] == 1 and stats["retired"]["documents"] == 1
    assert stats["retired"]["affiliations"] == 1 and stats["retired"]["relations"] == 1
    assert fresh.json("claim", "show", "2")["status_reason"] == "typo"
