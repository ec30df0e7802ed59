"""Test helpers that are not fixtures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def db_snapshot(database: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every claimtrack table, in primary-key order."""
    from sqlalchemy import select

    from claimtrack.models import Base

    result: dict[str, list[tuple[Any, ...]]] = {}
    with database.read() as session:
        for name, table in Base.metadata.tables.items():
            order = list(table.primary_key.columns)
            result[name] = [tuple(row) for row in session.execute(select(table).order_by(*order))]
    return result


def generated_jsonl(path: Path, statements: int, *, actors: int) -> Path:
    """A native jsonl archive of `statements` statements (their claims, documents, hops …) by
    bench/generate.py, written to `path`."""
    import subprocess
    import sys

    subprocess.run([sys.executable, str(PROJECT_ROOT / "bench" / "generate.py"), str(statements), "-o", str(path),
                    "--actors", str(actors)], check=True, capture_output=True, timeout=300)
    return path
