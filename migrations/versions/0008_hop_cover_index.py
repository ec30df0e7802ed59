"""hop cover index: the outlet report reads an outlet's hops from one index

Revision ID: 0008_hop_cover_index
Revises: 0007_retire_and_merge
Create Date: 2026-12-01

`ix_hops_document_cover` on hops (document_id, statement_id, via_hop_id, via_actor_id, status)
replaces `ix_hops_document_id`: it serves every lookup by document as the old one did, and holds
every hop column the outlet report counts, so the report reads an outlet's tens of thousands of
hops from the index without visiting the hop rows (docs/performance.md, "Outlet report"). An
index changes no stored row: no rehash.
"""
from __future__ import annotations

from alembic import op


revision = "0008_hop_cover_index"
down_revision = "0007_retire_and_merge"
branch_labels = None
depends_on = None

COVER = ["document_id", "statement_id", "via_hop_id", "via_actor_id", "status"]


def upgrade() -> None:
    with op.batch_alter_table("hops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hops_document_cover"), COVER, unique=False)
        batch_op.drop_index(batch_op.f("ix_hops_document_id"))


def downgrade() -> None:
    with op.batch_alter_table("hops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hops_document_id"), ["document_id"], unique=False)
        batch_op.drop_index(batch_op.f("ix_hops_document_cover"))
