"""The logging commands through the CLI: every command, --json shapes, bad input, prompts."""

from __future__ import annotations

TNIE = "https://www.newindianexpress.com/world/2021/jul/28/navalny-supporters-accuse-russian-police.html"
VOLKOV = ["log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--quote", "several dozen",
          "--claim", "Police visited Navalny supporters at home", "--outlet", "The New Indian Express",
          "--url", TNIE, "--published", "2021-07-28", "--via", "AFP", "--cue", "wrote on Telegram",
          "--said", "2021-07-28", "--channel", "telegram", "--no-interactive"]

STATEMENT_KEYS = {"id", "key", "claim_id", "claim", "speaker_id", "speaker", "speaker_descriptor", "on_behalf_of_id",
                  "on_behalf_of", "stance", "quote", "quote_kind", "cue", "channel", "context", "said", "language",
                  "original_text", "parent_id", "nested_ids", "status", "status_reason", "reported_in", "version",
                  "said_precision", "said_approximate"}


def test_log_one_line_then_show_json(cli):
    result = cli.json(*VOLKOV, "--new")
    assert result["created"][:3] == ["actor 1 (Leonid Volkov)", "actor 2 (The New Indian Express)", "actor 3 (AFP)"]
    st = cli.json("statement", "show", str(result["statement_id"]))
    assert set(st) == STATEMENT_KEYS
    assert (st["speaker"], st["stance"], st["quote"], st["quote_kind"], st["said"], st["cue"], st["channel"]) == \
        ("Leonid Volkov", "asserts", "several dozen", "direct", "2021-07-28", "wrote on Telegram", "telegram")
    [reported] = st["reported_in"]
    assert reported == {"hop_id": result["hop_id"], "document_id": result["document_id"],
                        "outlet": "The New Indian Express", "title": None, "url": TNIE, "published": "2021-07-28",
                        "published_precision": "day", "published_approximate": False, "via_actor": "AFP", "via_hop_id": None, "cue": None, "is_primary": False,
                        "status": "normal"}
    # the same line again is refused (it would count Volkov twice); forced, all but the statement is reused
    assert "already records this" in cli(*VOLKOV).stderr
    again = cli.json(*VOLKOV, "--force")
    assert again["claim_id"] == result["claim_id"] and again["document_id"] == result["document_id"]
    assert again["created"] == [f"statement {again['statement_id']}", f"hop {again['hop_id']}"]
    out = cli.ok(*VOLKOV, "--force").stdout
    assert "Logged statement" in out


def test_actor_commands(cli):
    assert "Added actor 1: Alexei Navalny" in cli.ok("actor", "add", "Alexei Navalny", "--alias", "Alexey Navalny",
                                                      "--wikidata", "Q4725").stdout
    cli.ok("actor", "add", "Anti-Corruption Foundation", "--kind", "organization")
    cli.ok("actor", "affiliate", "Alexeï Navalny", "--role", "founder", "--org", "Anti-Corruption Foundation",
           "--start", "2011")
    cli.ok("actor", "add", "Navalny A.", "--new")
    cli.ok("actor", "alias", "Navalny A.", "A. Navalny")
    cli.ok("actor", "merge", "Alexey Navalny", "A. Navalny")
    view = cli.json("actor", "show", "alexei navalny")
    assert set(view) == {"id", "key", "name", "kind", "description", "merged_into_id", "aliases", "external_ids",
                         "affiliations", "statements", "documents", "created_at"}
    assert view["aliases"] == ["Alexei Navalny", "Alexey Navalny", "Navalny A.", "A. Navalny"]
    assert view["external_ids"] == [{"scheme": "wikidata", "value": "Q4725"}]
    assert view["affiliations"] == [{"id": 1, "role": "founder", "organization_id": 2,
                                     "organization": "Anti-Corruption Foundation", "start": "2011",
                                     "start_precision": "year", "start_approximate": False, "end": None,
                                     "end_precision": None, "end_approximate": None, "status": "normal", "status_reason": None, "version": 1}]
    rows = cli.json("actor", "list")
    assert [r["name"] for r in rows] == ["Alexei Navalny", "Anti-Corruption Foundation"]
    assert set(rows[0]) == {"id", "name", "kind", "aliases", "statements", "merged_into_id"}
    assert len(cli.json("actor", "list", "--include-merged")) == 3
    assert [r["name"] for r in cli.json("actor", "list", "--kind", "organization")] == ["Anti-Corruption Foundation"]
    cli.ok("actor", "show", "1")
    cli.ok("actor", "list")


def test_document_claim_statement_hop_verdict_commands(cli):
    cli.ok("document", "add", "--url", "t.me/leonid_volkov/1234", "--kind", "post", "--outlet", "Telegram",
           "--published", "2021-07-28", "--new")
    out = cli.ok("document", "add", "--url", "https://www.t.me/leonid_volkov/1234/?utm_source=tw").stdout
    assert "Already logged: document 1" in out
    cli.ok("document", "add", "--url", TNIE, "--title", "Navalny supporters accuse Russian police",
           "--outlet", "The New Indian Express", "--published", "2021-07-28", "--language", "en", "--new")
    doc = cli.json("document", "show", "2")
    assert set(doc) == {"id", "key", "kind", "outlet_id", "outlet", "url", "title", "author", "language", "published",
                        "retrieved_at", "archive_url", "content_hash", "hops", "snapshots", "status",
                        "status_reason", "merged_into_id", "version", "published_precision", "published_approximate"}
    assert cli.json("document", "show", TNIE)["id"] == 2
    assert [d["id"] for d in cli.json("document", "list", "--outlet", "The New Indian Express")] == [2]
    assert set(cli.json("document", "list")[0]) == {"id", "outlet", "title", "url", "published", "hops", "status",
                                                         "published_precision", "published_approximate"}

    added = cli.json("claim", "add", "Police visited several dozen Navalny supporters", "--quantity-subject",
                     "supporters visited by police", "--quantity-value", "24", "--quantity-bound", "at_least")
    assert added == {"claim_id": 1, "created": True, "suggested_same_as": []}
    near = cli.json("claim", "add", "Police visited several dozen of Navalny's supporters")
    assert near["created"] and near["suggested_same_as"][0]["claim_id"] == 1
    assert "suggested same as claim 1" in cli.ok("claim", "add", "Police visited several dozen Navalny's supporters").stdout
    cli.ok("claim", "add", "Police visits were an act of terrorism")
    cli.ok("claim", "link", "4", "1", "--type", "supports", "--note", "same event")

    cli.ok("statement", "add", "--claim-id", "1", "--stance", "asserts", "--speaker", "Leonid Volkov",
           "--quote", "several dozen", "--said", "2021-07-28", "--new")
    cli.ok("statement", "add", "--claim", "Police visited several dozen Navalny supporters", "--stance", "denies",
           "--anonymous", "an Interior Ministry official")
    cli.ok("statement", "add", "--claim-id", "4", "--stance", "asserts", "--speaker", "Leonid Volkov",
           "--nested-in", "1", "--quote", "an act of terrorism", "--quote-kind", "indirect")
    cli.ok("hop", "add", "--document", "1", "--statement", "1", "--primary")
    cli.ok("hop", "add", "--document", "2", "--statement", "1", "--via", "AFP", "--via-hop", "1", "--cue",
           "wrote on Telegram", "--new")
    cli.ok("verdict", "add", "1", "--label", "mostly-true", "--value", "4", "--best", "5", "--worst", "0",
           "--reviewer", "PolitiFact", "--reviewed", "2021-08", "--evidence", "https://ovd.info/x", "--new")
    cli.ok("verdict", "add", "1", "--label", "false")

    claim = cli.json("claim", "show", "1")
    assert set(claim) == {"id", "key", "text", "language", "quantity", "statements", "relations", "verdicts",
                          "created_at", "version", "status", "status_reason", "merged_into_id"}
    assert claim["version"] == 1
    assert claim["quantity"] == {"subject": "supporters visited by police", "value": 24.0, "bound": "at_least",
                                 "unit": None}
    assert [s["stance"] for s in claim["statements"]] == ["asserts", "denies"]
    assert claim["statements"][1]["speaker_descriptor"] == "an Interior Ministry official"
    assert {(r["type"], r["status"], r["other_claim_id"]) for r in claim["relations"]} == {
        ("same_as", "suggested", 2), ("same_as", "suggested", 3), ("supports", "confirmed", 4)}
    assert set(claim["relations"][0]) == {"id", "type", "status", "score", "direction", "other_claim_id",
                                          "other_claim", "note", "status_reason", "version"}
    assert [v["label"] for v in claim["verdicts"]] == ["mostly-true", "false"]
    chain = cli.json("statement", "show", "1")["reported_in"]
    assert [(r["document_id"], r["is_primary"], r["via_hop_id"]) for r in chain] == [(1, True, None), (2, False, 1)]
    assert cli.json("statement", "show", "3")["parent_id"] == 1
    assert cli.json("statement", "show", "1")["nested_ids"] == [3]
    verdicts = cli.json("verdict", "list", "--claim", "1", "--reviewer", "PolitiFact")
    assert set(verdicts[0]) == {"id", "claim_id", "claim", "label", "value", "best", "worst", "reviewer_id",
                                "reviewer", "reviewed", "url", "explanation", "evidence_urls", "status", "version",
                                "status_reason", "reviewed_precision", "reviewed_approximate"}
    assert (verdicts[0]["value"], verdicts[0]["reviewed"], verdicts[0]["evidence_urls"]) == \
        (4.0, "2021-08", ["https://ovd.info/x"])
    assert [c["statements"] for c in cli.json("claim", "list")] == [2, 0, 0, 1]

    cli.ok("statement", "retract", "2", "--reason", "logged on the wrong claim")
    st = cli.json("statement", "show", "2")
    assert (st["status"], st["status_reason"]) == ("retracted", "logged on the wrong claim")
    for args in (("claim", "show", "1"), ("statement", "show", "2"), ("document", "show", "2"), ("verdict", "list"),
                 ("claim", "list"), ("document", "list")):
        cli.ok(*args)  # the Rich renderings


def _err(result, code, message):
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert message in result.stderr, result.stderr


def test_bad_input_leaves_database_unchanged(cli, snapshot):
    cli.ok(*VOLKOV, "--new")
    before = snapshot()
    base = VOLKOV[:-1]  # without --no-interactive: CliRunner's stdin is not a terminal anyway
    _err(cli(*base[:4], "deny", *base[5:]), 2, "unknown stance 'deny'; expected one of: asserts, confirms, denies")
    _err(cli("log", "--claim", "   ", "--stance", "asserts"), 1, "claim text is empty")
    _err(cli("claim", "add", " "), 1, "claim text is empty")
    _err(cli("log", "--claim", "X happened", "--stance", "asserts", "--quote", "it did"), 1,
         "a quote needs --speaker or --anonymous")
    _err(cli("statement", "add", "--claim", "X happened", "--stance", "asserts", "--quote", "it did"), 1,
         "a quote needs a speaker")
    _err(cli(*VOLKOV, "--anonymous", "a former ally"), 2, "give either --speaker or --anonymous, not both")
    _err(cli("statement", "add", "--claim", "X", "--claim-id", "1", "--stance", "asserts"), 2, "one of them")
    _err(cli("log", "--claim", "X happened"), 2, "missing --stance")
    _err(cli(*VOLKOV[:-5], "--said", "2021-02-30"), 2, "--said: '2021-02-30' is not a real date")
    _err(cli(*VOLKOV[:-5], "--said", "Wednesday"), 2, "--said: 'Wednesday' is not a date; write YYYY-MM-DD")
    _err(cli(*VOLKOV[:-5], "--said", "2999-01-01"), 2, "--said: 2999-01-01 is in the future")
    _err(cli(*VOLKOV[:9], "--published", "2999-02"), 2, "--published: 2999-02 is in the future")
    _err(cli("statement", "show", "999"), 1, "statement '999' not found")
    _err(cli("claim", "show", "999"), 1, "claim '999' not found")
    _err(cli("document", "show", "999"), 1, "document '999' not found")
    _err(cli("actor", "show", "Leonid Volkow"), 1, "did you mean: 'Leonid Volkov'")
    _err(cli("statement", "retract", "1"), 1, "retracting needs --reason")
    _err(cli("hop", "add", "--document", "1", "--statement", "1"), 1, "already reports statement 1")
    _err(cli("verdict", "add", "1", "--label", "x", "--value", "9", "--best", "5", "--worst", "0"), 1,
         "outside the scale")
    _err(cli("claim", "link", "1", "1", "--type", "supports"), 1, "cannot be linked to itself")
    _err(cli("claim", "link", "1", "999", "--type", "supports"), 1, "claim '999' not found")
    _err(cli("actor", "add", "leonid  volkov"), 1, "already names actor 1")
    _err(cli("actor", "add", "Leonid Volkow"), 1, "similar names exist")
    _err(cli("actor", "merge", "1", "1"), 1, "cannot merge actor 1 into itself")
    _err(cli("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--claim", "Y", "--via", "AFP"), 1,
         "give the document too")
    _err(cli("document", "add", "--outlet", "AFP"), 1, "a document needs a URL or a title")
    _err(cli("document", "add", "--url", "notaurl"), 1, "url: 'notaurl' is not a web address")
    _err(cli("document", "add", "--url", "https://x.org/1", "--published", "2999"), 2, "is in the future")
    _err(cli("document", "add", "--url", "https://x.org/1", "--kind", "tweet"), 2, "unknown document kind 'tweet'")
    _err(cli("actor", "add", "Someone", "--kind", "robot"), 2, "unknown actor kind 'robot'")
    _err(cli("actor", "affiliate", "Leonid Volkov", "--role", " "), 1, "role is empty")
    _err(cli("actor", "affiliate", "Leonid Volkov", "--role", "aide", "--start", "2021", "--end", "2020"), 1,
         "affiliation start 2021 is after its end 2020")
    _err(cli("actor", "alias", "Leonid Volkov", "AFP"), 1, "'AFP' already names actor 3")
    _err(cli("verdict", "add", "1", "--label", "x", "--best", "5", "--worst", "5"), 1, "a scale needs two different ends")
    _err(cli("verdict", "add", "1", "--label", "x", "--reviewed", "2021-13"), 2, "--reviewed: '2021-13' is not a real date")
    _err(cli("claim", "add", "Z happened", "--quantity-value", "5"), 1, "needs both --quantity-subject")
    _err(cli("claim", "add", "Z happened", "--quantity-subject", "z", "--quantity-value", "5",
             "--quantity-bound", "roughly"), 2, "unknown quantity bound 'roughly'")
    _err(cli("claim", "link", "1", "1", "--type", "opposes"), 2, "unknown relation type 'opposes'")
    _err(cli("statement", "add", "--claim-id", "1", "--stance", "asserts", "--nested-in", "42"), 1,
         "statement '42' not found")
    assert snapshot() == before


def test_hop_cycle_refused_through_cli(cli, snapshot):
    cli.ok(*VOLKOV, "--new")
    cli.ok("document", "add", "--url", "https://afp.com/dispatch/9", "--kind", "dispatch", "--outlet", "AFP")
    cli.ok("hop", "add", "--document", "2", "--statement", "1")
    cli.ok("hop", "set-via", "1", "2")  # TNIE relies on the AFP dispatch
    before = snapshot()
    _err(cli("hop", "set-via", "2", "1"), 1, "hop 2 cannot rely on hop 1: that would make a cycle (hop 2 → hop 1 → hop 2)")
    _err(cli("hop", "set-via", "2", "2"), 1, "cannot rely on itself")
    _err(cli("hop", "set-via", "2", "77"), 1, "hop '77' not found")
    assert snapshot() == before


def test_interactive_prompts_for_missing_parts(cli):
    cli.ok("actor", "add", "Leonid Volkov")
    result = cli("log", "--interactive", "--quote", "several dozen",
                 input="Police visited Navalny supporters at home\ndeny\nasserts\nLeonid Volkow\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "Claim (the checkable proposition)" in result.stdout
    assert "did you mean Leonid Volkov" in result.stdout
    assert "unknown stance 'deny'" in result.stderr  # asked again
    st = cli.json("statement", "show", "1")
    assert (st["speaker_id"], st["claim"], st["stance"]) == (1, "Police visited Navalny supporters at home", "asserts")


def test_interactive_creates_only_when_confirmed(cli, snapshot):
    cli.ok("actor", "add", "Leonid Volkov")
    before = snapshot()
    # refuse the suggestion, refuse creating: nothing is written
    result = cli("log", "--interactive", "--claim", "X", "--stance", "asserts", "--speaker", "Leonid Volkow",
                 input="n\nn\n")
    _err(result, 1, "no actor 'Leonid Volkow' chosen or created")
    assert snapshot() == before
    # refuse the suggestion, then create the near-duplicate on purpose
    result = cli("log", "--interactive", "--claim", "X", "--stance", "asserts", "--speaker", "Leonid Volkow",
                 "--outlet", "Meduza", "--url", "https://meduza.io/x", input="n\ny\ny\n")
    assert result.exit_code == 0, result.stderr
    assert {a["name"] for a in cli.json("actor", "list")} == {"Leonid Volkov", "Leonid Volkow", "Meduza"}
    # an unattributed statement: blank speaker
    result = cli("log", "--interactive", "--claim", "More than 3,000 people were arrested", "--stance", "reports",
                 input="\n")
    assert result.exit_code == 0, result.stderr
    assert cli.json("statement", "show", "2")["speaker"] is None


def test_no_prompts_when_a_subcommand_runs(cli):
    # `log verify`/`log show` belong to the change-log commands; the callback must stay silent
    result = cli("log", "--help")
    assert result.exit_code == 0 and "--speaker" in result.stdout and "--interactive" in result.stdout


def test_log_more_reports_of_a_logged_statement(cli, snapshot):
    first = cli.json("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--quote", "several dozen",
                     "--claim", "Police visited Navalny supporters at home", "--url", "https://t.me/leonid_volkov/1",
                     "--outlet", "Telegram", "--document-kind", "post", "--primary", "--said", "2021-07-28", "--new")
    sid = str(first["statement_id"])
    afp = cli.json("log", "--statement", sid, "--url", "https://afp.com/dispatch/1", "--outlet", "AFP",
                   "--document-kind", "dispatch", "--via-hop", str(first["hop_id"]), "--new")
    tnie = cli.json("log", "--statement", sid, "--url", TNIE, "--outlet", "The New Indian Express", "--via", "AFP",
                    "--via-hop", str(afp["hop_id"]), "--via-cue", "AFP reported", "--new")
    assert tnie["statement_id"] == first["statement_id"] and tnie["created"] == ["document 3", "hop 3"]
    chain = cli.json("statement", "show", sid)["reported_in"]
    assert [(r["outlet"], r["via_hop_id"], r["is_primary"]) for r in chain] == [
        ("Telegram", None, True), ("AFP", first["hop_id"], False), ("The New Indian Express", afp["hop_id"], False)]
    before = snapshot()
    _err(cli("log", "--statement", sid, "--claim", "X", "--url", "https://x.org/1"), 2, "drop --claim")
    _err(cli("log", "--claim", "X", "--stance", "asserts", "--via-hop", "1"), 2, "--via-hop needs --statement")
    _err(cli("log", "--statement", sid, "--url", TNIE), 1, "already reports statement")
    _err(cli("log", "--statement", "99", "--url", "https://x.org/1"), 1, "statement '99' not found")
    _err(cli("log", "--statement", sid), 1, "give the reporting document")
    assert snapshot() == before
