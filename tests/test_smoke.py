def test_stats_on_fresh_database(cli):
    assert cli.json("stats") == {
        "actors": 0, "documents": 0, "claims": 0, "statements": 0,
        "hops": 0, "relations": 0, "verdicts": 0, "events": 0,
        "retired": {"actors": 0, "documents": 0, "claims": 0, "statements": 0, "hops": 0, "relations": 0,
                    "verdicts": 0, "affiliations": 0},
    }


def test_factories_build_a_chain(database):
    from tests import factories as f

    with database.write() as s:
        volkov = f.actor(s, "Leonid Volkov")
        afp = f.actor(s, "AFP", kind="agency")
        tnie = f.actor(s, "The New Indian Express", kind="outlet")
        c = f.claim(s, "Police visited Navalny supporters at home", quantity=("supporters visited", 24, "at_least"))
        st = f.statement(s, c, volkov, quote="several dozen", said="2021-07-28", channel="telegram")
        d = f.document(s, tnie, url="https://www.newindianexpress.com/x", published="2021-07-28")
        f.hop(s, d, st, via_actor=afp, cue="wrote on Telegram")
    from claimtrack.queries.stats import count_objects

    with database.read() as s:
        assert count_objects(s)["hops"] == 1
