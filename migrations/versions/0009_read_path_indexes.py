"""read path indexes: retired rows read from partial indexes instead of scanning the table

Revision ID: 0009_read_path_indexes
Revises: 0008_hop_cover_index
Create Date: 2026-12-01

`claimtrack.queries.live` leaves retired (retracted, deprecated) and merged records out of every
count with `NOT IN (their ids)`; finding those ids scanned the whole table each time (claims:
20–85 ms at 1M, inside every conflicts page, claim report and audit rule; statements: a scan of
1M rows inside every `live_hop()`). Partial indexes hold only those rows:
`ix_claims_retired`, `ix_documents_retired` (not normal, or merged) and `ix_statements_retired`
(not normal), each with exactly the predicate the queries write and on the predicate's columns
plus `id`, so the index alone answers (claimtrack.models).
On PostgreSQL only, `ix_hops_id_document` (id, document_id) lets the outlet report read the
document of each cited hop from an index-only scan (docs/performance.md, "Outlet report").
Indexes change no stored row: no rehash.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = "0009_read_path_indexes"
down_revision = "0008_hop_cover_index"
branch_labels = None
depends_on = None

RETIRED_OR_MERGED = "NOT (status = 'normal' AND merged_into_id IS NULL)"
RETIRED = "status != 'normal'"
#: table -> (predicate, columns): the predicate's columns and the id, so the index alone answers
PARTIAL = {
    "claims": (RETIRED_OR_MERGED, ["status", "merged_into_id", "id"]),
    "documents": (RETIRED_OR_MERGED, ["status", "merged_into_id", "id"]),
    "statements": (RETIRED, ["status", "id"]),
}


def upgrade() -> None:
    for table, (predicate, columns) in PARTIAL.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_retired", columns, unique=False,
                                  sqlite_where=sa.text(predicate), postgresql_where=sa.text(predicate))
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_hops_id_document", "hops", ["id", "document_id"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_hops_id_document", table_name="hops")
    for table in reversed(PARTIAL):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_retired")
