"""portal: 通知公告 (notices the department publishes) and their attached files

Revision ID: 0014_portal
Revises: 0013
Create Date: 2026-12-05 23:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014_portal'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('withdrawal_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.CheckConstraint("state IN ('draft', 'published', 'withdrawn')",
                       name=op.f('ck_notice_state')),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_notice_created_by_user')),
    sa.ForeignKeyConstraint(['updated_by'], ['user.id'], name=op.f('fk_notice_updated_by_user')),
    sa.ForeignKeyConstraint(['published_by'], ['user.id'],
                            name=op.f('fk_notice_published_by_user')),
    sa.ForeignKeyConstraint(['withdrawn_by'], ['user.id'],
                            name=op.f('fk_notice_withdrawn_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_state'), ['state'], unique=False)

    op.create_table('noticeattachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'],
                            name=op.f('fk_noticeattachment_notice_id_notice')),
    sa.ForeignKeyConstraint(['added_by'], ['user.id'],
                            name=op.f('fk_noticeattachment_added_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_noticeattachment'))
    )
    with op.batch_alter_table('noticeattachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noticeattachment_notice_id'), ['notice_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('noticeattachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noticeattachment_notice_id'))
    op.drop_table('noticeattachment')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_state'))
    op.drop_table('notice')
