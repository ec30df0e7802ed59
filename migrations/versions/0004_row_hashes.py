"""row hashes: events.row_hashes, append-only events, a re-hash of the existing rows

Revision ID: 0004_row_hashes
Revises: 0003_snapshots
Create Date: 2026-12-01

Every event from now on records the hashes of the rows it wrote (docs/history.md, "Row
hashes"). The rows that exist when this migration runs were written before that: a `rehash`
event records their hashes as they are now, so `log verify` can check them from here on.

Any later migration that changes the encoding of existing rows (adds a column with a non-NULL
value, drops, retypes or rewrites one) must do the same at its end:

    from claimtrack.services.rowtrack import record_rehash
    record_rehash(op.get_bind(), reason="0007: claims.status", tables=["claims"])

On SQLite, a batch rebuild of `events` (batch_alter_table) drops its triggers: recreate them
from claimtrack.events_ddl afterwards.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from claimtrack.events_ddl import create_statements, drop_statements

revision = '0004_row_hashes'
down_revision = '0003_snapshots'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_hashes', sa.Text(), nullable=True))
    bind = op.get_bind()
    for statement in create_statements(bind.dialect.name):
        op.execute(statement)

    from claimtrack.services.rowtrack import record_rehash

    record_rehash(bind, reason="0004_row_hashes: the rows that existed before row hashes")


def downgrade() -> None:
    bind = op.get_bind()
    for statement in drop_statements(bind.dialect.name):
        op.execute(statement)
    # every event's row hashes go with the column (nothing is deleted from the log): the
    # events written before this revision still verify (their hashes never covered row
    # hashes), those written since no longer can under the older claimtrack
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('row_hashes')
