"""audit checkpoints

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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
