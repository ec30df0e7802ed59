"""Test helpers that are not fixtures."""

from __future__ import annotations

from typing import Any


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
