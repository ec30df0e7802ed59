def test_stats_on_fresh_database(cli):
    assert cli.json("stats") == {
        "actors": 0, "documents": 0, "claims": 0, "statements": 0,
        "hops": 0, "relations": 0, "verdicts": 0, "events": 0,
    }
