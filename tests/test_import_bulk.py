"""The bulk paths of the importer (issue 8): large enough files that the buffers fill up.

SQLite: the FTS5 insert triggers are dropped for the import and the new rows indexed at the
end (claimtrack/formats/apply.py, `_defer_full_text`); the index must end up exactly as the
triggers would have built it, the triggers exactly as the migration creates them, and a failed
import must leave them in place. PostgreSQL: rows are written with COPY; the stored values
(JSON, timestamps) must be what `insert()` stores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from claimtrack.fulltext_ddl import FTS_SOURCES, sqlite_trigger_ddl
from tests.helpers import generated_jsonl

STATEMENTS = 4_000  # ≈ 14,000 rows: more than one buffer (BATCH_ROWS), so the bulk path runs


@pytest.fixture(scope="module")
def bulk_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_jsonl(tmp_path_factory.mktemp("bulk") / "bulk.jsonl", STATEMENTS, actors=300)


def _triggers(database: Any) -> dict[str, str]:
    with database.read() as s:
        rows = s.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'"))
        return {name: sql for name, sql in rows}


def _expected_triggers() -> dict[str, str]:
    return {f"{fts}_{suffix}": sqlite_trigger_ddl(fts, suffix) for fts in FTS_SOURCES for suffix in ("ai", "ad", "au")}


def test_bulk_import_indexes_everything_and_restores_triggers(cli: Any, database: Any, db_url: str,
                                                              bulk_jsonl: Path) -> None:
    cli.ok("import", str(bulk_jsonl), "--format", "jsonl")
    with database.read() as s:
        assert s.execute(text("SELECT count(*) FROM statements")).scalar() == STATEMENTS
        evidence = s.execute(text("SELECT evidence_urls FROM verdicts ORDER BY id LIMIT 1")).scalar()
        assert isinstance(evidence if not isinstance(evidence, str) else json.loads(evidence), list)
        if not db_url.startswith("sqlite"):
            return
        for fts, (table, columns) in FTS_SOURCES.items():
            word = "pollution" if table != "actor_aliases" else "media"
            like = " OR ".join(f"{c} LIKE '%{word}%'" for c in columns)
            found = s.execute(text(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH '{word}'")).scalar()
            assert found == s.execute(text(f"SELECT count(*) FROM {table} WHERE {like}")).scalar(), fts
            assert found > 0, fts
    if db_url.startswith("sqlite"):
        assert _triggers(database) == _expected_triggers()
        # and they work again: a claim added afterwards is found
        cli.ok("claim", "add", "Zyxwvut bridges were closed")
        with database.read() as s:
            assert s.execute(text("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'zyxwvut'")).scalar() == 1


def test_failed_bulk_import_leaves_triggers_and_rows(cli: Any, database: Any, db_url: str, snapshot: Any,
                                                     bulk_jsonl: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad_at_end.jsonl"
    bad.write_text(bulk_jsonl.read_text(encoding="utf-8") + '{"type": "claim"}\n', encoding="utf-8")
    before = snapshot()
    result = cli("import", str(bad), "--format", "jsonl")
    assert result.exit_code == 1, result.stdout
    assert "text is required" in result.stderr
    assert snapshot() == before
    if db_url.startswith("sqlite"):
        assert _triggers(database) == _expected_triggers()
