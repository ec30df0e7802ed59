"""audit marks: how far each user's incremental audit (`audit --since-last`) has read the log

Revision ID: 0006_audit_marks
Revises: 0005_url_escapes
Create Date: 2026-12-01

One row per user: the id of the last event their previous `audit --since-last` covered, so the
next one re-checks only what the events after it changed.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0006_audit_marks"
down_revision = "0005_url_escapes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_marks",
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("audited_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user", name=op.f("pk_audit_marks")),
    )


def downgrade() -> None:
    op.drop_table("audit_marks")
