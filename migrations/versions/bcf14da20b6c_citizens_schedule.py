"""The leaders' weekly schedule ("Lịch công tác tuần"): weeks and their lines

Revision ID: bcf14da20b6c
Revises: 3c10c6985b14
Create Date: 2026-12-07 08:06:56.754296

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bcf14da20b6c'
down_revision = '3c10c6985b14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('schedule_week',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_week')),
    sa.UniqueConstraint('starts_on', name=op.f('uq_schedule_week_starts_on')),
    sqlite_autoincrement=True
    )
    op.create_table('schedule_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('time', sa.String(length=40), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=250), nullable=False),
    sa.Column('chair', sa.String(length=250), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['week_id'], ['schedule_week.id'], name=op.f('fk_schedule_entry_week_id_schedule_week'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_entry')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('schedule_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_entry_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('schedule_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_entry_day'))

    op.drop_table('schedule_entry')
    op.drop_table('schedule_week')
