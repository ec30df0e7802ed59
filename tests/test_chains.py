"""Attribution chains: the seed example traced back and forward, cycles, deep chains."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tests import factories as f


@dataclass
class Seed:
    """The seed reports, as far as the chain and audit tests need them (ids after commit)."""

    ids: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.ids[name]


def build_seed(session: Session) -> Seed:
    """The three seed reports' attributions, hand-built: the worked example of docs/domain.md."""
    navalny_team = f.actor(session, "Leonid Volkov", aliases=("Leonid Volkov",), key="leonid-volkov")
    ovd = f.actor(session, "OVD-Info", kind="organization", aliases=("OVD Info",), key="ovd-info")
    afp = f.actor(session, "AFP", kind="agency", aliases=("Agence France-Presse",), key="afp")
    tnie_outlet = f.actor(session, "The New Indian Express", kind="outlet", key="the-new-indian-express")
    mt = f.actor(session, "The Moscow Times", kind="outlet", key="moscow-times")
    local = f.actor(session, "local media", kind="unspecified", key="local-media")
    state = f.actor(session, "state-run media", kind="unspecified", key="state-run-media")
    zhdanov = f.actor(session, "Ivan Zhdanov", key="ivan-zhdanov")
    zakharova = f.actor(session, "Maria Zakharova", key="maria-zakharova")
    ryabkov = f.actor(session, "Sergei Ryabkov", key="sergei-ryabkov")

    visits = f.claim(session, "Police visited Navalny supporters at home overnight",
                     quantity=("supporters visited by police overnight", 20, "at_least"), key="police-visits")
    data_out = f.claim(session, "Supporters' personal data appeared on Telegram and the darknet", key="data-appeared")
    arrested = f.claim(session, "Security forces detained more than 3,000 protesters on 23 January 2021",
                       quantity=("people detained on 23 January 2021", 3000, "more_than"), key="arrested-3000")
    blame = f.claim(session, "A former ally leaked the supporters database", key="ally-leaked")
    protest = f.claim(session, "Russia protested to the US ambassador", key="strong-protest")

    post = f.document(session, None, url="https://t.me/leonid_volkov/1234", title="Leonid Volkov on Telegram",
                      published="2021-07-28", kind="post", key="volkov-post")
    dispatch = f.document(session, afp, url="https://www.afp.com/en/news/visits", title="Navalny supporters accuse police",
                          published="2021-07-28", kind="dispatch", key="afp-2021-07-28")
    tnie = f.document(session, tnie_outlet, url="https://www.newindianexpress.com/world/2021/jul/28/navalny",
                      title="Navalny supporters accuse Russian police of visits after leak",
                      published="2021-07-28", key="tnie-2021-07-28")
    mt_doc = f.document(session, mt, url="https://www.themoscowtimes.com/2021/01/24/protests",
                        title="Russia detains more than 3,000 at Navalny protests", published="2021-01-24",
                        key="mt-2021-01-24")

    volkov = f.statement(session, visits, navalny_team, quote="several dozen", said="2021-07-28",
                         channel="telegram", cue="wrote on Telegram", key="volkov-several-dozen")
    ovd_st = f.statement(session, visits, ovd, quote="at least 20", said="2021-07-28", cue="reported",
                         key="ovd-at-least-20")
    local_st = f.statement(session, data_out, local, stance="reports", said="2021-07-27", key="local-media-data")
    arrested_st = f.statement(session, arrested, None, said="2021-01-23", key="reporter-3000")
    zhdanov_st = f.statement(session, blame, zhdanov, said="2021-05", key="zhdanov-blames-ally")
    ally_st = f.statement(session, blame, None, stance="denies", speaker_descriptor="a former ally",
                          key="ally-denies")
    zakharova_st = f.statement(session, protest, zakharova, stance="reports", quote="strong protest",
                               quote_kind="mixed", cue="told state-run media", said="2021-01-24", key="zakharova")
    ryabkov_st = f.statement(session, protest, ryabkov, quote="strong protest", said="2021-01-24",
                             parent=zakharova_st, key="ryabkov-protest")

    post_hop = f.hop(session, post, volkov, cue="wrote on Telegram", quote="several dozen", is_primary=True, key="post-volkov")
    afp_hop = f.hop(session, dispatch, volkov, via_hop=post_hop, cue="wrote on Telegram", quote="several dozen",
                    key="afp-volkov")
    tnie_hop = f.hop(session, tnie, volkov, via_hop=afp_hop, via_actor=afp, cue="wrote on Telegram",
                     quote="several dozen", key="tnie-volkov")
    tnie_ovd = f.hop(session, tnie, ovd_st, via_actor=afp, cue="reported", quote="at least 20", key="tnie-ovd")
    tnie_local = f.hop(session, tnie, local_st, cue="with local media reporting", key="tnie-local")
    tnie_zhdanov = f.hop(session, tnie, zhdanov_st, via_actor=afp, cue="blamed", key="tnie-zhdanov")
    tnie_ally = f.hop(session, tnie, ally_st, via_actor=afp, cue="denied", key="tnie-ally")
    mt_arrested = f.hop(session, mt_doc, arrested_st, key="mt-arrested")
    mt_zakharova = f.hop(session, mt_doc, zakharova_st, via_actor=state, cue="told state-run media",
                         quote="strong protest", key="mt-zakharova")
    names = dict(  # noqa: C408 - keyword form reads like the seed
        volkov_actor=navalny_team, ovd_actor=ovd, afp=afp, local=local, state=state, visits=visits, data_out=data_out,
        arrested=arrested, blame=blame, protest=protest, post=post, dispatch=dispatch, tnie=tnie, mt=mt_doc,
        volkov=volkov, ovd=ovd_st, local_st=local_st, arrested_st=arrested_st, zhdanov=zhdanov_st, ally=ally_st,
        zakharova=zakharova_st, ryabkov=ryabkov_st, post_hop=post_hop, afp_hop=afp_hop, tnie_hop=tnie_hop,
        tnie_ovd=tnie_ovd, tnie_local=tnie_local, tnie_zhdanov=tnie_zhdanov, tnie_ally=tnie_ally,
        mt_arrested=mt_arrested, mt_zakharova=mt_zakharova,
    )
    return Seed({name: obj.id for name, obj in names.items()})


def seeded(database: Any) -> Seed:
    with database.write() as session:
        return build_seed(session)


# ----------------------------------------------------------------------------- summaries


def test_chain_summary_of_the_seed(database: Any) -> None:
    from claimtrack.queries.chains import chain_summary

    seed = seeded(database)
    with database.read() as session:
        summary = chain_summary(session, [seed["tnie_hop"], seed["tnie_ovd"], seed["tnie_local"],
                                          seed["mt_arrested"], seed["post_hop"], seed["afp_hop"],
                                          seed["mt_zakharova"], 999999])
    assert summary[seed["tnie_hop"]] == "via AFP · primary: Telegram"
    assert summary[seed["afp_hop"]] == "primary: Telegram"  # AFP itself read the post
    assert summary[seed["post_hop"]] == "primary: Telegram"
    assert summary[seed["tnie_ovd"]] == "via AFP · no primary source"
    assert summary[seed["mt_zakharova"]] == "via state-run media · no primary source"
    assert summary[seed["tnie_local"]] == "direct"
    assert summary[seed["mt_arrested"]] == "unattributed (reporter's own voice)"
    assert 999999 not in summary


# ----------------------------------------------------------------------------- document and statement chains


def test_document_chain_runs_back_to_the_telegram_post(database: Any) -> None:
    from claimtrack.queries.chains import document_chain

    seed = seeded(database)
    with database.read() as session:
        chain = document_chain(session, seed["tnie"])
    branches = {b.statement.id: b for b in chain.statements}
    volkov = branches[seed["volkov"]]
    path = list(volkov.hop.path())
    assert [n.hop_id for n in path] == [seed["tnie_hop"], seed["afp_hop"], seed["post_hop"]]
    assert [n.document.id for n in path] == [seed["tnie"], seed["dispatch"], seed["post"]]
    assert path[0].via_actor.name == "AFP"
    assert path[-1].is_primary and path[-1].end == "primary"
    assert path[-1].document.published == "2021-07-28"
    assert [n.quote for n in path] == ["several dozen"] * 3
    assert volkov.summary == "via AFP · primary: Telegram"
    ovd = branches[seed["ovd"]]
    assert ovd.hop.via is None and ovd.hop.end == "intermediary"
    assert chain.cycles == []


def test_nested_attribution_hangs_under_its_parent(database: Any) -> None:
    from claimtrack.queries.chains import document_chain

    seed = seeded(database)
    with database.read() as session:
        chain = document_chain(session, seed["mt"])
    top = {b.statement.id for b in chain.statements}
    assert top == {seed["arrested_st"], seed["zakharova"]}
    zakharova = next(b for b in chain.statements if b.statement.id == seed["zakharova"])
    assert [n.statement.id for n in zakharova.nested] == [seed["ryabkov"]]
    assert zakharova.nested[0].hop is None
    assert zakharova.nested[0].statement.speaker.name == "Sergei Ryabkov"


def test_statement_chain_runs_forward_to_every_carrier(database: Any) -> None:
    from claimtrack.queries.chains import statement_chain

    seed = seeded(database)
    with database.read() as session:
        chain = statement_chain(session, seed["volkov"])
    assert chain.documents == 3
    [root] = chain.carriers
    assert root.hop_id == seed["post_hop"] and root.is_primary
    [afp] = root.carriers
    assert afp.document.id == seed["dispatch"]
    [tnie] = afp.carriers
    assert tnie.document.id == seed["tnie"] and tnie.via_actor.name == "AFP"
    with database.read() as session:
        zakharova = statement_chain(session, seed["zakharova"])
    assert [n.id for n in zakharova.nested] == [seed["ryabkov"]]


# ----------------------------------------------------------------------------- cycles and depth


def build_cycle(database: Any) -> dict[str, int]:
    """Three outlets citing each other in a circle: A relies on B, B on C, C on A."""
    with database.write() as session:
        c = f.claim(session, "The minister resigned")
        st = f.statement(session, c, f.actor(session, "A Minister"), quote="I resign")
        docs = [f.document(session, f.actor(session, f"Outlet {n}", kind="outlet"), title=f"Story {n}",
                           published="2021-03-01") for n in "ABC"]
        a = f.hop(session, docs[0], st, quote="I resign")
        b = f.hop(session, docs[1], st, via_hop=a, quote="I resign")
        c_hop = f.hop(session, docs[2], st, via_hop=b, quote="I resign")
        a.via_hop = c_hop  # closing the circle afterwards, as a careless edit would
        session.flush()
        return {"a": a.id, "b": b.id, "c": c_hop.id, "doc_a": docs[0].id, "statement": st.id}


def test_a_circular_citation_terminates_and_is_reported(database: Any, cli: Any) -> None:
    from claimtrack.queries.chains import chain_summary, document_chain, statement_chain

    ids = build_cycle(database)
    with database.read() as session:
        chain = document_chain(session, ids["doc_a"])
        summary = chain_summary(session, [ids["a"], ids["b"]])
        forward = statement_chain(session, ids["statement"])
    path = list(chain.statements[0].hop.path())
    assert [n.hop_id for n in path] == [ids["a"], ids["c"], ids["b"]]
    assert path[-1].end == "cycle" and path[-1].cycle_to == ids["a"]
    assert chain.cycles == [[ids["a"], ids["c"], ids["b"]]]  # written from its smallest hop id
    assert summary[ids["a"]].endswith("circular citation")
    assert forward.documents == 3 and forward.cycles == chain.cycles
    text = cli.ok("chain", f"document:{ids['doc_a']}").stdout
    assert "circular citation" in text and "relies on hop" in text
    assert cli.json("chain", f"document:{ids['doc_a']}")["cycles"] == chain.cycles


def build_deep_chain(database: Any, depth: int) -> dict[str, int]:
    """A primary post, then `depth` documents each relying on the one before."""
    with database.write() as session:
        speaker = f.actor(session, "A Speaker")
        st = f.statement(session, f.claim(session, f"Depth {depth} claim"), speaker, quote="words", channel="telegram")
        post = f.document(session, None, title="the post", published="2021-01-01", kind="post")
        hop = f.hop(session, post, st, quote="words", is_primary=True)
        first = hop.id
        for level in range(depth):
            outlet = f.actor(session, f"Outlet {depth}-{level}", kind="outlet")
            doc = f.document(session, outlet, title=f"level {level}", published="2021-01-02")
            hop = f.hop(session, doc, st, via_hop=hop, quote="words")
        return {"primary": first, "last": hop.id, "last_doc": hop.document_id}


def _count_queries(database: Any, action: Any) -> int:
    from sqlalchemy import event

    engine = database.engine(readonly=True)
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_depth_10_chain_is_traced_with_a_constant_number_of_queries(database: Any) -> None:
    from claimtrack.queries.chains import chain_summary, document_chain

    shallow = build_deep_chain(database, 2)
    deep = build_deep_chain(database, 10)

    def trace(ids: dict[str, int]) -> Any:
        with database.read() as session:
            return document_chain(session, ids["last_doc"]), chain_summary(session, [ids["last"]])

    chain, summary = trace(deep)
    path = list(chain.statements[0].hop.path())
    assert len(path) == 11 and path[-1].hop_id == deep["primary"] and path[-1].end == "primary"
    assert summary[deep["last"]].endswith("primary: Telegram")
    assert summary[deep["last"]].count("→") == 8  # nine outlets between the last document and the post
    # the cost does not grow with depth: one recursive query, not one query per hop
    assert _count_queries(database, lambda: trace(deep)) == _count_queries(database, lambda: trace(shallow))


# ----------------------------------------------------------------------------- the command


def test_chain_command_json_for_document_statement_url_and_hop(cli: Any, database: Any) -> None:
    seed = seeded(database)
    data = cli.json("chain", "document:tnie-2021-07-28")
    assert data["kind"] == "document"
    assert data["document"]["id"] == seed["tnie"]
    volkov = next(s for s in data["statements"] if s["statement"]["id"] == seed["volkov"])
    assert volkov["summary"] == "via AFP · primary: Telegram"
    assert volkov["hop"]["via"]["via"]["is_primary"] is True
    assert volkov["hop"]["via"]["via"]["end"] == "primary"
    assert volkov["hop"]["via_actor"]["name"] == "AFP"
    assert set(volkov["hop"]) >= {"hop_id", "key", "document", "statement", "cue", "quote", "is_primary",
                                  "via_actor", "via", "end", "cycle_to"}
    assert cli.json("chain", str(seed["tnie"]))["document"]["id"] == seed["tnie"]
    assert cli.json("chain", "https://newindianexpress.com/world/2021/jul/28/navalny/")["document"]["id"] == seed["tnie"]
    assert cli.json("chain", f"hop:{seed['afp_hop']}")["document"]["id"] == seed["dispatch"]
    forward = cli.json("chain", "statement:volkov-several-dozen")
    assert forward["kind"] == "statement" and forward["documents"] == 3
    assert forward["carriers"][0]["carriers"][0]["carriers"][0]["document"]["id"] == seed["tnie"]
    text = cli.ok("chain", "tnie-2021-07-28").stdout
    assert "PRIMARY" in text and "Leonid Volkov on Telegram" in text and "no primary source" in text
    text = cli.ok("chain", "document:mt-2021-01-24").stdout
    assert "nested attribution" in text and "Sergei Ryabkov" in text and "unattributed" in text


def test_chain_command_names_what_it_could_not_find(cli: Any, database: Any, snapshot: Any) -> None:
    seeded(database)
    before = snapshot()
    for args, message in [
        (("chain", "document:nope"), "document 'nope' not found"),
        (("chain", "statement:999"), "statement '999' not found"),
        (("chain", "https://example.org/nothing"), "no document has the URL"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1
        assert message in result.stderr
    assert snapshot() == before
