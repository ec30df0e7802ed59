"""Conflict detection on the seed example (built with factories) and on small edge cases."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f

DETAINED = "people detained in the 23 January 2021 protests"
VISITED = "Navalny supporters visited at home by police"


def build_seed(s: Any) -> dict[str, Any]:
    """The facts of ../shared/seeds read as a fact-checker would, as ORM rows."""
    afp = f.actor(s, "AFP", kind="agency")
    tnie = f.actor(s, "The New Indian Express", kind="outlet")
    mt = f.actor(s, "The Moscow Times", kind="outlet")
    ovd = f.actor(s, "OVD-Info", kind="organization", aliases=("OVD Info",))
    volkov = f.actor(s, "Leonid Volkov")
    zhdanov = f.actor(s, "Ivan Zhdanov")
    peskov = f.actor(s, "Dmitry Peskov")
    kremlin = f.actor(s, "Kremlin", kind="government")
    f.affiliation(s, peskov, kremlin, "spokesman")
    f.affiliation(s, zhdanov, None, "aide to Alexei Navalny")

    d_tnie = f.document(s, tnie, url="https://www.newindianexpress.com/world/2021/jul/28/police-visit",
                        title="Russian police visit Navalny supporters", published="2021-07-28")
    d_mt = f.document(s, mt, url="https://www.themoscowtimes.com/2021/01/25/russia-protests-us-embassy",
                      title="Russia protests to U.S. Embassy", published="2021-01-25")
    d_afp = f.document(s, afp, url="https://www.afp.com/en/news/dispatch-1", title="AFP dispatch",
                       published="2021-07-28", kind="dispatch")

    leak = f.claim(s, "A former ally leaked the database of Navalny supporters")
    blame = f.statement(s, leak, zhdanov, stance="asserts", said="2021-05", quote_kind=None, cue="blamed")
    denial = f.statement(s, leak, None, stance="denies", speaker_descriptor="a former ally", said="~2021-05")
    h_afp = f.hop(s, d_afp, blame, is_primary=False)
    f.hop(s, d_tnie, blame, via_hop=h_afp, via_actor=afp)
    f.hop(s, d_tnie, denial, via_actor=afp)

    interfered = f.claim(s, "The U.S. Embassy interfered in Russia's domestic affairs")
    routine = f.claim(s, "Issuing safety messages to U.S. citizens abroad is routine practice")
    st_peskov = f.statement(s, interfered, peskov, stance="asserts", said="2021-01-25", cue="accused",
                            on_behalf_of=kremlin)
    st_embassy = f.statement(s, routine, None, stance="asserts", speaker_descriptor="a U.S. Embassy spokeswoman",
                             quote="routine practice", said="2021-01-25", cue="told AFP")
    f.hop(s, d_mt, st_peskov)
    f.hop(s, d_mt, st_embassy, via_actor=afp, cue="told AFP")
    f.relation(s, interfered, routine, "contradicts")

    arrested = f.claim(s, "Security forces detained more than 3,000 people in the 23 January 2021 protests",
                       quantity=(DETAINED, 3000, "more_than"))
    detained = f.claim(s, "More than 3,700 demonstrators were detained in the 23 January 2021 protests",
                       quantity=(DETAINED.upper() + ".", 3700, "more_than"))
    st_own = f.statement(s, arrested, None, stance="asserts", said="2021-01-23")
    st_ovd = f.statement(s, detained, ovd, stance="asserts", said="2021-01-24", cue="reported")
    f.hop(s, d_mt, st_own)
    f.hop(s, d_mt, st_ovd)

    visited20 = f.claim(s, "Police visited at least 20 Navalny supporters at home", quantity=(VISITED, 20, "at_least"))
    visited_dozens = f.claim(s, "Police visited several dozen Navalny supporters at home",
                             quantity=(VISITED, 36, "about"))
    st_ovd20 = f.statement(s, visited20, ovd, stance="asserts", quote="at least 20", said="2021-07-28")
    st_volkov = f.statement(s, visited_dozens, volkov, stance="asserts", quote="several dozen", said="2021-07-28",
                            channel="telegram", cue="wrote on Telegram")
    f.hop(s, d_tnie, st_ovd20, via_actor=afp)
    f.hop(s, d_tnie, st_volkov, via_actor=afp, cue="wrote on Telegram")
    return {k: v.id for k, v in locals().items() if hasattr(v, "id") and not isinstance(v, type)}


def _find(conflicts: list[dict[str, Any]], kind: str, claim_ids: set[int]) -> dict[str, Any]:
    for c in conflicts:
        if c["kind"] == kind and set(c["claim_ids"]) == claim_ids:
            return c
    raise AssertionError(f"no {kind} conflict on {claim_ids}: {[(c['kind'], c['claim_ids']) for c in conflicts]}")


def test_seed_conflicts_side_by_side(cli, database):
    with database.write() as s:
        ids = build_seed(s)
    data = cli.json("conflicts")
    stance = _find(data, "stance", {ids["leak"]})
    assert [i["speaker"] for i in stance["sides"][0]] == ["Ivan Zhdanov"]
    assert [i["speaker"] for i in stance["sides"][1]] == ["a former ally"]
    assert stance["sides"][1][0]["stance"] == "denies" and stance["sides"][1][0]["said"] == "~2021-05"
    assert stance["sides"][0][0]["reported_in"][0]["outlet"] in {"AFP", "The New Indian Express"}
    assert {r["outlet"] for r in stance["sides"][0][0]["reported_in"]} == {"AFP", "The New Indian Express"}
    assert stance["severity_label"] == "high"

    relation = _find(data, "relation", {ids["interfered"], ids["routine"]})
    assert relation["sides"][0][0]["speaker"] == "Dmitry Peskov"
    assert relation["sides"][0][0]["role"] == "spokesman, Kremlin"
    assert relation["sides"][1][0]["speaker"] == "a U.S. Embassy spokeswoman"
    assert relation["sides"][1][0]["quote"] == "routine practice"
    assert relation["sides"][1][0]["reported_in"] == [
        {"hop_id": relation["sides"][1][0]["reported_in"][0]["hop_id"], "document_id": ids["d_mt"],
         "document": "Russia protests to U.S. Embassy", "outlet": "The Moscow Times", "date": "2021-01-25",
         "date_precision": "day", "date_approximate": False,
         "url": "https://www.themoscowtimes.com/2021/01/25/russia-protests-us-embassy", "cue": "told AFP",
         "via": "AFP", "primary": False, "chain": relation["sides"][1][0]["reported_in"][0]["chain"]}]
    assert not relation["suggested"]

    detained = _find(data, "quantity", {ids["arrested"], ids["detained"]})
    assert "more than 3,000" in detained["summary"] and "more than 3,700" in detained["summary"]
    assert "compatible" in detained["summary"] and "incompatible" not in detained["summary"]
    assert detained["sides"][0][0]["speaker"] is None  # the report's own voice
    assert detained["sides"][1][0]["speaker"] == "OVD-Info"
    assert detained["sides"][1][0]["figure"] == "more than 3,700"

    visited = _find(data, "quantity", {ids["visited20"], ids["visited_dozens"]})
    assert "at least 20" in visited["summary"] and "about 36" in visited["summary"]
    assert "incompatible" not in visited["summary"]
    assert [side[0]["speaker"] for side in visited["sides"]] == ["OVD-Info", "Leonid Volkov"]
    for c in data:
        assert len(c["sides"]) >= 2 and c["explanation"] and c["summary"]
    # most severe first
    assert [c["severity"] for c in data] == sorted((c["severity"] for c in data), reverse=True)


def test_seed_conflicts_render_in_terminal(cli, database):
    with database.write() as s:
        build_seed(s)
    out = cli.ok("conflicts").stdout
    for text in ("Ivan Zhdanov", "a former ally", "Dmitry Peskov", "U.S. Embassy spokeswoman",
                 "more than 3,000", "more than 3,700", "at least 20", "about 36"):
        assert text in out


def test_conflicts_filters(cli, database):
    with database.write() as s:
        ids = build_seed(s)
    only = cli.json("conflicts", "--claim", str(ids["leak"]))
    assert [c["kind"] for c in only] == ["stance"]
    quantity = cli.json("conflicts", "--kind", "quantity")
    assert {c["kind"] for c in quantity} == {"quantity"} and len(quantity) == 2
    by_speaker = cli.json("conflicts", "--speaker", "leonid volkov")
    assert [c["kind"] for c in by_speaker] == ["quantity"]
    by_alias = cli.json("conflicts", "--speaker", "OVD Info")
    assert len(by_alias) == 2
    assert len(cli.json("conflicts", "--limit", "1")) == 1
    since = cli.json("conflicts", "--since", "2021-07")
    assert {c["kind"] for c in since} == {"quantity"} and len(since) == 1


@pytest.mark.parametrize("args,message", [
    (("--kind", "stances"), "unknown conflict kind 'stances'"),
    (("--since", "2021-13"), "not a real date"),
    (("--claim", "999"), "claim '999' not found"),
    (("--speaker", "Nobody Here"), "no actor named 'Nobody Here'"),
    (("--limit", "-1"), "--limit"),
])
def test_conflicts_bad_input(cli, database, snapshot, args, message):
    with database.write() as s:
        build_seed(s)
    before = snapshot()
    result = cli("conflicts", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert snapshot() == before


def test_conflicts_is_read_only(cli, database, snapshot):
    with database.write() as s:
        build_seed(s)
    before = snapshot()
    cli.ok("conflicts")
    cli.ok("conflicts", "--json")
    assert snapshot() == before


def test_retracted_statements_marked_and_flagged(cli, database):
    with database.write() as s:
        c = f.claim(s, "The mayor resigned")
        a, b = f.actor(s, "Anna"), f.actor(s, "Boris")
        f.statement(s, c, a, stance="asserts")
        f.statement(s, c, b, stance="denies", status="retracted", status_reason="logged against the wrong claim")
        c2 = f.claim(s, "The bridge closed")
        f.statement(s, c2, a, stance="asserts")
        f.statement(s, c2, b, stance="disputes")
        f.statement(s, c2, b, stance="denies", status="deprecated", status_reason="duplicate")
        ids = (c.id, c2.id)
    shown = cli.json("conflicts")
    assert [x["claim_ids"] for x in shown] == [[ids[1]]]
    statuses = [i["status"] for i in shown[0]["sides"][1]]
    assert statuses == ["normal", "deprecated"]  # shown, marked, never dropped
    result = cli.ok("conflicts")
    assert "1 conflict resting only on retracted or deprecated records not shown" in result.stdout + result.stderr
    everything = cli.json("conflicts", "--include-retracted")
    hidden = _find(everything, "stance", {ids[0]})
    assert hidden["rests_on_retracted"] and hidden["severity_label"] == "low"
    assert hidden["sides"][1][0]["status"] == "retracted"
    assert hidden["sides"][1][0]["status_reason"] == "logged against the wrong claim"


def test_reversal_and_order(database):
    from claimtrack.queries.conflicts import find_conflicts

    with database.write() as s:
        c = f.claim(s, "The plant will close")
        m = f.actor(s, "Minister")
        f.statement(s, c, m, stance="asserts", said="2020-03")
        f.statement(s, c, m, stance="retracts", said="2020-06-02")
        f.statement(s, c, f.actor(s, "Union"), stance="asserts")
        claim_id = c.id
    with database.read() as s:
        result = find_conflicts(s, kinds=["reversal"])
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.claim_ids == [claim_id]
    assert "Minister supported it (2020-03) and later opposed it (2020-06-02)" in conflict.summary
    assert [len(side) for side in conflict.sides] == [1, 1]


def test_suggested_relation_is_marked_and_low(database):
    from claimtrack.queries.conflicts import find_conflicts

    with database.write() as s:
        a, b = f.claim(s, "Turnout was high"), f.claim(s, "Turnout was record low")
        f.relation(s, a, b, "contradicts", status="suggested", score=0.8)
        f.relation(s, a, f.claim(s, "Turnout was 60%"), "supports")
        x, y = f.claim(s, "Rejected one"), f.claim(s, "Rejected two")
        f.relation(s, x, y, "contradicts", status="rejected")
    with database.read() as s:
        result = find_conflicts(s)
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.suggested and conflict.severity_label == "low"
    assert conflict.summary.startswith("Suggested (unconfirmed)")
    assert conflict.sides[0][0].type == "claim"  # no statements: the claim stands for its side


def test_quantity_incompatible_figures(database):
    from claimtrack.queries.conflicts import find_conflicts

    with database.write() as s:
        f.claim(s, "Twenty were injured", quantity=("people injured in the blast", 20, "exact"))
        f.claim(s, "Two hundred were injured", quantity=("People injured in the blast", 200, "exact"))
        f.claim(s, "Twenty were injured, said police", quantity=("people injured in the blast", 20, "exact"))
        f.claim(s, "Unrelated", quantity=("trees planted", 5, "exact"))
    with database.read() as s:
        result = find_conflicts(s)
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.severity_label == "high"
    assert "incompatible: 20 and 200 cannot both be true" in conflict.summary
    assert len(conflict.sides) == 3


@pytest.mark.parametrize("a,b,compatible", [
    ((3000, "more_than"), (3700, "more_than"), True),
    ((20, "exact"), (200, "exact"), False),
    ((20, "at_least"), (36, "about"), True),
    ((20, "at_most"), (36, "about"), False),
    ((20, "less_than"), (20, "exact"), False),
    ((20, "at_most"), (20, "at_least"), True),
    ((100, "about"), (120, "exact"), True),
    ((100, "more_than"), (90, "less_than"), False),
])
def test_figures_compatible(a, b, compatible):
    from claimtrack.queries.conflicts import figures_compatible

    assert figures_compatible(a, b) is compatible
    assert figures_compatible(b, a) is compatible


def test_verdict_conflicts(database):
    from claimtrack.queries.conflicts import find_conflicts

    with database.write() as s:
        pf, afp = f.actor(s, "PolitiFact", kind="organization"), f.actor(s, "AFP Fact Check", kind="organization")
        c1 = f.claim(s, "Taxes doubled")
        f.verdict(s, c1, "pants-fire", pf, reviewed="2019-01-02")
        f.verdict(s, c1, "True", afp, reviewed="2019-02")
        c2 = f.claim(s, "Crime fell")
        f.verdict(s, c2, "false", pf)
        f.verdict(s, c2, "Fake", afp)  # same place on the scale: agreement
        c3 = f.claim(s, "Wages rose")
        f.verdict(s, c3, "2 of 5", pf, rating_value=2, best=5, worst=1)
        f.verdict(s, c3, "half-true", afp)
        c4 = f.claim(s, "Jobs grew")
        f.verdict(s, c4, "false", pf)
        f.verdict(s, c4, "true", afp, status="retracted", status_reason="wrong claim")
        ids = c1.id, c3.id, c4.id
    with database.read() as s:
        result = find_conflicts(s, kinds=["verdict"])
        assert [c.claim_ids for c in result.conflicts] == [[ids[0]], [ids[1]]]
        assert result.hidden_retracted == 1
        top = result.conflicts[0]
        assert top.severity_label == "high"
        assert [[v.label for v in side] for side in top.sides] == [["pants-fire"], ["True"]]
        assert [[v.normalized for v in side] for side in top.sides] == [[0.0], [1.0]]
        assert top.sides[0][0].reviewer == "PolitiFact" and top.sides[0][0].date == "2019-01-02"
        assert result.conflicts[1].severity_label == "medium"  # 0.25 vs 0.6
        everything = find_conflicts(s, kinds=["verdict"], include_retracted=True)
        assert len(everything.conflicts) == 3 and everything.hidden_retracted == 0


@pytest.mark.parametrize("text", ["People detained, 23 Jan.", "  UPPER_case  words ", "personnes arrêtées", "Ａｌｅｘ ﬁle",
                                  "naïve—café", "", "a_b-c"])
def test_fast_fold_is_fold(text):
    from claimtrack.normalize import fold
    from claimtrack.queries.conflicts import fast_fold

    assert fast_fold(text) == fold(text)


def test_first_page_of_stance_conflicts_stops_early(cli, database):
    """More live stance conflicts than the page holds: the page is the first ones by claim id,
    and the listing says there are more without counting them."""
    from claimtrack.queries.conflicts import find_conflicts

    with database.write() as s:
        a, b = f.actor(s, "A"), f.actor(s, "B")
        claims = [f.claim(s, f"Claim number {i}") for i in range(4)]
        for c in claims:
            f.statement(s, c, a, stance="asserts")
            f.statement(s, c, b, stance="denies")
        ids = [c.id for c in claims]
    with database.read() as s:
        page = find_conflicts(s, limit=2)
        assert [c.claim_ids for c in page.conflicts] == [[ids[0]], [ids[1]]]
        assert page.total is None and page.hidden_retracted is None
        everything = find_conflicts(s, limit=10)
        assert everything.total == 4 and [c.claim_ids[0] for c in everything.conflicts] == ids
    result = cli.ok("conflicts", "--limit", "2")
    assert "Showing the 2 most severe conflicts; there are more" in result.stdout
    assert len(cli.json("conflicts", "--limit", "3")) == 3
