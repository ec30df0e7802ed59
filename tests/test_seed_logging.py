"""The three seed reports (../shared/seeds/) logged through the CLI, found with search, read back.

Issue 3 is done when everything in the seed section of domain.md can be logged from the command
line, found again with `search` and read back with `show --json`. Quotes are checked against the
seed text itself, so they are verbatim.
"""

from __future__ import annotations

from pathlib import Path

TNIE = ["--outlet", "The New Indian Express", "--title",
        "Navalny supporters accuse Russian police of visits after leak", "--published", "2021-07-28"]
CBS = ["--outlet", "CBS News", "--title",
       'Russia bemoans U.S. "interference" as Alexey Navalny\'s arrest fuels mass protests', "--published", "2021-01-25"]
FRANCEINFO = ["--outlet", "franceinfo", "--title", "Russian opponents in exile in London act against Putin's regime",
              "--published", "2024-03", "--document-kind", "translation", "--document-language", "en",
              "--language", "fr"]
VISITS = "Police visited Navalny supporters at their homes overnight after a leak"
LEAK_BLAME = "A former ally was behind the leak of the Navalny supporters database"
DETAINED = ["--quantity-subject", "people detained at the 23 January 2021 protests in Russia",
            "--quantity-bound", "more_than", "--quantity-unit", "people"]
INTERFERENCE = "The U.S. Embassy interfered in Russia's domestic affairs"


def _seed(seeds_dir: Path, prefix: str) -> str:
    [path] = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def _log(cli, text: str, *args: str) -> dict:
    """Log one statement; its quote must appear verbatim in the seed text."""
    if "--quote" in args:
        quote = args[args.index("--quote") + 1]
        assert quote in text, f"not in the seed: {quote!r}"
    return cli.json("log", "--no-interactive", *args)


def test_seed_reports_logged_searched_and_read_back(cli, seeds_dir):
    s000, s001, s002 = (_seed(seeds_dir, p) for p in ("000", "001", "002"))

    # ---- 000: The New Indian Express, relying on AFP
    ovd = _log(cli, s000, "--speaker", "OVD-Info", "--stance", "asserts", "--quote", "at least 20", "--claim", VISITS,
               "--cue", "reported", "--said", "2021-07-28", "--via", "AFP", *TNIE, "--new")
    _log(cli, s000, "--anonymous", "one person", "--stance", "asserts", "--claim",
         "Police asked a Navalny supporter to write a report against Navalny", "--quote",
         "the illegal transfer of personal data", "--quote-kind", "mixed", "--nested-in", str(ovd["statement_id"]),
         *TNIE)
    volkov = _log(cli, s000, "--speaker", "Leonid Volkov", "--stance", "asserts", "--quote", "several dozen",
                  "--claim", VISITS, "--cue", "wrote on Telegram", "--channel", "telegram", "--said", "2021-07-28",
                  "--via", "AFP", *TNIE, "--new")
    assert volkov["claim_id"] == ovd["claim_id"] and volkov["document_id"] == ovd["document_id"]
    _log(cli, s000, "--speaker", "Ilya Azar", "--stance", "asserts", "--claim", "Police visited Ilya Azar's home",
         "--cue", "said on Facebook", "--channel", "facebook", "--said", "2021-07-28", *TNIE, "--new")
    _log(cli, s000, "--speaker", "Russian Interior Ministry", "--stance", "did_not_respond", "--claim", VISITS,
         "--cue", "did not immediately respond to AFP requests for comment", "--via", "AFP", *TNIE, "--new")
    _log(cli, s000, "--speaker", "Ivan Zhdanov", "--stance", "confirms", "--claim",
         "A database of Navalny supporters' information was leaked", "--said", "2021-04", *TNIE, "--new")
    _log(cli, s000, "--speaker", "Ivan Zhdanov", "--stance", "asserts", "--claim", LEAK_BLAME, "--said", "2021-05",
         *TNIE)
    _log(cli, s000, "--anonymous", "a former ally", "--stance", "denies", "--claim", LEAK_BLAME, *TNIE)
    _log(cli, s000, "--stance", "reports", "--claim",
         "Navalny supporters' names and emails appeared on Telegram and the Russian darknet",
         "--via", "local media", "--said", "2021-07-27", *TNIE, "--new")
    _log(cli, s000, "--speaker", "Alexei Navalny", "--stance", "asserts", "--claim",
         "The Kremlin was behind the near-fatal poisoning of Navalny", *TNIE, "--new")

    # ---- 001: "Alexey" is a spelling nobody has yet: a script is refused with the candidate …
    refused = cli("actor", "affiliate", "Leonid Volkov", "--role", "head of regional network", "--org",
                  "Alexey Navalny")
    assert refused.exit_code == 1 and "did you mean: 'Alexei Navalny'" in refused.stderr
    # … and the fact-checker records the spelling as an alias instead of creating a duplicate
    cli.ok("actor", "alias", "Alexei Navalny", "Alexey Navalny")
    cli.ok("actor", "affiliate", "Leonid Volkov", "--role", "head of regional network", "--org", "Alexey Navalny")
    _log(cli, s001, "--stance", "reports", "--claim",
         "Russian security forces arrested more than 3,000 people at the 23 January 2021 protests", *CBS, "--new",
         *DETAINED, "--quantity-value", "3000")
    three_seven = _log(cli, s001, "--speaker", "OVD Info", "--stance", "asserts", "--claim",
                       "More than 3,700 demonstrators were detained at the 23 January 2021 rallies",
                       "--cue", "reported", *CBS, *DETAINED, "--quantity-value", "3700")
    assert three_seven["speaker_id"] == ovd["speaker_id"]  # "OVD Info" is OVD-Info
    _log(cli, s001, "--speaker", "Dmitry Peskov", "--stance", "asserts", "--claim", INTERFERENCE, *CBS, "--new")
    _log(cli, s001, "--anonymous", "a U.S. Embassy spokeswoman", "--stance", "disputes", "--claim", INTERFERENCE,
         "--quote", "routine practice", "--quote-kind", "mixed", "--cue", "told AFP", "--via", "AFP", *CBS)
    cli.ok("actor", "add", "Russian Foreign Ministry", "--kind", "government")
    zakharova = _log(cli, s001, "--speaker", "Maria Zakharova", "--on-behalf-of", "Russian Foreign Ministry",
                     "--stance", "asserts", "--claim",
                     "Russia's deputy foreign minister protested to the U.S. ambassador over the embassy's posts",
                     "--cue", "told state-run media", "--said", "2021-01-25", "--via", "state-run media", *CBS, "--new")
    cli.ok("actor", "affiliate", "Maria Zakharova", "--role", "spokeswoman", "--org", "Russian Foreign Ministry")
    _log(cli, s001, "--speaker", "Sergei Ryabkov", "--stance", "asserts", "--claim",
         "The U.S. Embassy spread posts supporting illegal rallies", "--quote", "strong protest",
         "--quote-kind", "mixed", "--nested-in", str(zakharova["statement_id"]), *CBS, "--new")

    # ---- 002: franceinfo, translated from French; the spelling "Alexeï"
    _log(cli, s002, "--speaker", "Marina Litvinenko", "--stance", "asserts", "--claim",
         "New Russian opposition leaders may be creations of the security services or of Putin", "--quote",
         "Every time you hear about a new opposition leader, you don’t know if it’s a creation of the security "
         "services or of Putin", "--cue", "she says", *FRANCEINFO, "--new")
    _log(cli, s002, "--speaker", "Vladimir Ashurkov", "--stance", "asserts", "--claim",
         "Ashurkov's network inside Russia numbers tens of thousands of people", "--quote",
         "It’s a network made up of tens of thousands of people", "--cue", "he explains", *FRANCEINFO, "--new")
    cli.ok("actor", "affiliate", "Vladimir Ashurkov", "--role", "friend", "--org", "Alexeï Navalny")

    # ---- one Navalny, three spellings
    ids = {cli.json("actor", "show", spelling)["id"] for spelling in
           ("Alexei Navalny", "Alexey Navalny", "Alexeï Navalny")}
    assert len(ids) == 1
    navalny = cli.json("actor", "show", "Alexeï Navalny")
    assert navalny["statements"] == 1
    assert len([a for a in cli.json("actor", "list", "--name", "navalny") if a["kind"] == "person"]) == 1

    # ---- found again with search
    for spelling in ("Alexei", "Alexey", "Alexeï"):
        hits = cli.json("search", f"{spelling} Navalny")
        assert any(h["kind"] == "actor" and h["actor_id"] == navalny["id"] for h in hits), spelling
    dozen = cli.json("search", "several dozen")
    assert dozen[0]["statement_id"] == volkov["statement_id"] and dozen[0]["speaker"] == "Leonid Volkov"
    assert dozen[0]["outlets"] == ["The New Indian Express"]
    routine = cli.json("search", "routine practice", "--stance", "disputes")
    assert [h["speaker"] for h in routine] == ["a U.S. Embassy spokeswoman"]
    assert cli.json("search", "detained visited", "--speaker", "OVD Info") == []  # every word must match
    assert {h["statement_id"] for h in cli.json("search", "OVD", "--speaker", "ovd-info")} == \
        {ovd["statement_id"], three_seven["statement_id"]}
    assert {h["speaker"] for h in cli.json("search", "embassy", "--outlet", "CBS News", "--stance", "asserts")} \
        == {"Dmitry Peskov", "Sergei Ryabkov", "Maria Zakharova"}
    leak = cli.json("search", "former ally leak")
    assert {h["stance"] for h in leak if h["kind"] == "statement"} == {"asserts", "denies"}
    assert cli.json("search", "Zhdanov", "--since", "2021-04", "--until", "2021-04")[0]["stance"] == "confirms"

    # ---- read back with show --json
    figures = {cli.json("claim", "show", str(three_seven["claim_id"]))["quantity"]["value"],
               cli.json("claim", "show", str(three_seven["claim_id"] - 1))["quantity"]["value"]}
    assert figures == {3000.0, 3700.0}  # one counted thing, two figures: a conflict to line up
    visits = cli.json("claim", "show", str(ovd["claim_id"]))
    assert {(s["speaker"], s["stance"], s["quote"]) for s in visits["statements"]} == {
        ("OVD-Info", "asserts", "at least 20"), ("Leonid Volkov", "asserts", "several dozen"),
        ("Russian Interior Ministry", "did_not_respond", None)}
    st = cli.json("statement", "show", str(volkov["statement_id"]))
    assert (st["cue"], st["channel"], st["said"]) == ("wrote on Telegram", "telegram", "2021-07-28")
    assert st["reported_in"][0]["via_actor"] == "AFP" and st["reported_in"][0]["outlet"] == "The New Indian Express"
    zk = cli.json("statement", "show", str(zakharova["statement_id"]))
    assert zk["on_behalf_of"] == "Russian Foreign Ministry" and len(zk["nested_ids"]) == 1
    assert zk["reported_in"][0]["via_actor"] == "state-run media"
    assert cli.json("actor", "show", "state-run media")["kind"] == "unspecified"
    assert cli.json("actor", "show", "local media")["kind"] == "unspecified"
    volkov_actor = cli.json("actor", "show", "Leonid Volkov")
    assert volkov_actor["affiliations"][0]["organization"] == "Alexei Navalny"
    docs = cli.json("document", "list")
    assert sorted(d["outlet"] for d in docs) == ["CBS News", "The New Indian Express", "franceinfo"]
    assert cli.json("actor", "show", "Maria Zakharova")["affiliations"][0]["organization"] == "Russian Foreign Ministry"
