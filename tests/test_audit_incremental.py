"""The incremental audit (`audit --since-last`): after random edits, re-checking only the claims the
events name finds exactly what the whole audit finds for those claims — and every finding the
edits changed lies in those claims.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.helpers import generated_jsonl


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_jsonl(tmp_path_factory.mktemp("incremental") / "archive.jsonl", 300, actors=60)


def _findings(session: Any) -> dict[str, dict[str, Any]]:
    from claimtrack.checks import run_audit

    return {p.key: p.as_dict() for p in run_audit(session)}


def _claim_of(session: Any, key: str) -> int:
    """The claim a problem belongs to (through the object its key names)."""
    from claimtrack.checks import scope_for_key
    from claimtrack.models import Hop, Statement

    scope = scope_for_key(key)
    assert scope is not None, key
    if scope.claim_id is not None:
        return scope.claim_id
    statement_id = scope.statement_id
    if statement_id is None:
        statement_id = session.execute(select(Hop.statement_id).where(Hop.id == scope.hop_id)).scalar_one()
    return session.execute(select(Statement.claim_id).where(Statement.id == statement_id)).scalar_one()


def _random_edit(session: Any, rng: random.Random, known_keys: list[str]) -> str:
    """One change through the services (each records its event), chosen at random."""
    from claimtrack.errors import ClaimtrackError
    from claimtrack.models import Actor, Claim, Hop, Statement
    from claimtrack.services.acknowledgements import acknowledge_problem
    from claimtrack.services.actors import merge_actors
    from claimtrack.services.edits import edit_claim
    from claimtrack.services.hops import set_via_hop
    from claimtrack.services.logging import log_statement
    from claimtrack.services.statements import retract_statement

    def pick(model: Any, *where: Any) -> Any:
        ids = list(session.scalars(select(model.id).where(*where).order_by(model.id)))
        return session.get(model, rng.choice(ids))

    kind = rng.choice(["log", "via", "retract", "claim", "merge", "ack", "log-vague", "document", "document"])
    if kind in ("log", "log-vague"):
        claim = pick(Claim)
        speaker = pick(Actor, Actor.kind == "person", Actor.merged_into_id.is_(None))
        log_statement(session, speaker=speaker.name, claim=claim.text, stance=rng.choice(["asserts", "denies"]),
                      quote=rng.choice([None, "several dozen"]), outlet=f"Outlet {rng.randrange(3)}",
                      url=f"https://example.org/{rng.randrange(10**9)}", title="t", published="2021-07-29",
                      via="local media" if kind == "log-vague" else None, create_missing=True, force=True)
    elif kind == "via":
        hop = pick(Hop, Hop.is_primary.is_(False))
        others = [h for h in session.scalars(select(Hop).where(Hop.statement_id == hop.statement_id, Hop.id != hop.id))]
        choices: list[Any] = [None, *others]
        for via in rng.sample(choices, len(choices)):
            try:
                set_via_hop(session, hop, via)
                break
            except ClaimtrackError:  # a cycle: try another
                continue
    elif kind == "retract":
        retract_statement(session, pick(Statement, Statement.status == "normal"), "logged by mistake")
    elif kind == "claim":
        claim = pick(Claim)
        edit_claim(session, claim, expect_version=claim.version, text=f"{claim.text} (reworded {rng.randrange(999)})")
    elif kind == "merge":
        people = list(session.scalars(select(Actor).where(Actor.merged_into_id.is_(None)).order_by(Actor.id)))
        survivor, merged = rng.sample(people, 2)
        merge_actors(session, survivor, merged)
    elif kind == "document":  # a date or an outlet filled in later: time order, missing dates, labels
        from claimtrack.dates import parse_date
        from claimtrack.models import Document
        from claimtrack.services.documents import add_document

        doc = pick(Document, Document.url.is_not(None), (Document.published_on.is_(None)) | Document.outlet_id.is_(None))
        outlet = pick(Actor, Actor.kind == "outlet") if doc.outlet_id is None else None
        add_document(session, url=doc.url, outlet=outlet, published=parse_date(rng.choice(["2019-05", "2023-01-02"]), "published"))
    elif kind == "ack" and known_keys:
        key = rng.choice(known_keys)
        try:
            acknowledge_problem(session, key, "accepted in review")
        except ClaimtrackError:  # already acknowledged, or gone after an earlier edit
            return "ack (skipped)"
    return kind


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_audit_equals_the_whole_audit_on_what_changed(database: Any, small_archive: Path,
                                                                 seed: int) -> None:
    from claimtrack.checks import Scope, run_audit
    from claimtrack.checks.incremental import changed_claims, head_event_id
    from claimtrack.formats import import_file

    with database.write() as session:
        import_file(session, small_archive, "jsonl")
    rng = random.Random(seed)
    for _round in range(3):
        with database.read() as session:
            mark = head_event_id(session)
            before = _findings(session)
            claim_before = {key: _claim_of(session, key) for key in before}
        done = []
        for _ in range(5):
            with database.write() as session:
                done.append(_random_edit(session, rng, sorted(before)))
        with database.read() as session:
            claims = changed_claims(session, mark)
            assert claims is not None, done
            after = _findings(session)
            claim_after = {key: _claim_of(session, key) for key in after}
            incremental = {p.key: p.as_dict() for p in run_audit(session, Scope(claim_ids=frozenset(claims)))}
        assert incremental == {k: v for k, v in after.items() if claim_after[k] in claims}, done
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        missed = {k for k in changed if claim_before.get(k) not in claims and claim_after.get(k) not in claims}
        assert not missed, (done, sorted(missed)[:5])


def test_an_import_or_an_unknown_event_narrows_or_widens_correctly(database: Any, small_archive: Path) -> None:
    from claimtrack.checks.incremental import changed_claims
    from claimtrack.formats import import_file
    from claimtrack.services.events import record_event

    with database.write() as session:
        import_file(session, small_archive, "jsonl")
    with database.read() as session:
        claims = changed_claims(session, 0)
        assert claims is not None and len(claims) == 30  # 300 statements: 30 claims, all new
    with database.write() as session:
        record_event(session, "create", object_type="verdict", object_id=1)
    with database.read() as session:
        assert changed_claims(session, 1) == set()  # no rule reads verdicts
    with database.write() as session:
        record_event(session, "create", object_type="something_new", object_id=1)
    with database.read() as session:
        assert changed_claims(session, 2) is None  # unknown: audit everything


def test_audit_since_last_remembers_per_user_how_far_it_got(cli: Any, database: Any) -> None:
    from claimtrack.models import AuditMark

    out = cli.ok("audit", "--since-last", "--fail-on", "never").stdout
    assert "First --since-last audit: checked everything (up to event 0)." in out
    assert "Nothing changed since your last audit (event 0)." in cli.ok("audit", "--since-last").stdout
    cli.ok("log", "--speaker", "Maria Zakharova", "--stance", "asserts", "--claim", "Russia protested",
           "--outlet", "local media", "--title", "Protest", "--published", "2021-01-24", "--new", "--no-interactive")
    with database.read() as session:
        head = max(e for (e,) in session.execute(select(AuditMark.event_id)))
    out = cli.ok("audit", "--since-last", "--fail-on", "never").stdout
    # the logged article has no URL: the document's own finding is re-checked with the claim's
    assert "Re-checked 1 claim and 1 document changed by events" in out
    assert "unfindable-document" in out and "has neither a URL nor an archived copy" in out
    with database.read() as session:
        marks = {m.user: m.event_id for m in session.scalars(select(AuditMark))}
    assert len(marks) == 1 and next(iter(marks.values())) > head
    result = cli.ok("audit", "--since-last", "--json")
    assert "Nothing changed since your last audit" in result.stderr and result.stdout == "[]\n"
    # a plain audit reads only: it never moves the mark
    cli.ok("audit", "--fail-on", "never")
    with database.read() as session:
        assert {m.user: m.event_id for m in session.scalars(select(AuditMark))} == marks


def test_a_changed_document_is_re_checked_by_itself(database: Any) -> None:
    """A document's own finding (unfindable-document) follows the document: an outlet set later
    changes its message, and the incremental audit lists it as the whole audit does."""
    from claimtrack.checks import Scope, run_audit
    from claimtrack.checks.incremental import changed, head_event_id
    from claimtrack.services.documents import add_document
    from claimtrack.services.edits import edit_object

    with database.write() as session:
        doc = add_document(session, title="A page nobody kept").document
        doc_id = doc.id
        mark = head_event_id(session)
    with database.write() as session:
        from claimtrack.models import Document

        doc = session.get(Document, doc_id)
        edit_object(session, "document", doc, {"title": "A page nobody kept (renamed)"}, expect_version=doc.version)
    with database.read() as session:
        found = changed(session, mark)
        assert found is not None and doc_id in found[1]
        claims, documents = found
        whole = {p.key: p.as_dict() for p in run_audit(session) if p.rule == "unfindable-document"}
        narrowed = {p.key: p.as_dict() for p in run_audit(session, Scope(claim_ids=frozenset(claims),
                                                                           document_ids=frozenset(documents)))
                    if p.rule == "unfindable-document"}
    key = f"unfindable-document:document:{doc_id}"
    assert narrowed == {key: whole[key]} and "renamed" in whole[key]["message"]


def test_since_last_cannot_be_narrowed(cli: Any, snapshot: Any) -> None:
    before = snapshot()
    result = cli("audit", "--since-last", "--rule", "echo")
    assert result.exit_code == 2 and "cannot be combined" in result.stderr
    assert snapshot() == before
