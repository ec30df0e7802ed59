"""queries/live.py's retired-id subqueries: the right rows, read from migration 0009's partial indexes."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f

RETRACTED = {"status": "retracted", "status_reason": "test"}
DEPRECATED = {"status": "deprecated", "status_reason": "test"}


def _archive(s: Any) -> dict[str, Any]:
    """Claims, documents and statements: normal, retracted, deprecated and merged ones."""
    claims = [f.claim(s, "Normal claim"), f.claim(s, "Retracted claim", **RETRACTED),
              f.claim(s, "Deprecated claim", **DEPRECATED), f.claim(s, "Merged claim")]
    outlet = f.actor(s, "Gazette", kind="outlet")
    docs = [f.document(s, outlet, url=f"https://example.org/{i}", **status)
            for i, status in enumerate([{}, RETRACTED, DEPRECATED, {}])]
    s.flush()
    claims[3].merged_into_id = claims[0].id
    docs[3].merged_into_id = docs[0].id
    statements = [f.statement(s, claim, stance="asserts", **status)
                  for claim in claims for status in ({}, RETRACTED, DEPRECATED)]
    for doc in docs:
        for statement in statements:
            f.hop(s, doc, statement)
    s.flush()
    return {"claims": claims, "docs": docs, "statements": statements}


def test_retired_ids_are_the_records_that_do_not_count(database):
    from sqlalchemy import func, select

    from claimtrack.models import Hop
    from claimtrack.queries.live import (
        live_hop,
        retired_claim_ids,
        retired_document_ids,
        retired_statement_ids,
    )

    with database.write() as s:
        made = _archive(s)
        claims, docs, statements = made["claims"], made["docs"], made["statements"]
        assert set(s.scalars(retired_claim_ids())) == {c.id for c in claims[1:]}
        assert set(s.scalars(retired_document_ids())) == {d.id for d in docs[1:]}
        assert set(s.scalars(retired_statement_ids())) == {
            st.id for st in statements if st.status != "normal" or st.claim_id != claims[0].id}
        # only the normal statement of the normal claim, in the normal document, counts
        assert s.scalar(select(func.count()).select_from(Hop).where(live_hop())) == 1


def _plan(s: Any, query: Any) -> str:
    connection = s.connection()
    compiled = query.compile(connection)
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), tuple(compiled.params.values()))
        return "\n".join(row[-1] for row in rows)
    # on a table of a few rows a sequential scan is cheaper: forbid it, so the plan says whether
    # the partial index can serve the query at all (its predicate matched)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))


@pytest.mark.parametrize(("subquery", "index"), [
    ("retired_claim_ids", "ix_claims_retired"),
    ("retired_document_ids", "ix_documents_retired"),
    ("retired_statement_ids", "ix_statements_retired"),
])
def test_retired_ids_read_their_partial_index_not_the_table(database, subquery, index):
    from claimtrack.queries import live

    with database.write() as s:
        _archive(s)
        plan = _plan(s, getattr(live, subquery)())
        assert index in plan, plan
        if s.get_bind().dialect.name == "sqlite":
            assert f"COVERING INDEX {index}" in plan, plan
        else:
            assert "Seq Scan" not in plan, plan
