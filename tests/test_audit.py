"""The audit: every rule on the seed example and on built cases; the audit and ack commands."""

from __future__ import annotations

from typing import Any

from tests import factories as f
from tests.test_chains import build_cycle, seeded


def audit(database: Any, **scope: Any) -> list[Any]:
    from claimtrack.checks import Scope, run_audit

    rules = scope.pop("rules", None)
    with database.read() as session:
        return run_audit(session, Scope(**scope), rules)


def keys(problems: list[Any], rule: str | None = None) -> set[str]:
    return {p.key for p in problems if rule is None or p.rule == rule}


# ----------------------------------------------------------------------------- the seed's "Done when"


def test_the_seed_audit_names_vague_unattributed_and_anonymous_sources_and_scopes(database: Any) -> None:
    seed = seeded(database)
    problems = audit(database)
    # "local media" as a speaker, "state-run media" as an intermediary: both vague
    assert keys(problems, "vague-source") == {f"vague-source:statement:{seed['local_st']}",
                                              f"vague-source:hop:{seed['mt_zakharova']}"}
    vague = {p.key: p for p in problems if p.rule == "vague-source"}
    assert '"local media"' in vague[f"vague-source:statement:{seed['local_st']}"].message
    assert '"state-run media"' in vague[f"vague-source:hop:{seed['mt_zakharova']}"].message
    # the 3,000-arrested sentence is the reporter's own voice
    assert keys(problems, "unattributed") == {f"unattributed:statement:{seed['arrested_st']}"}
    unattributed = next(p for p in problems if p.rule == "unattributed")
    assert "3,000" in unattributed.message and unattributed.severity == "warning"
    # the former ally is anonymous
    assert keys(problems, "anonymous-speaker") == {f"anonymous-speaker:statement:{seed['ally']}"}
    assert '"a former ally"' in next(p for p in problems if p.rule == "anonymous-speaker").message
    # Volkov's chain reaches his Telegram post; OVD-Info's, Zhdanov's and Zakharova's do not
    assert keys(problems, "no-primary-source") == {
        f"no-primary-source:statement:{seed[name]}" for name in ("ovd", "zhdanov", "ally", "zakharova")
    }
    assert not any(p.rule in ("time-order", "circular-citation", "quote-drift") for p in problems)
    assert all(p.objects and p.message for p in problems)
    # problems carry the objects involved
    problem = next(p for p in problems if p.key == f"vague-source:hop:{seed['mt_zakharova']}")
    refs = {(o.type, o.id) for o in problem.objects}
    assert {("hop", seed["mt_zakharova"]), ("actor", seed["state"]), ("statement", seed["zakharova"]),
            ("document", seed["mt"])} <= refs
    # scoped to one claim, one document, some rules
    by_claim = audit(database, claim_id=seed["arrested"])
    assert keys(by_claim) == {f"unattributed:statement:{seed['arrested_st']}"}
    by_document = audit(database, document_id=seed["mt"])
    assert keys(by_document) == {
        f"unattributed:statement:{seed['arrested_st']}", f"vague-source:hop:{seed['mt_zakharova']}",
        f"no-primary-source:statement:{seed['zakharova']}",
    }
    assert keys(audit(database, rules=["anonymous-speaker"])) == {f"anonymous-speaker:statement:{seed['ally']}"}


# ----------------------------------------------------------------------------- echo


def build_reprints(database: Any, *, logged_dispatch: bool = True, extra_origin: bool = False) -> dict[str, int]:
    """One AFP dispatch reprinted by five outlets (through its logged hop, or just "via AFP")."""
    with database.write() as session:
        afp = f.actor(session, "AFP", kind="agency")
        speaker = f.actor(session, "Kira Yarmysh")
        claim = f.claim(session, "Navalny was moved to a prison hospital")
        st = f.statement(session, claim, speaker, quote="moved to the hospital", said="2021-04-19")
        dispatch_hop = None
        if logged_dispatch:
            dispatch = f.document(session, afp, title="AFP dispatch", published="2021-04-19", kind="dispatch")
            dispatch_hop = f.hop(session, dispatch, st, quote="moved to the hospital")
        for n in range(5):
            doc = f.document(session, f.actor(session, f"Reprinter {n}", kind="outlet"), title=f"reprint {n}",
                             published="2021-04-20")
            f.hop(session, doc, st, via_hop=dispatch_hop, via_actor=afp, quote="moved to the hospital")
        if extra_origin:
            other = f.statement(session, claim, f.actor(session, "Ivan Zhdanov"), said="2021-04-19")
            doc = f.document(session, f.actor(session, "Meduza", kind="outlet"), title="own reporting",
                             published="2021-04-19")
            f.hop(session, doc, other)
        return {"claim": claim.id, "afp": afp.id, "dispatch": dispatch_hop.document_id if dispatch_hop else 0}


def test_five_reprints_of_one_dispatch_are_one_independent_origin(database: Any) -> None:
    from claimtrack.checks.chains import origin_counts

    ids = build_reprints(database)
    [problem] = [p for p in audit(database) if p.rule == "echo"]
    assert problem.key == f"echo:claim:{ids['claim']}" and problem.severity == "warning"
    assert problem.details["independent_origins"] == 1
    assert problem.details["documents"] == 6 and problem.details["echoes"] == 5
    assert problem.details["origin"]["type"] == "document" and problem.details["origin"]["id"] == ids["dispatch"]
    assert "1 independent origin, 5 echoes" in problem.message
    with database.read() as session:
        assert origin_counts(session)[ids["claim"]] == {"documents": 6, "independent_origins": 1, "echoes": 5,
                                                        "relaying_documents": 5}


def test_reprints_citing_an_unlogged_dispatch_trace_back_to_the_agency(database: Any) -> None:
    ids = build_reprints(database, logged_dispatch=False)
    [problem] = [p for p in audit(database) if p.rule == "echo"]
    assert problem.severity == "warning"
    assert problem.details == {"documents": 5, "independent_origins": 1, "echoes": 4, "relaying_documents": 5,
                               "origin": {"type": "actor", "id": ids["afp"], "label": "AFP"}}


def test_a_post_and_one_article_quoting_it_is_only_counted(database: Any) -> None:
    from claimtrack.checks.chains import origin_counts

    with database.write() as session:
        claim = f.claim(session, "Police came at night")
        st = f.statement(session, claim, f.actor(session, "Leonid Volkov"))
        post = f.hop(session, f.document(session, None, title="the post", kind="post"), st, is_primary=True)
        f.hop(session, f.document(session, f.actor(session, "TNIE", kind="outlet"), title="article"), st, via_hop=post)
    # the article quotes the speaker's own words: no echo, so no finding (tests/test_audit_echo.py)
    assert audit(database, rules=["echo"]) == []
    with database.read() as session:
        assert origin_counts(session)[claim.id] == {"documents": 2, "independent_origins": 1, "echoes": 0,
                                                    "relaying_documents": 1}


def test_a_second_origin_turns_the_echo_warning_into_a_count(database: Any) -> None:
    build_reprints(database, extra_origin=True)
    [problem] = [p for p in audit(database) if p.rule == "echo"]
    assert problem.severity == "info"
    assert (problem.details["documents"], problem.details["independent_origins"]) == (7, 2)


# ----------------------------------------------------------------------------- time order and dates


def _dated_pair(session: Any, cited: str | None, citing: str | None, said: str | None = None) -> Any:
    st = f.statement(session, f.claim(session, f"claim cited {cited} citing {citing} said {said}"),
                     f.actor(session, f"Speaker {cited} {citing} {said}"), said=said)
    source = f.document(session, None, title=f"source {cited}", published=cited)
    citing_doc = f.document(session, None, title=f"citing {citing}", published=citing)
    first = f.hop(session, source, st)
    return f.hop(session, citing_doc, st, via_hop=first)


def test_time_order_flags_only_certainly_earlier_partial_dates(database: Any) -> None:
    with database.write() as session:
        ok_month = _dated_pair(session, "2021-07-28", "2021-07").id  # July may well be after the 28th
        ok_year = _dated_pair(session, "2021-07-28", "2021").id
        ok_approx = _dated_pair(session, "2021-07-15", "~2021-06").id  # ~June may reach into July
        bad_month = _dated_pair(session, "2021-07-28", "2021-06").id
        bad_day = _dated_pair(session, "2021-07-28", "2021-07-27").id
        bad_approx_year = _dated_pair(session, "2021-07-28", "~2019").id
        undated = _dated_pair(session, None, "2021-07-27").id
        # a 2021 rally reported with a caption dated 2020: reported before it was said
        said_late = _dated_pair(session, "2020", "2021-01-24", said="2021-01-23").id
        said_ok = _dated_pair(session, "2021-01", "2021-01-24", said="2021-01-23").id
    problems = audit(database, rules=["time-order"])
    assert keys(problems) == {f"time-order:hop:{h}" for h in (bad_month, bad_day, bad_approx_year)} | {
        f"time-order:hop:{said_late - 1}:said"}
    assert all(p.severity == "error" for p in problems)
    month = next(p for p in problems if p.key == f"time-order:hop:{bad_month}")
    assert "published 2021-06" in month.message and "published 2021-07-28" in month.message
    said = next(p for p in problems if p.key.endswith(":said"))
    assert "published 2020" in said.message and "said 2021-01-23" in said.message
    assert {ok_month, ok_year, ok_approx, undated, said_ok}.isdisjoint(int(p.key.split(":")[2]) for p in problems)


def test_missing_dates_where_the_chain_needs_them(database: Any) -> None:
    with database.write() as session:
        undated_source = _dated_pair(session, None, "2021-07-27").id
        undated_citing = _dated_pair(session, "2021-07-27", None).id
        dated = _dated_pair(session, "2021-07-27", "2021-07-28").id
        st = f.statement(session, f.claim(session, "undated primary"), f.actor(session, "Poster"))
        primary = f.hop(session, f.document(session, None, title="a post", kind="post"), st, is_primary=True).id
    problems = audit(database, rules=["missing-dates"])
    assert keys(problems) == {f"missing-dates:hop:{h}" for h in (undated_source, undated_citing, primary)}
    assert dated not in {int(p.key.rsplit(":", 1)[1]) for p in problems}
    assert all(p.severity == "info" for p in problems)
    assert "has no published date" in next(p for p in problems if p.key.endswith(f":{undated_source}")).message


# ----------------------------------------------------------------------------- circles and drift


def test_circular_citation_is_an_error_naming_every_outlet(database: Any) -> None:
    ids = build_cycle(database)
    [problem] = audit(database, rules=["circular-citation"])
    assert problem.severity == "error"
    assert problem.key == "circular-citation:hop:" + ",".join(str(h) for h in sorted((ids["a"], ids["b"], ids["c"])))
    assert "Outlet A" in problem.message and "Outlet B" in problem.message and "Outlet C" in problem.message
    assert problem.details["hops"] == [ids["a"], ids["c"], ids["b"]]
    # the echo rule leaves the circle out instead of looping
    assert not [p for p in audit(database) if p.rule == "echo"]


def test_quote_drift_shows_a_word_level_diff(database: Any) -> None:
    with database.write() as session:
        st = f.statement(session, f.claim(session, "Police visited supporters"), f.actor(session, "Leonid Volkov"),
                         quote="police had gone to several dozen people")
        agency = f.document(session, f.actor(session, "AFP", kind="agency"), title="dispatch", language="en")
        first = f.hop(session, agency, st, quote="police had gone to several dozen people")
        drifted = f.hop(session, f.document(session, None, title="reprint", language="en"), st, via_hop=first,
                        quote="police had gone to hundreds of people")
        cosmetic = f.hop(session, f.document(session, None, title="styled", language="en"), st, via_hop=first,
                         quote="Police had gone to several-dozen people.")
        translated = f.hop(session, f.document(session, None, title="franceinfo", language="fr"), st, via_hop=first,
                           quote="la police est allée chez plusieurs dizaines de personnes")
        unlinked = f.hop(session, f.document(session, None, title="own copy"), st, quote="police went to dozens")
    problems = audit(database, rules=["quote-drift"])
    assert keys(problems) == {f"quote-drift:hop:{drifted.id}", f"quote-drift:hop:{unlinked.id}"}
    drift = next(p for p in problems if p.key == f"quote-drift:hop:{drifted.id}")
    assert drift.details["diff"] == "police had gone to [-several dozen-] {+hundreds of+} people"
    assert drift.details["ops"] == [{"op": "replace", "from": "several dozen", "to": "hundreds of"}]
    assert drift.details["from_hop"] == first.id
    assert "[-several dozen-] {+hundreds of+}" in drift.message
    other = next(p for p in problems if p.key == f"quote-drift:hop:{unlinked.id}")
    assert other.details["from"] == "police had gone to several dozen people" and other.details["from_hop"] is None
    assert {cosmetic.id, translated.id}.isdisjoint(int(p.key.rsplit(":", 1)[1]) for p in problems)


def test_word_diff_handles_insertions_and_deletions() -> None:
    from claimtrack.checks.quotes import word_diff

    assert word_diff("an act of terrorism", "an act of state terrorism")["text"] == "an act of {+state+} terrorism"
    assert word_diff("at least 20 people", "20 people")["text"] == "[-at least-] 20 people"


# ----------------------------------------------------------------------------- the command


def test_audit_json_and_exit_codes(cli: Any, database: Any) -> None:
    seeded(database)
    result = cli("audit", "--json")
    assert result.exit_code == 0  # the seed has warnings, no errors
    import json

    problems = json.loads(result.stdout)
    assert {"rule", "severity", "key", "message", "objects", "details", "acknowledged", "ack_reason"} <= set(problems[0])
    assert {o["type"] for p in problems for o in p["objects"]} >= {"statement", "hop", "claim", "document", "actor"}
    assert cli("audit", "--fail-on", "warning").exit_code == 1
    assert cli("audit", "--fail-on", "warning", "--rule", "time-order").exit_code == 0
    assert cli("audit", "--fail-on", "info", "--rule", "anonymous-speaker").exit_code == 1
    assert cli("audit", "--fail-on", "never", "--rule", "anonymous-speaker").exit_code == 0
    by_rule = cli.json("audit", "--rule", "vague-source", "--rule", "unattributed")
    assert {p["rule"] for p in by_rule} == {"vague-source", "unattributed"}
    assert [p["rule"] for p in cli.json("audit", "--claim", "arrested-3000")] == ["unattributed"]
    assert len(cli.json("audit", "--document", "mt-2021-01-24")) == 3
    out = cli.ok("audit").stdout
    assert "vague-source:statement:" in out and "problems per rule" in out and "0 errors" in out


def test_audit_fails_on_errors_by_default(cli: Any, database: Any) -> None:
    build_cycle(database)
    result = cli("audit")
    assert result.exit_code == 1
    assert "Circular citation" in result.stdout


def test_acknowledged_problems_stop_failing_but_stay_listed_with_all(cli: Any, database: Any) -> None:
    from sqlalchemy import select

    from claimtrack.models import Acknowledgement, Event

    seed = seeded(database)
    key = f"anonymous-speaker:statement:{seed['ally']}"
    assert cli("audit", "--rule", "anonymous-speaker", "--fail-on", "info").exit_code == 1
    result = cli.ok("audit", "ack", key, "--reason", "AFP withheld the name; the denial is on record")
    assert key in result.stdout
    assert cli("audit", "--rule", "anonymous-speaker", "--fail-on", "info").exit_code == 0
    assert cli.json("audit", "--rule", "anonymous-speaker") == []
    [listed] = cli.json("audit", "--rule", "anonymous-speaker", "--all")
    assert listed["acknowledged"] is True and listed["ack_reason"].startswith("AFP withheld")
    assert "acknowledged: AFP withheld" in cli.ok("audit", "--all", "--rule", "anonymous-speaker").stdout
    with database.read() as session:
        [ack] = session.scalars(select(Acknowledgement)).all()
        assert (ack.problem_key, ack.user) == (key, "tester")
        event = session.scalars(select(Event).order_by(Event.id.desc())).first()
        assert (event.action, event.object_type, event.object_id) == ("acknowledge", "acknowledgement", ack.id)


def test_bad_acknowledgements_are_refused_and_write_nothing(cli: Any, database: Any, snapshot: Any) -> None:
    seed = seeded(database)
    key = f"anonymous-speaker:statement:{seed['ally']}"
    before = snapshot()
    for args, message in [
        (("audit", "ack", key, "--reason", "   "), "say why this problem is acceptable"),
        (("audit", "ack", "nonsense", "--reason", "x"), "'nonsense' is not a problem key"),
        (("audit", "ack", "echo:claim:424242", "--reason", "x"), "no current audit problem has the key"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1, result.stdout
        assert message in result.stderr
    assert snapshot() == before
    cli.ok("audit", "ack", key, "--reason", "fine")
    after_first = snapshot()
    result = cli("audit", "ack", key, "--reason", "again")
    assert result.exit_code == 1 and "already acknowledged by tester" in result.stderr
    # bad audit arguments: usage errors exit 2, unknown objects 1; the audit never writes
    result = cli("audit", "--rule", "vague")
    assert result.exit_code == 2 and "unknown rule 'vague'" in result.stderr
    result = cli("audit", "--claim", "no-such-claim")
    assert result.exit_code == 1 and "claim 'no-such-claim' not found" in result.stderr
    assert cli("audit", "--fail-on", "sometimes").exit_code == 2
    cli("audit", "--fail-on", "never")
    assert snapshot() == after_first


def test_an_unnamed_crowd_is_a_vague_source_not_just_anonymous(database: Any) -> None:
    with database.write() as session:
        claim = f.claim(session, "The talks collapsed")
        sources = f.statement(session, claim, None, speaker_descriptor="sources familiar with the talks").id
        officials = f.statement(session, claim, None, speaker_descriptor="administration officials").id
        aide = f.statement(session, claim, None, speaker_descriptor="a senior aide").id
    problems = audit(database, rules=["vague-source", "anonymous-speaker"])
    assert keys(problems, "vague-source") == {f"vague-source:statement:{sources}", f"vague-source:statement:{officials}"}
    assert keys(problems, "anonymous-speaker") == {f"anonymous-speaker:statement:{aide}"}
    assert '"sources familiar with the talks"' in next(p for p in problems if p.key.endswith(f":{sources}")).message


def test_certainly_before_respects_precision_and_approximation() -> None:
    from claimtrack.checks.dates import bounds, certainly_before
    from claimtrack.dates import parse_date

    def before(a: str, b: str) -> bool:
        return certainly_before(parse_date(a), parse_date(b))

    assert before("2021-06", "2021-07-01") and before("2020", "2021-01-23") and before("2021-07-27", "2021-07-28")
    assert not before("2021-07", "2021-07-28") and not before("2021", "2021-12-31")
    assert not before("2021-07-28", "2021-07-28") and not before("2021-07-29", "2021-07-28")
    assert not before("~2021-06", "2021-07-15") and before("~2021-06", "2021-08-01")
    assert not before("~2020", "2021-01-23") and before("~2019", "2021-01-23")
    assert [str(d) for d in bounds(parse_date("~2021-01"))] == ["2020-12-01", "2021-02-28"]
    assert [str(d) for d in bounds(parse_date("~2021-12-31"))] == ["2021-12-30", "2022-01-01"]
