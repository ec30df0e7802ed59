"""`edit` for every record kind: only given fields change, --expect-version guards, history shows it."""

from __future__ import annotations

import pytest


def _setup(cli) -> None:
    cli.ok("actor", "add", "Maria Zakharova")
    cli.ok("actor", "add", "Russian Foreign Ministry", "--kind", "government")
    cli.ok("actor", "affiliate", "Maria Zakharova", "--role", "spokeswomen", "--org", "Russian Foreign Ministry")
    cli.ok("log", "--speaker", "Maria Zakharova", "--stance", "denies", "--claim", "The embassy interfered",
           "--quote", "interferance", "--outlet", "TASS", "--url", "https://tass.com/1", "--title", "Embasy",
           "--published", "2021-01-24", "--new", "--no-interactive")
    cli.ok("claim", "add", "The embassy meddled")
    cli.ok("claim", "link", "1", "2", "--type", "supports")


def test_edit_each_kind_changes_only_the_given_fields(cli):
    _setup(cli)
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--quote", "interference", "--said", "2021-01")
    st = cli.json("statement", "show", "1")
    assert (st["quote"], st["said"], st["stance"], st["version"]) == ("interference", "2021-01", "denies", 2)
    cli.ok("document", "edit", "1", "--expect-version", "1", "--title", "Embassy", "--language", "ru")
    doc = cli.json("document", "show", "1")
    assert (doc["title"], doc["language"], doc["url"], doc["version"]) == ("Embassy", "ru", "https://tass.com/1", 2)
    cli.ok("hop", "edit", "1", "--expect-version", "1", "--cue", "told TASS")
    assert cli.json("document", "show", "1")["hops"][0]["cue"] == "told TASS"
    cli.ok("actor", "edit", "Maria Zakharova", "--expect-version", "1", "--description", "MFA spokeswoman")
    cli.ok("actor", "edit-affiliation", "1", "--expect-version", "1", "--role", "spokeswoman", "--start", "2015")
    actor = cli.json("actor", "show", "Maria Zakharova")
    assert actor["description"] == "MFA spokeswoman"
    assert (actor["affiliations"][0]["role"], actor["affiliations"][0]["start"]) == ("spokeswoman", "2015")
    cli.ok("claim", "edit-relation", "1", "--expect-version", "1", "--type", "same_as", "--note", "one claim")
    relation = cli.json("claim", "show", "1")["relations"][0]
    assert (relation["type"], relation["note"], relation["version"]) == ("same_as", "one claim", 2)
    for kind in ("statement", "document", "hop", "affiliation", "relation"):
        events = cli.json("history", kind, "1")["events"]
        assert events[-1]["action"] == "update", kind
        assert events[-1]["before"] != events[-1]["after"]
    history = cli.json("history", "statement", "1")["events"][-1]
    assert history["before"]["quote"] == "interferance" and history["after"]["quote"] == "interference"
    cli.ok("log", "verify")


def test_renamed_actor_keeps_its_old_spelling(cli):
    cli.ok("actor", "add", "Alexey Navalnyy")
    cli.ok("actor", "edit", "Alexey Navalnyy", "--expect-version", "1", "--name", "Alexei Navalny")
    assert cli.json("actor", "show", "Alexei Navalny")["id"] == 1
    assert cli.json("actor", "show", "Alexey Navalnyy")["name"] == "Alexei Navalny"


def test_unchanged_edit_writes_nothing(cli, snapshot):
    _setup(cli)
    before = snapshot()
    out = cli.ok("statement", "edit", "1", "--expect-version", "1", "--stance", "denies").stdout
    assert "statement 1 unchanged (version 1)" in out
    assert snapshot() == before


BAD = [
    (("statement", "edit", "1", "--expect-version", "7", "--quote", "x"),
     "statement 1 was changed by someone else since you read it (version 7, now 1)"),
    (("statement", "edit", "1", "--expect-version", "1"), "nothing to change"),
    (("statement", "edit", "1", "--expect-version", "1", "--stance", "denial"), "unknown stance 'denial'"),
    (("statement", "edit", "2", "--expect-version", "1", "--quote", "x"), "statement 2 is retracted (wrong)"),
    (("document", "edit", "1", "--expect-version", "1", "--url", "https://tass.com/2"),
     "document 2 already has this URL"),
    (("document", "edit", "1", "--expect-version", "1", "--published", "2999"), "--published"),
    (("actor", "edit", "Maria Zakharova", "--expect-version", "1", "--name", " "), "name is empty"),
    (("actor", "edit", "Maria Zakharova", "--expect-version", "1", "--kind", "robot"), "unknown actor kind 'robot'"),
    (("actor", "edit-affiliation", "1", "--expect-version", "1", "--start", "2022", "--end", "2020"),
     "the role starts (2022) after it ends (2020)"),
    (("claim", "edit-relation", "1", "--expect-version", "1", "--type", "likes"), "unknown relation type 'likes'"),
    (("hop", "edit", "9", "--expect-version", "1", "--cue", "x"), "hop '9' not found"),
    # a wrong speaker, claim or outlet (tests/test_reattribute.py has the rest)
    (("statement", "edit", "1", "--expect-version", "1", "--speaker", "Nobody At All"),
     "--speaker: no actor named 'Nobody At All' (use --new to create it)"),
    (("statement", "edit", "1", "--expect-version", "7", "--speaker", "Russian Foreign Ministry"),
     "statement 1 was changed by someone else since you read it (version 7, now 1)"),
    (("statement", "edit", "1", "--expect-version", "1", "--speaker", ""),
     "a quote needs a speaker or an anonymous descriptor"),
    (("statement", "edit", "1", "--expect-version", "1", "--on-behalf-of", "Nobody At All"),
     "--on-behalf-of: no actor named 'Nobody At All'"),
    (("statement", "edit", "1", "--expect-version", "1", "--claim", "99"), "--claim: claim '99' not found"),
    (("statement", "edit", "1", "--expect-version", "1", "--claim", ""), "--claim cannot be cleared"),
    (("statement", "edit", "2", "--expect-version", "1", "--claim", "1"), "statement 2 is retracted (wrong)"),
    (("document", "edit", "1", "--expect-version", "1", "--outlet", "Nobody At All"),
     "--outlet: no actor named 'Nobody At All'"),
    (("verdict", "edit", "1", "--expect-version", "1", "--value", "9"),
     "value 9.0 is outside the scale from worst 1.0 to best 5.0"),
    (("verdict", "edit", "1", "--expect-version", "1", "--best", "1"),
     "best and worst are both 1.0; a scale needs two different ends"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a[:4] + a[5:6]) for a, _ in BAD])
def test_bad_edits_write_nothing(cli, snapshot, argv, message):
    _setup(cli)
    cli.ok("log", "--speaker", "Maria Zakharova", "--stance", "asserts", "--claim", "The embassy meddled",
           "--url", "https://tass.com/2", "--no-interactive")
    cli.ok("statement", "retract", "2", "--reason", "wrong")
    cli.ok("verdict", "add", "1", "--label", "false", "--value", "2", "--best", "5", "--worst", "1")
    before = snapshot()
    result = cli(*argv)
    # a bad option value is a usage error (exit 2, with a "See: … --help" line), a bad edit exit 1
    assert result.exit_code in (1, 2), (result.stdout, result.stderr)
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("See: ")]
    assert message in result.stderr and len(lines) == 1, result.stderr
    assert snapshot() == before


def test_unknown_field_is_refused_by_the_service(database):
    from claimtrack.errors import InvalidInput
    from claimtrack.services.edits import edit_object
    from tests import factories as f

    with database.write() as s:
        actor = f.actor(s, "Leonid Volkov")
        s.flush()
        with pytest.raises(InvalidInput, match="unknown field 'colour' for a actor; expected one of: name, kind"):
            edit_object(s, "actor", actor, {"colour": "red"}, expect_version=1)


def test_edited_dates_read_numeric_dates_in_the_configured_order(cli, monkeypatch):
    """Every date option of `edit` parses as its check reads it ($CLAIMTRACK_DATE_ORDER): the
    affiliation's --start and the verdict's --reviewed once parsed without it (exit 1, ambiguous)."""
    _setup(cli)
    cli.ok("verdict", "add", "1", "--label", "false")
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "DMY")
    cli.ok("actor", "edit-affiliation", "1", "--expect-version", "1", "--start", "03/04/2015")
    cli.ok("verdict", "edit", "1", "--expect-version", "1", "--reviewed", "03/04/2021")
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--said", "03/04/2021")
    assert cli.json("actor", "show", "Maria Zakharova")["affiliations"][0]["start"] == "2015-04-03"
    assert cli.json("history", "verdict", "1")["events"][-1]["after"]["reviewed_on"] == "2021-04-03"
    assert cli.json("statement", "show", "1")["said"] == "2021-04-03"
