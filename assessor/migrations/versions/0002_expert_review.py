"""expert review

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:12:45.343353
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing rounds get the defaults through server_default
    op.create_table('expertprofile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('affiliation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('affiliation_uscc', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_expertprofile_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_expertprofile'))
    )
    with op.batch_alter_table('expertprofile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expertprofile_affiliation_uscc'), ['affiliation_uscc'], unique=False)

    op.create_table('expertrelation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('uscc', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('organisation_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('declared_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['expert_id'], ['user.id'], name=op.f('fk_expertrelation_expert_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expertrelation'))
    )
    with op.batch_alter_table('expertrelation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expertrelation_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expertrelation_uscc'), ['uscc'], unique=False)

    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('declared_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'active', 'declined', 'expired', 'submitted')", name=op.f('ck_assignment_state')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_assignment_application_id_application')),
    sa.ForeignKeyConstraint(['assigned_by'], ['user.id'], name=op.f('fk_assignment_assigned_by_user')),
    sa.ForeignKeyConstraint(['expert_id'], ['user.id'], name=op.f('fk_assignment_expert_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment'))
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_expert_id'), ['expert_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('comments', sa.JSON(), nullable=False),
    sa.Column('opinion', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('recommendation', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('inspection', sa.JSON(), nullable=True),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_review_assignment_id_assignment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('assignment_id', name='one_per_assignment')
    )
    op.create_table('inspectionphoto',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_inspectionphoto_review_id_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspectionphoto')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_inspectionphoto_stored_name'))
    )
    with op.batch_alter_table('inspectionphoto', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspectionphoto_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_basis', sa.JSON(), nullable=True))

    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewers_per_application', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('blind', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('aggregation', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default='mean'))
        batch_op.add_column(sa.Column('disagreement_threshold', sa.Float(), nullable=False, server_default='0.3'))
        batch_op.add_column(sa.Column('review_days', sa.Integer(), nullable=False, server_default='14'))
        batch_op.add_column(sa.Column('site_inspection', sa.Boolean(), nullable=False, server_default=sa.false()))

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_column('site_inspection')
        batch_op.drop_column('review_days')
        batch_op.drop_column('disagreement_threshold')
        batch_op.drop_column('aggregation')
        batch_op.drop_column('blind')
        batch_op.drop_column('reviewers_per_application')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('decision_basis')

    with op.batch_alter_table('inspectionphoto', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspectionphoto_review_id'))

    op.drop_table('inspectionphoto')
    op.drop_table('review')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_expert_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_application_id'))

    op.drop_table('assignment')
    with op.batch_alter_table('expertrelation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expertrelation_uscc'))
        batch_op.drop_index(batch_op.f('ix_expertrelation_expert_id'))

    op.drop_table('expertrelation')
    with op.batch_alter_table('expertprofile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expertprofile_affiliation_uscc'))

    op.drop_table('expertprofile')
    # ### end Alembic commands ###
