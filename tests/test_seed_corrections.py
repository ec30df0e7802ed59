"""Issue #12's "done when": log the seed report on the exiled opponents in London (seed 002) from an
empty database with the CLI, making the mistakes a person makes — a typo'd claim, a second spelling
of a name, a curly apostrophe — correct them, and end with no junk in any count and no duplicate
document or actor."""

from __future__ import annotations

from pathlib import Path

TITLE_CURLY = ("From London, where the diaspora is large, Russian political opponents in exile are trying to act "
               "against Putin\u2019s regime")
TITLE_STRAIGHT = TITLE_CURLY.replace("\u2019", "'")
URL = "https://www.francetvinfo.fr/monde/russie/from-london-russian-opponents-in-exile"
LITVINENKO = "This is why I think we need a new mode of opposition, to fight against this regime."
ASHURKOV = "It\u2019s a network made up of tens of thousands of people"
NETWORK = "Exiled opponents coordinate a network of tens of thousands of people in Russia"


def test_logging_seed_002_with_mistakes_then_correcting_them(cli, seeds_dir: Path):
    seed = next(seeds_dir.glob("002_*.txt")).read_text(encoding="utf-8")
    assert TITLE_CURLY in seed and LITVINENKO in seed and ASHURKOV in seed

    # Marina Litvinenko, in franceinfo's translated report (logged without its URL at first)
    cli.ok("log", "--speaker", "Marina Litvinenko", "--stance", "asserts",
           "--claim", "A new kind of opposition, using new technologies, is needed against Putin's regime",
           "--quote", LITVINENKO, "--cue", "she says", "--outlet", "franceinfo", "--title", TITLE_CURLY,
           "--published", "2024-03", "--document-kind", "translation", "--new", "--no-interactive")
    # mistake 1: a typo'd claim ("x"), logged with Ashurkov's words; the straight apostrophe in the
    # title still finds the same document
    cli.ok("log", "--speaker", "Vladimir Ashurkov", "--stance", "asserts", "--claim", "x",
           "--outlet", "franceinfo", "--title", TITLE_STRAIGHT, "--published", "2024-03", "--new",
           "--no-interactive")
    assert len(cli.json("document", "list")) == 1
    # mistake 2: a second spelling of his name with --new is refused, naming the one logged
    refused = cli("log", "--speaker", "Vladimir Ashurkow", "--stance", "asserts", "--claim", NETWORK,
                  "--quote", ASHURKOV, "--document", "1", "--new", "--no-interactive")
    assert refused.exit_code == 1 and "did you mean 'Vladimir Ashurkov'?" in refused.stderr
    # ... so he is logged under the existing name, against the existing document by id
    cli.ok("log", "--speaker", "Vladimir Ashurkov", "--stance", "asserts", "--claim", NETWORK, "--quote", ASHURKOV,
           "--cue", "he explains", "--document", "1", "--no-interactive")
    # a typo in the word for the stance gets a "did you mean"
    typo = cli("log", "--speaker", "Vladimir Ashurkov", "--stance", "assertion", "--claim", NETWORK,
               "--no-interactive")
    assert typo.exit_code == 2 or typo.exit_code == 1
    assert "did you mean 'asserts'?" in typo.stderr
    # mistake 3: the URL, found later, would have made a copy of the article: it is attached instead
    copy = cli("document", "add", "--url", URL, "--outlet", "franceinfo", "--title", TITLE_STRAIGHT,
               "--published", "2024-03")
    assert copy.exit_code == 1 and "--attach-to 1" in copy.stderr
    cli.ok("document", "add", "--url", URL, "--outlet", "franceinfo", "--title", TITLE_STRAIGHT,
           "--published", "2024-03", "--attach-to", "1")

    # the corrections: the junk statement and claim are retired with their reason, a wording fixed
    cli.ok("statement", "retract", "2", "--reason", "logged against a typo'd claim; logged again as statement 3")
    cli.ok("claim", "retract", "2", "--reason", "typo")
    cli.ok("claim", "edit", "1", "--expect-version", "1",
           "--text", "A new kind of opposition, using new technologies, is needed against Putin\u2019s regime")

    stats = cli.json("stats")
    assert {k: stats[k] for k in ("actors", "documents", "claims", "statements", "hops")} == {
        "actors": 3, "documents": 1, "claims": 2, "statements": 2, "hops": 2}
    assert stats["retired"]["claims"] == 1 and stats["retired"]["statements"] == 1
    assert sorted(a["name"] for a in cli.json("actor", "list")) == ["Marina Litvinenko", "Vladimir Ashurkov",
                                                                   "franceinfo"]
    claims = cli.json("claim", "list")
    assert [(c["text"][:9], c["statements"], c["status"]) for c in claims] == [
        ("A new kin", 1, "normal"), ("Exiled op", 1, "normal"), ("x", 0, "retracted")]
    speaker = cli.json("report", "speaker", "Vladimir Ashurkov")
    assert speaker["statements_total"] == 1 and speaker["by_status"] == {"normal": 1, "retracted": 1}
    outlet = cli.json("report", "outlet", "franceinfo")
    assert outlet["documents"] == 1 and outlet["hops"] == 2 and outlet["statements"] == 2
    assert cli.json("conflicts") == []
    document = cli.json("document", "show", "1")
    assert document["url"] == URL and document["title"] == TITLE_CURLY and len(document["hops"]) == 3
    # nothing was deleted: the junk is there, marked, with its reason and who retired it
    assert "[RETRACTED]" in cli.ok("claim", "show", "2").stdout
    assert cli.json("history", "claim", "2")["events"][-1]["after"]["status_reason"] == "typo"
    cli.ok("log", "verify")
