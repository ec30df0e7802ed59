"""Claim, speaker, outlet and timeline reports: their data, forms (JSON, Markdown, HTML, SVG), width 80."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.test_conflicts import build_seed


@pytest.fixture
def seed(database):
    from claimtrack.models import Claim
    from claimtrack.services.events import record_event

    with database.write() as s:
        ids = build_seed(s)
        pf = f.actor(s, "PolitiFact", kind="organization")
        afc = f.actor(s, "AFP Fact Check", kind="organization")
        v1 = f.verdict(s, s.get(Claim, ids["leak"]), "half-true", pf, reviewed="2021-06")
        ids["v1"] = v1.id
        record_event(s, "verdict", v1)
        before = {"label": "half-true"}
        v1.label = "false"
        record_event(s, "update", v1, before=before)
        ids["v2"] = f.verdict(s, s.get(Claim, ids["leak"]), "Misleading", afc, reviewed="2021-06-03",
                              status="deprecated", status_reason="superseded by a later review").id
    return ids


def test_claim_report_groups_side_by_side(cli, seed):
    data = cli.json("report", "claim", str(seed["leak"]))
    assert data["claim"]["text"] == "A former ally leaked the database of Navalny supporters"
    groups = {g["side"]: g for g in data["groups"]}
    assert [g["side"] for g in data["groups"]] == ["supports", "opposes", "neutral"]
    blame = groups["supports"]["statements"][0]
    assert blame["speaker"] == "Ivan Zhdanov" and blame["role"] == "aide to Alexei Navalny"
    assert blame["said"] == "2021-05" and blame["cue"] == "blamed"
    outlets = {r["outlet"]: r for r in blame["reported_in"]}
    assert set(outlets) == {"AFP", "The New Indian Express"}
    assert outlets["The New Indian Express"]["date"] == "2021-07-28"
    denial = groups["opposes"]["statements"][0]
    assert denial["speaker"] == "a former ally" and denial["anonymous"] and denial["said"] == "~2021-05"
    assert groups["neutral"]["total"] == 0
    verdicts = {v["verdict"]["reviewer"]: v for v in data["verdicts"]}
    assert verdicts["PolitiFact"]["verdict"]["label"] == "false"
    assert [h["action"] for h in verdicts["PolitiFact"]["history"]] == ["verdict", "update"]
    assert verdicts["PolitiFact"]["history"][1]["changes"] == {"label": ["half-true", "false"]}
    assert verdicts["AFP Fact Check"]["verdict"]["status"] == "deprecated"
    assert [c["kind"] for c in data["conflicts"]] == ["stance", "verdict"]


def test_claim_report_chain_summary(cli, seed):
    """Each reporting hop carries the chain summary from claimtrack.queries.chains."""
    pytest.importorskip("claimtrack.queries.chains")
    data = cli.json("report", "claim", str(seed["leak"]))
    hops = data["groups"][0]["statements"][0]["reported_in"]
    tnie = next(r for r in hops if r["outlet"] == "The New Indian Express")
    assert tnie["chain"] and "AFP" in tnie["chain"]


def test_claim_report_relations(cli, seed):
    data = cli.json("report", "claim", str(seed["routine"]))
    assert data["relations"] == [{
        "relation_id": data["relations"][0]["relation_id"], "type": "contradicts", "status": "confirmed",
        "direction": "incoming", "other_claim_id": seed["interfered"],
        "other_claim_text": "The U.S. Embassy interfered in Russia's domestic affairs", "score": None, "note": None}]
    assert data["groups"][0]["statements"][0]["quote"] == "routine practice"


def test_claim_report_terminal_and_markdown(cli, seed):
    out = cli.ok("report", "claim", str(seed["leak"])).stdout
    for text in ("Supports", "Opposes", "Ivan Zhdanov", "a former ally", "PolitiFact", "[deprecated]"):
        assert text in out
    md = cli.ok("report", "claim", str(seed["leak"]), "--markdown").stdout
    assert md.startswith("# Claim ")
    assert "## Supports (asserts, confirms) (1)" in md and "Ivan Zhdanov" in md
    assert "| PolitiFact | false | 0.20 | 2021-06 | normal |" in md


@pytest.mark.parametrize("suffix", [".html", ".svg"])
@pytest.mark.parametrize("report", ["claim", "speaker", "outlet", "timeline"])
def test_reports_export(cli, seed, tmp_path, suffix, report):
    target = tmp_path / f"report{suffix}"
    args = {"claim": [str(seed["leak"])], "speaker": ["OVD-Info"], "outlet": ["The New Indian Express"],
            "timeline": []}[report]
    result = cli.ok("report", report, *args, "--output", str(target))
    assert f"Wrote {target}" in result.stderr
    content = target.read_text(encoding="utf-8")
    assert ("<svg" in content) if suffix == ".svg" else ("<html" in content.lower())
    name = {"claim": "Zhdanov", "speaker": "OVD", "outlet": "Indian", "timeline": "Peskov"}[report]
    assert name in content or name in content.replace("&#160;", " ")


def test_conflicts_export_and_markdown(cli, seed, tmp_path):
    target = tmp_path / "conflicts.html"
    cli.ok("conflicts", "--output", str(target))
    assert "Zhdanov" in target.read_text(encoding="utf-8")
    md = cli.ok("conflicts", "--markdown").stdout
    assert md.startswith("# Conflicts") and "## HIGH · stance" in md and "more than 3,700" in md


@pytest.mark.parametrize("args,message", [
    (("report", "claim", "404"), "claim '404' not found"),
    (("report", "speaker", "Nobody"), "no actor named 'Nobody'"),
    (("report", "outlet", "Nowhere Gazette"), "no actor named 'Nowhere Gazette'"),
    (("report", "timeline", "--since", "yesterday"), "is not a date"),
    (("report", "claim", "1", "--output", "report.pdf"), "write FILE.html or FILE.svg"),
    (("report", "claim", "1", "--json", "--markdown"), "choose one of --json and --markdown"),
    (("conflicts", "--output", "/no/such/folder/x.html"), "does not exist"),
])
def test_report_bad_input(cli, seed, snapshot, args, message):
    before = snapshot()
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert snapshot() == before


def test_reports_are_read_only(cli, seed, snapshot, tmp_path):
    before = snapshot()
    cli.ok("report", "claim", str(seed["leak"]))
    cli.ok("report", "speaker", "Ivan Zhdanov", "--json")
    cli.ok("report", "outlet", "AFP", "--markdown")
    cli.ok("report", "timeline", "--output", str(tmp_path / "t.svg"))
    assert snapshot() == before


def test_speaker_report(cli, database):
    with database.write() as s:
        pf = f.actor(s, "PolitiFact", kind="organization")
        mayor = f.actor(s, "Jane Mayor", aliases=("J. Mayor",))
        old = f.actor(s, "Jane Mayer")  # a misspelling later merged into Jane Mayor
        s.flush()
        old.merged_into_id = mayor.id
        paper = f.actor(s, "Daily Planet", kind="outlet")
        doc = f.document(s, paper, url="https://planet.example/a", title="Mayor speaks", published="2020-02-02")
        c1, c2 = f.claim(s, "Crime fell by half"), f.claim(s, "The budget is balanced")
        a = f.statement(s, c1, mayor, stance="asserts", said="2020-02-01", quote="crime fell by half")
        f.statement(s, c1, mayor, stance="retracts", said="2020-03")
        b = f.statement(s, c2, old, stance="asserts", said="2019")
        f.statement(s, c2, mayor, stance="denies", status="retracted", status_reason="misattributed")
        junk = f.claim(s, "x", status="retracted", status_reason="typo")
        f.statement(s, junk, mayor, stance="asserts", said="2018")
        f.hop(s, doc, a)
        f.hop(s, doc, b)
        f.verdict(s, c1, "false", pf)
        f.verdict(s, c2, "mostly-true", pf)
        mayor_id = mayor.id
    data = cli.json("report", "speaker", "j mayor")
    assert data["actor"]["id"] == mayor_id and data["actor"]["merged_ids"]
    # the retracted denial is listed apart (by_status) and counted nowhere else
    assert data["statements_total"] == 3
    assert data["by_stance"] == {"asserts": 2, "retracts": 1}
    assert data["by_status"] == {"normal": 3, "on a retired claim": 1, "retracted": 1}
    assert [(v["name"], v["count"], v["normalized"]) for v in data["verdicts"]] == [("false", 1, 0.2),
                                                                                     ("mostly-true", 1, 0.8)]
    assert len(data["self_contradictions"]) == 1  # a reversal resting on the retracted denial is no conflict
    assert any("supported it (2020-02-01) and later opposed it (2020-03)" in c["summary"]
               for c in data["self_contradictions"])
    assert [(o["name"], o["count"]) for o in data["outlets"]] == [("Daily Planet", 2)]
    assert [r["said"] for r in data["recent"]][:2] == ["2020-03", "2020-02-01"]
    out = cli.ok("report", "speaker", "Jane Mayor").stdout
    assert "Self-contradictions" in out and "Daily Planet" in out


def test_outlet_report_attribution_shares(cli, database):
    with database.write() as s:
        paper = f.actor(s, "Gazette", kind="outlet")
        local = f.actor(s, "local media", kind="unspecified")
        wire = f.actor(s, "Reuters", kind="agency")
        minister = f.actor(s, "Minister")
        c = f.claim(s, "Prices rose")
        wire_doc = f.document(s, wire, url="https://wire.example/1", published="2021-01-01", kind="dispatch")
        docs = [f.document(s, paper, url=f"https://gazette.example/{i}", published=f"2021-01-0{i + 2}") for i in range(2)]
        wire_hop = f.hop(s, wire_doc, f.statement(s, c, minister, quote="prices rose"))
        f.hop(s, docs[0], f.statement(s, c, minister, quote="prices rose"), via_hop=wire_hop, via_actor=wire)
        f.hop(s, docs[0], f.statement(s, c, minister, stance="asserts"))  # indirect, no quote
        f.hop(s, docs[1], f.statement(s, c, None, stance="asserts"))  # the reporter's own voice
        f.hop(s, docs[1], f.statement(s, c, minister, stance="asserts"), via_actor=local)  # vague
    data = cli.json("report", "outlet", "gazette")
    assert data["documents"] == 2 and data["hops"] == 4 and data["statements"] == 4
    assert data["attribution"] == {"direct": 1, "indirect": 1, "vague": 1, "unattributed": 1}
    assert data["attribution_shares"]["direct"] == 0.25
    assert {(i["name"], i["count"]) for i in data["intermediaries"]} == {("Reuters", 1), ("local media", 1)}
    assert [(o["name"], o["count"]) for o in data["relies_on_outlets"]] == [("Reuters", 1)]
    assert data["first_published"] == "2021-01-02" and data["last_published"] == "2021-01-03"


def test_timeline_order_and_precision(cli, seed):
    data = cli.json("report", "timeline", "--claim", str(seed["leak"]))
    events = [(e["date"], e["kind"], e["who"]) for e in data["events"]]
    assert events == [
        ("2021-05", "said", "Ivan Zhdanov"),
        ("~2021-05", "said", "a former ally"),
        ("2021-06", "reviewed", "PolitiFact"),
        ("2021-06-03", "reviewed", "AFP Fact Check"),
        ("2021-07-28", "reported", "The New Indian Express"),
        ("2021-07-28", "reported", "AFP"),
    ]
    everything = cli.json("report", "timeline", "--limit", "3")
    assert len(everything["events"]) == 3 and everything["truncated"]
    assert [e["date"] for e in everything["events"]] == ["2021-01-23", "2021-01-24", "2021-01-25"]
    since = cli.json("report", "timeline", "--since", "2021-07")
    assert {e["date"] for e in since["events"]} == {"2021-07-28"}


@pytest.mark.parametrize("command", [
    ("conflicts",), ("report", "claim", "1"), ("report", "speaker", "OVD-Info"),
    ("report", "outlet", "The New Indian Express"), ("report", "timeline"),
])
def test_width_80_keeps_columns(cli, seed, command):
    """The CLI runner renders at 80 columns: nothing crashes, no line is wider, columns stay."""
    out = cli.ok(*command, env={"COLUMNS": "80"}).stdout
    assert out.strip()
    assert max(len(line) for line in out.splitlines()) <= 80
    if command[0] == "conflicts":
        assert "supports (asserts, confirms)" in out and "opposes (denies, disputes," in out
    if command[:2] == ("report", "claim"):
        assert "Supports (asserts," in out and "Opposes (denies," in out and "No side" in out


def test_every_conflict_item_has_the_common_keys(cli, seed):
    """Statement, verdict and claim items all carry speaker/stance/quote/said/reported_in/status."""
    with_claim_item = cli.json("conflicts", "--include-retracted")
    kinds = set()
    for conflict in with_claim_item:
        for side in conflict["sides"]:
            for item in side:
                kinds.add(item["type"])
                assert {"type", "speaker", "stance", "quote", "said", "reported_in", "status"} <= set(item)
    assert {"statement", "verdict"} <= kinds
    verdict = next(c for c in with_claim_item if c["kind"] == "verdict")
    item = verdict["sides"][0][0]
    assert {"reviewer", "label", "value", "normalized", "date"} <= set(item)
    assert item["speaker"] == item["reviewer"] and item["said"] == item["date"]
