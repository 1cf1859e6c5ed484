"""data mark: the count of drafts saved, the one unaudited change kept pages show (with the audit
log's last id it names the data's version: assessor/platform/versioned.py)

Revision ID: 0016_data_mark
Revises: 0015_criteria_versions
Create Date: 2026-12-06 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_data_mark'
down_revision = '0015_criteria_versions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    mark = op.create_table(
        'datamark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('drafts_saved', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_datamark')),
    )
    op.bulk_insert(mark, [{'id': 1, 'drafts_saved': 0}])


def downgrade() -> None:
    op.drop_table('datamark')
