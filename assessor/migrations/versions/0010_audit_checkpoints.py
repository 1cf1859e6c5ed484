"""audit checkpoints: signed heads of the chain, a seal on every event, and the database
refusing UPDATE and DELETE on both tables (triggers)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 18:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

GUARDED = ('auditevent', 'auditcheckpoint')


def guard_statements(dialect: str) -> list[str]:
    """The triggers that make the audit tables append-only (TRUNCATE and DROP are not refused:
    restoring a backup and the tests' clean-up use them)."""
    if dialect == 'postgresql':
        statements = ["""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END $$"""]
        for table in GUARDED:
            statements.append(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "
                              f"{table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()")
        return statements
    statements = []
    for table in GUARDED:
        for operation in ('UPDATE', 'DELETE'):
            statements.append(
                f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: {operation} on {table} "
                f"refused'); END")
    return statements


def unguard_statements(dialect: str) -> list[str]:
    if dialect == 'postgresql':
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in GUARDED]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{operation}"
            for table in GUARDED for operation in ('update', 'delete')]


def upgrade() -> None:
    op.create_table('auditcheckpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('made_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('head_id', sa.Integer(), nullable=False),
    sa.Column('head_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('occasion', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('signer', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auditcheckpoint'))
    )
    with op.batch_alter_table('auditcheckpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditcheckpoint_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditcheckpoint_round_id'), ['round_id'],
                              unique=False)
    # events from before seals existed keep an empty one (auditcheck accepts those only
    # before the first sealed event and the first checkpoint's head)
    op.add_column('auditevent', sa.Column('seal', sqlmodel.sql.sqltypes.AutoString(length=64),
                                          nullable=False, server_default=''))
    for statement in guard_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in unguard_statements(dialect):
        op.execute(statement)
    if dialect == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_column('seal')
    with op.batch_alter_table('auditcheckpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditcheckpoint_round_id'))
        batch_op.drop_index(batch_op.f('ix_auditcheckpoint_day'))
    op.drop_table('auditcheckpoint')
