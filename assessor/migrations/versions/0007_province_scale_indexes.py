"""province scale indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:20:00

Indexes the pages need at province scale (10,000 applications): the applications lists' order
(by state, and by organisation for a city's), an application's audit events, each user's unread
notifications, users by role; and each application's latest submitted total and failed gates,
copied from its result, with an index covering a round's statistics (and the review board's
order).
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_total', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('submitted_failed_gates', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True))
    _copy_submitted_results()
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_application_state'))
        batch_op.create_index('ix_application_organisation_state', ['organisation_id', 'state', 'updated_at'], unique=False)
        batch_op.create_index('ix_application_state_updated', ['state', 'updated_at'], unique=False)
        batch_op.create_index('ix_application_round_statistics', ['round_id', 'state', 'id', 'organisation_id', 'submitted_total', 'submitted_failed_gates'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index('ix_auditevent_object', ['object_type', 'object_id'], unique=False)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_unread', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role'), ['role'], unique=False)


def _copy_submitted_results() -> None:
    """Each application's latest submitted revision's total and failed gates, as
    lifecycle.transition() stores them on submission from now on."""
    connection = op.get_bind()
    revision = sa.table('revision', sa.column('application_id', sa.Integer),
                        sa.column('number', sa.Integer), sa.column('result', sa.JSON),
                        sa.column('submitted_at', sa.DateTime))
    application = sa.table('application', sa.column('id', sa.Integer),
                           sa.column('submitted_total', sa.Float),
                           sa.column('submitted_failed_gates', sa.String))
    latest = {}
    rows = connection.execute(  # streamed: results are large
        sa.select(revision.c.application_id, revision.c.result)
        .where(revision.c.submitted_at.is_not(None))
        .order_by(revision.c.application_id, revision.c.number)
        .execution_options(yield_per=500))
    for application_id, result in rows:  # ordered: the last one seen is the latest
        latest[application_id] = (
            (result.get('total') or {}).get('points'),
            ','.join(g['id'] for g in result.get('gates') or () if g.get('status') == 'failed'))
    values = [{'key': k, 'total': total, 'gates': gates} for k, (total, gates) in latest.items()]
    if values:
        connection.execute(
            application.update().where(application.c.id == sa.bindparam('key'))
            .values(submitted_total=sa.bindparam('total'),
                    submitted_failed_gates=sa.bindparam('gates')), values)


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role'))

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_unread')

    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index('ix_auditevent_object')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_updated_at'))
        batch_op.drop_index('ix_application_round_statistics')
        batch_op.drop_index('ix_application_state_updated')
        batch_op.drop_index('ix_application_organisation_state')
        batch_op.create_index(batch_op.f('ix_application_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_organisation_id'), ['organisation_id'], unique=False)
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch would rebuild the table, which other
    # tables' foreign keys refuse
    op.drop_column('application', 'submitted_failed_gates')
    op.drop_column('application', 'submitted_total')
