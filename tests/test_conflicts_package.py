"""The conflicts package: importing it builds nothing, and a global page streams."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest


def test_importing_conflicts_configures_no_mappers():
    """aliased() and other mapper-configuring work waits for the first query that needs it, so
    a command that imports the package but lists no conflicts does not pay for it."""
    code = ("import claimtrack.models as m, claimtrack.queries.conflicts;"
            "print(m.Actor.__mapper__.configured)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- the streamed page

BENCH = Path(__file__).resolve().parent.parent / "bench"
N = 4_000  # 400 claims, every 20th one with a reversal


def _load_generated(db_url: str, tmp_path: Path, seed: int) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import generate
        import rawload
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path / f"archive-{seed}.jsonl"
    generate.write_jsonl(path, N, seed=seed, actors=300)
    if db_url.startswith("sqlite"):
        rawload.load_sqlite(str(path), db_url.removeprefix("sqlite:///"))
    else:
        rawload.load_postgresql(str(path), db_url)


def _roughen(database: Any, seed: int) -> dict[str, int]:
    """What the generator lacks, around the reversals: one side of some retracted (a reversal
    resting on retracted records), some claims retired or merged, and actors merged without
    their statements moved (older data), so that a reversal exists only through a merge."""
    from sqlalchemy import select, update

    from claimtrack.models import Actor, Claim, Statement
    from tests import factories as f

    rng = random.Random(seed)
    with database.write() as s:
        reversing = sorted(s.scalars(select(Statement.claim_id).where(Statement.stance == "retracts")).unique())
        picked = rng.sample(reversing, 6)
        for claim_id in picked[:2]:  # the opposing side retracted: rests on retracted records
            s.execute(update(Statement).where(Statement.claim_id == claim_id, Statement.stance == "retracts")
                      .values(status="retracted", status_reason="test"))
        for claim_id in picked[2:4]:  # the claim retired
            s.execute(update(Claim).where(Claim.id == claim_id).values(status="retracted", status_reason="test"))
        survivor_claim = s.get(Claim, picked[4])
        loser_claim = s.get(Claim, picked[5])
        assert survivor_claim is not None and loser_claim is not None
        loser_claim.merged_into_id = survivor_claim.id
        # a claim nobody reversed on: two persons who take opposite sides, one merged into the other
        claim = s.get(Claim, min(c for c in range(1, 400) if c not in reversing and c not in picked))
        people = list(s.scalars(select(Actor).where(Actor.kind == "person").order_by(Actor.id).limit(3)))
        assert claim is not None and len(people) == 3
        f.statement(s, claim, people[1], stance="asserts")
        f.statement(s, claim, people[2], stance="denies")
        s.execute(update(Actor).where(Actor.id == people[1].id).values(merged_into_id=people[0].id))
        s.execute(update(Actor).where(Actor.id == people[2].id).values(merged_into_id=people[1].id))  # a chain
        return {"merged_claim": claim.id, "survivor": people[0].id}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_streamed_reversal_page_is_the_first_page_of_the_full_listing(database, db_url, tmp_path, seed):
    from claimtrack.queries.conflicts import find_conflicts

    _load_generated(db_url, tmp_path, seed)
    made = _roughen(database, seed)
    with database.read() as s:
        full = find_conflicts(s, kinds=["reversal"])
        everything = find_conflicts(s, kinds=["reversal"], include_retracted=True)
        assert full.total is not None and full.total > 8 and full.hidden_retracted
        assert full.hidden_retracted >= 2 + 2 + 1  # retracted sides, retired and merged claims
        assert [made["merged_claim"]] in [c.claim_ids for c in full.conflicts]  # only through the merges
        for limit in (1, 2, 3, 5, 8, full.total - 1, full.total, full.total + 5):
            page = find_conflicts(s, kinds=["reversal"], limit=limit)
            assert [c.to_dict() for c in page.conflicts] == [c.to_dict() for c in full.conflicts[:limit]]
            with_retracted = find_conflicts(s, kinds=["reversal"], limit=limit, include_retracted=True)
            assert ([c.to_dict() for c in with_retracted.conflicts]
                    == [c.to_dict() for c in everything.conflicts[:limit]])
            if limit < full.total:
                assert page.total is None and page.hidden_retracted is None  # stopped early: not counted
            else:
                assert (page.total, page.hidden_retracted) == (full.total, full.hidden_retracted)
        assert all(c.severity == 3 and not c.rests_on_retracted for c in full.conflicts)


@pytest.mark.parametrize("seed", [1, 4])
def test_streamed_reversals_find_what_the_one_scan_of_both_kinds_finds(database, db_url, tmp_path, seed):
    """The walk for reversals alone finds the same candidates, with the same severities, as
    the scan that finds stances and reversals together (with and without --since), those on
    retired claims marked as resting on a retired record."""
    from claimtrack.queries.conflicts import reversal, stance
    from claimtrack.queries.conflicts.loading import Filters
    from claimtrack.queries.conflicts.values import on_retired_claim
    from claimtrack.queries.live import retired_claim_ids

    _load_generated(db_url, tmp_path, seed)
    _roughen(database, seed)
    with database.read() as s:
        for since in (None, date(2021, 6, 1)):
            filters = Filters(None, None, since)
            streamed, complete = reversal.streamed_reversals(s, filters)
            retired = set(s.scalars(retired_claim_ids()))
            together = [on_retired_claim(c) if c.claim_ids[0] in retired else c
                        for c in stance.side_taking_candidates(s, filters, ["reversal"])]
            key = [(c.claim_ids, c.speaker_id, c.severity, c.rests_on_retracted, c.weight) for c in streamed]
            assert complete and key == sorted(key)
            assert key == sorted((c.claim_ids, c.speaker_id, c.severity, c.rests_on_retracted, c.weight)
                                 for c in together)
            assert len(key) > 5


@pytest.mark.parametrize("seed", [5])
def test_a_page_built_together_equals_its_conflicts_built_one_by_one(database, db_url, tmp_path, seed):
    """build_page reads sides with one windowed query per kind of side and keeps objects for
    the page: each conflict comes out as if built on its own, with its own queries."""
    from claimtrack.queries.conflicts import listing
    from claimtrack.queries.conflicts.loading import Filters, side_statement_ids
    from claimtrack.queries.conflicts.page import batch_side_ids, build_page

    _load_generated(db_url, tmp_path, seed)
    _roughen(database, seed)
    with database.read() as s:
        filters = Filters(None, None, None)
        candidates = listing.stance.side_taking_candidates(s, filters, ["stance", "reversal"])
        for finder in listing.FINDERS.values():
            candidates.extend(finder(s, filters))
        kinds = {c.kind for c in candidates}
        assert kinds == {"stance", "reversal", "relation", "quantity", "verdict"}
        sample = [c for kind in sorted(kinds) for c in [c for c in candidates if c.kind == kind][:12]]
        alone = [c.build().to_dict() for c in sample]
        s.expunge_all()
        assert [c.to_dict() for c in build_page(s, sample)] == alone
        keys = [(c.claim_ids[0], stances, None) for c in sample for stances in (None, ("asserts", "confirms"))]
        keys += [(c.claim_ids[0], ("denies", "disputes", "retracts"), (c.speaker_id,))
                 for c in sample if c.speaker_id is not None]
        assert batch_side_ids(s, keys) == {k: side_statement_ids(s, *k) for k in keys}
