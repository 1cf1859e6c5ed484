"""official documents: the organisation's USCC kept on each certificate at issue, the list's
document number (文号) entered at publication, and where a new annual filing's figures were
copied from

All three are nullable: certificates issued and lists published before this revision have none,
and the pages then show nothing for them.

Revision ID: 0014_official
Revises: 0014_submit
Create Date: 2026-12-05 23:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0014_official'
down_revision = '0014_submit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_uscc',
                                      sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True))
    with op.batch_alter_table('publicity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_number',
                                      sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copied_from', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_column('copied_from')
    with op.batch_alter_table('publicity', schema=None) as batch_op:
        batch_op.drop_column('document_number')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('organisation_uscc')
