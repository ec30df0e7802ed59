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
    names = dict(
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
