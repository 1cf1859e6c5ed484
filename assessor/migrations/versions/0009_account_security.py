"""account security: server-side sessions, e-mailed single-use links, throttling by kind

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 18:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('usersession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_usersession_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usersession'))
    )
    with op.batch_alter_table('usersession', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usersession_key_hash'), ['key_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_usersession_user_id'), ['user_id'], unique=False)

    op.create_table('accounttoken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint("purpose IN ('reset', 'register')", name=op.f('ck_accounttoken_purpose')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_accounttoken_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounttoken'))
    )
    with op.batch_alter_table('accounttoken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounttoken_token_hash'), ['token_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_accounttoken_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default='sign_in'))


def downgrade() -> None:
    with op.batch_alter_table('loginfailure', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('accounttoken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounttoken_user_id'))
        batch_op.drop_index(batch_op.f('ix_accounttoken_token_hash'))
    op.drop_table('accounttoken')

    with op.batch_alter_table('usersession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usersession_user_id'))
        batch_op.drop_index(batch_op.f('ix_usersession_key_hash'))
    op.drop_table('usersession')
