"""Exports that claim facts leave out, or mark, what was retired (issue #12): a retracted verdict
is no ClaimReview; PROV keeps retired records marked; the CSV sheet marks statements and
verdicts and leaves out the claims, documents and hops it cannot mark. No JSON writer writes
NaN or Infinity."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parent.parent / "claimtrack" / "data" / "demo.jsonl"


def _corrected_demo(cli: Any) -> None:
    cli.ok("import", str(DEMO))
    for claim, label in (("1", "mostly-true"), ("2", "false"), ("3", "half-true")):
        cli.ok("verdict", "add", claim, "--label", label, "--reviewer", "AFP", "--url",
               f"https://factcheck.example.org/{claim}")
    cli.ok("verdict", "retract", "2", "--reason", "the review was about another claim")
    cli.ok("claim", "retract", "3", "--reason", "duplicate wording of claim 2")
    cli.ok("hop", "retract", "1", "--reason", "the paper did not report this")
    cli.ok("statement", "retract", "2", "--reason", "misattributed")
    cli.ok("document", "merge", "1", "5")


def _export(cli: Any, format: str, *more: str) -> tuple[str, str]:
    result = cli.ok("export", "--format", format, *more)
    return result.stdout, result.stderr


def test_claimreview_leaves_out_retracted_verdicts_and_retired_claims(cli: Any) -> None:
    _corrected_demo(cli)
    out, err = _export(cli, "claimreview")
    reviews = json.loads(out)
    assert [r["url"] for r in reviews] == ["https://factcheck.example.org/1"]
    assert "2 retracted or deprecated verdicts (or verdicts on a retired or merged claim) left out" in " ".join(err.split())
    # the appearances are live documents only: the retracted hop's report is no appearance
    hops = cli.json("claim", "show", "1")["statements"]
    assert hops  # claim 1 still has its live statements
    names = [w.get("name") for w in reviews[0]["itemReviewed"]["appearance"]]
    assert len(names) == len(set(names))
    one_claim, _ = _export(cli, "claimreview", "--claim", "3")
    assert json.loads(one_claim) == []


def test_claimreview_appearance_skips_a_retracted_hop(cli: Any) -> None:
    cli.ok("log", "--speaker", "Leonid Volkov", "--stance", "asserts", "--claim", "Police visited supporters",
           "--url", "https://a.example/1", "--outlet", "Le Monde", "--published", "2021-07-28", "--new",
           "--no-interactive")
    cli.ok("log", "--statement", "1", "--url", "https://b.example/1", "--outlet", "The Guardian", "--published",
           "2021-07-29", "--new", "--no-interactive")
    cli.ok("verdict", "add", "1", "--label", "false", "--url", "https://factcheck.example.org/x")
    [review] = json.loads(_export(cli, "claimreview")[0])
    assert [w["url"] for w in review["itemReviewed"]["appearance"]] == ["https://a.example/1", "https://b.example/1"]
    cli.ok("hop", "retract", "2", "--reason", "not in that paper")
    [review] = json.loads(_export(cli, "claimreview")[0])
    assert [w["url"] for w in review["itemReviewed"]["appearance"]] == ["https://a.example/1"]


def test_prov_keeps_retired_records_marked(cli: Any) -> None:
    _corrected_demo(cli)
    # document 2 (Volkov's Telegram post) is also reported by document 1: that hop stays with it
    cli.ok("document", "merge", "1", "2")
    assert cli.json("document", "show", "2")["hops"]
    graph = json.loads(_export(cli, "prov")[0])["@graph"]
    by_id = {node["@id"].rsplit(":", 2)[-2] + ":" + node["@id"].rsplit(":", 1)[-1]: node for node in graph}
    assert by_id["hop:1"]["ct:status"] == "retracted"
    assert by_id["hop:1"]["ct:statusReason"] == "the paper did not report this"
    assert by_id["statement:2"]["ct:status"] == "retracted" and by_id["statement:2"]["ct:statusReason"] == "misattributed"
    assert by_id["document:2"]["ct:mergedInto"]["@id"].endswith(":document:1")
    claim3 = [n for n in graph if n.get("ct:claim", "").startswith("Moscow police visited several dozen")]
    assert claim3 and all(n["ct:claimStatus"] == "retracted" for n in claim3)
    assert "ct:status" not in by_id["hop:2"] and "ct:mergedInto" not in by_id["document:1"]


def test_csv_marks_statements_and_verdicts_and_leaves_out_what_it_cannot_mark(cli: Any) -> None:
    _corrected_demo(cli)
    rows = list(csv.DictReader(io.StringIO(_export(cli, "csv")[0])))
    claims = {r["claim"] for r in rows}
    assert not any(c.startswith("Moscow police visited several dozen") for c in claims)  # the retracted claim
    assert {(r["verdict"], r["status"]) for r in rows if r["verdict"]} == {("mostly-true", "normal"),
                                                                           ("false", "retracted")}
    retracted = [r for r in rows if r["status"] == "retracted" and not r["verdict"]]
    assert retracted and all(r["status_reason"] == "misattributed" for r in retracted)
    titles = {r["title"] for r in rows}
    assert not any(t.startswith("From London") for t in titles)  # the merged document
    hop1 = cli.json("statement", "show", "1")
    assert len([r for r in rows if r["quote"] == (hop1["quote"] or "") and r["speaker"] == (hop1["speaker"] or "")
                and r["title"]]) == len([h for h in hop1["reported_in"] if h["status"] == "normal"])


def test_no_json_writer_writes_nan() -> None:
    from claimtrack.errors import InvalidInput
    from claimtrack.viewjson import dumps

    with pytest.raises(InvalidInput, match="NaN or Infinity"):
        dumps({"normalized": float("nan")})
    from claimtrack.formats.claimreview_export import _dumps

    class Verdict:
        key, id = "v1", 1

    with pytest.raises(InvalidInput, match="verdict v1 holds NaN or Infinity"):
        _dumps({"reviewRating": {"ratingValue": float("inf")}}, Verdict())
