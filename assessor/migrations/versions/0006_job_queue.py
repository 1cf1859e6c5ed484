"""job queue: a job names its task and params, the starter's locale, its RQ job and its file

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 16:20:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task', sqlmodel.sql.sqltypes.AutoString(length=60),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=5),
                                      nullable=False, server_default='zh'))
        batch_op.add_column(sa.Column('queue_id', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('download_name',
                                      sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    # a job left queued or running by the old in-process threads died with its process
    op.execute("UPDATE job SET state = 'failed', message = '任务中断：处理进程意外停止或超时。请重新发起。' "
               "WHERE state IN ('queued', 'running')")


def downgrade() -> None:
    with op.batch_alter_table('job', schema=None) as batch_op:
        for column in ('download_name', 'stored_name', 'queue_id', 'locale', 'params', 'task'):
            batch_op.drop_column(column)
