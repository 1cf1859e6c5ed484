"""claim ranges

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 18:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
