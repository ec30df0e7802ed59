"""retire and merge: status on every record kind, versions where missing, merged_into_id

Revision ID: 0007_retire_and_merge
Revises: 0006_audit_marks
Create Date: 2026-12-01

Claims, documents, hops and affiliations can now be retracted or deprecated with a reason, as
statements and verdicts could (`status` + `status_reason`, with the same named CHECKs); claim
relations gain `status_reason` and the statuses `retracted` / `deprecated`. Documents, hops and
affiliations get a `version` column (optimistic locking for `edit`), and claims and documents a
`merged_into_id` (a merged duplicate points at its survivor, as actors do). Existing rows become
`normal`, version 1: the server defaults fill them, and a `rehash` event records the rows' new
hashes (the encoding changed), as docs/history.md asks of such migrations.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from claimtrack.fulltext_ddl import FTS_SOURCES, TRIGGER_SUFFIXES, sqlite_trigger_ddl


revision = '0007_retire_and_merge'
down_revision = '0006_audit_marks'
branch_labels = None
depends_on = None

RETIRABLE = ('affiliations', 'claims', 'documents', 'hops')
VERSIONED = ('affiliations', 'documents', 'hops')
MERGEABLE = ('claims', 'documents')
STATUS_CHECK = "status IN ('normal', 'retracted', 'deprecated')"
REASON_CHECK = "status = 'normal' OR status_reason IS NOT NULL"
OLD_RELATION_STATUS = "status IN ('suggested', 'confirmed', 'rejected')"
NEW_RELATION_STATUS = "status IN ('suggested', 'confirmed', 'rejected', 'retracted', 'deprecated')"
RELATION_REASON = "status NOT IN ('retracted', 'deprecated') OR status_reason IS NOT NULL"


def _restore_full_text_triggers(tables: tuple[str, ...]) -> None:
    """A SQLite batch rebuild drops the table's triggers; put the full-text ones back."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for fts, (table, _columns) in FTS_SOURCES.items():
        if table in tables:
            for suffix in TRIGGER_SUFFIXES:
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                op.execute(sqlite_trigger_ddl(fts, suffix))


def upgrade() -> None:
    for table in RETIRABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='normal', nullable=False))
            batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=True))
            if table in VERSIONED:
                batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
            if table in MERGEABLE:
                batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
                batch_op.create_index(op.f(f'ix_{table}_merged_into_id'), ['merged_into_id'], unique=False)
                batch_op.create_foreign_key(op.f(f'fk_{table}_merged_into_id_{table}'), table, ['merged_into_id'], ['id'])
                batch_op.create_check_constraint(op.f(f'ck_{table}_not_merged_into_self'), 'merged_into_id IS NULL OR merged_into_id <> id')
            batch_op.create_check_constraint(op.f(f'ck_{table}_status'), STATUS_CHECK)
            batch_op.create_check_constraint(op.f(f'ck_{table}_status_reason'), REASON_CHECK)

    with op.batch_alter_table('claim_relations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f('ck_claim_relations_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_claim_relations_status'), NEW_RELATION_STATUS)
        batch_op.create_check_constraint(op.f('ck_claim_relations_status_reason'), RELATION_REASON)
    _restore_full_text_triggers(RETIRABLE)
    # the new non-NULL columns change the row encoding of every existing row of these tables
    from claimtrack.services.rowtrack import record_rehash

    record_rehash(op.get_bind(), reason="0007_retire_and_merge: status and version columns",
                  tables=list(RETIRABLE))


def downgrade() -> None:
    # a retracted or deprecated relation has no place in the old vocabulary: it was withdrawn,
    # which the old schema can only say as "rejected"
    relations = sa.table('claim_relations', sa.column('status', sa.String))
    op.execute(relations.update().where(relations.c.status.in_(['retracted', 'deprecated']))
               .values(status='rejected'))
    with op.batch_alter_table('claim_relations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_claim_relations_status_reason'), type_='check')
        batch_op.drop_constraint(op.f('ck_claim_relations_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_claim_relations_status'), OLD_RELATION_STATUS)
        batch_op.drop_column('status_reason')

    for table in reversed(RETIRABLE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_status_reason'), type_='check')
            batch_op.drop_constraint(op.f(f'ck_{table}_status'), type_='check')
            if table in MERGEABLE:
                batch_op.drop_constraint(op.f(f'ck_{table}_not_merged_into_self'), type_='check')
                batch_op.drop_constraint(op.f(f'fk_{table}_merged_into_id_{table}'), type_='foreignkey')
                batch_op.drop_index(op.f(f'ix_{table}_merged_into_id'))
                batch_op.drop_column('merged_into_id')
            if table in VERSIONED:
                batch_op.drop_column('version')
            batch_op.drop_column('status_reason')
            batch_op.drop_column('status')
    _restore_full_text_triggers(RETIRABLE)
    from claimtrack.services.rowtrack import record_rehash

    record_rehash(op.get_bind(), reason="0007_retire_and_merge downgrade: status and version columns dropped",
                  tables=[*RETIRABLE, 'claim_relations'])
