"""criteria versions: criteria sets and reference data kept as versions in the database
(draft → in review → published → superseded), a published one frozen by triggers; criteria
editors named among the province officers

The versions themselves are written by the app on its first start, from the files in
criteria/ (assessor/criteria/seed.py), so that rounds already open keep their set's id.

Revision ID: 0015_criteria_versions
Revises: 0014_official
Create Date: 2026-12-06 02:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0015_criteria_versions'
down_revision = '0014_official'
branch_labels = None
depends_on = None

FROZEN_MESSAGE = 'a published criteria or reference version never changes'
# what may still change on a published version: its state (to superseded) and when
CHANGED = ("NEW.kind IS DISTINCT FROM OLD.kind OR NEW.key IS DISTINCT FROM OLD.key "
           "OR NEW.label IS DISTINCT FROM OLD.label OR NEW.content IS DISTINCT FROM OLD.content "
           "OR NEW.digest IS DISTINCT FROM OLD.digest "
           "OR NEW.reference_id IS DISTINCT FROM OLD.reference_id "
           "OR NEW.subject IS DISTINCT FROM OLD.subject "
           "OR NEW.published_at IS DISTINCT FROM OLD.published_at "
           "OR NEW.approved_by IS DISTINCT FROM OLD.approved_by "
           "OR NEW.state NOT IN ('published', 'superseded') "
           "OR (OLD.state = 'superseded' AND NEW.state <> 'superseded')")


def freeze_statements(dialect: str) -> list[str]:
    if dialect == 'postgresql':
        return [f"""CREATE OR REPLACE FUNCTION criteriaversion_frozen() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
                IF OLD.state IN ('published', 'superseded') THEN
                    IF TG_OP = 'DELETE' OR {CHANGED} THEN
                        RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$""",
                "CREATE TRIGGER criteriaversion_frozen BEFORE UPDATE OR DELETE ON criteriaversion "
                "FOR EACH ROW EXECUTE FUNCTION criteriaversion_frozen()"]
    changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [f"CREATE TRIGGER criteriaversion_frozen_update BEFORE UPDATE ON criteriaversion "
            f"WHEN OLD.state IN ('published', 'superseded') AND ({changed}) "
            f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END",
            f"CREATE TRIGGER criteriaversion_frozen_delete BEFORE DELETE ON criteriaversion "
            f"WHEN OLD.state IN ('published', 'superseded') "
            f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"]


def upgrade() -> None:
    op.create_table('criteriaversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title_zh', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reference_id', sa.Integer(), nullable=True),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('replaces_base', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('makers', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('return_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('criteria', 'reference')", name=op.f('ck_criteriaversion_kind')),
    sa.CheckConstraint("state IN ('draft', 'in_review', 'published', 'superseded')",
                       name=op.f('ck_criteriaversion_state')),
    sa.CheckConstraint("subject IS NULL OR subject IN ('factory', 'park')",
                       name=op.f('ck_criteriaversion_subject')),
    sa.CheckConstraint("(kind = 'criteria') = (reference_id IS NOT NULL)",
                       name=op.f('ck_criteriaversion_reference')),
    sa.CheckConstraint("state NOT IN ('published', 'superseded') OR published_at IS NOT NULL",
                       name=op.f('ck_criteriaversion_published_at')),
    sa.ForeignKeyConstraint(['reference_id'], ['criteriaversion.id'],
                            name=op.f('fk_criteriaversion_reference_id_criteriaversion')),
    sa.ForeignKeyConstraint(['based_on_id'], ['criteriaversion.id'],
                            name=op.f('fk_criteriaversion_based_on_id_criteriaversion')),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'],
                            name=op.f('fk_criteriaversion_created_by_user')),
    sa.ForeignKeyConstraint(['submitted_by'], ['user.id'],
                            name=op.f('fk_criteriaversion_submitted_by_user')),
    sa.ForeignKeyConstraint(['approved_by'], ['user.id'],
                            name=op.f('fk_criteriaversion_approved_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteriaversion')),
    sa.UniqueConstraint('kind', 'key', name='kind_key'),
    )
    for statement in freeze_statements(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('criteria_editor', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_check_constraint('criteria_editor_is_province_officer',
                                         "NOT criteria_editor OR role = 'province_officer'")


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_criteria_editor_is_province_officer'),
                                 type_='check')
        batch_op.drop_column('criteria_editor')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS criteriaversion_frozen ON criteriaversion")
        op.execute("DROP FUNCTION IF EXISTS criteriaversion_frozen()")
    op.drop_table('criteriaversion')
