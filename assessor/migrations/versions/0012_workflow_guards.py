"""workflow guards: an expert assignment may end as a conflict of interest found after it was made

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 18:20:00
"""
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BEFORE = "state IN ('pending', 'active', 'declined', 'expired', 'submitted')"
AFTER = "state IN ('pending', 'active', 'declined', 'expired', 'submitted', 'conflict')"


def _state_check(condition: str) -> None:
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_assignment_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_assignment_state'), condition)


def upgrade() -> None:
    _state_check(AFTER)


def downgrade() -> None:
    op.execute("UPDATE assignment SET state = 'declined' WHERE state = 'conflict'")
    _state_check(BEFORE)
