"""submit: the commitment signed when a revision is submitted (the signer's name and position,
and when)

Revision ID: 0014_submit
Revises: 0014_portal
Create Date: 2026-12-05 23:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014_submit'
down_revision = '0014_portal'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signer_name', sqlmodel.sql.sqltypes.AutoString(length=60),
                                      nullable=True))
        batch_op.add_column(sa.Column('signer_position',
                                      sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch_op.add_column(sa.Column('committed_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('committed_at')
        batch_op.drop_column('signer_position')
        batch_op.drop_column('signer_name')
