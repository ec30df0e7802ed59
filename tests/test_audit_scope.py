"""The audit narrowed to one problem's objects (what `audit ack KEY` runs) finds exactly that problem.

`acknowledge_problem` no longer re-runs a rule over the whole database: it runs it in
`scope_for_key(key)` (one statement, hop or claim). These tests hold that narrowing to the whole
audit: every problem the whole audit finds is found again, identical, in its key's scope.
"""

from __future__ import annotations

from typing import Any

from tests.test_audit import _dated_pair
from tests.test_chains import build_cycle, seeded


def _same_in_own_scope(database: Any) -> int:
    from claimtrack.checks import run_audit, scope_for_key

    with database.read() as session:
        problems = run_audit(session)
        for problem in problems:
            scope = scope_for_key(problem.key)
            assert scope is not None, problem.key
            narrowed = {p.key: p for p in run_audit(session, scope, [problem.rule])}
            assert problem.key in narrowed, problem.key
            assert narrowed[problem.key].as_dict() == problem.as_dict()
    return len(problems)


def test_every_seed_problem_is_found_again_in_its_own_scope(database: Any) -> None:
    seeded(database)
    with database.write() as session:
        _dated_pair(session, "2021-07-28", "2021-06")  # time-order
        _dated_pair(session, "2020", "2021-01-24", said="2021-01-23")  # time-order …:said
        _dated_pair(session, None, "2021-07-27")  # missing-dates
    build_cycle(database)
    assert _same_in_own_scope(database) > 5


def test_scope_for_key_reads_each_key_shape() -> None:
    from claimtrack.checks import Scope, scope_for_key

    assert scope_for_key("vague-source:statement:12") == Scope(statement_id=12)
    assert scope_for_key("time-order:hop:9:said") == Scope(hop_id=9)
    assert scope_for_key("circular-citation:hop:3,5,8") == Scope(hop_id=3)
    assert scope_for_key("echo:claim:4") == Scope(claim_id=4)
    assert scope_for_key("echo:claim:x") is None
    assert scope_for_key("echo") is None
    assert Scope().whole and not Scope(hop_id=1).whole


def test_lazy_problems_build_the_same_parts_on_every_read() -> None:
    from claimtrack.checks import ObjectRef, Problem

    def parts(n: int) -> tuple[str, list[ObjectRef], dict[str, Any]]:
        return f"statement {n}", [ObjectRef("statement", n, "label")], {"n": n}

    problem = Problem.lazy("unattributed", "warning", "unattributed:statement:7", parts, 7)
    assert problem.message == "statement 7" and problem.objects[0].id == 7 and problem.details == {"n": 7}
    assert problem.as_dict()["objects"] == [{"type": "statement", "id": 7, "label": "label"}]
    assert str(problem.objects[0]) == "statement:7"
