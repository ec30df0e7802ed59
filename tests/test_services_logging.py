"""The write use cases of issue 3, called directly (no CLI)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from claimtrack.dates import parse_date
from claimtrack.errors import AlreadyExists, Ambiguous, InvalidInput
from claimtrack.models import (
    Actor,
    ActorAlias,
    ClaimRelation,
    Document,
    Event,
    Hop,
    Statement,
    Verdict,
)
from claimtrack.services.actors import add_actor, add_external_id, affiliate, merge_actors
from claimtrack.services.claims import add_claim, link_claims
from claimtrack.services.documents import add_document
from claimtrack.services.hops import add_hop, set_via_hop
from claimtrack.services.statements import add_statement, log_statement, retract_statement
from claimtrack.services.verdicts import add_verdict

TNIE_URL = "https://www.newindianexpress.com/world/2021/jul/28/navalny-supporters-police-visits.html"
CLAIM = "Police visited Navalny supporters at home after a leak"


def _volkov(session, **kw):
    args = {"speaker": "Leonid Volkov", "claim": CLAIM, "stance": "asserts", "quote": "several dozen",
                "outlet": "The New Indian Express", "url": TNIE_URL, "published": "2021-07-28", "via": "AFP",
                "cue": "wrote on Telegram", "said": "2021-07-28", "create_missing": True}
    args.update(kw)
    return log_statement(session, **args)


def test_log_statement_creates_every_part(database):
    with database.write() as s:
        result = _volkov(s, channel="telegram")
    with database.read() as s:
        st = s.get(Statement, result.statement_id)
        assert st.speaker.name == "Leonid Volkov" and st.stance == "asserts" and st.quote_kind == "direct"
        assert str(st.said) == "2021-07-28" and st.cue == "wrote on Telegram" and st.channel == "telegram"
        hop = s.get(Hop, result.hop_id)
        assert hop.via_actor.name == "AFP" and hop.via_actor.kind == "agency"
        assert hop.document.outlet.name == "The New Indian Express" and hop.document.outlet.kind == "outlet"
        assert str(hop.document.published) == "2021-07-28"
        actions = [e.action for e in s.scalars(select(Event).order_by(Event.id))]
        assert actions.count("create") == 7  # 3 actors, claim, document, statement, hop
    assert result.claim_created and result.document_created


def test_log_statement_reuses_claim_document_and_actors(database):
    with database.write() as s:
        first = _volkov(s)
    with database.write() as s:
        second = log_statement(s, speaker="leonid volkov", claim=CLAIM.upper() + "!", stance="asserts",
                               url=TNIE_URL.replace("https://www.", "http://") + "/?utm_source=x", via="afp")
    assert second.claim_id == first.claim_id and not second.claim_created
    assert second.document_id == first.document_id and not second.document_created
    assert second.speaker_id == first.speaker_id and second.via_actor_id == first.via_actor_id
    assert second.statement_id != first.statement_id


def test_log_statement_in_a_loop_one_transaction_each(database):
    for i in range(5):
        with database.write() as s:
            log_statement(s, speaker="Ilya Azar", claim=f"Police visited home number {i}", stance="asserts",
                          quote=f"visit {i}", create_missing=True)
    with database.read() as s:
        assert s.scalar(select(func.count(Statement.id))) == 5
        assert s.scalar(select(func.count(Actor.id))) == 1


BAD_LOGS = [
    ({"stance": "deny"}, "unknown stance 'deny'; expected one of: asserts, confirms, denies"),
    ({"claim": "  ...  "}, "claim text is empty"),
    ({"speaker": None, "quote": "several dozen"}, "a quote needs --speaker or --anonymous"),
    ({"anonymous": "a former ally"}, "give either --speaker or --anonymous, not both"),
    ({"said": "Wednesday"}, "--said: 'Wednesday' is not a date; write YYYY-MM-DD"),
    ({"said": "2021-02-30"}, "--said: '2021-02-30' is not a real date"),
    ({"said": "2999-01-01"}, "--said: 2999-01-01 is in the future"),
    ({"published": "2021-07-01", "said": "2021-07-28"}, "--said 2021-07-28 is after --published 2021-07-01"),
    ({"url": None, "title": None}, "give --url, or --title"),
    ({"quote_kind": "verbatim"}, "unknown quote kind 'verbatim'"),
    ({"nested_in": "999"}, "statement '999' not found"),
]


def test_log_statement_bad_input_writes_nothing(database, snapshot):
    from claimtrack.errors import ClaimtrackError

    before = snapshot()
    for kwargs, message in BAD_LOGS:
        with pytest.raises(ClaimtrackError) as info, database.write() as s:
            _volkov(s, **kwargs)
        assert message in str(info.value), kwargs
    assert snapshot() == before


def test_log_statement_refuses_unknown_names_in_scripts(database, snapshot):
    with database.write() as s:
        _volkov(s)
    before = snapshot()
    with pytest.raises(Ambiguous, match="did you mean: 'Leonid Volkov'"), database.write() as s:
        _volkov(s, speaker="Leonid Volkow", create_missing=False)
    assert snapshot() == before


def test_log_statement_vague_intermediary_is_unspecified(database):
    with database.write() as s:
        result = log_statement(s, speaker=None, claim="Supporters' data appeared on Telegram", stance="reports",
                               outlet="The New Indian Express", url=TNIE_URL, via="local media", create_missing=True)
        assert s.get(Actor, result.via_actor_id).kind == "unspecified"


def test_documents_are_one_per_normalized_url(database):
    with database.write() as s:
        a = add_document(s, url=TNIE_URL, title="Navalny supporters accuse Russian police")
        b = add_document(s, url=TNIE_URL.replace("https://www.", "http://") + "/#top", language="en")
        assert b.document.id == a.document.id and not b.created
        assert b.document.language == "en"  # filled in, recorded as an update
        with pytest.raises(AlreadyExists):
            add_document(s, url=TNIE_URL, reuse=False)
        with pytest.raises(InvalidInput, match="needs a URL or a title"):
            add_document(s)


def test_identical_claim_reused_near_identical_suggested(database):
    with database.write() as s:
        first = add_claim(s, "Police visited Navalny supporters at home")
        again = add_claim(s, "police visited Navalny supporters, at home.")
        assert again.claim.id == first.claim.id and not again.created
        near = add_claim(s, "Police visited Navalny's supporters at home")
        assert near.created and len(near.suggestions) == 1
        suggestion = near.suggestions[0]
        assert suggestion.claim_id == first.claim.id and 0.9 <= suggestion.score < 1
        relation = s.get(ClaimRelation, suggestion.relation_id)
        assert relation.status == "suggested" and relation.type == "same_as"
        far = add_claim(s, "Russia protested to the U.S. Embassy")
        assert far.suggestions == []
        # confirming the suggestion, from either side
        confirmed = link_claims(s, first.claim, near.claim, "same-as")
        assert confirmed.id == relation.id and confirmed.status == "confirmed"
        with pytest.raises(AlreadyExists):
            link_claims(s, near.claim, first.claim, "same_as")
        with pytest.raises(InvalidInput, match="unknown relation type"):
            link_claims(s, near.claim, far.claim, "opposes")


def test_claim_quantity_filled_in_or_refused(database):
    with database.write() as s:
        plain = add_claim(s, "More than 3,000 people were arrested").claim
        figure = {"quantity_subject": "people arrested on 23 January 2021", "quantity_value": 3000,
                  "quantity_bound": "more than"}
        again = add_claim(s, "More than 3,000 people were arrested", **figure)
        assert again.claim.id == plain.id and (plain.quantity_value, plain.quantity_bound) == (3000, "more_than")
        assert add_claim(s, "More than 3,000 people were arrested", **figure).claim.id == plain.id
        with pytest.raises(InvalidInput, match="a different figure is a different claim"):
            add_claim(s, "More than 3,000 people were arrested", **{**figure, "quantity_value": 3700})
        with pytest.raises(InvalidInput, match="needs both --quantity-subject"):
            add_claim(s, "Another claim", quantity_value=5)


def test_statement_rules(database):
    with database.write() as s:
        claim = add_claim(s, "The leak came from a former ally").claim
        zhdanov = add_actor(s, "Ivan Zhdanov")
        st = add_statement(s, claim=claim, stance="asserts", speaker=zhdanov, said=parse_date("2021-05"))
        ally = add_statement(s, claim=claim, stance="denies", descriptor="a former ally", quote="I deny it")
        assert ally.speaker_id is None and ally.quote_kind == "direct"
        with pytest.raises(InvalidInput, match="not both"):
            add_statement(s, claim=claim, stance="asserts", speaker=zhdanov, descriptor="x")
        with pytest.raises(InvalidInput, match="needs --reason"):
            retract_statement(s, st, " ")
        retract_statement(s, st, "wrong speaker")
        assert st.status == "retracted" and st.status_reason == "wrong speaker"
        with pytest.raises(InvalidInput, match="already retracted"):
            retract_statement(s, st, "again")
        event = s.scalars(select(Event).where(Event.action == "retract")).one()
        assert json.loads(event.before)["status"] == "normal"


def test_hop_cycles_are_refused(database):
    with database.write() as s:
        claim = add_claim(s, "Volkov: police visited several dozen people").claim
        volkov = add_actor(s, "Leonid Volkov")
        st = add_statement(s, claim=claim, stance="asserts", speaker=volkov)
        telegram = add_document(s, url="https://t.me/leonid_volkov/1", kind="post").document
        afp = add_document(s, url="https://afp.com/dispatch/1", kind="dispatch").document
        tnie = add_document(s, url=TNIE_URL).document
        h1 = add_hop(s, document=telegram, statement=st, is_primary=True)
        h2 = add_hop(s, document=afp, statement=st, via_hop=h1)
        h3 = add_hop(s, document=tnie, statement=st, via_hop=h2)
        with pytest.raises(InvalidInput, match="would make a cycle"):
            set_via_hop(s, h2, h3)
        with pytest.raises(InvalidInput, match="cannot rely on itself"):
            set_via_hop(s, h2, h2)
        with pytest.raises(AlreadyExists):
            add_hop(s, document=tnie, statement=st)
        with pytest.raises(InvalidInput, match="primary"):
            add_hop(s, document=tnie, statement=st, via_hop=h1, is_primary=True)
        other = add_statement(s, claim=claim, stance="asserts", speaker=volkov)
        with pytest.raises(InvalidInput, match="same statement"):
            add_hop(s, document=tnie, statement=other, via_hop=h1)
        # a document relying (through the chain) on a report in itself: circular citation
        later = add_statement(s, claim=claim, stance="reports")
        l1 = add_hop(s, document=tnie, statement=later)
        l2 = add_hop(s, document=afp, statement=later, via_hop=l1)
        with pytest.raises(InvalidInput, match=rf"would make a cycle \(hop {l1.id} → hop {l2.id} → hop {l1.id}\)"):
            set_via_hop(s, l1, l2)


def test_verdicts(database):
    with database.write() as s:
        claim = add_claim(s, "More than 3,700 demonstrators were detained").claim
        politifact = add_actor(s, "PolitiFact", kind="organization")
        v = add_verdict(s, claim=claim, label="half-true", value=3, best=5, worst=0, reviewer=politifact,
                        reviewed=parse_date("2021-02"), evidence_urls=["https://ovd.info/x"])
        assert v.evidence_urls == ["https://ovd.info/x"] and str(v.reviewed) == "2021-02"
        with pytest.raises(InvalidInput, match="outside the scale"):
            add_verdict(s, claim=claim, label="x", value=7, best=5, worst=0)
        with pytest.raises(InvalidInput, match="label is empty"):
            add_verdict(s, claim=claim, label=" ")
        add_verdict(s, claim=claim, label="false")  # a disagreeing verdict is kept
        assert s.scalar(select(func.count(Verdict.id))) == 2


def test_merge_moves_every_reference_in_one_event(database):
    with database.write() as s:
        keep = add_actor(s, "Alexei Navalny", aliases=("Alexey Navalny",))
        dup = add_actor(s, "Navalny A.", allow_similar=True, aliases=("A. Navalny",))
        fbk = add_actor(s, "Anti-Corruption Foundation", kind="organization")
        claim = add_claim(s, "The poisoning was ordered by the Kremlin").claim
        st = add_statement(s, claim=claim, stance="asserts", speaker=dup, on_behalf_of=dup)
        doc = add_document(s, url="https://navalny.com/p/1", outlet=dup).document
        hop = add_hop(s, document=doc, statement=st, via_actor=dup)
        verdict = add_verdict(s, claim=claim, label="unproven", reviewer=dup)
        aff = affiliate(s, dup, fbk, "founder", start=parse_date("2011"))
        ext = add_external_id(s, dup, "wikidata", "Q4725")
        ids = {o: o.id for o in (keep, dup, st, doc, hop, verdict, aff, ext)}
        merge_actors(s, keep, dup)
    keep, dup, st, doc, hop, verdict, aff, ext = (type("Ref", (), {"id": i}) for i in ids.values())
    with database.read() as s:
        assert s.get(Statement, st.id).speaker_id == keep.id and s.get(Statement, st.id).on_behalf_of_id == keep.id
        assert s.get(Document, doc.id).outlet_id == keep.id
        assert s.get(Hop, hop.id).via_actor_id == keep.id
        assert s.get(Verdict, verdict.id).reviewer_id == keep.id
        assert s.get(Actor, dup.id).merged_into_id == keep.id  # kept, not deleted
        aliases = set(s.scalars(select(ActorAlias.alias).where(ActorAlias.actor_id == keep.id)))
        assert {"Alexei Navalny", "Alexey Navalny", "Navalny A.", "A. Navalny"} <= aliases
        from claimtrack.models import Affiliation, ExternalId
        assert s.get(Affiliation, aff.id).actor_id == keep.id and s.get(ExternalId, ext.id).actor_id == keep.id
        merges = list(s.scalars(select(Event).where(Event.action == "merge")))
        assert len(merges) == 1
        after = json.loads(merges[0].after)
        assert after["merged_id"] == dup.id and after["moved"]["statements.speaker_id"] == [st.id]
        assert json.loads(merges[0].before)["merged"]["merged_into_id"] is None
    with database.write() as s, pytest.raises(InvalidInput, match="already merged"):
        merge_actors(s, s.get(Actor, keep.id), s.get(Actor, dup.id))


def test_future_date_is_relative_to_today(database):
    with database.write() as s:
        result = log_statement(s, speaker=None, claim="Tens of thousands rallied", stance="reports",
                               said="2021-01-23", today=date(2021, 1, 23))
        assert result.statement_id
    with pytest.raises(InvalidInput, match="in the future"), database.write() as s:
        log_statement(s, speaker=None, claim="Tens of thousands rallied", stance="reports",
                      said="2021-01-24", today=date(2021, 1, 23))
