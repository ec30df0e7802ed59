"""Echo counting: hops linked by name only, documents that quote their own primary source or
translate their original (not echoes), and real echoes that still count — whole and scoped."""

from __future__ import annotations

from typing import Any

from tests import factories as f
from tests.test_audit import audit


def _echo_rules(database: Any, **scope: Any) -> dict[str, Any]:
    return {p.key: p for p in audit(database, rules=["echo", "linked-by-name-only"], **scope)}


def _same_scoped(database: Any, claim_id: int) -> dict[str, Any]:
    """The findings of the whole audit equal the audit narrowed to the claim (both walks agree)."""
    whole = _echo_rules(database)
    for scope in ({"claim_id": claim_id}, {"claim_ids": frozenset({claim_id})}):
        narrowed = _echo_rules(database, **scope)
        assert {k: p.as_dict() for k, p in narrowed.items()} == {k: p.as_dict() for k, p in whole.items()}
    return whole


def _agency_case(database: Any, *, linked: bool) -> dict[str, int]:
    """AFP's own dispatch (first-hand) is logged; Reuters relies on it; TNIE names AFP, and links
    the dispatch's hop only when `linked`."""
    with database.write() as session:
        afp = f.actor(session, "AFP", kind="agency")
        claim = f.claim(session, "Police visited supporters overnight")
        st = f.statement(session, claim, f.actor(session, "OVD-Info", kind="organization"))
        dispatch = f.document(session, afp, title="AFP dispatch", kind="dispatch")
        item = f.hop(session, dispatch, st)
        reuters = f.document(session, f.actor(session, "Reuters", kind="outlet"), title="Reuters story")
        f.hop(session, reuters, st, via_hop=item)
        tnie = f.document(session, f.actor(session, "The New Indian Express", kind="outlet"), title="TNIE article")
        hop = f.hop(session, tnie, st, via_actor=afp, via_hop=item if linked else None)
        return {"claim": claim.id, "statement": st.id, "hop": hop.id, "item": item.id, "dispatch": dispatch.id,
                "tnie": tnie.id, "afp": afp.id}


def test_a_hop_naming_the_agency_whose_report_is_logged_is_linked_by_name_only(database: Any) -> None:
    ids = _agency_case(database, linked=False)
    found = _same_scoped(database, ids["claim"])
    named = found[f"linked-by-name-only:hop:{ids['hop']}"]
    assert named.severity == "warning"
    assert named.message == (
        f"The New Indian Express (document {ids['tnie']}) names AFP as its source for statement {ids['statement']} "
        '(OVD-Info: "Police visited supporters overnight") but does not link AFP\'s own report of it, which is '
        f"logged: AFP (document {ids['dispatch']}), hop {ids['item']}. Link it (`claimtrack hop set-via "
        f"{ids['hop']} {ids['item']}`) so the chain runs through it; until then the echo count treats this hop as "
        "relying on that report, not as an independent origin."
    )
    assert named.details == {"intermediary": {"id": ids["afp"], "name": "AFP"}, "report_hop": ids["item"],
                             "primary_hop": None}
    assert ("hop", ids["item"]) in {(o.type, o.id) for o in named.objects}
    # not a second origin: AFP's dispatch is the one origin of all three documents
    echo = found[f"echo:claim:{ids['claim']}"]
    assert echo.severity == "warning"
    assert echo.details == {"documents": 3, "independent_origins": 1, "echoes": 2, "relaying_documents": 2,
                            "origin": {"type": "document", "id": ids["dispatch"],
                                       "label": f'AFP, "AFP dispatch" (document {ids["dispatch"]})'}}
    assert echo.message == (
        f'Claim {ids["claim"]} ("Police visited supporters overnight") is carried by 3 documents, but all of them '
        f'trace back to one origin, AFP, "AFP dispatch" (document {ids["dispatch"]}): 1 independent origin, '
        "2 echoes. Repetition is not corroboration."
    )
    # acknowledging the new key narrows to the hop and works
    from claimtrack.checks import Scope, scope_for_key

    assert scope_for_key(named.key) == Scope(hop_id=ids["hop"])
    assert {p.key for p in audit(database, rules=["linked-by-name-only"], hop_id=ids["hop"])} == {named.key}


def test_the_same_hop_linked_counts_the_same_and_is_no_finding(database: Any) -> None:
    ids = _agency_case(database, linked=True)
    found = _same_scoped(database, ids["claim"])
    assert set(found) == {f"echo:claim:{ids['claim']}"}
    assert found[f"echo:claim:{ids['claim']}"].details["independent_origins"] == 1
    assert found[f"echo:claim:{ids['claim']}"].details["echoes"] == 2


def test_without_the_agency_report_a_named_hop_counts_with_the_speakers_own_words(database: Any) -> None:
    with database.write() as session:
        claim = f.claim(session, "Police came at night")
        volkov = f.actor(session, "Leonid Volkov")
        st = f.statement(session, claim, volkov)
        post = f.document(session, volkov, title="Telegram post", kind="post")
        primary = f.hop(session, post, st, is_primary=True)
        tnie = f.document(session, f.actor(session, "TNIE", kind="outlet"), title="article")
        hop = f.hop(session, tnie, st, via_actor=f.actor(session, "AFP", kind="agency"))
    found = _same_scoped(database, claim.id)
    # before: two independent origins (the post, and "AFP"); it is one, and no echo
    assert set(found) == {f"linked-by-name-only:hop:{hop.id}"}
    assert found[f"linked-by-name-only:hop:{hop.id}"].message == (
        f"TNIE (document {tnie.id}) names AFP as its source for statement {st.id} (Leonid Volkov: \"Police came at "
        f"night\") but links nothing, while the speaker's own words are logged: Leonid Volkov (document {post.id}), "
        f"hop {primary.id}. Log AFP's report and link it (`claimtrack hop set-via {hop.id} HOP`), or link the "
        f"original (`claimtrack hop set-via {hop.id} {primary.id}`); until then the echo count treats this hop as "
        "quoting the original, not as an independent origin."
    )
    from claimtrack.checks.chains import origin_counts

    with database.read() as session:
        assert origin_counts(session)[claim.id] == {"documents": 2, "independent_origins": 1, "echoes": 0,
                                                    "relaying_documents": 1}


def test_an_article_quoting_its_own_primary_source_is_not_an_echo(database: Any) -> None:
    """The seed's worked example: Volkov's Telegram post, and The New Indian Express quoting it
    (via AFP, whose dispatch is not logged). Also the speaker's own later post citing an article."""
    with database.write() as session:
        claim = f.claim(session, "Police visited several dozen people")
        volkov = f.actor(session, "Leonid Volkov")
        st = f.statement(session, claim, volkov)
        post = f.hop(session, f.document(session, None, title="the post", kind="post"), st, is_primary=True)
        article = f.hop(session, f.document(session, f.actor(session, "TNIE", kind="outlet"), title="article"), st,
                        via_hop=post, via_actor=f.actor(session, "AFP", kind="agency"))
        # his own channel, and a post he signed, repeating the article: still his own words
        f.hop(session, f.document(session, volkov, title="his tweet", kind="post"), st, via_hop=article)
        f.hop(session, f.document(session, None, title="blog", author="leonid volkov"), st, via_hop=article)
    assert _same_scoped(database, claim.id) == {}
    from claimtrack.checks.chains import origin_counts

    with database.read() as session:
        assert origin_counts(session)[claim.id] == {"documents": 4, "independent_origins": 1, "echoes": 0,
                                                    "relaying_documents": 3}


def test_a_translation_of_its_own_original_is_not_an_echo(database: Any) -> None:
    """A first-hand report, one reprint of it, and a translation of the reprint: two documents."""
    with database.write() as session:
        claim = f.claim(session, "Exiles organise in London")
        st = f.statement(session, claim, f.actor(session, "Vladimir Ashurkov"))
        report = f.document(session, f.actor(session, "Radio France", kind="outlet"), title="reportage")
        first = f.hop(session, report, st)
        reprint = f.hop(session, f.document(session, f.actor(session, "franceinfo", kind="outlet"), title="article"),
                        st, via_hop=first)
        f.hop(session, f.document(session, f.actor(session, "franceinfo EN", kind="outlet"), title="translated",
                                  kind="translation"), st, via_hop=reprint)
    found = _same_scoped(database, claim.id)
    [echo] = found.values()
    assert echo.severity == "info"
    assert echo.message == (
        f'Claim {claim.id} ("Exiles organise in London") is carried by 2 documents, one of them relaying the other, '
        f'its only origin, Radio France, "reportage" (document {report.id}): 1 independent origin, 1 echo.'
    )


def test_real_echoes_still_count(database: Any) -> None:
    """Three outlets reprinting an unlogged AFP dispatch, beside a second, independent origin."""
    with database.write() as session:
        afp = f.actor(session, "AFP", kind="agency")
        claim = f.claim(session, "Navalny was moved to a prison hospital")
        st = f.statement(session, claim, f.actor(session, "Kira Yarmysh"))
        for n in range(3):
            f.hop(session, f.document(session, f.actor(session, f"Reprinter {n}", kind="outlet"), title=f"r{n}"),
                  st, via_actor=afp)
        other = f.statement(session, claim, f.actor(session, "Ivan Zhdanov"))
        f.hop(session, f.document(session, f.actor(session, "Meduza", kind="outlet"), title="own reporting"), other)
    [echo] = _same_scoped(database, claim.id).values()
    assert echo.severity == "info"
    # one of the three stands for AFP's own report: two echoes
    assert echo.details == {"documents": 4, "independent_origins": 2, "echoes": 2, "relaying_documents": 3}
    assert echo.message == (
        f'Claim {claim.id} ("Navalny was moved to a prison hospital") is carried by 4 documents from 2 independent '
        "origins; 2 of them are echoes, relaying one of those through another document or an intermediary."
    )


def test_retired_hops_and_documents_leave_the_echo_count(database: Any) -> None:
    from claimtrack.services.corrections import retire

    with database.write() as session:
        afp = f.actor(session, "AFP", kind="agency")
        claim = f.claim(session, "A claim reprinted twice")
        st = f.statement(session, claim, f.actor(session, "A Speaker"))
        hops = [f.hop(session, f.document(session, f.actor(session, f"Outlet {n}", kind="outlet"), title=f"d{n}"),
                      st, via_actor=afp) for n in range(3)]
    assert _same_scoped(database, claim.id)[f"echo:claim:{claim.id}"].details["documents"] == 3
    with database.write() as session:
        from claimtrack.models import Hop

        retire(session, session.get(Hop, hops[0].id), "not in the article")
    assert _same_scoped(database, claim.id)[f"echo:claim:{claim.id}"].details["documents"] == 2


def test_the_audit_help_lists_every_rule() -> None:
    from claimtrack.checks import RULE_NAMES
    from claimtrack.cli.audit import RULES_HELP

    assert RULES_HELP.split(", ") == list(RULE_NAMES)
