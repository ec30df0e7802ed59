"""The benchmark's synthetic archive: reproducible, well-formed, and loadable.

No timings here (those belong to bench/run.py): only that the generator gives the same bytes for
the same seed, writes the native format with every reference pointing backwards, carries every
kind of conflict and deep chains, and that its rows load into the real schema (raw baseline) and
through `claimtrack import` once that command exists.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import generate
import rawload

N = 1_000
ACTORS = 300

REFERENCES = {  # field -> the record type it points at
    "actor": "actor", "organization": "actor", "outlet": "actor", "claim": "claim", "speaker": "actor",
    "on_behalf_of": "actor", "parent": "statement", "document": "document", "statement": "statement",
    "via_hop": "hop", "via_actor": "actor", "source": "claim", "target": "claim", "reviewer": "actor",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "archive.jsonl"
    generate.write_jsonl(path, N, seed=3, actors=ACTORS)
    return path


def records(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_same_seed_same_bytes_other_seed_other_bytes(archive: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again.jsonl", tmp_path / "other.jsonl"
    generate.write_jsonl(again, N, seed=3, actors=ACTORS)
    generate.write_jsonl(other, N, seed=4, actors=ACTORS)
    assert again.read_bytes() == archive.read_bytes()
    assert other.read_bytes() != archive.read_bytes()


def test_shape_and_backward_references(archive: Path) -> None:
    rows = records(archive)
    assert rows[0] == {"type": "claimtrack", "format_version": 1}
    counts = Counter(r["type"] for r in rows[1:])
    shape = generate.Shape(N, 3, ACTORS)
    assert counts["statement"] == N
    assert counts["claim"] == shape.claims == N // 10
    assert counts["document"] == shape.documents == N // 5
    assert counts["actor"] == ACTORS
    assert counts["hop"] > N  # every statement is carried at least once
    seen: dict[str, set[str]] = {}
    for line, record in enumerate(rows[1:], start=2):
        for field, kind in REFERENCES.items():
            if field == record["type"]:
                continue
            value = record.get(field)
            if isinstance(value, str):
                assert value in seen.get(kind, set()), f"line {line}: {field}={value!r} not defined earlier"
        if "key" in record:
            assert record["key"] not in seen.setdefault(record["type"], set()), f"line {line}: repeated key"
            seen[record["type"]].add(record["key"])


def test_conflicts_and_deep_chains_are_present(archive: Path) -> None:
    rows = records(archive)
    statements = [r for r in rows if r["type"] == "statement"]
    by_claim: dict[str, set[str]] = {}
    for s in statements:
        by_claim.setdefault(s["claim"], set()).add(s["stance"])
    assert any({"asserts"} <= st and st & {"denies", "disputes"} for st in by_claim.values())
    # a reversal: one speaker asserts, then retracts, the same claim
    spoken = {(s["claim"], s["speaker"], s["stance"]) for s in statements if s["speaker"]}
    assert any((c, a, "retracts") in spoken for (c, a, st) in spoken if st == "asserts")
    assert any(r["type"] == "relation" and r["relation"] == "contradicts" for r in rows)
    subjects = Counter(r["quantity"]["subject"] for r in rows if r["type"] == "claim" and r.get("quantity"))
    assert subjects and max(subjects.values()) >= 2
    verdicts = Counter(r["claim"] for r in rows if r["type"] == "verdict")
    assert max(verdicts.values()) >= 2
    depth = Counter(r["statement"] for r in rows if r["type"] == "hop")
    assert max(depth.values()) == 10
    assert all(s["quote"] is None for s in statements if not s["speaker"] and not s["speaker_descriptor"])


def _statement_count(url: str) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from claimtrack.db import resolve_url

    engine = create_engine(resolve_url(url), poolclass=NullPool)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM statements")).scalar()
    engine.dispose()
    return int(count or 0)


def test_raw_baseline_loads_rows_claimtrack_can_read(archive: Path, db_url: str) -> None:
    if db_url.startswith("sqlite"):
        result = rawload.load_sqlite(str(archive), db_url.removeprefix("sqlite:///"))
    else:
        result = rawload.load_postgresql(str(archive), db_url)
    assert result.rows["statements"] == N
    from claimtrack.db import Database
    from claimtrack.queries.stats import count_objects, tally

    database = Database(db_url)
    with database.read() as session:
        live, retired = tally(session)
        assert live == count_objects(session)
    database.dispose()
    # the archive retracts some statements: kept, and counted apart
    assert live["statements"] + retired["statements"] == N and retired["statements"] > 0
    assert live["hops"] + retired["hops"] == result.rows["hops"]


def _import_exists() -> bool:
    from typer.testing import CliRunner

    from claimtrack.cli.app import app

    done = CliRunner().invoke(app, ["import", "--help"])
    return done.exit_code == 0 and "--format" in done.stdout


def test_archive_imports_with_claimtrack(archive: Path, cli: Any, db_url: str) -> None:
    if not _import_exists():
        pytest.skip("`claimtrack import` is not there yet (issue 9)")
    cli.ok("import", str(archive), "--format", "jsonl")
    counts = cli.json("stats")
    assert counts["statements"] + counts["retired"]["statements"] == N
    assert counts["claims"] == N // 10
    assert counts["documents"] == N // 5
    assert counts["actors"] == ACTORS
