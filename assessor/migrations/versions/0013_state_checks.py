"""state checks: a decision's outcome, an expert's recommendation and a job's state are kept to
their lists by CHECK constraints; a round's reviewer count and aggregation get the CHECKs the
model declared since 0002 but no migration made

The lists are written out here, as they stood at this revision, and not imported from the code:
a migration is history, and one that read the live tuple would change what it does when the list
changes later. tests/web/test_migrations.py checks that they match the models' tuples
(workflow.DECISIONS, review.models.RECOMMENDATIONS, jobs.models.STATES, rounds.models).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 20:00:00
"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

CHECKS = (  # (table, constraint name, condition)
    ('round', 'reviewers', 'reviewers_per_application BETWEEN 1 AND 15'),
    ('round', 'aggregation', "aggregation IN ('mean', 'median', 'trimmed_mean')"),
    ('application', 'decision', "decision IN ('approved', 'rejected')"),
    ('review', 'recommendation', "recommendation IN ('approve', 'reject', 'return')"),
    ('job', 'state', "state IN ('queued', 'running', 'finished', 'failed')"),
)


def upgrade() -> None:
    for table, name, condition in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), condition)


def downgrade() -> None:
    for table, name, _condition in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
