"""`search`: ranked full text over claims, quotes and names, with filters; user text is never SQL."""

from __future__ import annotations

import pytest

from claimtrack.dates import parse_date
from claimtrack.queries.search import SearchFilters, search
from tests import factories as f


@pytest.fixture
def seeded(database):
    with database.write() as s:
        peskov = f.actor(s, "Dmitry Peskov")
        spokes = f.actor(s, "O'Brien-Smith")  # an apostrophe and a hyphen in a name
        navalny = f.actor(s, "Alexei Navalny", aliases=("Alexeï Navalny",))
        cbs = f.actor(s, "CBS News", kind="outlet")
        tnie = f.actor(s, "The New Indian Express", kind="outlet")
        interference = f.claim(s, "The U.S. Embassy interfered in Russia's internal affairs")
        routine = f.claim(s, 'Issuing safety messages is "routine practice" for U.S. embassies')
        fifty = f.claim(s, "Turnout rose by 50% in Moscow_region")
        poison = f.claim(s, "The poisoning was ordered by the Kremlin")
        f.claim(s, "A claim nobody has made a statement about yet")
        st1 = f.statement(s, interference, peskov, stance="asserts", quote="interference in our affairs",
                          said="2021-01-25")
        st2 = f.statement(s, routine, spokes, stance="disputes", quote="routine practice", said="2021-01-25")
        st3 = f.statement(s, fifty, None, stance="reports", said="2020-09")
        st4 = f.statement(s, poison, navalny, stance="asserts", said="2020-12")
        d1 = f.document(s, cbs, url="https://cbsnews.com/a", published="2021-01-25")
        d2 = f.document(s, tnie, url="https://newindianexpress.com/b", published="2021-01-26")
        f.hop(s, d1, st1)
        f.hop(s, d2, st2)
        f.hop(s, d1, st4)
        f.verdict(s, interference, "false")
        ids = {"peskov": peskov.id, "st1": st1.id, "st2": st2.id, "st3": st3.id, "st4": st4.id,
               "interference": interference.id, "navalny": navalny.id, "cbs": cbs.id}
    return ids


def _find(database, text, **filters):
    with database.read() as s:
        return search(s, text, SearchFilters(**filters))


def _finds_claims_quotes_and_names(database, seeded):
    hits = _find(database, "interference")
    assert hits[0].kind == "statement" and hits[0].statement_id == seeded["st1"]
    # words may come from different parts: the speaker's name and the quote
    hits = _find(database, "Peskov affairs")
    assert [h.statement_id for h in hits if h.kind == "statement"] == [seeded["st1"]]
    assert set(hits[0].matched) >= {"speaker", "quote"}
    # claims nobody spoke about are hits of their own
    assert [h.kind for h in _find(database, "nobody statement")] == ["claim"]


def _accents_are_folded(database, seeded):
    for spelling in ("Alexei", "Alexeï", "alexei navalny"):
        hits = _find(database, spelling)
        assert any(h.kind == "actor" and h.actor_id == seeded["navalny"] for h in hits), spelling
        assert any(h.statement_id == seeded["st4"] for h in hits), spelling


def _ranking_prefers_more_matching_parts(database, seeded):
    hits = [h for h in _find(database, "routine practice") if h.kind == "statement"]
    assert hits[0].statement_id == seeded["st2"] and set(hits[0].matched) == {"claim", "quote"}


def test_finds_ranks_and_folds(database, seeded):
    """Read-only checks sharing one seeded database, to keep the suite fast."""
    for check in (_finds_claims_quotes_and_names, _accents_are_folded, _ranking_prefers_more_matching_parts):
        check(database, seeded)


def test_filters(database, seeded):
    with database.read() as s:
        from claimtrack.models import Actor

        peskov = s.get(Actor, seeded["peskov"])
        cbs = s.get(Actor, seeded["cbs"])
        assert [h.statement_id for h in search(s, "embassy", SearchFilters(speaker=peskov))] == [seeded["st1"]]
        assert [h.statement_id for h in search(s, "embassy", SearchFilters(outlet=cbs))] == [seeded["st1"]]
        assert [h.statement_id for h in search(s, "safety", SearchFilters(stance="disputes"))] == [seeded["st2"]]
        assert search(s, "safety", SearchFilters(stance="asserts")) == []
        in_2020 = search(s, "the Moscow poisoning turnout", SearchFilters(until=parse_date("2020")))
        assert all(h.kind == "statement" for h in in_2020)
        sept = search(s, "turnout", SearchFilters(since=parse_date("2020-09"), until=parse_date("2020-09")))
        assert [h.statement_id for h in sept] == [seeded["st3"]]
        assert search(s, "turnout", SearchFilters(since=parse_date("2020-10"))) == []
        assert [h.claim_id for h in search(s, "embassy", SearchFilters(verdict="FALSE"))] == [seeded["interference"]]


VERBATIM = [
    ('"routine practice"', "st2"),
    ("'routine practice'", "st2"),
    ("50%", "st3"),
    ("50% Moscow_region", "st3"),
    ("O'Brien", "st2"),
    ("-interference", "st1"),
    ("interfer*", None),
    ("embassy OR NOT AND", None),
    ("NEAR(embassy", None),
    ("'; DROP TABLE claims; --", None),
    ("%", None),
    ("_", None),
    ("\\", None),
    ("embassy:*", "st1"),
    ("embassy & !russia | (", "st1"),
]


def test_metacharacters_are_searched_verbatim(database, seeded):
    for text, expected in VERBATIM:
        hits = _find(database, text)  # never a syntax error
        statements = [h.statement_id for h in hits if h.kind == "statement"]
        if expected is None:
            assert seeded["st1"] not in statements, text
        else:
            assert seeded[expected] in statements, text


def test_cli_search_json(cli, seeded, snapshot):
    hits = cli.json("search", "Peskov interference", "--stance", "asserts")
    assert hits[0]["statement_id"] == seeded["st1"]
    assert set(hits[0]) == {"kind", "score", "matched", "claim_id", "claim", "statement_id", "speaker_id", "speaker",
                            "stance", "quote", "said", "status", "outlets", "document_ids", "actor_id", "name",
                            "said_precision", "said_approximate"}
    assert hits[0]["outlets"] == ["CBS News"] and hits[0]["said"] == "2021-01-25"
    assert cli.json("search", "embassy", "--speaker", "dmitry peskov", "--outlet", "CBS News", "--since", "2021-01",
                    "--until", "2021-01-31", "--verdict", "false", "--limit", "5")[0]["statement_id"] == seeded["st1"]
    cli.ok("search", "embassy")  # the Rich table
    before = snapshot()
    bad = cli("search", "embassy", "--stance", "deny")
    assert bad.exit_code == 2 and "unknown stance 'deny'; expected one of" in bad.stderr
    bad = cli("search", "embassy", "--since", "Wednesday")
    assert bad.exit_code == 2 and "--since: 'Wednesday' is not a date" in bad.stderr
    bad = cli("search", "embassy", "--speaker", "Dmitri Peskow")
    assert bad.exit_code == 1 and "did you mean: 'Dmitry Peskov'" in bad.stderr
    assert snapshot() == before


def test_unranked_candidates_are_the_lowest_ids_whatever_the_table_order(database):
    """any_ids keeps "the first found" stable: the lowest ids, on both backends.

    For common words PostgreSQL reads the statements sequentially, in heap order, which updates
    change (a new row version goes to the end) and which, on a large table, starts where the last
    sequential scan stopped (synchronize_seqscans): at 1M, common-word search results differed
    from one run to the next."""
    from sqlalchemy import text

    from claimtrack.queries.fulltext import any_ids

    with database.write() as s:
        claim = f.claim(s, "A claim about the harbour")
        speaker = f.actor(s, "Someone")
        statements = [f.statement(s, claim, speaker, quote=f"harbour words {i}") for i in range(8)]
        for st in statements[:3]:  # the lowest ids move to the end of the heap
            st.cue = "said"
        s.flush()
        if s.get_bind().dialect.name == "postgresql":  # the plan of a common word at 1M
            s.execute(text("SET LOCAL enable_bitmapscan = off"))
            s.execute(text("SET LOCAL enable_indexscan = off"))
        assert any_ids(s, "statements", ["harbour"], limit=4) == sorted(st.id for st in statements)[:4]
