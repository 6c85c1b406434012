"""Polls ("Thăm dò ý kiến"): questions, choices with their counts, ballots per address

Revision ID: 876a3e274861
Revises: b8e4d2a6c9f1
Create Date: 2026-12-07 08:37:17.419123

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '876a3e274861'
down_revision = 'b8e4d2a6c9f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=250), nullable=False),
    sa.Column('multiple', sa.Boolean(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll')),
    sqlite_autoincrement=True
    )
    op.create_table('poll_ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('sender_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_ballot_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_ballot')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.create_index('ix_poll_ballot_poll_id_sender_key', ['poll_id', 'sender_key'], unique=False)

    op.create_table('poll_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=250), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_choice_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_choice')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('poll_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_choice_poll_id'), ['poll_id'], unique=False)



def downgrade():
    with op.batch_alter_table('poll_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_choice_poll_id'))

    op.drop_table('poll_choice')
    with op.batch_alter_table('poll_ballot', schema=None) as batch_op:
        batch_op.drop_index('ix_poll_ballot_poll_id_sender_key')

    op.drop_table('poll_ballot')
    op.drop_table('poll')
