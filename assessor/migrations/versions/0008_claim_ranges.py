"""claim ranges

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 18:20:00

Every submitted revision's and annual filing's certificate and offset serials as ranges
(registry, prefix, first and last number), so that a serial claimed by two organisations for
one data year is found by a query and a sweep. The ranges of what was submitted before are
worked out here with the engine.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claimrange',
    sa.Column('first_number', sa.BigInteger(), nullable=False),
    sa.Column('last_number', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_year', sa.Integer(), nullable=False),
    sa.Column('pool', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('serial', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('filing_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_claimrange_application_id_application')),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_claimrange_filing_id_filing')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_claimrange_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_claimrange_revision_id_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claimrange'))
    )
    with op.batch_alter_table('claimrange', schema=None) as batch_op:
        batch_op.create_index('ix_claimrange_lookup', ['data_year', 'pool', 'prefix', 'first_number', 'last_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_claimrange_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claimrange_revision_id'), ['revision_id'], unique=False)
    _ranges_of_what_was_submitted()


def _ranges_of_what_was_submitted() -> None:
    from assessor.engine import Engine, SubmissionError, parse_submission
    from assessor.engine.claims import POOL

    connection = op.get_bind()
    meta = sa.MetaData()
    tables = {name: sa.Table(name, meta, autoload_with=connection)
              for name in ('claimrange', 'revision', 'application', 'round', 'filing',
                           'filingcall', 'listing')}
    revision, application, round_ = tables['revision'], tables['application'], tables['round']
    filing, call, listing = tables['filing'], tables['filingcall'], tables['listing']
    engine = None

    def ranges(data, criteria_id):
        nonlocal engine
        engine = engine or Engine.load()
        try:
            c = engine.prepare([parse_submission(data)], criteria_id).claims
        except (SubmissionError, KeyError):
            return []
        return [{"pool": POOL.get(c["kind"][i], c["kind"][i]), "prefix": c["prefix"][i],
                 "first_number": int(c["start"][i]),
                 "last_number": int(c["start"][i] + c["count"][i] - 1), "kind": c["kind"][i],
                 "serial": c["serial"][i][:100], "path": c["path"][i][:200]}
                for i in range(len(c["start"]))]

    rows = []
    for r in connection.execute(
            sa.select(revision.c.id, revision.c.application_id, revision.c.data,
                      revision.c.criteria_id, application.c.organisation_id)
            .join(application, application.c.id == revision.c.application_id)
            .where(revision.c.submitted_at.is_not(None))).all():
        year = int((r.data or {}).get("reporting_year") or 0)
        rows += [dict(found, data_year=year, organisation_id=r.organisation_id,
                      application_id=r.application_id, revision_id=r.id, filing_id=None)
                 for found in ranges(r.data, r.criteria_id)]
    for f in connection.execute(
            sa.select(filing.c.id, filing.c.data, call.c.year, round_.c.criteria_id,
                      application.c.organisation_id)
            .join(call, call.c.id == filing.c.call_id)
            .join(round_, round_.c.id == call.c.round_id)
            .join(listing, listing.c.id == filing.c.listing_id)
            .join(application, application.c.id == listing.c.application_id)
            .where(filing.c.submitted_at.is_not(None))).all():
        rows += [dict(found, data_year=f.year, organisation_id=f.organisation_id,
                      application_id=None, revision_id=None, filing_id=f.id)
                 for found in ranges(f.data, f.criteria_id)]
    if rows:
        connection.execute(tables['claimrange'].insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table('claimrange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claimrange_revision_id'))
        batch_op.drop_index(batch_op.f('ix_claimrange_filing_id'))
        batch_op.drop_index('ix_claimrange_lookup')
    op.drop_table('claimrange')
