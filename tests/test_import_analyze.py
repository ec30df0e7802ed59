"""A large import refreshes the planner's statistics (ANALYZE); a small one leaves them alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text


def _archive(path: Path, statements: int) -> Path:
    lines = [{"type": "claimtrack", "format_version": 1}, {"type": "actor", "key": "a", "name": "Ann Example"},
             {"type": "claim", "key": "c", "text": "Prices rose in March"}]
    lines += [{"type": "statement", "key": f"s{i}", "claim": "c", "speaker": "a", "stance": "asserts"}
              for i in range(statements)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _analyzed(database: Any) -> bool:
    with database.read() as s:
        if s.get_bind().dialect.name == "sqlite":
            if not s.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
                return False
            return bool(s.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'statements'")).scalar())
        return bool(s.execute(text("SELECT count(*) FROM pg_stats WHERE tablename = 'statements' "
                                   "AND schemaname = current_schema()")).scalar())


def test_a_large_import_runs_analyze_and_a_small_one_does_not(database: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from claimtrack.formats import apply, import_file

    monkeypatch.setattr(apply, "ANALYZE_ROWS", 300)
    with database.write() as session:
        summary = import_file(session, _archive(tmp_path / "small.jsonl", 100), "jsonl")
    assert summary.created("statement") == 100 and not _analyzed(database)
    with database.write() as session:
        import_file(session, _archive(tmp_path / "large.jsonl", 400), "jsonl")
    assert _analyzed(database)
