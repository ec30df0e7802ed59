"""verdict licence (ClaimReview sdLicense) and the database's own UUID

Revision ID: 0002_license_database_id
Revises: 0001_baseline
Create Date: 2026-12-01

`verdicts.license` lets a ClaimReview's sdLicense travel through claimtrack. The one-row
`database_identity` table holds a UUID made here, once per database, which PROV exports put
into every identifier so exports of two databases merge without collisions.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002_license_database_id"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(sa.Column("license", sa.Text(), nullable=True))
    op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_database_identity_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_identity")),
        sa.UniqueConstraint("uuid", name=op.f("uq_database_identity_uuid")),
    )
    identity = sa.table("database_identity", sa.column("id", sa.Integer()), sa.column("uuid", sa.String()))
    op.bulk_insert(identity, [{"id": 1, "uuid": str(uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table("database_identity")
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("license")
