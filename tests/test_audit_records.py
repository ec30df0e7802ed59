"""The audit's blind spots (issue #12): no-source, unfindable-document, undated-statement,
translated-quote; and retired records are not audited."""

from __future__ import annotations

import json
from pathlib import Path


def _rules(cli, *rules: str) -> dict[str, list[str]]:
    argv = ["audit", "--json"] + [x for r in rules for x in ("--rule", r)]
    result = cli(*argv)
    data = json.loads(result.stdout)
    problems = data["problems"] if isinstance(data, dict) else data
    found: dict[str, list[str]] = {}
    for p in problems:
        found.setdefault(p["rule"], []).append(p["key"])
    return found


def test_statement_in_no_document_is_a_finding(cli):
    cli.ok("statement", "add", "--claim", "Police visited supporters", "--stance", "asserts",
           "--speaker", "Leonid Volkov", "--said", "2021-07", "--new")
    assert _rules(cli, "no-source") == {"no-source": ["no-source:statement:1"]}
    cli.ok("statement", "retract", "1", "--reason", "never said")
    assert _rules(cli, "no-source") == {}


def test_an_import_of_unsourced_statements_is_one_grouped_finding(cli, tmp_path: Path):
    lines = [{"type": "claimtrack", "format_version": 1},
             {"type": "actor", "key": "a", "name": "Some Speaker"},
             {"type": "claim", "key": "c", "text": "A claim"}]
    lines += [{"type": "statement", "key": f"s{i}", "claim": "c", "speaker": "a", "stance": "asserts",
               "said": "2021"} for i in range(25)]
    path = tmp_path / "bulk.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    cli.ok("import", str(path), "--format", "jsonl")
    found = _rules(cli, "no-source")
    assert len(found["no-source"]) == 1 and found["no-source"][0].startswith("no-source:import:")
    text = cli("audit", "--rule", "no-source").stdout
    assert "25 statements imported" in " ".join(text.split())
    # the finding invites accepting the import as unsourced: its key can be acknowledged
    key = found["no-source"][0]
    cli.ok("audit", "ack", key, "--reason", "a reference list: sources follow")
    assert _rules(cli, "no-source") == {}
    assert key in cli("audit", "--rule", "no-source", "--all").stdout.replace("\n", "")


def test_document_without_url_or_archive_and_undated_statement(cli):
    cli.ok("log", "--speaker", "Ivan Zhdanov", "--stance", "asserts", "--claim", "A former ally leaked it",
           "--outlet", "The New Indian Express", "--title", "Leak", "--published", "2021-07-28", "--new",
           "--no-interactive")
    found = _rules(cli, "unfindable-document", "undated-statement")
    assert found == {"unfindable-document": ["unfindable-document:document:1"],
                     "undated-statement": ["undated-statement:statement:1"]}
    cli.ok("document", "edit", "1", "--expect-version", "1", "--archive-url", "https://archive.org/x")
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--said", "2021-07")
    assert _rules(cli, "unfindable-document", "undated-statement") == {}


def test_direct_quote_known_only_in_translation(cli):
    cli.ok("log", "--speaker", "Marina Litvinenko", "--stance", "asserts", "--claim", "We need a new opposition",
           "--quote", "we need a new mode of opposition", "--outlet", "franceinfo", "--url", "https://fi.example/1",
           "--document-kind", "translation", "--said", "2024-03", "--new", "--no-interactive")
    assert _rules(cli, "translated-quote") == {"translated-quote": ["translated-quote:statement:1"]}
    cli.ok("statement", "edit", "1", "--expect-version", "1", "--original", "il faut un nouveau mode d'opposition")
    assert _rules(cli, "translated-quote") == {}


def test_a_quote_also_reported_in_the_original_is_no_translated_quote(cli):
    cli.ok("log", "--speaker", "Marina Litvinenko", "--stance", "asserts", "--claim", "We need a new opposition",
           "--quote", "we need a new mode of opposition", "--outlet", "franceinfo", "--url", "https://fi.example/1",
           "--document-kind", "translation", "--said", "2024-03", "--new", "--no-interactive")
    cli.ok("document", "add", "--url", "https://lemonde.example/1", "--outlet", "Le Monde", "--new")
    cli.ok("hop", "add", "--document", "2", "--statement", "1")
    assert _rules(cli, "translated-quote") == {}
    cli.ok("hop", "retract", "2", "--reason", "wrong page")
    assert _rules(cli, "translated-quote") == {"translated-quote": ["translated-quote:statement:1"]}


def test_retired_hops_and_claims_are_not_audited(cli):
    cli.ok("log", "--stance", "asserts", "--claim", "x", "--outlet", "TASS", "--url", "https://tass.com/1",
           "--new", "--no-interactive")
    assert "unattributed" in _rules(cli)
    cli.ok("claim", "retract", "1", "--reason", "typo")
    assert "unattributed" not in _rules(cli)
